/* PyType_FromSpecWithBases with a metaclass, on every Python version. */
#ifndef HPY_RUNTIME_CTX_TYPE_CREATE_H
#define HPY_RUNTIME_CTX_TYPE_CREATE_H

#include "hpy_runtime_base.h"

/* `meta` may be NULL (the bases decide); a new reference or NULL. */
_HPy_HIDDEN PyObject *_HPyType_CreateFromSpec(PyType_Spec *spec, PyObject *bases, PyTypeObject *meta);

#endif
