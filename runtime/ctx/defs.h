/* The HPyDef arrays of modules and types alike: counting them, and their
   HPyDef_METH entries (plus legacy PyMethodDef ones) as a PyMethodDef array. */
#ifndef HPY_RUNTIME_CTX_DEFS_H
#define HPY_RUNTIME_CTX_DEFS_H

#include "hpy_runtime_base.h"

/* How many entries of a NULL-terminated (or NULL) array are of `kind`. */
_HPy_HIDDEN Py_ssize_t _HPyDef_Count(HPyDef **defines, HPyDef_Kind kind);

/* How many PyMethodDef entries, without the sentinel. */
_HPy_HIDDEN Py_ssize_t _HPyDef_MethodCount(HPyDef **defines, PyMethodDef *legacy);

/* Writes them and the sentinel into `out`, which has room for
   _HPyDef_MethodCount() + 1; -1 with an exception set. */
_HPy_HIDDEN int _HPyDef_FillMethods(HPyDef **defines, PyMethodDef *legacy, PyMethodDef *out);

#endif
