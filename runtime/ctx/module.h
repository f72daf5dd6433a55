/* Module definitions, shared by the CPython-ABI helper library and the
   universal loader. The PyModuleDef lives as long as the process (CPython
   keeps pointers into it). */
#ifndef HPY_RUNTIME_CTX_MODULE_H
#define HPY_RUNTIME_CTX_MODULE_H

_HPy_HIDDEN PyModuleDef *_HPyModuleDef_CreatePyModuleDef(HPyModuleDef *hpydef, const char *name);
/* PyModule_FromDefAndSpec, also where the C API lacks it (PyPy). */
_HPy_HIDDEN PyObject *_HPyModule_FromDefAndSpec(PyModuleDef *def, PyObject *spec);
_HPy_HIDDEN PyObject *_HPyModule_CheckCreateResult(PyObject *result);

#endif
