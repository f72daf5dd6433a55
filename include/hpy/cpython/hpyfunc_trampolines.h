/* CPython ABI: the @manual trampolines (see api/hpy.api). A handle is the
   PyObject *, so each calls the implementation directly. */
#ifndef HPY_CPYTHON_HPYFUNC_TRAMPOLINES_H
#define HPY_CPYTHON_HPYFUNC_TRAMPOLINES_H

#define _HPyFunc_TRAMPOLINE_HPyFunc_VARARGS(SYM, IMPL)                         \
    static PyObject *SYM(PyObject *self, PyObject *const *args, Py_ssize_t nargs) \
    {                                                                          \
        return _h2py(((HPyFunc_varargs)(IMPL))(_HPyGetContext(), _py2h(self),  \
                                               _arr_py2h(args), (size_t)nargs)); \
    }

/* Also used for HPy_tp_call, called by vectorcall: strip the offset flag. */
#define _HPyFunc_TRAMPOLINE_HPyFunc_KEYWORDS(SYM, IMPL)                        \
    static PyObject *SYM(PyObject *self, PyObject *const *args, size_t nargsf, \
                         PyObject *kwnames)                                    \
    {                                                                          \
        return _h2py(((HPyFunc_keywords)(IMPL))(_HPyGetContext(), _py2h(self), \
                     _arr_py2h(args), (size_t)PyVectorcall_NARGS(nargsf),      \
                     _py2h(kwnames)));                                         \
    }

/* A tuple's items are contiguous PyObject *, i.e. an array of handles. */
#define _HPyFunc_TRAMPOLINE_HPyFunc_INITPROC(SYM, IMPL)                        \
    static int SYM(PyObject *self, PyObject *args, PyObject *kw)               \
    {                                                                          \
        return ((HPyFunc_initproc)(IMPL))(_HPyGetContext(), _py2h(self),       \
                _arr_py2h(&PyTuple_GET_ITEM(args, 0)), PyTuple_GET_SIZE(args), \
                _py2h(kw));                                                    \
    }

#define _HPyFunc_TRAMPOLINE_HPyFunc_NEWFUNC(SYM, IMPL)                         \
    static PyObject *SYM(PyObject *type, PyObject *args, PyObject *kw)         \
    {                                                                          \
        return _h2py(((HPyFunc_newfunc)(IMPL))(_HPyGetContext(), _py2h(type),  \
                _arr_py2h(&PyTuple_GET_ITEM(args, 0)), PyTuple_GET_SIZE(args), \
                _py2h(kw)));                                                   \
    }

#define _HPyFunc_TRAMPOLINE_HPyFunc_RICHCMPFUNC(SYM, IMPL)                     \
    static PyObject *SYM(PyObject *self, PyObject *obj, int op)                \
    {                                                                          \
        return _h2py(((HPyFunc_richcmpfunc)(IMPL))(_HPyGetContext(),           \
                     _py2h(self), _py2h(obj), (HPy_RichCmpOp)op));             \
    }

/* HPy_buffer differs from Py_buffer only in holding a handle. */
#define _HPyFunc_TRAMPOLINE_HPyFunc_GETBUFFERPROC(SYM, IMPL)                   \
    static int SYM(PyObject *self, Py_buffer *view, int flags)                 \
    {                                                                          \
        return ((HPyFunc_getbufferproc)(IMPL))(_HPyGetContext(), _py2h(self),  \
                                               (HPy_buffer *)view, flags);     \
    }

#define _HPyFunc_TRAMPOLINE_HPyFunc_RELEASEBUFFERPROC(SYM, IMPL)               \
    static void SYM(PyObject *self, Py_buffer *view)                           \
    {                                                                          \
        ((HPyFunc_releasebufferproc)(IMPL))(_HPyGetContext(), _py2h(self),     \
                                            (HPy_buffer *)view);               \
    }

/* HPy_tp_traverse: HPy's visit takes a pointer to the field, CPython's the
   object. The helper library's tp_traverse and tp_clear call this "field
   walker" with the object's struct: with CPython's visit function it visits
   the object of each field, with NULL it closes each field. Both adaptors
   inline into it, and so does the implementation where it is small. */
_HPy_UNUSED static inline int _HPy_CloseField(HPyField *field, void *arg)
{
    PyObject *obj = (PyObject *)field->_i;   /* (_hf2py: handles.h comes later) */
    (void)arg;
    *field = HPyField_NULL;
    Py_XDECREF(obj);
    return 0;
}

#define _HPyFunc_TRAMPOLINE_HPyFunc_TRAVERSEPROC(SYM, IMPL)                    \
    static int SYM(void *data, visitproc visit, void *arg)                     \
    {                                                                          \
        _HPyCPyVisit v = { visit, arg };                                       \
        if (visit == NULL)                                                     \
            return ((HPyFunc_traverseproc)(IMPL))(data, _HPy_CloseField, NULL); \
        return ((HPyFunc_traverseproc)(IMPL))(data, _HPy_VisitFieldObject, &v); \
    }

#define _HPyFunc_TRAMPOLINE_HPyFunc_MOD_CREATE(SYM, IMPL)                      \
    static PyObject *SYM(PyObject *spec, PyModuleDef *def)                     \
    {                                                                          \
        (void)def;                                                             \
        return _HPyModule_CheckCreateResult(_h2py(                             \
            ((HPyFunc_mod_create)(IMPL))(_HPyGetContext(), _py2h(spec))));     \
    }

/* HPy_tp_finalize: a finalizer runs while any exception may be set (the
   code that dropped the last reference may be raising), and must leave it
   as it was, as CPython's own slot_tp_finalize does. */
#define _HPyFunc_TRAMPOLINE_HPyFunc_DESTRUCTOR(SYM, IMPL)                      \
    static void SYM(PyObject *self)                                            \
    {                                                                          \
        _HPyPendingError pending;                                              \
        _HPy_FinalizerEnter(&pending);                                         \
        ((HPyFunc_destructor)(IMPL))(_HPyGetContext(), _py2h(self));           \
        _HPy_FinalizerLeave(&pending, self);                                   \
    }

#define _HPyFunc_TRAMPOLINE_HPyFunc_DESTROYFUNC(SYM, IMPL) \
    static void SYM(void) { abort(); }

#define HPyCapsule_DESTRUCTOR_TRAMPOLINE(SYM, IMPL)                            \
    static void SYM(PyObject *capsule)                                         \
    {                                                                          \
        _HPy_CallCapsuleDestructor(IMPL, capsule);                             \
    }

/* In the helper library (runtime/ctx/). */
_HPy_HIDDEN PyObject *_HPyModule_CheckCreateResult(PyObject *result);
typedef struct { PyObject *type, *value, *traceback; } _HPyPendingError;
_HPy_HIDDEN void _HPy_FinalizerEnter(_HPyPendingError *pending);
_HPy_HIDDEN void _HPy_FinalizerLeave(_HPyPendingError *pending, PyObject *self);
_HPy_HIDDEN void _HPy_CallCapsuleDestructor(HPyFunc_capsule_destructor impl, PyObject *capsule);

#endif /* HPY_CPYTHON_HPYFUNC_TRAMPOLINES_H */
