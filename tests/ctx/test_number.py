"""The number protocol: HPyNumber_Check, HPy_Add & co, their in-place
variants, HPy_Power, the unary operations and conversions."""
import copy
import operator
import sys

import pytest

# HPy function -> (Python operator, dunder)
BINARY = {
    'Add': (operator.add, 'add'),
    'Subtract': (operator.sub, 'sub'),
    'Multiply': (operator.mul, 'mul'),
    'MatrixMultiply': (operator.matmul, 'matmul'),
    'FloorDivide': (operator.floordiv, 'floordiv'),
    'TrueDivide': (operator.truediv, 'truediv'),
    'Remainder': (operator.mod, 'mod'),
    'Divmod': (divmod, 'divmod'),
    'Lshift': (operator.lshift, 'lshift'),
    'Rshift': (operator.rshift, 'rshift'),
    'And': (operator.and_, 'and'),
    'Xor': (operator.xor, 'xor'),
    'Or': (operator.or_, 'or'),
}
INPLACE = {
    'InPlaceAdd': (operator.iadd, 'add'),
    'InPlaceSubtract': (operator.isub, 'sub'),
    'InPlaceMultiply': (operator.imul, 'mul'),
    'InPlaceMatrixMultiply': (operator.imatmul, 'matmul'),
    'InPlaceFloorDivide': (operator.ifloordiv, 'floordiv'),
    'InPlaceTrueDivide': (operator.itruediv, 'truediv'),
    'InPlaceRemainder': (operator.imod, 'mod'),
    'InPlaceLshift': (operator.ilshift, 'lshift'),
    'InPlaceRshift': (operator.irshift, 'rshift'),
    'InPlaceAnd': (operator.iand, 'and'),
    'InPlaceXor': (operator.ixor, 'xor'),
    'InPlaceOr': (operator.ior, 'or'),
}
UNARY = {
    'Negative': (operator.neg, '__neg__'),
    'Positive': (operator.pos, '__pos__'),
    'Absolute': (abs, '__abs__'),
    'Invert': (operator.invert, '__invert__'),
}


def _source():
    out = []
    for name in list(BINARY) + list(INPLACE):
        out.append(f'''
HPyDef_METH({name}, "HPy_{name}", HPyFunc_VARARGS)
static HPy {name}_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{{
    return box_handle(ctx, HPy_{name}(ctx, args[0], args[1]));
}}''')
    for name in list(UNARY) + ['Index', 'Long', 'Float']:
        out.append(f'''
HPyDef_METH({name}, "HPy_{name}", HPyFunc_O)
static HPy {name}_impl(HPyContext *ctx, HPy self, HPy arg)
{{
    return box_handle(ctx, HPy_{name}(ctx, arg));
}}''')
    for name in ('Power', 'InPlacePower'):
        out.append(f'''
HPyDef_METH({name}, "HPy_{name}", HPyFunc_VARARGS)
static HPy {name}_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{{
    return box_handle(ctx, HPy_{name}(ctx, args[0], args[1], args[2]));
}}''')
    out.append('''
HPyDef_METH(number_check, "number_check", HPyFunc_O)
static HPy number_check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyNumber_Check(ctx, arg), -1);
}''')
    return '\n'.join(out)


SOURCE = _source()


class Recorder:
    """Every numeric dunder returns (its name, the other operand)."""

    def __repr__(self):
        return 'Recorder()'


def _dunder(name):
    return lambda self, *other: (name,) + other


for _op, _d in list(BINARY.values()):
    for _prefix in ('', 'r', 'i'):
        setattr(Recorder, f'__{_prefix}{_d}__', _dunder(f'__{_prefix}{_d}__'))
for _name in ('pow', 'rpow', 'ipow'):
    setattr(Recorder, f'__{_name}__', _dunder(f'__{_name}__'))
for _op, _d in UNARY.values():
    setattr(Recorder, _d, _dunder(_d))


class NotInPlace:
    """Binary dunders only: in-place operations fall back to them."""


for _op, _d in BINARY.values():
    setattr(NotInPlace, f'__{_d}__', _dunder(f'__{_d}__'))


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def _expect(func, *args):
    try:
        return func(*args), None
    except Exception as e:
        return None, type(e)


OPERANDS = [(13, 5), (-7, 2), (2.5, 0.5), (0b1100, 0b1010), ('ab', 3), ([1], [2]), (1, 'x'), (1, 0)]


@pytest.mark.parametrize('name', sorted(BINARY))
@pytest.mark.parametrize('a, b', OPERANDS)
def test_binary_on_builtins(mod, name, a, b):
    func = getattr(mod, 'HPy_' + name)
    expected, exc = _expect(BINARY[name][0], a, b)
    if exc is None:
        result = func(a, b)
        assert result == expected and type(result) is type(expected)
    else:
        with pytest.raises(exc):
            func(a, b)


@pytest.mark.parametrize('name', sorted(BINARY))
def test_binary_calls_the_dunder_and_its_reflection(mod, name):
    func, d = getattr(mod, 'HPy_' + name), BINARY[name][1]
    r, left = Recorder(), object()
    assert func(r, 42) == (f'__{d}__', 42)
    assert func(left, r) == (f'__r{d}__', left)


@pytest.mark.parametrize('name', sorted(INPLACE))
@pytest.mark.parametrize('a, b', OPERANDS)
def test_inplace_on_builtins(mod, name, a, b):
    func = getattr(mod, 'HPy_' + name)
    # in-place operations may mutate their left operand: one copy each
    expected, exc = _expect(INPLACE[name][0], copy.copy(a), b)
    if exc is None:
        assert func(copy.copy(a), b) == expected
    else:
        with pytest.raises(exc):
            func(copy.copy(a), b)


@pytest.mark.parametrize('name', sorted(INPLACE))
def test_inplace_calls_the_inplace_dunder_else_the_binary_one(mod, name):
    func, d = getattr(mod, 'HPy_' + name), INPLACE[name][1]
    assert func(Recorder(), 'x') == (f'__i{d}__', 'x')
    assert func(NotInPlace(), 'y') == (f'__{d}__', 'y')


def test_inplace_add_mutates_and_returns_a_new_reference(mod):
    lst = [1]
    assert mod.HPy_InPlaceAdd(lst, [2]) is lst
    assert lst == [1, 2]
    base = sys.getrefcount(lst)
    for _ in range(100):
        mod.HPy_InPlaceAdd(lst, ())
    assert sys.getrefcount(lst) == base


def test_binary_returns_a_new_reference(mod):
    class Same:
        def __add__(self, other):
            return other
    obj = object()
    base = sys.getrefcount(obj)
    for _ in range(100):
        assert mod.HPy_Add(Same(), obj) is obj
    assert sys.getrefcount(obj) == base


def test_power(mod):
    assert mod.HPy_Power(2, 10, None) == 1024
    assert mod.HPy_Power(2, 10, 1000) == pow(2, 10, 1000)
    assert mod.HPy_Power(2.0, 0.5, None) == 2.0 ** 0.5
    assert mod.HPy_Power(Recorder(), 3, None) == ('__pow__', 3)
    assert mod.HPy_Power(3, Recorder(), None) == ('__rpow__', 3)
    with pytest.raises(ValueError):
        mod.HPy_Power(2, 3, 0)
    with pytest.raises(TypeError):
        mod.HPy_Power(2.0, 3, 5)
    with pytest.raises(TypeError):
        mod.HPy_Power('x', 2, None)


def test_inplace_power(mod):
    assert mod.HPy_InPlacePower(3, 4, None) == 81
    assert mod.HPy_InPlacePower(3, 4, 5) == pow(3, 4, 5)
    assert mod.HPy_InPlacePower(Recorder(), 2, None) == ('__ipow__', 2)
    with pytest.raises(ZeroDivisionError):
        mod.HPy_InPlacePower(0, -1, None)


@pytest.mark.parametrize('name', sorted(UNARY))
@pytest.mark.parametrize('value', [5, -3, 0, 2.5, True])
def test_unary_on_builtins(mod, name, value):
    func = getattr(mod, 'HPy_' + name)
    expected, exc = _expect(UNARY[name][0], value)
    if exc is None:
        assert func(value) == expected
    else:
        with pytest.raises(exc):
            func(value)


@pytest.mark.parametrize('name', sorted(UNARY))
def test_unary_calls_the_dunder_and_fails_on_other_types(mod, name):
    func = getattr(mod, 'HPy_' + name)
    assert func(Recorder()) == (UNARY[name][1],)
    with pytest.raises(TypeError):
        func('text')


def test_index(mod):
    class I:
        def __index__(self):
            return 77
    assert mod.HPy_Index(12) == 12
    assert mod.HPy_Index(True) == 1 and type(mod.HPy_Index(True)) is int
    assert mod.HPy_Index(I()) == 77
    with pytest.raises(TypeError):
        mod.HPy_Index(1.5)
    with pytest.raises(TypeError):
        mod.HPy_Index('1')


def test_long(mod):
    class Int:
        def __int__(self):
            return 9
    assert mod.HPy_Long(3.9) == 3 and type(mod.HPy_Long(3.9)) is int
    assert mod.HPy_Long('-12') == -12
    assert mod.HPy_Long(Int()) == 9
    with pytest.raises(ValueError):
        mod.HPy_Long('twelve')
    with pytest.raises(TypeError):
        mod.HPy_Long(None)
    with pytest.raises(OverflowError):
        mod.HPy_Long(float('inf'))


def test_float(mod):
    class Fl:
        def __float__(self):
            return 0.25
    assert mod.HPy_Float(3) == 3.0 and type(mod.HPy_Float(3)) is float
    assert mod.HPy_Float(' 1.5 ') == 1.5
    assert mod.HPy_Float(Fl()) == 0.25
    with pytest.raises(ValueError):
        mod.HPy_Float('one')
    with pytest.raises(TypeError):
        mod.HPy_Float([])


@pytest.mark.parametrize('value, expected', [
    (1, 1), (1.5, 1), (True, 1), (1j, 1), ('1', 0), ([], 0), (None, 0), (b'', 0)])
def test_number_check(mod, value, expected):
    assert mod.number_check(value) == expected


def test_number_check_of_classes(mod):
    class I:
        def __index__(self):
            return 1

    class F:
        def __float__(self):
            return 1.0
    assert mod.number_check(I()) == 1
    assert mod.number_check(F()) == 1
    assert mod.number_check(object()) == 0
