/* cgmark.dump(label): ends a callgrind measurement segment (a dump named
   label) so that one valgrind run measures every case.
   cgmark.measure(callable, args, label): calls callable(*args) between the
   zeroing of callgrind's counters and a dump named label, so that the dump
   holds that call and nothing of the Python code around it (whose bytecode
   the interpreter specializes at moments of its own; benchmarks/api_sweep.py).
   Both are no-ops (but for the call) outside valgrind. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <valgrind/callgrind.h>

static PyObject *dump(PyObject *self, PyObject *label)
{
    const char *s = PyUnicode_AsUTF8(label);
    if (s == NULL)
        return NULL;
    CALLGRIND_DUMP_STATS_AT(s);
    Py_RETURN_NONE;
}

static PyObject *measure(PyObject *self, PyObject *args)
{
    PyObject *callable, *call_args;
    const char *label;
    (void)self;
    if (!PyArg_ParseTuple(args, "OO!s", &callable, &PyTuple_Type, &call_args, &label))
        return NULL;
    CALLGRIND_ZERO_STATS;
    PyObject *result = PyObject_Call(callable, call_args, NULL);
    CALLGRIND_DUMP_STATS_AT(label);
    if (result == NULL)
        return NULL;
    Py_DECREF(result);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"dump", dump, METH_O, NULL},
    {"measure", measure, METH_VARARGS, NULL},
    {NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cgmark", NULL, 0, methods};
PyMODINIT_FUNC PyInit_cgmark(void) { return PyModule_Create(&def); }
