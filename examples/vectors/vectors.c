/* vectors: two HPy types, built by hpy_build in every ABI.
 *
 *   Vector(1.0, 2.0, 3.0)  a vector of floats: + - * (by a number), -v,
 *                          abs(v) (its norm), len, v[i], v[i] = x, ==, repr,
 *                          v.dim (read-only member), v.norm (get-set), v.dot(w)
 *   Tree()                 a binary search tree mapping keys to values:
 *                          t[k] = v, t[k], k in t, len(t), t.keys(),
 *                          t.size (member), t.height (get-set); its nodes hold
 *                          their keys, values and children in HPyFields, so the
 *                          garbage collector sees them (a tree may hold itself)
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "hpy.h"

/* ---------------------------------------------------------------- Vector */

typedef struct {
    HPy_ssize_t dim;
    double *data;     /* malloc'd: freed by HPy_tp_destroy */
} VectorObject;
HPyType_HELPERS(VectorObject)

static HPyGlobal Vector_type;

static HPy new_vector(HPyContext *ctx, HPy type, HPy_ssize_t dim, VectorObject **out)
{
    VectorObject *v;
    HPy h = HPy_New(ctx, type, &v);
    if (HPy_IsNull(h))
        return HPy_NULL;
    v->data = calloc(dim > 0 ? (size_t)dim : 1, sizeof(double));
    if (v->data == NULL) {
        HPy_Close(ctx, h);
        return HPyErr_NoMemory(ctx);
    }
    v->dim = dim;
    *out = v;
    return h;
}

/* A new vector of the module's Vector type. */
static HPy make_vector(HPyContext *ctx, HPy_ssize_t dim, VectorObject **out)
{
    HPy type = HPyGlobal_Load(ctx, Vector_type);
    HPy h = new_vector(ctx, type, dim, out);
    HPy_Close(ctx, type);
    return h;
}

HPyDef_SLOT(Vector_new, HPy_tp_new)
static HPy Vector_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    if (!HPy_IsNull(kw) && HPy_Length(ctx, kw) > 0)
        return HPyErr_SetString(ctx, ctx->h_TypeError, "Vector() takes no keyword arguments");
    VectorObject *v;
    HPy h = new_vector(ctx, cls, nargs, &v);
    if (HPy_IsNull(h))
        return HPy_NULL;
    for (HPy_ssize_t i = 0; i < nargs; i++) {
        v->data[i] = HPyFloat_AsDouble(ctx, args[i]);
        if (v->data[i] == -1.0 && HPyErr_Occurred(ctx)) {
            HPy_Close(ctx, h);
            return HPy_NULL;
        }
    }
    return h;
}

HPyDef_SLOT(Vector_destroy, HPy_tp_destroy)
static void Vector_destroy_impl(void *obj)
{
    free(((VectorObject *)obj)->data);
}

static int is_vector(HPyContext *ctx, HPy h)
{
    HPy type = HPyGlobal_Load(ctx, Vector_type);
    int r = HPy_TypeCheck(ctx, h, type);
    HPy_Close(ctx, type);
    return r;
}

/* a + b and a - b: both vectors of the same dimension */
static HPy add_or_sub(HPyContext *ctx, HPy a, HPy b, double sign)
{
    if (!is_vector(ctx, a) || !is_vector(ctx, b))
        return HPy_Dup(ctx, ctx->h_NotImplemented);
    VectorObject *va = VectorObject_AsStruct(ctx, a), *vb = VectorObject_AsStruct(ctx, b), *r;
    if (va->dim != vb->dim)
        return HPyErr_Format(ctx, ctx->h_ValueError, "dimensions differ: %zd and %zd",
                             va->dim, vb->dim);
    HPy h = make_vector(ctx, va->dim, &r);
    for (HPy_ssize_t i = 0; !HPy_IsNull(h) && i < va->dim; i++)
        r->data[i] = va->data[i] + sign * vb->data[i];
    return h;
}

HPyDef_SLOT(Vector_add, HPy_nb_add)
static HPy Vector_add_impl(HPyContext *ctx, HPy a, HPy b) { return add_or_sub(ctx, a, b, 1.0); }

HPyDef_SLOT(Vector_sub, HPy_nb_subtract)
static HPy Vector_sub_impl(HPyContext *ctx, HPy a, HPy b) { return add_or_sub(ctx, a, b, -1.0); }

/* v * x and x * v, x a number */
HPyDef_SLOT(Vector_mul, HPy_nb_multiply)
static HPy Vector_mul_impl(HPyContext *ctx, HPy a, HPy b)
{
    HPy vec = is_vector(ctx, a) ? a : b, num = is_vector(ctx, a) ? b : a;
    if (is_vector(ctx, num) || !HPyNumber_Check(ctx, num))
        return HPy_Dup(ctx, ctx->h_NotImplemented);
    double x = HPyFloat_AsDouble(ctx, num);
    if (x == -1.0 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    VectorObject *v = VectorObject_AsStruct(ctx, vec), *r;
    HPy h = make_vector(ctx, v->dim, &r);
    for (HPy_ssize_t i = 0; !HPy_IsNull(h) && i < v->dim; i++)
        r->data[i] = x * v->data[i];
    return h;
}

HPyDef_SLOT(Vector_neg, HPy_nb_negative)
static HPy Vector_neg_impl(HPyContext *ctx, HPy self)
{
    VectorObject *v = VectorObject_AsStruct(ctx, self), *r;
    HPy h = make_vector(ctx, v->dim, &r);
    for (HPy_ssize_t i = 0; !HPy_IsNull(h) && i < v->dim; i++)
        r->data[i] = -v->data[i];
    return h;
}

static double norm(VectorObject *v)
{
    double sum = 0.0;
    for (HPy_ssize_t i = 0; i < v->dim; i++)
        sum += v->data[i] * v->data[i];
    return sqrt(sum);
}

HPyDef_SLOT(Vector_abs, HPy_nb_absolute)
static HPy Vector_abs_impl(HPyContext *ctx, HPy self)
{
    return HPyFloat_FromDouble(ctx, norm(VectorObject_AsStruct(ctx, self)));
}

HPyDef_SLOT(Vector_bool, HPy_nb_bool)
static int Vector_bool_impl(HPyContext *ctx, HPy self)
{
    return norm(VectorObject_AsStruct(ctx, self)) != 0.0;
}

HPyDef_SLOT(Vector_len, HPy_sq_length)
static HPy_ssize_t Vector_len_impl(HPyContext *ctx, HPy self)
{
    return VectorObject_AsStruct(ctx, self)->dim;
}

static int check_index(HPyContext *ctx, VectorObject *v, HPy_ssize_t i)
{
    if (i < 0 || i >= v->dim) {
        HPyErr_SetString(ctx, ctx->h_IndexError, "Vector index out of range");
        return -1;
    }
    return 0;
}

/* CPython has already added len(v) to a negative index */
HPyDef_SLOT(Vector_item, HPy_sq_item)
static HPy Vector_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i)
{
    VectorObject *v = VectorObject_AsStruct(ctx, self);
    if (check_index(ctx, v, i) < 0)
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, v->data[i]);
}

HPyDef_SLOT(Vector_ass_item, HPy_sq_ass_item)
static int Vector_ass_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i, HPy value)
{
    VectorObject *v = VectorObject_AsStruct(ctx, self);
    if (HPy_IsNull(value)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "cannot delete a Vector component");
        return -1;
    }
    if (check_index(ctx, v, i) < 0)
        return -1;
    double x = HPyFloat_AsDouble(ctx, value);
    if (x == -1.0 && HPyErr_Occurred(ctx))
        return -1;
    v->data[i] = x;
    return 0;
}

HPyDef_SLOT(Vector_richcompare, HPy_tp_richcompare)
static HPy Vector_richcompare_impl(HPyContext *ctx, HPy a, HPy b, HPy_RichCmpOp op)
{
    if ((op != HPy_EQ && op != HPy_NE) || !is_vector(ctx, b))
        return HPy_Dup(ctx, ctx->h_NotImplemented);
    VectorObject *va = VectorObject_AsStruct(ctx, a), *vb = VectorObject_AsStruct(ctx, b);
    int equal = va->dim == vb->dim &&
                (va->dim == 0 || memcmp(va->data, vb->data, (size_t)va->dim * sizeof(double)) == 0);
    HPy_RETURN_RICHCOMPARE(ctx, equal, 1, op);
}

HPyDef_SLOT(Vector_repr, HPy_tp_repr)
static HPy Vector_repr_impl(HPyContext *ctx, HPy self)
{
    VectorObject *v = VectorObject_AsStruct(ctx, self);
    HPy parts = HPyList_New(ctx, 0);
    for (HPy_ssize_t i = 0; !HPy_IsNull(parts) && i < v->dim; i++) {
        HPy x = HPyFloat_FromDouble(ctx, v->data[i]);
        HPy r = HPy_IsNull(x) ? HPy_NULL : HPy_Repr(ctx, x);
        HPy_Close(ctx, x);
        if (HPy_IsNull(r) || HPyList_Append(ctx, parts, r) < 0) {
            HPy_Close(ctx, r);
            HPy_Close(ctx, parts);
            return HPy_NULL;
        }
        HPy_Close(ctx, r);
    }
    if (HPy_IsNull(parts))
        return HPy_NULL;
    /* ", ".join(parts) */
    HPy join = HPyUnicode_FromString(ctx, "join");
    HPy call[2] = { HPyUnicode_FromString(ctx, ", "), parts };
    HPy joined = HPy_IsNull(join) || HPy_IsNull(call[0]) ? HPy_NULL
                 : HPy_CallMethod(ctx, join, call, 2, HPy_NULL);
    HPy_Close(ctx, join);
    HPy_Close(ctx, call[0]);
    HPy_Close(ctx, parts);
    if (HPy_IsNull(joined))
        return HPy_NULL;
    HPy result = HPyUnicode_FromFormat(ctx, "Vector(%U)", joined);
    HPy_Close(ctx, joined);
    return result;
}

HPyDef_MEMBER(Vector_dim, "dim", HPyMember_HPYSSIZET, offsetof(VectorObject, dim), .readonly = 1,
              .doc = "the number of components")

HPyDef_GET(Vector_norm, "norm", .doc = "the Euclidean norm, as abs(v)")
static HPy Vector_norm_get(HPyContext *ctx, HPy self, void *closure)
{
    return HPyFloat_FromDouble(ctx, norm(VectorObject_AsStruct(ctx, self)));
}

HPyDef_METH(Vector_dot, "dot", HPyFunc_O, .doc = "dot(w): the dot product")
static HPy Vector_dot_impl(HPyContext *ctx, HPy self, HPy other)
{
    if (!is_vector(ctx, other))
        return HPyErr_SetString(ctx, ctx->h_TypeError, "dot() needs a Vector");
    VectorObject *a = VectorObject_AsStruct(ctx, self), *b = VectorObject_AsStruct(ctx, other);
    if (a->dim != b->dim)
        return HPyErr_Format(ctx, ctx->h_ValueError, "dimensions differ: %zd and %zd", a->dim, b->dim);
    double sum = 0.0;
    for (HPy_ssize_t i = 0; i < a->dim; i++)
        sum += a->data[i] * b->data[i];
    return HPyFloat_FromDouble(ctx, sum);
}

static HPyDef *Vector_defines[] = {
    &Vector_new, &Vector_destroy, &Vector_add, &Vector_sub, &Vector_mul, &Vector_neg,
    &Vector_abs, &Vector_bool, &Vector_len, &Vector_item, &Vector_ass_item,
    &Vector_richcompare, &Vector_repr, &Vector_dim, &Vector_norm, &Vector_dot, NULL
};

static HPyType_Spec Vector_spec = {
    .name = "vectors.Vector",
    .doc = "Vector(*components): a vector of floats",
    .basicsize = sizeof(VectorObject),
    .builtin_shape = SHAPE(VectorObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .defines = Vector_defines,
};

/* ------------------------------------------------------------------ Tree */

/* Each node is a Tree; the root is the object the user holds. An empty
   tree has a null key. */
typedef struct {
    HPyField key, value, left, right;
    HPy_ssize_t size;   /* of the subtree */
} TreeObject;
HPyType_HELPERS(TreeObject)

static HPyGlobal Tree_type;

HPyDef_SLOT(Tree_new, HPy_tp_new)
static HPy Tree_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    if (nargs != 0 || (!HPy_IsNull(kw) && HPy_Length(ctx, kw) > 0))
        return HPyErr_SetString(ctx, ctx->h_TypeError, "Tree() takes no arguments");
    TreeObject *t;
    return HPy_New(ctx, cls, &t);
}

HPyDef_SLOT(Tree_traverse, HPy_tp_traverse)
static int Tree_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    TreeObject *t = (TreeObject *)self;
    HPy_VISIT(&t->key);
    HPy_VISIT(&t->value);
    HPy_VISIT(&t->left);
    HPy_VISIT(&t->right);
    return 0;
}

/* the node holding `key`, or where it belongs: 0 found, 1 absent, -1 error;
   *node is a new handle */
static int find(HPyContext *ctx, HPy root, HPy key, HPy *node)
{
    HPy current = HPy_Dup(ctx, root);
    for (;;) {
        TreeObject *t = TreeObject_AsStruct(ctx, current);
        if (HPyField_IsNull(t->key)) {
            *node = current;
            return 1;
        }
        HPy k = HPyField_Load(ctx, current, t->key);
        int eq = HPy_RichCompareBool(ctx, key, k, HPy_EQ);
        int lt = eq == 0 ? HPy_RichCompareBool(ctx, key, k, HPy_LT) : 0;
        HPy_Close(ctx, k);
        if (eq < 0 || lt < 0) {
            HPy_Close(ctx, current);
            return -1;
        }
        if (eq) {
            *node = current;
            return 0;
        }
        HPyField child = lt ? t->left : t->right;
        if (HPyField_IsNull(child)) {
            *node = current;
            return 1;
        }
        HPy next = HPyField_Load(ctx, current, child);
        HPy_Close(ctx, current);
        current = next;
    }
}

HPyDef_SLOT(Tree_getitem, HPy_mp_subscript)
static HPy Tree_getitem_impl(HPyContext *ctx, HPy self, HPy key)
{
    HPy node;
    int r = find(ctx, self, key, &node);
    if (r < 0)
        return HPy_NULL;
    HPy result = HPy_NULL;
    if (r == 0)
        result = HPyField_Load(ctx, node, TreeObject_AsStruct(ctx, node)->value);
    else
        HPyErr_SetObject(ctx, ctx->h_KeyError, key);
    HPy_Close(ctx, node);
    return result;
}

static int insert(HPyContext *ctx, HPy self, HPy key, HPy value)
{
    HPy node;
    int r = find(ctx, self, key, &node);
    if (r < 0)
        return -1;
    TreeObject *t = TreeObject_AsStruct(ctx, node);
    if (r == 0) {                       /* replace */
        HPyField_Store(ctx, node, &t->value, value);
        HPy_Close(ctx, node);
        return 0;
    }
    if (HPyField_IsNull(t->key)) {      /* the empty root */
        HPyField_Store(ctx, node, &t->key, key);
        HPyField_Store(ctx, node, &t->value, value);
        t->size = 1;
    } else {
        HPy type = HPyGlobal_Load(ctx, Tree_type);
        TreeObject *leaf;
        HPy h_leaf = HPy_New(ctx, type, &leaf);
        HPy_Close(ctx, type);
        if (HPy_IsNull(h_leaf)) {
            HPy_Close(ctx, node);
            return -1;
        }
        HPyField_Store(ctx, h_leaf, &leaf->key, key);
        HPyField_Store(ctx, h_leaf, &leaf->value, value);
        leaf->size = 1;
        HPy k = HPyField_Load(ctx, node, t->key);
        int lt = HPy_RichCompareBool(ctx, key, k, HPy_LT);
        HPy_Close(ctx, k);
        if (lt < 0) {
            HPy_Close(ctx, h_leaf);
            HPy_Close(ctx, node);
            return -1;
        }
        HPyField_Store(ctx, node, lt ? &t->left : &t->right, h_leaf);
        HPy_Close(ctx, h_leaf);
    }
    HPy_Close(ctx, node);
    /* one more key below every node on the path: walk it again */
    HPy current = HPy_Dup(ctx, self);
    for (;;) {
        TreeObject *c = TreeObject_AsStruct(ctx, current);
        HPy k = HPyField_Load(ctx, current, c->key);
        int eq = HPy_RichCompareBool(ctx, key, k, HPy_EQ);
        int lt = HPy_RichCompareBool(ctx, key, k, HPy_LT);
        HPy_Close(ctx, k);
        if (eq != 0 || lt < 0) {        /* reached the new node (or an error) */
            HPy_Close(ctx, current);
            return eq < 0 || lt < 0 ? -1 : 0;
        }
        c->size++;
        HPy next = HPyField_Load(ctx, current, lt ? c->left : c->right);
        HPy_Close(ctx, current);
        current = next;
    }
}

HPyDef_SLOT(Tree_setitem, HPy_mp_ass_subscript)
static int Tree_setitem_impl(HPyContext *ctx, HPy self, HPy key, HPy value)
{
    if (HPy_IsNull(value)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "Tree does not support deleting keys");
        return -1;
    }
    return insert(ctx, self, key, value);
}

HPyDef_SLOT(Tree_len, HPy_mp_length)
static HPy_ssize_t Tree_len_impl(HPyContext *ctx, HPy self)
{
    return TreeObject_AsStruct(ctx, self)->size;
}

HPyDef_SLOT(Tree_contains, HPy_sq_contains)
static int Tree_contains_impl(HPyContext *ctx, HPy self, HPy key)
{
    HPy node;
    int r = find(ctx, self, key, &node);
    if (r < 0)
        return -1;
    HPy_Close(ctx, node);
    return r == 0;
}

static int add_keys(HPyContext *ctx, HPy node, HPy list)
{
    TreeObject *t = TreeObject_AsStruct(ctx, node);
    if (HPyField_IsNull(t->key))
        return 0;
    HPyField parts[3] = { t->left, t->key, t->right };
    for (int i = 0; i < 3; i++) {
        if (HPyField_IsNull(parts[i]))
            continue;
        HPy h = HPyField_Load(ctx, node, parts[i]);
        int r = i == 1 ? HPyList_Append(ctx, list, h) : add_keys(ctx, h, list);
        HPy_Close(ctx, h);
        if (r < 0)
            return -1;
    }
    return 0;
}

HPyDef_METH(Tree_keys, "keys", HPyFunc_NOARGS, .doc = "keys(): the keys, in order")
static HPy Tree_keys_impl(HPyContext *ctx, HPy self)
{
    HPy list = HPyList_New(ctx, 0);
    if (!HPy_IsNull(list) && add_keys(ctx, self, list) < 0) {
        HPy_Close(ctx, list);
        return HPy_NULL;
    }
    return list;
}

static HPy_ssize_t height(HPyContext *ctx, HPy node)
{
    TreeObject *t = TreeObject_AsStruct(ctx, node);
    if (HPyField_IsNull(t->key))
        return 0;
    HPy_ssize_t best = 0;
    HPyField children[2] = { t->left, t->right };
    for (int i = 0; i < 2; i++) {
        if (HPyField_IsNull(children[i]))
            continue;
        HPy child = HPyField_Load(ctx, node, children[i]);
        HPy_ssize_t h = height(ctx, child);
        HPy_Close(ctx, child);
        if (h > best)
            best = h;
    }
    return best + 1;
}

HPyDef_GET(Tree_height, "height", .doc = "the number of levels")
static HPy Tree_height_get(HPyContext *ctx, HPy self, void *closure)
{
    return HPyLong_FromSsize_t(ctx, height(ctx, self));
}

HPyDef_MEMBER(Tree_size, "size", HPyMember_HPYSSIZET, offsetof(TreeObject, size), .readonly = 1,
              .doc = "the number of keys, as len(t)")

static HPyDef *Tree_defines[] = {
    &Tree_new, &Tree_traverse, &Tree_getitem, &Tree_setitem, &Tree_len, &Tree_contains,
    &Tree_keys, &Tree_height, &Tree_size, NULL
};

static HPyType_Spec Tree_spec = {
    .name = "vectors.Tree",
    .doc = "Tree(): a binary search tree mapping keys to values",
    .basicsize = sizeof(TreeObject),
    .builtin_shape = SHAPE(TreeObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .defines = Tree_defines,
};

/* ---------------------------------------------------------------- module */

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

HPyDef_SLOT(vectors_exec, HPy_mod_exec)
static int vectors_exec_impl(HPyContext *ctx, HPy module)
{
    if (add_type(ctx, module, "Vector", &Vector_spec, &Vector_type) < 0 ||
        add_type(ctx, module, "Tree", &Tree_spec, &Tree_type) < 0)
        return -1;
    return 0;
}

static HPyDef *module_defines[] = { &vectors_exec, NULL };
static HPyGlobal *module_globals[] = { &Vector_type, &Tree_type, NULL };

static HPyModuleDef moduledef = {
    .doc = "Vectors and search trees: HPy types built by hpy_build",
    .defines = module_defines,
    .globals = module_globals,
};

HPy_MODINIT(vectors, moduledef)
