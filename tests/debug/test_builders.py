"""HPyTupleBuilder, HPyListBuilder and HPyTracker misuse in debug mode."""
import pytest

from hpy_build.debug import LeakDetector

from support.debugmode import SIGABRT

BUILDERS = r'''
/* (cancel, *items): (tuple(items), list(items)), made with both builders;
   None when `cancel` is true, after cancelling both */
HPyDef_METH(build_or_cancel, "build_or_cancel", HPyFunc_VARARGS)
static HPy build_or_cancel_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    int cancel = HPy_IsTrue(ctx, args[0]);
    size_t n = nargs - 1;
    HPyListBuilder items = HPyListBuilder_New(ctx, n);
    HPyTupleBuilder frozen = HPyTupleBuilder_New(ctx, n);
    for (size_t k = 1; k <= n; k++) {
        HPyListBuilder_Set(ctx, items, k - 1, args[k]);
        HPyTupleBuilder_Set(ctx, frozen, k - 1, args[k]);
    }
    if (cancel) {
        HPyListBuilder_Cancel(ctx, items);
        HPyTupleBuilder_Cancel(ctx, frozen);
        return HPy_Dup(ctx, ctx->h_None);
    }
    HPy pair[2] = { HPyTupleBuilder_Build(ctx, frozen), HPyListBuilder_Build(ctx, items) };
    HPy result = HPyTuple_FromArray(ctx, pair, 2);
    HPy_Close(ctx, pair[0]);
    HPy_Close(ctx, pair[1]);
    return result;
}

/* a list builder kept after it was built, then used once n more were built */
static HPyListBuilder kept_builder;

HPyDef_METH(build_many_then_reuse, "build_many_then_reuse", HPyFunc_O)
static HPy build_many_then_reuse_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long n = HPyLong_AsLong(ctx, arg);
    kept_builder = HPyListBuilder_New(ctx, 0);
    HPy_Close(ctx, HPyListBuilder_Build(ctx, kept_builder));
    for (long i = 0; i < n; i++) {
        HPyListBuilder b = HPyListBuilder_New(ctx, 0);
        HPy_Close(ctx, HPyListBuilder_Build(ctx, b));
    }
    HPyListBuilder_Cancel(ctx, kept_builder);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(tuple_build_twice, "tuple_build_twice", HPyFunc_O)
static HPy tuple_build_twice_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTupleBuilder b = HPyTupleBuilder_New(ctx, 1);
    HPyTupleBuilder_Set(ctx, b, 0, arg);
    HPy_Close(ctx, HPyTupleBuilder_Build(ctx, b));
    return HPyTupleBuilder_Build(ctx, b);
}

HPyDef_METH(list_build_twice, "list_build_twice", HPyFunc_O)
static HPy list_build_twice_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyListBuilder b = HPyListBuilder_New(ctx, 1);
    HPyListBuilder_Set(ctx, b, 0, arg);
    HPy_Close(ctx, HPyListBuilder_Build(ctx, b));
    return HPyListBuilder_Build(ctx, b);
}

HPyDef_METH(build_after_cancel, "build_after_cancel", HPyFunc_O)
static HPy build_after_cancel_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTupleBuilder b = HPyTupleBuilder_New(ctx, 1);
    HPyTupleBuilder_Set(ctx, b, 0, arg);
    HPyTupleBuilder_Cancel(ctx, b);
    return HPyTupleBuilder_Build(ctx, b);
}

HPyDef_METH(set_after_build, "set_after_build", HPyFunc_O)
static HPy set_after_build_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyListBuilder b = HPyListBuilder_New(ctx, 1);
    HPyListBuilder_Set(ctx, b, 0, arg);
    HPy l = HPyListBuilder_Build(ctx, b);
    HPyListBuilder_Set(ctx, b, 0, arg);
    HPyListBuilder_Cancel(ctx, b);
    return l;
}

HPyDef_METH(tracker, "tracker", HPyFunc_O)
static HPy tracker_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTracker ht = HPyTracker_New(ctx, 0);
    for (int i = 0; i < 20; i++)
        if (HPyTracker_Add(ctx, ht, HPy_Dup(ctx, arg)) < 0)
            return HPy_NULL;
    HPyTracker_Close(ctx, ht);
    return HPy_Dup(ctx, arg);
}

HPyDef_METH(tracker_forget, "tracker_forget", HPyFunc_O)
static HPy tracker_forget_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTracker ht = HPyTracker_New(ctx, 2);
    HPy h = HPy_Dup(ctx, arg);
    HPyTracker_Add(ctx, ht, h);
    HPyTracker_ForgetAll(ctx, ht);
    HPyTracker_Close(ctx, ht);
    return h;      /* still open: forgotten, not closed */
}

HPyDef_METH(tracker_after_close, "tracker_after_close", HPyFunc_O)
static HPy tracker_after_close_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTracker ht = HPyTracker_New(ctx, 2);
    HPyTracker_Close(ctx, ht);
    if (HPyTracker_Add(ctx, ht, HPy_Dup(ctx, arg)) < 0)
        return HPy_NULL;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(tracker_closed_handle, "tracker_closed_handle", HPyFunc_O)
static HPy tracker_closed_handle_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPyTracker ht = HPyTracker_New(ctx, 2);
    HPy h = HPy_Dup(ctx, arg);
    HPyTracker_Add(ctx, ht, h);
    HPy_Close(ctx, h);
    HPyTracker_Close(ctx, ht);      /* closes h a second time */
    return HPy_Dup(ctx, ctx->h_None);
}
'''


def test_correct_use(debug_module, reports):
    mod = debug_module(BUILDERS)
    with LeakDetector():
        assert mod.build_or_cancel(False, 'hello', 42, None) == \
            (('hello', 42, None), ['hello', 42, None])
        assert mod.build_or_cancel(True, 'hello', 42, None) is None
        assert mod.tracker('x') == 'x'
        assert mod.tracker_forget('y') == 'y'
    assert reports.invalid_builders == 0 and reports.invalid_handles == 0


def test_build_twice(debug_module, reports):
    mod = debug_module(BUILDERS)
    with pytest.raises(MemoryError):
        mod.tuple_build_twice('x')
    assert reports.invalid_builders == 1
    with pytest.raises(MemoryError):
        mod.list_build_twice('x')
    assert reports.invalid_builders == 2


def test_build_after_cancel_and_use_after_build(debug_module, reports):
    mod = debug_module(BUILDERS)
    with pytest.raises(MemoryError):
        mod.build_after_cancel('x')
    assert reports.invalid_builders == 1
    assert mod.set_after_build('x') == ['x']    # Set and Cancel after Build: two reports
    assert reports.invalid_builders == 3


def test_tracker_after_close(debug_module, reports):
    mod = debug_module(BUILDERS)
    with pytest.raises(SystemError, match='invalid tracker'):
        mod.tracker_after_close('x')
    assert reports.invalid_builders == 1


def test_tracker_closes_a_closed_handle(debug_module, reports):
    mod = debug_module(BUILDERS)
    mod.tracker_closed_handle('x')
    assert reports.invalid_handles == 1


def test_without_hook_build_twice_aborts(child):
    result = child(BUILDERS, 'mod.tuple_build_twice(1)')
    assert result.returncode == SIGABRT
    assert 'Invalid usage of already closed builder' in result.stderr
    assert 'HPyTupleBuilder_Build was given a HPyTupleBuilder that was already built' in result.stderr


def test_builder_dropped_from_the_closed_queue(debug_module, reports):
    from hpy_build.universal import _debug
    old = _debug.get_closed_handles_queue_max_size()
    _debug.set_closed_handles_queue_max_size(3)
    try:
        mod = debug_module(BUILDERS)
        mod.build_many_then_reuse(2)        # still in the queue: closed
        assert reports.invalid_builders == 1
        mod.build_many_then_reuse(50)       # dropped, its record reused since
        assert reports.invalid_builders == 2
    finally:
        _debug.set_closed_handles_queue_max_size(old)


def test_without_hook_a_dropped_builder_aborts(child):
    code = """
        from hpy_build.universal import _debug
        _debug.set_closed_handles_queue_max_size(3)
        mod.build_many_then_reuse(50)
    """
    result = child(BUILDERS, code)
    assert result.returncode == SIGABRT, result.stderr
    assert ('Invalid builder: HPyListBuilder_Cancel was given something that is not an open '
            'HPyListBuilder') in result.stderr
