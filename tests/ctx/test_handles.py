"""Handles: HPy_Dup/HPy_Close, the context's constant handles (taken from
api/hpy.api), _HPy_Dump, and HPy_FromPyObject/HPy_AsPyObject (the legacy
bridge, in the CPython and hybrid ABIs)."""
import builtins
import datetime
import sys
from pathlib import Path

import pytest

from support import compile as hpy_compile
from support.compile import CompileError

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))  # for tools.autogen, after the installed packages
from tools.autogen import spec as api_spec  # noqa: E402

# HPy 0.9's (the later h_DictType of ABI 0.1: test_later_members.py)
HANDLES = [h for h in api_spec.parse().handles if h.since == 0]

# The Python object each handle must be, by the handle's name: exceptions are
# the builtin of the same name, the rest is listed here (so that a wrong
# expression in api/hpy.api shows).
NOT_BY_NAME = {
    'None': None, 'True': True, 'False': False,
    'NotImplemented': NotImplemented, 'Ellipsis': Ellipsis,
    'BaseObjectType': object, 'TypeType': type, 'BoolType': bool,
    'LongType': int, 'FloatType': float, 'UnicodeType': str,
    'TupleType': tuple, 'ListType': list, 'ComplexType': complex,
    'BytesType': bytes, 'MemoryViewType': memoryview,
    'SliceType': slice,
    'Builtins': builtins.__dict__,
    # a capsule CPython makes (PyPy has none to show: NoneType, a known failure there)
    'CapsuleType': type(getattr(datetime, 'datetime_CAPI', None)),
}


def expected_object(name):
    if name in NOT_BY_NAME:
        return NOT_BY_NAME[name]
    obj = getattr(builtins, name)
    assert isinstance(obj, type) and issubclass(obj, BaseException), name
    return obj


def _handles_source():
    sets = '\n'.join(f'    HPyTupleBuilder_Set(ctx, b, {i}, ctx->h_{h.name});'
                     for i, h in enumerate(HANDLES))
    return f'''
/* every constant handle of the context, in ABI order */
HPyDef_METH(constants, "constants", HPyFunc_NOARGS)
static HPy constants_impl(HPyContext *ctx, HPy self)
{{
    HPyTupleBuilder b = HPyTupleBuilder_New(ctx, {len(HANDLES)});
{sets}
    return HPyTupleBuilder_Build(ctx, b);
}}
'''


SOURCE = _handles_source() + r'''
static HPy held[16];
static int n_held;

/* keep a duplicate of arg until release() */
HPyDef_METH(hold, "hold", HPyFunc_O)
static HPy hold_impl(HPyContext *ctx, HPy self, HPy arg)
{
    if (n_held == 16)
        return HPyErr_SetString(ctx, ctx->h_RuntimeError, "too many");
    held[n_held++] = HPy_Dup(ctx, arg);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(release, "release", HPyFunc_NOARGS)
static HPy release_impl(HPyContext *ctx, HPy self)
{
    while (n_held > 0)
        HPy_Close(ctx, held[--n_held]);
    return HPy_Dup(ctx, ctx->h_None);
}

/* A duplicate is a handle to the same object; closing it leaves arg valid. */
HPyDef_METH(dup_then_close, "dup_then_close", HPyFunc_O)
static HPy dup_then_close_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy d = HPy_Dup(ctx, arg);
    int same = HPy_Is(ctx, d, arg);
    HPy_Close(ctx, d);
    HPy_Close(ctx, HPy_NULL);            /* closing the null handle does nothing */
    HPy again = HPy_Dup(ctx, arg);       /* arg itself is still usable */
    HPy result = HPyBool_FromBool(ctx, same && HPy_Is(ctx, again, arg));
    HPy_Close(ctx, again);
    return result;
}

/* Closing a duplicate of a constant handle leaves the constant valid. */
HPyDef_METH(dup_constants, "dup_constants", HPyFunc_NOARGS)
static HPy dup_constants_impl(HPyContext *ctx, HPy self)
{
    for (int i = 0; i < 1000; i++) {
        HPy_Close(ctx, HPy_Dup(ctx, ctx->h_None));
        HPy_Close(ctx, HPy_Dup(ctx, ctx->h_ValueError));
        HPy_Close(ctx, HPy_Dup(ctx, ctx->h_Builtins));
    }
    return HPy_GetItem_s(ctx, ctx->h_Builtins, "len");
}

/* raise type(message) through the context's handle for it */
HPyDef_METH(raise_by_handle, "raise_by_handle", HPyFunc_O)
static HPy raise_by_handle_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPyErr_SetString(ctx, arg, "raised through a context handle");
}

HPyDef_METH(dump, "dump", HPyFunc_O)
static HPy dump_impl(HPyContext *ctx, HPy self, HPy arg)
{
    _HPy_Dump(ctx, arg);
    return HPy_Dup(ctx, ctx->h_None);
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def test_every_constant_handle_is_its_object(mod):
    values = mod.constants()
    assert len(values) == len(HANDLES) == 83
    for handle, value in zip(HANDLES, values):
        assert value is expected_object(handle.name), f'ctx->h_{handle.name}'


def test_builtins_handle(mod):
    assert mod.constants()[[h.name for h in HANDLES].index('Builtins')] is builtins.__dict__
    assert mod.dup_constants() is len


EXCEPTION_HANDLES = [h.name for h in HANDLES if h.name not in NOT_BY_NAME]


@pytest.mark.parametrize('handle', EXCEPTION_HANDLES)
def test_exception_handles_raise_their_exception(mod, handle):
    exc_type = mod.constants()[[h.name for h in HANDLES].index(handle)]
    message = 'raised through a context handle'
    try:        # what Python gives for exc_type(message) (some types need more arguments)
        expected = type(exc_type(message))
    except Exception as e:
        expected = type(e)
    with pytest.raises(BaseException) as info:
        mod.raise_by_handle(exc_type)
    assert type(info.value) is expected


def test_dup_adds_a_reference_and_close_releases_it(mod):
    obj = object()
    base = sys.getrefcount(obj)
    mod.hold(obj)
    mod.hold(obj)
    after_hold = sys.getrefcount(obj)
    mod.release()
    after_release = sys.getrefcount(obj)
    assert (after_hold, after_release) == (base + 2, base)


def test_dup_is_the_same_object(mod):
    assert mod.dup_then_close([1]) is True
    obj = object()
    base = sys.getrefcount(obj)
    for _ in range(100):
        mod.dup_then_close(obj)
    after = sys.getrefcount(obj)
    assert after == base


def test_dump(mod, capfd):
    class Marker:
        def __repr__(self):
            return '<the marker object>'
    obj = Marker()
    base = sys.getrefcount(obj)
    mod.dump(obj)
    err = capfd.readouterr().err
    assert '<the marker object>' in err
    assert 'Marker' in err
    assert sys.getrefcount(obj) == base


def test_dump_survives_a_failing_repr(mod, capfd):
    class BadRepr:
        def __repr__(self):
            raise ValueError('no repr')
    assert mod.dump(BadRepr()) is None
    assert 'BadRepr' in capfd.readouterr().err


# -- HPy_FromPyObject / HPy_AsPyObject ----------------------------------------

LEGACY = r'''
#include <Python.h>

/* the reference counts seen around AsPyObject and FromPyObject */
HPyDef_METH(legacy_counts, "legacy_counts", HPyFunc_O)
static HPy legacy_counts_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *o = HPy_AsPyObject(ctx, arg);
    Py_ssize_t r1 = Py_REFCNT(o);
    PyObject *o2 = HPy_AsPyObject(ctx, arg);
    Py_ssize_t r2 = Py_REFCNT(o);
    HPy h = HPy_FromPyObject(ctx, o);
    Py_ssize_t r3 = Py_REFCNT(o);
    int same = HPy_Is(ctx, h, arg) && o == o2;
    HPy_Close(ctx, h);
    Py_ssize_t r4 = Py_REFCNT(o);
    Py_DECREF(o2);
    Py_DECREF(o);
    return HPy_BuildValue(ctx, "nnni", r2 - r1, r3 - r2, r4 - r3, same);
}

HPyDef_METH(legacy_roundtrip, "legacy_roundtrip", HPyFunc_O)
static HPy legacy_roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *o = HPy_AsPyObject(ctx, arg);
    HPy result = HPy_FromPyObject(ctx, o);
    Py_DECREF(o);
    return result;
}

HPyDef_METH(legacy_nulls, "legacy_nulls", HPyFunc_NOARGS)
static HPy legacy_nulls_impl(HPyContext *ctx, HPy self)
{
    int ok = HPy_IsNull(HPy_FromPyObject(ctx, NULL)) && HPy_AsPyObject(ctx, HPy_NULL) == NULL;
    return HPyBool_FromBool(ctx, ok && !HPyErr_Occurred(ctx));
}
'''


@pytest.fixture
def legacy_mod(abi, ctx_build):
    # the universal ABI has no legacy functions: its variant with them is hybrid
    return ctx_build(LEGACY, 'cpython' if abi == 'cpython' else 'hybrid')


def test_as_py_object_and_from_py_object(legacy_mod):
    obj = object()
    assert legacy_mod.legacy_counts(obj) == (1, 1, -1, 1)
    assert legacy_mod.legacy_roundtrip(obj) is obj
    base = sys.getrefcount(obj)
    for _ in range(100):
        legacy_mod.legacy_roundtrip(obj)
    after = sys.getrefcount(obj)
    assert after == base
    assert legacy_mod.legacy_nulls() is True


def test_legacy_functions_do_not_compile_in_the_universal_abi(tmp_path):
    src = '''
        HPyDef_METH(f, "f", HPyFunc_O)
        static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_FromPyObject(ctx, (cpy_PyObject *)HPy_AsPyObject(ctx, arg));
        }
        @EXPORT(f)
        @INIT
    '''
    with pytest.raises(CompileError, match='Cannot use legacy functions'):
        hpy_compile.build(src, 'universal', tmp_path)
