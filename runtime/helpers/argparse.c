/* HPyArg_Parse, HPyArg_ParseKeywords, HPyArg_ParseKeywordsDict.

   Format units (HPy 0.9's set): b B h H i I l k L K n f d s O p, then
   '|' (rest optional), '$' (rest keyword-only, keywords only), and an
   optional tail ":name" (function name in messages) or ";message" (replaces
   every message). Messages keep HPy 0.9's wording: callers compare them. */

#include "hpy.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define MSG_MAX 512

/* The units stop at ':' or ';'; what follows shapes every error message. */
static const char *
units_end(const char *fmt)
{
    while (*fmt != '\0' && *fmt != ':' && *fmt != ';')
        fmt++;
    return fmt;
}

static void
fail(HPyContext *ctx, HPy type, const char *tail, const char *msg)
{
    char buf[MSG_MAX];
    if (*tail == ';') {
        HPyErr_SetString(ctx, type, tail + 1);
        return;
    }
    if (*tail == ':')
        snprintf(buf, sizeof(buf), "%.200s() %.256s", tail + 1, msg);
    else
        snprintf(buf, sizeof(buf), "function %.256s", msg);
    HPyErr_SetString(ctx, type, buf);
}

/* Fails with "<what> is less/greater than minimum/maximum" outside [lo, hi]. */
static int
long_in_range(HPyContext *ctx, HPy arg, long lo, long hi, const char *what,
              const char *tail, long *out)
{
    char msg[128];
    long v = HPyLong_AsLong(ctx, arg);
    if (v == -1 && HPyErr_Occurred(ctx))
        return 0;
    if (v < lo || v > hi) {
        snprintf(msg, sizeof(msg), "%s is %s", what,
                 v < lo ? "less than minimum" : "greater than maximum");
        fail(ctx, ctx->h_OverflowError, tail, msg);
        return 0;
    }
    *out = v;
    return 1;
}

static int
str_unit(HPyContext *ctx, HPy arg, const char *tail, const char **out)
{
    HPy_ssize_t size;
    const char *data;
    if (!HPyUnicode_Check(ctx, arg)) {
        fail(ctx, ctx->h_TypeError, tail, "a str is required");
        return 0;
    }
    data = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
    if (data == NULL)
        return 0;
    if (memchr(data, '\0', (size_t)size) != NULL) {
        fail(ctx, ctx->h_ValueError, tail, "embedded null character");
        return 0;
    }
    *out = data;
    return 1;
}

/* The unsigned units take the value modulo 2**bits, with no range check. */
static int
ulong_masked(HPyContext *ctx, HPy arg, unsigned long *out)
{
    unsigned long u = HPyLong_AsUnsignedLongMask(ctx, arg);
    if (u == (unsigned long)-1 && HPyErr_Occurred(ctx))
        return 0;
    *out = u;
    return 1;
}

/* How a unit receives its argument and who owns the result. */
typedef struct {
    HPy arg;        /* HPy_NULL: optional argument not given */
    int owned;      /* we hold a new handle to arg; cleared if ownership moved */
    int track;      /* 'O' must produce a handle owned by *ht (keyword API) */
    HPyTracker *ht;
} unit_in;

/* Hand a new handle to the tracker. On failure the tracker still holds it
   (HPyTracker_Add's contract), so closing the tracker releases it. */
static int
give_to_tracker(HPyContext *ctx, HPyTracker ht, HPy h)
{
    if (HPyTracker_Add(ctx, ht, h) < 0) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_NoMemory(ctx);
        return 0;
    }
    return 1;
}

/* Convert one unit. Always consumes the unit's output pointer from va, even
   for an absent optional argument, so the following units stay aligned. */
static int
convert(HPyContext *ctx, char unit, unit_in *in, va_list *va, const char *tail)
{
    HPy arg = in->arg;
    long v;
    unsigned long u;

#define OUTPUT(T) T *out = va_arg(*va, T *); if (HPy_IsNull(arg)) return 1
    switch (unit) {
    case 'b': {
        OUTPUT(unsigned char);
        if (!long_in_range(ctx, arg, 0, UCHAR_MAX, "unsigned byte integer",
                           tail, &v))
            return 0;
        *out = (unsigned char)v;
        return 1;
    }
    case 'B': {
        OUTPUT(unsigned char);
        if (!ulong_masked(ctx, arg, &u))
            return 0;
        *out = (unsigned char)u;
        return 1;
    }
    case 'h': {
        OUTPUT(short);
        if (!long_in_range(ctx, arg, SHRT_MIN, SHRT_MAX, "signed short integer",
                           tail, &v))
            return 0;
        *out = (short)v;
        return 1;
    }
    case 'H': {
        OUTPUT(unsigned short);
        if (!ulong_masked(ctx, arg, &u))
            return 0;
        *out = (unsigned short)u;
        return 1;
    }
    case 'i': {
        OUTPUT(int);
        if (!long_in_range(ctx, arg, INT_MIN, INT_MAX, "signed integer",
                           tail, &v))
            return 0;
        *out = (int)v;
        return 1;
    }
    case 'I': {
        OUTPUT(unsigned int);
        if (!ulong_masked(ctx, arg, &u))
            return 0;
        *out = (unsigned int)u;
        return 1;
    }
    case 'l': {
        OUTPUT(long);
        v = HPyLong_AsLong(ctx, arg);
        if (v == -1 && HPyErr_Occurred(ctx))
            return 0;
        *out = v;
        return 1;
    }
    case 'k': {
        OUTPUT(unsigned long);
        if (!ulong_masked(ctx, arg, &u))
            return 0;
        *out = u;
        return 1;
    }
    case 'L': {
        OUTPUT(long long);
        long long ll = HPyLong_AsLongLong(ctx, arg);
        if (ll == -1 && HPyErr_Occurred(ctx))
            return 0;
        *out = ll;
        return 1;
    }
    case 'K': {
        OUTPUT(unsigned long long);
        unsigned long long ull = HPyLong_AsUnsignedLongLongMask(ctx, arg);
        if (ull == (unsigned long long)-1 && HPyErr_Occurred(ctx))
            return 0;
        *out = ull;
        return 1;
    }
    case 'n': {
        OUTPUT(HPy_ssize_t);
        HPy_ssize_t n = HPyLong_AsSsize_t(ctx, arg);
        if (n == -1 && HPyErr_Occurred(ctx))
            return 0;
        *out = n;
        return 1;
    }
    case 'f': {
        OUTPUT(float);
        double d = HPyFloat_AsDouble(ctx, arg);
        if (d == -1.0 && HPyErr_Occurred(ctx))
            return 0;
        *out = (float)d;
        return 1;
    }
    case 'd': {
        OUTPUT(double);
        double d = HPyFloat_AsDouble(ctx, arg);
        if (d == -1.0 && HPyErr_Occurred(ctx))
            return 0;
        *out = d;
        return 1;
    }
    case 'p': {
        OUTPUT(int);
        int t = HPy_IsTrue(ctx, arg);
        if (t < 0)
            return 0;
        *out = t;
        return 1;
    }
    case 's': {
        OUTPUT(const char *);
        if (!str_unit(ctx, arg, tail, out))
            return 0;
        /* The buffer lives as long as the handle: keep a new one open. */
        if (in->owned && in->ht != NULL) {
            in->owned = 0;
            return give_to_tracker(ctx, *in->ht, arg);
        }
        return 1;
    }
    case 'O': {
        OUTPUT(HPy);
        if (!in->track) {       /* HPyArg_Parse: the caller's own handle */
            *out = arg;
            return 1;
        }
        if (in->owned)
            in->owned = 0;
        else
            arg = HPy_Dup(ctx, arg);
        *out = arg;
        return give_to_tracker(ctx, *in->ht, arg);
    }
    default:
        fail(ctx, ctx->h_SystemError, tail, "unknown arg format code");
        return 0;
    }
#undef OUTPUT
}

HPyAPI_HELPER int
HPyArg_Parse(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
             const char *fmt, ...)
{
    const char *tail = units_end(fmt);
    const char *p;
    int optional = 0;
    size_t i = 0;
    va_list va;

    if (ht != NULL) {
        *ht = HPyTracker_New(ctx, 0);
        if (HPy_IsNull(*ht))
            return 0;
    }
    va_start(va, fmt);
    for (p = fmt; p != tail; p++) {
        unit_in in = { HPy_NULL, 0, 0, ht };
        if (*p == '|') {
            optional = 1;
            continue;
        }
        if (i < nargs)
            in.arg = args[i];
        else if (!optional) {
            fail(ctx, ctx->h_TypeError, tail,
                 "required positional argument missing");
            goto error;
        }
        if (!convert(ctx, *p, &in, &va, tail))
            goto error;
        i++;
    }
    if (i < nargs) {
        fail(ctx, ctx->h_TypeError, tail,
             "mismatched args (too many arguments for fmt)");
        goto error;
    }
    va_end(va);
    return 1;

error:
    va_end(va);
    if (ht != NULL)
        HPyTracker_Close(ctx, *ht);
    return 0;
}

/* ---- keyword arguments ------------------------------------------------ */

/* The keyword arguments of one call: either vectorcall style (names in a
   tuple, values after the positional ones) or a dict. */
typedef struct {
    int is_dict;
    HPy kw;                 /* kwnames tuple or dict; may be HPy_NULL */
    const HPy *values;      /* vectorcall style only */
    HPy_ssize_t n;          /* how many keyword arguments */
} kwargs;

/* Return 1 if the str `key` spells `name` exactly; -1 with an exception. */
static int
key_is(HPyContext *ctx, HPy key, const char *name)
{
    HPy_ssize_t size;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, key, &size);
    if (s == NULL)
        return -1;
    return strlen(name) == (size_t)size && memcmp(s, name, (size_t)size) == 0;
}

/* Look up keyword argument `name`: *out is HPy_NULL if absent, else a
   borrowed (*owned == 0) or new (*owned == 1) handle. */
static int
kwargs_get(HPyContext *ctx, const kwargs *kw, const char *name,
           HPy *out, int *owned)
{
    HPy_ssize_t j;
    *out = HPy_NULL;
    *owned = 0;
    if (kw->is_dict) {
        HPy v = HPy_GetItem_s(ctx, kw->kw, name);
        if (HPy_IsNull(v)) {
            if (!HPyErr_ExceptionMatches(ctx, ctx->h_KeyError))
                return 0;
            HPyErr_Clear(ctx);
            return 1;
        }
        *out = v;
        *owned = 1;
        return 1;
    }
    for (j = 0; j < kw->n; j++) {
        HPy key = HPy_GetItem_i(ctx, kw->kw, j);
        int eq;
        if (HPy_IsNull(key))
            return 0;
        eq = key_is(ctx, key, name);
        HPy_Close(ctx, key);
        if (eq < 0)
            return 0;
        if (eq) {
            *out = kw->values[j];
            return 1;
        }
    }
    return 1;
}

/* Some keyword argument was not consumed: name it in the error. Only runs on
   the error path, so it may be slow. */
static void
fail_bad_keyword(HPyContext *ctx, const kwargs *kw, size_t nargs,
                 const char *keywords[], const char *tail)
{
    char msg[MSG_MAX];
    HPy names = kw->is_dict ? HPyDict_Keys(ctx, kw->kw) : kw->kw;
    HPy_ssize_t j;

    if (HPy_IsNull(names))
        return;
    msg[0] = '\0';
    for (j = 0; j < kw->n && msg[0] == '\0'; j++) {
        HPy key = HPy_GetItem_i(ctx, names, j);
        HPy_ssize_t size;
        const char *s;
        size_t k;
        if (HPy_IsNull(key))
            break;
        if (!HPyUnicode_Check(ctx, key)) {
            HPy_Close(ctx, key);
            fail(ctx, ctx->h_TypeError, tail, "keywords must be strings");
            break;
        }
        s = HPyUnicode_AsUTF8AndSize(ctx, key, &size);
        if (s == NULL) {
            HPy_Close(ctx, key);
            break;
        }
        for (k = 0; keywords[k] != NULL; k++) {
            if (keywords[k][0] != '\0' && strlen(keywords[k]) == (size_t)size
                    && memcmp(keywords[k], s, (size_t)size) == 0)
                break;
        }
        if (keywords[k] == NULL)
            snprintf(msg, sizeof(msg),
                     "got an unexpected keyword argument '%.200s'", s);
        else if (k < nargs)
            snprintf(msg, sizeof(msg),
                     "got multiple values for argument '%.200s'", s);
        HPy_Close(ctx, key);
    }
    if (kw->is_dict)
        HPy_Close(ctx, names);
    if (HPyErr_Occurred(ctx))
        return;
    /* Nothing unknown: a name must have been passed twice in kwnames. */
    fail(ctx, ctx->h_TypeError, tail,
         msg[0] != '\0' ? msg : "got a keyword argument more than once");
}

static int
parse_keywords(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
               kwargs *kw, const char *fmt, const char *keywords[],
               va_list *va)
{
    const char *tail = units_end(fmt);
    const char *p;
    size_t nkw = 0, i = 0;
    HPy_ssize_t found = 0;
    int optional = 0, kwonly = 0;

    /* Positional-only names ("") come first; an empty name later is a bug. */
    while (keywords[nkw] != NULL && keywords[nkw][0] == '\0')
        nkw++;
    for (; keywords[nkw] != NULL; nkw++) {
        if (keywords[nkw][0] == '\0') {
            fail(ctx, ctx->h_SystemError, tail, "empty keyword parameter name");
            return 0;
        }
    }
    if (ht != NULL) {
        *ht = HPyTracker_New(ctx, 0);
        if (HPy_IsNull(*ht))
            return 0;
    }
    kw->n = 0;
    if (!HPy_IsNull(kw->kw)) {
        kw->n = HPy_Length(ctx, kw->kw);
        if (kw->n < 0)
            goto error;
    }

    for (p = fmt; p != tail; p++) {
        unit_in in = { HPy_NULL, 0, 1, ht };
        int ok;
        if (*p == '|') {
            optional = 1;
            continue;
        }
        if (*p == '$') {
            optional = kwonly = 1;
            continue;
        }
        if (*p == 'O' && ht == NULL) {
            fail(ctx, ctx->h_SystemError, tail,
                 "HPyArg_ParseKeywords cannot use the format character 'O' "
                 "unless an HPyTracker is provided. Please supply an "
                 "HPyTracker.");
            goto error;
        }
        if (i >= nkw) {
            fail(ctx, ctx->h_TypeError, tail,
                 "mismatched args (too few keywords for fmt)");
            goto error;
        }
        if (i < nargs) {
            if (kwonly) {
                fail(ctx, ctx->h_TypeError, tail,
                     "keyword only argument passed as positional argument");
                goto error;
            }
            in.arg = args[i];
        }
        else if (found < kw->n && keywords[i][0] != '\0') {
            if (!kwargs_get(ctx, kw, keywords[i], &in.arg, &in.owned))
                goto error;
            if (!HPy_IsNull(in.arg))
                found++;
        }
        if (HPy_IsNull(in.arg) && !optional) {
            fail(ctx, ctx->h_TypeError, tail, "no value for required argument");
            goto error;
        }
        ok = convert(ctx, *p, &in, va, tail);
        if (in.owned)
            HPy_Close(ctx, in.arg);
        if (!ok)
            goto error;
        i++;
    }
    if (i != nkw) {
        fail(ctx, ctx->h_TypeError, tail,
             "mismatched args (too many keywords for fmt)");
        goto error;
    }
    if (nargs > i) {
        fail(ctx, ctx->h_TypeError, tail,
             "mismatched args (too many arguments for fmt)");
        goto error;
    }
    if (found < kw->n) {
        fail_bad_keyword(ctx, kw, nargs, keywords, tail);
        goto error;
    }
    return 1;

error:
    if (ht != NULL)
        HPyTracker_Close(ctx, *ht);
    return 0;
}

HPyAPI_HELPER int
HPyArg_ParseKeywords(HPyContext *ctx, HPyTracker *ht, const HPy *args,
                     size_t nargs, HPy kwnames, const char *fmt,
                     const char *keywords[], ...)
{
    /* args may be NULL when nothing at all is passed. */
    kwargs kw = { 0, kwnames, args != NULL ? args + nargs : NULL, 0 };
    va_list va;
    int res;
    va_start(va, keywords);
    res = parse_keywords(ctx, ht, args, nargs, &kw, fmt, keywords, &va);
    va_end(va);
    return res;
}

HPyAPI_HELPER int
HPyArg_ParseKeywordsDict(HPyContext *ctx, HPyTracker *ht, const HPy *args,
                         HPy_ssize_t nargs, HPy kw, const char *fmt,
                         const char *keywords[], ...)
{
    kwargs kwa = { 1, kw, NULL, 0 };
    va_list va;
    int res;
    if (nargs < 0) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
                         "HPyArg_ParseKeywordsDict: negative nargs");
        return 0;
    }
    va_start(va, keywords);
    res = parse_keywords(ctx, ht, args, (size_t)nargs, &kwa, fmt, keywords,
                         &va);
    va_end(va);
    return res;
}
