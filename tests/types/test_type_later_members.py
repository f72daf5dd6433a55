"""The type parts of ABI 0.1 (HPY_ENABLE_ABI_0_1): builtin shape Dict with
_HPy_AsStruct_Dict, and slot HPy_tp_descr_get."""
import pytest

from support import compile as hpy_compile

SOURCE = r'''
typedef struct { long hits; } CountingDictObject;
HPyType_HELPERS(CountingDictObject, HPyType_BuiltinShape_Dict)

HPyDef_METH(CountingDict_hit, "hit", HPyFunc_NOARGS)
static HPy CountingDict_hit_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromLong(ctx, ++CountingDictObject_AsStruct(ctx, self)->hits);
}

static HPyDef *CountingDict_defines[] = { &CountingDict_hit, NULL };
static HPyType_Spec CountingDict_spec = {
    .name = "later.CountingDict",
    .basicsize = sizeof(CountingDictObject),
    .builtin_shape = SHAPE(CountingDictObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .defines = CountingDict_defines,
};

/* a descriptor: reading it through an instance gives (instance, owner) */
HPyDef_SLOT(Desc_get, HPy_tp_descr_get)
static HPy Desc_get_impl(HPyContext *ctx, HPy self, HPy obj, HPy owner)
{
    HPy items[2] = { HPy_IsNull(obj) ? ctx->h_None : obj, HPy_IsNull(owner) ? ctx->h_None : owner };
    return HPyTuple_FromArray(ctx, items, 2);
}
static HPyDef *Desc_defines[] = { &Desc_get, NULL };
static HPyType_Spec Desc_spec = { .name = "later.Desc", .defines = Desc_defines };
@EXPORT_TYPE("Desc", Desc_spec)

HPyDef_SLOT(add_dict_type, HPy_mod_exec)
static int add_dict_type_impl(HPyContext *ctx, HPy module)
{
    HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, ctx->h_DictType }, { (HPyType_SpecParam_Kind)0 } };
    return HPyHelpers_AddType(ctx, module, "CountingDict", &CountingDict_spec, params) ? 0 : -1;
}

HPyDef_METH(shape_of, "shape_of", HPyFunc_O)
static HPy shape_of_impl(HPyContext *ctx, HPy self, HPy type)
{
    return HPyLong_FromLong(ctx, (long)_HPyType_GetBuiltinShape(ctx, type));
}
@EXPORT(add_dict_type)
@EXPORT(shape_of)
@INIT
'''


@pytest.fixture(scope='module', params=['cpython', 'universal', 'debug'])
def mod(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp('later_types')
    name, path = hpy_compile.build(SOURCE, request.param, tmp, extra_cflags=['-DHPY_ENABLE_ABI_0_1'])
    return hpy_compile.load(name, path, request.param)


def test_dict_shape(mod):
    d = mod.CountingDict(a=1)
    assert isinstance(d, dict) and d == {'a': 1}
    d['b'] = 2
    assert d.hit() == 1 and d.hit() == 2
    assert sorted(d) == ['a', 'b']
    assert mod.shape_of(mod.CountingDict) == 7


def test_descr_get_slot(mod):
    class Owner:
        attr = mod.Desc()
    o = Owner()
    assert o.attr == (o, Owner)
    assert Owner.attr == (None, Owner)
