"""HPyLong_From* and HPyLong_As*: values, limits, overflow and type errors."""
import sys

import pytest

SOURCE = r'''
#include <stdint.h>

/* Every HPyLong_From* at the limits of its C type, in a fixed order. */
HPyDef_METH(from_limits, "from_limits", HPyFunc_NOARGS)
static HPy from_limits_impl(HPyContext *ctx, HPy self)
{
    HPy items[] = {
        HPyLong_FromInt32_t(ctx, INT32_MIN),
        HPyLong_FromInt32_t(ctx, INT32_MAX),
        HPyLong_FromInt32_t(ctx, -1),
        HPyLong_FromUInt32_t(ctx, 0),
        HPyLong_FromUInt32_t(ctx, UINT32_MAX),
        HPyLong_FromInt64_t(ctx, INT64_MIN),
        HPyLong_FromInt64_t(ctx, INT64_MAX),
        HPyLong_FromUInt64_t(ctx, UINT64_MAX),
        HPyLong_FromSize_t(ctx, SIZE_MAX),
        HPyLong_FromSsize_t(ctx, HPY_SSIZE_T_MIN),
        HPyLong_FromSsize_t(ctx, HPY_SSIZE_T_MAX),
    };
    size_t n = sizeof(items) / sizeof(items[0]);
    for (size_t i = 0; i < n; i++)
        if (HPy_IsNull(items[i]))
            return HPy_NULL;
    HPy result = HPyTuple_FromArray(ctx, items, (HPy_ssize_t)n);
    for (size_t i = 0; i < n; i++)
        HPy_Close(ctx, items[i]);
    return result;
}

/* The sizes of the C types, to compute the expected limits in Python. */
HPyDef_METH(sizes, "sizes", HPyFunc_NOARGS)
static HPy sizes_impl(HPyContext *ctx, HPy self)
{
    HPy a = HPyLong_FromSize_t(ctx, sizeof(size_t));
    HPy b = HPyLong_FromSize_t(ctx, sizeof(HPy_ssize_t));
    HPy c = HPyLong_FromSize_t(ctx, sizeof(void *));
    HPy result = HPyTuple_Pack(ctx, 3, a, b, c);
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    HPy_Close(ctx, c);
    return result;
}

/* Each As* function, its result converted back with the From* of its type. */
HPyDef_METH(as_int32, "as_int32", HPyFunc_O)
static HPy as_int32_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyLong_AsInt32_t(ctx, arg), -1);
}

HPyDef_METH(as_uint32, "as_uint32", HPyFunc_O)
static HPy as_uint32_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_u64(ctx, HPyLong_AsUInt32_t(ctx, arg), UINT32_MAX);
}

HPyDef_METH(as_uint32_mask, "as_uint32_mask", HPyFunc_O)
static HPy as_uint32_mask_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_u64(ctx, HPyLong_AsUInt32_tMask(ctx, arg), UINT32_MAX);
}

HPyDef_METH(as_int64, "as_int64", HPyFunc_O)
static HPy as_int64_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyLong_AsInt64_t(ctx, arg), -1);
}

HPyDef_METH(as_uint64, "as_uint64", HPyFunc_O)
static HPy as_uint64_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_u64(ctx, HPyLong_AsUInt64_t(ctx, arg), UINT64_MAX);
}

HPyDef_METH(as_uint64_mask, "as_uint64_mask", HPyFunc_O)
static HPy as_uint64_mask_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_u64(ctx, HPyLong_AsUInt64_tMask(ctx, arg), UINT64_MAX);
}

HPyDef_METH(as_size_t, "as_size_t", HPyFunc_O)
static HPy as_size_t_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_u64(ctx, HPyLong_AsSize_t(ctx, arg), (size_t)-1);
}

HPyDef_METH(as_ssize_t, "as_ssize_t", HPyFunc_O)
static HPy as_ssize_t_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyLong_AsSsize_t(ctx, arg), -1);
}

HPyDef_METH(as_void_ptr, "as_void_ptr", HPyFunc_O)
static HPy as_void_ptr_impl(HPyContext *ctx, HPy self, HPy arg)
{
    void *p = HPyLong_AsVoidPtr(ctx, arg);
    return box_u64(ctx, (uintptr_t)p, 0);
}

HPyDef_METH(as_double, "as_double", HPyFunc_O)
static HPy as_double_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_double(ctx, HPyLong_AsDouble(ctx, arg));
}

/* Round trips through the C types: From*(As*(x)). */
HPyDef_METH(roundtrip_int32, "roundtrip_int32", HPyFunc_O)
static HPy roundtrip_int32_impl(HPyContext *ctx, HPy self, HPy arg)
{
    int32_t v = HPyLong_AsInt32_t(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromInt32_t(ctx, v);
}

HPyDef_METH(roundtrip_uint32, "roundtrip_uint32", HPyFunc_O)
static HPy roundtrip_uint32_impl(HPyContext *ctx, HPy self, HPy arg)
{
    uint32_t v = HPyLong_AsUInt32_t(ctx, arg);
    if (v == UINT32_MAX && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromUInt32_t(ctx, v);
}

HPyDef_METH(roundtrip_size_t, "roundtrip_size_t", HPyFunc_O)
static HPy roundtrip_size_t_impl(HPyContext *ctx, HPy self, HPy arg)
{
    size_t v = HPyLong_AsSize_t(ctx, arg);
    if (v == (size_t)-1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromSize_t(ctx, v);
}

HPyDef_METH(roundtrip_ssize_t, "roundtrip_ssize_t", HPyFunc_O)
static HPy roundtrip_ssize_t_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_ssize_t v = HPyLong_AsSsize_t(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromSsize_t(ctx, v);
}
'''


class Index:
    """Not an int, but convertible through __index__."""
    def __init__(self, value):
        self.value = value

    def __index__(self):
        return self.value


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def test_from_at_the_limits_of_each_c_type(mod):
    size_t_size, ssize_t_size, _ = mod.sizes()
    assert mod.from_limits() == (
        -2**31, 2**31 - 1, -1,
        0, 2**32 - 1,
        -2**63, 2**63 - 1,
        2**64 - 1,
        2**(8 * size_t_size) - 1,
        -2**(8 * ssize_t_size - 1), 2**(8 * ssize_t_size - 1) - 1,
    )
    assert all(type(x) is int for x in mod.from_limits())


def test_sizes_match_the_interpreter(mod):
    size_t_size, ssize_t_size, ptr_size = mod.sizes()
    assert 2**(8 * ssize_t_size - 1) - 1 == sys.maxsize
    assert size_t_size == ssize_t_size == ptr_size


@pytest.mark.parametrize('value', [0, 1, -1, 2**31 - 1, -2**31, 12345])
def test_as_int32(mod, value):
    assert mod.as_int32(value) == value
    assert mod.roundtrip_int32(value) == value


@pytest.mark.parametrize('value', [2**31, -2**31 - 1, 2**64, -2**100])
def test_as_int32_overflow(mod, value):
    with pytest.raises(OverflowError):
        mod.as_int32(value)


def test_as_int32_uses_index_and_refuses_other_types(mod):
    assert mod.as_int32(Index(-7)) == -7
    assert mod.as_int32(True) == 1
    with pytest.raises(OverflowError):
        mod.as_int32(Index(2**40))
    with pytest.raises(TypeError):
        mod.as_int32('12')
    with pytest.raises(TypeError):
        mod.as_int32(1.5)


@pytest.mark.parametrize('value', [0, 1, 2**31, 2**32 - 1])
def test_as_uint32(mod, value):
    assert mod.as_uint32(value) == value
    assert mod.roundtrip_uint32(value) == value


@pytest.mark.parametrize('value', [2**32, -1, 2**64])
def test_as_uint32_overflow(mod, value):
    with pytest.raises(OverflowError):
        mod.as_uint32(value)


def test_as_uint32_type_error(mod):
    with pytest.raises(TypeError):
        mod.as_uint32('1')
    with pytest.raises(TypeError):
        mod.as_uint32(None)


@pytest.mark.parametrize('value', [0, 5, 2**32 - 1, 2**32, 2**32 + 5, -1, -2**32 - 3, 2**100 + 9])
def test_as_uint32_mask_wraps_modulo_2_32(mod, value):
    assert mod.as_uint32_mask(value) == value % 2**32


def test_as_uint32_mask_uses_index_and_refuses_other_types(mod):
    assert mod.as_uint32_mask(Index(-2)) == 2**32 - 2
    with pytest.raises(TypeError):
        mod.as_uint32_mask(1.0)


@pytest.mark.parametrize('value', [0, -1, 2**63 - 1, -2**63, 2**40])
def test_as_int64(mod, value):
    assert mod.as_int64(value) == value


@pytest.mark.parametrize('value', [2**63, -2**63 - 1, 2**200])
def test_as_int64_overflow(mod, value):
    with pytest.raises(OverflowError):
        mod.as_int64(value)


def test_as_int64_uses_index_and_refuses_other_types(mod):
    assert mod.as_int64(Index(2**62)) == 2**62
    with pytest.raises(TypeError):
        mod.as_int64(2.0)
    with pytest.raises(TypeError):
        mod.as_int64(b'1')


@pytest.mark.parametrize('value', [0, 1, 2**63, 2**64 - 1])
def test_as_uint64(mod, value):
    assert mod.as_uint64(value) == value


@pytest.mark.parametrize('value', [2**64, -1])
def test_as_uint64_overflow(mod, value):
    with pytest.raises(OverflowError):
        mod.as_uint64(value)


def test_as_uint64_needs_an_int(mod):
    # HPy 0.9: "must be an instance of Python long": __index__ is not used.
    with pytest.raises(TypeError):
        mod.as_uint64(Index(1))
    with pytest.raises(TypeError):
        mod.as_uint64(1.0)


@pytest.mark.parametrize('value', [0, 2**64 - 1, 2**64, 2**64 + 7, -1, -2**70 - 1])
def test_as_uint64_mask_wraps_modulo_2_64(mod, value):
    assert mod.as_uint64_mask(value) == value % 2**64


def test_as_uint64_mask_uses_index(mod):
    assert mod.as_uint64_mask(Index(-1)) == 2**64 - 1
    with pytest.raises(TypeError):
        mod.as_uint64_mask('x')


def test_as_size_t(mod):
    size_max = 2**(8 * mod.sizes()[0]) - 1
    for value in (0, 1, sys.maxsize, size_max):
        assert mod.as_size_t(value) == value
        assert mod.roundtrip_size_t(value) == value
    for value in (-1, size_max + 1):
        with pytest.raises(OverflowError):
            mod.as_size_t(value)
    with pytest.raises(TypeError):
        mod.as_size_t(1.0)


def test_as_ssize_t(mod):
    for value in (0, -1, sys.maxsize, -sys.maxsize - 1):
        assert mod.as_ssize_t(value) == value
        assert mod.roundtrip_ssize_t(value) == value
    for value in (sys.maxsize + 1, -sys.maxsize - 2):
        with pytest.raises(OverflowError):
            mod.as_ssize_t(value)
    with pytest.raises(TypeError):
        mod.as_ssize_t('1')


def test_as_void_ptr(mod):
    ptr_max = 2**(8 * mod.sizes()[2]) - 1
    for value in (1, 0x1234, ptr_max):
        assert mod.as_void_ptr(value) == value
    with pytest.raises(OverflowError):
        mod.as_void_ptr(ptr_max + 1)
    with pytest.raises(TypeError):
        mod.as_void_ptr('x')


def test_as_double(mod):
    assert mod.as_double(0) == 0.0
    assert mod.as_double(-3) == -3.0
    assert mod.as_double(2**53) == float(2**53)
    assert mod.as_double(10**300) == float(10**300)
    assert type(mod.as_double(7)) is float
    with pytest.raises(OverflowError):
        mod.as_double(2**1024)
    with pytest.raises(TypeError):
        mod.as_double(1.5)
