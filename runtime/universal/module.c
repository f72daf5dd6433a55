/* hpy_build._runtime: the universal runtime as a Python module. The Python
   face (mode selection, spec creation) is hpy_build/universal.py. */
#include "universal/context.h"
#include "debug/debug_module.h"
#include "trace/trace_module.h"

#ifndef HPY_BUILD_VERSION
#  error "HPY_BUILD_VERSION must be set by the build"
#endif

enum { MODE_UNIVERSAL = 0, MODE_DEBUG = 1, MODE_TRACE = 2 };

static PyObject *load(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"name", "path", "spec", "mode", NULL};
    PyObject *name, *path, *spec;
    int mode = MODE_UNIVERSAL;
    (void)self;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "UUO|i:load", kwlist, &name, &path, &spec, &mode))
        return NULL;
    HPyContext *ctx;
    switch (mode) {
    case MODE_UNIVERSAL: ctx = hpy_runtime_universal_context(); break;
    case MODE_DEBUG: ctx = hpy_debug_context(); break;
    case MODE_TRACE: ctx = hpy_trace_context(); break;
    default:
        PyErr_Format(PyExc_ValueError, "invalid HPy mode %d", mode);
        return NULL;
    }
    if (ctx == NULL)
        return NULL;
    return hpy_runtime_load(name, path, spec, ctx);
}

static PyObject *get_version(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return Py_BuildValue("(ss)", HPY_BUILD_VERSION, HPY_VERSION);
}

static PyMethodDef methods[] = {
    {"load", _HPy_FUNC_CAST(PyCFunction, load), METH_VARARGS | METH_KEYWORDS,
     "load(name, path, spec, mode=0): load the universal HPy module at path."},
    {"get_version", get_version, METH_NOARGS,
     "get_version() -> (hpy_build version, HPy version implemented)"},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *module)
{
    if (PyModule_AddIntConstant(module, "ABI_VERSION", HPY_ABI_VERSION) < 0 ||
        PyModule_AddIntConstant(module, "ABI_VERSION_MINOR", HPY_ABI_VERSION_MINOR) < 0 ||
        PyModule_AddStringConstant(module, "ABI_TAG", HPY_ABI_TAG) < 0)
        return -1;
    PyObject *load_error = hpy_runtime_load_error_type();
    Py_XINCREF(load_error);
    if (load_error == NULL || PyModule_AddObject(module, "HPyLoadError", load_error) < 0) {
        Py_XDECREF(load_error);
        return -1;
    }
    PyObject *debug = hpy_debug_create_module();
    if (debug == NULL || PyModule_AddObject(module, "_debug", debug) < 0) {
        Py_XDECREF(debug);
        return -1;
    }
    PyObject *trace = hpy_trace_create_module();
    if (trace == NULL || PyModule_AddObject(module, "_trace", trace) < 0) {
        Py_XDECREF(trace);
        return -1;
    }
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, _HPy_FUNC_CAST(void *(*)(void), exec_module)},
    {0, NULL},
};

static PyModuleDef runtime_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "hpy_build._runtime",
    .m_doc = "The HPy universal runtime of hpy_build (CPython backend).",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC PyInit__runtime(void)
{
    return PyModuleDef_Init(&runtime_module);
}
