"""ABI 0.1: the members HPy added after 0.9, offered behind one opt-in
(HPY_ENABLE_ABI_0_1). A module that opts in requires ABI 0.1; one that does
not requires 0.0 and does not see the new names. Our runtime implements 0.1."""
import ctypes
import re
import sys
from pathlib import Path

import pytest

import hpy_build.universal
from hpy_build import _runtime
from support import compile as hpy_compile

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # for tools.autogen, after the installed packages
from tools.autogen import spec as api_spec  # noqa: E402

OPT_IN = ['-DHPY_ENABLE_ABI_0_1']

# Uses a new function, a new handle, the new slot and the new shape.
LATER = r'''
HPyDef_METH(insert_front, "insert_front", HPyFunc_VARARGS)
static HPy insert_front_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (HPyList_Insert(ctx, args[0], 0, args[1]) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_DictType);
}

HPyDef_SLOT(descr, HPy_tp_descr_get)
static HPy descr_impl(HPyContext *ctx, HPy self, HPy obj, HPy type)
{
    return HPy_Dup(ctx, self);
}

HPyDef_METH(constants, "constants", HPyFunc_NOARGS)
static HPy constants_impl(HPyContext *ctx, HPy self)
{
    return HPy_BuildValue(ctx, "ii", (int)descr.slot.slot, (int)HPyType_BuiltinShape_Dict);
}
@EXPORT(insert_front)
@EXPORT(constants)
@INIT
'''

PLAIN = r'''
HPyDef_METH(f, "f", HPyFunc_NOARGS)
static HPy f_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 42); }
@EXPORT(f)
@INIT
'''


def required_version(name, path):
    lib = ctypes.CDLL(str(path))
    major = getattr(lib, f'get_required_hpy_major_version_{name}')
    minor = getattr(lib, f'get_required_hpy_minor_version_{name}')
    major.restype = minor.restype = ctypes.c_uint32
    return major(), minor()


def test_runtime_implements_abi_0_1():
    assert (_runtime.ABI_VERSION, _runtime.ABI_VERSION_MINOR) == (0, 1)
    assert hpy_build.universal.get_abi_version() == (0, 1)
    # the latest minor version the API spec knows
    assert _runtime.ABI_VERSION_MINOR == api_spec.parse().abi_minor


def test_module_without_the_opt_in_requires_0_0(tmp_path):
    name, path = hpy_compile.build(PLAIN, 'universal', tmp_path)
    assert required_version(name, path) == (0, 0)
    assert hpy_build.universal.load(name, str(path)).f() == 42


def test_module_with_the_opt_in_requires_0_1_and_loads(tmp_path):
    name, path = hpy_compile.build(LATER, 'universal', tmp_path, extra_cflags=OPT_IN)
    assert required_version(name, path) == (0, 1)
    mod = hpy_build.universal.load(name, str(path))
    lst = [1]
    assert mod.insert_front(lst, 0) is dict
    assert lst == [0, 1]
    assert mod.constants() == (54, 7)


def test_opt_in_in_the_cpython_abi(tmp_path):
    name, path = hpy_compile.build(LATER, 'cpython', tmp_path, extra_cflags=OPT_IN)
    mod = hpy_compile.load(name, path, 'cpython')
    lst = ['b']
    assert mod.insert_front(lst, 'a') is dict and lst == ['a', 'b']
    assert mod.constants() == (54, 7)


@pytest.mark.parametrize('abi', ['cpython', 'universal', 'hybrid'])
def test_opt_in_by_a_define_before_hpy_h(tmp_path, abi):
    source = '#define HPY_ENABLE_ABI_0_1\n#include <hpy.h>\n' + LATER
    name, path = hpy_compile.build(source, abi, tmp_path)
    if abi != 'cpython':
        assert required_version(name, path) == (0, 1)
    assert hpy_compile.load(name, path, abi).constants() == (54, 7)


@pytest.mark.parametrize('abi', ['cpython', 'universal'])
def test_opt_in_headers_compile_as_cplusplus(tmp_path, abi):
    name, path = hpy_compile.build(LATER, abi, tmp_path, extra_cflags=OPT_IN, cplusplus=True)
    assert hpy_compile.load(name, path, abi).constants() == (54, 7)


# Calls the tp_descr_get trampoline as CPython does: obj is NULL for an
# attribute looked up on the class.
DESCR_GET = r'''
HPyDef_SLOT(descr, HPy_tp_descr_get)
static HPy descr_impl(HPyContext *ctx, HPy self, HPy obj, HPy type)
{
    return HPy_BuildValue(ctx, "OOO", self, HPy_IsNull(obj) ? ctx->h_None : obj,
                          HPy_IsNull(type) ? ctx->h_None : type);
}

/* (self, obj or None for NULL, type) */
HPyDef_METH(call_descr_get, "call_descr_get", HPyFunc_VARARGS)
static HPy call_descr_get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    typedef PyObject *(*descrgetfunc_t)(PyObject *, PyObject *, PyObject *);
    PyObject *s = HPy_AsPyObject(ctx, args[0]), *t = HPy_AsPyObject(ctx, args[2]);
    PyObject *o = HPy_Is(ctx, args[1], ctx->h_None) ? NULL : HPy_AsPyObject(ctx, args[1]);
    PyObject *r = _HPy_FUNC_CAST(descrgetfunc_t, descr.slot.cpy_trampoline)(s, o, t);
    Py_DECREF(s);
    Py_XDECREF(o);
    Py_DECREF(t);
    if (r == NULL)
        return HPy_NULL;
    HPy result = HPy_FromPyObject(ctx, r);
    Py_DECREF(r);
    return result;
}
@EXPORT(call_descr_get)
@INIT
'''


@pytest.mark.parametrize('abi', ['cpython', 'hybrid'])
def test_descr_get_slot_trampoline(tmp_path, abi):
    name, path = hpy_compile.build(DESCR_GET, abi, tmp_path, extra_cflags=OPT_IN)
    mod = hpy_compile.load(name, path, abi)
    owner, instance = type('Owner', (), {}), object()
    assert mod.call_descr_get('d', instance, owner) == ('d', instance, owner)
    assert mod.call_descr_get('d', None, owner) == ('d', None, owner)


# Each uses one name added after HPy 0.9; (snippet, what the compiler names).
UNDECLARED = {
    'function': ('static int g(HPyContext *ctx, HPy l) { return HPyList_Insert(ctx, l, 0, l); }',
                 'HPyList_Insert'),
    'iteration': ('static HPy g(HPyContext *ctx, HPy o) { return HPyIter_Next(ctx, HPy_GetIter(ctx, o)); }',
                  'HPy_GetIter'),
    'handle': ('static HPy g(HPyContext *ctx) { return ctx->h_DictType; }', 'h_DictType'),
    'slot': ('static int g(void) { return HPy_tp_descr_get; }', 'HPy_tp_descr_get'),
    'shape': ('static int g(void) { return HPyType_BuiltinShape_Dict; }', 'HPyType_BuiltinShape_Dict'),
}


@pytest.mark.parametrize('abi', ['cpython', 'universal'])
@pytest.mark.parametrize('what', sorted(UNDECLARED))
def test_later_names_are_not_declared_without_the_opt_in(tmp_path, abi, what):
    snippet, name = UNDECLARED[what]
    source = snippet + '\nHPyDef_METH(f, "f", HPyFunc_NOARGS)\n' \
        'static HPy f_impl(HPyContext *ctx, HPy self) { (void)g; return HPy_Dup(ctx, ctx->h_None); }\n' \
        '@EXPORT(f)\n@INIT\n'
    with pytest.raises(hpy_compile.CompileError) as info:
        hpy_compile.build(source, abi, tmp_path)
    # named in a diagnostic (quoted, ASCII or not), not just echoed source
    assert re.search(rf"['\u2018]{name}['\u2019]", str(info.value)), str(info.value)
    # and the same source is fine with the opt-in
    hpy_compile.build(source, abi, tmp_path, extra_cflags=OPT_IN)
