/* _HPy_Dump. */
#include "hpy_runtime_base.h"

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
