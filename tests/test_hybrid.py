"""The hybrid ABI: universal plus the legacy C API, tied to one CPython."""
import hpy_build.universal
from hpy_build import _abi

SOURCE = '''
#include <Python.h>

/* a legacy method, written on the C API */
static PyObject *legacy_twice(PyObject *self, PyObject *arg)
{
    return PyNumber_Add(arg, arg);
}
static PyMethodDef legacy_methods[] = {
    {"twice", legacy_twice, METH_O, "legacy"},
    {NULL, NULL, 0, NULL},
};

/* HPy code crossing into the C API and back */
HPyDef_METH(roundtrip, "roundtrip", HPyFunc_O)
static HPy roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *obj = HPy_AsPyObject(ctx, arg);
    HPy result = HPy_FromPyObject(ctx, obj);
    Py_DECREF(obj);
    return result;
}

static HPyDef *defines[] = { &roundtrip, NULL };
static HPyModuleDef def = { .legacy_methods = legacy_methods, .defines = defines };
HPy_MODINIT(@NAME@, def)
'''


def test_hybrid_module_mixes_hpy_and_the_c_api(compile_module):
    from support import compile as hpy_compile
    name = hpy_compile.unique_name('hybrid')
    _, path = compile_module(SOURCE.replace('@NAME@', name), 'hybrid', name=name)
    assert path.name.endswith(_abi.ext_suffix('hybrid'))   # e.g. .hpy0-cp311.so
    mod = hpy_build.universal.load(name, str(path))
    assert mod.twice(21) == 42
    obj = object()
    assert mod.roundtrip(obj) is obj
