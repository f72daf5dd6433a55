"""HPyType_FromSpec refuses bad specs with HPy 0.9's exception types and
messages, and nothing is left half-made: the module still works after."""
import pytest

SOURCE = r'''
typedef struct { long x; } DummyObject;
HPyType_HELPERS(DummyObject)

HPyDef_MEMBER(Dummy_x, "x", HPyMember_LONG, offsetof(DummyObject, x))
HPyDef_MEMBER(Dummy_vcall, "__vectorcalloffset__", HPyMember_HPYSSIZET, 0, .readonly = 1)

HPyDef_SLOT(Dummy_call, HPy_tp_call)
static HPy Dummy_call_impl(HPyContext *ctx, HPy callable, const HPy *args, size_t nargs, HPy kwnames)
{
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_SLOT(Dummy_exec, HPy_mod_exec)
static int Dummy_exec_impl(HPyContext *ctx, HPy m) { return 0; }

HPyDef_METH(Dummy_m, "m", HPyFunc_NOARGS)
static HPy Dummy_m_impl(HPyContext *ctx, HPy self) { return HPy_Dup(ctx, ctx->h_None); }

static HPyDef bad_slot = { .kind = HPyDef_Kind_Slot, .slot = { .slot = (HPySlot_Slot)47 } };
static HPyDef bad_meth = { .kind = HPyDef_Kind_Meth,
                           .meth = { .name = "bad", .signature = HPyFunc_BINARYFUNC } };
static HPyDef bad_kind = { .kind = (HPyDef_Kind)9 };

static HPyDef *no_defines[] = { NULL };
static HPyDef *member_defines[] = { &Dummy_x, NULL };
static HPyDef *call_defines[] = { &Dummy_call, NULL };
static HPyDef *call_and_offset_defines[] = { &Dummy_call, &Dummy_vcall, NULL };
static HPyDef *exec_defines[] = { &Dummy_exec, NULL };
static HPyDef *bad_slot_defines[] = { &bad_slot, NULL };
static HPyDef *bad_meth_defines[] = { &Dummy_m, &bad_meth, NULL };
static HPyDef *bad_kind_defines[] = { &bad_kind, NULL };

HPyDef_METH(make, "make", HPyFunc_O)
static HPy make_impl(HPyContext *ctx, HPy self, HPy h_case)
{
    long c = HPyLong_AsLong(ctx, h_case);
    HPyType_Spec spec = { .name = "errtest.Dummy", .basicsize = sizeof(DummyObject),
                          .defines = no_defines };
    HPyType_SpecParam params[3] = { { (HPyType_SpecParam_Kind)0, HPy_NULL } };
    HPyType_SpecParam *p = NULL;
    switch (c) {
    case 0: break;                                            /* a valid spec */
    case 1: spec.flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC; break;
    case 2: spec.builtin_shape = (HPyType_BuiltinShape)123; break;
    case 3: spec.basicsize = 0; spec.defines = member_defines; break;
    case 4: spec.itemsize = 8; spec.defines = call_defines; break;
    case 5: spec.defines = call_and_offset_defines; break;
    case 6: spec.defines = exec_defines; break;
    case 7: spec.defines = bad_slot_defines; break;
    case 8: spec.defines = bad_meth_defines; break;
    case 9: spec.defines = bad_kind_defines; break;
    case 10: spec.name = NULL; break;
    case 11:
        params[0].kind = (HPyType_SpecParam_Kind)42; params[0].object = ctx->h_LongType;
        p = params; break;
    case 12:
        params[0].kind = HPyType_SpecParam_BasesTuple; params[0].object = ctx->h_None;
        params[1].kind = HPyType_SpecParam_BasesTuple; params[1].object = ctx->h_None;
        p = params; break;
    case 13:
        params[0].kind = HPyType_SpecParam_Base; params[0].object = ctx->h_BaseObjectType;
        params[1].kind = HPyType_SpecParam_BasesTuple; params[1].object = ctx->h_None;
        p = params; break;
    case 14:
        params[0].kind = HPyType_SpecParam_Metaclass; params[0].object = ctx->h_TypeType;
        params[1].kind = HPyType_SpecParam_Metaclass; params[1].object = ctx->h_TypeType;
        p = params; break;
    case 15:
        params[0].kind = HPyType_SpecParam_Base; params[0].object = ctx->h_BoolType;
        p = params; break;                                    /* bool is final */
    case 16: spec.basicsize = -1; break;
    }
    return HPyType_FromSpec(ctx, &spec, p);
}
@EXPORT(make)
@INIT
'''


@pytest.fixture
def mod(type_module):
    return type_module(SOURCE)


@pytest.mark.parametrize('case, exc, message', [
    (1, ValueError, 'You must provide an HPy_tp_traverse slot if you specify HPy_TPFLAGS_HAVE_GC'),
    (2, ValueError, 'invalid shape: 123'),
    (3, TypeError, 'Type claims to have basicsize==0 but defines members'),
    (4, TypeError, 'Cannot use HPy call protocol with var objects'),
    (5, TypeError, "Cannot have HPy_tp_call and explicit member '__vectorcalloffset__'. "
                   "Specify just one of them."),
    (6, SystemError, 'slot HPy_mod_exec cannot be used in a type'),
    (7, SystemError, "type 'errtest.Dummy' has an HPyDef_SLOT with invalid slot number 47"),
    (8, ValueError, 'Unsupported HPyMeth signature'),
    (9, SystemError, "type 'errtest.Dummy' has an HPyDef of unknown kind 9"),
    (10, ValueError, 'HPyType_FromSpec: the spec has no name'),
    (11, TypeError, "unknown HPyType_SpecParam specification for 'errtest.Dummy'"),
    (12, TypeError, 'multiple specifications of HPyType_SpecParam_BasesTuple'),
    (13, TypeError, 'cannot specify both HPyType_SpecParam_Base and HPyType_SpecParam_BasesTuple'),
    (14, ValueError, 'metaclass was specified multiple times'),
    (15, TypeError, "type 'bool' is not an acceptable base type"),
    (16, ValueError, "HPyType_Spec of 'errtest.Dummy' has a negative basicsize or itemsize"),
])
def test_bad_spec(mod, case, exc, message):
    with pytest.raises(exc) as info:
        mod.make(case)
    assert str(info.value).startswith(message)
    T = mod.make(0)                     # and the next type is fine
    assert T.__name__ == 'Dummy' and type(T()) is T


def test_valid_spec(mod):
    T = mod.make(0)
    assert isinstance(T, type) and T.__module__ == 'errtest'
    assert type(T()) is T
