/* HPyListBuilder and HPyTupleBuilder, @inline in api/hpy.api (included by
   ctx_inline.h): inlined into CPython-ABI modules, so that building a tuple
   costs what PyTuple_New and PyTuple_SET_ITEM cost, and compiled into the
   universal runtime. The object under construction is held in the builder
   itself. Set does not steal the item. New raises nothing (HPy 0.9
   promises it, so that callers check only the result of Build): a builder
   whose New failed is 0, Set and Cancel ignore it, Build raises
   MemoryError. Set fills each index once, as PyList_SET_ITEM and
   PyTuple_SET_ITEM do (and HPy 0.9): it does not look for an item to
   release. Needs Python.h and hpy/cpython/handles.h. */
#ifndef HPY_CPYTHON_BUILDERS_H
#define HPY_CPYTHON_BUILDERS_H

/* CPython's PyList_New and PyTuple_New refuse a negative size with
   SystemError (which New clears); PyPy's abort, so it is refused first. */
#ifdef PYPY_VERSION
#  define _HPyBuilder_NEGATIVE(size) ((size) < 0)
#else
#  define _HPyBuilder_NEGATIVE(size) 0
#endif

/* The new list or tuple as a builder, or 0 with no exception set. */
static inline intptr_t _HPyBuilder_Made(PyObject *obj)
{
    if (obj == NULL)
        PyErr_Clear();      /* Build reports it */
    return (intptr_t)obj;
}

_HPy_CTX_INLINE HPyListBuilder ctx_ListBuilder_New(HPyContext *ctx, HPy_ssize_t size)
{
    (void)ctx;
    PyObject *obj = _HPyBuilder_NEGATIVE(size) ? NULL : PyList_New(size);
    return (HPyListBuilder){ _HPyBuilder_Made(obj) };
}

_HPy_CTX_INLINE void ctx_ListBuilder_Set(HPyContext *ctx, HPyListBuilder builder,
                                         HPy_ssize_t index, HPy h_item)
{
    (void)ctx;
    PyObject *list = (PyObject *)builder._lst;
    if (list == NULL)
        return;
    PyList_SET_ITEM(list, index, Py_NewRef(_h2py(h_item)));
}

_HPy_CTX_INLINE HPy ctx_ListBuilder_Build(HPyContext *ctx, HPyListBuilder builder)
{
    (void)ctx;
    if (builder._lst == 0)
        return _py2h(PyErr_NoMemory());
    return _py2h((PyObject *)builder._lst);
}

_HPy_CTX_INLINE void ctx_ListBuilder_Cancel(HPyContext *ctx, HPyListBuilder builder)
{
    (void)ctx;
    Py_XDECREF((PyObject *)builder._lst);
}

_HPy_CTX_INLINE HPyTupleBuilder ctx_TupleBuilder_New(HPyContext *ctx, HPy_ssize_t size)
{
    (void)ctx;
    PyObject *obj = _HPyBuilder_NEGATIVE(size) ? NULL : PyTuple_New(size);
    return (HPyTupleBuilder){ _HPyBuilder_Made(obj) };
}

_HPy_CTX_INLINE void ctx_TupleBuilder_Set(HPyContext *ctx, HPyTupleBuilder builder,
                                          HPy_ssize_t index, HPy h_item)
{
    (void)ctx;
    PyObject *tuple = (PyObject *)builder._tup;
    if (tuple == NULL)
        return;
    PyTuple_SET_ITEM(tuple, index, Py_NewRef(_h2py(h_item)));
}

_HPy_CTX_INLINE HPy ctx_TupleBuilder_Build(HPyContext *ctx, HPyTupleBuilder builder)
{
    (void)ctx;
    if (builder._tup == 0)
        return _py2h(PyErr_NoMemory());
    return _py2h((PyObject *)builder._tup);
}

_HPy_CTX_INLINE void ctx_TupleBuilder_Cancel(HPyContext *ctx, HPyTupleBuilder builder)
{
    (void)ctx;
    Py_XDECREF((PyObject *)builder._tup);
}

#endif /* HPY_CPYTHON_BUILDERS_H */
