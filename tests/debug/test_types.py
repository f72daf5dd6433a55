"""Debug-mode checks around types: _HPy_AsStruct_* on an object of another
shape, fields and globals given closed handles, leaks in methods."""
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
