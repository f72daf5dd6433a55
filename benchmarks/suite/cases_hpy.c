/* The benchmark cases on HPy. cases_capi.c is the same module on the C API:
   each function here has its twin there, doing the same work with the
   matching C API calls. Built in the CPython ABI, the universal ABI (run in
   universal, debug and trace modes), and by hpy==0.9.0. @NAME@ is replaced
   by the module name of each build. */
#include <hpy.h>
#include <stddef.h>

static HPyGlobal Point_type, Node_type;

/* ---------------------------------------------------- module functions */

HPyDef_METH(noargs, "noargs", HPyFunc_NOARGS)
static HPy noargs_impl(HPyContext *ctx, HPy self)
{
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(ident, "ident", HPyFunc_O)
static HPy ident_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPy_Dup(ctx, arg);
}

HPyDef_METH(incr, "incr", HPyFunc_O)
static HPy incr_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long a = HPyLong_AsLong(ctx, arg);
    if (a == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, a + 1);
}

HPyDef_METH(add, "add", HPyFunc_VARARGS)
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "add() takes 2 arguments");
        return HPy_NULL;
    }
    long a = HPyLong_AsLong(ctx, args[0]);
    if (a == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    long b = HPyLong_AsLong(ctx, args[1]);
    if (b == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, a + b);
}

/* The sum of its arguments, positional and keyword. */
HPyDef_METH(kwadd, "kwadd", HPyFunc_KEYWORDS)
static HPy kwadd_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
{
    HPy_ssize_t nkw = HPy_IsNull(kwnames) ? 0 : HPy_Length(ctx, kwnames);
    if (nkw < 0)
        return HPy_NULL;
    long total = 0;
    for (size_t i = 0; i < nargs + (size_t)nkw; i++) {
        long v = HPyLong_AsLong(ctx, args[i]);
        if (v == -1 && HPyErr_Occurred(ctx))
            return HPy_NULL;
        total += v;
    }
    return HPyLong_FromLong(ctx, total);
}

/* call(f, args) and call_kw(f, args, kw): calls from C. */
HPyDef_METH(call, "call", HPyFunc_VARARGS)
static HPy call_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "call() takes 2 arguments");
        return HPy_NULL;
    }
    return HPy_CallTupleDict(ctx, args[0], args[1], HPy_NULL);
}

HPyDef_METH(call_kw, "call_kw", HPyFunc_VARARGS)
static HPy call_kw_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (nargs != 3) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "call_kw() takes 3 arguments");
        return HPy_NULL;
    }
    return HPy_CallTupleDict(ctx, args[0], args[1], args[2]);
}

/* Ten ints that die at once. */
HPyDef_METH(alloc_ints, "alloc_ints", HPyFunc_O)
static HPy alloc_ints_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long base = HPyLong_AsLong(ctx, arg);
    if (base == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    for (long k = 0; k < 10; k++) {
        HPy h = HPyLong_FromLong(ctx, base * 16 + 1000 + k);
        if (HPy_IsNull(h))
            return HPy_NULL;
        HPy_Close(ctx, h);
    }
    return HPy_Dup(ctx, ctx->h_None);
}

/* a tuple of two new ints, from a format string */
HPyDef_METH(build_value, "build_value", HPyFunc_NOARGS)
static HPy build_value_impl(HPyContext *ctx, HPy self)
{
    return HPy_BuildValue(ctx, "ii", 2048, 2049);
}

HPyDef_METH(make_tuple, "make_tuple", HPyFunc_VARARGS)
static HPy make_tuple_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPyTuple_FromArray(ctx, (HPy *)args, (HPy_ssize_t)nargs);
}

/* -------------------------------------------------------------- Point */

typedef struct {
    long x;
    long y;
} PointObject;
HPyType_HELPERS(PointObject)

HPyDef_SLOT(Point_new, HPy_tp_new)
static HPy Point_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "Point() takes 2 arguments");
        return HPy_NULL;
    }
    long x = HPyLong_AsLong(ctx, args[0]);
    if (x == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    long y = HPyLong_AsLong(ctx, args[1]);
    if (y == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    PointObject *p;
    HPy h = HPy_New(ctx, cls, &p);
    if (HPy_IsNull(h))
        return HPy_NULL;
    p->x = x;
    p->y = y;
    return h;
}

HPyDef_METH(Point_norm2, "norm2", HPyFunc_NOARGS)
static HPy Point_norm2_impl(HPyContext *ctx, HPy self)
{
    PointObject *p = PointObject_AsStruct(ctx, self);
    return HPyLong_FromLong(ctx, p->x * p->x + p->y * p->y);
}

HPyDef_METH(Point_scale_x, "scale_x", HPyFunc_O)
static HPy Point_scale_x_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long k = HPyLong_AsLong(ctx, arg);
    if (k == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, self)->x * k);
}

HPyDef_SLOT(Point_len, HPy_sq_length)
static HPy_ssize_t Point_len_impl(HPyContext *ctx, HPy self)
{
    return 2;
}

HPyDef_SLOT(Point_item, HPy_sq_item)
static HPy Point_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i)
{
    PointObject *p = PointObject_AsStruct(ctx, self);
    if (i < 0 || i > 1) {
        HPyErr_SetString(ctx, ctx->h_IndexError, "Point index out of range");
        return HPy_NULL;
    }
    return HPyLong_FromLong(ctx, i == 0 ? p->x : p->y);
}

HPyDef_MEMBER(Point_x, "x", HPyMember_LONG, offsetof(PointObject, x))

HPyDef_GETSET(Point_y, "y")
static HPy Point_y_get(HPyContext *ctx, HPy self, void *closure)
{
    return HPyLong_FromLong(ctx, PointObject_AsStruct(ctx, self)->y);
}

static int Point_y_set(HPyContext *ctx, HPy self, HPy value, void *closure)
{
    if (HPy_IsNull(value)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "cannot delete y");
        return -1;
    }
    long y = HPyLong_AsLong(ctx, value);
    if (y == -1 && HPyErr_Occurred(ctx))
        return -1;
    PointObject_AsStruct(ctx, self)->y = y;
    return 0;
}

static HPyDef *Point_defines[] = {
    &Point_new, &Point_norm2, &Point_scale_x, &Point_len, &Point_item, &Point_x, &Point_y, NULL
};

static HPyType_Spec Point_spec = {
    .name = "@NAME@.Point",
    .basicsize = sizeof(PointObject),
    .builtin_shape = SHAPE(PointObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .defines = Point_defines,
};

/* --------------------------------------------------------------- Node */

/* A GC object holding another in an HPyField. */
typedef struct {
    HPyField other;
} NodeObject;
HPyType_HELPERS(NodeObject)

HPyDef_SLOT(Node_traverse, HPy_tp_traverse)
static int Node_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((NodeObject *)self)->other);
    return 0;
}

static HPyDef *Node_defines[] = { &Node_traverse, NULL };

static HPyType_Spec Node_spec = {
    .name = "@NAME@.Node",
    .basicsize = sizeof(NodeObject),
    .builtin_shape = SHAPE(NodeObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .defines = Node_defines,
};

/* Two nodes holding each other, left to the cyclic garbage collector. */
HPyDef_METH(cycle, "cycle", HPyFunc_NOARGS)
static HPy cycle_impl(HPyContext *ctx, HPy self)
{
    HPy type = HPyGlobal_Load(ctx, Node_type);
    NodeObject *da, *db;
    HPy a = HPy_New(ctx, type, &da);
    if (HPy_IsNull(a)) {
        HPy_Close(ctx, type);
        return HPy_NULL;
    }
    HPy b = HPy_New(ctx, type, &db);
    HPy_Close(ctx, type);
    if (HPy_IsNull(b)) {
        HPy_Close(ctx, a);
        return HPy_NULL;
    }
    HPyField_Store(ctx, a, &da->other, b);
    HPyField_Store(ctx, b, &db->other, a);
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    return HPy_Dup(ctx, ctx->h_None);
}

/* ------------------------------------------------------------- module */

static int add_type(HPyContext *ctx, HPy module, const char *name, HPyType_Spec *spec,
                    HPyGlobal *global)
{
    HPy type = HPyType_FromSpec(ctx, spec, NULL);
    if (HPy_IsNull(type))
        return -1;
    HPyGlobal_Store(ctx, global, type);
    int r = HPy_SetAttr_s(ctx, module, name, type);
    HPy_Close(ctx, type);
    return r;
}

HPyDef_SLOT(bench_exec, HPy_mod_exec)
static int bench_exec_impl(HPyContext *ctx, HPy module)
{
    if (add_type(ctx, module, "Point", &Point_spec, &Point_type) < 0 ||
        add_type(ctx, module, "Node", &Node_spec, &Node_type) < 0)
        return -1;
    return 0;
}

static HPyDef *module_defines[] = {
    &noargs, &ident, &incr, &add, &kwadd, &call, &call_kw, &alloc_ints, &make_tuple,
    &build_value, &cycle, &bench_exec, NULL
};
static HPyGlobal *module_globals[] = { &Point_type, &Node_type, NULL };

static HPyModuleDef moduledef = {
    .doc = "hpy_build benchmark cases (HPy)",
    .defines = module_defines,
    .globals = module_globals,
};

HPy_MODINIT(@NAME@, moduledef)
