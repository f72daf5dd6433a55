/* The few C API functions the headers and the runtime use that are newer
   than Python 3.9, the C API of PyPy 7.3.x (cpyext): defined here, on the
   public C API, where the interpreter lacks them. Needs Python.h. */
#ifndef HPY_CPYTHON_PYCOMPAT_H
#define HPY_CPYTHON_PYCOMPAT_H

#if PY_VERSION_HEX < 0x030A0000 && !defined(Py_NewRef)
static inline PyObject *_HPy_Py_NewRef(PyObject *o) { Py_INCREF(o); return o; }
static inline PyObject *_HPy_Py_XNewRef(PyObject *o) { Py_XINCREF(o); return o; }
#  define Py_NewRef(o) _HPy_Py_NewRef((PyObject *)(o))
#  define Py_XNewRef(o) _HPy_Py_XNewRef((PyObject *)(o))
#endif

#if defined(PYPY_VERSION)
/* PyPy declares these without CPython's const and noreturn. */
static inline int _HPy_PyObject_DelItemString(PyObject *o, const char *key)
{
    return PyPyObject_DelItemString(o, (char *)key);
}
#  undef PyObject_DelItemString
#  define PyObject_DelItemString _HPy_PyObject_DelItemString
#  undef Py_FatalError
#  define Py_FatalError(msg) (PyPy_FatalError(msg), abort())
#endif

#endif /* HPY_CPYTHON_PYCOMPAT_H */
