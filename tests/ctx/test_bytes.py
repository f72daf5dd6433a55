"""HPyBytes_*."""
import sys

import pytest

SOURCE = r'''
HPyDef_METH(check, "check", HPyFunc_O)
static HPy check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyBytes_Check(ctx, arg), -1);
}

HPyDef_METH(size, "size", HPyFunc_O)
static HPy size_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyBytes_Size(ctx, arg), -1);
}

HPyDef_METH(get_size, "get_size", HPyFunc_O)
static HPy get_size_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyBytes_GET_SIZE(ctx, arg), -1);
}

/* The contents seen through HPyBytes_AsString, copied with the NUL that
   must end them. */
HPyDef_METH(as_string, "as_string", HPyFunc_O)
static HPy as_string_impl(HPyContext *ctx, HPy self, HPy arg)
{
    const char *s = HPyBytes_AsString(ctx, arg);
    if (s == NULL)
        return box_handle(ctx, HPy_NULL);
    return HPyBytes_FromStringAndSize(ctx, s, HPyBytes_Size(ctx, arg) + 1);
}

HPyDef_METH(as_string_macro, "AS_STRING", HPyFunc_O)
static HPy as_string_macro_impl(HPyContext *ctx, HPy self, HPy arg)
{
    const char *s = HPyBytes_AS_STRING(ctx, arg);
    return HPyBytes_FromStringAndSize(ctx, s, HPyBytes_GET_SIZE(ctx, arg) + 1);
}

/* Both accessors give the object's own buffer. */
HPyDef_METH(same_buffer, "same_buffer", HPyFunc_O)
static HPy same_buffer_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPyBool_FromBool(ctx, HPyBytes_AsString(ctx, arg) == HPyBytes_AS_STRING(ctx, arg));
}

/* HPyBytes_FromString of the contents of a bytes object (stops at NUL) */
HPyDef_METH(from_string, "from_string", HPyFunc_O)
static HPy from_string_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyBytes_FromString(ctx, HPyBytes_AsString(ctx, arg)));
}

/* (bytes, n): the first n bytes */
HPyDef_METH(from_string_and_size, "from_string_and_size", HPyFunc_VARARGS)
static HPy from_string_and_size_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyBytes_FromStringAndSize(ctx, HPyBytes_AsString(ctx, args[0]),
                                                      HPyLong_AsSsize_t(ctx, args[1])));
}

/* HPyBytes_FromStringAndSize(NULL, n) */
HPyDef_METH(from_null_and_size, "from_null_and_size", HPyFunc_O)
static HPy from_null_and_size_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyBytes_FromStringAndSize(ctx, NULL, HPyLong_AsSsize_t(ctx, arg)));
}

HPyDef_METH(from_literal, "from_literal", HPyFunc_NOARGS)
static HPy from_literal_impl(HPyContext *ctx, HPy self)
{
    return HPyBytes_FromStringAndSize(ctx, "a\0b\xff", 4);
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def test_check(mod):
    class B(bytes):
        pass
    assert mod.check(b'') == 1
    assert mod.check(B(b'x')) == 1
    assert mod.check(bytearray(b'x')) == 0
    assert mod.check('x') == 0
    assert mod.check(memoryview(b'x')) == 0


@pytest.mark.parametrize('value', [b'', b'abc', b'a\x00b', bytes(range(256))])
def test_size_and_contents(mod, value):
    assert mod.size(value) == len(value)
    assert mod.get_size(value) == len(value)
    assert mod.as_string(value) == value + b'\x00'
    assert mod.AS_STRING(value) == value + b'\x00'
    assert mod.same_buffer(value) is True


def test_size_and_as_string_need_bytes(mod):
    with pytest.raises(TypeError):
        mod.size('text')
    with pytest.raises(TypeError):
        mod.size(bytearray(b'x'))
    with pytest.raises(TypeError):
        mod.as_string('text')
    with pytest.raises(TypeError):
        mod.as_string(None)


def test_from_string(mod):
    assert mod.from_string(b'hello') == b'hello'
    assert mod.from_string(b'') == b''
    assert mod.from_string(b'ab\x00cd') == b'ab'
    assert type(mod.from_string(b'x')) is bytes


def test_from_string_and_size(mod):
    assert mod.from_literal() == b'a\x00b\xff'
    data = b'0123\x00456789'
    for n in (0, 1, 5, len(data)):
        assert mod.from_string_and_size(data, n) == data[:n]
    with pytest.raises(SystemError):
        mod.from_string_and_size(data, -1)


@pytest.mark.parametrize('size', [-1, 0, 1, 10])
def test_from_string_and_size_refuses_a_null_buffer(mod, size):
    """CPython gives uninitialised bytes for NULL; HPy cannot fill them in
    afterwards, so it refuses NULL whatever the size (HPy 0.9's message)."""
    with pytest.raises(ValueError) as info:
        mod.from_null_and_size(size)
    assert str(info.value) == 'NULL char * passed to HPyBytes_FromStringAndSize'


def test_results_are_new_references(mod):
    data = b'some bytes for refcounts'
    base = sys.getrefcount(data)
    for _ in range(100):
        mod.size(data)
        mod.as_string(data)
    after = sys.getrefcount(data)
    assert after == base
    # CPython shares one-byte bytes objects: each result must own a reference
    one = b'z'
    base = sys.getrefcount(one)
    kept = [mod.from_string(b'z') for _ in range(10)]
    assert kept == [one] * 10
    del kept
    after = sys.getrefcount(one)
    assert after == base
