/* Handles on CPython are the PyObject * itself, in the CPython ABI and in
   hpy_build's universal runtime alike: conversions cost nothing, and an
   array of handles is an array of PyObject *. Needs Python.h. */
#ifndef HPY_CPYTHON_HANDLES_H
#define HPY_CPYTHON_HANDLES_H

static inline PyObject *_h2py(HPy h) { return (PyObject *)h._i; }
static inline HPy _py2h(PyObject *o) { return _hconv((intptr_t)o); }
static inline PyObject *_hf2py(HPyField f) { return (PyObject *)f._i; }
static inline HPyField _py2hf(PyObject *o) { return _hfconv((intptr_t)o); }
static inline PyObject *_hg2py(HPyGlobal g) { return (PyObject *)g._i; }
static inline HPyGlobal _py2hg(PyObject *o) { return _hgconv((intptr_t)o); }
static inline PyThreadState *_h2threads(HPyThreadState t) { return (PyThreadState *)t._i; }
static inline HPyThreadState _threads2h(PyThreadState *s) { return _htsconv((intptr_t)s); }
static inline PyObject *const *_arr_h2py(const HPy *h) { return (PyObject *const *)h; }
static inline const HPy *_arr_py2h(PyObject *const *o) { return (const HPy *)o; }

#endif /* HPY_CPYTHON_HANDLES_H */
