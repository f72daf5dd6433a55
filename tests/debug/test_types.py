"""Debug-mode checks around types: _HPy_AsStruct_* on an object of another
shape, fields and globals given closed handles or misused, leaks in methods."""
import pytest

from hpy_build.debug import HPyLeakError, LeakDetector
from hpy_build.universal import _debug
from support.debugmode import SIGABRT

TYPES = r'''
typedef struct {
    long value;
    HPyField field;
} DummyObject;
HPyType_HELPERS(DummyObject)

HPyDef_METH(Dummy_leak, "leak", HPyFunc_O)
static HPy Dummy_leak_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_Dup(ctx, arg);      /* leaked */
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(Dummy_store_closed, "store_closed", HPyFunc_O)
static HPy Dummy_store_closed_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy h = HPy_Dup(ctx, arg);
    HPy_Close(ctx, h);
    HPyField_Store(ctx, self, &DummyObject_AsStruct(ctx, self)->field, h);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(Dummy_store_load, "store_load", HPyFunc_O)
static HPy Dummy_store_load_impl(HPyContext *ctx, HPy self, HPy arg)
{
    DummyObject *d = DummyObject_AsStruct(ctx, self);
    HPyField_Store(ctx, self, &d->field, arg);
    return HPyField_Load(ctx, self, d->field);
}

HPyDef_SLOT(Dummy_traverse, HPy_tp_traverse)
static int Dummy_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((DummyObject *)self)->field);
    return 0;
}

static HPyDef *Dummy_defines[] = {
    &Dummy_leak, &Dummy_store_closed, &Dummy_store_load, &Dummy_traverse, NULL
};
static HPyType_Spec Dummy_spec = {
    .name = "mytest.Dummy",
    .basicsize = sizeof(DummyObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .defines = Dummy_defines,
};

HPyDef_METH(as_type_struct, "as_type_struct", HPyFunc_O)
static HPy as_type_struct_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPyLong_FromLong(ctx, _HPy_AsStruct_Type(ctx, arg) != NULL);
}

HPyDef_METH(as_object_struct, "as_object_struct", HPyFunc_O)
static HPy as_object_struct_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPyLong_FromLong(ctx, ((DummyObject *)_HPy_AsStruct_Object(ctx, arg))->value);
}

static HPyGlobal global;

HPyDef_METH(global_closed, "global_closed", HPyFunc_O)
static HPy global_closed_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy h = HPy_Dup(ctx, arg);
    HPy_Close(ctx, h);
    HPyGlobal_Store(ctx, &global, h);
    return HPy_Dup(ctx, ctx->h_None);
}

/* field misuse: a field of another object, a field of a non-HPy object */
HPyDef_METH(store_into_other, "store_into_other", HPyFunc_VARARGS)
static HPy store_into_other_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    /* args[0]'s field, stored with args[1] as its owner */
    HPyField_Store(ctx, args[1], &DummyObject_AsStruct(ctx, args[0])->field, ctx->h_None);
    return HPy_Dup(ctx, ctx->h_None);
}

static HPyField loose_field;

HPyDef_METH(store_outside, "store_outside", HPyFunc_O)
static HPy store_outside_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyField_Store(ctx, arg, &loose_field, ctx->h_None);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(load_from, "load_from", HPyFunc_O)
static HPy load_from_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy h = HPyField_Load(ctx, arg, loose_field);
    return HPy_IsNull(h) ? HPy_Dup(ctx, ctx->h_None) : h;
}

/* global misuse */
static HPyGlobal never_stored, stored;

HPyDef_METH(load_never_stored, "load_never_stored", HPyFunc_NOARGS)
static HPy load_never_stored_impl(HPyContext *ctx, HPy self)
{
    HPy h = HPyGlobal_Load(ctx, never_stored);
    return HPy_IsNull(h) ? HPyUnicode_FromString(ctx, "null") : h;
}

HPyDef_METH(store_and_load, "store_and_load", HPyFunc_O)
static HPy store_and_load_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyGlobal_Store(ctx, &stored, arg);
    HPyGlobal_Store(ctx, &stored, arg);     /* again: replaces the object */
    HPyGlobal copy = stored;                /* a copy may be loaded */
    return HPyGlobal_Load(ctx, copy);
}

HPyDef_METH(store_into_copy, "store_into_copy", HPyFunc_O)
static HPy store_into_copy_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyGlobal_Store(ctx, &stored, arg);
    HPyGlobal copy = stored;
    HPyGlobal_Store(ctx, &copy, ctx->h_None);
    HPy h = HPyGlobal_Load(ctx, stored);    /* the original keeps its object */
    HPyGlobal_Store(ctx, &copy, HPy_NULL);
    return h;
}

HPyDef_METH(load_garbage_global, "load_garbage_global", HPyFunc_NOARGS)
static HPy load_garbage_global_impl(HPyContext *ctx, HPy self)
{
    HPyGlobal g;
    g._i = 0x1235;
    HPy h = HPyGlobal_Load(ctx, g);
    return HPy_IsNull(h) ? HPyUnicode_FromString(ctx, "null") : h;
}

HPyDef_METH(store_into_garbage_global, "store_into_garbage_global", HPyFunc_O)
static HPy store_into_garbage_global_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyGlobal g;
    g._i = 0x1235;      /* e.g. malloc'ed memory, never zeroed */
    HPyGlobal_Store(ctx, &g, arg);
    HPy h = HPyGlobal_Load(ctx, g);
    HPyGlobal_Store(ctx, &g, HPy_NULL);
    return h;
}

@EXPORT_TYPE("Dummy", Dummy_spec)
'''


def test_correct_use(debug_module, reports):
    mod = debug_module(TYPES)
    with LeakDetector():
        d = mod.Dummy()
        assert mod.as_object_struct(d) == 0
        assert d.store_load('kept') == 'kept'
    assert reports.invalid_handles == 0


def test_leak_in_a_method(debug_module):
    mod = debug_module(TYPES)
    d = mod.Dummy()
    with pytest.raises(HPyLeakError) as exc:
        with LeakDetector():
            d.leak('from a method')
    assert [h.obj for h in exc.value.leaks] == ['from a method']
    exc.value.leaks[0]._force_close()


def test_closed_handle_stored_in_a_field_or_global(debug_module, reports):
    mod = debug_module(TYPES)
    d = mod.Dummy()
    s = 'x' * 10
    d.store_closed(s)
    assert reports.invalid_handles == 1
    mod.global_closed(s)
    assert reports.invalid_handles == 2


def test_as_struct_of_another_shape_aborts(child):
    result = child(TYPES, 'mod.as_type_struct(mod.Dummy())')
    assert result.returncode == SIGABRT, result.stderr
    assert ('Invalid usage of _HPy_AsStruct_Type. Expected shape HPyType_BuiltinShape_Type '
            'but got HPyType_BuiltinShape_Object') in result.stderr


def test_as_struct_of_an_object_that_is_not_of_an_hpy_type_aborts(child):
    result = child(TYPES, 'mod.as_object_struct([1, 2])')
    assert result.returncode == SIGABRT, result.stderr
    assert ('Invalid usage of _HPy_AsStruct_Object. Expected shape HPyType_BuiltinShape_Object '
            'but got HPyType_BuiltinShape_Legacy') in result.stderr


def test_a_smaller_queue_shrinks_as_handles_are_used(debug_module):
    """As in HPy 0.9, a handle opened while the queue is over its size
    reuses the oldest closed one, and a close then drops one: the queue
    reaches its new size after enough calls, not at once."""
    old = _debug.get_closed_handles_queue_max_size()
    try:
        d = debug_module(TYPES).Dummy()
        d.store_load('x')
        before = len(_debug.get_closed_handles())
        _debug.set_closed_handles_queue_max_size(5)
        d.store_load('y')
        assert 5 <= len(_debug.get_closed_handles()) < before
        for _ in range(before):
            assert d.store_load('z') == 'z'
        assert len(_debug.get_closed_handles()) == 5
    finally:
        _debug.set_closed_handles_queue_max_size(old)


SHAPES = r'''
#include <stddef.h>

typedef struct { long a; } Extra;

#define SHAPED_TYPE(NAME, SHAPE)                                                \
    static HPyType_Spec NAME##_spec = {                                         \
        .name = "shapes." #NAME, .basicsize = sizeof(Extra),                    \
        .flags = HPy_TPFLAGS_DEFAULT, .builtin_shape = SHAPE,                   \
    };
SHAPED_TYPE(LongT, HPyType_BuiltinShape_Long)
SHAPED_TYPE(FloatT, HPyType_BuiltinShape_Float)
SHAPED_TYPE(UnicodeT, HPyType_BuiltinShape_Unicode)
SHAPED_TYPE(TupleT, HPyType_BuiltinShape_Tuple)

static int add(HPyContext *ctx, HPy module, const char *name, HPyType_Spec *spec, HPy base)
{
    HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, base }, { (HPyType_SpecParam_Kind)0, HPy_NULL } };
    return HPyHelpers_AddType(ctx, module, name, spec, params) ? 0 : -1;
}

HPyDef_SLOT(add_types, HPy_mod_exec)
static int add_types_impl(HPyContext *ctx, HPy module)
{
    if (add(ctx, module, "LongT", &LongT_spec, ctx->h_LongType) < 0 ||
        add(ctx, module, "FloatT", &FloatT_spec, ctx->h_FloatType) < 0 ||
        add(ctx, module, "UnicodeT", &UnicodeT_spec, ctx->h_UnicodeType) < 0 ||
        add(ctx, module, "TupleT", &TupleT_spec, ctx->h_TupleType) < 0)
        return -1;
    return 0;
}

/* Each adds 1 to the struct of its shape, through _HPy_AsStruct_<Shape>. */
static HPy bump(HPyContext *ctx, Extra *e)
{
    e->a += 1;
    return HPyLong_FromLong(ctx, e->a);
}

HPyDef_METH(poke_long, "poke_long", HPyFunc_O)
static HPy poke_long_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return bump(ctx, (Extra *)_HPy_AsStruct_Long(ctx, arg));
}

HPyDef_METH(poke_float, "poke_float", HPyFunc_O)
static HPy poke_float_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return bump(ctx, (Extra *)_HPy_AsStruct_Float(ctx, arg));
}

HPyDef_METH(poke_unicode, "poke_unicode", HPyFunc_O)
static HPy poke_unicode_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return bump(ctx, (Extra *)_HPy_AsStruct_Unicode(ctx, arg));
}

HPyDef_METH(poke_tuple, "poke_tuple", HPyFunc_O)
static HPy poke_tuple_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return bump(ctx, (Extra *)_HPy_AsStruct_Tuple(ctx, arg));
}

@EXPORT(add_types)
'''


def test_as_struct_of_the_right_shape_passes(debug_module, reports):
    mod = debug_module(SHAPES)
    # small values: a bigger int or a non-empty tuple keeps digits / items
    # where the struct is (HPy 0.9's layout; see tests/types/test_type_shapes.py)
    cases = [(mod.poke_long, mod.LongT(5)), (mod.poke_float, mod.FloatT(1.5)),
             (mod.poke_unicode, mod.UnicodeT('s')), (mod.poke_tuple, mod.TupleT(()))]
    for poke, obj in cases:
        assert (poke(obj), poke(obj)) == (1, 2)
    assert cases[0][1] + 1 == 6 and cases[1][1] == 1.5 and cases[2][1] == 's'
    assert reports.invalid_handles == 0


@pytest.mark.parametrize('poke, obj', [('poke_long', 'FloatT(1.0)'), ('poke_tuple', 'LongT(1)'),
                                       ('poke_unicode', 'TupleT(())'), ('poke_float', 'UnicodeT("")')])
def test_as_struct_of_a_wrong_builtin_shape_aborts(child, poke, obj):
    result = child(SHAPES, f'mod.{poke}(mod.{obj})')
    assert result.returncode == SIGABRT, result.stderr
    assert 'Invalid usage of _HPy_AsStruct_' in result.stderr and 'Expected shape' in result.stderr


# ---- HPyField: stored in the struct of the object that owns it ----

def test_field_load_of_a_stored_field(debug_module, reports):
    mod = debug_module(TYPES)
    d = mod.Dummy()
    assert d.store_load([1, 2]) == [1, 2]
    assert mod.load_from(d) is None         # a field of its struct that is still empty
    assert reports.invalid_handles == 0


@pytest.mark.parametrize('code, message', [
    ('mod.store_into_other(mod.Dummy(), mod.Dummy())',
     'HPyField_Store: target_field (0x'),
    ('mod.store_into_other(mod.Dummy(), mod.Dummy())',
     "is not inside the struct of target_object (an object of type 'mytest.Dummy'"),
    ('mod.store_outside(mod.Dummy())', 'an HPyField must be stored in the object that owns it'),
    ('mod.store_outside([])',
     "HPyField_Store: target_object is an object of type 'list', which is not an HPy type"),
    ('mod.load_from(42)',
     "HPyField_Load: source_object is an object of type 'int', which is not an HPy type"),
])
def test_field_misuse_aborts(child, code, message):
    result = child(TYPES, code)
    assert result.returncode == SIGABRT, result.stderr
    assert message in result.stderr, result.stderr


# ---- HPyGlobal ----

def test_global_store_and_load(debug_module, reports):
    import sys
    mod = debug_module(TYPES)
    s = object()
    before = sys.getrefcount(s)
    assert mod.store_and_load(s) is s
    assert sys.getrefcount(s) == before + 1     # held by the global, once
    mod.store_and_load(None)
    assert sys.getrefcount(s) == before
    assert reports.invalid_handles == 0


def test_global_misuse_is_reported(debug_module, reports):
    import sys
    mod = debug_module(TYPES)
    assert mod.load_never_stored() == 'null'        # after the hook: empty, as in universal mode
    assert reports.invalid_handles == 1
    assert mod.load_garbage_global() == 'null'
    assert reports.invalid_handles == 2
    s = object()
    before = sys.getrefcount(s)
    assert mod.store_into_garbage_global(s) is s    # the garbage is not released
    assert reports.invalid_handles == 3
    assert mod.store_into_copy(s) is s              # the copy gets a global of its own
    assert reports.invalid_handles == 4
    mod.store_and_load(None)
    assert sys.getrefcount(s) == before


@pytest.mark.parametrize('code, message', [
    ('mod.load_never_stored()', 'HPyGlobal_Load of an HPyGlobal that was never stored'),
    ('mod.load_garbage_global()', 'HPyGlobal_Load was given 0x1235, which is not a value'),
    ('mod.store_into_garbage_global(1)', 'which holds 0x1235: not a value HPyGlobal_Store'),
    ('mod.store_into_copy(1)', 'a copy of the one at 0x'),
])
def test_without_hook_global_misuse_aborts(child, code, message):
    result = child(TYPES, code)
    assert result.returncode == SIGABRT, result.stderr
    assert 'Invalid HPyGlobal: ' in result.stderr and message in result.stderr, result.stderr
