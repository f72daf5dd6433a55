"""Exceptions: HPyErr_Set*, Occurred, ExceptionMatches, Clear, NoMemory,
NewException*, WarnEx, WriteUnraisable, and HPy_FatalError."""
import errno
import os
import subprocess
import sys
import textwrap
import warnings

import pytest

SOURCE = r'''
/* HPyErr_SetString's result is returned as is: it must be HPy_NULL. */
HPyDef_METH(set_string, "set_string", HPyFunc_VARARGS)
static HPy set_string_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    const char *message = cstr(ctx, args[1]);
    if (message == NULL)
        return HPy_NULL;
    return HPyErr_SetString(ctx, args[0], message);
}

HPyDef_METH(set_object, "set_object", HPyFunc_VARARGS)
static HPy set_object_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return HPyErr_SetObject(ctx, args[0], args[1]);
}

/* (type, errno, [filename bytes]) */
HPyDef_METH(set_from_errno_with_filename, "set_from_errno_with_filename", HPyFunc_VARARGS)
static HPy set_from_errno_with_filename_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    const char *filename = cstr(ctx, ARG(2));
    errno = HPyLong_AsInt32_t(ctx, args[1]);
    return HPyErr_SetFromErrnoWithFilename(ctx, args[0], filename);
}

/* (type, errno, [filename1, [filename2]]) */
HPyDef_METH(set_from_errno_with_filename_objects, "set_from_errno_with_filename_objects", HPyFunc_VARARGS)
static HPy set_from_errno_with_filename_objects_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    errno = HPyLong_AsInt32_t(ctx, args[1]);
    return HPyErr_SetFromErrnoWithFilenameObjects(ctx, args[0], ARG(2), ARG(3));
}

/* What HPyErr_Occurred says before and after setting and clearing. */
HPyDef_METH(occurred_steps, "occurred_steps", HPyFunc_NOARGS)
static HPy occurred_steps_impl(HPyContext *ctx, HPy self)
{
    int before = HPyErr_Occurred(ctx);
    HPyErr_SetString(ctx, ctx->h_ValueError, "temporary");
    int set = HPyErr_Occurred(ctx);
    HPyErr_Clear(ctx);
    int cleared = HPyErr_Occurred(ctx);
    return HPy_BuildValue(ctx, "iii", before, set, cleared);
}

/* Raise `exc` (a type), then ask whether it matches `against`, and clear. */
HPyDef_METH(exception_matches, "exception_matches", HPyFunc_VARARGS)
static HPy exception_matches_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyErr_SetString(ctx, args[0], "raised");
    int r = HPyErr_ExceptionMatches(ctx, args[1]);
    HPyErr_Clear(ctx);
    return HPyLong_FromLong(ctx, r);
}

HPyDef_METH(no_memory, "no_memory", HPyFunc_NOARGS)
static HPy no_memory_impl(HPyContext *ctx, HPy self)
{
    return HPyErr_NoMemory(ctx);
}

/* Raises, then clears: returns None with no exception. */
HPyDef_METH(raise_and_clear, "raise_and_clear", HPyFunc_NOARGS)
static HPy raise_and_clear_impl(HPyContext *ctx, HPy self)
{
    HPyErr_SetString(ctx, ctx->h_KeyError, "cleared");
    HPyErr_Clear(ctx);
    return HPy_Dup(ctx, ctx->h_None);
}

/* (name bytes, [base], [dict]) */
HPyDef_METH(new_exception, "new_exception", HPyFunc_VARARGS)
static HPy new_exception_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyErr_NewException(ctx, cstr(ctx, args[0]), ARG(1), ARG(2)));
}

/* (name bytes, doc bytes or None, [base], [dict]) */
HPyDef_METH(new_exception_with_doc, "new_exception_with_doc", HPyFunc_VARARGS)
static HPy new_exception_with_doc_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyErr_NewExceptionWithDoc(ctx, cstr(ctx, args[0]), cstr(ctx, args[1]),
                                                      ARG(2), ARG(3)));
}

/* (message bytes, stack level, [category]) */
HPyDef_METH(warn, "warn", HPyFunc_VARARGS)
static HPy warn_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_ssize_t level = HPyLong_AsSsize_t(ctx, args[1]);
    return box_status(ctx, HPyErr_WarnEx(ctx, ARG(2), cstr(ctx, args[0]), level));
}

/* Raise ValueError(message), then report it as unraisable in `obj`
   (None: in nothing). */
HPyDef_METH(write_unraisable, "write_unraisable", HPyFunc_VARARGS)
static HPy write_unraisable_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPyErr_SetObject(ctx, ctx->h_ValueError, args[0]);
    HPyErr_WriteUnraisable(ctx, HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1]);
    if (HPyErr_Occurred(ctx))
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "still set");
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(fatal, "fatal", HPyFunc_O)
static HPy fatal_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_FatalError(ctx, cstr(ctx, arg));
    return HPy_NULL;
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


# -- setting exceptions ------------------------------------------------------

def test_set_string(mod):
    with pytest.raises(ValueError, match='^bad value$') as info:
        mod.set_string(ValueError, b'bad value')
    assert info.value.args == ('bad value',)
    with pytest.raises(KeyError):
        mod.set_string(KeyError, b'k')
    with pytest.raises(RuntimeError, match='caf\xe9 \u20ac'):
        mod.set_string(RuntimeError, 'caf\xe9 \u20ac'.encode())


def test_set_string_with_a_user_exception(mod):
    class MyError(Exception):
        pass
    with pytest.raises(MyError, match='mine'):
        mod.set_string(MyError, b'mine')


def test_set_object(mod):
    key = ['a', 1]
    with pytest.raises(KeyError) as info:
        mod.set_object(KeyError, key)
    assert info.value.args == (key,) and info.value.args[0] is key
    # a tuple value is the exception's arguments, as in the C API
    with pytest.raises(KeyError) as info:
        mod.set_object(KeyError, ('a', 1))
    assert info.value.args == ('a', 1)
    with pytest.raises(ValueError) as info:
        mod.set_object(ValueError, 'text')
    assert info.value.args == ('text',)


def test_set_object_with_an_instance_raises_that_instance(mod):
    exc = LookupError('prepared')
    with pytest.raises(LookupError) as info:
        mod.set_object(LookupError, exc)
    assert info.value is exc
    sub = KeyError('sub')
    with pytest.raises(KeyError) as info:
        mod.set_object(LookupError, sub)
    assert info.value is sub


def test_set_from_errno_with_filename(mod):
    with pytest.raises(FileNotFoundError) as info:
        mod.set_from_errno_with_filename(OSError, errno.ENOENT, b'/no/such/file')
    e = info.value
    assert (e.errno, e.strerror, e.filename) == (errno.ENOENT, os.strerror(errno.ENOENT), '/no/such/file')
    with pytest.raises(PermissionError) as info:
        mod.set_from_errno_with_filename(OSError, errno.EACCES)
    assert info.value.filename is None
    assert info.value.errno == errno.EACCES


def test_set_from_errno_with_filename_decodes_with_the_fs_encoding(mod):
    raw = b'caf\xc3\xa9-\xff'
    with pytest.raises(OSError) as info:
        mod.set_from_errno_with_filename(OSError, errno.EEXIST, raw)
    assert info.value.filename == os.fsdecode(raw)


def test_set_from_errno_with_filename_objects(mod):
    with pytest.raises(FileExistsError) as info:
        mod.set_from_errno_with_filename_objects(OSError, errno.EEXIST, 'one', 'two')
    e = info.value
    assert (e.errno, e.strerror, e.filename, e.filename2) == (
        errno.EEXIST, os.strerror(errno.EEXIST), 'one', 'two')
    with pytest.raises(IsADirectoryError) as info:
        mod.set_from_errno_with_filename_objects(OSError, errno.EISDIR, b'bytes name')
    assert (info.value.filename, info.value.filename2) == (b'bytes name', None)
    with pytest.raises(OSError) as info:
        mod.set_from_errno_with_filename_objects(OSError, errno.EIO)
    assert (info.value.errno, info.value.filename) == (errno.EIO, None)


def test_set_from_errno_with_another_type(mod):
    class MyOSError(OSError):
        pass
    with pytest.raises(MyOSError) as info:
        mod.set_from_errno_with_filename_objects(MyOSError, errno.EPERM, 'f')
    assert info.value.errno == errno.EPERM and info.value.filename == 'f'


def test_set_from_errno_with_eintr_runs_signal_handlers(mod):
    # errno == EINTR: pending signal handlers run first; with none pending
    # the exception is InterruptedError
    with pytest.raises(InterruptedError):
        mod.set_from_errno_with_filename_objects(OSError, errno.EINTR)


# -- inspecting and clearing -------------------------------------------------

def test_occurred_and_clear(mod):
    assert mod.occurred_steps() == (0, 1, 0)
    assert mod.raise_and_clear() is None


@pytest.mark.parametrize('raised, against, expected', [
    (KeyError, KeyError, 1),
    (KeyError, LookupError, 1),
    (KeyError, Exception, 1),
    (KeyError, ValueError, 0),
    (LookupError, KeyError, 0),
    (KeyError, (ValueError, LookupError), 1),
    (KeyError, (ValueError, TypeError), 0),
])
def test_exception_matches(mod, raised, against, expected):
    assert mod.exception_matches(raised, against) == expected


def test_no_memory(mod):
    with pytest.raises(MemoryError):
        mod.no_memory()


# -- new exception types ----------------------------------------------------

def test_new_exception(mod):
    E = mod.new_exception(b'mymod.MyError')
    assert isinstance(E, type) and issubclass(E, Exception)
    assert E.__bases__ == (Exception,)
    assert (E.__module__, E.__name__, E.__qualname__) == ('mymod', 'MyError', 'MyError')
    with pytest.raises(E, match='boom'):
        mod.set_string(E, b'boom')


def test_new_exception_with_base_and_dict(mod):
    E = mod.new_exception(b'pkg.sub.Err', KeyError, {'extra': 42})
    assert (E.__module__, E.__name__) == ('pkg.sub', 'Err')
    assert E.__bases__ == (KeyError,)
    assert E.extra == 42
    E2 = mod.new_exception(b'm.Multi', (ValueError, TypeError))
    assert E2.__bases__ == (ValueError, TypeError)


def test_new_exception_needs_a_dotted_name(mod):
    with pytest.raises(SystemError, match='module.class'):
        mod.new_exception(b'nodot')


def test_new_exception_with_doc(mod):
    E = mod.new_exception_with_doc(b'mymod.Documented', b'What it means.')
    assert E.__doc__ == 'What it means.'
    assert issubclass(E, Exception) and E.__name__ == 'Documented'
    E = mod.new_exception_with_doc(b'mymod.Undocumented', None, ArithmeticError, {'x': 1})
    assert E.__doc__ is None
    assert E.__bases__ == (ArithmeticError,) and E.x == 1
    with pytest.raises(SystemError):
        mod.new_exception_with_doc(b'nodot', b'doc')


# -- warnings ---------------------------------------------------------------

def test_warn(mod):
    with pytest.warns(UserWarning, match='careful') as record:
        assert mod.warn(b'careful', 1, UserWarning) is None
    assert len(record) == 1


def test_warn_default_category_is_runtime_warning(mod):
    with pytest.warns(RuntimeWarning, match='default category'):
        mod.warn(b'default category', 1)


def test_warn_stack_level(mod):
    # level 1 is the caller of the C function: this file
    with pytest.warns(DeprecationWarning) as record:
        mod.warn(b'level one', 1, DeprecationWarning)
    assert record[0].filename == __file__


def test_warn_as_error_fails_with_the_warning(mod):
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        with pytest.raises(FutureWarning, match='now an error'):
            mod.warn(b'now an error', 1, FutureWarning)


def test_write_unraisable(mod, monkeypatch):
    seen = []
    monkeypatch.setattr(sys, 'unraisablehook', seen.append)
    where = object()
    assert mod.write_unraisable('lost error', where) is None
    assert len(seen) == 1
    assert type(seen[0].exc_value) is ValueError
    assert seen[0].exc_value.args == ('lost error',)
    assert seen[0].object is where
    assert mod.write_unraisable('second', None) is None
    assert seen[1].object is None


# -- fatal errors -------------------------------------------------------------

FATAL_SCRIPT = '''
import sys
sys.path.insert(0, {support!r})
from support import compile as hpy_compile
mod = hpy_compile.load({name!r}, {path!r}, {abi!r})
mod.fatal(b'the end of everything')
print('survived')
'''


def test_fatal_error_aborts_the_process(mod, abi):
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = FATAL_SCRIPT.format(support=tests_dir,
                                 name=mod.__name__, path=mod.__file__, abi=abi)
    proc = subprocess.run([sys.executable, '-c', textwrap.dedent(script)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert 'Fatal Python error' in proc.stderr
    assert 'the end of everything' in proc.stderr
    assert 'survived' not in proc.stdout


NEVER_RETURNS = '''
HPyDef_METH(fatal, "fatal", HPyFunc_NOARGS)
static HPy fatal_impl(HPyContext *ctx, HPy self)
{
    HPy_FatalError(ctx, "no way back");
}
@EXPORT(fatal)
@INIT
'''


@pytest.mark.parametrize('compiled_abi', ['cpython', 'universal', 'hybrid'])
def test_fatal_error_is_known_to_never_return(compile_module, compiled_abi):
    """HPy_FatalError is declared noreturn: a function that ends with it
    needs no return statement, even with -Werror=return-type."""
    compile_module(NEVER_RETURNS, compiled_abi, extra_cflags=['-Werror=return-type'])
