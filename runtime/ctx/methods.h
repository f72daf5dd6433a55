/* HPyDef_METH entries (plus legacy PyMethodDef ones) -> a PyMethodDef array,
   for modules and types alike. */
#ifndef HPY_RUNTIME_CTX_METHODS_H
#define HPY_RUNTIME_CTX_METHODS_H

#include "hpy_runtime_base.h"

/* How many entries, without the sentinel. */
_HPy_HIDDEN Py_ssize_t _HPyDef_MethodCount(HPyDef **defines, PyMethodDef *legacy);

/* Writes them and the sentinel into `out`, which has room for
   _HPyDef_MethodCount() + 1; -1 with an exception set. */
_HPy_HIDDEN int _HPyDef_FillMethods(HPyDef **defines, PyMethodDef *legacy, PyMethodDef *out);

#endif
