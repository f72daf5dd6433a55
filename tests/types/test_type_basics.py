"""HPyType_FromSpec and what a type is made of: HPy_New, tp_new/tp_init,
methods of every signature, members of every HPyMember_FieldType, get-sets
with closures, the spec's name, doc, flags and params (base, bases tuple,
metaclass), HPyType_GenericNew, HPyType_GetName/IsSubtype, HPy_TypeCheck,
_HPyType_GetBuiltinShape, HPyHelpers_AddType."""
import sys

import pytest

SOURCE = r'''
#include <string.h>

typedef struct {
    long x;
    long y;
    short m_short; int m_int; long m_long; float m_float; double m_double;
    const char *m_string; HPyField m_object; char m_char; char m_byte;
    unsigned char m_ubyte; unsigned short m_ushort; unsigned int m_uint;
    unsigned long m_ulong; char m_inplace[8]; bool m_bool; HPyField m_object_ex;
    long long m_longlong; unsigned long long m_ulonglong; HPy_ssize_t m_ssize;
} PointObject;
HPyType_HELPERS(PointObject)

HPyDef_SLOT(Point_new, HPy_tp_new)
static HPy Point_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    long x = 0, y = 0;
    HPyTracker ht;
    static const char *kwlist[] = { "x", "y", NULL };
    if (!HPyArg_ParseKeywordsDict(ctx, &ht, args, nargs, kw, "|ll", kwlist, &x, &y))
        return HPy_NULL;
    HPyTracker_Close(ctx, ht);
    PointObject *p;
    HPy h = HPy_New(ctx, cls, &p);
    if (HPy_IsNull(h))
        return HPy_NULL;
    p->x = x;
    p->y = y;
    p->m_string = "a C string";
    strcpy(p->m_inplace, "inplace");
    return h;
}

HPyDef_SLOT(Point_traverse, HPy_tp_traverse)
static int Point_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    PointObject *p = (PointObject *)self;
    HPy_VISIT(&p->m_object);
    HPy_VISIT(&p->m_object_ex);
    return 0;
}

HPyDef_MEMBER(Point_x, "x", HPyMember_LONG, offsetof(PointObject, x), .doc = "the x coordinate")
HPyDef_MEMBER(Point_y, "y", HPyMember_LONG, offsetof(PointObject, y))
HPyDef_MEMBER(Point_ro_x, "ro_x", HPyMember_LONG, offsetof(PointObject, x), .readonly = 1)
#define MEMBER(NAME, KIND, FIELD) \
    HPyDef_MEMBER(Point_##NAME, #NAME, KIND, offsetof(PointObject, FIELD)) \
    HPyDef_MEMBER(Point_ro_##NAME, "ro_" #NAME, KIND, offsetof(PointObject, FIELD), .readonly = 1)
MEMBER(m_short, HPyMember_SHORT, m_short)
MEMBER(m_int, HPyMember_INT, m_int)
MEMBER(m_long, HPyMember_LONG, m_long)
MEMBER(m_float, HPyMember_FLOAT, m_float)
MEMBER(m_double, HPyMember_DOUBLE, m_double)
MEMBER(m_string, HPyMember_STRING, m_string)
MEMBER(m_object, HPyMember_OBJECT, m_object)
MEMBER(m_char, HPyMember_CHAR, m_char)
MEMBER(m_byte, HPyMember_BYTE, m_byte)
MEMBER(m_ubyte, HPyMember_UBYTE, m_ubyte)
MEMBER(m_ushort, HPyMember_USHORT, m_ushort)
MEMBER(m_uint, HPyMember_UINT, m_uint)
MEMBER(m_ulong, HPyMember_ULONG, m_ulong)
MEMBER(m_inplace, HPyMember_STRING_INPLACE, m_inplace)
MEMBER(m_bool, HPyMember_BOOL, m_bool)
MEMBER(m_object_ex, HPyMember_OBJECT_EX, m_object_ex)
MEMBER(m_longlong, HPyMember_LONGLONG, m_longlong)
MEMBER(m_ulonglong, HPyMember_ULONGLONG, m_ulonglong)
MEMBER(m_ssize, HPyMember_HPYSSIZET, m_ssize)
MEMBER(m_none, HPyMember_NONE, m_int)

/* every method signature */
HPyDef_METH(Point_norm1, "norm1", HPyFunc_NOARGS, .doc = "|x| + |y|")
static HPy Point_norm1_impl(HPyContext *ctx, HPy self)
{
    PointObject *p = PointObject_AsStruct(ctx, self);
    return HPyLong_FromLong(ctx, labs(p->x) + labs(p->y));
}

HPyDef_METH(Point_add_x, "add_x", HPyFunc_O)
static HPy Point_add_x_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long dx = HPyLong_AsLong(ctx, arg);
    if (dx == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    PointObject_AsStruct(ctx, self)->x += dx;
    return HPy_Dup(ctx, self);
}

HPyDef_METH(Point_move, "move", HPyFunc_VARARGS)
static HPy Point_move_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    long dx, dy;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "ll", &dx, &dy))
        return HPy_NULL;
    PointObject *p = PointObject_AsStruct(ctx, self);
    p->x += dx;
    p->y += dy;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(Point_scaled, "scaled", HPyFunc_KEYWORDS)
static HPy Point_scaled_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
{
    long factor = 1;
    HPyTracker ht;
    static const char *kwlist[] = { "factor", NULL };
    if (!HPyArg_ParseKeywords(ctx, &ht, args, nargs, kwnames, "|l", kwlist, &factor))
        return HPy_NULL;
    HPyTracker_Close(ctx, ht);
    PointObject *p = PointObject_AsStruct(ctx, self), *q;
    HPy type = HPy_Type(ctx, self);
    HPy h = HPy_New(ctx, type, &q);
    HPy_Close(ctx, type);
    if (HPy_IsNull(h))
        return HPy_NULL;
    q->x = p->x * factor;
    q->y = p->y * factor;
    return h;
}

/* get-sets: the closure tells which coordinate */
HPyDef_GETSET(Point_coord, "coord", .closure = (void *)1, .doc = "x, through a get-set")
static HPy Point_coord_get(HPyContext *ctx, HPy self, void *closure)
{
    PointObject *p = PointObject_AsStruct(ctx, self);
    return HPyLong_FromLong(ctx, closure == (void *)1 ? p->x : p->y);
}
static int Point_coord_set(HPyContext *ctx, HPy self, HPy value, void *closure)
{
    if (HPy_IsNull(value)) {
        HPyErr_SetString(ctx, ctx->h_AttributeError, "cannot delete coord");
        return -1;
    }
    long v = HPyLong_AsLong(ctx, value);
    if (v == -1 && HPyErr_Occurred(ctx))
        return -1;
    PointObject *p = PointObject_AsStruct(ctx, self);
    if (closure == (void *)1) p->x = v; else p->y = v;
    return 0;
}

HPyDef_GET(Point_sum, "sum", .doc = "x + y")
static HPy Point_sum_get(HPyContext *ctx, HPy self, void *closure)
{
    PointObject *p = PointObject_AsStruct(ctx, self);
    return HPyLong_FromLong(ctx, p->x + p->y);
}

HPyDef_SET(Point_both, "both")
static int Point_both_set(HPyContext *ctx, HPy self, HPy value, void *closure)
{
    long v = HPyLong_AsLong(ctx, value);
    if (v == -1 && HPyErr_Occurred(ctx))
        return -1;
    PointObject *p = PointObject_AsStruct(ctx, self);
    p->x = p->y = v;
    return 0;
}

static HPyDef *Point_defines[] = {
    &Point_new, &Point_traverse, &Point_x, &Point_y, &Point_ro_x,
#define BOTH(NAME) &Point_##NAME, &Point_ro_##NAME,
    BOTH(m_short) BOTH(m_int) BOTH(m_long) BOTH(m_float) BOTH(m_double)
    BOTH(m_string) BOTH(m_object) BOTH(m_char) BOTH(m_byte) BOTH(m_ubyte)
    BOTH(m_ushort) BOTH(m_uint) BOTH(m_ulong) BOTH(m_inplace) BOTH(m_bool)
    BOTH(m_object_ex) BOTH(m_longlong) BOTH(m_ulonglong) BOTH(m_ssize) BOTH(m_none)
    &Point_norm1, &Point_add_x, &Point_move, &Point_scaled,
    &Point_coord, &Point_sum, &Point_both,
    NULL
};

static HPyType_Spec Point_spec = {
    .name = "mytypes.Point",
    .doc = "A point in the plane",
    .basicsize = sizeof(PointObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE | HPy_TPFLAGS_HAVE_GC,
    .builtin_shape = SHAPE(PointObject),
    .defines = Point_defines,
};
@EXPORT_TYPE("Point", Point_spec)

/* A final type (no BASETYPE) with no struct, no tp_new: HPyType_GenericNew */
HPyDef_SLOT_IMPL(Plain_new, HPyType_GenericNew, HPy_tp_new)
static HPyDef *Plain_defines[] = { &Plain_new, NULL };
static HPyType_Spec Plain_spec = {
    .name = "mytypes.Plain",
    .defines = Plain_defines,
};
@EXPORT_TYPE("Plain", Plain_spec)

/* make_type(name, kind, obj): a type made at run time with one spec param
   (kind: 0 none, 1 Base, 2 BasesTuple, 3 Metaclass, 4 Base + Metaclass) */
static HPyType_Spec Sub_spec = {
    .basicsize = 0,
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
};

HPyDef_METH(make_type, "make_type", HPyFunc_VARARGS)
static HPy make_type_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    const char *name;
    int kind;
    HPy obj, meta = HPy_NULL;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "siO|O", &name, &kind, &obj, &meta))
        return HPy_NULL;
    static char names[64][64];
    static int n_names;
    char *stored = names[n_names++ % 64];
    strncpy(stored, name, 63);
    Sub_spec.name = stored;
    HPyType_SpecParam params[3];
    memset(params, 0, sizeof(params));
    switch (kind) {
    case 0: return HPyType_FromSpec(ctx, &Sub_spec, NULL);
    case 1: params[0].kind = HPyType_SpecParam_Base; params[0].object = obj; break;
    case 2: params[0].kind = HPyType_SpecParam_BasesTuple; params[0].object = obj; break;
    case 3: params[0].kind = HPyType_SpecParam_Metaclass; params[0].object = obj; break;
    case 4:
        params[0].kind = HPyType_SpecParam_Base; params[0].object = obj;
        params[1].kind = HPyType_SpecParam_Metaclass; params[1].object = meta;
        break;
    }
    return HPyType_FromSpec(ctx, &Sub_spec, params);
}

/* add_type(module, name): HPyHelpers_AddType with a Base param */
HPyDef_METH(add_type_with_base, "add_type_with_base", HPyFunc_VARARGS)
static HPy add_type_with_base_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyType_SpecParam params[] = { { HPyType_SpecParam_Base, args[1] }, { (HPyType_SpecParam_Kind)0 } };
    Sub_spec.name = "mytypes.Added";
    if (!HPyHelpers_AddType(ctx, args[0], "Added", &Sub_spec, params))
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(new_point, "new_point", HPyFunc_O)
static HPy new_point_impl(HPyContext *ctx, HPy self, HPy type)
{
    PointObject *p;
    return HPy_New(ctx, type, &p);
}

HPyDef_METH(generic_new, "generic_new", HPyFunc_O)
static HPy generic_new_impl(HPyContext *ctx, HPy self, HPy type)
{
    return HPyType_GenericNew(ctx, type, NULL, 0, HPy_NULL);
}

/* zeroed(point): every field of a fresh HPy_New struct is zero */
HPyDef_METH(is_zeroed, "is_zeroed", HPyFunc_O)
static HPy is_zeroed_impl(HPyContext *ctx, HPy self, HPy type)
{
    PointObject *p;
    HPy h = HPy_New(ctx, type, &p);
    if (HPy_IsNull(h))
        return HPy_NULL;
    static const PointObject zero;
    int same = memcmp(p, &zero, sizeof zero) == 0;
    HPy_Close(ctx, h);
    return HPyBool_FromBool(ctx, same);
}

HPyDef_METH(get_name, "get_name", HPyFunc_O)
static HPy get_name_impl(HPyContext *ctx, HPy self, HPy type)
{
    const char *name = HPyType_GetName(ctx, type);
    return name ? HPyUnicode_FromString(ctx, name) : HPy_NULL;
}

HPyDef_METH(is_subtype, "is_subtype", HPyFunc_VARARGS)
static HPy is_subtype_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPyBool_FromBool(ctx, HPyType_IsSubtype(ctx, args[0], args[1]));
}

HPyDef_METH(type_check, "type_check", HPyFunc_VARARGS)
static HPy type_check_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPyBool_FromBool(ctx, HPy_TypeCheck(ctx, args[0], args[1]));
}

HPyDef_METH(builtin_shape, "builtin_shape", HPyFunc_O)
static HPy builtin_shape_impl(HPyContext *ctx, HPy self, HPy type)
{
    HPyType_BuiltinShape shape = _HPyType_GetBuiltinShape(ctx, type);
    if (shape == (HPyType_BuiltinShape)-2)
        return HPy_NULL;
    return HPyLong_FromLong(ctx, (long)shape);
}

HPyDef_METH(point_x, "point_x", HPyFunc_O)
static HPy point_x_impl(HPyContext *ctx, HPy self, HPy point)
{
    return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, point)->x);
}

@EXPORT(make_type)
@EXPORT(add_type_with_base)
@EXPORT(new_point)
@EXPORT(generic_new)
@EXPORT(is_zeroed)
@EXPORT(get_name)
@EXPORT(is_subtype)
@EXPORT(type_check)
@EXPORT(builtin_shape)
@EXPORT(point_x)
@INIT
'''


@pytest.fixture
def mod(type_module):
    return type_module(SOURCE)


def test_type_identity(mod):
    Point = mod.Point
    assert isinstance(Point, type)
    assert Point.__name__ == 'Point'
    assert Point.__qualname__ == 'Point'
    assert Point.__module__ == 'mytypes'
    assert Point.__doc__ == 'A point in the plane'
    assert Point.__mro__ == (Point, object)
    assert mod.get_name(Point) == 'Point'
    assert mod.get_name(int) == 'int'


def test_new_and_members(mod):
    p = mod.Point(3, y=4)
    assert type(p) is mod.Point
    assert (p.x, p.y) == (3, 4)
    p.x = -7
    assert p.x == -7 and mod.point_x(p) == -7
    assert mod.Point().x == 0
    assert mod.Point.x.__doc__ == 'the x coordinate'
    with pytest.raises(TypeError):
        mod.Point('a')


def test_readonly_member(mod):
    p = mod.Point(5, 6)
    assert p.ro_x == 5
    with pytest.raises(AttributeError):
        p.ro_x = 1
    with pytest.raises(AttributeError):
        del p.ro_x


@pytest.mark.parametrize('name, values, default', [
    ('m_short', [-32768, 32767, 5], 0),
    ('m_int', [-2**31, 2**31 - 1], 0),
    ('m_long', [-2**63, 2**63 - 1], 0),
    ('m_double', [1.5, -2.25, 1e300], 0.0),
    ('m_ubyte', [0, 255], 0),
    ('m_ushort', [0, 65535], 0),
    ('m_uint', [0, 2**32 - 1], 0),
    ('m_ulong', [0, 2**64 - 1], 0),
    ('m_longlong', [-2**63, 2**63 - 1], 0),
    ('m_ulonglong', [0, 2**64 - 1], 0),
    ('m_ssize', [-2**63, 2**63 - 1], 0),
    ('m_byte', [-128, 127], 0),
    ('m_bool', [True, False], False),
])
def test_numeric_members(mod, name, values, default):
    p = mod.Point()
    assert getattr(p, name) == default
    assert getattr(p, 'ro_' + name) == default
    for v in values:
        setattr(p, name, v)
        assert getattr(p, name) == v
        assert getattr(p, 'ro_' + name) == v
    with pytest.raises(AttributeError):
        setattr(p, 'ro_' + name, values[0])
    with pytest.raises(TypeError):
        setattr(p, name, 'not a number')


def test_float_member_and_range_errors(mod):
    p = mod.Point()
    p.m_float = 0.5
    assert p.m_float == 0.5
    with pytest.warns(RuntimeWarning):
        p.m_ulong = -1      # CPython's member semantics, which HPy's are
    with pytest.raises(OverflowError):
        p.m_long = 2**64
    with pytest.raises(TypeError):
        p.m_bool = 1      # BOOL members take only bools, as in CPython


def test_string_and_char_members(mod):
    p = mod.Point()
    assert p.m_string == 'a C string'
    assert p.m_inplace == 'inplace'
    assert p.ro_m_inplace == 'inplace'
    with pytest.raises(TypeError):
        p.m_string = 'x'      # STRING members are read-only
    p.m_char = 'z'
    assert p.m_char == 'z'


def test_object_members(mod):
    p = mod.Point()
    assert p.m_object is None          # a null OBJECT reads as None
    sentinel = object()
    before = sys.getrefcount(sentinel)
    p.m_object = sentinel
    assert p.m_object is sentinel and p.ro_m_object is sentinel
    assert sys.getrefcount(sentinel) == before + 1
    del p.m_object
    assert p.m_object is None
    assert sys.getrefcount(sentinel) == before
    with pytest.raises(AttributeError, match='m_object_ex'):
        p.m_object_ex                   # a null OBJECT_EX is missing
    p.m_object_ex = sentinel
    assert p.m_object_ex is sentinel
    del p.m_object_ex
    with pytest.raises(AttributeError):
        p.m_object_ex
    p.m_object = sentinel
    del p
    assert sys.getrefcount(sentinel) == before


def test_none_member(mod):
    p = mod.Point()
    assert p.m_none is None
    with pytest.raises(AttributeError):
        p.ro_m_none = 1


def test_methods(mod):
    p = mod.Point(3, -4)
    assert p.norm1() == 7
    assert mod.Point.norm1.__doc__ == '|x| + |y|'
    assert p.add_x(10) is p and p.x == 13
    assert p.move(1, 2) is None and (p.x, p.y) == (14, -2)
    q = p.scaled(factor=3)
    assert type(q) is mod.Point and (q.x, q.y) == (42, -6)
    assert p.scaled().x == 14
    with pytest.raises(TypeError):
        p.move(1)
    with pytest.raises(TypeError):
        p.norm1(1)


def test_getsets(mod):
    p = mod.Point(1, 2)
    assert p.coord == 1
    p.coord = 10
    assert p.x == 10
    with pytest.raises(AttributeError, match='cannot delete coord'):
        del p.coord
    assert mod.Point.coord.__doc__ == 'x, through a get-set'
    assert p.sum == 12
    with pytest.raises(AttributeError):
        p.sum = 3
    p.both = 7
    assert (p.x, p.y) == (7, 7)
    with pytest.raises(AttributeError):
        p.both


def test_hpy_new_zeroes_the_struct(mod):
    assert mod.is_zeroed(mod.Point) is True
    assert mod.new_point(mod.Point).x == 0


def test_hpy_new_refuses_a_non_type(mod):
    with pytest.raises(TypeError, match='HPy_New arg 1 must be a type'):
        mod.new_point(42)


def test_generic_new(mod):
    obj = mod.Plain()
    assert type(obj) is mod.Plain
    assert type(mod.generic_new(mod.Plain)) is mod.Plain
    with pytest.raises(TypeError, match='HPy_Type_GenericNew arg 1 must be a type'):
        mod.generic_new('x')


def test_final_type_cannot_be_subclassed(mod):
    with pytest.raises(TypeError):
        class Sub(mod.Plain):
            pass

    class Sub(mod.Point):
        def extra(self):
            return self.x * 2
    s = Sub(21, 0)
    assert s.extra() == 42 and s.norm1() == 21 and mod.point_x(s) == 21


def test_refcount_of_type_and_instances(mod):
    import gc
    Point = mod.Point
    gc.collect()        # garbage of earlier tests may hold Point
    gc.disable()
    try:
        before = sys.getrefcount(Point)
        points = [Point() for _ in range(10)]
        assert sys.getrefcount(Point) == before + 10   # instances own their type
        del points
        assert sys.getrefcount(Point) == before
    finally:
        gc.enable()


def test_type_check_and_subtype(mod):
    class Sub(mod.Point):
        pass
    assert mod.type_check(mod.Point(), mod.Point)
    assert mod.type_check(Sub(), mod.Point)
    assert not mod.type_check(mod.Point(), Sub)
    assert mod.is_subtype(Sub, mod.Point)
    assert not mod.is_subtype(mod.Point, Sub)


def test_builtin_shape(mod):
    assert mod.builtin_shape(mod.Point) == 0            # Object
    assert mod.builtin_shape(int) == -1                 # not an HPy type: Legacy

    class Sub(mod.Point):
        pass
    assert mod.builtin_shape(Sub) == 0                  # inherits Point's layout
    with pytest.raises(TypeError, match='arg must be a type'):
        mod.builtin_shape(3)


def test_spec_param_base(mod):
    T = mod.make_type('mytypes.FromPoint', 1, mod.Point)
    assert T.__bases__ == (mod.Point,)
    t = T(1, 2)
    assert (t.x, t.y) == (1, 2) and t.norm1() == 3
    assert T.__module__ == 'mytypes' and T.__name__ == 'FromPoint'


def test_spec_param_bases_tuple(mod):
    Mixin = mod.make_type('mytypes.Mixin', 0, None)
    Mixin.hello = lambda self: 'hello'
    T = mod.make_type('mytypes.Multi', 2, (mod.Point, Mixin))
    assert T.__bases__ == (mod.Point, Mixin)
    assert T.__mro__ == (T, mod.Point, Mixin, object)
    assert T(5).hello() == 'hello' and T(5).x == 5


def test_spec_param_metaclass(mod):
    class Meta(type):
        def describe(cls):
            return 'described ' + cls.__name__
    T = mod.make_type('mytypes.WithMeta', 3, Meta)
    assert type(T) is Meta
    assert T.describe() == 'described WithMeta'
    T2 = mod.make_type('mytypes.WithBaseAndMeta', 4, mod.Point, Meta)
    assert type(T2) is Meta and T2.__bases__ == (mod.Point,) and T2(4).x == 4


def test_spec_param_metaclass_errors(mod):
    with pytest.raises(TypeError, match="is not a subclass of 'type'"):
        mod.make_type('mytypes.Bad', 3, 'hello')

    class CustomNew(type):
        def __new__(mcls, *args):
            return super().__new__(mcls, *args)
    with pytest.raises(TypeError, match='Metaclasses with custom tp_new are not supported.'):
        mod.make_type('mytypes.Bad2', 3, CustomNew)
    with pytest.raises(TypeError):
        mod.make_type('mytypes.Bad3', 3, int)


def test_type_made_without_params(mod):
    T = mod.make_type('othermod.Bare', 0, None)
    assert T.__bases__ == (object,) and T.__module__ == 'othermod'


def test_add_type_with_params(mod):
    import types
    target = types.ModuleType('target')
    assert mod.add_type_with_base(target, mod.Point) is None
    assert target.Added.__bases__ == (mod.Point,)
    assert target.Added(8).x == 8


def test_types_are_collected(mod):
    import gc
    import weakref
    T = mod.make_type('mytypes.Temp', 1, mod.Point)
    T(1)
    ref = weakref.ref(T)
    del T
    gc.collect()
    assert ref() is None
