/* cgmark.dump(label): ends a callgrind measurement segment (a dump named
   label) so that one valgrind run measures every case. A no-op outside
   valgrind. */
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

static PyMethodDef methods[] = {{"dump", dump, METH_O, NULL}, {NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "cgmark", NULL, 0, methods};
PyMODINIT_FUNC PyInit_cgmark(void) { return PyModule_Create(&def); }
