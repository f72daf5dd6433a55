"""Legacy types and features, in the cpython and hybrid ABIs (and a hybrid
module loaded in debug mode, 'hybrid-debug'): a spec's
legacy_slots (PyType_Slot entries of every kind), HPyType_BuiltinShape_Legacy
types (HPyType_LEGACY_HELPERS, a struct starting with PyObject_HEAD), legacy
tp_dealloc, a module's legacy_methods, HPy_AsPyObject / HPy_FromPyObject,
and the errors HPy 0.9 raises for legacy specs. In the universal ABI each
legacy feature is a compile error. One C source, compiled once per ABI."""
import gc
import re
import sys

import pytest

from support import compile as hpy_compile
from support.compile import CompileError

ABIS = ['cpython', 'hybrid', 'hybrid-debug']

SOURCE = r'''
#include <Python.h>
#include <structmember.h>

/* ---- LPoint: a legacy type mixing HPy defines and legacy slots ---- */

typedef struct {
    PyObject_HEAD
    long x;
    long y;
    PyObject *obj;
} LPointObject;
HPyType_LEGACY_HELPERS(LPointObject)

static long legacy_deallocs;

HPyDef_SLOT(LPoint_new, HPy_tp_new)
static HPy LPoint_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    long x = 0, y = 0;
    if (!HPyArg_Parse(ctx, NULL, args, (size_t)nargs, "|ll", &x, &y))
        return HPy_NULL;
    LPointObject *point;
    HPy h = HPy_New(ctx, cls, &point);
    if (HPy_IsNull(h))
        return HPy_NULL;
    point->x = x;
    point->y = y;
    return h;
}

HPyDef_MEMBER(LPoint_x, "x", HPyMember_LONG, offsetof(LPointObject, x))

/* |x| + |y|, through the legacy helper */
HPyDef_METH(LPoint_norm1, "norm1", HPyFunc_NOARGS)
static HPy LPoint_norm1_impl(HPyContext *ctx, HPy self)
{
    LPointObject *point = LPointObject_AsStruct(ctx, self);
    return HPyLong_FromLong(ctx, labs(point->x) + labs(point->y));
}

HPyDef_SLOT(LPoint_neg, HPy_nb_negative)
static HPy LPoint_neg_impl(HPyContext *ctx, HPy self)
{
    LPointObject *point = LPointObject_AsStruct(ctx, self);
    return HPy_BuildValue(ctx, "ll", -point->x, -point->y);
}

static PyObject *LPoint_repr(PyObject *self)
{
    LPointObject *point = (LPointObject *)self;
    return PyUnicode_FromFormat("LPoint(%ld, %ld)", point->x, point->y);
}

static PyObject *LPoint_add(PyObject *a, PyObject *b)
{
    return Py_BuildValue("sOO", "legacy add", a, b);
}

static PyObject *LPoint_swap(PyObject *self, PyObject *unused)
{
    LPointObject *point = (LPointObject *)self;
    long x = point->x;
    point->x = point->y;
    point->y = x;
    Py_RETURN_NONE;
}

static PyObject *LPoint_scale(PyObject *self, PyObject *args)
{
    long k;
    if (!PyArg_ParseTuple(args, "l", &k))
        return NULL;
    LPointObject *point = (LPointObject *)self;
    return Py_BuildValue("ll", point->x * k, point->y * k);
}

static PyMethodDef LPoint_methods[] = {
    {"swap", LPoint_swap, METH_NOARGS, "swap x and y"},
    {"scale", LPoint_scale, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef LPoint_members[] = {
    {"y", T_LONG, offsetof(LPointObject, y), 0, NULL},
    {"y_ro", T_LONG, offsetof(LPointObject, y), READONLY, NULL},
    {"obj", T_OBJECT_EX, offsetof(LPointObject, obj), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyObject *LPoint_get_sum(PyObject *self, void *closure)
{
    LPointObject *point = (LPointObject *)self;
    return PyLong_FromLong(point->x + point->y + (long)(intptr_t)closure);
}

static int LPoint_set_sum(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete sum");
        return -1;
    }
    long sum = PyLong_AsLong(value);
    if (sum == -1 && PyErr_Occurred())
        return -1;
    LPointObject *point = (LPointObject *)self;
    point->x = sum - point->y - (long)(intptr_t)closure;
    return 0;
}

static PyGetSetDef LPoint_getsets[] = {
    {"sum", LPoint_get_sum, LPoint_set_sum, NULL, (void *)1000},
    {NULL, NULL, NULL, NULL, NULL},
};

static void LPoint_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    legacy_deallocs++;
    Py_CLEAR(((LPointObject *)self)->obj);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot LPoint_slots[] = {
    {Py_tp_repr, (void *)LPoint_repr},
    {Py_nb_add, (void *)LPoint_add},
    {Py_tp_methods, LPoint_methods},
    {Py_tp_members, LPoint_members},
    {Py_tp_getset, LPoint_getsets},
    {Py_tp_dealloc, (void *)LPoint_dealloc},
    {0, NULL},
};

static HPyDef *LPoint_defines[] = { &LPoint_new, &LPoint_x, &LPoint_norm1, &LPoint_neg, NULL };
static HPyType_Spec LPoint_spec = {
    .name = "legacy.LPoint",
    .basicsize = sizeof(LPointObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .legacy_slots = LPoint_slots,
    .defines = LPoint_defines,
    .doc = "a legacy point",
};

/* ---- LBox: a legacy type of legacy slots only (new, init, call, iter,
   hash, sq_length, dealloc) ---- */

typedef struct {
    PyObject_HEAD
    PyObject *item;
} LBoxObject;

static int LBox_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = { "item", NULL };
    PyObject *item = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|O", kwlist, &item))
        return -1;
    Py_XINCREF(item);
    Py_XSETREF(((LBoxObject *)self)->item, item);
    return 0;
}

static PyObject *LBox_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *item = ((LBoxObject *)self)->item;
    return Py_BuildValue("(OOO)", item != NULL ? item : Py_None, args,
                         kwargs != NULL ? kwargs : Py_None);
}

static PyObject *LBox_iter(PyObject *self)
{
    PyObject *item = ((LBoxObject *)self)->item;
    PyObject *items = item != NULL ? PyTuple_Pack(1, item) : PyTuple_New(0);
    if (items == NULL)
        return NULL;
    PyObject *result = PyObject_GetIter(items);
    Py_DECREF(items);
    return result;
}

static Py_hash_t LBox_hash(PyObject *self)
{
    return 4242;
}

static Py_ssize_t LBox_length(PyObject *self)
{
    return ((LBoxObject *)self)->item != NULL;
}

static void LBox_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    legacy_deallocs++;
    Py_CLEAR(((LBoxObject *)self)->item);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot LBox_slots[] = {
    {Py_tp_new, (void *)PyType_GenericNew},
    {Py_tp_init, (void *)LBox_init},
    {Py_tp_call, (void *)LBox_call},
    {Py_tp_iter, (void *)LBox_iter},
    {Py_tp_hash, (void *)LBox_hash},
    {Py_sq_length, (void *)LBox_length},
    {Py_tp_dealloc, (void *)LBox_dealloc},
    {0, NULL},
};
static HPyType_Spec LBox_spec = {
    .name = "legacy.LBox",
    .basicsize = sizeof(LBoxObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .legacy_slots = LBox_slots,
};

/* ---- LNode: a legacy GC type with an HPyField and HPy_tp_destroy ---- */

typedef struct {
    PyObject_HEAD
    long id;
    HPyField next;
} LNodeObject;
HPyType_LEGACY_HELPERS(LNodeObject)

static char destroyed[256];

HPyDef_SLOT(LNode_new, HPy_tp_new)
static HPy LNode_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    long id;
    if (!HPyArg_Parse(ctx, NULL, args, (size_t)nargs, "l", &id))
        return HPy_NULL;
    LNodeObject *node;
    HPy h = HPy_New(ctx, cls, &node);
    if (!HPy_IsNull(h))
        node->id = id;
    return h;
}

HPyDef_MEMBER(LNode_id, "id", HPyMember_LONG, offsetof(LNodeObject, id), .readonly = 1)
HPyDef_MEMBER(LNode_next, "next", HPyMember_OBJECT, offsetof(LNodeObject, next))

HPyDef_SLOT(LNode_traverse, HPy_tp_traverse)
static int LNode_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((LNodeObject *)self)->next);
    return 0;
}

HPyDef_SLOT(LNode_destroy, HPy_tp_destroy)
static void LNode_destroy_impl(void *obj)
{
    /* obj is the object itself: the struct starts with PyObject_HEAD */
    LNodeObject *node = (LNodeObject *)obj;
    size_t used = strlen(destroyed);
    snprintf(destroyed + used, sizeof(destroyed) - used, "%ld ", node->id);
}

HPyDef_METH(get_destroyed, "get_destroyed", HPyFunc_NOARGS)
static HPy get_destroyed_impl(HPyContext *ctx, HPy self)
{
    HPy result = HPyUnicode_FromString(ctx, destroyed);
    destroyed[0] = '\0';
    return result;
}

static HPyDef *LNode_defines[] = {
    &LNode_new, &LNode_id, &LNode_next, &LNode_traverse, &LNode_destroy, NULL
};
static HPyType_Spec LNode_spec = {
    .name = "legacy.LNode",
    .basicsize = sizeof(LNodeObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .defines = LNode_defines,
};

/* ---- LMeta: a legacy metaclass, its struct starting with PyHeapTypeObject ---- */

typedef struct {
    PyHeapTypeObject super;
    long tag;
} LMetaObject;
HPyType_LEGACY_HELPERS(LMetaObject)

static PyMemberDef LMeta_members[] = {
    {"tag", T_LONG, offsetof(LMetaObject, tag), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};
static PyType_Slot LMeta_slots[] = { {Py_tp_members, LMeta_members}, {0, NULL} };
static HPyType_Spec LMeta_spec = {
    .name = "legacy.LMeta",
    .basicsize = sizeof(LMetaObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .legacy_slots = LMeta_slots,
};

static HPyType_Spec LClassy_spec = {
    .name = "legacy.LClassy",
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .builtin_shape = HPyType_BuiltinShape_Legacy,
};

HPyDef_METH(set_tag, "set_tag", HPyFunc_VARARGS)
static HPy set_tag_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy cls;
    long tag;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "Ol", &cls, &tag))
        return HPy_NULL;
    LMetaObject_AsStruct(ctx, cls)->tag = tag;
    return HPy_Dup(ctx, ctx->h_None);
}

/* ---- crossing between handles and PyObject * ---- */

HPyDef_METH(roundtrip, "roundtrip", HPyFunc_O)
static HPy roundtrip_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *obj = HPy_AsPyObject(ctx, arg);
    if (obj == NULL)
        return HPy_NULL;
    HPy result = HPy_FromPyObject(ctx, obj);
    Py_DECREF(obj);
    return result;
}

/* (what HPy_FromPyObject adds, what releasing HPy_AsPyObject's result
   removes) to the object's reference count */
HPyDef_METH(crossing_refs, "crossing_refs", HPyFunc_O)
static HPy crossing_refs_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *obj = HPy_AsPyObject(ctx, arg);
    Py_ssize_t as_py = Py_REFCNT(obj);
    HPy h = HPy_FromPyObject(ctx, obj);
    Py_ssize_t with_handle = Py_REFCNT(obj);
    HPy_Close(ctx, h);
    Py_DECREF(obj);
    return HPy_BuildValue(ctx, "nn", with_handle - as_py, as_py - Py_REFCNT(obj));
}

/* (HPy_FromPyObject(NULL) is null, HPy_AsPyObject(HPy_NULL) is NULL), with
   no exception */
HPyDef_METH(from_null, "from_null", HPyFunc_NOARGS)
static HPy from_null_impl(HPyContext *ctx, HPy self)
{
    HPy h = HPy_FromPyObject(ctx, NULL);
    PyObject *obj = HPy_AsPyObject(ctx, HPy_NULL);
    int error = HPyErr_Occurred(ctx);
    HPyErr_Clear(ctx);
    return HPy_BuildValue(ctx, "OOO", HPy_IsNull(h) ? ctx->h_True : ctx->h_False,
                          obj == NULL ? ctx->h_True : ctx->h_False,
                          error ? ctx->h_True : ctx->h_False);
}

/* The PyObject * of a legacy instance is its struct (both helpers agree). */
HPyDef_METH(struct_is_object, "struct_is_object", HPyFunc_O)
static HPy struct_is_object_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *obj = HPy_AsPyObject(ctx, arg);
    int same = (void *)obj == LPointObject_AsStruct(ctx, arg) &&
               (void *)obj == _HPy_AsStruct_Legacy(ctx, arg);
    long x = ((LPointObject *)obj)->x;
    Py_DECREF(obj);
    return HPy_BuildValue(ctx, "Ol", same ? ctx->h_True : ctx->h_False, x);
}

HPyDef_METH(shape_of, "shape_of", HPyFunc_O)
static HPy shape_of_impl(HPyContext *ctx, HPy self, HPy type)
{
    HPyType_BuiltinShape shape = _HPyType_GetBuiltinShape(ctx, type);
    return HPy_IsNull(type) || HPyErr_Occurred(ctx) ? HPy_NULL : HPyLong_FromLong(ctx, (long)shape);
}

/* ---- specs HPyType_FromSpec refuses ---- */

static void dummy_dealloc(PyObject *self) { (void)self; }
static PyType_Slot dealloc_slots[] = { {Py_tp_dealloc, (void *)dummy_dealloc}, {0, NULL} };

HPyDef_SLOT(Bad_traverse, HPy_tp_traverse)
static int Bad_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg) { return 0; }

HPyDef_SLOT(Bad_destroy, HPy_tp_destroy)
static void Bad_destroy_impl(void *obj) { (void)obj; }

static HPyDef *traverse_defines[] = { &Bad_traverse, NULL };
static HPyDef *destroy_defines[] = { &Bad_destroy, NULL };

static HPyType_Spec DeallocTraverse_spec = {
    .name = "legacy.DeallocTraverse",
    .basicsize = sizeof(LPointObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .legacy_slots = dealloc_slots,
    .defines = traverse_defines,
};
static HPyType_Spec DeallocDestroy_spec = {
    .name = "legacy.DeallocDestroy",
    .basicsize = sizeof(LPointObject),
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .legacy_slots = dealloc_slots,
    .defines = destroy_defines,
};
static HPyType_Spec SlotsWithoutShape_spec = {
    .name = "legacy.SlotsWithoutShape",
    .builtin_shape = HPyType_BuiltinShape_Object,
    .legacy_slots = LPoint_slots + 1,   /* just the legacy nb_add, ... */
};

static HPyType_Spec Pure_spec = {
    .name = "legacy.Pure",
    .basicsize = sizeof(long),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
};
static HPyType_Spec LegacyOnPure_spec = {
    .name = "legacy.LegacyOnPure",
    .builtin_shape = HPyType_BuiltinShape_Legacy,
};
static HPyType_Spec LegacyOnLegacy_spec = {
    .name = "legacy.LegacyOnLegacy",
    .builtin_shape = HPyType_BuiltinShape_Legacy,
};

static HPy make_on(HPyContext *ctx, HPyType_Spec *spec, HPy base)
{
    HPyType_SpecParam params[] = {
        { HPyType_SpecParam_Base, base }, { (HPyType_SpecParam_Kind)0, HPy_NULL } };
    return HPyType_FromSpec(ctx, spec, params);
}

HPyDef_SLOT(Hello_call, HPy_tp_call)
static HPy Hello_call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
{
    return HPyUnicode_FromString(ctx, "hello");
}
static HPyDef *call_defines[] = { &Hello_call, NULL };
static HPyType_Spec CallInherited_spec = {
    .name = "legacy.CallInherited",
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .defines = call_defines,
};
static HPyType_Spec CallSized_spec = {
    .name = "legacy.CallSized",
    .basicsize = sizeof(LPointObject),
    .builtin_shape = HPyType_BuiltinShape_Legacy,
    .defines = call_defines,
};

/* make(name): the type from the spec of that name, or its error */
HPyDef_METH(make, "make", HPyFunc_O)
static HPy make_impl(HPyContext *ctx, HPy self, HPy h_name)
{
    const char *name = HPyUnicode_AsUTF8AndSize(ctx, h_name, NULL);
    if (name == NULL)
        return HPy_NULL;
    int on_pure = strcmp(name, "LegacyOnPure") == 0;
    if (on_pure || strcmp(name, "LegacyOnLegacy") == 0) {
        HPy base = on_pure ? HPyType_FromSpec(ctx, &Pure_spec, NULL)
                           : HPy_GetAttr_s(ctx, self, "LPoint");
        if (HPy_IsNull(base))
            return HPy_NULL;
        HPy result = make_on(ctx, on_pure ? &LegacyOnPure_spec : &LegacyOnLegacy_spec, base);
        HPy_Close(ctx, base);
        return result;
    }
    HPyType_Spec *specs[] = { &DeallocTraverse_spec, &DeallocDestroy_spec,
                              &SlotsWithoutShape_spec, &CallInherited_spec, &CallSized_spec };
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        if (strcmp(specs[i]->name + strlen("legacy."), name) == 0)
            return HPyType_FromSpec(ctx, specs[i], NULL);
    return HPyErr_Format(ctx, ctx->h_KeyError, "no spec %s", name);
}

/* ---- module: legacy methods beside HPy ones ---- */

static PyObject *legacy_noargs(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(1234);
}
static PyObject *legacy_o(PyObject *self, PyObject *arg)
{
    return PyNumber_Multiply(arg, arg);
}
static PyObject *legacy_varargs(PyObject *self, PyObject *args)
{
    long a, b, c;
    if (!PyArg_ParseTuple(args, "lll", &a, &b, &c))
        return NULL;
    return PyLong_FromLong(100 * a + 10 * b + c);
}
static PyObject *legacy_keywords(PyObject *self, PyObject *args, PyObject *kwargs)
{
    static char *kwlist[] = { "a", "b", NULL };
    long a, b = 5;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "l|l", kwlist, &a, &b))
        return NULL;
    return PyLong_FromLong(10 * a + b);
}
static PyObject *legacy_deallocs_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(legacy_deallocs);
}
static PyMethodDef module_legacy_methods[] = {
    {"legacy_noargs", legacy_noargs, METH_NOARGS, "noargs doc"},
    {"legacy_o", legacy_o, METH_O, NULL},
    {"legacy_varargs", legacy_varargs, METH_VARARGS, NULL},
    {"legacy_keywords", (PyCFunction)(void (*)(void))legacy_keywords, METH_VARARGS | METH_KEYWORDS, NULL},
    {"legacy_deallocs", legacy_deallocs_count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

HPyDef_SLOT(add_types, HPy_mod_exec)
static int add_types_impl(HPyContext *ctx, HPy module)
{
    if (!HPyHelpers_AddType(ctx, module, "LPoint", &LPoint_spec, NULL) ||
        !HPyHelpers_AddType(ctx, module, "LBox", &LBox_spec, NULL) ||
        !HPyHelpers_AddType(ctx, module, "LNode", &LNode_spec, NULL))
        return -1;
    HPyType_SpecParam base[] = {
        { HPyType_SpecParam_Base, ctx->h_TypeType }, { (HPyType_SpecParam_Kind)0, HPy_NULL } };
    HPy meta = HPyType_FromSpec(ctx, &LMeta_spec, base);
    if (HPy_IsNull(meta))
        return -1;
    HPyType_SpecParam with_meta[] = {
        { HPyType_SpecParam_Metaclass, meta }, { (HPyType_SpecParam_Kind)0, HPy_NULL } };
    int ok = HPy_SetAttr_s(ctx, module, "LMeta", meta) == 0 &&
             HPyHelpers_AddType(ctx, module, "LClassy", &LClassy_spec, with_meta);
    HPy_Close(ctx, meta);
    return ok ? 0 : -1;
}

static HPyDef *module_defines[] = {
    &add_types, &get_destroyed, &set_tag, &roundtrip, &crossing_refs, &from_null,
    &struct_is_object, &make, &shape_of, NULL
};
static HPyModuleDef moduledef = {
    .doc = "legacy features",
    .legacy_methods = module_legacy_methods,
    .defines = module_defines,
};
HPy_MODINIT(@NAME, moduledef)
'''


@pytest.fixture(scope='module', params=ABIS)
def abi(request):
    return request.param


@pytest.fixture(scope='module')
def mod(abi, tmp_path_factory):
    name = hpy_compile.unique_name('legacy')
    _, path = hpy_compile.build(SOURCE.replace('@NAME', name), abi,
                                tmp_path_factory.mktemp(f'legacy_{abi}'), name=name)
    return hpy_compile.load(name, path, abi)


# ---- legacy_slots ----

def test_legacy_protocol_slots_beside_hpy_slots(mod):
    p = mod.LPoint(3, -4)
    assert repr(p) == 'LPoint(3, -4)'
    assert p + 1 == ('legacy add', p, 1)
    assert -p == (-3, 4)                     # the HPy slot
    assert mod.LPoint.__doc__ == 'a legacy point'


def test_legacy_methods_beside_hpy_methods(mod):
    p = mod.LPoint(3, -4)
    assert p.norm1() == 7
    assert p.scale(2) == (6, -8)
    assert p.swap() is None
    assert (p.x, p.y) == (-4, 3)
    assert mod.LPoint.swap.__doc__ == 'swap x and y'
    with pytest.raises(TypeError):
        p.scale('x')


def test_legacy_members_beside_hpy_members(mod):
    p = mod.LPoint(1, 2)
    assert (p.x, p.y, p.y_ro) == (1, 2, 2)
    p.x, p.y = 10, 20
    assert (p.x, p.y_ro, p.norm1()) == (10, 20, 30)
    with pytest.raises(AttributeError):
        p.y_ro = 5
    with pytest.raises(AttributeError):
        p.obj                                # T_OBJECT_EX, unset
    value = object()
    refs = sys.getrefcount(value)
    p.obj = value
    assert p.obj is value
    assert sys.getrefcount(value) == refs + 1
    del p                                    # the legacy tp_dealloc clears it
    assert sys.getrefcount(value) == refs


def test_legacy_getset(mod):
    p = mod.LPoint(1, 2)
    assert p.sum == 1003
    p.sum = 1010
    assert (p.x, p.y) == (8, 2)
    with pytest.raises(AttributeError, match='cannot delete sum'):
        del p.sum
    with pytest.raises(TypeError):
        p.sum = 'x'


def test_legacy_tp_dealloc(mod):
    tp = mod.LPoint
    refs = sys.getrefcount(tp)
    before = mod.legacy_deallocs()
    p = tp(1, 1)
    del p
    assert mod.legacy_deallocs() == before + 1
    assert sys.getrefcount(tp) == refs


def test_python_subclass_of_a_legacy_type(mod):
    class Sub(mod.LPoint):
        def total(self):
            return self.sum - 1000
    before = mod.legacy_deallocs()
    s = Sub(2, 3)
    s.attr = 'dict'
    assert (s.total(), s.norm1(), repr(s)) == (5, 5, 'LPoint(2, 3)')
    del s
    gc.collect()
    assert mod.legacy_deallocs() == before + 1


def test_type_of_legacy_slots_only(mod):
    item = object()
    refs = sys.getrefcount(item)
    box = mod.LBox(item)
    assert sys.getrefcount(item) == refs + 1
    assert box(1, k=2) == (item, (1,), {'k': 2})
    assert list(box) == [item] and len(box) == 1 and hash(box) == 4242
    box.__init__(item=None)
    assert sys.getrefcount(item) == refs
    empty = mod.LBox()
    assert (len(empty), list(empty)) == (0, [])
    with pytest.raises(TypeError):
        mod.LBox(1, 2)
    before = mod.legacy_deallocs()
    box.__init__(item)
    del box, empty
    assert mod.legacy_deallocs() == before + 2
    assert sys.getrefcount(item) == refs


# ---- HPyType_BuiltinShape_Legacy with HPy features ----

def test_builtin_shape_of_legacy_types(mod):
    class Sub(mod.LPoint):
        pass
    for tp in (mod.LPoint, mod.LBox, mod.LNode, mod.LMeta, mod.LClassy, Sub):
        assert mod.shape_of(tp) == -1       # HPyType_BuiltinShape_Legacy


def test_legacy_struct_is_the_object(mod):
    assert mod.struct_is_object(mod.LPoint(42)) == (True, 42)


def test_legacy_gc_type_with_fields_and_destroy(mod):
    gc.collect()
    mod.get_destroyed()
    a, b = mod.LNode(1), mod.LNode(2)
    a.next, b.next = b, a                    # a cycle through HPyFields
    assert a.next is b and b.next is a and a.next.next is a
    del a, b
    assert mod.get_destroyed() == ''
    gc.collect()
    assert sorted(mod.get_destroyed().split()) == ['1', '2']
    gc.collect()
    assert mod.get_destroyed() == ''


def test_legacy_field_references(mod):
    gc.collect()
    mod.get_destroyed()
    node, value = mod.LNode(3), object()
    refs = sys.getrefcount(value)
    node.next = value
    assert sys.getrefcount(value) == refs + 1
    del node
    gc.collect()
    assert sys.getrefcount(value) == refs
    assert mod.get_destroyed() == '3 '


def test_python_subclass_of_a_legacy_gc_type(mod):
    class Sub(mod.LNode):
        pass
    gc.collect()
    mod.get_destroyed()
    node = Sub(7)
    node.next = node
    node.attr = node
    del node
    gc.collect()
    assert mod.get_destroyed() == '7 '


def test_legacy_metaclass(mod):
    assert type(mod.LClassy) is mod.LMeta and issubclass(mod.LMeta, type)
    assert mod.LClassy.tag == 0
    mod.set_tag(mod.LClassy, 77)
    assert mod.LClassy.tag == 77
    assert isinstance(mod.LClassy(), mod.LClassy)

    class Made(metaclass=mod.LMeta):
        __slots__ = ('a',)
    mod.set_tag(Made, 5)
    m = Made()
    m.a = 'slot'
    assert (Made.tag, m.a, mod.LClassy.tag) == (5, 'slot', 77)


# ---- module legacy_methods ----

def test_module_legacy_methods(mod):
    assert mod.legacy_noargs() == 1234
    assert mod.legacy_noargs.__doc__ == 'noargs doc'
    assert mod.legacy_o(12) == 144
    assert mod.legacy_varargs(4, 5, 6) == 456
    assert mod.legacy_keywords(b=2, a=1) == 12
    assert mod.legacy_keywords(3) == 35
    with pytest.raises(TypeError):
        mod.legacy_varargs(1)
    assert mod.roundtrip(5) == 5             # HPy methods still there


# ---- HPy_AsPyObject, HPy_FromPyObject ----

@pytest.mark.parametrize('value', [None, 1, 'str', (1, 2), object(), int])
def test_handle_pyobject_roundtrip(mod, value):
    assert mod.roundtrip(value) is value


def test_roundtrip_of_hpy_and_legacy_instances(mod):
    p, n = mod.LPoint(1), mod.LNode(2)
    assert mod.roundtrip(p) is p and mod.roundtrip(n) is n
    assert mod.roundtrip(mod.LPoint) is mod.LPoint


def test_crossing_references(mod):
    value = object()
    refs = sys.getrefcount(value)
    # HPy_FromPyObject gives a new handle (a reference), HPy_AsPyObject a
    # new reference; none remains once both are released
    assert mod.crossing_refs(value) == (1, 1)
    assert sys.getrefcount(value) == refs


def test_null_crosses_as_null(mod):
    assert mod.from_null() == (True, True, False)


# ---- the errors of HPy 0.9 ----

@pytest.mark.parametrize('name', ['DeallocTraverse', 'DeallocDestroy'])
def test_legacy_dealloc_with_hpy_traverse_or_destroy(mod, name):
    with pytest.raises(TypeError) as err:
        mod.make(name)
    assert str(err.value) == ('legacy tp_dealloc is incompatible with HPy_tp_traverse'
                              ' or HPy_tp_destroy.')


def test_legacy_slots_without_the_legacy_shape(mod):
    with pytest.raises(TypeError) as err:
        mod.make('SlotsWithoutShape')
    assert str(err.value) == ('cannot specify .legacy_slots without setting '
                              '.builtin_shape=HPyType_BuiltinShape_Legacy')


def test_legacy_type_inheriting_from_a_pure_type(mod):
    with pytest.raises(TypeError) as err:
        mod.make('LegacyOnPure')
    assert str(err.value) == 'A legacy type should not inherit its memory layout from a pure type'


def test_legacy_type_inheriting_from_a_legacy_type(mod):
    sub = mod.make('LegacyOnLegacy')
    assert sub.__base__ is mod.LPoint
    before = mod.legacy_deallocs()
    obj = sub(1, -2)
    assert (obj.norm1(), repr(obj), obj.sum) == (3, 'LPoint(1, -2)', 999)
    refs = sys.getrefcount(sub)
    del obj                                  # LPoint's legacy tp_dealloc
    assert mod.legacy_deallocs() == before + 1
    assert sys.getrefcount(sub) == refs - 1


def test_hpy_call_on_a_legacy_type_that_inherits_its_struct(mod):
    with pytest.raises(TypeError, match='^Cannot use HPy call protocol with legacy types that '
                                        'inherit the struct'):
        mod.make('CallInherited')
    sized = mod.make('CallSized')            # with a basicsize it works
    assert sized()() == 'hello'


# ---- the universal ABI refuses legacy features at compile time ----

LEGACY_ERROR = 'Cannot use legacy functions when targeting the HPy Universal ABI'

UNIVERSAL_LEGACY_SOURCE = r'''
typedef struct {
    long x;
} LObj;
HPyType_LEGACY_HELPERS(LObj)

HPyDef_METH(via_helper, "via_helper", HPyFunc_NOARGS)
static HPy via_helper_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromLong(ctx, LObj_AsStruct(ctx, self)->x);
}

HPyDef_METH(direct, "direct", HPyFunc_NOARGS)
static HPy direct_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromLong(ctx, ((LObj *)_HPy_AsStruct_Legacy(ctx, self))->x);
}

HPyDef_METH(crossing, "crossing", HPyFunc_O)
static HPy crossing_impl(HPyContext *ctx, HPy self, HPy arg)
{
    cpy_PyObject *obj = HPy_AsPyObject(ctx, arg);
    return HPy_FromPyObject(ctx, obj);
}
@EXPORT(via_helper)
@EXPORT(direct)
@EXPORT(crossing)
@INIT
'''


def test_universal_refuses_legacy_functions(compile_module):
    with pytest.raises(CompileError) as err:
        compile_module(UNIVERSAL_LEGACY_SOURCE, 'universal')
    # gcc names each call (in quotes of the locale's choice)
    refused = re.findall(r'call to .(\w+). declared with attribute error: ' + LEGACY_ERROR,
                         str(err.value))
    # the helper's call and the direct one are both reported
    assert sorted(refused) == ['HPy_AsPyObject', 'HPy_FromPyObject',
                               '_HPy_AsStruct_Legacy', '_HPy_AsStruct_Legacy'], str(err.value)


def test_universal_refuses_python_h_for_a_legacy_type(compile_module):
    src = r'''
        #include <Python.h>
        typedef struct {
            PyObject_HEAD
            long x;
        } LObj;
        static HPyType_Spec LObj_spec = {
            .name = "u.LObj",
            .basicsize = sizeof(LObj),
            .builtin_shape = HPyType_BuiltinShape_Legacy,
        };
        @EXPORT_TYPE("LObj", LObj_spec)
        @INIT
    '''
    with pytest.raises(CompileError) as err:
        compile_module(src, 'universal')
    message = re.search(r'#error "(.*)"', str(err.value)).group(1)
    assert 'Python.h' in message and 'universal' in message.lower(), message
