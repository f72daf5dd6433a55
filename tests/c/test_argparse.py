"""HPyArg_Parse, HPyArg_ParseKeywords, HPyArg_ParseKeywordsDict.

The messages compared here are HPy 0.9's; extensions and their tests compare
them too. The unknown-keyword, repeated-argument and extra-positional checks
of the keyword parsers go beyond 0.9, which silently ignored those arguments.
"""
import sys

import pytest


# ---- one function per format unit ------------------------------------------

# unit -> (C type of the output, C expression turning `v` into a new handle)
UNITS = {
    'b': ('unsigned char', 'HPyLong_FromLong(ctx, v)'),
    'B': ('unsigned char', 'HPyLong_FromLong(ctx, v)'),
    'h': ('short', 'HPyLong_FromLong(ctx, v)'),
    'H': ('unsigned short', 'HPyLong_FromLong(ctx, v)'),
    'i': ('int', 'HPyLong_FromLong(ctx, v)'),
    'I': ('unsigned int', 'HPyLong_FromUnsignedLong(ctx, v)'),
    'l': ('long', 'HPyLong_FromLong(ctx, v)'),
    'k': ('unsigned long', 'HPyLong_FromUnsignedLong(ctx, v)'),
    'L': ('long long', 'HPyLong_FromLongLong(ctx, v)'),
    'K': ('unsigned long long', 'HPyLong_FromUnsignedLongLong(ctx, v)'),
    'n': ('HPy_ssize_t', 'HPyLong_FromSsize_t(ctx, v)'),
    'f': ('float', 'HPyFloat_FromDouble(ctx, v)'),
    'd': ('double', 'HPyFloat_FromDouble(ctx, v)'),
    'p': ('int', 'HPyLong_FromLong(ctx, v)'),
    's': ('const char *', 'HPyUnicode_FromString(ctx, v)'),
    'O': ('HPy', 'HPy_Dup(ctx, v)'),
}

UNIT_FUNC = """
    HPyDef_METH(u_%(u)s, "u_%(u)s", HPyFunc_VARARGS)
    static HPy u_%(u)s_impl(HPyContext *ctx, HPy self, const HPy *args,
                           size_t nargs)
    {
        %(t)s v;
        if (!HPyArg_Parse(ctx, NULL, args, nargs, "%(u)s", &v))
            return HPy_NULL;
        return %(conv)s;
    }
    @EXPORT(u_%(u)s)
"""


@pytest.fixture
def units(hpy_module):
    src = ''.join(UNIT_FUNC % {'u': u, 't': t, 'conv': conv}
                  for u, (t, conv) in UNITS.items())
    return hpy_module(src + '\n@INIT\n')


def test_b(units):
    assert units.u_b(0) == 0
    assert units.u_b(255) == 255
    with pytest.raises(OverflowError) as e:
        units.u_b(256)
    assert str(e.value) == "function unsigned byte integer is greater than maximum"
    with pytest.raises(OverflowError) as e:
        units.u_b(-1)
    assert str(e.value) == "function unsigned byte integer is less than minimum"


def test_B_wraps(units):
    assert units.u_B(255) == 255
    assert units.u_B(256) == 0
    assert units.u_B(-1) == 255
    assert units.u_B(2**70 + 3) == 3


def test_h(units):
    assert units.u_h(-2**15) == -2**15
    assert units.u_h(2**15 - 1) == 2**15 - 1
    with pytest.raises(OverflowError) as e:
        units.u_h(2**15)
    assert str(e.value) == "function signed short integer is greater than maximum"
    with pytest.raises(OverflowError) as e:
        units.u_h(-2**15 - 1)
    assert str(e.value) == "function signed short integer is less than minimum"


def test_H_wraps(units):
    assert units.u_H(2**16 - 1) == 2**16 - 1
    assert units.u_H(2**16) == 0
    assert units.u_H(-1) == 2**16 - 1


def test_i(units):
    assert units.u_i(-2**31) == -2**31
    assert units.u_i(2**31 - 1) == 2**31 - 1
    with pytest.raises(OverflowError) as e:
        units.u_i(2**31)
    assert str(e.value) == "function signed integer is greater than maximum"
    with pytest.raises(OverflowError) as e:
        units.u_i(-2**31 - 1)
    assert str(e.value) == "function signed integer is less than minimum"
    with pytest.raises(OverflowError):
        units.u_i(2**100)


def test_I_wraps(units):
    assert units.u_I(2**32 - 1) == 2**32 - 1
    assert units.u_I(2**32) == 0
    assert units.u_I(-1) == 2**32 - 1


def long_bits():
    import struct
    return 8 * struct.calcsize('l')


def test_l(units):
    bits = long_bits()
    assert units.u_l(-2**(bits - 1)) == -2**(bits - 1)
    assert units.u_l(2**(bits - 1) - 1) == 2**(bits - 1) - 1
    with pytest.raises(OverflowError):
        units.u_l(2**(bits - 1))


def test_k_wraps(units):
    bits = long_bits()
    assert units.u_k(2**bits - 1) == 2**bits - 1
    assert units.u_k(2**bits) == 0
    assert units.u_k(-1) == 2**bits - 1


def test_L(units):
    assert units.u_L(-2**63) == -2**63
    assert units.u_L(2**63 - 1) == 2**63 - 1
    with pytest.raises(OverflowError):
        units.u_L(2**63)


def test_K_wraps(units):
    assert units.u_K(2**64 - 1) == 2**64 - 1
    assert units.u_K(2**64 + 5) == 5
    assert units.u_K(-1) == 2**64 - 1


def test_n(units):
    assert units.u_n(sys.maxsize) == sys.maxsize
    assert units.u_n(-sys.maxsize - 1) == -sys.maxsize - 1
    with pytest.raises(OverflowError):
        units.u_n(sys.maxsize + 1)


def test_integer_units_refuse_non_integers(units):
    for u in 'bBhHiIlkLKn':
        with pytest.raises(TypeError):
            getattr(units, 'u_' + u)("3")
        with pytest.raises(TypeError):
            getattr(units, 'u_' + u)(1.5)


def test_f_and_d(units):
    assert units.u_d(0.1) == 0.1
    assert units.u_f(0.1) != 0.1                 # rounded to a C float
    assert abs(units.u_f(0.1) - 0.1) < 1e-7
    assert units.u_d(3) == 3.0                   # ints are accepted
    assert units.u_f(-2.5) == -2.5
    with pytest.raises(TypeError):
        units.u_d("1.0")
    with pytest.raises(TypeError):
        units.u_f(None)


def test_p(units):
    assert units.u_p(True) == 1
    assert units.u_p(False) == 0
    assert units.u_p([1]) == 1
    assert units.u_p("") == 0
    assert units.u_p(None) == 0

    class Bad:
        def __bool__(self):
            raise ZeroDivisionError("no truth")
    with pytest.raises(ZeroDivisionError):
        units.u_p(Bad())


def test_s(units):
    assert units.u_s("hello") == "hello"
    assert units.u_s("h\xe9llo \u20ac \U0001F600") == "h\xe9llo \u20ac \U0001F600"
    assert units.u_s("") == ""
    with pytest.raises(ValueError) as e:
        units.u_s("a\0b")
    assert str(e.value) == "function embedded null character"
    with pytest.raises(TypeError) as e:
        units.u_s(b"bytes")
    assert str(e.value) == "function a str is required"
    with pytest.raises(UnicodeError):
        units.u_s("\ud800")


def test_O(units):
    obj = object()
    assert units.u_O(obj) is obj


def test_O_borrows_in_positional_parse(units):
    # HPyArg_Parse hands out the caller's handle: no new reference.
    obj = object()
    before = sys.getrefcount(obj)
    for _ in range(100):
        units.u_O(obj)
    assert sys.getrefcount(obj) == before


# ---- structure of the format string -----------------------------------------

@pytest.fixture
def shapes(hpy_module):
    return hpy_module("""
        #define PARSE2(NAME, FMT)                                             \\
        HPyDef_METH(NAME, #NAME, HPyFunc_VARARGS)                             \\
        static HPy NAME##_impl(HPyContext *ctx, HPy self, const HPy *args,    \\
                               size_t nargs)                                  \\
        {                                                                     \\
            long a = -1, b = -1;                                              \\
            if (!HPyArg_Parse(ctx, NULL, args, nargs, FMT, &a, &b))           \\
                return HPy_NULL;                                              \\
            return HPyLong_FromLong(ctx, a * 1000 + b);                       \\
        }

        PARSE2(plain, "ll")
        PARSE2(named, "ll:my_func")
        PARSE2(custom, "ll;my own message")
        PARSE2(optional, "l|l")
        PARSE2(all_optional, "|ll")
        PARSE2(unknown_unit, "lZ:f")
        PARSE2(keyword_only_unit, "l$l:f")

        /* Every unit after '|' consumes its pointer even when absent. */
        HPyDef_METH(defaults, "defaults", HPyFunc_VARARGS)
        static HPy defaults_impl(HPyContext *ctx, HPy self, const HPy *args,
                                 size_t nargs)
        {
            unsigned char b = 1, B = 2; short h = 3; unsigned short H = 4;
            int i = 5; unsigned int I = 6; long l = 7; unsigned long k = 8;
            long long L = 9; unsigned long long K = 10; HPy_ssize_t n = 11;
            float f = 12.5f; double d = 13.5; int p = 14;
            const char *s = "fifteen"; HPy O = HPy_NULL;
            HPy items[16], res;
            int j;
            if (!HPyArg_Parse(ctx, NULL, args, nargs, "|bBhHiIlkLKnfdpsO",
                              &b, &B, &h, &H, &i, &I, &l, &k, &L, &K, &n,
                              &f, &d, &p, &s, &O))
                return HPy_NULL;
            items[0] = HPyLong_FromLong(ctx, b);
            items[1] = HPyLong_FromLong(ctx, B);
            items[2] = HPyLong_FromLong(ctx, h);
            items[3] = HPyLong_FromLong(ctx, H);
            items[4] = HPyLong_FromLong(ctx, i);
            items[5] = HPyLong_FromLong(ctx, (long)I);
            items[6] = HPyLong_FromLong(ctx, l);
            items[7] = HPyLong_FromLong(ctx, (long)k);
            items[8] = HPyLong_FromLong(ctx, (long)L);
            items[9] = HPyLong_FromLong(ctx, (long)K);
            items[10] = HPyLong_FromLong(ctx, (long)n);
            items[11] = HPyFloat_FromDouble(ctx, f);
            items[12] = HPyFloat_FromDouble(ctx, d);
            items[13] = HPyLong_FromLong(ctx, p);
            items[14] = HPyUnicode_FromString(ctx, s);
            items[15] = HPy_Dup(ctx, HPy_IsNull(O) ? ctx->h_None : O);
            res = HPyTuple_FromArray(ctx, items, 16);
            for (j = 0; j < 16; j++)
                HPy_Close(ctx, items[j]);
            return res;
        }

        /* A tracker passed to HPyArg_Parse is created, and closed on
           failure; on success the caller closes it. */
        HPyDef_METH(tracked, "tracked", HPyFunc_VARARGS)
        static HPy tracked_impl(HPyContext *ctx, HPy self, const HPy *args,
                                size_t nargs)
        {
            HPy a, b = HPy_NULL, res;
            HPyTracker ht;
            if (!HPyArg_Parse(ctx, &ht, args, nargs, "O|O", &a, &b))
                return HPy_NULL;
            res = HPy_IsNull(b) ? HPy_Dup(ctx, a) : HPy_Add(ctx, a, b);
            HPyTracker_Close(ctx, ht);
            return res;
        }

        @EXPORT(plain)
        @EXPORT(named)
        @EXPORT(custom)
        @EXPORT(optional)
        @EXPORT(all_optional)
        @EXPORT(unknown_unit)
        @EXPORT(keyword_only_unit)
        @EXPORT(defaults)
        @EXPORT(tracked)
        @INIT
    """)


def test_positional_counts(shapes):
    assert shapes.plain(1, 2) == 1002
    with pytest.raises(TypeError) as e:
        shapes.plain(1)
    assert str(e.value) == "function required positional argument missing"
    with pytest.raises(TypeError) as e:
        shapes.plain(1, 2, 3)
    assert str(e.value) == "function mismatched args (too many arguments for fmt)"
    with pytest.raises(TypeError) as e:
        shapes.plain()
    assert str(e.value) == "function required positional argument missing"


def test_function_name_and_custom_message(shapes):
    with pytest.raises(TypeError) as e:
        shapes.named(1)
    assert str(e.value) == "my_func() required positional argument missing"
    with pytest.raises(TypeError) as e:
        shapes.named(1, 2, 3)
    assert str(e.value) == "my_func() mismatched args (too many arguments for fmt)"
    with pytest.raises(TypeError) as e:
        shapes.custom(1)
    assert str(e.value) == "my own message"
    # conversion errors name the function too
    with pytest.raises(OverflowError):
        shapes.named(1, 2**100)


def test_optional(shapes):
    assert shapes.optional(1) == 1000 - 1
    assert shapes.optional(1, 2) == 1002
    assert shapes.all_optional() == -1000 - 1
    assert shapes.all_optional(3) == 3000 - 1
    with pytest.raises(TypeError) as e:
        shapes.optional()
    assert str(e.value) == "function required positional argument missing"


def test_unknown_unit(shapes):
    with pytest.raises(SystemError) as e:
        shapes.unknown_unit(1, 2)
    assert str(e.value) == "f() unknown arg format code"


def test_dollar_is_for_keyword_parsing_only(shapes):
    with pytest.raises(SystemError) as e:
        shapes.keyword_only_unit(1, 2)
    assert str(e.value) == "f() unknown arg format code"


def test_absent_optionals_keep_their_defaults(shapes):
    defaults = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.5, 13.5, 14,
                "fifteen", None)
    assert shapes.defaults() == defaults
    obj = object()
    got = shapes.defaults(200, 201, -3, 4, 5, 6, 7, 8, 9, 10, 11, 0.25, 0.5,
                          0, "x", obj)
    assert got == (200, 201, -3, 4, 5, 6, 7, 8, 9, 10, 11, 0.25, 0.5, 0,
                   "x", obj)
    assert shapes.defaults(100, 101, 102) == (100, 101, 102) + defaults[3:]


def test_tracker_with_positional_parse(shapes):
    obj = [1]
    before = sys.getrefcount(obj)
    for _ in range(50):
        assert shapes.tracked(obj, [2]) == [1, 2]
        assert shapes.tracked(obj) is obj
        with pytest.raises(TypeError):
            shapes.tracked(obj, [2], 3)
    assert sys.getrefcount(obj) == before


# ---- what a unit writes, and its messages in named and custom formats --------

STORE_FUNC = """
    HPyDef_METH(w_%(u)s, "w_%(u)s", HPyFunc_VARARGS)
    static HPy w_%(u)s_impl(HPyContext *ctx, HPy self, const HPy *args,
                           size_t nargs)
    {
        /* the output inside guard bytes: the unit may write its own only */
        union { double align; unsigned char bytes[32]; } buf;
        memset(buf.bytes, 0xA5, sizeof(buf.bytes));
        if (!HPyArg_Parse(ctx, NULL, args, nargs, "%(u)s",
                          (%(t)s *)(buf.bytes + 8)))
            return HPy_NULL;
        return HPyBytes_FromStringAndSize(ctx, (const char *)buf.bytes,
                                          sizeof(buf.bytes));
    }
    @EXPORT(w_%(u)s)
"""

NUMERIC_UNITS = 'bBhHiIlkLKnfdp'


@pytest.fixture
def stores(hpy_module):
    src = ''.join(STORE_FUNC % {'u': u, 't': UNITS[u][0]} for u in NUMERIC_UNITS)
    return hpy_module('#include <string.h>\n' + src + """
        HPyDef_METH(sizes, "sizes", HPyFunc_NOARGS)
        static HPy sizes_impl(HPyContext *ctx, HPy self)
        {
            static const char sizes[] = {
                sizeof(unsigned char), sizeof(unsigned char), sizeof(short),
                sizeof(unsigned short), sizeof(int), sizeof(unsigned int),
                sizeof(long), sizeof(unsigned long), sizeof(long long),
                sizeof(unsigned long long), sizeof(HPy_ssize_t),
                sizeof(float), sizeof(double), sizeof(int) };
            return HPyBytes_FromStringAndSize(ctx, sizes, sizeof(sizes));
        }
        @EXPORT(sizes)

        #define PARSE1(NAME, FMT, T)                                          \\
        HPyDef_METH(NAME, #NAME, HPyFunc_VARARGS)                             \\
        static HPy NAME##_impl(HPyContext *ctx, HPy self, const HPy *args,    \\
                               size_t nargs)                                  \\
        {                                                                     \\
            T v;                                                              \\
            if (!HPyArg_Parse(ctx, NULL, args, nargs, FMT, &v))               \\
                return HPy_NULL;                                              \\
            return HPyLong_FromLong(ctx, (long)v);                            \\
        }
        PARSE1(b_named, "b:byte_func", unsigned char)
        PARSE1(h_named, "h:short_func", short)
        PARSE1(i_custom, "i;no such int", int)
        PARSE1(long_name, "l:%s", long)
        @EXPORT(b_named)
        @EXPORT(h_named)
        @EXPORT(i_custom)
        @EXPORT(long_name)
        @INIT
    """ % ('x' * 300))


def test_units_write_their_own_bytes_only(stores):
    import struct
    sizes = stores.sizes()
    value = {'f': 2.5, 'd': 2.5, 'p': True}
    for u, size in zip(NUMERIC_UNITS, sizes):
        got = getattr(stores, 'w_' + u)(value.get(u, 7))
        assert got[:8] == b'\xa5' * 8, u
        assert got[8 + size:] == b'\xa5' * (24 - size), u
        inside = got[8:8 + size]
        if u in 'fd':
            assert struct.unpack('=' + u, inside) == (2.5,)
        else:
            assert int.from_bytes(inside, sys.byteorder) == (1 if u == 'p' else 7), u


def test_range_messages_name_the_function(stores):
    with pytest.raises(OverflowError) as e:
        stores.b_named(256)
    assert str(e.value) == "byte_func() unsigned byte integer is greater than maximum"
    with pytest.raises(OverflowError) as e:
        stores.h_named(-2**15 - 1)
    assert str(e.value) == "short_func() signed short integer is less than minimum"
    with pytest.raises(OverflowError) as e:
        stores.i_custom(2**31)
    assert str(e.value) == "no such int"
    assert stores.b_named(255) == 255


def test_long_function_names_are_cut_at_200_bytes(stores):
    # as HPy 0.9's "%.200s() %.256s"
    with pytest.raises(TypeError) as e:
        stores.long_name()
    assert str(e.value) == 'x' * 200 + "() required positional argument missing"


# ---- keywords: vectorcall style ---------------------------------------------

@pytest.fixture
def kw(hpy_module):
    return hpy_module("""
        static HPy triple(HPyContext *ctx, long a, long b, long c)
        {
            HPy ha = HPyLong_FromLong(ctx, a), hb = HPyLong_FromLong(ctx, b),
                hc = HPyLong_FromLong(ctx, c);
            HPy res = HPyTuple_Pack(ctx, 3, ha, hb, hc);
            HPy_Close(ctx, ha);
            HPy_Close(ctx, hb);
            HPy_Close(ctx, hc);
            return res;
        }

        #define KW3(NAME, FMT, ...)                                           \\
        HPyDef_METH(NAME, #NAME, HPyFunc_KEYWORDS)                            \\
        static HPy NAME##_impl(HPyContext *ctx, HPy self, const HPy *args,    \\
                               size_t nargs, HPy kwnames)                     \\
        {                                                                     \\
            static const char *kwlist[] = { __VA_ARGS__ };                    \\
            long a = -1, b = -2, c = -3;                                      \\
            if (!HPyArg_ParseKeywords(ctx, NULL, args, nargs, kwnames, FMT,   \\
                                      kwlist, &a, &b, &c))                    \\
                return HPy_NULL;                                              \\
            return triple(ctx, a, b, c);                                      \\
        }

        KW3(std, "l|l$l:std", "a", "b", "c", NULL)
        KW3(unnamed, "l|ll", "a", "b", "c", NULL)
        KW3(posonly, "l|ll:posonly", "", "b", "c", NULL)
        KW3(too_few_keywords, "lll:f", "a", "b", NULL)
        KW3(too_many_keywords, "l:f", "a", "b", NULL)
        KW3(empty_keyword, "lll", "a", "", "c", NULL)
        KW3(custom, "lll;bad call", "a", "b", "c", NULL)

        /* 'O' outputs are new handles owned by the tracker. */
        HPyDef_METH(objs, "objs", HPyFunc_KEYWORDS)
        static HPy objs_impl(HPyContext *ctx, HPy self, const HPy *args,
                             size_t nargs, HPy kwnames)
        {
            static const char *kwlist[] = { "a", "b", "n", NULL };
            HPy a, b = HPy_NULL, res;
            long n = 0;
            HPyTracker ht;
            if (!HPyArg_ParseKeywords(ctx, &ht, args, nargs, kwnames, "O|Ol",
                                      kwlist, &a, &b, &n))
                return HPy_NULL;
            res = HPy_IsNull(b) ? HPy_Dup(ctx, a) : HPy_Add(ctx, a, b);
            HPyTracker_Close(ctx, ht);
            return res;
        }

        /* So they may be taken over: forget them, close them by hand. */
        HPyDef_METH(take_over, "take_over", HPyFunc_KEYWORDS)
        static HPy take_over_impl(HPyContext *ctx, HPy self, const HPy *args,
                                  size_t nargs, HPy kwnames)
        {
            static const char *kwlist[] = { "a", "b", NULL };
            HPy a, b, res;
            HPyTracker ht;
            if (!HPyArg_ParseKeywords(ctx, &ht, args, nargs, kwnames, "OO",
                                      kwlist, &a, &b))
                return HPy_NULL;
            HPyTracker_ForgetAll(ctx, ht);
            HPyTracker_Close(ctx, ht);
            res = HPy_Add(ctx, a, b);
            HPy_Close(ctx, a);
            HPy_Close(ctx, b);
            return res;
        }

        HPyDef_METH(no_tracker, "no_tracker", HPyFunc_KEYWORDS)
        static HPy no_tracker_impl(HPyContext *ctx, HPy self, const HPy *args,
                                   size_t nargs, HPy kwnames)
        {
            static const char *kwlist[] = { "a", NULL };
            HPy a;
            if (!HPyArg_ParseKeywords(ctx, NULL, args, nargs, kwnames, "|O",
                                      kwlist, &a))
                return HPy_NULL;
            return HPy_Dup(ctx, ctx->h_None);
        }

        /* 's' and 'p' may be absent too. */
        HPyDef_METH(sp, "sp", HPyFunc_KEYWORDS)
        static HPy sp_impl(HPyContext *ctx, HPy self, const HPy *args,
                           size_t nargs, HPy kwnames)
        {
            static const char *kwlist[] = { "s", "p", NULL };
            const char *s = "default";
            int p = 7;
            HPy hs, hp, res;
            if (!HPyArg_ParseKeywords(ctx, NULL, args, nargs, kwnames, "|sp",
                                      kwlist, &s, &p))
                return HPy_NULL;
            hs = HPyUnicode_FromString(ctx, s);
            hp = HPyLong_FromLong(ctx, p);
            res = HPyTuple_Pack(ctx, 2, hs, hp);
            HPy_Close(ctx, hs);
            HPy_Close(ctx, hp);
            return res;
        }

        @EXPORT(std)
        @EXPORT(unnamed)
        @EXPORT(posonly)
        @EXPORT(too_few_keywords)
        @EXPORT(too_many_keywords)
        @EXPORT(empty_keyword)
        @EXPORT(custom)
        @EXPORT(objs)
        @EXPORT(take_over)
        @EXPORT(no_tracker)
        @EXPORT(sp)
        @INIT
    """)


def test_keywords(kw):
    assert kw.std(1) == (1, -2, -3)
    assert kw.std(1, 2) == (1, 2, -3)
    assert kw.std(a=1) == (1, -2, -3)
    assert kw.std(1, b=2) == (1, 2, -3)
    assert kw.std(c=3, b=2, a=1) == (1, 2, 3)
    assert kw.std(1, 2, c=3) == (1, 2, 3)


def test_missing_required(kw):
    with pytest.raises(TypeError) as e:
        kw.std()
    assert str(e.value) == "std() no value for required argument"
    with pytest.raises(TypeError) as e:
        kw.std(b=2)
    assert str(e.value) == "std() no value for required argument"


def test_keyword_only(kw):
    with pytest.raises(TypeError) as e:
        kw.std(1, 2, 3)
    assert str(e.value) == (
        "std() keyword only argument passed as positional argument")


def test_too_many_positional(kw):
    with pytest.raises(TypeError) as e:
        kw.unnamed(1, 2, 3, 4)
    assert str(e.value) == (
        "function mismatched args (too many arguments for fmt)")


def test_unknown_keyword(kw):
    with pytest.raises(TypeError) as e:
        kw.std(1, d=4)
    assert str(e.value) == "std() got an unexpected keyword argument 'd'"
    with pytest.raises(TypeError) as e:
        kw.unnamed(1, b=2, zz=3)
    assert str(e.value) == "function got an unexpected keyword argument 'zz'"


def test_positional_and_keyword_for_the_same_argument(kw):
    with pytest.raises(TypeError) as e:
        kw.std(1, a=1)
    assert str(e.value) == "std() got multiple values for argument 'a'"
    with pytest.raises(TypeError) as e:
        kw.std(1, 2, b=2)
    assert str(e.value) == "std() got multiple values for argument 'b'"


def test_positional_only(kw):
    assert kw.posonly(1, c=3) == (1, -2, 3)
    assert kw.posonly(1, 2, 3) == (1, 2, 3)
    with pytest.raises(TypeError) as e:
        kw.posonly(b=2)
    assert str(e.value) == "posonly() no value for required argument"
    with pytest.raises(TypeError) as e:
        kw.posonly(1, a=1)
    assert str(e.value) == "posonly() got an unexpected keyword argument 'a'"


def test_keyword_list_must_match_the_format(kw):
    with pytest.raises(TypeError) as e:
        kw.too_few_keywords(1, 2, 3)
    assert str(e.value) == "f() mismatched args (too few keywords for fmt)"
    with pytest.raises(TypeError) as e:
        kw.too_many_keywords(1)
    assert str(e.value) == "f() mismatched args (too many keywords for fmt)"
    with pytest.raises(SystemError) as e:
        kw.empty_keyword(1, 2, 3)
    assert str(e.value) == "function empty keyword parameter name"


def test_custom_message(kw):
    with pytest.raises(TypeError) as e:
        kw.custom(1)
    assert str(e.value) == "bad call"
    with pytest.raises(TypeError) as e:
        kw.custom(1, 2, 3, x=4)
    assert str(e.value) == "bad call"


def test_conversion_errors_with_keywords(kw):
    with pytest.raises(TypeError):
        kw.std(1, b="x")
    with pytest.raises(OverflowError):
        kw.std(1, c=2**100)


def test_O_needs_a_tracker(kw):
    with pytest.raises(SystemError) as e:
        kw.no_tracker()
    assert str(e.value) == (
        "function HPyArg_ParseKeywords cannot use the format character 'O' "
        "unless an HPyTracker is provided. Please supply an HPyTracker.")


def test_tracker_owns_O_outputs(kw):
    x, y = [1], [2]
    bx, by = sys.getrefcount(x), sys.getrefcount(y)
    for _ in range(50):
        assert kw.objs(x) is x
        assert kw.objs(x, y) == [1, 2]
        assert kw.objs(b=y, a=x) == [1, 2]
        # parsing fails after 'a' and 'b' got their handles
        with pytest.raises(TypeError):
            kw.objs(x, y, "not a number")
        with pytest.raises(TypeError):
            kw.objs(x, b=y, bad=1)
        assert kw.take_over(x, b=y) == [1, 2]
    assert sys.getrefcount(x) == bx
    assert sys.getrefcount(y) == by


def test_absent_s_and_p(kw):
    assert kw.sp() == ("default", 7)
    assert kw.sp("x") == ("x", 7)
    assert kw.sp(p=[]) == ("default", 0)
    assert kw.sp(p=1, s="\u20ac") == ("\u20ac", 1)


# ---- keywords: dict style ----------------------------------------------------

@pytest.fixture
def kwdict(hpy_module):
    return hpy_module("""
        /* d(args_tuple, kw_dict_or_None) calls HPyArg_ParseKeywordsDict */
        HPyDef_METH(d, "d", HPyFunc_VARARGS)
        static HPy d_impl(HPyContext *ctx, HPy self, const HPy *args,
                          size_t nargs)
        {
            static const char *kwlist[] = { "a", "b", "c", "s", NULL };
            HPy items[8], a, b = HPy_NULL, kw, res = HPy_NULL;
            HPy hc, hs;
            HPy_ssize_t n, i;
            long c = -3;
            const char *s = "none";
            HPyTracker ht;
            int ok;
            if (nargs != 2) {
                HPyErr_SetString(ctx, ctx->h_TypeError, "want 2 args");
                return HPy_NULL;
            }
            n = HPy_Length(ctx, args[0]);
            if (n < 0 || n > 8) {
                HPyErr_SetString(ctx, ctx->h_ValueError, "bad tuple");
                return HPy_NULL;
            }
            for (i = 0; i < n; i++)
                items[i] = HPy_GetItem_i(ctx, args[0], i);
            kw = HPy_Is(ctx, args[1], ctx->h_None) ? HPy_NULL : args[1];
            ok = HPyArg_ParseKeywordsDict(ctx, &ht, items, n, kw,
                                          "O|O$ls:d", kwlist, &a, &b, &c, &s);
            for (i = 0; i < n; i++)
                HPy_Close(ctx, items[i]);
            if (!ok)
                return HPy_NULL;
            hc = HPyLong_FromLong(ctx, c);
            hs = HPyUnicode_FromString(ctx, s);
            res = HPyTuple_Pack(ctx, 4, a, HPy_IsNull(b) ? ctx->h_None : b,
                                hc, hs);
            HPy_Close(ctx, hc);
            HPy_Close(ctx, hs);
            HPyTracker_Close(ctx, ht);
            return res;
        }
        @EXPORT(d)
        @INIT
    """)


def test_dict_keywords(kwdict):
    d = kwdict.d
    assert d((1,), None) == (1, None, -3, "none")
    assert d((1,), {}) == (1, None, -3, "none")
    assert d((1, 2), {}) == (1, 2, -3, "none")
    assert d((), {'a': 1}) == (1, None, -3, "none")
    assert d((1,), {'c': 3, 'b': 2, 's': "\xe9t\xe9"}) == (1, 2, 3, "\xe9t\xe9")


def test_dict_keyword_errors(kwdict):
    d = kwdict.d
    with pytest.raises(TypeError) as e:
        d((), {})
    assert str(e.value) == "d() no value for required argument"
    with pytest.raises(TypeError) as e:
        d((1,), {'x': 1})
    assert str(e.value) == "d() got an unexpected keyword argument 'x'"
    with pytest.raises(TypeError) as e:
        d((1,), {'a': 1})
    assert str(e.value) == "d() got multiple values for argument 'a'"
    with pytest.raises(TypeError) as e:
        d((1, 2, 3), {})
    assert str(e.value) == (
        "d() keyword only argument passed as positional argument")
    with pytest.raises(TypeError) as e:
        d((1,), {'c': "three"})


def test_dict_keywords_hold_no_stray_references(kwdict):
    x, y, text = [1], [2], "some text \u20ac"
    kw = {'b': y, 's': text}
    refs = [sys.getrefcount(o) for o in (x, y, text, kw)]
    for _ in range(50):
        assert kwdict.d((x,), kw) == (x, y, -3, text)
        with pytest.raises(TypeError):
            kwdict.d((x,), dict(kw, c="x"))
        with pytest.raises(TypeError):
            kwdict.d((x,), dict(kw, zzz=1))
    assert [sys.getrefcount(o) for o in (x, y, text, kw)] == refs
