"""HPyTracker (New/Add/ForgetAll/Close) and HPyGlobal (Store/Load)."""
import sys

import pytest

SOURCE = r'''
static HPyGlobal g_first;
static HPyGlobal g_second;
static HPyGlobal *module_globals[] = { &g_first, &g_second, NULL };

/* (obj, n, capacity): track n duplicates of obj in a tracker made with
   `capacity`, then close it */
HPyDef_METH(track_and_close, "track_and_close", HPyFunc_VARARGS)
static HPy track_and_close_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t n = HPyLong_AsSsize_t(ctx, args[1]);
    HPyTracker ht = HPyTracker_New(ctx, HPyLong_AsSsize_t(ctx, args[2]));
    if (ht._i == 0)
        return HPy_NULL;
    for (HPy_ssize_t i = 0; i < n; i++) {
        if (HPyTracker_Add(ctx, ht, HPy_Dup(ctx, args[0])) < 0) {
            HPyTracker_Close(ctx, ht);
            return HPy_NULL;
        }
    }
    HPyTracker_Close(ctx, ht);
    return HPy_Dup(ctx, ctx->h_None);
}

/* (obj, n): track n duplicates, forget them all, track one more, close the
   tracker (closing only the last one), close the forgotten ones by hand;
   returns the refcount deltas seen by sys.getrefcount at each step */
static HPy_ssize_t refcount(HPyContext *ctx, HPy getrefcount, HPy obj)
{
    HPy r = HPy_Call(ctx, getrefcount, &obj, 1, HPy_NULL);
    HPy_ssize_t v = HPyLong_AsSsize_t(ctx, r);
    HPy_Close(ctx, r);
    return v;
}

HPyDef_METH(forget_all, "forget_all", HPyFunc_VARARGS)
static HPy forget_all_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy obj = args[0];
    HPy_ssize_t n = HPyLong_AsSsize_t(ctx, args[1]);
    HPy sys_ = HPyImport_ImportModule(ctx, "sys");
    HPy getrefcount = HPy_GetAttr_s(ctx, sys_, "getrefcount");
    HPy_Close(ctx, sys_);
    HPy kept[64];
    if (n > 63)
        n = 63;
    HPy_ssize_t base = refcount(ctx, getrefcount, obj);
    HPyTracker ht = HPyTracker_New(ctx, 0);
    for (HPy_ssize_t i = 0; i < n; i++) {
        kept[i] = HPy_Dup(ctx, obj);
        HPyTracker_Add(ctx, ht, kept[i]);
    }
    HPy_ssize_t tracked = refcount(ctx, getrefcount, obj);
    HPyTracker_ForgetAll(ctx, ht);
    HPyTracker_Add(ctx, ht, HPy_Dup(ctx, obj));
    HPyTracker_Close(ctx, ht);
    HPy_ssize_t after_close = refcount(ctx, getrefcount, obj);
    for (HPy_ssize_t i = 0; i < n; i++)
        HPy_Close(ctx, kept[i]);
    HPy_ssize_t after_manual = refcount(ctx, getrefcount, obj);
    HPy_Close(ctx, getrefcount);
    return HPy_BuildValue(ctx, "nnn", tracked - base, after_close - base, after_manual - base);
}

/* HPyTracker_New(size): raises and returns a null tracker if it cannot be made */
HPyDef_METH(tracker_new, "tracker_new", HPyFunc_O)
static HPy tracker_new_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTracker ht = HPyTracker_New(ctx, HPyLong_AsSsize_t(ctx, arg));
    if (ht._i == 0) {
        if (!HPyErr_Occurred(ctx))
            return HPyErr_SetString(ctx, ctx->h_AssertionError, "null tracker without an exception");
        return HPy_NULL;
    }
    HPyTracker_Close(ctx, ht);
    return HPy_Dup(ctx, ctx->h_None);
}

/* The documented pattern: track every handle, close the tracker on both paths. */
HPyDef_METH(squares, "squares", HPyFunc_O)
static HPy squares_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long n = HPyLong_AsLong(ctx, arg);
    if (n == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    HPyTracker ht = HPyTracker_New(ctx, 0);
    if (ht._i == 0)
        return HPy_NULL;
    HPy dict = HPyDict_New(ctx);
    if (HPy_IsNull(dict))
        goto error;
    for (long i = 0; i < n; i++) {
        HPy key = HPyLong_FromLong(ctx, i);
        if (HPy_IsNull(key) || HPyTracker_Add(ctx, ht, key) < 0)
            goto error;
        HPy value = HPyLong_FromLong(ctx, i * i);
        if (HPy_IsNull(value) || HPyTracker_Add(ctx, ht, value) < 0)
            goto error;
        if (HPy_SetItem(ctx, dict, key, value) < 0)
            goto error;
    }
    HPyTracker_Close(ctx, ht);
    return dict;
error:
    HPyTracker_Close(ctx, ht);
    HPy_Close(ctx, dict);
    return HPy_NULL;
}

/* HPyGlobal */
HPyDef_METH(store, "store", HPyFunc_VARARGS)
static HPy store_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyGlobal *g = HPyLong_AsLong(ctx, args[0]) == 0 ? &g_first : &g_second;
    HPyGlobal_Store(ctx, g, args[1]);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(load, "load", HPyFunc_O)
static HPy load_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyGlobal g = HPyLong_AsLong(ctx, arg) == 0 ? g_first : g_second;
    HPy h = HPyGlobal_Load(ctx, g);
    if (HPy_IsNull(h))
        return HPyUnicode_FromString(ctx, "<empty>");
    return h;
}

/* store HPy_NULL: the global is empty again */
HPyDef_METH(clear, "clear", HPyFunc_O)
static HPy clear_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyGlobal *g = HPyLong_AsLong(ctx, arg) == 0 ? &g_first : &g_second;
    HPyGlobal_Store(ctx, g, HPy_NULL);
    return HPy_Dup(ctx, ctx->h_None);
}

static HPyDef *module_defines[] = {
    &track_and_close, &forget_all, &tracker_new, &squares, &store, &load, &clear, NULL
};
static HPyModuleDef moduledef = { .defines = module_defines, .globals = module_globals };
HPy_MODINIT(@NAME, moduledef)
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


@pytest.mark.parametrize('n, capacity', [(0, 0), (1, 0), (3, 3), (5, 0), (100, 0), (100, 2), (10, 50)])
def test_tracker_closes_every_tracked_handle(mod, n, capacity):
    obj = object()
    base = sys.getrefcount(obj)
    assert mod.track_and_close(obj, n, capacity) is None
    after = sys.getrefcount(obj)
    assert after == base


def test_tracker_forget_all(mod):
    # tracked: +5; after ForgetAll + Add + Close: the 5 forgotten remain;
    # after closing them by hand: back to the start
    assert mod.forget_all(object(), 5) == (5, 5, 0)


def test_tracker_new_refuses_impossible_sizes(mod):
    assert mod.tracker_new(0) is None
    assert mod.tracker_new(1000) is None
    with pytest.raises((MemoryError, ValueError)):
        mod.tracker_new(-1)
    with pytest.raises(MemoryError):
        mod.tracker_new(sys.maxsize)


def test_tracker_in_the_documented_pattern(mod):
    assert mod.squares(0) == {}
    assert mod.squares(20) == {i: i * i for i in range(20)}
    with pytest.raises(TypeError):
        mod.squares('x')


def test_global_store_and_load(mod):
    obj = object()
    base = sys.getrefcount(obj)
    mod.store(0, obj)
    stored = sys.getrefcount(obj)
    assert stored == base + 1           # the global owns a reference
    for _ in range(100):
        assert mod.load(0) is obj       # Load returns a new handle
    loaded = sys.getrefcount(obj)
    assert loaded == stored
    mod.store(0, 'replacement')
    replaced = sys.getrefcount(obj)
    assert replaced == base             # the old object is released
    assert mod.load(0) == 'replacement'


def test_globals_are_independent(mod):
    a, b = object(), object()
    mod.store(0, a)
    mod.store(1, b)
    assert mod.load(0) is a and mod.load(1) is b
    mod.store(1, a)
    assert mod.load(0) is a and mod.load(1) is a


def test_global_store_null_empties_it(mod):
    obj = object()
    mod.store(1, obj)
    base = sys.getrefcount(obj)
    mod.clear(1)
    after = sys.getrefcount(obj)
    assert after == base - 1
    assert mod.load(1) == '<empty>'
    mod.store(1, obj)
    assert mod.load(1) is obj


# The guarantee of HPyTracker_Add: if it fails (the tracker cannot grow), the
# handle is tracked all the same and HPyTracker_Close closes it. Memory
# allocation is made to fail with the C API's allocator hooks, so this needs
# the CPython ABI; both ABIs run the same runtime/ctx/tracker.c.
FAILING_ALLOC = r'''
#include <Python.h>

static PyMemAllocatorEx saved;
static int fail_now;

static void *f_malloc(void *c, size_t n) { return fail_now ? NULL : saved.malloc(c, n); }
static void *f_calloc(void *c, size_t n, size_t s) { return fail_now ? NULL : saved.calloc(c, n, s); }
static void *f_realloc(void *c, void *p, size_t n) { return fail_now ? NULL : saved.realloc(c, p, n); }
static void f_free(void *c, void *p) { saved.free(c, p); }

/* (obj): with allocation failing, add duplicates of obj to a tracker made
   for 2 until an Add fails; restore allocation, close the tracker.
   Returns (the results of the Adds, whether MemoryError was raised). */
HPyDef_METH(add_fails, "add_fails", HPyFunc_O)
static HPy add_fails_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyMemAllocatorEx failing = { NULL, f_malloc, f_calloc, f_realloc, f_free };
    HPyTracker ht = HPyTracker_New(ctx, 2);
    if (ht._i == 0)
        return HPy_NULL;
    int rs[4] = { 9, 9, 9, 9 };     /* 9: not called */
    PyMem_GetAllocator(PYMEM_DOMAIN_MEM, &saved);
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &failing);
    fail_now = 1;
    for (int i = 0; i < 4; i++) {
        rs[i] = HPyTracker_Add(ctx, ht, HPy_Dup(ctx, arg));
        if (rs[i] < 0)
            break;      /* after a failed Add, only Close is allowed */
    }
    fail_now = 0;
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &saved);
    int failed = HPyErr_Occurred(ctx) && HPyErr_ExceptionMatches(ctx, ctx->h_MemoryError);
    HPyErr_Clear(ctx);
    HPyTracker_Close(ctx, ht);
    return HPy_BuildValue(ctx, "(iiii)i", rs[0], rs[1], rs[2], rs[3], failed);
}
'''


def test_failed_tracker_add_still_tracks_the_handle(abi, ctx_build):
    if abi != 'cpython':
        pytest.skip('allocation failures are injected through the C API (same code in both ABIs)')
    mod = ctx_build(FAILING_ALLOC, 'cpython')
    obj = object()
    base = sys.getrefcount(obj)
    results, failed = mod.add_fails(obj)
    after = sys.getrefcount(obj)
    # the first two Adds fit the capacity asked for; one of the next fails
    assert results[:2] == (0, 0)
    assert -1 in results[2:]
    assert failed == 1
    # every duplicate, including those given to failing Adds, was closed
    assert after == base
