/* HPyDef arrays. HPyDef_METH -> PyMethodDef: the trampoline has CPython's
   calling convention for the signature, so it goes into the table as it is. */
#include "ctx/defs.h"

static int method_flags(HPyFunc_Signature sig)
{
    switch (sig) {
    case HPyFunc_VARARGS: return METH_FASTCALL;
    case HPyFunc_KEYWORDS: return METH_FASTCALL | METH_KEYWORDS;
    case HPyFunc_NOARGS: return METH_NOARGS;
    case HPyFunc_O: return METH_O;
    default: return -1;
    }
}

static Py_ssize_t legacy_count(PyMethodDef *legacy)
{
    Py_ssize_t n = 0;
    while (legacy != NULL && legacy[n].ml_name != NULL)
        n++;
    return n;
}

Py_ssize_t _HPyDef_Count(HPyDef **defines, HPyDef_Kind kind)
{
    Py_ssize_t n = 0;
    for (; defines != NULL && *defines != NULL; defines++)
        n += (*defines)->kind == kind;
    return n;
}

Py_ssize_t _HPyDef_MethodCount(HPyDef **defines, PyMethodDef *legacy)
{
    return _HPyDef_Count(defines, HPyDef_Kind_Meth) + legacy_count(legacy);
}

/* HPy 0.9's ValueError with its exact message; which method and why is
   told by the exception's __cause__. */
static void unsupported_signature(HPyMeth *m)
{
    PyObject *detail = PyUnicode_FromFormat(
        "method '%s' has signature %d: a method must be HPyFunc_VARARGS, HPyFunc_KEYWORDS, "
        "HPyFunc_NOARGS or HPyFunc_O", m->name, (int)m->signature);
    PyObject *cause = detail ? PyObject_CallOneArg(PyExc_ValueError, detail) : NULL;
    PyObject *exc = cause ? PyObject_CallFunction(PyExc_ValueError, "s",
                                                  "Unsupported HPyMeth signature") : NULL;
    Py_XDECREF(detail);
    if (exc == NULL) {
        Py_XDECREF(cause);
        return;     /* that failure's exception is set */
    }
    PyException_SetCause(exc, cause);   /* steals cause */
    PyErr_SetObject(PyExc_ValueError, exc);
    Py_DECREF(exc);
}

int _HPyDef_FillMethods(HPyDef **defines, PyMethodDef *legacy, PyMethodDef *out)
{
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; defines != NULL && defines[i] != NULL; i++) {
        HPyMeth *m = &defines[i]->meth;
        if (defines[i]->kind != HPyDef_Kind_Meth)
            continue;
        int flags = method_flags(m->signature);
        if (flags < 0) {
            unsupported_signature(m);
            return -1;
        }
        PyMethodDef def = { m->name, _HPy_FUNC_CAST(PyCFunction, m->cpy_trampoline), flags, m->doc };
        out[j++] = def;
    }
    for (Py_ssize_t i = 0, n = legacy_count(legacy); i < n; i++)
        out[j++] = legacy[i];
    PyMethodDef sentinel = { NULL, NULL, 0, NULL };
    out[j] = sentinel;
    return 0;
}
