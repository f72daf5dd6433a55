"""HPyFloat_FromDouble/AsDouble, HPyBool_FromBool, HPy_IsTrue."""
import math
import sys

import pytest

SOURCE = r'''
#include <math.h>

HPyDef_METH(float_specials, "float_specials", HPyFunc_NOARGS)
static HPy float_specials_impl(HPyContext *ctx, HPy self)
{
    HPy a = HPyFloat_FromDouble(ctx, 1.5);
    HPy b = HPyFloat_FromDouble(ctx, -0.0);
    HPy c = HPyFloat_FromDouble(ctx, HUGE_VAL);
    HPy d = HPyFloat_FromDouble(ctx, NAN);
    HPy e = HPyFloat_FromDouble(ctx, 1e308 * 10.0);
    HPy result = HPyTuple_Pack(ctx, 5, a, b, c, d, e);
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    HPy_Close(ctx, c);
    HPy_Close(ctx, d);
    HPy_Close(ctx, e);
    return result;
}

/* HPyFloat_FromDouble(HPyFloat_AsDouble(x) * 2) */
HPyDef_METH(twice, "twice", HPyFunc_O)
static HPy twice_impl(HPyContext *ctx, HPy self, HPy arg)
{
    double v = HPyFloat_AsDouble(ctx, arg);
    if (v == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, v * 2);
}

HPyDef_METH(as_double, "as_double", HPyFunc_O)
static HPy as_double_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_double(ctx, HPyFloat_AsDouble(ctx, arg));
}

HPyDef_METH(from_bool, "from_bool", HPyFunc_O)
static HPy from_bool_impl(HPyContext *ctx, HPy self, HPy arg)
{
    int32_t v = HPyLong_AsInt32_t(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyBool_FromBool(ctx, v != 0);
}

HPyDef_METH(is_true, "is_true", HPyFunc_O)
static HPy is_true_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPy_IsTrue(ctx, arg), -1);
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def test_float_from_double(mod):
    a, b, c, d, e = mod.float_specials()
    assert all(type(x) is float for x in (a, b, c, d, e))
    assert a == 1.5
    assert b == 0.0 and math.copysign(1, b) == -1
    assert c == math.inf
    assert math.isnan(d)
    assert e == math.inf


@pytest.mark.parametrize('value', [0.0, -2.25, 1e300, sys.float_info.min, math.inf])
def test_float_as_double_roundtrip(mod, value):
    assert mod.as_double(value) == value
    assert mod.twice(value) == value * 2


def test_float_as_double_of_nan(mod):
    assert math.isnan(mod.as_double(math.nan))


def test_float_as_double_converts_ints_and_dunder_float(mod):
    class F:
        def __float__(self):
            return 4.25

    class I:
        def __index__(self):
            return 3

    assert mod.as_double(7) == 7.0
    assert mod.as_double(True) == 1.0
    assert mod.as_double(F()) == 4.25
    assert mod.as_double(I()) == 3.0


def test_float_as_double_errors(mod):
    with pytest.raises(TypeError):
        mod.as_double('1.5')
    with pytest.raises(TypeError):
        mod.as_double(None)
    with pytest.raises(OverflowError):
        mod.as_double(2**2000)

    class Bad:
        def __float__(self):
            raise ZeroDivisionError('no float')
    with pytest.raises(ZeroDivisionError, match='no float'):
        mod.as_double(Bad())


def test_bool_from_bool(mod):
    assert mod.from_bool(1) is True
    assert mod.from_bool(-5) is True
    assert mod.from_bool(0) is False


def test_bool_from_bool_returns_new_references(mod):
    base = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(1000):
        mod.from_bool(1)
        mod.from_bool(0)
    assert (sys.getrefcount(True), sys.getrefcount(False)) == base


@pytest.mark.parametrize('value, expected', [
    (0, 0), (1, 1), ('', 0), ('x', 1), ([], 0), ([0], 1), (None, 0), (0.0, 0), (object(), 1)])
def test_is_true(mod, value, expected):
    assert mod.is_true(value) == expected


def test_is_true_calls_bool_and_len_and_propagates_errors(mod):
    class B:
        def __init__(self, value):
            self.value = value

        def __bool__(self):
            return self.value

    class L:
        def __len__(self):
            return 3

    class Bad:
        def __bool__(self):
            raise RuntimeError('no truth')

    assert mod.is_true(B(False)) == 0
    assert mod.is_true(B(True)) == 1
    assert mod.is_true(L()) == 1
    with pytest.raises(RuntimeError, match='no truth'):
        mod.is_true(Bad())
    with pytest.raises(TypeError):
        mod.is_true(B(1))
