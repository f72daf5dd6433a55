/* HPyListBuilder and HPyTupleBuilder: the object under construction is held
   in the builder itself. Set does not steal the item. New raises nothing
   (HPy 0.9 promises it, so that callers check only the result of Build): a
   builder whose New failed is 0, Set and Cancel ignore it, Build raises
   MemoryError. Set fills each index once, as PyList_SET_ITEM and
   PyTuple_SET_ITEM do (and HPy 0.9): it does not look for an item to
   release, which would cost every call three instructions. */
#include "hpy_runtime_base.h"

/* CPython's PyList_New and PyTuple_New refuse a negative size with
   SystemError (which New clears); PyPy's abort, so it is refused first. */
#ifdef PYPY_VERSION
#  define NEGATIVE_SIZE(size) ((size) < 0)
#else
#  define NEGATIVE_SIZE(size) 0
#endif

HPyAPI_IMPL HPyListBuilder ctx_ListBuilder_New(HPyContext *ctx, HPy_ssize_t size)
{
    (void)ctx;
    PyObject *list = NEGATIVE_SIZE(size) ? NULL : PyList_New(size);
    if (list == NULL)
        PyErr_Clear();      /* Build reports it */
    return (HPyListBuilder){ (intptr_t)list };
}

HPyAPI_IMPL void ctx_ListBuilder_Set(HPyContext *ctx, HPyListBuilder builder,
                                     HPy_ssize_t index, HPy h_item)
{
    (void)ctx;
    PyObject *list = (PyObject *)builder._lst;
    if (list == NULL)
        return;
    PyList_SET_ITEM(list, index, Py_NewRef(_h2py(h_item)));
}

HPyAPI_IMPL HPy ctx_ListBuilder_Build(HPyContext *ctx, HPyListBuilder builder)
{
    (void)ctx;
    if (builder._lst == 0)
        return _py2h(PyErr_NoMemory());
    return _py2h((PyObject *)builder._lst);
}

HPyAPI_IMPL void ctx_ListBuilder_Cancel(HPyContext *ctx, HPyListBuilder builder)
{
    (void)ctx;
    Py_XDECREF((PyObject *)builder._lst);
}

HPyAPI_IMPL HPyTupleBuilder ctx_TupleBuilder_New(HPyContext *ctx, HPy_ssize_t size)
{
    (void)ctx;
    PyObject *tuple = NEGATIVE_SIZE(size) ? NULL : PyTuple_New(size);
    if (tuple == NULL)
        PyErr_Clear();      /* Build reports it */
    return (HPyTupleBuilder){ (intptr_t)tuple };
}

HPyAPI_IMPL void ctx_TupleBuilder_Set(HPyContext *ctx, HPyTupleBuilder builder,
                                      HPy_ssize_t index, HPy h_item)
{
    (void)ctx;
    PyObject *tuple = (PyObject *)builder._tup;
    if (tuple == NULL)
        return;
    PyTuple_SET_ITEM(tuple, index, Py_NewRef(_h2py(h_item)));
}

HPyAPI_IMPL HPy ctx_TupleBuilder_Build(HPyContext *ctx, HPyTupleBuilder builder)
{
    (void)ctx;
    if (builder._tup == 0)
        return _py2h(PyErr_NoMemory());
    return _py2h((PyObject *)builder._tup);
}

HPyAPI_IMPL void ctx_TupleBuilder_Cancel(HPyContext *ctx, HPyTupleBuilder builder)
{
    (void)ctx;
    Py_XDECREF((PyObject *)builder._tup);
}
