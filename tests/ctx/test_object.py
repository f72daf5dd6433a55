"""The object protocol: attributes, items, repr/str/ascii/bytes, hash,
rich comparison, type, identity, length, containment, callability."""
import array
import collections
import operator
import sys

import pytest

SOURCE = r'''
/* attributes: the _s variants take the name as bytes */
HPyDef_METH(getattr_, "getattr", HPyFunc_VARARGS)
static HPy getattr__impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_GetAttr(ctx, args[0], args[1]));
}

HPyDef_METH(getattr_s, "getattr_s", HPyFunc_VARARGS)
static HPy getattr_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_GetAttr_s(ctx, args[0], cstr(ctx, args[1])));
}

HPyDef_METH(hasattr_, "hasattr", HPyFunc_VARARGS)
static HPy hasattr__impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    int r = HPy_HasAttr(ctx, args[0], args[1]);
    if (HPyErr_Occurred(ctx))
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "HPy_HasAttr left an exception set");
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(hasattr_s, "hasattr_s", HPyFunc_VARARGS)
static HPy hasattr_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    int r = HPy_HasAttr_s(ctx, args[0], cstr(ctx, args[1]));
    if (HPyErr_Occurred(ctx))
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "HPy_HasAttr_s left an exception set");
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(setattr_, "setattr", HPyFunc_VARARGS)
static HPy setattr__impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_SetAttr(ctx, args[0], args[1], args[2]));
}

HPyDef_METH(setattr_s, "setattr_s", HPyFunc_VARARGS)
static HPy setattr_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_SetAttr_s(ctx, args[0], cstr(ctx, args[1]), args[2]));
}

/* items: _i takes a Python int index, _s a bytes key */
static HPy_ssize_t index_arg(HPyContext *ctx, HPy h)
{
    return HPyLong_AsSsize_t(ctx, h);
}

HPyDef_METH(getitem, "getitem", HPyFunc_VARARGS)
static HPy getitem_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_GetItem(ctx, args[0], args[1]));
}

HPyDef_METH(getitem_i, "getitem_i", HPyFunc_VARARGS)
static HPy getitem_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_GetItem_i(ctx, args[0], index_arg(ctx, args[1])));
}

HPyDef_METH(getitem_s, "getitem_s", HPyFunc_VARARGS)
static HPy getitem_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_GetItem_s(ctx, args[0], cstr(ctx, args[1])));
}

HPyDef_METH(setitem, "setitem", HPyFunc_VARARGS)
static HPy setitem_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_SetItem(ctx, args[0], args[1], args[2]));
}

HPyDef_METH(setitem_i, "setitem_i", HPyFunc_VARARGS)
static HPy setitem_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_SetItem_i(ctx, args[0], index_arg(ctx, args[1]), args[2]));
}

HPyDef_METH(setitem_s, "setitem_s", HPyFunc_VARARGS)
static HPy setitem_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_SetItem_s(ctx, args[0], cstr(ctx, args[1]), args[2]));
}

HPyDef_METH(delitem, "delitem", HPyFunc_VARARGS)
static HPy delitem_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_DelItem(ctx, args[0], args[1]));
}

HPyDef_METH(delitem_i, "delitem_i", HPyFunc_VARARGS)
static HPy delitem_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_DelItem_i(ctx, args[0], index_arg(ctx, args[1])));
}

HPyDef_METH(delitem_s, "delitem_s", HPyFunc_VARARGS)
static HPy delitem_s_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPy_DelItem_s(ctx, args[0], cstr(ctx, args[1])));
}

/* HPyList_New(n) then HPy_SetItem_i of each index: the list's empty slots */
HPyDef_METH(list_new_setitem_i, "list_new_setitem_i", HPyFunc_VARARGS)
static HPy list_new_setitem_i_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n = index_arg(ctx, args[0]);
    HPy list = HPyList_New(ctx, n);
    if (HPy_IsNull(list))
        return HPy_NULL;
    for (HPy_ssize_t i = 0; i < n; i++) {
        if (HPy_SetItem_i(ctx, list, i, args[1]) < 0) {
            HPy_Close(ctx, list);
            return HPy_NULL;
        }
    }
    return list;
}

/* the item calls on a null handle: each must raise (which = 0, 1, 2:
   HPy_GetItem_i, HPy_SetItem_i, HPy_DelItem_s) */
HPyDef_METH(item_of_null, "item_of_null", HPyFunc_O)
static HPy item_of_null_impl(HPyContext *ctx, HPy self, HPy arg)
{
    switch (HPyLong_AsInt32_t(ctx, arg)) {
    case 0: return box_handle(ctx, HPy_GetItem_i(ctx, HPy_NULL, 0));
    case 1: return box_status(ctx, HPy_SetItem_i(ctx, HPy_NULL, 0, ctx->h_None));
    default: return box_status(ctx, HPy_DelItem_s(ctx, HPy_NULL, "k"));
    }
}

HPyDef_METH(contains, "contains", HPyFunc_VARARGS)
static HPy contains_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_i64(ctx, HPy_Contains(ctx, args[0], args[1]), -1);
}

HPyDef_METH(length, "length", HPyFunc_O)
static HPy length_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPy_Length(ctx, arg), -1);
}

/* conversions to strings and bytes */
HPyDef_METH(repr_, "repr", HPyFunc_O)
static HPy repr__impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_Repr(ctx, arg));
}

HPyDef_METH(str_, "str", HPyFunc_O)
static HPy str__impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_Str(ctx, arg));
}

HPyDef_METH(ascii_, "ascii", HPyFunc_O)
static HPy ascii__impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_ASCII(ctx, arg));
}

HPyDef_METH(bytes_, "bytes", HPyFunc_O)
static HPy bytes__impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_Bytes(ctx, arg));
}

HPyDef_METH(hash_, "hash", HPyFunc_O)
static HPy hash__impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPy_Hash(ctx, arg), -1);
}

/* comparison: (v, w, op) */
HPyDef_METH(richcompare, "richcompare", HPyFunc_VARARGS)
static HPy richcompare_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    int op = HPyLong_AsInt32_t(ctx, args[2]);
    return box_handle(ctx, HPy_RichCompare(ctx, args[0], args[1], op));
}

HPyDef_METH(richcomparebool, "richcomparebool", HPyFunc_VARARGS)
static HPy richcomparebool_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    int op = HPyLong_AsInt32_t(ctx, args[2]);
    return box_i64(ctx, HPy_RichCompareBool(ctx, args[0], args[1], op), -1);
}

HPyDef_METH(ops, "ops", HPyFunc_NOARGS)
static HPy ops_impl(HPyContext *ctx, HPy self)
{
    HPy_RichCmpOp ops[] = { HPy_LT, HPy_LE, HPy_EQ, HPy_NE, HPy_GT, HPy_GE };
    HPy items[6];
    for (int i = 0; i < 6; i++)
        items[i] = HPyLong_FromLong(ctx, (long)ops[i]);
    HPy result = HPyTuple_FromArray(ctx, items, 6);
    for (int i = 0; i < 6; i++)
        HPy_Close(ctx, items[i]);
    return result;
}

/* types and identity */
HPyDef_METH(type_, "type", HPyFunc_O)
static HPy type__impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPy_Type(ctx, arg));
}

HPyDef_METH(typecheck, "typecheck", HPyFunc_VARARGS)
static HPy typecheck_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_i64(ctx, HPy_TypeCheck(ctx, args[0], args[1]) != 0, -1);
}

HPyDef_METH(is_, "is_", HPyFunc_VARARGS)
static HPy is__impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_i64(ctx, HPy_Is(ctx, args[0], args[1]) != 0, -1);
}

HPyDef_METH(type_getname, "type_getname", HPyFunc_O)
static HPy type_getname_impl(HPyContext *ctx, HPy self, HPy arg)
{
    const char *name = HPyType_GetName(ctx, arg);
    if (name == NULL)
        return HPy_NULL;
    return HPyUnicode_FromString(ctx, name);
}

HPyDef_METH(type_issubtype, "type_issubtype", HPyFunc_VARARGS)
static HPy type_issubtype_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_i64(ctx, HPyType_IsSubtype(ctx, args[0], args[1]) != 0, -1);
}

HPyDef_METH(callable_check, "callable_check", HPyFunc_O)
static HPy callable_check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyCallable_Check(ctx, arg), -1);
}
'''


class Obj:
    pass


class Boom:
    """Every protocol raises."""
    def __getattr__(self, name):
        raise ZeroDivisionError('getattr ' + name)

    def __repr__(self):
        raise ZeroDivisionError('repr')

    def __str__(self):
        raise ZeroDivisionError('str')

    def __bytes__(self):
        raise ZeroDivisionError('bytes')

    def __hash__(self):
        raise ZeroDivisionError('hash')

    def __eq__(self, other):
        raise ZeroDivisionError('eq')

    def __len__(self):
        raise ZeroDivisionError('len')

    def __contains__(self, item):
        raise ZeroDivisionError('contains')

    def __getitem__(self, item):
        raise ZeroDivisionError('getitem')


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


# -- attributes ------------------------------------------------------------

def test_getattr(mod):
    o = Obj()
    o.value = object()
    assert mod.getattr(o, 'value') is o.value
    assert mod.getattr_s(o, b'value') is o.value
    assert mod.getattr_s(1, b'real') == 1
    assert mod.getattr_s(sys, b'maxsize') == sys.maxsize


def test_getattr_missing(mod):
    with pytest.raises(AttributeError, match="'Obj' object has no attribute 'nope'"):
        mod.getattr(Obj(), 'nope')
    with pytest.raises(AttributeError, match="'Obj' object has no attribute 'nope'"):
        mod.getattr_s(Obj(), b'nope')
    with pytest.raises(ZeroDivisionError, match='getattr other'):
        mod.getattr_s(Boom(), b'other')
    with pytest.raises(TypeError):
        mod.getattr(Obj(), 42)


def test_getattr_s_decodes_utf8(mod):
    o = Obj()
    setattr(o, 'caf\xe9', 5)
    assert mod.getattr_s(o, 'caf\xe9'.encode()) == 5


def test_string_names_and_keys_must_be_utf8(mod):
    with pytest.raises(UnicodeDecodeError):
        mod.getattr_s(Obj(), b'\xff')
    with pytest.raises(UnicodeDecodeError):
        mod.setattr_s(Obj(), b'\xff', 1)
    with pytest.raises(UnicodeDecodeError):
        mod.getitem_s({}, b'\xff')
    with pytest.raises(UnicodeDecodeError):
        mod.setitem_s({}, b'\xff', 1)
    with pytest.raises(UnicodeDecodeError):
        mod.delitem_s({}, b'\xff')
    assert mod.hasattr_s(Obj(), b'\xff') == 0


def test_getattr_returns_new_references(mod):
    o = Obj()
    value = o.value = object()
    base = sys.getrefcount(value)
    for _ in range(100):
        mod.getattr(o, 'value')
        mod.getattr_s(o, b'value')
    after = sys.getrefcount(value)
    assert after == base


def test_hasattr(mod):
    o = Obj()
    o.x = 1
    assert mod.hasattr(o, 'x') == 1
    assert mod.hasattr_s(o, b'x') == 1
    assert mod.hasattr(o, 'y') == 0
    assert mod.hasattr_s(o, b'y') == 0
    # errors other than AttributeError count as "no attribute" and are cleared
    assert mod.hasattr_s(Boom(), b'anything') == 0
    assert mod.hasattr(Boom(), 'anything') == 0


def test_hasattr_swallows_errors_silently(mod, monkeypatch):
    # PyObject_HasAttr reports them as unraisable since CPython 3.13; HPy_HasAttr does not
    reported = []
    monkeypatch.setattr(sys, 'unraisablehook', reported.append)
    assert mod.hasattr(Boom(), 'anything') == 0
    assert mod.hasattr_s(Boom(), b'anything') == 0
    assert mod.hasattr_s(Obj(), b'\xff') == 0
    assert [r.exc_type for r in reported] == []


def test_setattr(mod):
    o = Obj()
    value = object()
    assert mod.setattr(o, 'a', value) is None
    assert o.a is value
    assert mod.setattr_s(o, b'b', 7) is None
    assert o.b == 7
    base = sys.getrefcount(value)
    mod.setattr_s(o, b'c', value)
    assert sys.getrefcount(value) == base + 1
    mod.setattr_s(o, b'c', None)
    assert sys.getrefcount(value) == base


def test_setattr_errors(mod):
    with pytest.raises(AttributeError):
        mod.setattr(object(), 'a', 1)
    with pytest.raises(AttributeError):
        mod.setattr_s(1, b'real', 2)
    with pytest.raises(TypeError):
        mod.setattr(Obj(), 3, 1)


# -- items -----------------------------------------------------------------

def test_getitem(mod):
    lst = ['a', 'b', 'c']
    d = {'k': 1, 2: 'two'}
    assert mod.getitem(lst, 1) == 'b'
    assert mod.getitem(lst, -1) == 'c'
    assert mod.getitem(d, 'k') == 1
    assert mod.getitem_i(lst, 2) == 'c'
    assert mod.getitem_i(lst, -3) == 'a'
    assert mod.getitem_i(d, 2) == 'two'      # a mapping with an int key
    assert mod.getitem_s(d, b'k') == 1
    assert mod.getitem_s({'\xe9': 3}, '\xe9'.encode()) == 3


def test_getitem_errors(mod):
    with pytest.raises(IndexError):
        mod.getitem([1], 5)
    with pytest.raises(IndexError):
        mod.getitem_i([1], 1)
    with pytest.raises(KeyError, match='missing'):
        mod.getitem({}, 'missing')
    with pytest.raises(KeyError, match='missing'):
        mod.getitem_s({}, b'missing')
    with pytest.raises(KeyError):
        mod.getitem_i({}, 0)
    with pytest.raises(TypeError):
        mod.getitem_s([1, 2], b'x')
    with pytest.raises(TypeError):
        mod.getitem(object(), 0)
    with pytest.raises(ZeroDivisionError, match='getitem'):
        mod.getitem_i(Boom(), 0)


def test_getitem_i_of_lists_and_tuples(mod):
    tup = ('a', 'b', 'c')
    assert [mod.getitem_i(tup, i) for i in range(-3, 3)] == ['a', 'b', 'c'] * 2
    lst = list(tup)
    assert [mod.getitem_i(lst, i) for i in range(-3, 3)] == ['a', 'b', 'c'] * 2
    for seq, kind in ((tup, 'tuple'), (lst, 'list')):
        for i in (3, -4, sys.maxsize, -sys.maxsize - 1):
            with pytest.raises(IndexError, match=f'^{kind} index out of range$'):
                mod.getitem_i(seq, i)


def test_getitem_i_calls_the_getitem_of_a_subclass(mod):
    class Shifted(list):
        def __getitem__(self, i):
            return ('shifted', list.__getitem__(self, i + 1))

    class Named(tuple):
        def __getitem__(self, i):
            return ('named', i)

    assert mod.getitem_i(Shifted([1, 2, 3]), 0) == ('shifted', 2)
    assert mod.getitem_i(Named((1, 2)), 1) == ('named', 1)
    assert mod.getitem_i(Named((1, 2)), 7) == ('named', 7)


def test_item_calls_on_a_null_handle_raise(mod):
    for which in range(3):
        with pytest.raises(SystemError):
            mod.item_of_null(which)


def test_getitem_returns_new_references(mod):
    value = object()
    lst, d = [value], {'k': value}
    base = sys.getrefcount(value)
    for _ in range(100):
        mod.getitem(lst, 0)
        mod.getitem_i(lst, 0)
        mod.getitem_s(d, b'k')
    assert sys.getrefcount(value) == base


def test_setitem(mod):
    lst = [0, 0, 0]
    d = {}
    assert mod.setitem(lst, 0, 'a') is None
    assert mod.setitem_i(lst, -1, 'c') is None
    assert lst == ['a', 0, 'c']
    assert mod.setitem(d, (1, 2), 'tuple') is None
    assert mod.setitem_i(d, 5, 'five') is None
    assert mod.setitem_s(d, b'k', 'v') is None
    assert d == {(1, 2): 'tuple', 5: 'five', 'k': 'v'}


def test_setitem_keeps_its_own_reference(mod):
    value = object()
    d = {}
    base = sys.getrefcount(value)
    mod.setitem_s(d, b'k', value)
    mod.setitem_i(d, 1, value)
    assert sys.getrefcount(value) == base + 2
    d.clear()
    assert sys.getrefcount(value) == base


def test_setitem_i_of_a_list_releases_the_old_item(mod):
    old, new = object(), object()
    lst = [old, old]
    old_base, new_base = sys.getrefcount(old), sys.getrefcount(new)
    assert mod.setitem_i(lst, 1, new) is None
    assert mod.setitem_i(lst, -2, new) is None
    assert lst == [new, new]
    assert sys.getrefcount(old) == old_base - 2
    assert sys.getrefcount(new) == new_base + 2


def test_setitem_i_fills_the_slots_of_hpylist_new(mod):
    value = object()
    base = sys.getrefcount(value)
    lst = mod.list_new_setitem_i(3, value)
    assert lst == [value] * 3
    assert sys.getrefcount(value) == base + 3
    assert mod.list_new_setitem_i(0, value) == []


def test_setitem_i_calls_the_setitem_of_a_subclass(mod):
    class Logged(list):
        def __setitem__(self, i, v):
            list.__setitem__(self, i, ('logged', v))

    lst = Logged([0, 0])
    assert mod.setitem_i(lst, 1, 'x') is None
    assert list(lst) == [0, ('logged', 'x')]


def test_setitem_errors(mod):
    # the interpreter's own message (PyPy's lists leave out "assignment")
    out_of_range = '^list (assignment )?index out of range$'
    with pytest.raises(IndexError, match=out_of_range):
        mod.setitem_i([], 0, 1)
    with pytest.raises(IndexError, match=out_of_range):
        mod.setitem_i([1, 2], -3, 1)
    with pytest.raises(TypeError, match="'tuple' object does not support item assignment"):
        mod.setitem_i((1,), 0, 2)
    with pytest.raises(TypeError):
        mod.setitem((1,), 0, 2)
    with pytest.raises(TypeError):
        mod.setitem({}, [], 1)
    with pytest.raises(TypeError):
        mod.setitem_s([0], b'x', 1)


def test_delitem(mod):
    lst = [1, 2, 3, 4]
    assert mod.delitem(lst, 0) is None
    assert mod.delitem_i(lst, -1) is None
    assert lst == [2, 3]
    d = {'a': 1, 2: 2, 'c': 3}
    assert mod.delitem(d, 'a') is None
    assert mod.delitem_i(d, 2) is None
    assert mod.delitem_s(d, b'c') is None
    assert d == {}


def test_delitem_errors(mod):
    with pytest.raises(KeyError):
        mod.delitem({}, 'a')
    with pytest.raises(KeyError):
        mod.delitem_s({}, b'a')
    with pytest.raises(SystemError):
        mod.delitem_s({}, None)         # a NULL key
    with pytest.raises(KeyError):
        mod.delitem_i({}, 1)
    with pytest.raises(IndexError):
        mod.delitem_i([], 0)
    with pytest.raises(TypeError):
        mod.delitem((1,), 0)


def test_contains(mod):
    assert mod.contains([1, 2], 2) == 1
    assert mod.contains([1, 2], 3) == 0
    assert mod.contains({'k': 0}, 'k') == 1
    assert mod.contains('hello', 'ell') == 1
    with pytest.raises(TypeError):
        mod.contains(1, 1)
    with pytest.raises(ZeroDivisionError, match='contains'):
        mod.contains(Boom(), 1)
    with pytest.raises(TypeError):
        mod.contains({}, [])


def test_length(mod):
    assert mod.length([1, 2, 3]) == 3
    assert mod.length('') == 0
    assert mod.length({'a': 1}) == 1
    with pytest.raises(TypeError):
        mod.length(1)
    with pytest.raises(ZeroDivisionError, match='len'):
        mod.length(Boom())


# -- repr, str, ascii, bytes, hash -----------------------------------------

@pytest.mark.parametrize('value', ['caf\xe9', 1.5, [1, 'a'], None, b'x\x00', Obj])
def test_repr_str_ascii(mod, value):
    assert mod.repr(value) == repr(value)
    assert mod.str(value) == str(value)
    assert mod.ascii(value) == ascii(value)


def test_repr_str_ascii_errors(mod):
    with pytest.raises(ZeroDivisionError, match='repr'):
        mod.repr(Boom())
    with pytest.raises(ZeroDivisionError, match='str'):
        mod.str(Boom())
    with pytest.raises(ZeroDivisionError, match='repr'):
        mod.ascii(Boom())


def test_str_returns_a_new_reference(mod):
    s = 'some text'
    base = sys.getrefcount(s)
    for _ in range(100):
        assert mod.str(s) is s
    assert sys.getrefcount(s) == base


def test_bytes(mod):
    class B:
        def __bytes__(self):
            return b'from dunder'
    assert mod.bytes(b'abc') == b'abc'
    assert mod.bytes(bytearray(b'xy')) == b'xy'
    assert mod.bytes([65, 66]) == b'AB'
    assert mod.bytes(B()) == b'from dunder'
    assert type(mod.bytes(memoryview(b'm'))) is bytes
    with pytest.raises(TypeError):
        mod.bytes('text')
    with pytest.raises(TypeError):
        mod.bytes(1.5)
    with pytest.raises(ZeroDivisionError, match='bytes'):
        mod.bytes(Boom())


@pytest.mark.parametrize('value', ['abc', 42, -1, 1.5, (1, 'a'), None, b'', Obj])
def test_hash(mod, value):
    assert mod.hash(value) == hash(value)


def test_hash_errors(mod):
    with pytest.raises(TypeError, match='unhashable'):
        mod.hash([])
    with pytest.raises(ZeroDivisionError, match='hash'):
        mod.hash(Boom())


# -- rich comparison -------------------------------------------------------

OPS = [operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge]


def test_richcmp_op_values_are_cpythons(mod):
    # HPy_LT … HPy_GE take the values of CPython's Py_LT … Py_GE
    assert mod.ops() == (0, 1, 2, 3, 4, 5)


@pytest.mark.parametrize('a, b', [(1, 2), (2, 2), (3, 2), ('a', 'b'), (1.5, 1), ((1, 2), (1, 3))])
def test_richcompare(mod, a, b):
    for code, op in zip(mod.ops(), OPS):
        assert mod.richcompare(a, b, code) is op(a, b)
        assert mod.richcomparebool(a, b, code) == int(op(a, b))


def test_richcompare_returns_what_the_method_returns(mod):
    class C:
        def __lt__(self, other):
            return 'less'

        def __eq__(self, other):
            return []
    lt, _, eq = mod.ops()[:3]
    assert mod.richcompare(C(), 1, lt) == 'less'
    assert mod.richcompare(C(), 1, eq) == []
    assert mod.richcomparebool(C(), 1, lt) == 1
    assert mod.richcomparebool(C(), 1, eq) == 0


def test_richcomparebool_is_true_for_the_same_object(mod):
    nan = float('nan')
    eq, ne = mod.ops()[2:4]
    assert mod.richcompare(nan, nan, eq) is False
    assert mod.richcomparebool(nan, nan, eq) == 1
    assert mod.richcomparebool(nan, nan, ne) == 0


def test_richcompare_errors(mod):
    lt, eq = mod.ops()[0], mod.ops()[2]
    with pytest.raises(TypeError, match="'<' not supported"):
        mod.richcompare(1, 'a', lt)
    with pytest.raises(TypeError):
        mod.richcomparebool(1, 'a', lt)
    with pytest.raises(ZeroDivisionError, match='eq'):
        mod.richcompare(Boom(), 1, eq)
    with pytest.raises(ZeroDivisionError, match='eq'):
        mod.richcomparebool(Boom(), 1, eq)


# -- types, identity, callables ---------------------------------------------

def test_type(mod):
    assert mod.type(1) is int
    assert mod.type(Obj()) is Obj
    assert mod.type(int) is type
    base = sys.getrefcount(Obj)
    o = Obj()
    for _ in range(100):
        mod.type(o)
    assert sys.getrefcount(Obj) == base + 1     # + the instance o


def test_typecheck(mod):
    class Sub(Obj):
        pass
    assert mod.typecheck(True, int) == 1
    assert mod.typecheck(True, bool) == 1
    assert mod.typecheck(1, bool) == 0
    assert mod.typecheck(Sub(), Obj) == 1
    assert mod.typecheck(Obj(), Sub) == 0
    assert mod.typecheck(Obj(), object) == 1
    assert mod.typecheck(int, type) == 1


def test_is(mod):
    a, b = [1], [1]
    assert mod.is_(a, a) == 1
    assert mod.is_(a, b) == 0
    assert mod.is_(None, None) == 1


def test_type_issubtype(mod):
    class Sub(Obj):
        pass
    assert mod.type_issubtype(bool, int) == 1
    assert mod.type_issubtype(int, bool) == 0
    assert mod.type_issubtype(Sub, Obj) == 1
    assert mod.type_issubtype(Sub, Sub) == 1
    assert mod.type_issubtype(Obj, Sub) == 0
    assert mod.type_issubtype(KeyError, LookupError) == 1


@pytest.mark.parametrize('tp', [
    int, type, Obj, KeyError,
    collections.OrderedDict,      # a static type whose tp_name is dotted
    array.array,                  # a heap type made by PyType_FromSpec, dotted name
    collections.deque,
])
def test_type_getname_is_the_unqualified_name(mod, tp):
    # HPy 0.9: "Equivalent to getting the type's __name__ attribute"
    assert mod.type_getname(tp) == tp.__name__


def test_type_getname_follows_renames(mod):
    class Renamed:
        pass
    Renamed.__name__ = 'NewName'
    assert mod.type_getname(Renamed) == 'NewName'
    # a class's own name may contain dots: it is kept whole
    assert mod.type_getname(type('with.dots', (), {})) == 'with.dots'


@pytest.mark.parametrize('value, expected', [
    (len, 1), (Obj, 1), (lambda: 0, 1), ([].append, 1), (1, 0), ('f', 0), (Obj(), 0)])
def test_callable_check(mod, value, expected):
    assert mod.callable_check(value) == expected
