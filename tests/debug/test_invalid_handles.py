"""Misused handles in debug mode: each mistake is made on purpose and its
report checked, through the on_invalid_handle hook (the program goes on) or,
without a hook, in a child process that must abort with the report."""
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
            'Invalid usage of already closed handle', 'HPy_Close of an argument')


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


def test_foreign_handle_aborts_even_with_a_hook(child):
    # there is no object to go on with: the hook is not asked
    code = '''
        from hpy_build.universal import _debug
        _debug.set_on_invalid_handle(lambda: print('hook called'))
        mod.foreign()
    '''
    result = child(MISTAKES, code)
    _aborts(result, 'not a debug-mode handle')
    assert 'hook called' not in result.stdout


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
