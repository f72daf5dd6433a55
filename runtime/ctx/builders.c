/* HPyListBuilder and HPyTupleBuilder: the object under construction is held
   in the builder itself. Set does not steal the item. New raises nothing
   (HPy 0.9 promises it, so that callers check only the result of Build): a
   builder whose New failed is 0, Set and Cancel ignore it, Build raises
   MemoryError. */
#include "hpy_runtime_base.h"

HPyAPI_IMPL HPyListBuilder ctx_ListBuilder_New(HPyContext *ctx, HPy_ssize_t size)
{
    (void)ctx;
    /* a negative size is refused here: PyPy's PyList_New aborts on it */
    PyObject *list = size < 0 ? NULL : PyList_New(size);
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
    PyObject *old = PyList_GET_ITEM(list, index);
    PyList_SET_ITEM(list, index, Py_NewRef(_h2py(h_item)));
    Py_XDECREF(old);
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
    PyObject *tuple = size < 0 ? NULL : PyTuple_New(size);
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
    PyObject *old = PyTuple_GET_ITEM(tuple, index);
    PyTuple_SET_ITEM(tuple, index, Py_NewRef(_h2py(h_item)));
    Py_XDECREF(old);
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
