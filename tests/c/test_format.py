"""HPyUnicode_FromFormat and HPyErr_Format."""
import struct

import pytest

LONG_BITS = 8 * struct.calcsize('l')
SSIZE_MAX = 2**(8 * struct.calcsize('n') - 1) - 1


class Raises:
    def __init__(self, exc, message=None):
        self.exc, self.message = exc, message


def bad_str():
    class BadStr:
        def __str__(self):
            raise ZeroDivisionError("no str")
    return BadStr()


# (C string literal, C arguments after it, Python argument, expected)
# The C function receives the Python argument as the handle `arg`.
CASES = [
    # plain text and %%
    (r'"plain text"', '', None, 'plain text'),
    (r'""', '', None, ''),
    (r'"100%% sure, %%d"', '', None, '100% sure, %d'),
    ('"' + 'a' * 400 + '%d"', ', 1', None, 'a' * 400 + '1'),

    # %c
    (r'"%c%c"', ", 'o', 'k'", None, 'ok'),
    (r'"%c"', ', 0xe9', None, '\xe9'),
    (r'"%c"', ', 0x20ac', None, '\u20ac'),
    (r'"%c"', ', 0x1f600', None, '\U0001f600'),
    (r'"a%cb"', ', 0', None, 'a\0b'),
    (r'"a%cb"', ', 0xd800', None, 'a\ud800b'),
    (r'"%c"', ', 0x110000', None,
     Raises(OverflowError, "character argument not in range(0x110000)")),
    (r'"%c"', ', -1', None,
     Raises(OverflowError, "character argument not in range(0x110000)")),

    # integers of every size
    (r'"%d %i"', ', -42, 42', None, '-42 42'),
    (r'"%u"', ', 4000000000u', None, '4000000000'),
    (r'"%ld %li"', ', LONG_MIN, LONG_MAX', None,
     '%d %d' % (-2**(LONG_BITS - 1), 2**(LONG_BITS - 1) - 1)),
    (r'"%lu"', ', ULONG_MAX', None, str(2**LONG_BITS - 1)),
    (r'"%lld %lli"', ', LLONG_MIN, LLONG_MAX', None,
     '%d %d' % (-2**63, 2**63 - 1)),
    (r'"%llu"', ', ULLONG_MAX', None, str(2**64 - 1)),
    (r'"%zd %zi"', ', HPY_SSIZE_T_MIN, (HPy_ssize_t)7', None,
     '%d 7' % (-SSIZE_MAX - 1)),
    (r'"%zu"', ', (size_t)-1', None, str(2 * SSIZE_MAX + 1)),
    (r'"%x %x"', ', 255, -1', None, 'ff ffffffff'),
    (r'"%lx %llx %zx"', ', 255ul, 4096ull, (size_t)16', None, 'ff 1000 10'),

    # width, precision, zero padding
    (r'"[%6d]"', ', -42', None, '[   -42]'),
    (r'"[%06d]"', ', -42', None, '[-00042]'),
    (r'"[%.4d]"', ', -42', None, '[-0042]'),
    (r'"[%7.4d]"', ', -42', None, '[  -0042]'),
    (r'"[%07.4d]"', ', -42', None, '[-000042]'),
    (r'"[%2d]"', ', 12345', None, '[12345]'),
    (r'"[%.0d]"', ', 0', None, '[0]'),
    (r'"[%-5u]"', ', 7u', None, Raises(SystemError, "invalid format string")),
    (r'"[%04x]"', ', 10', None, '[000a]'),
    (r'"[%8.3lu]"', ', 5ul', None, '[     005]'),
    (r'"[%300d]"', ', 1', None, '[' + ' ' * 299 + '1]'),

    # %p
    (r'"%p"', ', (void *)0xbeef', None, '0xbeef'),
    (r'"%p"', ', (void *)NULL', None, '0x0'),

    # C strings: width in characters, precision in bytes (whole characters)
    (r'"<%s>"', r', "caf\xc3\xa9"', None, '<caf\xe9>'),
    (r'"<%6s>"', r', "caf\xc3\xa9"', None, '<  caf\xe9>'),
    (r'"<%.2s>"', ', "abc"', None, '<ab>'),
    (r'"<%5.2s>"', ', "abc"', None, '<   ab>'),
    (r'"<%.4s|%.3s>"', r', "caf\xc3\xa9", "caf\xc3\xa9"', None,
     '<caf|caf>'),

    # handles: width and precision in characters
    (r'"<%U>"', ', arg', 'h\xe9llo \u20ac', '<h\xe9llo \u20ac>'),
    (r'"<%.3U>"', ', arg', '\u20acuro', '<\u20acur>'),
    (r'"<%6.2U>"', ', arg', '\u20acuro', '<    \u20acu>'),
    (r'"<%U>"', ', arg', 'a\0b', '<a\0b>'),
    (r'"<%U>"', ', arg', 'x' * 5000, '<' + 'x' * 5000 + '>'),
    (r'"<%V>"', ', arg, "unused"', 'str', '<str>'),
    (r'"<%V>"', ', HPy_NULL, "fallback"', None, '<fallback>'),
    (r'"<%4.2V>"', ', HPy_NULL, "fallback"', None, '<  fa>'),
    (r'"<%S>"', ', arg', 42, '<42>'),
    (r'"<%8S>"', ', arg', 42, '<      42>'),
    (r'"<%R>"', ', arg', 'x', "<'x'>"),
    (r'"<%.3R>"', ', arg', 'abcdef', "<'ab>"),
    (r'"<%A>"', ', arg', '\xe9', "<'\\xe9'>"),
    (r'"<%R|%S>"', ', arg, arg', [1], '<[1]|[1]>'),
    (r'"%S"', ', arg', bad_str(), Raises(ZeroDivisionError, "no str")),
    (r'"%U"', ', arg', 42, Raises(TypeError)),

    # null arguments
    (r'"%s"', ', (const char *)NULL', None,
     Raises(SystemError,
            "null c string passed as value for formatting unit '%s'")),
    (r'"%V"', ', HPy_NULL, (const char *)NULL', None,
     Raises(SystemError,
            "null c string passed as value for formatting unit '%V'")),
    (r'"%U"', ', HPy_NULL', None,
     Raises(SystemError, "HPy_NULL passed as value for formatting unit '%U'")),
    (r'"%S"', ', HPy_NULL', None,
     Raises(SystemError, "HPy_NULL passed as value for formatting unit '%S'")),
    (r'"%R"', ', HPy_NULL', None,
     Raises(SystemError, "HPy_NULL passed as value for formatting unit '%R'")),
    (r'"%A"', ', HPy_NULL', None,
     Raises(SystemError, "HPy_NULL passed as value for formatting unit '%A'")),

    # flags a unit does not take
    (r'"%05s"', ', "x"', None, Raises(
        SystemError, "formatting unit '%s' does not support 0-padding")),
    (r'"%0U"', ', arg', 'x', Raises(
        SystemError, "formatting unit '%U' does not support 0-padding")),
    (r'"%0R"', ', arg', 'x', Raises(
        SystemError, "formatting unit '%R' does not support 0-padding")),
    (r'"%03c"', ", 'x'", None, Raises(
        SystemError, "formatting unit '%c' does not support 0-padding")),
    (r'"%3c"', ", 'x'", None, Raises(
        SystemError,
        "formatting unit '%c' does not support width nor precision")),
    (r'"%.1p"', ', (void *)NULL', None, Raises(
        SystemError,
        "formatting unit '%p' does not support width nor precision")),
    (r'"%04p"', ', (void *)NULL', None, Raises(
        SystemError, "formatting unit '%p' does not support 0-padding")),

    # malformed formats
    (r'"%y"', ', 1', None, Raises(SystemError, "invalid format string")),
    (r'"%04.2y"', ', 1', None, Raises(SystemError, "invalid format string")),
    (r'"abc%"', '', None, Raises(SystemError, "invalid format string")),
    (r'"%5"', '', None, Raises(SystemError, "invalid format string")),
    (r'"%0%"', '', None, Raises(SystemError, "invalid format string")),
    (r'"%.2%"', '', None, Raises(SystemError, "invalid format string")),
    (r'"%ls"', ', "x"', None, Raises(SystemError, "invalid format string")),
    (r'"%hd"', ', 1', None, Raises(SystemError, "invalid format string")),
    (r'"caf\xc3\xa9 %d"', ', 1', None, Raises(
        ValueError,
        "expected an ASCII-encoded format string, got a non-ASCII byte: 0xc3")),
    ('"%' + str(SSIZE_MAX + 1) + 'd"', ', 1', None,
     Raises(ValueError, "width too big")),
    ('"%.' + str(SSIZE_MAX + 1) + 'd"', ', 1', None,
     Raises(ValueError, "precision too big")),
    ('"%' + str(SSIZE_MAX - 1) + 'd"', ', 1', None, Raises(MemoryError)),
]

CASE_FUNC = """
    HPyDef_METH(c%(i)d, "c%(i)d", HPyFunc_O)
    static HPy c%(i)d_impl(HPyContext *ctx, HPy self, HPy arg)
    {
        return HPyUnicode_FromFormat(ctx, %(fmt)s%(args)s);
    }
    @EXPORT(c%(i)d)
"""


@pytest.fixture
def cases(hpy_module):
    src = '#include <limits.h>\n' + ''.join(
        CASE_FUNC % {'i': i, 'fmt': fmt, 'args': args}
        for i, (fmt, args, _, _) in enumerate(CASES))
    return hpy_module(src + '\n@INIT\n')


def test_from_format(cases):
    for i, (fmt, args, arg, expected) in enumerate(CASES):
        f = getattr(cases, 'c%d' % i)
        what = fmt + args
        if isinstance(expected, Raises):
            with pytest.raises(expected.exc) as e:
                f(arg)
            if expected.message is not None:
                assert str(e.value) == expected.message, what
        else:
            assert f(arg) == expected, what


@pytest.fixture
def err(hpy_module):
    return hpy_module("""
        HPyDef_METH(raise_it, "raise_it", HPyFunc_O)
        static HPy raise_it_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPyErr_Format(ctx, ctx->h_ValueError,
                                 "bad value %R (code %d)", arg, 42);
        }

        HPyDef_METH(returns_null, "returns_null", HPyFunc_NOARGS)
        static HPy returns_null_impl(HPyContext *ctx, HPy self)
        {
            HPy r = HPyErr_Format(ctx, ctx->h_KeyError, "k");
            if (!HPy_IsNull(r))
                return r;
            if (!HPyErr_ExceptionMatches(ctx, ctx->h_KeyError))
                return HPy_NULL;
            HPyErr_Clear(ctx);
            return HPy_Dup(ctx, ctx->h_True);
        }

        /* a broken format reports its own error, not the requested one */
        HPyDef_METH(broken, "broken", HPyFunc_NOARGS)
        static HPy broken_impl(HPyContext *ctx, HPy self)
        {
            return HPyErr_Format(ctx, ctx->h_ValueError, "oops %y", 1);
        }

        @EXPORT(raise_it)
        @EXPORT(returns_null)
        @EXPORT(broken)
        @INIT
    """)


def test_err_format(err):
    with pytest.raises(ValueError) as e:
        err.raise_it("x\xe9")
    assert str(e.value) == "bad value 'x\xe9' (code 42)"
    assert err.returns_null() is True
    with pytest.raises(SystemError) as e:
        err.broken()
    assert str(e.value) == "invalid format string"
