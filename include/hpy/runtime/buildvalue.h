/* HPy_BuildValue: part of the API, not of the ABI; the code is linked
   statically into each extension (runtime/helpers/buildvalue.c). */
#ifndef HPY_RUNTIME_BUILDVALUE_H
#define HPY_RUNTIME_BUILDVALUE_H

#include "hpy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Always a new handle, or HPy_NULL with an exception set. */
HPyAPI_HELPER HPy
HPy_BuildValue(HPyContext *ctx, const char *fmt, ...);

#ifdef __cplusplus
}
#endif
#endif /* HPY_RUNTIME_BUILDVALUE_H */
