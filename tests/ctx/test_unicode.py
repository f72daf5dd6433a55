"""HPyUnicode_*: creation from C strings, encoding, decoding, access."""
import os
import sys

import pytest

SOURCE = r'''
#include <wchar.h>

/* C strings come from bytes arguments, so that tests choose every byte. */
HPyDef_METH(from_string, "from_string", HPyFunc_O)
static HPy from_string_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyUnicode_FromString(ctx, cstr(ctx, arg)));
}

HPyDef_METH(from_literal, "from_literal", HPyFunc_NOARGS)
static HPy from_literal_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, "h\xc3\xa9llo \xe2\x82\xac");
}

HPyDef_METH(check, "check", HPyFunc_O)
static HPy check_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_i64(ctx, HPyUnicode_Check(ctx, arg), -1);
}

HPyDef_METH(as_ascii_string, "as_ascii_string", HPyFunc_O)
static HPy as_ascii_string_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyUnicode_AsASCIIString(ctx, arg));
}

HPyDef_METH(as_latin1_string, "as_latin1_string", HPyFunc_O)
static HPy as_latin1_string_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyUnicode_AsLatin1String(ctx, arg));
}

HPyDef_METH(as_utf8_string, "as_utf8_string", HPyFunc_O)
static HPy as_utf8_string_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyUnicode_AsUTF8String(ctx, arg));
}

/* (the bytes at the returned pointer, up to and including the NUL that must
   follow them, and the size) */
HPyDef_METH(as_utf8_and_size, "as_utf8_and_size", HPyFunc_O)
static HPy as_utf8_and_size_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_ssize_t size = -7;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
    if (s == NULL) {
        if (!HPyErr_Occurred(ctx))
            return HPyErr_SetString(ctx, ctx->h_AssertionError, "NULL without an exception");
        return HPy_NULL;
    }
    HPy data = HPyBytes_FromStringAndSize(ctx, s, size + 1);
    HPy result = HPy_BuildValue(ctx, "On", data, size);
    HPy_Close(ctx, data);
    return result;
}

/* with a NULL size pointer: the bytes up to the first NUL */
HPyDef_METH(as_utf8_no_size, "as_utf8_no_size", HPyFunc_O)
static HPy as_utf8_no_size_impl(HPyContext *ctx, HPy self, HPy arg)
{
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, arg, NULL);
    if (s == NULL)
        return HPy_NULL;
    return HPyBytes_FromString(ctx, s);
}

/* the pointer stays the same for the same object: it is cached */
HPyDef_METH(as_utf8_is_stable, "as_utf8_is_stable", HPyFunc_O)
static HPy as_utf8_is_stable_impl(HPyContext *ctx, HPy self, HPy arg)
{
    const char *a = HPyUnicode_AsUTF8AndSize(ctx, arg, NULL);
    const char *b = HPyUnicode_AsUTF8AndSize(ctx, arg, NULL);
    return HPyBool_FromBool(ctx, a != NULL && a == b);
}

HPyDef_METH(from_wide_char, "from_wide_char", HPyFunc_O)
static HPy from_wide_char_impl(HPyContext *ctx, HPy self, HPy arg)
{
    static const wchar_t text[] = L"w\u00e9de \u20ac\U0001F600";
    HPy_ssize_t size = HPyLong_AsSsize_t(ctx, arg);
    return box_handle(ctx, HPyUnicode_FromWideChar(ctx, text, size));
}

HPyDef_METH(wide_char_count, "wide_char_count", HPyFunc_NOARGS)
static HPy wide_char_count_impl(HPyContext *ctx, HPy self)
{
    return HPyLong_FromSize_t(ctx, wcslen(L"w\u00e9de \u20ac\U0001F600"));
}

HPyDef_METH(decode_fs_default, "decode_fs_default", HPyFunc_O)
static HPy decode_fs_default_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyUnicode_DecodeFSDefault(ctx, cstr(ctx, arg)));
}

/* (bytes, size) */
HPyDef_METH(decode_fs_default_and_size, "decode_fs_default_and_size", HPyFunc_VARARGS)
static HPy decode_fs_default_and_size_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyUnicode_DecodeFSDefaultAndSize(ctx, cstr(ctx, args[0]),
                                                             HPyLong_AsSsize_t(ctx, args[1])));
}

HPyDef_METH(encode_fs_default, "encode_fs_default", HPyFunc_O)
static HPy encode_fs_default_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyUnicode_EncodeFSDefault(ctx, arg));
}

/* (str, index) */
HPyDef_METH(read_char, "read_char", HPyFunc_VARARGS)
static HPy read_char_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_UCS4 c = HPyUnicode_ReadChar(ctx, args[0], HPyLong_AsSsize_t(ctx, args[1]));
    return box_u64(ctx, c, (HPy_UCS4)-1);
}

/* (bytes, [errors]): the whole bytes object, NULs included */
HPyDef_METH(decode_ascii, "decode_ascii", HPyFunc_VARARGS)
static HPy decode_ascii_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyUnicode_DecodeASCII(ctx, HPyBytes_AsString(ctx, args[0]),
                                                  HPyBytes_Size(ctx, args[0]), cstr(ctx, ARG(1))));
}

HPyDef_METH(decode_latin1, "decode_latin1", HPyFunc_VARARGS)
static HPy decode_latin1_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyUnicode_DecodeLatin1(ctx, HPyBytes_AsString(ctx, args[0]),
                                                   HPyBytes_Size(ctx, args[0]), cstr(ctx, ARG(1))));
}

/* (obj, [encoding], [errors]) */
HPyDef_METH(from_encoded_object, "from_encoded_object", HPyFunc_VARARGS)
static HPy from_encoded_object_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyUnicode_FromEncodedObject(ctx, args[0], cstr(ctx, ARG(1)),
                                                        cstr(ctx, ARG(2))));
}

/* (str, start, end) */
HPyDef_METH(substring, "substring", HPyFunc_VARARGS)
static HPy substring_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyUnicode_Substring(ctx, args[0], HPyLong_AsSsize_t(ctx, args[1]),
                                                HPyLong_AsSsize_t(ctx, args[2])));
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def test_from_string(mod):
    assert mod.from_literal() == 'h\xe9llo \u20ac'
    for text in ['', 'ascii', 'caf\xe9', '\u20ac\U0001F600']:
        result = mod.from_string(text.encode())
        assert result == text and type(result) is str


def test_from_string_stops_at_nul(mod):
    assert mod.from_string(b'ab\x00cd') == 'ab'


def test_from_string_refuses_bad_utf8(mod):
    with pytest.raises(UnicodeDecodeError):
        mod.from_string(b'\xff\xfe')


def test_check(mod):
    class S(str):
        pass
    assert mod.check('x') == 1
    assert mod.check(S('x')) == 1
    assert mod.check(b'x') == 0
    assert mod.check(None) == 0


def test_as_ascii_string(mod):
    assert mod.as_ascii_string('plain') == b'plain'
    with pytest.raises(UnicodeEncodeError):
        mod.as_ascii_string('caf\xe9')
    with pytest.raises(TypeError):
        mod.as_ascii_string(b'bytes')


def test_as_latin1_string(mod):
    assert mod.as_latin1_string('caf\xe9') == b'caf\xe9'
    with pytest.raises(UnicodeEncodeError):
        mod.as_latin1_string('\u20ac')
    with pytest.raises(TypeError):
        mod.as_latin1_string(1)


def test_as_utf8_string(mod):
    text = 'caf\xe9 \u20ac \U0001F600'
    assert mod.as_utf8_string(text) == text.encode('utf-8')
    with pytest.raises(UnicodeEncodeError):
        mod.as_utf8_string('\ud800')
    with pytest.raises(TypeError):
        mod.as_utf8_string(None)


def test_as_utf8_and_size(mod):
    for text in ['', 'abc', 'caf\xe9', 'a\x00b', '\U0001F600']:
        encoded = text.encode()
        assert mod.as_utf8_and_size(text) == (encoded + b'\x00', len(encoded))
    assert mod.as_utf8_no_size('a\x00b') == b'a'
    assert mod.as_utf8_is_stable('some text') is True


def test_as_utf8_and_size_errors(mod):
    with pytest.raises(UnicodeEncodeError):
        mod.as_utf8_and_size('\udc80')
    with pytest.raises(TypeError):
        mod.as_utf8_and_size(b'bytes')


def test_from_wide_char(mod):
    text = 'w\xe9de \u20ac\U0001F600'
    count = mod.wide_char_count()       # wchar_t units: 2 per astral char on Windows
    assert mod.from_wide_char(-1) == text
    assert mod.from_wide_char(count) == text
    assert mod.from_wide_char(3) == 'w\xe9d'
    assert mod.from_wide_char(0) == ''


def test_decode_fs_default(mod):
    for raw in [b'', b'plain/path', 'caf\xe9'.encode(), b'\xff\xfe-undecodable']:
        assert mod.decode_fs_default(raw) == os.fsdecode(raw)


def test_decode_fs_default_and_size(mod):
    raw = b'dir/na\xffme\x00tail'
    assert mod.decode_fs_default_and_size(raw, 4) == os.fsdecode(raw[:4])
    assert mod.decode_fs_default_and_size(raw, len(raw)) == os.fsdecode(raw)
    assert mod.decode_fs_default_and_size(raw, 0) == ''


def test_encode_fs_default(mod):
    for text in ['', 'plain', 'caf\xe9', 'na\udcffme']:
        assert mod.encode_fs_default(text) == os.fsencode(text)
    with pytest.raises(TypeError):
        mod.encode_fs_default(b'bytes')


def test_fs_roundtrip(mod):
    name = 'x\udcfe\xe9'
    assert mod.decode_fs_default(mod.encode_fs_default(name)) == name


def test_read_char(mod):
    text = 'a\xe9\u20ac\U0001F600'
    assert [mod.read_char(text, i) for i in range(len(text))] == [ord(c) for c in text]
    with pytest.raises(IndexError):
        mod.read_char(text, len(text))
    with pytest.raises(IndexError):
        mod.read_char(text, -1)
    with pytest.raises(TypeError):
        mod.read_char(b'abc', 0)


def test_decode_ascii(mod):
    assert mod.decode_ascii(b'plain\x00text') == 'plain\x00text'
    assert mod.decode_ascii(b'') == ''
    with pytest.raises(UnicodeDecodeError):
        mod.decode_ascii(b'caf\xc3\xa9')
    with pytest.raises(UnicodeDecodeError):
        mod.decode_ascii(b'\x80', b'strict')
    assert mod.decode_ascii(b'a\x80b', b'replace') == 'a\ufffdb'
    assert mod.decode_ascii(b'a\x80b', b'ignore') == 'ab'
    assert mod.decode_ascii(b'a\x80b', b'surrogateescape') == 'a\udc80b'
    with pytest.raises(LookupError):
        mod.decode_ascii(b'a\x80', b'no-such-handler')


def test_decode_latin1(mod):
    raw = bytes(range(256))
    assert mod.decode_latin1(raw) == raw.decode('latin-1')
    assert mod.decode_latin1(b'caf\xe9', b'strict') == 'caf\xe9'


def test_from_encoded_object(mod):
    raw = 'caf\xe9 \u20ac'.encode()
    assert mod.from_encoded_object(raw) == 'caf\xe9 \u20ac'       # default: UTF-8
    assert mod.from_encoded_object(raw, b'utf-8') == 'caf\xe9 \u20ac'
    assert mod.from_encoded_object(b'caf\xe9', b'latin-1') == 'caf\xe9'
    assert mod.from_encoded_object(bytearray(b'ba'), b'ascii') == 'ba'
    assert mod.from_encoded_object(memoryview(b'mv')) == 'mv'
    assert mod.from_encoded_object(b'a\xffb', b'utf-8', b'replace') == 'a\ufffdb'


def test_from_encoded_object_errors(mod):
    with pytest.raises(UnicodeDecodeError):
        mod.from_encoded_object(b'a\xffb')
    with pytest.raises(LookupError):
        mod.from_encoded_object(b'x', b'no-such-codec')
    with pytest.raises(TypeError):
        mod.from_encoded_object('already text')
    with pytest.raises(TypeError):
        mod.from_encoded_object(12)


def test_substring(mod):
    text = 'h\xe9llo w\U0001F600rld'
    assert mod.substring(text, 1, 4) == text[1:4]
    assert mod.substring(text, 0, len(text)) == text
    assert mod.substring(text, 3, 1000) == text[3:]       # end is clipped
    assert mod.substring(text, 50, 60) == ''              # start past the end
    assert mod.substring(text, 4, 2) == ''                # end before start
    with pytest.raises(IndexError):
        mod.substring(text, -1, 2)
    with pytest.raises(IndexError):
        mod.substring(text, 0, -2)


def test_returned_strings_are_new_references(mod):
    text = 'interned_text_for_refcount'
    base = sys.getrefcount(text)
    for _ in range(100):
        mod.substring(text, 0, len(text))     # the whole string: CPython returns it itself
    after = sys.getrefcount(text)
    assert after == base
