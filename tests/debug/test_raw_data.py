"""The const char * of HPyUnicode_AsUTF8AndSize, HPyBytes_AsString and
HPyBytes_AS_STRING in debug mode: readable while its handle is open, never
writable, unreadable once the handle is closed (the process then crashes at
the faulty access, which the child process shows)."""
import signal

import pytest

from hpy_build.universal import _debug

CHARPTR = r'''
static const char *kept;

/* mode 0: HPyUnicode_AsUTF8AndSize, 1: HPyBytes_AsString, 2: HPyBytes_AS_STRING */
static const char *as_string(HPyContext *ctx, HPy h, long mode)
{
    HPy_ssize_t size;
    switch (mode) {
    case 0: return HPyUnicode_AsUTF8AndSize(ctx, h, &size);
    case 1: return HPyBytes_AsString(ctx, h);
    default: return HPyBytes_AS_STRING(ctx, h);
    }
}

HPyDef_METH(keep_arg_string, "keep_arg_string", HPyFunc_VARARGS)
static HPy keep_arg_string_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    kept = as_string(ctx, args[0], HPyLong_AsLong(ctx, args[1]));
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(read_kept, "read_kept", HPyFunc_NOARGS)
static HPy read_kept_impl(HPyContext *ctx, HPy self)
{
    return HPyBytes_FromString(ctx, kept);
}

HPyDef_METH(read_after_close, "read_after_close", HPyFunc_VARARGS)
static HPy read_after_close_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    HPy dup = HPy_Dup(ctx, args[0]);
    const char *s = as_string(ctx, dup, HPyLong_AsLong(ctx, args[1]));
    HPy_Close(ctx, dup);
    return HPyBytes_FromString(ctx, s);
}

HPyDef_METH(write, "write", HPyFunc_VARARGS)
static HPy write_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    char *s = (char *)as_string(ctx, args[0], HPyLong_AsLong(ctx, args[1]));
    s[0] = 'X';
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(read_while_open, "read_while_open", HPyFunc_VARARGS)
static HPy read_while_open_impl(HPyContext *ctx, HPy self, const HPy *args, size_t n)
{
    const char *s = as_string(ctx, args[0], HPyLong_AsLong(ctx, args[1]));
    const char *again = as_string(ctx, args[0], HPyLong_AsLong(ctx, args[1]));
    if (s != again)
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "asked twice, two copies");
    return HPyBytes_FromString(ctx, s);
}

HPyDef_METH(utf8, "utf8", HPyFunc_O)
static HPy utf8_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_ssize_t size;
    if (HPyUnicode_AsUTF8AndSize(ctx, arg, &size) == NULL)
        return HPy_NULL;
    return HPyLong_FromSsize_t(ctx, size);
}
'''

CASES = [(0, "'use after close me!'"), (1, "b'use after close me!'"), (2, "b'use after close me!'")]


@pytest.mark.parametrize('mode, literal', CASES)
def test_correct_use(debug_module, mode, literal):
    mod = debug_module(CHARPTR)
    assert mod.read_while_open(eval(literal), mode) == b'use after close me!'


@pytest.mark.parametrize('mode, literal', CASES)
def test_read_after_the_handle_is_closed_crashes(child, mode, literal):
    result = child(CHARPTR, f'mod.read_after_close({literal}, {mode})')
    assert result.returncode == -signal.SIGSEGV, result.stderr


@pytest.mark.parametrize('mode, literal', CASES)
def test_read_after_the_call_returned_crashes(child, mode, literal):
    result = child(CHARPTR, f'mod.keep_arg_string({literal}, {mode}); print("kept"); mod.read_kept()')
    assert result.stdout == 'kept\n'
    assert result.returncode == -signal.SIGSEGV, result.stderr


@pytest.mark.parametrize('mode, literal', CASES)
def test_write_crashes(child, mode, literal):
    result = child(CHARPTR, f'mod.write({literal}, {mode})')
    assert result.returncode == -signal.SIGSEGV, result.stderr


def test_errors_pass_through(debug_module):
    mod = debug_module(CHARPTR)
    with pytest.raises(TypeError):
        mod.utf8(42)
    assert mod.utf8('héllo') == 6


def _raw_sizes(handles):
    return sorted(h.raw_data_size for h in handles)


def test_protected_raw_data_limit(debug_module):
    mod = debug_module(CHARPTR)
    old_raw, old_queue = (_debug.get_protected_raw_data_max_size(),
                          _debug.get_closed_handles_queue_max_size())
    try:
        _debug.set_protected_raw_data_max_size(100)
        # empty the queue (and the raw data it keeps): with size 0, each call
        # reuses three closed handles and leaves none of its own
        _debug.set_closed_handles_queue_max_size(0)
        for _ in range(len(_debug.get_closed_handles())):
            mod.utf8('')
        assert _debug.get_closed_handles() == []
        _debug.set_closed_handles_queue_max_size(100)
        gen = _debug.new_generation()
        mod.utf8('abc' * 50)            # 151 bytes: over the limit, freed on close
        assert _raw_sizes(_debug.get_closed_handles(gen)) == [-1, -1, -1]
        gen = _debug.new_generation()
        mod.utf8('a' * 31)              # kept: 32 bytes
        mod.utf8('b' * 32)              # kept: 33 bytes
        mod.utf8('c' * 50)              # 51 more would exceed 100: freed
        assert _raw_sizes(_debug.get_closed_handles(gen)) == [-1] * 7 + [32, 33]
        gen = _debug.new_generation()
        mod.utf8('d' * 13)              # 14 more still fit
        assert _raw_sizes(_debug.get_closed_handles(gen)) == [-1, -1, 14]
        gen = _debug.new_generation()
        mod.utf8('e' * 27)              # 28 more do not
        assert _raw_sizes(_debug.get_closed_handles(gen)) == [-1, -1, -1]
    finally:
        _debug.set_protected_raw_data_max_size(old_raw)
        _debug.set_closed_handles_queue_max_size(old_queue)
