"""The context members HPy added after 0.9 (ABI 0.1, declared with
HPY_ENABLE_ABI_0_1): h_DictType, HPyList_Insert, HPy_GetSlice/SetSlice/
DelSlice, HPy_GetIter, HPyIter_Next, HPyIter_Check, HPySlice_New.
(_HPy_AsStruct_Dict and slot HPy_tp_descr_get: tests/types/test_type_later_members.py.)"""
import sys

import pytest

OPT_IN = ['-DHPY_ENABLE_ABI_0_1']

SOURCE = r'''
HPyDef_METH(dict_type, "dict_type", HPyFunc_NOARGS)
static HPy dict_type_impl(HPyContext *ctx, HPy self)
{
    return HPy_Dup(ctx, ctx->h_DictType);
}

/* (list, index, item) */
HPyDef_METH(list_insert, "list_insert", HPyFunc_VARARGS)
static HPy list_insert_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t index = HPyLong_AsSsize_t(ctx, args[1]);
    if (index == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return box_status(ctx, HPyList_Insert(ctx, args[0], index, ARG(2)));
}

/* (obj, start, end) and (obj, start, end, value) */
HPyDef_METH(get_slice, "get_slice", HPyFunc_VARARGS)
static HPy get_slice_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t start = HPyLong_AsSsize_t(ctx, args[1]), end = HPyLong_AsSsize_t(ctx, args[2]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    return box_handle(ctx, HPy_GetSlice(ctx, args[0], start, end));
}

HPyDef_METH(set_slice, "set_slice", HPyFunc_VARARGS)
static HPy set_slice_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t start = HPyLong_AsSsize_t(ctx, args[1]), end = HPyLong_AsSsize_t(ctx, args[2]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    return box_status(ctx, HPy_SetSlice(ctx, args[0], start, end, args[3]));
}

HPyDef_METH(del_slice, "del_slice", HPyFunc_VARARGS)
static HPy del_slice_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t start = HPyLong_AsSsize_t(ctx, args[1]), end = HPyLong_AsSsize_t(ctx, args[2]);
    if (HPyErr_Occurred(ctx))
        return HPy_NULL;
    return box_status(ctx, HPy_DelSlice(ctx, args[0], start, end));
}

/* The documented NULL-object error of the slice functions: (which) */
HPyDef_METH(slice_of_null, "slice_of_null", HPyFunc_O)
static HPy slice_of_null_impl(HPyContext *ctx, HPy self, HPy arg)
{
    switch (HPyLong_AsInt32_t(ctx, arg)) {
    case 0: return box_handle(ctx, HPy_GetSlice(ctx, HPy_NULL, 0, 1));
    case 1: return box_status(ctx, HPy_SetSlice(ctx, HPy_NULL, 0, 1, ctx->h_None));
    default: return box_status(ctx, HPy_DelSlice(ctx, HPy_NULL, 0, 1));
    }
}

HPyDef_METH(get_iter, "get_iter", HPyFunc_O)
static HPy get_iter_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_GetIter(ctx, arg));
}

/* Drain an iterator with HPyIter_Next: the list of its items, or the
   exception it raised (HPy_NULL with no exception set is its end). */
HPyDef_METH(drain, "drain", HPyFunc_O)
static HPy drain_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy items = HPyList_New(ctx, 0);
    if (HPy_IsNull(items))
        return HPy_NULL;
    for (;;) {
        HPy item = HPyIter_Next(ctx, arg);
        if (HPy_IsNull(item))
            break;
        int status = HPyList_Append(ctx, items, item);
        HPy_Close(ctx, item);
        if (status < 0) {
            HPy_Close(ctx, items);
            return HPy_NULL;
        }
    }
    if (HPyErr_Occurred(ctx)) {
        HPy_Close(ctx, items);
        return HPy_NULL;
    }
    return items;
}

/* One HPyIter_Next: the item, or None once exhausted (no exception). */
HPyDef_METH(iter_next, "iter_next", HPyFunc_O)
static HPy iter_next_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy item = HPyIter_Next(ctx, arg);
    if (HPy_IsNull(item) && !HPyErr_Occurred(ctx))
        return HPy_Dup(ctx, ctx->h_None);
    return item;
}

HPyDef_METH(iter_check, "iter_check", HPyFunc_O)
static HPy iter_check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyIter_Check(ctx, arg), -1);
}

/* (start, stop, step); a missing argument is HPy_NULL */
HPyDef_METH(slice_new, "slice_new", HPyFunc_VARARGS)
static HPy slice_new_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPySlice_New(ctx, ARG(0), ARG(1), ARG(2)));
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE, extra_cflags=OPT_IN)


def test_dict_type(mod):
    assert mod.dict_type() is dict


# -- HPyList_Insert -------------------------------------------------------------

@pytest.mark.parametrize('index, expected', [
    (0, ['x', 0, 1, 2]), (1, [0, 'x', 1, 2]), (3, [0, 1, 2, 'x']),
    (-1, [0, 1, 'x', 2]), (-3, ['x', 0, 1, 2]),
    (-100, ['x', 0, 1, 2]), (100, [0, 1, 2, 'x']),      # clipped to 0 and n
])
def test_list_insert(mod, index, expected):
    lst = [0, 1, 2]
    assert mod.list_insert(lst, index, 'x') is None
    assert lst == expected


def test_list_insert_into_a_list_subclass_and_an_empty_list(mod):
    class L(list):
        pass
    lst = L([1])
    mod.list_insert(lst, 0, 0)
    assert lst == [0, 1] and type(lst) is L
    empty = []
    mod.list_insert(empty, 5, 'only')
    assert empty == ['only']


def test_list_insert_takes_a_new_reference(mod):
    item = object()
    lst = []
    base = sys.getrefcount(item)
    mod.list_insert(lst, 0, item)
    assert sys.getrefcount(item) == base + 1
    lst.clear()
    assert sys.getrefcount(item) == base


def test_list_insert_needs_a_list_and_an_item(mod):
    for not_a_list in ((), {}, 'abc'):
        with pytest.raises(SystemError):
            mod.list_insert(not_a_list, 0, 1)
    lst = [1]
    with pytest.raises(SystemError):
        mod.list_insert(lst, 0)           # HPy_NULL item
    assert lst == [1]


# -- slices of sequences ------------------------------------------------------------

@pytest.mark.parametrize('obj, start, end', [
    ([0, 1, 2, 3, 4], 1, 3), ((0, 1, 2, 3), 0, 4), ('hello', 1, 4), (b'bytes', 2, 100),
    (range(10), 3, 7), ([0, 1, 2], 2, 1), ([0, 1, 2, 3], -3, -1)])
def test_get_slice(mod, obj, start, end):
    result = mod.get_slice(obj, start, end)
    assert result == obj[start:end] and type(result) is type(obj[start:end])


def test_get_slice_of_a_list_is_a_new_list(mod):
    lst = [1, 2]
    copy = mod.get_slice(lst, 0, 2)
    assert copy == lst and copy is not lst


def test_get_slice_calls_getitem_with_a_slice(mod):
    class Seq:
        def __getitem__(self, key):
            return ('got', key)
    assert mod.get_slice(Seq(), 2, 5) == ('got', slice(2, 5, None))


def test_get_slice_of_an_unsliceable_object(mod):
    with pytest.raises(TypeError, match="'int' object is unsliceable"):
        mod.get_slice(42, 0, 1)


def test_set_slice(mod):
    lst = [0, 1, 2, 3, 4]
    assert mod.set_slice(lst, 1, 3, ['a', 'b', 'c']) is None
    assert lst == [0, 'a', 'b', 'c', 3, 4]
    mod.set_slice(lst, 0, 100, ())
    assert lst == []


def test_set_slice_calls_setitem_with_a_slice(mod):
    calls = []

    class Seq:
        def __setitem__(self, key, value):
            calls.append((key, value))
    value = object()
    mod.set_slice(Seq(), 1, 2, value)
    assert calls == [(slice(1, 2, None), value)]


def test_set_slice_references(mod):
    item = object()
    lst = [0, 1]
    base = sys.getrefcount(item)
    mod.set_slice(lst, 0, 1, [item, item])
    assert lst == [item, item, 1]
    assert sys.getrefcount(item) == base + 2
    del lst[:2]
    assert sys.getrefcount(item) == base


def test_set_slice_errors(mod):
    with pytest.raises(TypeError, match="'tuple' object doesn't support slice assignment"):
        mod.set_slice((1, 2), 0, 1, [3])
    with pytest.raises(TypeError):
        mod.set_slice([1, 2], 0, 1, 3)      # not iterable
    with pytest.raises(TypeError, match="'int' object doesn't support slice assignment"):
        mod.set_slice(5, 0, 1, [3])


def test_del_slice(mod):
    lst = [0, 1, 2, 3, 4]
    assert mod.del_slice(lst, 1, 3) is None
    assert lst == [0, 3, 4]
    mod.del_slice(lst, -2, 100)
    assert lst == [0]


def test_del_slice_releases_the_items(mod):
    item = object()
    lst = [item, item, 0]
    base = sys.getrefcount(item)
    mod.del_slice(lst, 0, 2)
    assert sys.getrefcount(item) == base - 2


def test_del_slice_errors(mod):
    with pytest.raises(TypeError, match="'tuple' object doesn't support slice deletion"):
        mod.del_slice((1, 2), 0, 1)
    with pytest.raises(TypeError, match="'int' object doesn't support slice deletion"):
        mod.del_slice(1, 0, 1)


@pytest.mark.parametrize('which', [0, 1, 2], ids=['get', 'set', 'del'])
def test_slice_of_a_null_handle_is_a_system_error(mod, which):
    with pytest.raises(SystemError):
        mod.slice_of_null(which)


# -- iteration ----------------------------------------------------------------------

def test_get_iter(mod):
    it = mod.get_iter([1, 2, 3])
    assert type(it) is type(iter([]))
    assert list(it) == [1, 2, 3]
    assert list(mod.get_iter({'a': 1})) == ['a']


def test_get_iter_of_an_iterator_is_itself(mod):
    it = iter([1])
    assert mod.get_iter(it) is it
    gen = (x for x in ())
    assert mod.get_iter(gen) is gen


def test_get_iter_uses_iter_and_getitem(mod):
    class Iterable:
        def __iter__(self):
            return iter('ab')

    class OldSequence:
        def __getitem__(self, i):
            if i < 2:
                return i * 10
            raise IndexError(i)
    assert list(mod.get_iter(Iterable())) == ['a', 'b']
    assert list(mod.get_iter(OldSequence())) == [0, 10]


def test_get_iter_of_a_non_iterable(mod):
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        mod.get_iter(42)

    class Bad:
        def __iter__(self):
            return 42
    with pytest.raises(TypeError, match='non-iterator'):
        mod.get_iter(Bad())


def test_iter_next_drains_an_iterator(mod):
    assert mod.drain(iter([1, 'two', None])) == [1, 'two', None]
    assert mod.drain(iter(())) == []
    assert mod.drain(x * x for x in range(4)) == [0, 1, 4, 9]


def test_iter_next_one_at_a_time(mod):
    it = iter(['a'])
    assert mod.iter_next(it) == 'a'
    assert mod.iter_next(it) is None          # exhausted, no exception
    assert mod.iter_next(it) is None


def test_iter_next_end_of_a_python_iterator_is_no_error(mod):
    class It:
        def __init__(self):
            self.n = 0

        def __iter__(self):
            return self

        def __next__(self):
            self.n += 1
            if self.n > 2:
                raise StopIteration('with a value')
            return self.n
    assert mod.drain(It()) == [1, 2]


def test_iter_next_propagates_errors(mod):
    def gen():
        yield 1
        raise KeyError('boom')
    with pytest.raises(KeyError, match='boom'):
        mod.drain(gen())


def test_iter_next_of_a_non_iterator_is_a_type_error(mod):
    for obj in ([1, 2], 42, 'abc'):
        with pytest.raises(TypeError, match=f"'{type(obj).__name__}' object is not an iterator"):
            mod.iter_next(obj)


def test_iter_next_returns_a_new_reference(mod):
    item = object()
    it = iter([item])
    base = sys.getrefcount(item)
    got = mod.iter_next(it)
    assert got is item
    assert sys.getrefcount(item) == base + 1   # `got` is the one new reference
    del got
    assert sys.getrefcount(item) == base


def test_iter_check(mod):
    class OnlyIter:
        def __iter__(self):
            return iter(())

    class Next:
        def __next__(self):
            raise StopIteration
    assert mod.iter_check(iter([])) == 1
    assert mod.iter_check(x for x in ()) == 1
    assert mod.iter_check(Next()) == 1
    assert mod.iter_check([]) == 0
    assert mod.iter_check(OnlyIter()) == 0
    assert mod.iter_check(42) == 0


# -- HPySlice_New ---------------------------------------------------------------

def test_slice_new(mod):
    s = mod.slice_new(1, 10, 2)
    assert type(s) is slice and (s.start, s.stop, s.step) == (1, 10, 2)
    assert [0, 1, 2, 3, 4, 5][mod.slice_new(1, None, 2)] == [1, 3, 5]


def test_slice_new_takes_any_objects(mod):
    start, stop, step = 'a', object(), [1]
    s = mod.slice_new(start, stop, step)
    assert s.start is start and s.stop is stop and s.step is step


def test_slice_new_null_handles_are_none(mod):
    assert mod.slice_new() == slice(None, None, None)
    assert mod.slice_new(3) == slice(3, None, None)


def test_slice_new_references(mod):
    obj = object()
    base = sys.getrefcount(obj)
    s = mod.slice_new(obj, obj, obj)
    assert sys.getrefcount(obj) == base + 3
    del s
    assert sys.getrefcount(obj) == base
