/* Struct sequences: tuple subclasses whose items also have names, like
   os.stat_result. Part of the API, not of the ABI; the code is linked
   statically into each extension (runtime/helpers/structseq.c).

   In the CPython ABI the type is a C API struct sequence; in the universal
   ABI it is a collections.namedtuple class, where a field name that is not
   an identifier or starts with "_" becomes _<index> (as in HPy 0.9). Every
   field is in the sequence (len() counts them all: there is no
   n_in_sequence), and instances are made whole by HPyStructSequence_New,
   never written afterwards. (Called from Python, the type takes one
   sequence in the CPython ABI, like os.stat_result, and the items as
   arguments in the universal ABI, like any namedtuple.) */
#ifndef HPY_RUNTIME_STRUCTSEQ_H
#define HPY_RUNTIME_STRUCTSEQ_H

#include "hpy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One field: its name (UTF-8), HPyStructSequence_UnnamedField for a field
   reached only by index, or NULL to end the array; its docstring or NULL. */
typedef struct {
    const char *name;
    const char *doc;
} HPyStructSequence_Field;

/* The type: its name, "module.Name" (UTF-8, not NULL), its docstring or
   NULL, and its fields, an array ended by a field whose name is NULL. */
typedef struct {
    const char *name;
    const char *doc;
    HPyStructSequence_Field *fields;
} HPyStructSequence_Desc;

/* The name that makes a field unnamed (HPy 0.9's value, "_": a field named
   "_" is unnamed too). */
HPyAPI_HELPER extern const char *const HPyStructSequence_UnnamedField;

/* A new struct sequence type; it has the class attributes n_fields,
   n_sequence_fields (both the number of fields) and n_unnamed_fields.
   HPy_NULL with an exception on error (SystemError for a bad descriptor). */
HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc);

/* A new instance of `type` (made by HPyStructSequence_NewType) holding the
   nargs objects of args (not stolen). TypeError if `type` is not a struct
   sequence type or nargs is not its number of fields. */
HPyAPI_HELPER HPy
HPyStructSequence_New(HPyContext *ctx, HPy type, HPy_ssize_t nargs, HPy *args);

#ifdef __cplusplus
}
#endif
#endif /* HPY_RUNTIME_STRUCTSEQ_H */
