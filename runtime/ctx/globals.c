/* HPyGlobal (a handle stored in a C global, owning its object) and _HPy_Dump. */
#include "hpy_runtime_base.h"

HPyAPI_IMPL void ctx_Global_Store(HPyContext *ctx, HPyGlobal *global, HPy h)
{
    (void)ctx;
    PyObject *old = _hg2py(*global);
    *global = _py2hg(Py_XNewRef(_h2py(h)));
    Py_XDECREF(old);
}

HPyAPI_IMPL HPy ctx_Global_Load(HPyContext *ctx, HPyGlobal global)
{
    (void)ctx;
    return _py2h(Py_XNewRef(_hg2py(global)));
}

/* A debugging aid: what the object is, on stderr. */
HPyAPI_IMPL void ctx_Dump(HPyContext *ctx, HPy h)
{
    (void)ctx;
    PyObject *obj = _h2py(h);
    fprintf(stderr, "object address  : %p\n", (void *)obj);
    if (obj == NULL)
        return;
    fprintf(stderr, "object refcount : %ld\n", (long)Py_REFCNT(obj));
    fprintf(stderr, "object type name: %s\n", Py_TYPE(obj)->tp_name);
    fprintf(stderr, "object repr     : ");
    fflush(stderr);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (PyObject_Print(obj, stderr, 0) < 0)
        PyErr_Clear();
    PyErr_Restore(type, value, tb);
    fprintf(stderr, "\n");
}
