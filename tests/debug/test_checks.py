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


# ---- the error protocol of int-like results (slots) ----

STATUS = r'''
/* 0: the slots behave; 1: they return -1 without an exception; 2: they set
   an exception and return a non-error value; 3: tp_hash returns -5 */
static int mode;

HPyDef_METH(set_mode, "set_mode", HPyFunc_O)
static HPy set_mode_impl(HPyContext *ctx, HPy self, HPy arg)
{
    mode = (int)HPyLong_AsLong(ctx, arg);
    return HPy_Dup(ctx, ctx->h_None);
}

static HPy_ssize_t status(HPyContext *ctx, HPy_ssize_t ok)
{
    if (mode == 1)
        return -1;
    if (mode == 2)
        HPyErr_SetString(ctx, ctx->h_ValueError, "left behind");
    return ok;
}

HPyDef_SLOT(Bad_bool, HPy_nb_bool)
static int Bad_bool_impl(HPyContext *ctx, HPy self) { return (int)status(ctx, 1); }

HPyDef_SLOT(Bad_len, HPy_sq_length)
static HPy_ssize_t Bad_len_impl(HPyContext *ctx, HPy self) { return status(ctx, 3); }

HPyDef_SLOT(Bad_ass_item, HPy_sq_ass_item)
static int Bad_ass_item_impl(HPyContext *ctx, HPy self, HPy_ssize_t i, HPy value)
{
    return (int)status(ctx, 0);
}

HPyDef_SLOT(Bad_contains, HPy_sq_contains)
static int Bad_contains_impl(HPyContext *ctx, HPy self, HPy item) { return (int)status(ctx, 1); }

HPyDef_SLOT(Bad_hash, HPy_tp_hash)
static HPy_hash_t Bad_hash_impl(HPyContext *ctx, HPy self)
{
    return mode == 3 ? -5 : status(ctx, 42);
}

HPyDef_SLOT(Bad_init, HPy_tp_init)
static int Bad_init_impl(HPyContext *ctx, HPy self, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    return (int)status(ctx, 0);
}

HPyDef_GETSET(Bad_attr, "attr")
static HPy Bad_attr_get(HPyContext *ctx, HPy self, void *closure)
{
    return HPyLong_FromLong(ctx, 7);
}
static int Bad_attr_set(HPyContext *ctx, HPy self, HPy value, void *closure)
{
    return (int)status(ctx, 0);
}

static char bytes[4] = "abc";

HPyDef_SLOT(Bad_getbuffer, HPy_bf_getbuffer)
static int Bad_getbuffer_impl(HPyContext *ctx, HPy self, HPy_buffer *buf, int flags)
{
    buf->obj = HPy_Dup(ctx, self);
    buf->buf = bytes;
    buf->len = 3;
    buf->itemsize = 1;
    buf->readonly = 1;
    buf->ndim = 1;
    buf->format = NULL;
    buf->shape = NULL;
    buf->strides = NULL;
    buf->suboffsets = NULL;
    buf->internal = NULL;
    int result = (int)status(ctx, 0);
    if (result < 0)
        HPy_Close(ctx, buf->obj);
    return result;
}

static HPyDef *Bad_defines[] = {
    &Bad_bool, &Bad_len, &Bad_ass_item, &Bad_contains, &Bad_hash, &Bad_init, &Bad_attr,
    &Bad_getbuffer, NULL
};
static HPyType_Spec Bad_spec = {
    .name = "status.Bad", .flags = HPy_TPFLAGS_DEFAULT, .defines = Bad_defines,
};

@EXPORT_TYPE("Bad", Bad_spec)
'''


def _setitem(o):
    o[0] = 1


def _setattr(o):
    o.attr = 1


# (operation, the HPyFunc signature of its slot, the non-error value it returns)
STATUS_OPS = [
    (bool, 'HPyFunc_INQUIRY', 1),
    (len, 'HPyFunc_LENFUNC', 3),
    (_setitem, 'HPyFunc_SSIZEOBJARGPROC', 0),
    (lambda o: 1 in o, 'HPyFunc_OBJOBJPROC', 1),
    (hash, 'HPyFunc_HASHFUNC', 42),
    (lambda o: o.__init__(), 'HPyFunc_INITPROC', 0),
    (_setattr, 'HPyFunc_SETTER', 0),
    (lambda o: bytes(memoryview(o)), 'HPyFunc_GETBUFFERPROC', 0),
]


@pytest.fixture
def status_mod(debug_module):
    mod = debug_module(STATUS)
    yield mod
    mod.set_mode(0)


def test_int_results_that_follow_the_protocol_pass(status_mod):
    o = status_mod.Bad()
    assert bool(o) is True and len(o) == 3 and 1 in o and hash(o) == 42 and o.attr == 7
    assert bytes(memoryview(o)) == b'abc'
    o[0] = 1
    o.attr = 1
    status_mod.set_mode(3)
    assert hash(o) == -5            # a negative hash is not an error


@pytest.mark.parametrize('op, sig, ok', [op for op in STATUS_OPS if op[0] is not hash])
def test_error_value_without_an_exception(status_mod, op, sig, ok):
    o = status_mod.Bad()
    status_mod.set_mode(1)
    with pytest.raises(SystemError) as exc:
        op(o)
    assert str(exc.value) == (f'HPy debug mode: a function returned -1 without setting an '
                              f'exception (signature {sig})')


@pytest.mark.parametrize('op, sig, ok', STATUS_OPS)
def test_result_with_an_exception_set_by_a_slot(status_mod, op, sig, ok):
    o = status_mod.Bad()
    status_mod.set_mode(2)
    with pytest.raises(SystemError) as exc:
        op(o)
    assert str(exc.value) == (f'HPy debug mode: a function returned a result with an exception '
                              f'set (signature {sig}, result {ok})')
    assert isinstance(exc.value.__cause__, ValueError)
    assert str(exc.value.__cause__) == 'left behind'


@pytest.mark.parametrize('op, sig, ok', STATUS_OPS)
def test_a_reported_result_keeps_no_reference(status_mod, op, sig, ok):
    import sys
    o = status_mod.Bad()
    refcount = sys.getrefcount(o)
    status_mod.set_mode(2)
    try:
        op(o)
    except SystemError:
        pass
    assert sys.getrefcount(o) == refcount       # e.g. the buffer's object is released


def test_a_hash_of_minus_one_without_an_exception_passes(status_mod):
    # as in HPy 0.9's debug mode: __hash__() gives it, hash() reports it
    o = status_mod.Bad()
    status_mod.set_mode(1)
    assert o.__hash__() == -1
    with pytest.raises(SystemError) as exc:     # CPython's own report
        hash(o)
    assert 'HPy debug mode' not in str(exc.value)


def test_construction_with_a_bad_init(status_mod):
    status_mod.set_mode(1)
    with pytest.raises(SystemError, match=r'returned -1 without setting an exception \(signature '
                                          r'HPyFunc_INITPROC\)'):
        status_mod.Bad()


def test_module_exec_failing_without_an_exception(debug_module):
    source = r'''
        HPyDef_SLOT(bad_exec, HPy_mod_exec)
        static int bad_exec_impl(HPyContext *ctx, HPy module) { return -1; }
        @EXPORT(bad_exec)
    '''
    with pytest.raises(SystemError, match=r'returned -1 without setting an exception \(signature '
                                          r'HPyFunc_INQUIRY\)'):
        debug_module(source)


def test_signature_is_named_for_handle_results(debug_module):
    mod = debug_module(CHECKS)
    with pytest.raises(SystemError, match=r'HPy_NULL without setting an exception \(signature '
                                          r'HPyFunc_NOARGS\)'):
        mod.null_without_error()
