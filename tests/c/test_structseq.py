"""HPyStructSequence_NewType and HPyStructSequence_New (the helper library),
in both ABIs: a C API struct sequence in the CPython ABI, a namedtuple class
in the universal ABI, with the same names, docs, fields and errors."""
import importlib.util
import os
import sys

import pytest

from support import compile as hpy_compile

SOURCE = r'''
static HPyStructSequence_Field with_fields_fields[] = {
    { "field0", "doc0" },
    { "field1", NULL },
    { NULL, "the unnamed one" },      /* named at run time: not a constant */
    { NULL, NULL },
};
static HPyStructSequence_Desc with_fields_desc = {
    .name = "mytest.WithFields",
    .doc = "some doc",
    .fields = with_fields_fields,
};

static HPyStructSequence_Field no_fields_fields[] = { { NULL, NULL } };
static HPyStructSequence_Desc no_fields_desc = {
    .name = "mytest.sub.NoFields",
    .fields = no_fields_fields,
};

static HPyStructSequence_Field pair_fields[] = { { "first", NULL }, { "second", NULL }, { NULL, NULL } };
static HPyStructSequence_Desc pair_desc = { .name = "mytest.Pair", .doc = "two", .fields = pair_fields };
/* UTF-8: "módulo.Ünï" */
static HPyStructSequence_Desc utf8_desc = { .name = "m\xc3\xb3" "dulo.\xc3\x9c" "n\xc3\xaf", .fields = pair_fields };
static HPyStructSequence_Desc undotted_desc = { .name = "Undotted", .fields = pair_fields };

/* "_" written out is the unnamed marker's text */
static HPyStructSequence_Field literal_fields[] = { { "a", NULL }, { "_", NULL }, { NULL, NULL } };
static HPyStructSequence_Desc literal_desc = { .name = "mytest.Literal", .fields = literal_fields };

static int add_type(HPyContext *ctx, HPy module, const char *attr, HPyStructSequence_Desc *desc)
{
    HPy type = HPyStructSequence_NewType(ctx, desc);
    if (HPy_IsNull(type))
        return -1;
    int r = HPy_SetAttr_s(ctx, module, attr, type);
    HPy_Close(ctx, type);
    return r;
}

HPyDef_SLOT(exec, HPy_mod_exec)
static int exec_impl(HPyContext *ctx, HPy module)
{
    with_fields_fields[2].name = HPyStructSequence_UnnamedField;
    if (add_type(ctx, module, "WithFields", &with_fields_desc) < 0 ||
            add_type(ctx, module, "NoFields", &no_fields_desc) < 0 ||
            add_type(ctx, module, "Pair", &pair_desc) < 0 ||
            add_type(ctx, module, "Literal", &literal_desc) < 0 ||
            add_type(ctx, module, "Utf8", &utf8_desc) < 0)
        return -1;
    return 0;
}

/* build(type, *items) */
HPyDef_METH(build, "build", HPyFunc_VARARGS)
static HPy build_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy items[32];
    HPy_ssize_t n = (HPy_ssize_t)nargs - 1;
    if (n > 32)
        return HPyErr_SetString(ctx, ctx->h_ValueError, "build() takes at most 32 items");
    for (HPy_ssize_t i = 0; i < n; i++)
        items[i] = args[i + 1];
    return HPyStructSequence_New(ctx, args[0], n, items);
}

/* bad C arguments: 0 a null type, 1 null args, 2 a null item */
HPyDef_METH(build_bad, "build_bad", HPyFunc_VARARGS)
static HPy build_bad_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy items[3] = { ctx->h_None, HPy_NULL, ctx->h_None };
    switch (HPyLong_AsLong(ctx, args[1])) {
    case 0: return HPyStructSequence_New(ctx, HPy_NULL, 3, items);
    case 1: return HPyStructSequence_New(ctx, args[0], 3, NULL);
    default: return HPyStructSequence_New(ctx, args[0], 3, items);
    }
}

/* bad descriptors: 0 no name, 1 no fields */
static HPyStructSequence_Desc no_name_desc = { .fields = no_fields_fields };
static HPyStructSequence_Desc no_fields_array_desc = { .name = "mytest.Bad" };

HPyDef_METH(new_type_bad, "new_type_bad", HPyFunc_O)
static HPy new_type_bad_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long which = HPyLong_AsLong(ctx, arg);
    return HPyStructSequence_NewType(ctx, which == 0 ? &no_name_desc : &no_fields_array_desc);
}

HPyDef_METH(new_pair_type, "new_pair_type", HPyFunc_NOARGS)
static HPy new_pair_type_impl(HPyContext *ctx, HPy self)
{
    return HPyStructSequence_NewType(ctx, &pair_desc);
}

HPyDef_METH(new_undotted_type, "new_undotted_type", HPyFunc_NOARGS)
static HPy new_undotted_type_impl(HPyContext *ctx, HPy self)
{
    return HPyStructSequence_NewType(ctx, &undotted_desc);
}

@EXPORT(exec)
@EXPORT(build)
@EXPORT(build_bad)
@EXPORT(new_type_bad)
@EXPORT(new_pair_type)
@EXPORT(new_undotted_type)
@INIT
'''


_modules = {}


@pytest.fixture
def mod(abi, tmp_path_factory):
    # compiled once per ABI: the tests only read the module's types
    if abi not in _modules:
        name, path = hpy_compile.build(SOURCE, abi, tmp_path_factory.mktemp(f'structseq_{abi}'))
        _modules[abi] = hpy_compile.load(name, path, abi)
    return _modules[abi]


def test_type_names_and_docs(mod):
    t = mod.WithFields
    assert (t.__name__, t.__qualname__, t.__module__, t.__doc__) == (
        'WithFields', 'WithFields', 'mytest', 'some doc')
    t = mod.NoFields
    assert (t.__name__, t.__qualname__, t.__module__, t.__doc__) == (
        'NoFields', 'NoFields', 'mytest.sub', None)
    assert (mod.Pair.__name__, mod.Pair.__module__, mod.Pair.__doc__) == ('Pair', 'mytest', 'two')
    assert (mod.Utf8.__name__, mod.Utf8.__qualname__, mod.Utf8.__module__) == ('Ünï', 'Ünï', 'módulo')


# The C API warns about a type name without a module; the type still gets one.
@pytest.mark.filterwarnings('ignore:builtin type Undotted has no __module__ attribute')
def test_name_without_a_module(mod):
    t = mod.new_undotted_type()
    assert (t.__name__, t.__qualname__, t.__module__) == ('Undotted', 'Undotted', 'builtins')
    assert mod.build(t, 1, 2).second == 2


def test_types_are_tuple_subclasses_counting_their_fields(mod):
    for t, n, unnamed in [(mod.WithFields, 3, 1), (mod.NoFields, 0, 0), (mod.Pair, 2, 0)]:
        assert issubclass(t, tuple)
        assert (t.n_fields, t.n_sequence_fields, t.n_unnamed_fields) == (n, n, unnamed)


def test_new_instance(mod):
    marker = object()
    s = mod.build(mod.WithFields, 1, 2.0, marker)
    assert type(s) is mod.WithFields
    assert s == (1, 2.0, marker) and len(s) == 3
    assert (s.field0, s.field1, s[2]) == (1, 2.0, marker)
    assert mod.build(mod.NoFields) == ()
    assert mod.build(mod.Pair, 'x', 'y').second == 'y'


def test_unnamed_field_has_no_attribute(mod):
    marker = object()
    s = mod.build(mod.WithFields, 1, 2.0, marker)
    assert [name for name in dir(s) if getattr(s, name, None) is marker] == []
    assert mod.WithFields.__match_args__ == ('field0', 'field1')
    assert mod.Literal.n_unnamed_fields == 1
    assert mod.Literal.__match_args__ == ('a',)


def test_field_docs(mod):
    assert mod.WithFields.field0.__doc__ == 'doc0'
    assert mod.WithFields.field1.__doc__ is None


def test_instances_are_immutable(mod):
    s = mod.build(mod.Pair, 1, 2)
    with pytest.raises(AttributeError):
        s.first = 3
    with pytest.raises(TypeError):
        s[0] = 3
    assert s == (1, 2)


def test_repr_names_the_fields(mod):
    assert repr(mod.build(mod.Pair, 1, 'b')).endswith("Pair(first=1, second='b')")


def test_new_does_not_steal_the_items(mod):
    item = object()
    before = sys.getrefcount(item)
    s = mod.build(mod.Pair, item, item)
    assert sys.getrefcount(item) == before + 2
    del s
    assert sys.getrefcount(item) == before


@pytest.mark.parametrize('t, items, n', [('WithFields', (1,), 3), ('WithFields', (1, 2, 3, 4), 3),
                                         ('NoFields', (1, 2, 3), 0), ('Pair', (), 2)])
def test_new_wants_exactly_one_item_per_field(mod, t, items, n):
    with pytest.raises(TypeError, match=f'^expected exactly {n} arguments but got {len(items)}$'):
        mod.build(getattr(mod, t), *items)


@pytest.mark.parametrize('not_structseq', [str, tuple, 42, None])
def test_new_refuses_other_types(mod, not_structseq):
    with pytest.raises(TypeError, match='does not look like a struct sequence type'):
        mod.build(not_structseq, 1)


def test_new_with_an_interpreter_struct_sequence(mod):
    """os.stat_result has hidden fields: nargs counts them all."""
    t = os.stat_result
    s = mod.build(t, *range(t.n_fields))
    assert type(s) is t
    assert s == tuple(range(t.n_sequence_fields))
    assert s.st_mode == 0 and s.st_size == 6


@pytest.mark.parametrize('which, message', [(0, 'type is HPy_NULL'), (1, 'args is NULL'),
                                            (2, r'args\[1\] is HPy_NULL')])
def test_new_with_bad_c_arguments(mod, which, message):
    with pytest.raises(SystemError, match=message):
        mod.build_bad(mod.WithFields, which)


def test_new_type_with_a_bad_descriptor(mod):
    with pytest.raises(SystemError, match=r'^Struct sequence descriptor does not define the name field\.'):
        mod.new_type_bad(0)
    with pytest.raises(SystemError, match='^Struct sequence descriptor does not define the fields'):
        mod.new_type_bad(1)


def test_each_new_type_is_a_new_class(mod):
    again = mod.new_pair_type()
    assert again is not mod.Pair
    assert again.__name__ == 'Pair' and again.n_fields == 2
    assert type(mod.build(again, 1, 2)) is again


@pytest.mark.parametrize('debug', [False, True], ids=['hpy09', 'hpy09-debug'])
def test_our_universal_struct_sequences_run_in_hpy_0_9(tmp_path, debug):
    """The helper is on the HPy API only: the binary runs in hpy==0.9.0's runtime."""
    hpy_universal = pytest.importorskip('hpy.universal', reason='the hpy==0.9.0 peer runtime is not installed')
    name, path = hpy_compile.build(SOURCE, 'universal', tmp_path)
    spec = importlib.util.spec_from_file_location(name, path)
    m = hpy_universal.load(name, str(path), spec, debug=debug)
    s = m.build(m.WithFields, 1, 2.0, '3')
    assert (s.field0, s.field1, s[2], type(s).__module__) == (1, 2.0, '3', 'mytest')
    with pytest.raises(TypeError, match='^expected exactly 2 arguments but got 1$'):
        m.build(m.Pair, 1)


CPLUSPLUS = r'''
static HPyStructSequence_Field fields[] = { { "x", "the x" }, { NULL, NULL }, { NULL, NULL } };
static HPyStructSequence_Desc desc = { "cxx.Point", "a point", fields };

HPyDef_METH(point, "point", HPyFunc_O)
static HPy point_impl(HPyContext *ctx, HPy self, HPy arg)
{
    fields[1].name = HPyStructSequence_UnnamedField;
    HPy type = HPyStructSequence_NewType(ctx, &desc);
    if (HPy_IsNull(type))
        return HPy_NULL;
    HPy items[2] = { arg, arg };
    HPy result = HPyStructSequence_New(ctx, type, 2, items);
    HPy_Close(ctx, type);
    return result;
}
@EXPORT(point)
@INIT
'''


def test_struct_sequences_in_cplusplus(abi, tmp_path):
    name, path = hpy_compile.build(CPLUSPLUS, abi, tmp_path, cplusplus=True)
    p = hpy_compile.load(name, path, abi).point(5)
    assert (p, p.x, type(p).__name__, type(p).n_unnamed_fields) == ((5, 5), 5, 'Point', 1)
