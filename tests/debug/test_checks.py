"""Arguments the debug mode checks before calling the universal context, the
error protocol of results, and the context valid only in its own call."""
import pytest

from support.debugmode import SIGABRT

CHECKS = r'''
HPyDef_METH(typecheck, "typecheck", HPyFunc_VARARGS)
static HPy typecheck_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPyBool_FromLong(ctx, HPy_TypeCheck(ctx, args[0], args[1]));
}

HPyDef_METH(issubtype, "issubtype", HPyFunc_VARARGS)
static HPy issubtype_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPyBool_FromLong(ctx, HPyType_IsSubtype(ctx, args[0], args[1]));
}

HPyDef_METH(getname, "getname", HPyFunc_O)
static HPy getname_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPyUnicode_FromString(ctx, HPyType_GetName(ctx, arg));
}

HPyDef_METH(substring, "substring", HPyFunc_O)
static HPy substring_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPyUnicode_Substring(ctx, arg, 1, 3);
}

HPyDef_METH(call_bad_kwnames, "call_bad_kwnames", HPyFunc_O)
static HPy call_bad_kwnames_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPy_Call(ctx, arg, NULL, 0, arg);
}

HPyDef_METH(null_without_error, "null_without_error", HPyFunc_NOARGS)
static HPy null_without_error_impl(HPyContext *ctx, HPy self)
{
    return HPy_NULL;
}

HPyDef_METH(result_with_error, "result_with_error", HPyFunc_NOARGS)
static HPy result_with_error_impl(HPyContext *ctx, HPy self)
{
    HPyErr_SetString(ctx, ctx->h_ValueError, "left behind");
    return HPyLong_FromLong(ctx, 1);
}

HPyDef_METH(name, "name", HPyFunc_NOARGS)
static HPy name_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, ctx->name);
}

static HPyContext *kept;

HPyDef_METH(keep_ctx, "keep_ctx", HPyFunc_NOARGS)
static HPy keep_ctx_impl(HPyContext *ctx, HPy self)
{
    kept = ctx;
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(use_kept_ctx, "use_kept_ctx", HPyFunc_NOARGS)
static HPy use_kept_ctx_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromLong(kept, 1);
}

HPyDef_METH(keep_ctx_and_call, "keep_ctx_and_call", HPyFunc_O)
static HPy keep_ctx_and_call_impl(HPyContext *ctx, HPy self, HPy callable)
{
    kept = ctx;
    return HPy_CallTupleDict(ctx, callable, HPy_NULL, HPy_NULL);
}
'''


def _aborts(result, *fragments):
    assert result.returncode == SIGABRT, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_correct_arguments_pass(debug_module):
    mod = debug_module(CHECKS)
    assert mod.typecheck(True, int) is True and mod.typecheck('x', int) is False
    assert mod.issubtype(bool, int) is True
    assert mod.getname(int) == 'int'
    assert mod.substring('hello') == 'el'


def test_context_name(debug_module):
    assert debug_module(CHECKS).name().startswith('HPy Debug Mode ABI')


@pytest.mark.parametrize('code, message', [
    ("mod.typecheck('hello', 2)", 'HPy_TypeCheck arg 2 must be a type'),
    ("mod.issubtype(bool, 'hello')", 'HPyType_IsSubtype arg 2 must be a type'),
    ("mod.issubtype('hello', str)", 'HPyType_IsSubtype arg 1 must be a type'),
    ("mod.getname('hello')", 'HPyType_GetName arg must be a type'),
    ("mod.substring(b'hello')", 'HPyUnicode_Substring arg 1 must be a Unicode object'),
    ("mod.call_bad_kwnames(print)", "HPy_Call arg 'kwnames' must be a tuple object or HPy_NULL"),
])
def test_wrong_argument_aborts(child, code, message):
    _aborts(child(CHECKS, code), message)


def test_null_without_an_exception(debug_module):
    mod = debug_module(CHECKS)
    with pytest.raises(SystemError, match='returned HPy_NULL without setting an exception'):
        mod.null_without_error()


def test_result_with_an_exception_set(debug_module):
    mod = debug_module(CHECKS)
    with pytest.raises(SystemError, match='returned a result with an exception set') as exc:
        mod.result_with_error()
    assert isinstance(exc.value.__cause__, ValueError)
    assert str(exc.value.__cause__) == 'left behind'


def test_context_kept_in_a_global(child):
    result = child(CHECKS, 'mod.keep_ctx(); print("kept", flush=True); mod.use_kept_ctx()')
    assert result.stdout == 'kept\n'
    _aborts(result, 'Error: Wrong HPy Context!', 'HPyLong_FromInt64_t was called with a context')


def test_context_of_an_outer_call(child):
    # used in a nested call while the call it was given to is still running
    result = child(CHECKS, 'mod.keep_ctx_and_call(mod.use_kept_ctx)')
    _aborts(result, 'Error: Wrong HPy Context!')


def test_context_is_valid_in_nested_calls(debug_module):
    mod = debug_module(CHECKS)
    depth = 0

    def again():
        nonlocal depth
        depth += 1
        return mod.keep_ctx_and_call(again) if depth < 40 else mod.name()
    assert mod.keep_ctx_and_call(again).startswith('HPy Debug Mode ABI')
