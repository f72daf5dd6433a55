"""Misused handles in debug mode: each mistake is made on purpose and its
report checked, through the on_invalid_handle hook (the program goes on) or,
without a hook, in a child process that must abort with the report."""
import pytest

from hpy_build.debug import LeakDetector

from support.debugmode import SIGABRT

MISTAKES = r'''
HPyDef_METH(correct, "correct", HPyFunc_O)
static HPy correct_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy x = HPyLong_FromLong(ctx, 42);
    HPy dup = HPy_Dup(ctx, arg);
    HPy result = HPy_Dup(ctx, x);
    HPy_Close(ctx, x);
    HPy_Close(ctx, dup);
    return result;
}

HPyDef_METH(close_twice, "close_twice", HPyFunc_O)
static HPy close_twice_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy h = HPy_Dup(ctx, arg);
    HPy_Close(ctx, h);
    HPy_Close(ctx, h);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(use_after_close, "use_after_close", HPyFunc_O)
static HPy use_after_close_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy h = HPy_Dup(ctx, arg);
    HPy_Close(ctx, h);
    return HPy_Repr(ctx, h);
}

HPyDef_METH(close_arg, "close_arg", HPyFunc_O)
static HPy close_arg_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_Close(ctx, arg);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(return_arg_o, "return_arg_o", HPyFunc_O)
static HPy return_arg_o_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return arg;
}

HPyDef_METH(return_self, "return_self", HPyFunc_NOARGS)
static HPy return_self_impl(HPyContext *ctx, HPy self)
{
    return self;
}

HPyDef_METH(return_arg_varargs, "return_arg_varargs", HPyFunc_VARARGS)
static HPy return_arg_varargs_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return args[0];
}

static HPy kept;

HPyDef_METH(keep, "keep", HPyFunc_O)
static HPy keep_impl(HPyContext *ctx, HPy self, HPy arg)
{
    kept = arg;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(use_kept, "use_kept", HPyFunc_NOARGS)
static HPy use_kept_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromSsize_t(ctx, HPy_Length(ctx, kept));
}

HPyDef_METH(return_none, "return_none", HPyFunc_NOARGS)
static HPy return_none_impl(HPyContext *ctx, HPy self)
{
    return ctx->h_None;
}

HPyDef_METH(close_true, "close_true", HPyFunc_NOARGS)
static HPy close_true_impl(HPyContext *ctx, HPy self)
{
    HPy_Close(ctx, ctx->h_True);
    return HPy_Dup(ctx, ctx->h_False);
}

/* a universal-mode handle (a PyObject *, even) or garbage given to the debug context */
static long not_an_object[8];

HPyDef_METH(foreign, "foreign", HPyFunc_NOARGS)
static HPy foreign_impl(HPyContext *ctx, HPy self)
{
    HPy h = HPy_FromVoidP(&not_an_object[0]);
    return HPyLong_FromLong(ctx, HPy_IsTrue(ctx, h));
}

HPyDef_METH(garbage, "garbage", HPyFunc_NOARGS)
static HPy garbage_impl(HPyContext *ctx, HPy self)
{
    HPy h = HPy_FromVoidP((char *)&not_an_object[0] + 1);
    return HPyLong_FromLong(ctx, HPy_IsTrue(ctx, h));
}

/* any value, as a handle: HPy_IsTrue of it */
HPyDef_METH(is_true_of_value, "is_true_of_value", HPyFunc_O)
static HPy is_true_of_value_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy h = HPy_FromVoidP((void *)(intptr_t)HPyLong_AsSsize_t(ctx, arg));
    return HPyLong_FromLong(ctx, HPy_IsTrue(ctx, h));
}

/* a handle kept after it was closed, and n handles opened and closed after it */
static HPy stale;

HPyDef_METH(make_stale, "make_stale", HPyFunc_O)
static HPy make_stale_impl(HPyContext *ctx, HPy self, HPy arg)
{
    stale = HPy_Dup(ctx, arg);
    HPy_Close(ctx, stale);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(churn, "churn", HPyFunc_O)
static HPy churn_impl(HPyContext *ctx, HPy self, HPy arg)
{
    long n = HPyLong_AsLong(ctx, arg);
    for (long i = 0; i < n; i++)
        HPy_Close(ctx, HPyLong_FromLong(ctx, i));
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(use_stale, "use_stale", HPyFunc_NOARGS)
static HPy use_stale_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromLong(ctx, HPy_IsTrue(ctx, stale));
}

HPyDef_METH(close_stale, "close_stale", HPyFunc_NOARGS)
static HPy close_stale_impl(HPyContext *ctx, HPy self)
{
    HPy_Close(ctx, stale);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(return_stale, "return_stale", HPyFunc_NOARGS)
static HPy return_stale_impl(HPyContext *ctx, HPy self)
{
    return stale;
}
'''


def test_correct_code_reports_nothing(debug_module, reports):
    mod = debug_module(MISTAKES)
    with LeakDetector():
        assert mod.correct('hello') == 42
        assert mod.correct('world') == 42
    assert reports.invalid_handles == 0


def test_each_mistake_is_reported_once(debug_module, reports):
    mod = debug_module(MISTAKES)
    assert mod.close_twice('foo') is None
    assert reports.invalid_handles == 1
    mod.use_after_close('bar')
    assert reports.invalid_handles == 2
    assert mod.close_arg('baz') is None
    assert reports.invalid_handles == 3
    # an argument returned without HPy_Dup: reported, then returned as if duplicated
    s = 'returned'
    assert mod.return_arg_o(s) is s
    assert reports.invalid_handles == 4
    assert mod.return_self() is mod
    assert reports.invalid_handles == 5
    assert mod.return_arg_varargs('a', 'b') == 'a'
    assert reports.invalid_handles == 6


def test_argument_kept_after_its_call(debug_module, reports):
    mod = debug_module(MISTAKES)
    s = 'hello leaks!'
    mod.keep(s)
    assert reports.invalid_handles == 0
    assert mod.use_kept() == len(s)     # the hook lets it go on
    assert reports.invalid_handles == 1


def test_context_constant_returned_or_closed(debug_module, reports):
    mod = debug_module(MISTAKES)
    assert mod.return_none() is None
    assert reports.invalid_handles == 1
    assert mod.close_true() is False
    assert reports.invalid_handles == 2
    assert True is not False    # the constants still work


def test_refcounts_are_unchanged_by_reported_mistakes(debug_module, reports):
    import sys
    mod = debug_module(MISTAKES)
    s = object()
    before = sys.getrefcount(s)
    for f in (mod.close_arg, mod.return_arg_o, mod.keep, mod.correct):
        try:
            f(s)
        except TypeError:
            pass
    mod.keep(None)
    assert sys.getrefcount(s) == before


def _aborts(result, *fragments):
    assert result.returncode == SIGABRT, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_without_hook_close_twice_aborts_naming_the_function(child):
    result = child(MISTAKES, 'mod.close_twice(42)')
    _aborts(result, 'Invalid usage of already closed handle', 'HPy_Close',
            'The handle was opened by HPy_Dup')


def test_without_hook_use_after_close_aborts(child):
    _aborts(child(MISTAKES, 'mod.use_after_close(42)'),
            'Invalid usage of already closed handle', 'HPy_Repr was given a handle that was closed')


def test_without_hook_returned_ctx_constant_aborts(child):
    _aborts(child(MISTAKES, 'mod.return_none()'),
            'Invalid usage of already closed handle', 'ctx->h_None without HPy_Dup')


def test_without_hook_closed_ctx_constant_aborts(child):
    _aborts(child(MISTAKES, 'mod.close_true()'),
            'Invalid usage of already closed handle', 'context constant (ctx->h_True)')


def test_without_hook_closed_argument_aborts(child):
    _aborts(child(MISTAKES, 'mod.close_arg(1)'),
            'Invalid usage of already closed handle', 'HPy_Close of an argument',
            "The object is of type 'int': 1")


def test_report_names_the_type_and_repr_of_a_live_object(child):
    _aborts(child(MISTAKES, 'mod.return_arg_o(["still", "here"])'),
            "The object is of type 'list': ['still', 'here']")


def test_without_hook_returned_argument_aborts(child):
    _aborts(child(MISTAKES, 'mod.return_arg_o(1)'), 'returned one of its arguments without HPy_Dup')


def test_without_hook_kept_argument_aborts_with_stack(child):
    code = '''
        from hpy_build.debug import set_handle_stack_trace_limit
        set_handle_stack_trace_limit(16)
        mod.keep('x')
        mod.use_kept()
    '''
    _aborts(child(MISTAKES, code), 'HPy_Length was given a handle that was closed',
            'opened by the caller (an argument)', 'It was opened at:')


def test_foreign_handle_goes_to_the_hook(child):
    # there is no object to go on with: after the hook, the call gets None
    code = '''
        from hpy_build.universal import _debug
        _debug.set_on_invalid_handle(lambda: print('hook called'))
        print(mod.foreign())
    '''
    result = child(MISTAKES, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout == 'hook called\n0\n'


def test_without_hook_foreign_handle_aborts(child):
    _aborts(child(MISTAKES, 'mod.foreign()'), 'Invalid handle: HPy_IsTrue was given',
            'not a debug-mode handle')


def test_without_hook_garbage_handle_aborts(child):
    _aborts(child(MISTAKES, 'mod.garbage()'), 'Invalid handle: HPy_IsTrue was given',
            'which is not an open handle')


def test_hook_must_be_callable():
    import pytest
    from hpy_build.universal import _debug
    with pytest.raises(TypeError, match='Expected a callable object'):
        _debug.set_on_invalid_handle(42)
    with pytest.raises(TypeError, match='Expected a callable object'):
        _debug.set_on_invalid_builder_handle('nope')


# ---- values that are not handles at all: checked without being read ----

def _garbage_values():
    import ctypes
    obj = object()
    return [1, 3, 5, 0x11, -1, id(obj), id(obj) + 1, ctypes.addressof(ctypes.c_long()) + 1,
            0x7FFF00000001, 0x5D0000001FFFFFFF]     # the last: a debug-handle shape, no record


def test_garbage_values_are_reported_not_read(debug_module, reports):
    mod = debug_module(MISTAKES)
    values = _garbage_values()
    for i, value in enumerate(values, 1):
        assert mod.is_true_of_value(value) == 0     # None stands in after the hook
        assert reports.invalid_handles == i, hex(value)


def test_without_hook_a_small_integer_as_handle_aborts(child):
    _aborts(child(MISTAKES, 'mod.is_true_of_value(3)'),
            'Invalid handle: HPy_IsTrue was given 0x3, which is not an open handle')


def test_without_hook_an_object_address_as_handle_aborts(child):
    _aborts(child(MISTAKES, 'mod.is_true_of_value(id(object()) + 1)'),
            'Invalid handle: HPy_IsTrue was given', 'which is not an open handle')


# ---- a handle used after it left the closed-handle queue ----

def _small_queue(size):
    from hpy_build.universal import _debug
    old = _debug.get_closed_handles_queue_max_size()
    _debug.set_closed_handles_queue_max_size(size)
    return lambda: _debug.set_closed_handles_queue_max_size(old)


def _drain(mod):
    # as in HPy 0.9, a queue over its new size loses one handle per use:
    # enough uses bring it down to that size
    from hpy_build.universal import _debug
    mod.churn(len(_debug.get_closed_handles()))


def test_handle_in_the_queue_is_reported_as_closed(debug_module, reports):
    mod = debug_module(MISTAKES)
    mod.make_stale('x' * 20)
    assert mod.use_stale() == 1         # the hook lets it go on: the object is still alive
    assert reports.invalid_handles == 1


def test_handle_dropped_from_the_queue_is_reported(debug_module, reports):
    restore = _small_queue(4)
    try:
        mod = debug_module(MISTAKES)
        _drain(mod)
        mod.make_stale('x' * 20)
        mod.churn(100)          # the queue dropped it; its record was reused since
        assert mod.use_stale() == 0
        assert reports.invalid_handles == 1
        assert mod.close_stale() is None
        assert reports.invalid_handles == 2
        with pytest.raises(SystemError, match='returned an invalid or closed handle'):
            mod.return_stale()
        assert reports.invalid_handles == 3
        assert mod.churn(10) is None        # the debug mode still works
        assert reports.invalid_handles == 3
    finally:
        restore()


def test_without_hook_a_dropped_handle_aborts_with_report(child):
    code = '''
        from hpy_build.universal import _debug
        _debug.set_closed_handles_queue_max_size(3)
        mod.make_stale('x' * 20)
        mod.churn(50)
        print('churned', flush=True)
        mod.use_stale()
    '''
    result = child(MISTAKES, code)
    assert result.stdout == 'churned\n'
    _aborts(result, 'Invalid handle: HPy_IsTrue was given',
            'a handle that was closed long ago: it left the closed-handle queue (of 3 handles')


def test_handle_views_outlive_the_queue(debug_module):
    # a view of a handle the queue dropped describes a closed handle, or
    # the later handle that reuses its record (as in HPy 0.9)
    from hpy_build.universal import _debug
    restore = _small_queue(2)
    try:
        mod = debug_module(MISTAKES)
        _drain(mod)
        gen = _debug.new_generation()
        mod.make_stale('kept')
        views = _debug.get_closed_handles(gen)
        assert len(views) == 2 and views[-1].obj is None
        mod.churn(20)
        for view in views:
            assert view.is_closed and view.obj is None and 'CLOSED' in repr(view)
    finally:
        restore()


def test_memory_stays_bounded_by_the_handles_alive(debug_module):
    # a million handles opened and closed: the records are reused
    import resource
    mod = debug_module(MISTAKES)
    mod.churn(20_000)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    mod.churn(1_000_000)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 20_000
