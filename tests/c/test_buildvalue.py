"""HPy_BuildValue."""
import struct
import sys

import pytest

LONG_BITS = 8 * struct.calcsize('l')


def cases_module(hpy_module, cases):
    """A module whose f(i) returns the value of C expression cases[i]."""
    body = '\n'.join('        case %d: return %s;' % (i, expr)
                     for i, expr in enumerate(cases))
    return hpy_module("""
        #include <limits.h>
        HPyDef_METH(f, "f", HPyFunc_O)
        static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            switch (HPyLong_AsLong(ctx, arg)) {
    %s
            }
            if (!HPyErr_Occurred(ctx))
                HPyErr_SetString(ctx, ctx->h_IndexError, "no such case");
            return HPy_NULL;
        }
        @EXPORT(f)
        @INIT
    """ % body)


VALUES = [
    ('HPy_BuildValue(ctx, "")', None),
    ('HPy_BuildValue(ctx, "  ")', None),
    ('HPy_BuildValue(ctx, "i", -7)', -7),
    ('HPy_BuildValue(ctx, "I", 4000000000u)', 4000000000),
    ('HPy_BuildValue(ctx, "l", -123456789L)', -123456789),
    ('HPy_BuildValue(ctx, "k", 42ul)', 42),
    ('HPy_BuildValue(ctx, "L", -9000000000000LL)', -9000000000000),
    ('HPy_BuildValue(ctx, "K", 18000000000000000000ull)', 18000000000000000000),
    ('HPy_BuildValue(ctx, "n", (HPy_ssize_t)-5)', -5),
    ('HPy_BuildValue(ctx, "f", 1.5f)', 1.5),
    ('HPy_BuildValue(ctx, "d", -0.125)', -0.125),
    ('HPy_BuildValue(ctx, "s", "caf\\xc3\\xa9")', 'caf\xe9'),
    ('HPy_BuildValue(ctx, "s", (const char *)NULL)', None),
    ('HPy_BuildValue(ctx, "ii", 1, 2)', (1, 2)),
    ('HPy_BuildValue(ctx, "i, s", 1, "x")', (1, 'x')),
    ('HPy_BuildValue(ctx, "()")', ()),
    ('HPy_BuildValue(ctx, "(i)", 1)', (1,)),
    ('HPy_BuildValue(ctx, "(i, d)", 1, 2.5)', (1, 2.5)),
    ('HPy_BuildValue(ctx, "[]")', []),
    ('HPy_BuildValue(ctx, "[i]", 1)', [1]),
    ('HPy_BuildValue(ctx, "[i,i , i]", 1, 2, 3)', [1, 2, 3]),
    ('HPy_BuildValue(ctx, "{}")', {}),
    ('HPy_BuildValue(ctx, "{s:i}", "a", 1)', {'a': 1}),
    ('HPy_BuildValue(ctx, "{s : i, i:s,}", "a", 1, 2, "b")', {'a': 1, 2: 'b'}),
    ('HPy_BuildValue(ctx, "{(ii):[s]}", 1, 2, "v")', {(1, 2): ['v']}),
    ('HPy_BuildValue(ctx, "[(i(s)){s:[]}()]", 1, "two", "three")',
     [(1, ('two',)), {'three': []}, ()]),
    ('HPy_BuildValue(ctx, "(ii)(ii)", 1, 2, 3, 4)', ((1, 2), (3, 4))),
    ('HPy_BuildValue(ctx, "(ii)", INT_MIN, INT_MAX)', (-2**31, 2**31 - 1)),
    ('HPy_BuildValue(ctx, "(ll)", LONG_MIN, LONG_MAX)',
     (-2**(LONG_BITS - 1), 2**(LONG_BITS - 1) - 1)),
    ('HPy_BuildValue(ctx, "(LL)", LLONG_MIN, LLONG_MAX)', (-2**63, 2**63 - 1)),
    ('HPy_BuildValue(ctx, "(IkK)", UINT_MAX, ULONG_MAX, ULLONG_MAX)',
     (2**32 - 1, 2**LONG_BITS - 1, 2**64 - 1)),
    ('HPy_BuildValue(ctx, "(nn)", HPY_SSIZE_T_MIN, HPY_SSIZE_T_MAX)',
     (-sys.maxsize - 1, sys.maxsize)),
]


def test_values(hpy_module):
    mod = cases_module(hpy_module, [c for c, _ in VALUES])
    for i, (code, expected) in enumerate(VALUES):
        got = mod.f(i)
        assert got == expected, code
        assert type(got) is type(expected), code


ERRORS = [
    ('HPy_BuildValue(ctx, "(q)", 1)',
     "bad format char 'q' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "i:i", 1, 2)',
     "bad format char ':' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "(i", 1)',
     "unmatched '(' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "[i", 1)',
     "unmatched '[' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "{s:i", "a", 1)',
     "unmatched '{' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "([(i)i", 1, 2)',
     "unmatched '(' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "(i]", 1)',
     "unmatched '(' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "[i)", 1)',
     "unmatched '[' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "{i:i)", 1, 2)',
     "unmatched '{' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "i)", 1)',
     "unmatched ')' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "{s:i,,}", "a", 1)',
     "unexpected ',' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "{,}")',
     "unexpected ',' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "{s:i s:i}", "a", 1, "b", 2)',
     "missing ',' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "{i}", 1)',
     "missing ':' in the format string passed to HPy_BuildValue"),
    ('HPy_BuildValue(ctx, "N", ctx->h_None)',
     "HPy_BuildValue does not support the 'N' formatting unit."),
    ('HPy_BuildValue(ctx, "(iN)", 1, ctx->h_None)',
     "HPy_BuildValue does not support the 'N' formatting unit."),
]


def test_bad_formats(hpy_module):
    mod = cases_module(hpy_module, [c for c, _ in ERRORS])
    for i, (code, message) in enumerate(ERRORS):
        with pytest.raises(SystemError) as e:
            mod.f(i)
        assert message in str(e.value), code


def test_unhashable_key(hpy_module):
    mod = cases_module(hpy_module, ['HPy_BuildValue(ctx, "{[]:i}", 1)'])
    with pytest.raises(TypeError):
        mod.f(0)


@pytest.fixture
def objects(hpy_module):
    return hpy_module("""
        HPyDef_METH(o, "o", HPyFunc_O)
        static HPy o_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_BuildValue(ctx, "O", arg);
        }

        HPyDef_METH(s, "s", HPyFunc_O)
        static HPy s_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_BuildValue(ctx, "S", arg);
        }

        HPyDef_METH(nested, "nested", HPyFunc_O)
        static HPy nested_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_BuildValue(ctx, "(O[O]{s:O})", arg, arg, "k", arg);
        }

        /* 'O' never takes the caller's handle: it still has to close it */
        HPyDef_METH(fresh, "fresh", HPyFunc_NOARGS)
        static HPy fresh_impl(HPyContext *ctx, HPy self)
        {
            HPy a = HPyLong_FromLong(ctx, 1), b = HPyLong_FromLong(ctx, 2);
            HPy res = HPy_BuildValue(ctx, "(OO)", a, b);
            HPy_Close(ctx, a);
            HPy_Close(ctx, b);
            return res;
        }

        /* A null handle stands for a failed call: keep its exception */
        HPyDef_METH(null, "null", HPyFunc_O)
        static HPy null_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            long which = HPyLong_AsLong(ctx, arg);
            if (which >= 2)
                HPyErr_SetString(ctx, ctx->h_KeyError, "earlier failure");
            if (which % 2 == 0)
                return HPy_BuildValue(ctx, "O", HPy_NULL);
            return HPy_BuildValue(ctx, "(i[O])", 1, HPy_NULL);
        }

        @EXPORT(o)
        @EXPORT(s)
        @EXPORT(nested)
        @EXPORT(fresh)
        @EXPORT(null)
        @INIT
    """)


def test_O_and_S(objects):
    obj = object()
    assert objects.o(obj) is obj
    assert objects.s(obj) is obj
    t = objects.nested(obj)
    assert t == (obj, [obj], {'k': obj})
    assert t[0] is obj and t[1][0] is obj and t[2]['k'] is obj
    assert objects.fresh() == (1, 2)


def test_O_reference_counts(objects):
    obj = object()
    before = sys.getrefcount(obj)
    for _ in range(100):
        objects.o(obj)
        objects.nested(obj)
    assert sys.getrefcount(obj) == before
    kept = [objects.o(obj) for _ in range(10)]
    assert sys.getrefcount(obj) == before + 10
    del kept


def test_O_null(objects):
    for which in (0, 1):
        with pytest.raises(SystemError) as e:
            objects.null(which)
        assert str(e.value) == "HPy_NULL object passed to HPy_BuildValue"
    for which in (2, 3):
        with pytest.raises(KeyError) as e:
            objects.null(which)
        assert e.value.args == ("earlier failure",)
