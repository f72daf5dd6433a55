/* Small conveniences: part of the API, not of the ABI; the code is linked
   statically into each extension (runtime/helpers/helpers.c). */
#ifndef HPY_RUNTIME_HELPERS_H
#define HPY_RUNTIME_HELPERS_H

#include "hpy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Create a type from `hpyspec` and store it as attribute `name` of `obj`
   (usually a module). Return 1 on success, 0 with an exception set. */
HPyAPI_HELPER int
HPyHelpers_AddType(HPyContext *ctx, HPy obj, const char *name,
                   HPyType_Spec *hpyspec, HPyType_SpecParam *params);

/* Turn a vectorcall-style argument array into a tuple and a dict, for APIs
   that want the tp_call convention. An empty part gives HPy_NULL. Return 1
   on success, 0 with an exception set (outputs untouched). */
HPyAPI_HELPER int
HPyHelpers_PackArgsAndKeywords(HPyContext *ctx, const HPy *args, size_t nargs,
                               HPy kwnames, HPy *out_args_tuple, HPy *out_kwd);

#ifdef __cplusplus
}
#endif
#endif /* HPY_RUNTIME_HELPERS_H */
