/* HPyArg_ParseKeywords and HPyArg_ParseKeywordsDict: HPyArg_Parse's units
   (argparse_unit.h) plus '$' (the rest keyword-only), and the arguments'
   names. */

#include "argparse_unit.h"
#include <stdio.h>
#include <string.h>

#define MSG_MAX 512

/* The units stop at ':' or ';'; what follows shapes every error message. */
static const char *
units_end(const char *fmt)
{
    while (!_HPyArg_IS_END(*fmt))
        fmt++;
    return fmt;
}

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
            _HPyArg_Fail(ctx, ctx->h_TypeError, tail, "keywords must be strings");
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
    _HPyArg_Fail(ctx, ctx->h_TypeError, tail,
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
            _HPyArg_Fail(ctx, ctx->h_SystemError, tail, "empty keyword parameter name");
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
        _HPyArg_In in = { HPy_NULL, 0, 1, ht };
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
            _HPyArg_Fail(ctx, ctx->h_SystemError, tail,
                 "HPyArg_ParseKeywords cannot use the format character 'O' "
                 "unless an HPyTracker is provided. Please supply an "
                 "HPyTracker.");
            goto error;
        }
        if (i >= nkw) {
            _HPyArg_Fail(ctx, ctx->h_TypeError, tail,
                 "mismatched args (too few keywords for fmt)");
            goto error;
        }
        if (i < nargs) {
            if (kwonly) {
                _HPyArg_Fail(ctx, ctx->h_TypeError, tail,
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
            _HPyArg_Fail(ctx, ctx->h_TypeError, tail, "no value for required argument");
            goto error;
        }
        ok = _HPyArg_Convert(ctx, p, &in, va);
        if (in.owned)
            HPy_Close(ctx, in.arg);
        if (!ok)
            goto error;
        i++;
    }
    if (i != nkw) {
        _HPyArg_Fail(ctx, ctx->h_TypeError, tail,
             "mismatched args (too many keywords for fmt)");
        goto error;
    }
    if (nargs > i) {
        _HPyArg_Fail(ctx, ctx->h_TypeError, tail,
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
