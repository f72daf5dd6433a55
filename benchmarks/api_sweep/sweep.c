/* The API sweep's module: one function per API operation. Each is called
   from Python as f(n, env) and runs a C loop of n iterations, each making
   the operation once with realistic arguments and closing what it made, so
   that the per-iteration cost is the operation's own. The doc string of
   each function names the API functions its loop calls (api_sweep.py counts
   them). `env` is a Python object made by api_sweep.py's driver: a function
   env.f, a method env.m, an attribute env.x, a slice env.sl.

   Built once as a universal module (ABI 0.0, so that HPy 0.9's runtime loads
   the same file) and once in the CPython ABI (the C API's own cost). @NAME@
   is replaced by the module name. */
#include <errno.h>
#include <hpy.h>
#include <stddef.h>
#include <wchar.h>

/* SWEEP(name, "API functions"): a module function name(n, env) whose
   body (the block after the macro) sees ctx, n and env. */
#define SWEEP(NAME, APIS)                                                    \
    static HPy NAME##_loop(HPyContext *ctx, long n, HPy env);                \
    HPyDef_METH(NAME, #NAME, HPyFunc_VARARGS, .doc = APIS)                   \
    static HPy NAME##_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs) \
    {                                                                        \
        (void)self;                                                          \
        long n;                                                              \
        if (!sweep_args(ctx, args, nargs, &n))                               \
            return HPy_NULL;                                                 \
        return NAME##_loop(ctx, n, args[1]);                                 \
    }                                                                        \
    static HPy NAME##_loop(HPyContext *ctx, long n, HPy env)

static int sweep_args(HPyContext *ctx, const HPy *args, size_t nargs, long *n)
{
    if (nargs != 2) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "a sweep function takes (n, env)");
        return 0;
    }
    *n = HPyLong_AsLong(ctx, args[0]);
    return !(*n == -1 && HPyErr_Occurred(ctx));
}

#define LOOP for (long i = 0; i < n; i++)
#define CHECK(h) do { if (HPy_IsNull(h)) return HPy_NULL; } while (0)
#define CHECK_NEG(r) do { if ((r) < 0) return HPy_NULL; } while (0)
#define CHECK_ERR(cond) do { if ((cond) && HPyErr_Occurred(ctx)) return HPy_NULL; } while (0)
/* make h, check it, close it */
#define MAKE_CLOSE(expr) do { HPy _h = (expr); CHECK(_h); HPy_Close(ctx, _h); } while (0)
#define DONE return HPy_Dup(ctx, ctx->h_None)

/* An operation on two handles made once, before the loop. */
#define BINARY(NAME, API, A, B)                                              \
    SWEEP(NAME, #API)                                                        \
    {                                                                        \
        (void)env;                                                           \
        HPy a = (A), b = (B);                                                \
        CHECK(a);                                                            \
        CHECK(b);                                                            \
        LOOP MAKE_CLOSE(API(ctx, a, b));                                     \
        HPy_Close(ctx, a);                                                   \
        HPy_Close(ctx, b);                                                   \
        DONE;                                                                \
    }

#define UNARY(NAME, API, A)                                                  \
    SWEEP(NAME, #API)                                                        \
    {                                                                        \
        (void)env;                                                           \
        HPy a = (A);                                                         \
        CHECK(a);                                                            \
        LOOP MAKE_CLOSE(API(ctx, a));                                        \
        HPy_Close(ctx, a);                                                   \
        DONE;                                                                \
    }

/* ------------------------------------------------------------ handles */

SWEEP(dup_close, "HPy_Dup HPy_Close")
{
    LOOP HPy_Close(ctx, HPy_Dup(ctx, env));
    DONE;
}

SWEEP(is, "HPy_Is")
{
    long k = 0;
    LOOP k += HPy_Is(ctx, env, ctx->h_None);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(typecheck, "HPy_TypeCheck")
{
    long k = 0;
    LOOP k += HPy_TypeCheck(ctx, env, ctx->h_LongType);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(type, "HPy_Type")
{
    LOOP MAKE_CLOSE(HPy_Type(ctx, env));
    DONE;
}

SWEEP(type_issubtype, "HPyType_IsSubtype")
{
    (void)env;
    long k = 0;
    LOOP k += HPyType_IsSubtype(ctx, ctx->h_BoolType, ctx->h_LongType);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(type_getname, "HPyType_GetName")
{
    (void)env;
    long k = 0;
    LOOP k += (long)HPyType_GetName(ctx, ctx->h_LongType)[0];
    return HPyLong_FromLong(ctx, k);
}

SWEEP(is_true, "HPy_IsTrue")
{
    long k = 0;
    LOOP {
        int r = HPy_IsTrue(ctx, env);
        CHECK_NEG(r);
        k += r;
    }
    return HPyLong_FromLong(ctx, k);
}

SWEEP(callable_check, "HPyCallable_Check")
{
    long k = 0;
    LOOP k += HPyCallable_Check(ctx, env);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(number_check, "HPyNumber_Check")
{
    (void)env;
    long k = 0;
    LOOP k += HPyNumber_Check(ctx, ctx->h_True);
    return HPyLong_FromLong(ctx, k);
}

/* -------------------------------------------------------------- longs */

SWEEP(long_fromlong, "HPyLong_FromLong HPyLong_FromInt64_t")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyLong_FromLong(ctx, 1000 + i));
    DONE;
}

SWEEP(long_fromint32, "HPyLong_FromInt32_t")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyLong_FromInt32_t(ctx, (int32_t)(1000 + i)));
    DONE;
}

SWEEP(long_fromuint32, "HPyLong_FromUInt32_t")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyLong_FromUInt32_t(ctx, (uint32_t)(1000 + i)));
    DONE;
}

SWEEP(long_fromuint64, "HPyLong_FromUInt64_t")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyLong_FromUInt64_t(ctx, (uint64_t)(1000 + i)));
    DONE;
}

SWEEP(long_fromssize, "HPyLong_FromSsize_t")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyLong_FromSsize_t(ctx, (HPy_ssize_t)(1000 + i)));
    DONE;
}

SWEEP(long_fromsize, "HPyLong_FromSize_t")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyLong_FromSize_t(ctx, (size_t)(1000 + i)));
    DONE;
}

/* HPyLong_As*(a 3-digit int): the sum, so that the calls are not dead */
#define LONG_AS(NAME, API, TYPE)                                             \
    SWEEP(NAME, #API)                                                        \
    {                                                                        \
        (void)env;                                                           \
        HPy h = HPyLong_FromLong(ctx, 12345);                                \
        CHECK(h);                                                            \
        TYPE total = 0;                                                      \
        LOOP {                                                               \
            TYPE v = API(ctx, h);                                            \
            CHECK_ERR(v == (TYPE)-1);                                        \
            total += v;                                                      \
        }                                                                    \
        HPy_Close(ctx, h);                                                   \
        return HPyLong_FromLong(ctx, (long)total);                           \
    }

LONG_AS(long_aslong, HPyLong_AsLong, long)
LONG_AS(long_asint32, HPyLong_AsInt32_t, int32_t)
LONG_AS(long_asuint32, HPyLong_AsUInt32_t, uint32_t)
LONG_AS(long_asuint32mask, HPyLong_AsUInt32_tMask, uint32_t)
LONG_AS(long_asint64, HPyLong_AsInt64_t, int64_t)
LONG_AS(long_asuint64, HPyLong_AsUInt64_t, uint64_t)
LONG_AS(long_asuint64mask, HPyLong_AsUInt64_tMask, uint64_t)
LONG_AS(long_asssize, HPyLong_AsSsize_t, HPy_ssize_t)
LONG_AS(long_assize, HPyLong_AsSize_t, size_t)
LONG_AS(long_asdouble, HPyLong_AsDouble, double)

SWEEP(long_asvoidptr, "HPyLong_AsVoidPtr")
{
    (void)env;
    HPy h = HPyLong_FromLong(ctx, 4096);
    CHECK(h);
    long total = 0;
    LOOP {
        void *p = HPyLong_AsVoidPtr(ctx, h);
        CHECK_ERR(p == NULL);
        total += (long)(intptr_t)p;
    }
    HPy_Close(ctx, h);
    return HPyLong_FromLong(ctx, total);
}

/* ------------------------------------------------------ floats, bools */

SWEEP(float_fromdouble, "HPyFloat_FromDouble")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyFloat_FromDouble(ctx, 0.5 + (double)i));
    DONE;
}

SWEEP(float_asdouble, "HPyFloat_AsDouble")
{
    (void)env;
    HPy h = HPyFloat_FromDouble(ctx, 2.5);
    CHECK(h);
    double total = 0;
    LOOP {
        double v = HPyFloat_AsDouble(ctx, h);
        CHECK_ERR(v == -1.0);
        total += v;
    }
    HPy_Close(ctx, h);
    return HPyFloat_FromDouble(ctx, total);
}

SWEEP(bool_frombool, "HPyBool_FromBool")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyBool_FromBool(ctx, (i & 1) != 0));
    DONE;
}

/* ----------------------------------------------------- number protocol */

#define INT(v) HPyLong_FromLong(ctx, (v))
#define FLT(v) HPyFloat_FromDouble(ctx, (v))

BINARY(num_add, HPy_Add, INT(1000), INT(2000))
BINARY(num_subtract, HPy_Subtract, INT(3000), INT(1000))
BINARY(num_multiply, HPy_Multiply, INT(300), INT(70))
BINARY(num_floordivide, HPy_FloorDivide, INT(30000), INT(7))
BINARY(num_truedivide, HPy_TrueDivide, FLT(1000.0), FLT(3.0))
BINARY(num_remainder, HPy_Remainder, INT(30001), INT(7))
BINARY(num_divmod, HPy_Divmod, INT(30001), INT(7))
BINARY(num_lshift, HPy_Lshift, INT(1000), INT(3))
BINARY(num_rshift, HPy_Rshift, INT(100000), INT(3))
BINARY(num_and, HPy_And, INT(0x7777), INT(0x1111))
BINARY(num_or, HPy_Or, INT(0x7000), INT(0x1111))
BINARY(num_xor, HPy_Xor, INT(0x7777), INT(0x1111))
BINARY(num_inplace_add, HPy_InPlaceAdd, INT(1000), INT(2000))
BINARY(num_inplace_multiply, HPy_InPlaceMultiply, FLT(1.5), FLT(2.5))
UNARY(num_negative, HPy_Negative, INT(1000))
UNARY(num_positive, HPy_Positive, FLT(1000.5))
UNARY(num_absolute, HPy_Absolute, INT(-1000))
UNARY(num_invert, HPy_Invert, INT(1000))
UNARY(num_index, HPy_Index, INT(1000))
UNARY(num_long, HPy_Long, FLT(1000.5))
UNARY(num_float, HPy_Float, INT(1000))

SWEEP(num_power, "HPy_Power")
{
    (void)env;
    HPy a = INT(3), b = INT(7);
    CHECK(a);
    CHECK(b);
    LOOP MAKE_CLOSE(HPy_Power(ctx, a, b, ctx->h_None));
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    DONE;
}

/* ------------------------------------------- compare, hash, repr, str */

SWEEP(richcompare, "HPy_RichCompare")
{
    (void)env;
    HPy a = INT(1000), b = INT(2000);
    CHECK(a);
    CHECK(b);
    LOOP MAKE_CLOSE(HPy_RichCompare(ctx, a, b, HPy_LT));
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    DONE;
}

SWEEP(richcomparebool, "HPy_RichCompareBool")
{
    (void)env;
    HPy a = INT(1000), b = INT(2000);
    CHECK(a);
    CHECK(b);
    long k = 0;
    LOOP {
        int r = HPy_RichCompareBool(ctx, a, b, HPy_LE);
        CHECK_NEG(r);
        k += r;
    }
    HPy_Close(ctx, a);
    HPy_Close(ctx, b);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(hash, "HPy_Hash")
{
    (void)env;
    HPy s = HPyUnicode_FromString(ctx, "a key");
    CHECK(s);
    HPy_hash_t total = 0;
    LOOP {
        HPy_hash_t v = HPy_Hash(ctx, s);
        CHECK_ERR(v == -1);
        total += v;
    }
    HPy_Close(ctx, s);
    return HPyLong_FromLong(ctx, (long)(total & 0xffff));
}

UNARY(repr, HPy_Repr, INT(123456))
UNARY(str, HPy_Str, INT(123456))
UNARY(ascii, HPy_ASCII, HPyUnicode_FromString(ctx, "abc"))

SWEEP(bytes, "HPy_Bytes")
{
    (void)env;
    HPy b = HPyBytes_FromString(ctx, "abc");
    CHECK(b);
    LOOP MAKE_CLOSE(HPy_Bytes(ctx, b));
    HPy_Close(ctx, b);
    DONE;
}

/* ------------------------------------------------------------ strings */

SWEEP(unicode_fromstring, "HPyUnicode_FromString")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyUnicode_FromString(ctx, "hello, world"));
    DONE;
}

SWEEP(unicode_asutf8andsize, "HPyUnicode_AsUTF8AndSize")
{
    (void)env;
    HPy s = HPyUnicode_FromString(ctx, "hello, world");
    CHECK(s);
    HPy_ssize_t total = 0;
    LOOP {
        HPy_ssize_t size;
        const char *p = HPyUnicode_AsUTF8AndSize(ctx, s, &size);
        if (p == NULL)
            return HPy_NULL;
        total += size + p[0];
    }
    HPy_Close(ctx, s);
    return HPyLong_FromSsize_t(ctx, total);
}

SWEEP(unicode_check, "HPyUnicode_Check")
{
    (void)env;
    HPy s = HPyUnicode_FromString(ctx, "x");
    CHECK(s);
    long k = 0;
    LOOP k += HPyUnicode_Check(ctx, s);
    HPy_Close(ctx, s);
    return HPyLong_FromLong(ctx, k);
}

UNARY(unicode_asutf8string, HPyUnicode_AsUTF8String, HPyUnicode_FromString(ctx, "hello, world"))
UNARY(unicode_asasciistring, HPyUnicode_AsASCIIString, HPyUnicode_FromString(ctx, "hello, world"))
UNARY(unicode_aslatin1string, HPyUnicode_AsLatin1String, HPyUnicode_FromString(ctx, "hello, world"))
UNARY(unicode_encodefsdefault, HPyUnicode_EncodeFSDefault, HPyUnicode_FromString(ctx, "/tmp/file"))

SWEEP(unicode_decodeascii, "HPyUnicode_DecodeASCII")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyUnicode_DecodeASCII(ctx, "hello, world", 12, "strict"));
    DONE;
}

SWEEP(unicode_decodelatin1, "HPyUnicode_DecodeLatin1")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyUnicode_DecodeLatin1(ctx, "hello, world", 12, "strict"));
    DONE;
}

SWEEP(unicode_decodefsdefault, "HPyUnicode_DecodeFSDefault")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyUnicode_DecodeFSDefault(ctx, "/tmp/file"));
    DONE;
}

SWEEP(unicode_decodefsdefaultandsize, "HPyUnicode_DecodeFSDefaultAndSize")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyUnicode_DecodeFSDefaultAndSize(ctx, "/tmp/file", 9));
    DONE;
}

SWEEP(unicode_fromwidechar, "HPyUnicode_FromWideChar")
{
    (void)env;
    static const wchar_t text[] = L"hello, world";
    LOOP MAKE_CLOSE(HPyUnicode_FromWideChar(ctx, text, 12));
    DONE;
}

SWEEP(unicode_fromencodedobject, "HPyUnicode_FromEncodedObject")
{
    (void)env;
    HPy b = HPyBytes_FromString(ctx, "hello, world");
    CHECK(b);
    LOOP MAKE_CLOSE(HPyUnicode_FromEncodedObject(ctx, b, "utf-8", "strict"));
    HPy_Close(ctx, b);
    DONE;
}

SWEEP(unicode_readchar, "HPyUnicode_ReadChar")
{
    (void)env;
    HPy s = HPyUnicode_FromString(ctx, "hello, world");
    CHECK(s);
    long total = 0;
    LOOP {
        HPy_UCS4 c = HPyUnicode_ReadChar(ctx, s, i % 12);
        CHECK_ERR(c == (HPy_UCS4)-1);
        total += (long)c;
    }
    HPy_Close(ctx, s);
    return HPyLong_FromLong(ctx, total);
}

SWEEP(unicode_substring, "HPyUnicode_Substring")
{
    (void)env;
    HPy s = HPyUnicode_FromString(ctx, "hello, world");
    CHECK(s);
    LOOP MAKE_CLOSE(HPyUnicode_Substring(ctx, s, 2, 9));
    HPy_Close(ctx, s);
    DONE;
}

/* -------------------------------------------------------------- bytes */

SWEEP(bytes_fromstring, "HPyBytes_FromString")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyBytes_FromString(ctx, "hello, world"));
    DONE;
}

SWEEP(bytes_fromstringandsize, "HPyBytes_FromStringAndSize")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyBytes_FromStringAndSize(ctx, "hello, world", 12));
    DONE;
}

SWEEP(bytes_read, "HPyBytes_Check HPyBytes_Size HPyBytes_AsString")
{
    (void)env;
    HPy b = HPyBytes_FromString(ctx, "hello, world");
    CHECK(b);
    long total = 0;
    LOOP {
        if (!HPyBytes_Check(ctx, b))
            return HPy_NULL;
        HPy_ssize_t size = HPyBytes_Size(ctx, b);
        const char *p = HPyBytes_AsString(ctx, b);
        if (size < 0 || p == NULL)
            return HPy_NULL;
        total += (long)size + p[0];
    }
    HPy_Close(ctx, b);
    return HPyLong_FromLong(ctx, total);
}

SWEEP(bytes_read_unchecked, "HPyBytes_GET_SIZE HPyBytes_AS_STRING")
{
    (void)env;
    HPy b = HPyBytes_FromString(ctx, "hello, world");
    CHECK(b);
    long total = 0;
    LOOP total += (long)HPyBytes_GET_SIZE(ctx, b) + HPyBytes_AS_STRING(ctx, b)[0];
    HPy_Close(ctx, b);
    return HPyLong_FromLong(ctx, total);
}

/* -------------------------------------------------------------- lists */

SWEEP(list_new_append, "HPyList_New HPyList_Append")
{
    (void)env;
    LOOP {
        HPy list = HPyList_New(ctx, 0);
        CHECK(list);
        for (int k = 0; k < 4; k++)
            CHECK_NEG(HPyList_Append(ctx, list, ctx->h_None));
        HPy_Close(ctx, list);
    }
    DONE;
}

SWEEP(list_check, "HPyList_Check")
{
    (void)env;
    HPy list = HPyList_New(ctx, 0);
    CHECK(list);
    long k = 0;
    LOOP k += HPyList_Check(ctx, list);
    HPy_Close(ctx, list);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(listbuilder, "HPyListBuilder_New HPyListBuilder_Set HPyListBuilder_Build")
{
    LOOP {
        HPyListBuilder b = HPyListBuilder_New(ctx, 3);
        HPyListBuilder_Set(ctx, b, 0, env);
        HPyListBuilder_Set(ctx, b, 1, ctx->h_None);
        HPyListBuilder_Set(ctx, b, 2, env);
        MAKE_CLOSE(HPyListBuilder_Build(ctx, b));
    }
    DONE;
}

SWEEP(listbuilder_cancel, "HPyListBuilder_New HPyListBuilder_Cancel")
{
    (void)env;
    LOOP HPyListBuilder_Cancel(ctx, HPyListBuilder_New(ctx, 3));
    DONE;
}

/* ------------------------------------------------------------- tuples */

SWEEP(tuple_fromarray, "HPyTuple_FromArray")
{
    HPy items[3] = { env, ctx->h_None, env };
    LOOP MAKE_CLOSE(HPyTuple_FromArray(ctx, items, 3));
    DONE;
}

SWEEP(tuple_pack, "HPyTuple_Pack")
{
    LOOP MAKE_CLOSE(HPyTuple_Pack(ctx, 3, env, ctx->h_None, env));
    DONE;
}

SWEEP(tuplebuilder, "HPyTupleBuilder_New HPyTupleBuilder_Set HPyTupleBuilder_Build")
{
    LOOP {
        HPyTupleBuilder b = HPyTupleBuilder_New(ctx, 3);
        HPyTupleBuilder_Set(ctx, b, 0, env);
        HPyTupleBuilder_Set(ctx, b, 1, ctx->h_None);
        HPyTupleBuilder_Set(ctx, b, 2, env);
        MAKE_CLOSE(HPyTupleBuilder_Build(ctx, b));
    }
    DONE;
}

SWEEP(tuplebuilder_cancel, "HPyTupleBuilder_New HPyTupleBuilder_Cancel")
{
    (void)env;
    LOOP HPyTupleBuilder_Cancel(ctx, HPyTupleBuilder_New(ctx, 3));
    DONE;
}

SWEEP(tuple_check, "HPyTuple_Check")
{
    HPy t = HPyTuple_FromArray(ctx, &env, 1);
    CHECK(t);
    long k = 0;
    LOOP k += HPyTuple_Check(ctx, t);
    HPy_Close(ctx, t);
    return HPyLong_FromLong(ctx, k);
}

/* -------------------------------------------------------------- dicts */

SWEEP(dict_new, "HPyDict_New")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyDict_New(ctx));
    DONE;
}

SWEEP(dict_check, "HPyDict_Check")
{
    (void)env;
    HPy d = HPyDict_New(ctx);
    CHECK(d);
    long k = 0;
    LOOP k += HPyDict_Check(ctx, d);
    HPy_Close(ctx, d);
    return HPyLong_FromLong(ctx, k);
}

/* a dict of three str keys */
static HPy small_dict(HPyContext *ctx)
{
    HPy d = HPyDict_New(ctx);
    if (HPy_IsNull(d))
        return d;
    if (HPy_SetItem_s(ctx, d, "alpha", ctx->h_True) < 0 ||
        HPy_SetItem_s(ctx, d, "beta", ctx->h_False) < 0 ||
        HPy_SetItem_s(ctx, d, "gamma", ctx->h_None) < 0) {
        HPy_Close(ctx, d);
        return HPy_NULL;
    }
    return d;
}

UNARY(dict_keys, HPyDict_Keys, small_dict(ctx))
UNARY(dict_copy, HPyDict_Copy, small_dict(ctx))

/* ------------------------------------------------- items and lengths */

SWEEP(getitem, "HPy_GetItem")
{
    (void)env;
    HPy d = small_dict(ctx), key = HPyUnicode_FromString(ctx, "beta");
    CHECK(d);
    CHECK(key);
    LOOP MAKE_CLOSE(HPy_GetItem(ctx, d, key));
    HPy_Close(ctx, key);
    HPy_Close(ctx, d);
    DONE;
}

SWEEP(getitem_s, "HPy_GetItem_s")
{
    (void)env;
    HPy d = small_dict(ctx);
    CHECK(d);
    LOOP MAKE_CLOSE(HPy_GetItem_s(ctx, d, "beta"));
    HPy_Close(ctx, d);
    DONE;
}

SWEEP(getitem_i, "HPy_GetItem_i")
{
    HPy t = HPyTuple_Pack(ctx, 3, env, ctx->h_None, env);
    CHECK(t);
    LOOP MAKE_CLOSE(HPy_GetItem_i(ctx, t, 1));
    HPy_Close(ctx, t);
    DONE;
}

SWEEP(setitem, "HPy_SetItem")
{
    (void)env;
    HPy d = small_dict(ctx), key = HPyUnicode_FromString(ctx, "beta");
    CHECK(d);
    CHECK(key);
    LOOP CHECK_NEG(HPy_SetItem(ctx, d, key, ctx->h_None));
    HPy_Close(ctx, key);
    HPy_Close(ctx, d);
    DONE;
}

SWEEP(setitem_s, "HPy_SetItem_s")
{
    (void)env;
    HPy d = small_dict(ctx);
    CHECK(d);
    LOOP CHECK_NEG(HPy_SetItem_s(ctx, d, "beta", ctx->h_None));
    HPy_Close(ctx, d);
    DONE;
}

SWEEP(setitem_i, "HPy_SetItem_i")
{
    HPy list = HPyList_New(ctx, 0);     /* a list of three Nones */
    CHECK(list);
    for (int k = 0; k < 3; k++)
        CHECK_NEG(HPyList_Append(ctx, list, ctx->h_None));
    LOOP CHECK_NEG(HPy_SetItem_i(ctx, list, 1, env));
    HPy_Close(ctx, list);
    DONE;
}

SWEEP(delitem, "HPy_SetItem HPy_DelItem")
{
    (void)env;
    HPy d = small_dict(ctx), key = HPyUnicode_FromString(ctx, "delta");
    CHECK(d);
    CHECK(key);
    LOOP {
        CHECK_NEG(HPy_SetItem(ctx, d, key, ctx->h_None));
        CHECK_NEG(HPy_DelItem(ctx, d, key));
    }
    HPy_Close(ctx, key);
    HPy_Close(ctx, d);
    DONE;
}

SWEEP(delitem_s, "HPy_SetItem_s HPy_DelItem_s")
{
    (void)env;
    HPy d = small_dict(ctx);
    CHECK(d);
    LOOP {
        CHECK_NEG(HPy_SetItem_s(ctx, d, "delta", ctx->h_None));
        CHECK_NEG(HPy_DelItem_s(ctx, d, "delta"));
    }
    HPy_Close(ctx, d);
    DONE;
}

SWEEP(delitem_i, "HPyList_Append HPy_DelItem_i")
{
    HPy list = HPyList_New(ctx, 0);
    CHECK(list);
    LOOP {
        CHECK_NEG(HPyList_Append(ctx, list, env));
        CHECK_NEG(HPy_DelItem_i(ctx, list, 0));
    }
    HPy_Close(ctx, list);
    DONE;
}

SWEEP(contains, "HPy_Contains")
{
    (void)env;
    HPy d = small_dict(ctx), key = HPyUnicode_FromString(ctx, "gamma");
    CHECK(d);
    CHECK(key);
    long k = 0;
    LOOP {
        int r = HPy_Contains(ctx, d, key);
        CHECK_NEG(r);
        k += r;
    }
    HPy_Close(ctx, key);
    HPy_Close(ctx, d);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(length, "HPy_Length")
{
    (void)env;
    HPy d = small_dict(ctx);
    CHECK(d);
    HPy_ssize_t total = 0;
    LOOP {
        HPy_ssize_t len = HPy_Length(ctx, d);
        CHECK_NEG(len);
        total += len;
    }
    HPy_Close(ctx, d);
    return HPyLong_FromSsize_t(ctx, total);
}

SWEEP(slice_unpack, "HPySlice_Unpack")
{
    HPy sl = HPy_GetAttr_s(ctx, env, "sl");
    CHECK(sl);
    HPy_ssize_t total = 0;
    LOOP {
        HPy_ssize_t start, stop, step;
        CHECK_NEG(HPySlice_Unpack(ctx, sl, &start, &stop, &step));
        total += start + stop + step;
    }
    HPy_Close(ctx, sl);
    return HPyLong_FromSsize_t(ctx, total);
}

/* --------------------------------------------------------- attributes */

SWEEP(getattr, "HPy_GetAttr")
{
    HPy name = HPyUnicode_FromString(ctx, "x");
    CHECK(name);
    LOOP MAKE_CLOSE(HPy_GetAttr(ctx, env, name));
    HPy_Close(ctx, name);
    DONE;
}

SWEEP(getattr_s, "HPy_GetAttr_s")
{
    LOOP MAKE_CLOSE(HPy_GetAttr_s(ctx, env, "x"));
    DONE;
}

SWEEP(setattr, "HPy_SetAttr")
{
    HPy name = HPyUnicode_FromString(ctx, "y");
    CHECK(name);
    LOOP CHECK_NEG(HPy_SetAttr(ctx, env, name, ctx->h_None));
    HPy_Close(ctx, name);
    DONE;
}

SWEEP(setattr_s, "HPy_SetAttr_s")
{
    LOOP CHECK_NEG(HPy_SetAttr_s(ctx, env, "y", ctx->h_None));
    DONE;
}

SWEEP(delattr_s, "HPy_SetAttr_s HPy_DelAttr_s")
{
    LOOP {
        CHECK_NEG(HPy_SetAttr_s(ctx, env, "z", ctx->h_None));
        CHECK_NEG(HPy_DelAttr_s(ctx, env, "z"));
    }
    DONE;
}

SWEEP(hasattr, "HPy_HasAttr")
{
    HPy name = HPyUnicode_FromString(ctx, "x");
    CHECK(name);
    long k = 0;
    LOOP k += HPy_HasAttr(ctx, env, name);
    HPy_Close(ctx, name);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(hasattr_s, "HPy_HasAttr_s")
{
    long k = 0;
    LOOP k += HPy_HasAttr_s(ctx, env, "x");
    return HPyLong_FromLong(ctx, k);
}

SWEEP(hasattr_s_missing, "HPy_HasAttr_s")
{
    long k = 0;
    LOOP k += HPy_HasAttr_s(ctx, env, "no_such_attribute");
    return HPyLong_FromLong(ctx, k);
}

/* -------------------------------------------------------------- calls */

SWEEP(call_vector, "HPy_Call")
{
    HPy f = HPy_GetAttr_s(ctx, env, "f");
    CHECK(f);
    HPy args[2] = { env, ctx->h_None };
    LOOP MAKE_CLOSE(HPy_Call(ctx, f, args, 2, HPy_NULL));
    HPy_Close(ctx, f);
    DONE;
}

SWEEP(call_vector_kw, "HPy_Call")
{
    HPy f = HPy_GetAttr_s(ctx, env, "f");
    CHECK(f);
    HPy kw = HPyUnicode_FromString(ctx, "key");
    CHECK(kw);
    HPy kwnames = HPyTuple_FromArray(ctx, &kw, 1);
    CHECK(kwnames);
    HPy args[2] = { env, ctx->h_None };
    LOOP MAKE_CLOSE(HPy_Call(ctx, f, args, 1, kwnames));
    HPy_Close(ctx, kwnames);
    HPy_Close(ctx, kw);
    HPy_Close(ctx, f);
    DONE;
}

SWEEP(callmethod, "HPy_CallMethod")
{
    HPy name = HPyUnicode_FromString(ctx, "m");
    CHECK(name);
    HPy args[2] = { env, ctx->h_None };
    LOOP MAKE_CLOSE(HPy_CallMethod(ctx, name, args, 2, HPy_NULL));
    HPy_Close(ctx, name);
    DONE;
}

SWEEP(calltupledict, "HPy_CallTupleDict")
{
    HPy f = HPy_GetAttr_s(ctx, env, "f");
    CHECK(f);
    HPy t = HPyTuple_Pack(ctx, 2, env, ctx->h_None);
    CHECK(t);
    LOOP MAKE_CLOSE(HPy_CallTupleDict(ctx, f, t, HPy_NULL));
    HPy_Close(ctx, t);
    HPy_Close(ctx, f);
    DONE;
}

SWEEP(calltupledict_kw, "HPy_CallTupleDict")
{
    HPy f = HPy_GetAttr_s(ctx, env, "f");
    CHECK(f);
    HPy t = HPyTuple_Pack(ctx, 1, env);
    CHECK(t);
    HPy d = small_dict(ctx);
    CHECK(d);
    LOOP MAKE_CLOSE(HPy_CallTupleDict(ctx, f, t, d));
    HPy_Close(ctx, d);
    HPy_Close(ctx, t);
    HPy_Close(ctx, f);
    DONE;
}

SWEEP(import_module, "HPyImport_ImportModule")
{
    (void)env;
    LOOP MAKE_CLOSE(HPyImport_ImportModule(ctx, "sys"));
    DONE;
}

/* ------------------------------------------------------------- errors */

SWEEP(err_setstring_clear, "HPyErr_SetString HPyErr_Clear")
{
    (void)env;
    LOOP {
        HPyErr_SetString(ctx, ctx->h_ValueError, "a bad value");
        HPyErr_Clear(ctx);
    }
    DONE;
}

SWEEP(err_setobject_clear, "HPyErr_SetObject HPyErr_Clear")
{
    (void)env;
    HPy value = HPyUnicode_FromString(ctx, "a bad key");
    CHECK(value);
    LOOP {
        HPyErr_SetObject(ctx, ctx->h_KeyError, value);
        HPyErr_Clear(ctx);
    }
    HPy_Close(ctx, value);
    DONE;
}

SWEEP(err_occurred_matches, "HPyErr_SetString HPyErr_Occurred HPyErr_ExceptionMatches HPyErr_Clear")
{
    (void)env;
    long k = 0;
    LOOP {
        HPyErr_SetString(ctx, ctx->h_KeyError, "missing");
        k += HPyErr_Occurred(ctx);
        k += HPyErr_ExceptionMatches(ctx, ctx->h_LookupError);
        HPyErr_Clear(ctx);
    }
    return HPyLong_FromLong(ctx, k);
}

SWEEP(err_occurred, "HPyErr_Occurred")
{
    (void)env;
    long k = 0;
    LOOP k += HPyErr_Occurred(ctx);
    return HPyLong_FromLong(ctx, k);
}

SWEEP(err_nomemory_clear, "HPyErr_NoMemory HPyErr_Clear")
{
    (void)env;
    LOOP {
        HPyErr_NoMemory(ctx);
        HPyErr_Clear(ctx);
    }
    DONE;
}

SWEEP(err_fromerrno_clear, "HPyErr_SetFromErrnoWithFilename HPyErr_Clear")
{
    (void)env;
    LOOP {
        errno = ENOENT;
        HPyErr_SetFromErrnoWithFilename(ctx, ctx->h_OSError, "/no/such/file");
        HPyErr_Clear(ctx);
    }
    DONE;
}

SWEEP(err_fromerrnoobjects_clear, "HPyErr_SetFromErrnoWithFilenameObjects HPyErr_Clear")
{
    (void)env;
    LOOP {
        errno = ENOENT;
        HPyErr_SetFromErrnoWithFilenameObjects(ctx, ctx->h_OSError, HPy_NULL, HPy_NULL);
        HPyErr_Clear(ctx);
    }
    DONE;
}

/* ------------------------------------------------------------ tracker */

SWEEP(tracker, "HPyTracker_New HPyTracker_Add HPyTracker_Close")
{
    LOOP {
        HPyTracker ht = HPyTracker_New(ctx, 2);
        if (ht._i == 0)
            return HPy_NULL;
        CHECK_NEG(HPyTracker_Add(ctx, ht, HPy_Dup(ctx, env)));
        CHECK_NEG(HPyTracker_Add(ctx, ht, HPy_Dup(ctx, env)));
        HPyTracker_Close(ctx, ht);
    }
    DONE;
}

SWEEP(tracker_forgetall, "HPyTracker_New HPyTracker_Add HPyTracker_ForgetAll HPyTracker_Close")
{
    LOOP {
        HPyTracker ht = HPyTracker_New(ctx, 2);
        if (ht._i == 0)
            return HPy_NULL;
        CHECK_NEG(HPyTracker_Add(ctx, ht, env));
        HPyTracker_ForgetAll(ctx, ht);
        HPyTracker_Close(ctx, ht);
    }
    DONE;
}

/* ------------------------------------------------- globals and fields */

static HPyGlobal a_global, holder_type;

SWEEP(global_store_load, "HPyGlobal_Store HPyGlobal_Load")
{
    LOOP {
        HPyGlobal_Store(ctx, &a_global, env);
        MAKE_CLOSE(HPyGlobal_Load(ctx, a_global));
    }
    HPyGlobal_Store(ctx, &a_global, HPy_NULL);
    DONE;
}

SWEEP(global_load, "HPyGlobal_Load")
{
    HPyGlobal_Store(ctx, &a_global, env);
    LOOP MAKE_CLOSE(HPyGlobal_Load(ctx, a_global));
    HPyGlobal_Store(ctx, &a_global, HPy_NULL);
    DONE;
}

/* A GC object holding a reference in an HPyField. */
typedef struct {
    HPyField item;
    long count;
} HolderObject;
HPyType_HELPERS(HolderObject)

HPyDef_SLOT(Holder_traverse, HPy_tp_traverse)
static int Holder_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((HolderObject *)self)->item);
    return 0;
}

static HPyDef *Holder_defines[] = { &Holder_traverse, NULL };

static HPyType_Spec Holder_spec = {
    .name = "@NAME@.Holder",
    .basicsize = sizeof(HolderObject),
    .builtin_shape = SHAPE(HolderObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .defines = Holder_defines,
};

static HPy new_holder(HPyContext *ctx, HolderObject **data)
{
    HPy type = HPyGlobal_Load(ctx, holder_type);
    if (HPy_IsNull(type))
        return type;
    HPy h = HPy_New(ctx, type, data);
    HPy_Close(ctx, type);
    return h;
}

SWEEP(field_store_load, "HPyField_Store HPyField_Load")
{
    HolderObject *data;
    HPy holder = new_holder(ctx, &data);
    CHECK(holder);
    LOOP {
        HPyField_Store(ctx, holder, &data->item, env);
        MAKE_CLOSE(HPyField_Load(ctx, holder, data->item));
    }
    HPy_Close(ctx, holder);
    DONE;
}

SWEEP(new_asstruct, "HPy_New HPyGlobal_Load _HPy_AsStruct_Object")
{
    (void)env;
    LOOP {
        HolderObject *data;
        HPy holder = new_holder(ctx, &data);
        CHECK(holder);
        HolderObject_AsStruct(ctx, holder)->count++;
        HPy_Close(ctx, holder);
    }
    DONE;
}

SWEEP(asstruct, "_HPy_AsStruct_Object")
{
    (void)env;
    HolderObject *data;
    HPy holder = new_holder(ctx, &data);
    CHECK(holder);
    LOOP HolderObject_AsStruct(ctx, holder)->count++;
    long count = data->count;
    HPy_Close(ctx, holder);
    return HPyLong_FromLong(ctx, count);
}

/* ----------------------------------------------------------- capsules */

static const char capsule_name[] = "api_sweep.capsule";

SWEEP(capsule_new, "HPyCapsule_New")
{
    (void)env;
    static int payload;
    LOOP MAKE_CLOSE(HPyCapsule_New(ctx, &payload, capsule_name, NULL));
    DONE;
}

SWEEP(capsule_get_set, "HPyCapsule_Get HPyCapsule_Set HPyCapsule_IsValid")
{
    (void)env;
    static int payload[2];
    HPy cap = HPyCapsule_New(ctx, &payload[0], capsule_name, NULL);
    CHECK(cap);
    long k = 0;
    LOOP {
        CHECK_NEG(HPyCapsule_Set(ctx, cap, HPyCapsule_key_Pointer, &payload[i & 1]));
        int *p = HPyCapsule_GetPointer(ctx, cap, capsule_name);
        if (p == NULL)
            return HPy_NULL;
        k += (p == &payload[1]) + HPyCapsule_IsValid(ctx, cap, capsule_name);
    }
    HPy_Close(ctx, cap);
    return HPyLong_FromLong(ctx, k);
}

/* ------------------------------------------------------- context vars */

SWEEP(contextvar_get, "HPyContextVar_Get")
{
    (void)env;
    HPy var = HPyContextVar_New(ctx, "api_sweep_var", ctx->h_None);
    CHECK(var);
    LOOP {
        HPy value;
        CHECK_NEG(HPyContextVar_Get(ctx, var, HPy_NULL, &value));
        HPy_Close(ctx, value);
    }
    HPy_Close(ctx, var);
    DONE;
}

SWEEP(contextvar_set, "HPyContextVar_Set")
{
    HPy var = HPyContextVar_New(ctx, "api_sweep_var2", ctx->h_None);
    CHECK(var);
    LOOP MAKE_CLOSE(HPyContextVar_Set(ctx, var, env));
    HPy_Close(ctx, var);
    DONE;
}

/* ------------------------------------------------------------ threads */

SWEEP(leave_python, "HPy_LeavePythonExecution HPy_ReenterPythonExecution")
{
    (void)env;
    LOOP {
        HPy_BEGIN_LEAVE_PYTHON(ctx)
        HPy_END_LEAVE_PYTHON(ctx)
    }
    DONE;
}

/* ------------------------------------------------------------- module */

HPyDef_SLOT(sweep_exec, HPy_mod_exec)
static int sweep_exec_impl(HPyContext *ctx, HPy module)
{
    HPy type = HPyType_FromSpec(ctx, &Holder_spec, NULL);
    if (HPy_IsNull(type))
        return -1;
    HPyGlobal_Store(ctx, &holder_type, type);
    int r = HPy_SetAttr_s(ctx, module, "Holder", type);
    HPy_Close(ctx, type);
    return r;
}

static HPyDef *module_defines[] = {
    &dup_close, &is, &typecheck, &type, &type_issubtype, &type_getname, &is_true,
    &callable_check, &number_check,
    &long_fromlong, &long_fromint32, &long_fromuint32, &long_fromuint64, &long_fromssize,
    &long_fromsize, &long_aslong, &long_asint32, &long_asuint32, &long_asuint32mask,
    &long_asint64, &long_asuint64, &long_asuint64mask, &long_asssize, &long_assize,
    &long_asdouble, &long_asvoidptr,
    &float_fromdouble, &float_asdouble, &bool_frombool,
    &num_add, &num_subtract, &num_multiply, &num_floordivide, &num_truedivide,
    &num_remainder, &num_divmod, &num_lshift, &num_rshift, &num_and, &num_or, &num_xor,
    &num_inplace_add, &num_inplace_multiply, &num_negative, &num_positive, &num_absolute,
    &num_invert, &num_index, &num_long, &num_float, &num_power,
    &richcompare, &richcomparebool, &hash, &repr, &str, &ascii, &bytes,
    &unicode_fromstring, &unicode_asutf8andsize, &unicode_check, &unicode_asutf8string,
    &unicode_asasciistring, &unicode_aslatin1string, &unicode_encodefsdefault,
    &unicode_decodeascii, &unicode_decodelatin1, &unicode_decodefsdefault,
    &unicode_decodefsdefaultandsize, &unicode_fromwidechar, &unicode_fromencodedobject,
    &unicode_readchar, &unicode_substring,
    &bytes_fromstring, &bytes_fromstringandsize, &bytes_read, &bytes_read_unchecked,
    &list_new_append, &list_check, &listbuilder, &listbuilder_cancel,
    &tuple_fromarray, &tuple_pack, &tuplebuilder, &tuplebuilder_cancel, &tuple_check,
    &dict_new, &dict_check, &dict_keys, &dict_copy,
    &getitem, &getitem_s, &getitem_i, &setitem, &setitem_s, &setitem_i, &delitem,
    &delitem_s, &delitem_i, &contains, &length, &slice_unpack,
    &getattr, &getattr_s, &setattr, &setattr_s, &delattr_s, &hasattr, &hasattr_s,
    &hasattr_s_missing,
    &call_vector, &call_vector_kw, &callmethod, &calltupledict, &calltupledict_kw,
    &import_module,
    &err_setstring_clear, &err_setobject_clear, &err_occurred_matches, &err_occurred,
    &err_nomemory_clear, &err_fromerrno_clear, &err_fromerrnoobjects_clear,
    &tracker, &tracker_forgetall,
    &global_store_load, &global_load, &field_store_load, &new_asstruct, &asstruct,
    &capsule_new, &capsule_get_set,
    &contextvar_get, &contextvar_set,
    &leave_python,
    &sweep_exec, NULL
};
static HPyGlobal *module_globals[] = { &a_global, &holder_type, NULL };

static HPyModuleDef moduledef = {
    .doc = "hpy_build API sweep: one function per API operation",
    .defines = module_defines,
    .globals = module_globals,
};

HPy_MODINIT(@NAME@, moduledef)
