"""Lists, dicts, tuples, the list and tuple builders, HPySlice_Unpack."""
import sys

import pytest

SOURCE = r'''
HPyDef_METH(list_check, "list_check", HPyFunc_O)
static HPy list_check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyList_Check(ctx, arg), -1);
}

/* HPyList_New(n), then HPyList_Append of every argument after n */
HPyDef_METH(list_new_append, "list_new_append", HPyFunc_VARARGS)
static HPy list_new_append_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy list = HPyList_New(ctx, HPyLong_AsSsize_t(ctx, args[0]));
    if (HPy_IsNull(list))
        return box_handle(ctx, list);
    for (size_t i = 1; i < nargs; i++) {
        if (HPyList_Append(ctx, list, args[i]) < 0) {
            HPy_Close(ctx, list);
            return HPy_NULL;
        }
    }
    return list;
}

/* (list, item): HPyList_Append on any object */
HPyDef_METH(list_append, "list_append", HPyFunc_VARARGS)
static HPy list_append_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPyList_Append(ctx, args[0], args[1]));
}

HPyDef_METH(dict_check, "dict_check", HPyFunc_O)
static HPy dict_check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyDict_Check(ctx, arg), -1);
}

HPyDef_METH(dict_new, "dict_new", HPyFunc_NOARGS)
static HPy dict_new_impl(HPyContext *ctx, HPy self)
{
    return box_handle(ctx, HPyDict_New(ctx));
}

HPyDef_METH(dict_keys, "dict_keys", HPyFunc_O)
static HPy dict_keys_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyDict_Keys(ctx, arg));
}

HPyDef_METH(dict_copy, "dict_copy", HPyFunc_O)
static HPy dict_copy_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyDict_Copy(ctx, arg));
}

HPyDef_METH(tuple_check, "tuple_check", HPyFunc_O)
static HPy tuple_check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyTuple_Check(ctx, arg), -1);
}

/* HPyTuple_FromArray of the arguments */
HPyDef_METH(tuple_from_array, "tuple_from_array", HPyFunc_VARARGS)
static HPy tuple_from_array_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy items[16];
    for (size_t i = 0; i < nargs && i < 16; i++)
        items[i] = args[i];
    return box_handle(ctx, HPyTuple_FromArray(ctx, items, (HPy_ssize_t)nargs));
}

HPyDef_METH(tuple_from_null_array, "tuple_from_null_array", HPyFunc_NOARGS)
static HPy tuple_from_null_array_impl(HPyContext *ctx, HPy self)
{
    return box_handle(ctx, HPyTuple_FromArray(ctx, NULL, 0));
}

/* Builders: the arguments, in reverse order (Set in any order works) */
HPyDef_METH(list_builder, "list_builder", HPyFunc_VARARGS)
static HPy list_builder_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyListBuilder b = HPyListBuilder_New(ctx, (HPy_ssize_t)nargs);
    for (size_t i = 0; i < nargs; i++)
        HPyListBuilder_Set(ctx, b, (HPy_ssize_t)i, args[nargs - 1 - i]);
    return box_handle(ctx, HPyListBuilder_Build(ctx, b));
}

HPyDef_METH(tuple_builder, "tuple_builder", HPyFunc_VARARGS)
static HPy tuple_builder_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyTupleBuilder b = HPyTupleBuilder_New(ctx, (HPy_ssize_t)nargs);
    for (size_t i = 0; i < nargs; i++)
        HPyTupleBuilder_Set(ctx, b, (HPy_ssize_t)i, args[nargs - 1 - i]);
    return box_handle(ctx, HPyTupleBuilder_Build(ctx, b));
}

/* Fill a builder with the arguments, then cancel it. */
HPyDef_METH(builders_cancel, "builders_cancel", HPyFunc_VARARGS)
static HPy builders_cancel_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyListBuilder lb = HPyListBuilder_New(ctx, (HPy_ssize_t)nargs);
    HPyTupleBuilder tb = HPyTupleBuilder_New(ctx, (HPy_ssize_t)nargs);
    for (size_t i = 0; i < nargs; i++) {
        HPyListBuilder_Set(ctx, lb, (HPy_ssize_t)i, args[i]);
        HPyTupleBuilder_Set(ctx, tb, (HPy_ssize_t)i, args[i]);
    }
    HPyListBuilder_Cancel(ctx, lb);
    HPyTupleBuilder_Cancel(ctx, tb);
    return box_handle(ctx, HPy_Dup(ctx, ctx->h_None));
}

/* A builder that could not be made (here: a negative size). HPy 0.9: New
   raises nothing, Set and Cancel are no-ops, Build raises MemoryError.
   Returns whether an exception was set after New and after Set, or raises
   what Build (which = 0: list, 1: tuple) raised; which = 2, 3: Cancel
   instead of Build, returns HPyErr_Occurred() after it. */
HPyDef_METH(failed_builder, "failed_builder", HPyFunc_O)
static HPy failed_builder_impl(HPyContext *ctx, HPy self, HPy arg)
{
    int which = HPyLong_AsInt32_t(ctx, arg);
    HPyListBuilder lb = {0};
    HPyTupleBuilder tb = {0};
    if (which % 2 == 0)
        lb = HPyListBuilder_New(ctx, -1);
    else
        tb = HPyTupleBuilder_New(ctx, -1);
    int after_new = HPyErr_Occurred(ctx);
    HPyErr_Clear(ctx);
    if (which % 2 == 0)
        HPyListBuilder_Set(ctx, lb, 0, ctx->h_None);
    else
        HPyTupleBuilder_Set(ctx, tb, 0, ctx->h_None);
    int after_set = HPyErr_Occurred(ctx);
    HPyErr_Clear(ctx);
    if (which >= 2) {
        if (which == 2)
            HPyListBuilder_Cancel(ctx, lb);
        else
            HPyTupleBuilder_Cancel(ctx, tb);
        return HPy_BuildValue(ctx, "iii", after_new, after_set, HPyErr_Occurred(ctx));
    }
    HPy result = which == 0 ? HPyListBuilder_Build(ctx, lb) : HPyTupleBuilder_Build(ctx, tb);
    if (!HPy_IsNull(result)) {
        HPy_Close(ctx, result);
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "Build of a failed builder succeeded");
    }
    if (after_new || after_set)
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "New or Set of a failed builder raised");
    return HPy_NULL;
}

/* (slice) -> (start, stop, step) */
HPyDef_METH(slice_unpack, "slice_unpack", HPyFunc_O)
static HPy slice_unpack_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_ssize_t start = 11, stop = 22, step = 33;
    if (HPySlice_Unpack(ctx, arg, &start, &stop, &step) < 0) {
        if (!HPyErr_Occurred(ctx))
            return HPyErr_SetString(ctx, ctx->h_AssertionError, "-1 without an exception");
        return HPy_NULL;
    }
    return HPy_BuildValue(ctx, "nnn", start, stop, step);
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


# -- lists -------------------------------------------------------------------

def test_list_check(mod):
    class L(list):
        pass
    assert mod.list_check([]) == 1
    assert mod.list_check(L()) == 1
    assert mod.list_check(()) == 0
    assert mod.list_check({}) == 0


def test_list_new_and_append(mod):
    result = mod.list_new_append(0)
    assert result == [] and type(result) is list
    obj = object()
    assert mod.list_new_append(0, 1, 'two', obj) == [1, 'two', obj]
    assert mod.list_new_append(0) is not mod.list_new_append(0)


def test_list_new_negative_size(mod):
    with pytest.raises(SystemError):
        mod.list_new_append(-1)


def test_list_append(mod):
    lst = [1]
    assert mod.list_append(lst, 2) is None
    assert lst == [1, 2]
    item = object()
    base = sys.getrefcount(item)
    mod.list_append(lst, item)
    assert sys.getrefcount(item) == base + 1
    lst.pop()
    assert sys.getrefcount(item) == base


def test_list_append_needs_a_list(mod):
    with pytest.raises(SystemError):
        mod.list_append((), 1)


# -- dicts -------------------------------------------------------------------

def test_dict_check(mod):
    class D(dict):
        pass
    assert mod.dict_check({}) == 1
    assert mod.dict_check(D()) == 1
    assert mod.dict_check([]) == 0
    assert mod.dict_check(type.__dict__) == 0     # a mappingproxy


def test_dict_new(mod):
    d = mod.dict_new()
    assert d == {} and type(d) is dict
    assert mod.dict_new() is not d


def test_dict_keys(mod):
    d = {'a': 1, 2: 'b', (3,): None}
    keys = mod.dict_keys(d)
    assert keys == ['a', 2, (3,)] and type(keys) is list
    assert mod.dict_keys({}) == []


def test_dict_keys_ignores_an_overridden_keys_method(mod):
    class D(dict):
        def keys(self):
            return ['overridden']
    assert mod.dict_keys(D(x=1)) == ['x']


def test_dict_keys_and_copy_need_a_dict(mod):
    for func in (mod.dict_keys, mod.dict_copy):
        with pytest.raises(SystemError):
            func([1, 2])
        with pytest.raises(SystemError):
            func(type.__dict__)


def test_dict_copy(mod):
    value = []
    d = {'a': value, 'b': 2}
    copy = mod.dict_copy(d)
    assert copy == d and copy is not d and type(copy) is dict
    assert copy['a'] is value                  # shallow
    copy['c'] = 3
    assert 'c' not in d


# -- tuples ------------------------------------------------------------------

def test_tuple_check(mod):
    class T(tuple):
        pass
    assert mod.tuple_check(()) == 1
    assert mod.tuple_check(T()) == 1
    assert mod.tuple_check([]) == 0


def test_tuple_from_array(mod):
    obj = object()
    assert mod.tuple_from_array() == ()
    assert mod.tuple_from_null_array() == ()
    assert mod.tuple_from_array(1, 'a', obj) == (1, 'a', obj)
    base = sys.getrefcount(obj)
    t = mod.tuple_from_array(obj, obj)
    assert sys.getrefcount(obj) == base + 2    # the tuple owns its items
    del t
    assert sys.getrefcount(obj) == base


# -- builders ------------------------------------------------------------------

def test_list_builder(mod):
    assert mod.list_builder() == []
    result = mod.list_builder(1, 2, 3)
    assert result == [3, 2, 1] and type(result) is list


def test_tuple_builder(mod):
    assert mod.tuple_builder() == ()
    result = mod.tuple_builder('a', 'b')
    assert result == ('b', 'a') and type(result) is tuple


def test_builders_do_not_steal_items(mod):
    item = object()
    base = sys.getrefcount(item)
    lst = mod.list_builder(item, item)
    tup = mod.tuple_builder(item)
    assert sys.getrefcount(item) == base + 3
    del lst, tup
    assert sys.getrefcount(item) == base


def test_builders_cancel_releases_the_items(mod):
    item = object()
    base = sys.getrefcount(item)
    for _ in range(10):
        assert mod.builders_cancel(item, item, item) is None
    assert sys.getrefcount(item) == base


@pytest.mark.parametrize('which', [0, 1], ids=['list', 'tuple'])
def test_failed_builder_raises_memory_error_in_build(mod, which):
    with pytest.raises(MemoryError):
        mod.failed_builder(which)


@pytest.mark.parametrize('which', [2, 3], ids=['list', 'tuple'])
def test_failed_builder_new_set_and_cancel_raise_nothing(mod, which):
    assert mod.failed_builder(which) == (0, 0, 0)


# -- slices ------------------------------------------------------------------

@pytest.mark.parametrize('s', [
    slice(1, 10, 2), slice(-5, -1, 1), slice(10, 1, -3), slice(0, 0, 1)])
def test_slice_unpack(mod, s):
    assert mod.slice_unpack(s) == (s.start, s.stop, s.step)


def test_slice_unpack_defaults(mod):
    maxsize = sys.maxsize
    assert mod.slice_unpack(slice(None)) == (0, maxsize, 1)
    assert mod.slice_unpack(slice(None, None, -1)) == (maxsize, -maxsize - 1, -1)
    assert mod.slice_unpack(slice(3, None)) == (3, maxsize, 1)
    assert mod.slice_unpack(slice(None, 4, -2)) == (maxsize, 4, -2)


def test_slice_unpack_clips_huge_values(mod):
    maxsize = sys.maxsize
    assert mod.slice_unpack(slice(-2**100, 2**100, 2**100)) == (-maxsize - 1, maxsize, maxsize)
    # the step is kept > -maxsize - 1 so that -step does not overflow
    assert mod.slice_unpack(slice(None, None, -2**100))[2] == -maxsize


def test_slice_unpack_uses_index(mod):
    class I:
        def __init__(self, v):
            self.v = v

        def __index__(self):
            return self.v
    assert mod.slice_unpack(slice(I(2), I(8), I(3))) == (2, 8, 3)


def test_slice_unpack_errors(mod):
    with pytest.raises(ValueError, match='slice step cannot be zero'):
        mod.slice_unpack(slice(1, 2, 0))
    with pytest.raises(TypeError):
        mod.slice_unpack(slice('a', 2))
    with pytest.raises(TypeError):
        mod.slice_unpack(slice(1, 2, 1.5))
