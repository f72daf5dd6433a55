"""Calling: HPy_CallTupleDict, HPy_Call (vectorcall), HPy_CallMethod."""
import sys

import pytest

SOURCE = r'''
static HPy none_as_null(HPyContext *ctx, HPy h)
{
    return HPy_Is(ctx, h, ctx->h_None) ? HPy_NULL : h;
}

/* (callable, [args], [kw]): args and kw are HPy_NULL when missing or None */
HPyDef_METH(call_tuple_dict, "call_tuple_dict", HPyFunc_VARARGS)
static HPy call_tuple_dict_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy a = none_as_null(ctx, ARG(1)), kw = none_as_null(ctx, ARG(2));
    return box_handle(ctx, HPy_CallTupleDict(ctx, args[0], a, kw));
}

/* (callable, kwnames or None, *values): the values are the positional
   arguments then those of the keywords named in kwnames */
HPyDef_METH(call, "call", HPyFunc_VARARGS)
static HPy call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy kwnames = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
    size_t nkw = HPy_IsNull(kwnames) ? 0 : (size_t)HPy_Length(ctx, kwnames);
    return box_handle(ctx, HPy_Call(ctx, args[0], args + 2, nargs - 2 - nkw, kwnames));
}

/* (name, kwnames or None, receiver, *values) */
HPyDef_METH(call_method, "call_method", HPyFunc_VARARGS)
static HPy call_method_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy kwnames = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
    size_t nkw = HPy_IsNull(kwnames) ? 0 : (size_t)HPy_Length(ctx, kwnames);
    return box_handle(ctx, HPy_CallMethod(ctx, args[0], args + 2, nargs - 2 - nkw, kwnames));
}

/* HPy_Call with no arguments at all: args may be NULL */
HPyDef_METH(call_no_args, "call_no_args", HPyFunc_O)
static HPy call_no_args_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_Call(ctx, arg, NULL, 0, HPy_NULL));
}

/* HPy_CallMethod by a name made with HPyUnicode_FromString */
HPyDef_METH(call_method_s, "call_method_s", HPyFunc_VARARGS)
static HPy call_method_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy name = HPyUnicode_FromString(ctx, cstr(ctx, args[0]));
    if (HPy_IsNull(name))
        return HPy_NULL;
    HPy result = HPy_CallMethod(ctx, name, args + 1, nargs - 1, HPy_NULL);
    HPy_Close(ctx, name);
    return box_handle(ctx, result);
}
'''


def record(*args, **kwargs):
    return args, kwargs


class Target:
    def method(self, *args, **kwargs):
        return self, args, kwargs

    @staticmethod
    def static(*args):
        return 'static', args


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


# -- HPy_CallTupleDict ---------------------------------------------------------

def test_call_tuple_dict(mod):
    assert mod.call_tuple_dict(record, (1, 2), {'a': 3}) == ((1, 2), {'a': 3})
    assert mod.call_tuple_dict(record, (1,)) == ((1,), {})
    assert mod.call_tuple_dict(record, ()) == ((), {})
    assert mod.call_tuple_dict(record, (), {}) == ((), {})


def test_call_tuple_dict_with_null_args_or_kw(mod):
    assert mod.call_tuple_dict(record) == ((), {})
    assert mod.call_tuple_dict(record, None, None) == ((), {})
    assert mod.call_tuple_dict(record, None, {'a': 1, 'b': 2}) == ((), {'a': 1, 'b': 2})
    assert mod.call_tuple_dict(record, (1,), None) == ((1,), {})


def test_call_tuple_dict_calls_any_callable(mod):
    assert mod.call_tuple_dict(int, ('12',), {'base': 8}) == 10
    assert mod.call_tuple_dict(Target, ()).__class__ is Target
    assert mod.call_tuple_dict(len, ([1, 2],)) == 2


def test_call_tuple_dict_bad_arguments(mod):
    with pytest.raises(TypeError, match='args to be a tuple or null handle'):
        mod.call_tuple_dict(record, [1, 2])
    with pytest.raises(TypeError, match='kw to be a dict or null handle'):
        mod.call_tuple_dict(record, (), [('a', 1)])
    with pytest.raises(TypeError, match='not callable'):
        mod.call_tuple_dict(42, ())
    with pytest.raises(TypeError):
        mod.call_tuple_dict(record, (), {1: 2})


def test_call_tuple_dict_propagates_exceptions(mod):
    def fail(*args):
        raise KeyError('from the callee')
    with pytest.raises(KeyError, match='from the callee'):
        mod.call_tuple_dict(fail, (1,))


# -- HPy_Call -------------------------------------------------------------------

def test_call_positional(mod):
    assert mod.call(record, None) == ((), {})
    assert mod.call(record, None, 1, 'b') == ((1, 'b'), {})
    assert mod.call_no_args(record) == ((), {})


def test_call_keywords(mod):
    assert mod.call(record, ('x',), 1, 2, 'X') == ((1, 2), {'x': 'X'})
    assert mod.call(record, ('x', 'y'), 'X', 'Y') == ((), {'x': 'X', 'y': 'Y'})
    assert mod.call(record, (), 1) == ((1,), {})


def test_call_builtins_and_types(mod):
    assert mod.call(int, ('base',), '11', 2) == 3
    assert mod.call(sorted, ('reverse',), [1, 3, 2], True) == [3, 2, 1]
    assert mod.call(str, None) == ''


def test_call_errors(mod):
    def fail(**kwargs):
        raise ValueError('callee failed')
    with pytest.raises(ValueError, match='callee failed'):
        mod.call(fail, ('a',), 1)
    with pytest.raises(TypeError, match='unexpected keyword argument'):
        mod.call(lambda: 0, ('nope',), 1)
    with pytest.raises(TypeError, match='not callable'):
        mod.call(None, None)


def test_call_result_is_a_new_reference(mod):
    result = object()

    def give():
        return result
    base = sys.getrefcount(result)
    for _ in range(100):
        assert mod.call(give, None) is result
        assert mod.call_tuple_dict(give, ()) is result
    after = sys.getrefcount(result)
    assert after == base


def test_call_does_not_steal_arguments(mod):
    arg = object()
    base = sys.getrefcount(arg)
    for _ in range(100):
        mod.call(record, ('k',), arg, arg)
        mod.call_tuple_dict(record, (arg,), {'k': arg})
    after = sys.getrefcount(arg)
    assert after == base


# -- HPy_CallMethod -------------------------------------------------------------

def test_call_method(mod):
    t = Target()
    assert mod.call_method('method', None, t) == (t, (), {})
    assert mod.call_method('method', None, t, 1, 2) == (t, (1, 2), {})
    assert mod.call_method('method', ('k',), t, 1, 'K') == (t, (1,), {'k': 'K'})
    assert mod.call_method('static', None, t, 5) == ('static', (5,))
    assert mod.call_method_s(b'upper', 'abc') == 'ABC'
    assert mod.call_method_s(b'split', 'a,b', ',') == ['a', 'b']


def test_call_method_finds_instance_attributes(mod):
    class Obj:
        pass
    o = Obj()
    o.func = lambda *args: args
    assert mod.call_method('func', None, o, 1) == (1,)


def test_call_method_errors(mod):
    with pytest.raises(AttributeError, match='no attribute'):
        mod.call_method('missing', None, Target())
    with pytest.raises(TypeError):
        mod.call_method('upper', None, 'abc', 1)

    class Fails:
        def method(self):
            raise OSError('method failed')
    with pytest.raises(OSError, match='method failed'):
        mod.call_method('method', None, Fails())
