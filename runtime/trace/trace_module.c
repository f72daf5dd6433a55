/* hpy_build._runtime._trace (hpy_build.universal._trace): what the trace
   mode measured, with HPy 0.9's names (hpy.universal._trace). */
#include "trace/trace_internal.h"
#include "trace/trace_module.h"

/* {function name: value} for every context function. */
static PyObject *per_function(int durations)
{
    HPyTraceInfo *info = hpy_trace_info();
    if (info == NULL)
        return NULL;
    PyObject *result = PyDict_New();
    for (int i = 0; result != NULL && i < HPY_TRACE_NMEMBERS; i++) {
        if (hpy_trace_names[i][0] == '\0')
            continue;       /* a handle */
        PyObject *value = durations ? PyLong_FromLongLong(info->durations[i])
                                    : PyLong_FromUnsignedLongLong(info->call_counts[i]);
        if (value == NULL || PyDict_SetItemString(result, hpy_trace_names[i], value) < 0)
            Py_CLEAR(result);
        Py_XDECREF(value);
    }
    return result;
}

static PyObject *get_call_counts(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    return per_function(0);
}

static PyObject *get_durations(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    return per_function(1);
}

static PyObject *get_frequency(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    return PyLong_FromLong(1000000000L);     /* durations are in nanoseconds */
}

/* Not given: unchanged; None: cleared; else the (checked) callable. */
static void set_func(PyObject **slot, PyObject *arg)
{
    if (arg == NULL)
        return;
    PyObject *old = *slot;
    *slot = arg == Py_None ? NULL : Py_NewRef(arg);
    Py_XDECREF(old);
}

static PyObject *set_trace_functions(PyObject *module, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = {"on_enter", "on_exit", NULL};
    PyObject *on_enter = NULL, *on_exit = NULL;
    (void)module;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|OO:set_trace_functions", kwlist,
                                     &on_enter, &on_exit))
        return NULL;
    HPyTraceInfo *info = hpy_trace_info();
    if (info == NULL)
        return NULL;
    /* both checked before either is set */
    if ((on_enter != NULL && on_enter != Py_None && !PyCallable_Check(on_enter)) ||
        (on_exit != NULL && on_exit != Py_None && !PyCallable_Check(on_exit))) {
        PyErr_SetString(PyExc_TypeError, "Expected a callable object or None");
        return NULL;
    }
    set_func(&info->on_enter, on_enter);
    set_func(&info->on_exit, on_exit);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get_call_counts", get_call_counts, METH_NOARGS,
     "{name: calls} of every context function, since the start."},
    {"get_durations", get_durations, METH_NOARGS,
     "{name: nanoseconds} spent in every context function, since the start."},
    {"get_frequency", get_frequency, METH_NOARGS, "Resolution of the used clock in Hertz."},
    {"set_trace_functions", _HPy_FUNC_CAST(PyCFunction, set_trace_functions),
     METH_VARARGS | METH_KEYWORDS,
     "set_trace_functions(on_enter=..., on_exit=...): call these with the function's name "
     "when a context function is entered / exited; None clears one, omitted leaves it."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef trace_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "hpy_build.universal._trace",
    .m_doc = "What HPy's trace mode measured (as hpy.universal._trace in HPy 0.9).",
    .m_size = 0,
    .m_methods = methods,
};

PyObject *hpy_trace_create_module(void)
{
    return PyModule_Create(&trace_module);
}
