/* A hybrid module: HPy code beside a method written on the C API. */
#include <Python.h>
#include "hpy.h"

static PyObject *twice(PyObject *self, PyObject *arg)
{
    return PyNumber_Add(arg, arg);
}

static PyMethodDef legacy_methods[] = {
    {"twice", twice, METH_O, "twice(x) = x + x, on the C API"},
    {NULL, NULL, 0, NULL},
};

static HPyModuleDef moduledef = { .doc = "Legacy code", .legacy_methods = legacy_methods };

HPy_MODINIT(_legacy, moduledef)
