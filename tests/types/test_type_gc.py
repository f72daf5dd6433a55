"""HPyField, HPy_tp_traverse and the garbage collector: fields own their
objects, the GC sees them, cycles through fields are collected, tp_clear
and tp_dealloc close every field, HPy_tp_destroy runs once, HPyGlobal can
hold a type; nothing leaks and nothing is freed twice."""
import gc
import sys
import weakref

import pytest

SOURCE = r'''
typedef struct {
    HPyField a;
    HPyField b;
} PairObject;
HPyType_HELPERS(PairObject)

static long destroyed;

HPyDef_SLOT(Pair_new, HPy_tp_new)
static HPy Pair_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    HPy a = HPy_NULL, b = HPy_NULL;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "|OO", &a, &b))
        return HPy_NULL;
    PairObject *p;
    HPy h = HPy_New(ctx, cls, &p);
    if (HPy_IsNull(h))
        return HPy_NULL;
    if (!HPy_IsNull(a))
        HPyField_Store(ctx, h, &p->a, a);
    if (!HPy_IsNull(b))
        HPyField_Store(ctx, h, &p->b, b);
    return h;
}

HPyDef_SLOT(Pair_traverse, HPy_tp_traverse)
static int Pair_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    PairObject *p = (PairObject *)self;
    HPy_VISIT(&p->a);
    HPy_VISIT(&p->b);
    return 0;
}

HPyDef_SLOT(Pair_destroy, HPy_tp_destroy)
static void Pair_destroy_impl(void *self)
{
    destroyed++;
}

/* get-set pair for each field: null reads as None, None stores null */
static HPy load(HPyContext *ctx, HPy self, HPyField f)
{
    if (HPyField_IsNull(f))
        return HPy_Dup(ctx, ctx->h_None);
    return HPyField_Load(ctx, self, f);
}

static void store(HPyContext *ctx, HPy self, HPyField *f, HPy value)
{
    if (HPy_Is(ctx, value, ctx->h_None))
        HPyField_Store(ctx, self, f, HPy_NULL);
    else
        HPyField_Store(ctx, self, f, value);
}

HPyDef_GETSET(Pair_a, "a")
static HPy Pair_a_get(HPyContext *ctx, HPy self, void *c) { return load(ctx, self, PairObject_AsStruct(ctx, self)->a); }
static int Pair_a_set(HPyContext *ctx, HPy self, HPy v, void *c) { store(ctx, self, &PairObject_AsStruct(ctx, self)->a, v); return 0; }
HPyDef_GETSET(Pair_b, "b")
static HPy Pair_b_get(HPyContext *ctx, HPy self, void *c) { return load(ctx, self, PairObject_AsStruct(ctx, self)->b); }
static int Pair_b_set(HPyContext *ctx, HPy self, HPy v, void *c) { store(ctx, self, &PairObject_AsStruct(ctx, self)->b, v); return 0; }

HPyDef_METH(Pair_load_a, "load_a", HPyFunc_NOARGS)
static HPy Pair_load_a_impl(HPyContext *ctx, HPy self)
{
    /* a null field loads as a null handle, without an exception */
    HPy h = HPyField_Load(ctx, self, PairObject_AsStruct(ctx, self)->a);
    if (HPy_IsNull(h))
        return HPyErr_Occurred(ctx) ? HPy_NULL : HPyUnicode_FromString(ctx, "<null>");
    return h;
}

static HPyDef *Pair_defines[] = { &Pair_new, &Pair_traverse, &Pair_destroy, &Pair_a, &Pair_b,
                                  &Pair_load_a, NULL };
static HPyType_Spec Pair_spec = {
    .name = "gctest.Pair",
    .basicsize = sizeof(PairObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC | HPy_TPFLAGS_BASETYPE,
    .defines = Pair_defines,
};
@EXPORT_TYPE("Pair", Pair_spec)

/* The same type without HPy_TPFLAGS_HAVE_GC: not tracked, fields still owned */
static HPyType_Spec NoGCPair_spec = {
    .name = "gctest.NoGCPair",
    .basicsize = sizeof(PairObject),
    .flags = HPy_TPFLAGS_DEFAULT,
    .defines = Pair_defines,
};
@EXPORT_TYPE("NoGCPair", NoGCPair_spec)

/* A GC type whose instances hold only a field: no HPy_tp_destroy, so it
   gets the runtime's fast paths (the module's field walker for traverse
   and clear, the deallocator that only closes fields). */
typedef struct {
    HPyField next;
} LinkObject;
HPyType_HELPERS(LinkObject)

HPyDef_SLOT(Link_new, HPy_tp_new)
static HPy Link_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    HPy next = HPy_NULL;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "|O", &next))
        return HPy_NULL;
    LinkObject *l;
    HPy h = HPy_New(ctx, cls, &l);
    if (!HPy_IsNull(h) && !HPy_IsNull(next))
        HPyField_Store(ctx, h, &l->next, next);
    return h;
}

HPyDef_SLOT(Link_traverse, HPy_tp_traverse)
static int Link_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((LinkObject *)self)->next);
    return 0;
}

HPyDef_GETSET(Link_next, "next")
static HPy Link_next_get(HPyContext *ctx, HPy self, void *c) { return load(ctx, self, LinkObject_AsStruct(ctx, self)->next); }
static int Link_next_set(HPyContext *ctx, HPy self, HPy v, void *c) { store(ctx, self, &LinkObject_AsStruct(ctx, self)->next, v); return 0; }

static HPyDef *Link_defines[] = { &Link_new, &Link_traverse, &Link_next, NULL };
static HPyType_Spec Link_spec = {
    .name = "gctest.Link",
    .basicsize = sizeof(LinkObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC | HPy_TPFLAGS_BASETYPE,
    .defines = Link_defines,
};
@EXPORT_TYPE("Link", Link_spec)

HPyDef_METH(destroy_count, "destroy_count", HPyFunc_NOARGS)
static HPy destroy_count_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromLong(ctx, destroyed);
}

/* HPyGlobal holding a type */
static HPyGlobal g_pair_type;
static HPyGlobal *module_globals[] = { &g_pair_type, NULL };

HPyDef_METH(remember_type, "remember_type", HPyFunc_O)
static HPy remember_type_impl(HPyContext *ctx, HPy self, HPy type)
{
    HPyGlobal_Store(ctx, &g_pair_type, type);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(new_from_global, "new_from_global", HPyFunc_O)
static HPy new_from_global_impl(HPyContext *ctx, HPy self, HPy value)
{
    HPy type = HPyGlobal_Load(ctx, g_pair_type);
    HPy r = HPy_CallTupleDict(ctx, type, HPy_NULL, HPy_NULL);
    HPy_Close(ctx, type);
    if (HPy_IsNull(r))
        return HPy_NULL;
    HPyField_Store(ctx, r, &PairObject_AsStruct(ctx, r)->a, value);
    return r;
}

@EXPORT(destroy_count)
@EXPORT(remember_type)
@EXPORT(new_from_global)
@GLOBALS(module_globals)
@INIT
'''


@pytest.fixture
def mod(type_module):
    return type_module(SOURCE)


def test_fields_own_their_objects(mod):
    a, b = object(), object()
    ra, rb = sys.getrefcount(a), sys.getrefcount(b)
    p = mod.Pair(a, b)
    assert p.a is a and p.b is b
    assert sys.getrefcount(a) == ra + 1 and sys.getrefcount(b) == rb + 1
    p.a = b                               # store over a stored object
    assert sys.getrefcount(a) == ra and sys.getrefcount(b) == rb + 2
    p.a = None                            # store null
    assert p.a is None and p.load_a() == '<null>'
    assert sys.getrefcount(b) == rb + 1
    del p                                 # dealloc closes the fields
    assert sys.getrefcount(a) == ra and sys.getrefcount(b) == rb


def test_load_gives_a_new_reference(mod):
    a = object()
    p = mod.Pair(a)
    ra = sys.getrefcount(a)
    for _ in range(100):
        assert p.load_a() is a
    assert sys.getrefcount(a) == ra


def test_gc_tracking_follows_the_flag(mod):
    assert gc.is_tracked(mod.Pair('x', 'y'))
    assert not gc.is_tracked(mod.NoGCPair('x', 'y'))


def test_traverse_reports_the_fields(mod):
    p = mod.Pair('hello', 'world')
    assert sorted(gc.get_referents(p)) == ['hello', 'world']
    p.b = None
    assert gc.get_referents(p) == ['hello']


def test_no_gc_type_still_releases_fields(mod):
    a = object()
    ra = sys.getrefcount(a)
    p = mod.NoGCPair(a, a)
    assert sys.getrefcount(a) == ra + 2
    del p
    assert sys.getrefcount(a) == ra


def count(mod, cls=None):
    cls = cls or mod.Pair
    return sum(1 for o in gc.get_objects() if type(o) is cls)


def test_cycles_through_fields_are_collected(mod):
    gc.collect()
    base = count(mod)
    destroyed = mod.destroy_count()
    gc.disable()
    try:
        p1, p2 = mod.Pair(), mod.Pair()
        p1.a, p2.a = p2, p1
        marker = mod.Pair()
        p1.b = marker
        del p1, p2, marker
        assert count(mod) == base + 3     # only the GC can free a cycle
    finally:
        gc.enable()
    gc.collect()
    assert count(mod) == base
    assert mod.destroy_count() == destroyed + 3   # each destroyed exactly once


def test_building_and_dropping_cycles_many_times_leaks_nothing(mod):
    payload = object()
    rp = sys.getrefcount(payload)
    gc.collect()
    base = count(mod)
    destroyed = mod.destroy_count()
    for _ in range(50):
        ring = [mod.Pair(None, payload) for _ in range(5)]
        for x, y in zip(ring, ring[1:] + ring[:1]):
            x.a = y
        del ring, x, y
        gc.collect()
    assert count(mod) == base
    assert mod.destroy_count() == destroyed + 250
    assert sys.getrefcount(payload) == rp


def test_cycle_with_a_python_subclass(mod):
    class Sub(mod.Pair):
        pass
    gc.collect()
    destroyed = mod.destroy_count()
    s = Sub()
    s.a = s                              # a cycle through the field
    s.attr = s                           # and through the instance dict
    r = weakref.ref(s)
    del s
    gc.collect()
    assert r() is None
    assert mod.destroy_count() == destroyed + 1


def test_global_holds_a_type(mod):
    class Sub(mod.Pair):
        pass
    mod.remember_type(Sub)
    r = weakref.ref(Sub)
    del Sub
    gc.collect()
    assert r() is not None               # the global keeps it alive
    obj = mod.new_from_global(42)
    assert type(obj) is r() and obj.a == 42
    mod.remember_type(mod.Pair)          # replacing it releases the old type
    del obj
    gc.collect()
    assert r() is None


@pytest.mark.parametrize('kind', ['Pair', 'NoGCPair'])
def test_freeing_a_long_chain_does_not_exhaust_the_c_stack(mod, kind):
    # each object's fields release the next: without the runtime deferring
    # deep deallocations this recursion would overflow an 8 MB C stack
    # (NoGCPair: without a GC header, CPython's trashcan could not defer them)
    gc.collect()
    destroyed = mod.destroy_count()
    head = None
    for _ in range(200_000):
        head = getattr(mod, kind)(head)
    del head
    gc.collect()                    # (PyPy frees the head at a collection)
    assert mod.destroy_count() == destroyed + 200_000


# A type with fields and nothing else to do (Link: no HPy_tp_destroy) takes
# the fast paths of traverse, tp_clear and deallocation: the same behaviour.

def test_fields_only_type_owns_and_releases_its_field(mod):
    a, b = object(), object()
    ra, rb = sys.getrefcount(a), sys.getrefcount(b)
    link = mod.Link(a)
    assert link.next is a
    assert sys.getrefcount(a) == ra + 1
    link.next = b
    assert sys.getrefcount(a) == ra and sys.getrefcount(b) == rb + 1
    del link                              # dealloc closes the field
    assert sys.getrefcount(b) == rb


def test_fields_only_type_is_tracked_and_reports_its_field(mod):
    class Sub(mod.Link):
        pass
    a = object()
    link, sub = mod.Link(a), Sub(a)
    assert gc.is_tracked(link) and gc.is_tracked(sub)
    assert gc.get_referents(link) == [a]
    assert a in gc.get_referents(sub)     # (with the subclass's own referents)


def test_cycles_of_a_fields_only_type_are_collected(mod):
    class Sub(mod.Link):
        pass
    payload = object()
    rp = sys.getrefcount(payload)
    gc.collect()
    base, base_sub = count(mod, mod.Link), count(mod, Sub)
    for _ in range(5):
        ring = [mod.Link(), Sub(), mod.Link(payload)]
        for x, y in zip(ring, ring[1:] + ring[:1]):
            x.next = y
        ring[1].attr = ring                # and through a subclass's dict
        del ring, x, y
        gc.collect()
    assert count(mod, mod.Link) == base and count(mod, Sub) == base_sub
    assert sys.getrefcount(payload) == rp


def test_subclass_instance_of_a_fields_only_type_releases_its_field(mod):
    class Sub(mod.Link):
        pass
    a = object()
    ra = sys.getrefcount(a)
    s = Sub(a)
    assert sys.getrefcount(a) == ra + 1
    del s
    assert sys.getrefcount(a) == ra


def test_freeing_a_long_chain_of_a_fields_only_type_does_not_exhaust_the_c_stack(mod):
    last = object()
    rl = sys.getrefcount(last)
    gc.collect()
    base = count(mod, mod.Link)
    head = last
    for _ in range(200_000):
        head = mod.Link(head)
    del head
    gc.collect()                    # (PyPy frees the head at a collection)
    assert count(mod, mod.Link) == base
    assert sys.getrefcount(last) == rl

