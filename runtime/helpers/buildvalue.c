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

static HPy
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

/* Missing closers are found here, once, so that the builders below only
   meet the wrong closer ("(i]"). Names the outermost unclosed bracket. */
static int
check_brackets(HPyContext *ctx, const char *p)
{
    HPy_ssize_t depth = 0;
    char outer = 0;
    for (; *p != '\0'; p++) {
        if (*p == '(' || *p == '[' || *p == '{') {
            if (depth++ == 0)
                outer = *p;
        }
        else if (is_closer(*p) && --depth < 0) {
            syntax_error(ctx, "unmatched", *p);
            return 0;
        }
    }
    if (depth > 0) {
        syntax_error(ctx, "unmatched", outer);
        return 0;
    }
    return 1;
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

/* Units from p up to the closer of the current level (or the end). */
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

/* A tuple or list whose items run up to `closer` ('\0': the top level). */
static HPy
build_sequence(state *s, char closer)
{
    HPyContext *ctx = s->ctx;
    HPy_ssize_t n = count_units(s->p), i;
    int is_list = closer == ']';
    HPyTupleBuilder tb = {0};
    HPyListBuilder lb = {0};

    if (is_list)
        lb = HPyListBuilder_New(ctx, n);
    else
        tb = HPyTupleBuilder_New(ctx, n);
    for (i = 0; i < n; i++) {
        int owned;
        HPy item;
        skip_separators(s);
        item = build_one(s, &owned);
        if (HPy_IsNull(item))
            goto error;
        if (is_list)
            HPyListBuilder_Set(ctx, lb, i, item);
        else
            HPyTupleBuilder_Set(ctx, tb, i, item);
        if (owned)
            HPy_Close(ctx, item);
    }
    skip_separators(s);
    if (*s->p != closer) {
        if (closer == '\0')
            syntax_error(ctx, "unmatched", *s->p);
        else
            syntax_error(ctx, "unmatched", opener_of(closer));
        goto error;
    }
    if (closer != '\0')
        s->p++;
    return is_list ? HPyListBuilder_Build(ctx, lb)
                   : HPyTupleBuilder_Build(ctx, tb);

error:
    if (is_list)
        HPyListBuilder_Cancel(ctx, lb);
    else
        HPyTupleBuilder_Cancel(ctx, tb);
    return HPy_NULL;
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
   the caller's handle, so containers can take it without a dup. */
static HPy
build_one(state *s, int *owned)
{
    HPyContext *ctx = s->ctx;
    char c = *s->p++;
    *owned = 1;
    switch (c) {
    case '(':
        return build_sequence(s, ')');
    case '[':
        return build_sequence(s, ']');
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

HPyAPI_HELPER HPy
HPy_BuildValue(HPyContext *ctx, const char *fmt, ...)
{
    va_list va;
    state s;
    HPy_ssize_t n;
    HPy result;
    int owned;

    if (!check_brackets(ctx, fmt))
        return HPy_NULL;
    s.ctx = ctx;
    s.p = fmt;
    s.va = &va;
    va_start(va, fmt);
    n = count_units(fmt);
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
        result = build_sequence(&s, '\0');
    }
    va_end(va);
    return result;
}
