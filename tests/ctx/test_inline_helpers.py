"""The inline helpers of hpy/inline_helpers.h: API functions written on top
of the context (C integer conversions, HPyBool_FromLong, HPyTuple_Pack,
HPy_DelAttr, HPySlice_AdjustIndices, HPy_CallMethodTupleDict,
HPyErr_SetFromErrno*)."""
import ctypes
import errno
import os
import sys

import pytest

SOURCE = r'''
#include <limits.h>

/* the C types' limits through the From helpers */
HPyDef_METH(from_limits, "from_limits", HPyFunc_NOARGS)
static HPy from_limits_impl(HPyContext *ctx, HPy self)
{
    HPy items[] = {
        HPyLong_FromLong(ctx, LONG_MIN),
        HPyLong_FromLong(ctx, LONG_MAX),
        HPyLong_FromUnsignedLong(ctx, ULONG_MAX),
        HPyLong_FromLongLong(ctx, LLONG_MIN),
        HPyLong_FromLongLong(ctx, LLONG_MAX),
        HPyLong_FromUnsignedLongLong(ctx, ULLONG_MAX),
    };
    HPy result = HPyTuple_FromArray(ctx, items, 6);
    for (int i = 0; i < 6; i++)
        HPy_Close(ctx, items[i]);
    return result;
}

HPyDef_METH(as_long, "as_long", HPyFunc_O)
static HPy as_long_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long v = HPyLong_AsLong(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, v);
}

HPyDef_METH(as_unsigned_long, "as_unsigned_long", HPyFunc_O)
static HPy as_unsigned_long_impl(HPyContext *ctx, HPy self, HPy arg)
{
    unsigned long v = HPyLong_AsUnsignedLong(ctx, arg);
    if (v == (unsigned long)-1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromUnsignedLong(ctx, v);
}

HPyDef_METH(as_unsigned_long_mask, "as_unsigned_long_mask", HPyFunc_O)
static HPy as_unsigned_long_mask_impl(HPyContext *ctx, HPy self, HPy arg)
{
    unsigned long v = HPyLong_AsUnsignedLongMask(ctx, arg);
    if (v == (unsigned long)-1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromUnsignedLong(ctx, v);
}

HPyDef_METH(as_long_long, "as_long_long", HPyFunc_O)
static HPy as_long_long_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long long v = HPyLong_AsLongLong(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLongLong(ctx, v);
}

HPyDef_METH(as_unsigned_long_long, "as_unsigned_long_long", HPyFunc_O)
static HPy as_unsigned_long_long_impl(HPyContext *ctx, HPy self, HPy arg)
{
    unsigned long long v = HPyLong_AsUnsignedLongLong(ctx, arg);
    if (v == (unsigned long long)-1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromUnsignedLongLong(ctx, v);
}

HPyDef_METH(as_unsigned_long_long_mask, "as_unsigned_long_long_mask", HPyFunc_O)
static HPy as_unsigned_long_long_mask_impl(HPyContext *ctx, HPy self, HPy arg)
{
    unsigned long long v = HPyLong_AsUnsignedLongLongMask(ctx, arg);
    if (v == (unsigned long long)-1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromUnsignedLongLong(ctx, v);
}

HPyDef_METH(bool_from_long, "bool_from_long", HPyFunc_O)
static HPy bool_from_long_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long v = HPyLong_AsLong(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyBool_FromLong(ctx, v);
}

/* HPyTuple_Pack of 0 to 3 arguments */
HPyDef_METH(tuple_pack, "tuple_pack", HPyFunc_VARARGS)
static HPy tuple_pack_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    switch (nargs) {
    case 0: return HPyTuple_Pack(ctx, 0);
    case 1: return HPyTuple_Pack(ctx, 1, args[0]);
    case 2: return HPyTuple_Pack(ctx, 2, args[0], args[1]);
    case 3: return HPyTuple_Pack(ctx, 3, args[0], args[1], args[2]);
    }
    return HPyErr_SetString(ctx, ctx->h_TypeError, "0 to 3 arguments");
}

HPyDef_METH(tuple_pack_negative, "tuple_pack_negative", HPyFunc_NOARGS)
static HPy tuple_pack_negative_impl(HPyContext *ctx, HPy self)
{
    return box_handle(ctx, HPyTuple_Pack(ctx, -1));
}

/* (obj, name) */
HPyDef_METH(delattr, "delattr", HPyFunc_VARARGS)
static HPy delattr_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_DelAttr(ctx, args[0], args[1]));
}

HPyDef_METH(delattr_s, "delattr_s", HPyFunc_VARARGS)
static HPy delattr_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_DelAttr_s(ctx, args[0], cstr(ctx, args[1])));
}

/* (length, start, stop, step) -> (slice length, start, stop) */
HPyDef_METH(adjust_indices, "adjust_indices", HPyFunc_VARARGS)
static HPy adjust_indices_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t length = HPyLong_AsSsize_t(ctx, args[0]);
    HPy_ssize_t start = HPyLong_AsSsize_t(ctx, args[1]);
    HPy_ssize_t stop = HPyLong_AsSsize_t(ctx, args[2]);
    HPy_ssize_t step = HPyLong_AsSsize_t(ctx, args[3]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPy_ssize_t n = HPySlice_AdjustIndices(ctx, length, &start, &stop, step);
    return HPy_BuildValue(ctx, "nnn", n, start, stop);
}

/* The way a sequence's __getitem__ uses the two together: (slice, length) */
HPyDef_METH(slice_indices, "slice_indices", HPyFunc_VARARGS)
static HPy slice_indices_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t start, stop, step;
    if (HPySlice_Unpack(ctx, args[0], &start, &stop, &step) < 0)
        return HPy_NULL;
    HPy_ssize_t n = HPySlice_AdjustIndices(ctx, HPyLong_AsSsize_t(ctx, args[1]), &start, &stop, step);
    return HPy_BuildValue(ctx, "nnnn", n, start, stop, step);
}

/* (name, receiver, args, [kw]) */
HPyDef_METH(call_method_tuple_dict, "call_method_tuple_dict", HPyFunc_VARARGS)
static HPy call_method_tuple_dict_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_CallMethodTupleDict(ctx, args[0], args[1], args[2], ARG(3)));
}

HPyDef_METH(call_method_tuple_dict_s, "call_method_tuple_dict_s", HPyFunc_VARARGS)
static HPy call_method_tuple_dict_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_CallMethodTupleDict_s(ctx, cstr(ctx, args[0]), args[1], args[2], ARG(3)));
}

/* (type, errno) */
HPyDef_METH(set_from_errno, "set_from_errno", HPyFunc_VARARGS)
static HPy set_from_errno_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    errno = HPyLong_AsInt32_t(ctx, args[1]);
    return HPyErr_SetFromErrno(ctx, args[0]);
}

/* (type, errno, filename) */
HPyDef_METH(set_from_errno_with_filename_object, "set_from_errno_with_filename_object", HPyFunc_VARARGS)
static HPy set_from_errno_with_filename_object_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    errno = HPyLong_AsInt32_t(ctx, args[1]);
    return HPyErr_SetFromErrnoWithFilenameObject(ctx, args[0], args[2]);
}
'''

LONG_BITS = 8 * ctypes.sizeof(ctypes.c_long)
LLONG_BITS = 8 * ctypes.sizeof(ctypes.c_longlong)


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


class Index:
    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


# -- C integer types -------------------------------------------------------------

def test_from_c_integer_types(mod):
    assert mod.from_limits() == (
        -2**(LONG_BITS - 1), 2**(LONG_BITS - 1) - 1, 2**LONG_BITS - 1,
        -2**(LLONG_BITS - 1), 2**(LLONG_BITS - 1) - 1, 2**LLONG_BITS - 1)


def test_as_long(mod):
    lo, hi = -2**(LONG_BITS - 1), 2**(LONG_BITS - 1) - 1
    for v in (0, -1, lo, hi, Index(5)):
        assert mod.as_long(v) == int(getattr(v, 'value', v))
    for v in (lo - 1, hi + 1):
        with pytest.raises(OverflowError):
            mod.as_long(v)
    with pytest.raises(TypeError):
        mod.as_long(1.0)


def test_as_unsigned_long(mod):
    hi = 2**LONG_BITS - 1
    assert mod.as_unsigned_long(hi) == hi
    assert mod.as_unsigned_long(0) == 0
    for v in (-1, hi + 1):
        with pytest.raises(OverflowError):
            mod.as_unsigned_long(v)
    with pytest.raises(TypeError):
        mod.as_unsigned_long('1')


def test_as_unsigned_long_mask(mod):
    for v in (0, 5, -1, 2**LONG_BITS + 3, -2**100):
        assert mod.as_unsigned_long_mask(v) == v % 2**LONG_BITS
    assert mod.as_unsigned_long_mask(Index(-3)) == 2**LONG_BITS - 3


def test_as_long_long(mod):
    lo, hi = -2**(LLONG_BITS - 1), 2**(LLONG_BITS - 1) - 1
    for v in (0, -1, lo, hi):
        assert mod.as_long_long(v) == v
    assert mod.as_long_long(Index(-9)) == -9
    for v in (lo - 1, hi + 1):
        with pytest.raises(OverflowError):
            mod.as_long_long(v)


def test_as_unsigned_long_long(mod):
    hi = 2**LLONG_BITS - 1
    assert mod.as_unsigned_long_long(hi) == hi
    for v in (-1, hi + 1):
        with pytest.raises(OverflowError):
            mod.as_unsigned_long_long(v)
    with pytest.raises(TypeError):
        mod.as_unsigned_long_long(1.5)


def test_as_unsigned_long_long_mask(mod):
    for v in (0, -1, 2**LLONG_BITS, 2**LLONG_BITS + 11, -2**80 + 1):
        assert mod.as_unsigned_long_long_mask(v) == v % 2**LLONG_BITS


def test_bool_from_long(mod):
    assert mod.bool_from_long(0) is False
    assert mod.bool_from_long(1) is True
    assert mod.bool_from_long(-7) is True
    assert mod.bool_from_long(2**(LONG_BITS - 1) - 1) is True


# -- tuples, attributes --------------------------------------------------------------

def test_tuple_pack(mod):
    obj = object()
    assert mod.tuple_pack() == ()
    assert mod.tuple_pack(1) == (1,)
    assert mod.tuple_pack('a', obj, None) == ('a', obj, None)
    assert type(mod.tuple_pack(1, 2)) is tuple


def test_tuple_pack_does_not_steal(mod):
    obj = object()
    base = sys.getrefcount(obj)
    t = mod.tuple_pack(obj, obj, obj)
    packed = sys.getrefcount(obj)
    del t
    after = sys.getrefcount(obj)
    assert (packed, after) == (base + 3, base)


def test_tuple_pack_failure_raises(mod):
    with pytest.raises((SystemError, MemoryError)):
        mod.tuple_pack_negative()


def test_delattr(mod):
    class Obj:
        pass
    o = Obj()
    o.a = 1
    o.b = 2
    assert mod.delattr(o, 'a') is None
    assert mod.delattr_s(o, b'b') is None
    assert not hasattr(o, 'a') and not hasattr(o, 'b')
    with pytest.raises(AttributeError):
        mod.delattr(o, 'a')
    with pytest.raises(AttributeError):
        mod.delattr_s(o, b'b')
    with pytest.raises(AttributeError):
        mod.delattr_s(1, b'real')


def test_delattr_releases_the_value(mod):
    class Obj:
        pass
    o, value = Obj(), object()
    o.attr = value
    base = sys.getrefcount(value)
    mod.delattr_s(o, b'attr')
    after = sys.getrefcount(value)
    assert after == base - 1


# -- HPySlice_AdjustIndices ---------------------------------------------------------

LENGTHS = [0, 1, 5, 10]
BOUNDS = [None, -100, -11, -10, -6, -5, -1, 0, 1, 4, 5, 6, 9, 10, 11, 100]
STEPS = [1, 2, 3, -1, -2, -3, 100, -100]


@pytest.mark.parametrize('length', LENGTHS)
@pytest.mark.parametrize('step', STEPS)
def test_adjust_indices_agrees_with_python_slices(mod, length, step):
    for start in BOUNDS:
        for stop in BOUNDS:
            s = slice(start, stop, step)
            py_start, py_stop, _ = s.indices(length)
            expected_n = len(range(py_start, py_stop, step))
            n, c_start, c_stop, c_step = mod.slice_indices(s, length)
            assert c_step == step
            assert n == expected_n, s
            assert (c_start, c_stop) == (py_start, py_stop), s
            assert list(range(length))[s] == list(range(c_start, c_stop, c_step))[:n]


def test_adjust_indices_of_extreme_values(mod):
    maxsize = sys.maxsize
    assert mod.adjust_indices(10, -maxsize - 1, maxsize, 1) == (10, 0, 10)
    assert mod.adjust_indices(10, maxsize, -maxsize - 1, -1) == (10, 9, -1)
    assert mod.adjust_indices(10, 0, 10, maxsize) == (1, 0, 10)
    assert mod.adjust_indices(10, 9, -maxsize - 1, -maxsize) == (1, 9, -1)
    assert mod.adjust_indices(maxsize, 0, maxsize, 1) == (maxsize, 0, maxsize)


# -- HPy_CallMethodTupleDict ------------------------------------------------------------

class Target:
    def method(self, *args, **kwargs):
        return self, args, kwargs


def test_call_method_tuple_dict(mod):
    t = Target()
    assert mod.call_method_tuple_dict('method', t, (1, 2)) == (t, (1, 2), {})
    assert mod.call_method_tuple_dict('method', t, (), {'k': 3}) == (t, (), {'k': 3})
    assert mod.call_method_tuple_dict_s(b'method', t, (1,), {'k': 'v'}) == (t, (1,), {'k': 'v'})
    assert mod.call_method_tuple_dict_s(b'replace', 'aXa', ('a', 'b')) == 'bXb'


def test_call_method_tuple_dict_errors(mod):
    with pytest.raises(AttributeError):
        mod.call_method_tuple_dict('missing', Target(), ())
    with pytest.raises(AttributeError):
        mod.call_method_tuple_dict_s(b'missing', Target(), ())
    with pytest.raises(TypeError, match='args to be a tuple'):
        mod.call_method_tuple_dict('method', Target(), [1])
    with pytest.raises(TypeError, match='kw to be a dict'):
        mod.call_method_tuple_dict_s(b'method', Target(), (), ['k'])


def test_call_method_tuple_dict_does_not_leak_the_bound_method(mod):
    t = Target()
    base = sys.getrefcount(t)
    for _ in range(100):
        mod.call_method_tuple_dict_s(b'method', t, ())
        mod.call_method_tuple_dict('method', t, ())
    after = sys.getrefcount(t)
    assert after == base


# -- HPyErr_SetFromErrno* ---------------------------------------------------------------

def test_set_from_errno(mod):
    with pytest.raises(FileNotFoundError) as info:
        mod.set_from_errno(OSError, errno.ENOENT)
    e = info.value
    assert (e.errno, e.strerror, e.filename) == (errno.ENOENT, os.strerror(errno.ENOENT), None)


def test_set_from_errno_with_filename_object(mod):
    with pytest.raises(NotADirectoryError) as info:
        mod.set_from_errno_with_filename_object(OSError, errno.ENOTDIR, 'some/path')
    e = info.value
    assert (e.errno, e.filename, e.filename2) == (errno.ENOTDIR, 'some/path', None)
