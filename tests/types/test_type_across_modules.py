"""One module's HPy types used by another: HPy_New of the other's type and
an HPy subclass of it. In the CPython ABI each module links its own copy of
the runtime's type code, so each must know the types the others made."""
import gc
import sys

import pytest

# The module that owns the types.
OWNER = r'''
typedef struct {
    long x;
    HPyField ref;
} NodeObject;
HPyType_HELPERS(NodeObject)

HPyDef_MEMBER(Node_x, "x", HPyMember_LONG, offsetof(NodeObject, x))
HPyDef_MEMBER(Node_ref, "ref", HPyMember_OBJECT, offsetof(NodeObject, ref))

HPyDef_SLOT(Node_traverse, HPy_tp_traverse)
static int Node_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((NodeObject *)self)->ref);
    return 0;
}

static HPyDef *Node_defines[] = { &Node_x, &Node_ref, &Node_traverse, NULL };
static HPyType_Spec Node_spec = {
    .name = "owner.Node",
    .basicsize = sizeof(NodeObject),
    .builtin_shape = SHAPE(NodeObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC | HPy_TPFLAGS_BASETYPE,
    .defines = Node_defines,
};
@EXPORT_TYPE("Node", Node_spec)

typedef struct {
    double value;
} PlainObject;
HPyType_HELPERS(PlainObject)

HPyDef_MEMBER(Plain_value, "value", HPyMember_DOUBLE, offsetof(PlainObject, value))
static HPyDef *Plain_defines[] = { &Plain_value, NULL };
static HPyType_Spec Plain_spec = {
    .name = "owner.Plain",
    .basicsize = sizeof(PlainObject),
    .builtin_shape = SHAPE(PlainObject),
    .flags = HPy_TPFLAGS_DEFAULT,
    .defines = Plain_defines,
};
@EXPORT_TYPE("Plain", Plain_spec)
@INIT
'''

# The module that uses them: it knows their structs, as a package's modules
# that share a header do.
USER = r'''
typedef struct {
    long x;
    HPyField ref;
} NodeObject;
typedef struct {
    double value;
} PlainObject;

HPyDef_METH(new_node, "new_node", HPyFunc_VARARGS)
static HPy new_node_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy type, ref;
    long x;
    NodeObject *node;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OlO", &type, &x, &ref))
        return HPy_NULL;
    HPy h = HPy_New(ctx, type, &node);
    if (HPy_IsNull(h))
        return HPy_NULL;
    node->x = x;
    HPyField_Store(ctx, h, &node->ref, ref);
    return h;
}

HPyDef_METH(new_plain, "new_plain", HPyFunc_VARARGS)
static HPy new_plain_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy type;
    double value;
    PlainObject *plain;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "Od", &type, &value))
        return HPy_NULL;
    HPy h = HPy_New(ctx, type, &plain);
    if (HPy_IsNull(h))
        return HPy_NULL;
    plain->value = value;
    return h;
}

/* A subclass of the owner's Node, made here. */
typedef struct {
    NodeObject base;
    long extra;
} SubNodeObject;
HPyType_HELPERS(SubNodeObject)

HPyDef_MEMBER(SubNode_extra, "extra", HPyMember_LONG, offsetof(SubNodeObject, extra))

/* (the GC calls the subclass's traverse only: it visits every field) */
HPyDef_SLOT(SubNode_traverse, HPy_tp_traverse)
static int SubNode_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((SubNodeObject *)self)->base.ref);
    return 0;
}

static HPyDef *SubNode_defines[] = { &SubNode_extra, &SubNode_traverse, NULL };
static HPyType_Spec SubNode_spec = {
    .name = "user.SubNode",
    .basicsize = sizeof(SubNodeObject),
    .builtin_shape = SHAPE(SubNodeObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .defines = SubNode_defines,
};

HPyDef_METH(make_subclass, "make_subclass", HPyFunc_O)
static HPy make_subclass_impl(HPyContext *ctx, HPy self, HPy base)
{
    HPyType_SpecParam params[] = {
        { HPyType_SpecParam_Base, base }, { (HPyType_SpecParam_Kind)0, HPy_NULL } };
    return HPyType_FromSpec(ctx, &SubNode_spec, params);
}

HPyDef_METH(new_subnode, "new_subnode", HPyFunc_VARARGS)
static HPy new_subnode_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy type, ref;
    long x, extra;
    SubNodeObject *sub;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "OllO", &type, &x, &extra, &ref))
        return HPy_NULL;
    HPy h = HPy_New(ctx, type, &sub);
    if (HPy_IsNull(h))
        return HPy_NULL;
    sub->base.x = x;
    sub->extra = extra;
    HPyField_Store(ctx, h, &sub->base.ref, ref);
    return h;
}

@EXPORT(new_node)
@EXPORT(new_plain)
@EXPORT(make_subclass)
@EXPORT(new_subnode)
@INIT
'''


@pytest.fixture(scope='module')
def owner(type_module):
    return type_module(OWNER)


@pytest.fixture(scope='module')
def user(type_module):
    return type_module(USER)


def test_new_of_another_modules_gc_type(owner, user):
    ref = object()
    node = user.new_node(owner.Node, 7, ref)
    assert type(node) is owner.Node
    assert node.x == 7 and node.ref is ref
    node.x = 8
    assert node.x == 8
    before = sys.getrefcount(ref)
    del node
    assert sys.getrefcount(ref) == before - 1


def test_new_of_another_modules_plain_type(owner, user):
    plain = user.new_plain(owner.Plain, 2.5)
    assert type(plain) is owner.Plain
    assert plain.value == 2.5


def test_another_modules_instances_in_a_cycle_are_collected(owner, user):
    # the owner's traverse must find the field the other module stored
    a = user.new_node(owner.Node, 1, None)
    b = user.new_node(owner.Node, 2, a)
    a.ref = b
    marker = owner.Node()
    a_ref = user.new_node(owner.Node, 3, marker)
    b.ref = a_ref
    before = sys.getrefcount(marker)
    del a, b, a_ref
    gc.collect()
    assert sys.getrefcount(marker) == before - 1


def test_subclass_of_another_modules_type(owner, user):
    SubNode = user.make_subclass(owner.Node)
    assert issubclass(SubNode, owner.Node)
    ref = object()
    sub = user.new_subnode(SubNode, 5, 6, ref)
    assert type(sub) is SubNode
    # the base's members read the base's part, the subclass's its own
    assert (sub.x, sub.extra, sub.ref) == (5, 6, ref)
    sub.ref = sub           # a cycle through the base's field
    del sub
    gc.collect()


def test_new_of_another_modules_type_from_python_subclass(owner, user):
    class Py(owner.Node):
        pass
    node = user.new_node(Py, 9, None)
    assert type(node) is Py and node.x == 9 and node.ref is None
