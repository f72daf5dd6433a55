/* HPy_BuildValue: build a value from a format string and C arguments.

   Units (HPy 0.9's set): i I k l L K n f d s O S, and the containers
   (...) tuple, [...] list, {k:v, ...} dict. No unit means None, one unit
   means that value, more mean a tuple. Blanks and commas between units are
   ignored. 'N' is refused: HPy calls never steal handles. Messages keep
   HPy 0.9's wording because callers compare them. */

#include "hpy.h"
#include <stdio.h>

typedef struct {
    HPyContext *ctx;
    const char *p;          /* next format character */
    va_list *va;
} state;

static HPy build_one(state *s, int *owned);
static HPy build_tuple(state *s, char closer, HPy_ssize_t n);
static HPy build_list(state *s, char closer, HPy_ssize_t n);
static HPy build_dict(state *s);

static _HPY_COLD HPy
syntax_error(HPyContext *ctx, const char *what, char c)
{
    char msg[128];
    snprintf(msg, sizeof(msg),
             "%s '%c' in the format string passed to HPy_BuildValue", what, c);
    HPyErr_SetString(ctx, ctx->h_SystemError, msg);
    return HPy_NULL;
}

static char
opener_of(char closer)
{
    return closer == ')' ? '(' : closer == ']' ? '[' : '{';
}

static int
is_closer(char c)
{
    return c == ')' || c == ']' || c == '}';
}

/* The number of units at the top level of the format, or -1 with a
   SystemError if its brackets do not match (naming the outermost unclosed
   one, or the first closer too many), so that the builders below only
   meet the wrong closer ("(i]"). One pass: it runs on every call. */
static HPy_ssize_t
scan_format(HPyContext *ctx, const char *p)
{
    HPy_ssize_t n = 0, depth = 0;
    char outer = 0;
    for (; *p != '\0'; p++) {
        switch (*p) {
        case '(': case '[': case '{':
            if (depth++ == 0) {
                outer = *p;
                n++;
            }
            break;
        case ')': case ']': case '}':
            if (--depth < 0) {
                syntax_error(ctx, "unmatched", *p);
                return -1;
            }
            break;
        case ' ': case '\t': case ',':
            break;
        default:
            if (depth == 0)
                n++;
        }
    }
    if (depth > 0) {
        syntax_error(ctx, "unmatched", outer);
        return -1;
    }
    return n;
}

static void
skip_blanks(state *s)
{
    while (*s->p == ' ' || *s->p == '\t')
        s->p++;
}

static void
skip_separators(state *s)
{
    while (*s->p == ' ' || *s->p == '\t' || *s->p == ',')
        s->p++;
}

/* Units from p up to the closer of the level that p is in. */
static HPy_ssize_t
count_units(const char *p)
{
    HPy_ssize_t n = 0, depth = 0;
    for (; *p != '\0'; p++) {
        if (*p == '(' || *p == '[' || *p == '{') {
            if (depth++ == 0)
                n++;
        }
        else if (is_closer(*p)) {
            if (depth-- == 0)
                return n;
        }
        else if (depth == 0 && *p != ' ' && *p != '\t' && *p != ',') {
            n++;
        }
    }
    return n;
}

/* Build one unit and store it in dict under key (if key is not null). */
static int
put_built(state *s, HPy dict, HPy key)
{
    int owned, res;
    HPy value = build_one(s, &owned);
    if (HPy_IsNull(value))
        return -1;
    res = HPy_SetItem(s->ctx, dict, key, value);
    if (owned)
        HPy_Close(s->ctx, value);
    return res;
}

/* {key:value, ...}: commas are required between pairs, a trailing one is
   allowed. */
static HPy
build_dict(state *s)
{
    HPyContext *ctx = s->ctx;
    HPy dict = HPyDict_New(ctx);
    int need_comma = 0;

    if (HPy_IsNull(dict))
        return HPy_NULL;
    for (;;) {
        int key_owned, res;
        HPy key;
        skip_blanks(s);
        if (*s->p == '}')
            break;
        if (*s->p == '\0' || is_closer(*s->p)) {
            syntax_error(ctx, "unmatched", '{');
            goto error;
        }
        if (*s->p == ',') {
            if (!need_comma) {
                syntax_error(ctx, "unexpected", ',');
                goto error;
            }
            need_comma = 0;
            s->p++;
            continue;
        }
        if (need_comma) {
            syntax_error(ctx, "missing", ',');
            goto error;
        }
        key = build_one(s, &key_owned);
        if (HPy_IsNull(key))
            goto error;
        skip_blanks(s);
        if (*s->p != ':') {
            syntax_error(ctx, "missing", ':');
            res = -1;
        }
        else {
            s->p++;
            skip_blanks(s);
            res = put_built(s, dict, key);
        }
        if (key_owned)
            HPy_Close(ctx, key);
        if (res < 0)
            goto error;
        need_comma = 1;
    }
    s->p++;
    return dict;

error:
    HPy_Close(ctx, dict);
    return HPy_NULL;
}

/* One unit. *owned says whether the result is a new handle; for 'O' it is
   the caller's handle, so containers can take it without a dup. Inline in
   the loops of the tuple and list builders, which most units are built by
   (a call per unit would cost as much as the rest of building it). */
static inline HPy
unit(state *s, int *owned)
{
    HPyContext *ctx = s->ctx;
    char c = *s->p++;
    *owned = 1;
    switch (c) {
    case '(':
        return build_tuple(s, ')', count_units(s->p));
    case '[':
        return build_list(s, ']', count_units(s->p));
    case '{':
        return build_dict(s);
    case 'i':
        return HPyLong_FromLong(ctx, va_arg(*s->va, int));
    case 'I':
        return HPyLong_FromUnsignedLong(ctx, va_arg(*s->va, unsigned int));
    case 'l':
        return HPyLong_FromLong(ctx, va_arg(*s->va, long));
    case 'k':
        return HPyLong_FromUnsignedLong(ctx, va_arg(*s->va, unsigned long));
    case 'L':
        return HPyLong_FromLongLong(ctx, va_arg(*s->va, long long));
    case 'K':
        return HPyLong_FromUnsignedLongLong(ctx,
                                            va_arg(*s->va, unsigned long long));
    case 'n':
        return HPyLong_FromSsize_t(ctx, va_arg(*s->va, HPy_ssize_t));
    case 'f':                   /* a float argument arrives as a double */
    case 'd':
        return HPyFloat_FromDouble(ctx, va_arg(*s->va, double));
    case 's': {
        const char *str = va_arg(*s->va, const char *);
        if (str == NULL)        /* as Py_BuildValue does */
            return HPy_Dup(ctx, ctx->h_None);
        return HPyUnicode_FromString(ctx, str);
    }
    case 'O':
    case 'S': {
        HPy h = va_arg(*s->va, HPy);
        /* A null handle is taken as the failed call that produced it:
           keep its exception if there is one. */
        if (HPy_IsNull(h)) {
            if (!HPyErr_Occurred(ctx))
                HPyErr_SetString(ctx, ctx->h_SystemError,
                                 "HPy_NULL object passed to HPy_BuildValue");
            return HPy_NULL;
        }
        *owned = 0;
        return h;
    }
    case 'N':
        HPyErr_SetString(ctx, ctx->h_SystemError,
            "HPy_BuildValue does not support the 'N' formatting unit. "
            "HPy calls never take over a handle: pass it with 'O' and "
            "close it yourself afterwards.");
        return HPy_NULL;
    default:
        s->p--;
        return syntax_error(ctx, "bad format char", c);
    }
}

/* A unit anywhere else: a dict's keys and values, a lone unit. */
static HPy
build_one(state *s, int *owned)
{
    return unit(s, owned);
}

/* After the n units of a tuple or list: its closer (then consumed), else
   a SystemError. */
static int
at_closer(state *s, char closer)
{
    skip_separators(s);
    if (*s->p != closer) {
        syntax_error(s->ctx, "unmatched", closer == '\0' ? *s->p : opener_of(closer));
        return 0;
    }
    if (closer != '\0')
        s->p++;
    return 1;
}

/* build_tuple and build_list: a tuple or list of the n units that run up
   to `closer` ('\0': the top level). */
#define SEQUENCE_BUILDER(NAME, BUILDER)                                 \
static HPy                                                              \
NAME(state *s, char closer, HPy_ssize_t n)                              \
{                                                                       \
    HPyContext *ctx = s->ctx;                                           \
    BUILDER b = BUILDER##_New(ctx, n);                                  \
    for (HPy_ssize_t i = 0; i < n; i++) {                               \
        int owned;                                                      \
        skip_separators(s);                                             \
        HPy item = unit(s, &owned);                                     \
        if (HPy_IsNull(item)) {                                         \
            BUILDER##_Cancel(ctx, b);                                   \
            return HPy_NULL;                                            \
        }                                                               \
        BUILDER##_Set(ctx, b, i, item);                                 \
        if (owned)                                                      \
            HPy_Close(ctx, item);                                       \
    }                                                                   \
    if (!at_closer(s, closer)) {                                        \
        BUILDER##_Cancel(ctx, b);                                       \
        return HPy_NULL;                                                \
    }                                                                   \
    return BUILDER##_Build(ctx, b);                                     \
}
SEQUENCE_BUILDER(build_tuple, HPyTupleBuilder)
SEQUENCE_BUILDER(build_list, HPyListBuilder)

HPyAPI_HELPER HPy
HPy_BuildValue(HPyContext *ctx, const char *fmt, ...)
{
    va_list va;
    state s;
    HPy_ssize_t n;
    HPy result;
    int owned;

    n = scan_format(ctx, fmt);
    if (n < 0)
        return HPy_NULL;
    s.ctx = ctx;
    s.p = fmt;
    s.va = &va;
    va_start(va, fmt);
    if (n == 0) {
        result = HPy_Dup(ctx, ctx->h_None);
    }
    else if (n == 1) {
        skip_separators(&s);
        result = build_one(&s, &owned);
        if (!HPy_IsNull(result) && !owned)
            result = HPy_Dup(ctx, result);
    }
    else {
        result = build_tuple(&s, '\0', n);
    }
    va_end(va);
    return result;
}
