/* HPyUnicode_FromFormat(V) and HPyErr_Format.

   Units (HPy 0.9's set): %% %c %d %i %u %x (with l, ll or z before d i u x)
   %p %s, and for handles %U (str) %V (str, or the C string after it when
   the handle is null) %S (str()) %R (repr()) %A (ascii()).
   Each unit takes [0][width][.precision]. Width counts characters. For
   numbers precision is a minimum digit count; for strings a maximum length,
   in bytes for C strings and in characters for str. The '0' flag is for
   numbers only and %c / %p take no width or precision: those are
   SystemErrors, as in HPy 0.9, whose messages we keep.

   The text is assembled as UTF-8 and decoded once at the end. */

#include "hpy.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- output buffer ---------------------------------------------------- */

typedef struct {
    char *data;
    size_t len, cap;
    int exact;          /* holds NUL or a surrogate: decode by size */
    char small[256];    /* most results fit here: no malloc */
} outbuf;

static void
out_init(outbuf *b)
{
    b->data = b->small;
    b->len = 0;
    b->cap = sizeof(b->small);
    b->exact = 0;
}

static void
out_free(outbuf *b)
{
    if (b->data != b->small)
        free(b->data);
}

/* Make room for n more bytes plus a final NUL. */
static int
out_reserve(HPyContext *ctx, outbuf *b, size_t n)
{
    size_t need, cap;
    char *p;
    if (n < b->cap - b->len)
        return 1;
    if (n > (size_t)HPY_SSIZE_T_MAX - b->len - 1)
        goto nomem;
    need = b->len + n + 1;
    cap = b->cap * 2 > need ? b->cap * 2 : need;
    if (b->data == b->small) {
        p = (char *)malloc(cap);
        if (p != NULL)
            memcpy(p, b->small, b->len);
    }
    else {
        p = (char *)realloc(b->data, cap);
    }
    if (p == NULL)
        goto nomem;
    b->data = p;
    b->cap = cap;
    return 1;

nomem:
    HPyErr_NoMemory(ctx);
    return 0;
}

/* Callers reserve first; these only copy. */
static void
out_bytes(outbuf *b, const char *s, size_t n)
{
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void
out_fill(outbuf *b, char c, size_t n)
{
    memset(b->data + b->len, c, n);
    b->len += n;
}

/* ---- one conversion specification ------------------------------------ */

typedef struct {
    int zero;                 /* '0' flag */
    HPy_ssize_t width;        /* -1: not given */
    HPy_ssize_t precision;    /* -1: not given */
    char size;                /* 0, 'l', 'q' (ll) or 'z' */
    char conv;
} spec;

static int
read_number(HPyContext *ctx, const char **pf, HPy_ssize_t *out,
            const char *too_big)
{
    const char *f = *pf;
    HPy_ssize_t v = 0;
    while (*f >= '0' && *f <= '9') {
        int d = *f - '0';
        if (v > (HPY_SSIZE_T_MAX - d) / 10) {
            HPyErr_SetString(ctx, ctx->h_ValueError, too_big);
            return 0;
        }
        v = v * 10 + d;
        f++;
    }
    *pf = f;
    *out = v;
    return 1;
}

static int
invalid(HPyContext *ctx)
{
    HPyErr_SetString(ctx, ctx->h_SystemError, "invalid format string");
    return 0;
}

/* Parse the spec after a '%' and check that its flags suit its unit. */
static int
parse_spec(HPyContext *ctx, const char **pf, spec *sp)
{
    const char *start = *pf, *f = start;
    char msg[96];

    sp->zero = 0;
    sp->width = sp->precision = -1;
    sp->size = 0;
    if (*f == '0') {
        sp->zero = 1;
        f++;
    }
    if (*f >= '0' && *f <= '9' && !read_number(ctx, &f, &sp->width,
                                                "width too big"))
        return 0;
    if (*f == '.') {
        f++;
        if (!read_number(ctx, &f, &sp->precision, "precision too big"))
            return 0;
    }
    if (f[0] == 'l' && f[1] == 'l') {
        sp->size = 'q';
        f += 2;
    }
    else if (f[0] == 'l' || f[0] == 'z') {
        sp->size = f[0];
        f++;
    }
    sp->conv = *f;
    if (*f == '\0' || strchr("%cdiuxpsUVSRA", *f) == NULL)
        return invalid(ctx);
    *pf = f + 1;

    if (sp->conv == '%')        /* only the bare "%%" */
        return f == start ? 1 : invalid(ctx);
    if (sp->size != 0 && strchr("diux", sp->conv) == NULL)
        return invalid(ctx);
    if (sp->zero && strchr("diux", sp->conv) == NULL) {
        snprintf(msg, sizeof(msg),
                 "formatting unit '%%%c' does not support 0-padding",
                 sp->conv);
        HPyErr_SetString(ctx, ctx->h_SystemError, msg);
        return 0;
    }
    if ((sp->conv == 'c' || sp->conv == 'p')
            && (sp->width != -1 || sp->precision != -1)) {
        snprintf(msg, sizeof(msg),
                 "formatting unit '%%%c' does not support width nor precision",
                 sp->conv);
        HPyErr_SetString(ctx, ctx->h_SystemError, msg);
        return 0;
    }
    return 1;
}

/* ---- the units -------------------------------------------------------- */

static int
put_integer(HPyContext *ctx, outbuf *b, const spec *sp, va_list *va)
{
    char digits[32];
    unsigned long long mag;
    int neg = 0, n;
    size_t ndigits, prec, body, pad;

    if (sp->conv == 'd' || sp->conv == 'i') {
        long long v;
        switch (sp->size) {
        case 'l': v = va_arg(*va, long); break;
        case 'q': v = va_arg(*va, long long); break;
        case 'z': v = va_arg(*va, HPy_ssize_t); break;
        default:  v = va_arg(*va, int); break;
        }
        neg = v < 0;
        /* unsigned negation: LLONG_MIN has no positive long long */
        mag = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    }
    else {
        switch (sp->size) {
        case 'l': mag = va_arg(*va, unsigned long); break;
        case 'q': mag = va_arg(*va, unsigned long long); break;
        case 'z': mag = va_arg(*va, size_t); break;
        default:  mag = va_arg(*va, unsigned int); break;
        }
    }
    n = snprintf(digits, sizeof(digits), sp->conv == 'x' ? "%llx" : "%llu",
                 mag);
    ndigits = (size_t)n;
    prec = sp->precision > n ? (size_t)sp->precision : ndigits;
    body = (size_t)neg + prec;
    pad = sp->width > 0 && (size_t)sp->width > body
          ? (size_t)sp->width - body : 0;
    if (!out_reserve(ctx, b, pad + body))
        return 0;
    /* zero padding goes after the sign, space padding before it */
    if (!sp->zero)
        out_fill(b, ' ', pad);
    if (neg)
        out_bytes(b, "-", 1);
    if (sp->zero)
        out_fill(b, '0', pad);
    out_fill(b, '0', prec - ndigits);
    out_bytes(b, digits, ndigits);
    return 1;
}

static int
put_char(HPyContext *ctx, outbuf *b, int cp)
{
    char u[4];
    size_t n;
    if (cp < 0 || cp > 0x10ffff) {
        HPyErr_SetString(ctx, ctx->h_OverflowError,
                         "character argument not in range(0x110000)");
        return 0;
    }
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    }
    else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    }
    else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    }
    else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
        b->exact = 1;
    if (!out_reserve(ctx, b, n))
        return 0;
    out_bytes(b, u, n);
    return 1;
}

static int
put_pointer(HPyContext *ctx, outbuf *b, const void *ptr)
{
    char text[40];
    /* printf's %p varies ("(nil)", no 0x): always write 0x<hex> */
    int n = snprintf(text, sizeof(text), "0x%llx",
                     (unsigned long long)(uintptr_t)ptr);
    if (!out_reserve(ctx, b, (size_t)n))
        return 0;
    out_bytes(b, text, (size_t)n);
    return 1;
}

static int
is_continuation(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t
count_chars(const char *s, size_t n)
{
    size_t i, chars = 0;
    for (i = 0; i < n; i++)
        chars += !is_continuation(s[i]);
    return chars;
}

/* UTF-8 text of `chars` characters, cut to `precision` characters and
   right-aligned in `width`. */
static int
put_text(HPyContext *ctx, outbuf *b, const spec *sp, const char *s, size_t n,
         size_t chars)
{
    size_t pad;
    if (sp->precision >= 0 && (size_t)sp->precision < chars) {
        size_t kept = 0, i = 0;
        for (; i < n; i++) {
            if (!is_continuation(s[i]) && kept++ == (size_t)sp->precision)
                break;
        }
        n = i;
        chars = (size_t)sp->precision;
    }
    pad = sp->width > 0 && (size_t)sp->width > chars
          ? (size_t)sp->width - chars : 0;
    if (!out_reserve(ctx, b, pad + n))
        return 0;
    out_fill(b, ' ', pad);
    out_bytes(b, s, n);
    if (memchr(s, '\0', n) != NULL)
        b->exact = 1;
    return 1;
}

/* A C string: precision counts bytes, cut back to a whole character. */
static int
put_cstring(HPyContext *ctx, outbuf *b, const spec *sp, const char *s)
{
    spec whole = *sp;
    size_t n = strlen(s);
    if (sp->precision >= 0 && (size_t)sp->precision < n) {
        n = (size_t)sp->precision;
        while (n > 0 && is_continuation(s[n]))
            n--;
    }
    whole.precision = -1;
    return put_text(ctx, b, &whole, s, n, count_chars(s, n));
}

static int
put_str(HPyContext *ctx, outbuf *b, const spec *sp, HPy h)
{
    HPy_ssize_t size;
    const char *s = HPyUnicode_AsUTF8AndSize(ctx, h, &size);
    if (s == NULL)
        return 0;
    return put_text(ctx, b, sp, s, (size_t)size, count_chars(s, (size_t)size));
}

static int
null_argument(HPyContext *ctx, char conv)
{
    char msg[96];
    if (conv == 's' || conv == 'V')
        snprintf(msg, sizeof(msg), "null c string passed as value for "
                 "formatting unit '%%%c'", conv);
    else
        snprintf(msg, sizeof(msg), "HPy_NULL passed as value for "
                 "formatting unit '%%%c'", conv);
    HPyErr_SetString(ctx, ctx->h_SystemError, msg);
    return 0;
}

static int
put_object(HPyContext *ctx, outbuf *b, const spec *sp, HPy h)
{
    HPy text;
    int ok;
    if (HPy_IsNull(h))
        return null_argument(ctx, sp->conv);
    if (sp->conv == 'U')
        return put_str(ctx, b, sp, h);
    if (sp->conv == 'S')
        text = HPy_Str(ctx, h);
    else if (sp->conv == 'R')
        text = HPy_Repr(ctx, h);
    else
        text = HPy_ASCII(ctx, h);
    if (HPy_IsNull(text))
        return 0;
    ok = put_str(ctx, b, sp, text);
    HPy_Close(ctx, text);
    return ok;
}

static int
put_unit(HPyContext *ctx, outbuf *b, const spec *sp, va_list *va)
{
    switch (sp->conv) {
    case '%':
        if (!out_reserve(ctx, b, 1))
            return 0;
        out_bytes(b, "%", 1);
        return 1;
    case 'c':
        return put_char(ctx, b, va_arg(*va, int));
    case 'd': case 'i': case 'u': case 'x':
        return put_integer(ctx, b, sp, va);
    case 'p':
        return put_pointer(ctx, b, va_arg(*va, void *));
    case 's': {
        const char *s = va_arg(*va, const char *);
        if (s == NULL)
            return null_argument(ctx, 's');
        return put_cstring(ctx, b, sp, s);
    }
    case 'V': {
        HPy h = va_arg(*va, HPy);
        const char *s = va_arg(*va, const char *);
        if (!HPy_IsNull(h))
            return put_str(ctx, b, sp, h);
        if (s == NULL)
            return null_argument(ctx, 'V');
        return put_cstring(ctx, b, sp, s);
    }
    default:                    /* U S R A */
        return put_object(ctx, b, sp, va_arg(*va, HPy));
    }
}

/* ---- entry points ----------------------------------------------------- */

static HPy
finish(HPyContext *ctx, outbuf *b)
{
    HPy bytes, res;
    b->data[b->len] = '\0';     /* out_reserve always leaves room */
    if (!b->exact)
        return HPyUnicode_FromString(ctx, b->data);
    bytes = HPyBytes_FromStringAndSize(ctx, b->data, (HPy_ssize_t)b->len);
    if (HPy_IsNull(bytes))
        return HPy_NULL;
    res = HPyUnicode_FromEncodedObject(ctx, bytes, "utf-8", "surrogatepass");
    HPy_Close(ctx, bytes);
    return res;
}

static int
format_into(HPyContext *ctx, outbuf *b, const char *f, va_list *va)
{
    while (*f != '\0') {
        const char *run = f;
        spec sp;
        while (*f != '\0' && *f != '%') {
            if ((unsigned char)*f > 127) {
                char msg[96];
                snprintf(msg, sizeof(msg), "expected an ASCII-encoded format "
                         "string, got a non-ASCII byte: 0x%02x",
                         (unsigned char)*f);
                HPyErr_SetString(ctx, ctx->h_ValueError, msg);
                return 0;
            }
            f++;
        }
        if (f != run) {
            if (!out_reserve(ctx, b, (size_t)(f - run)))
                return 0;
            out_bytes(b, run, (size_t)(f - run));
        }
        if (*f == '%') {
            f++;
            if (!parse_spec(ctx, &f, &sp) || !put_unit(ctx, b, &sp, va))
                return 0;
        }
    }
    return 1;
}

HPyAPI_HELPER HPy
HPyUnicode_FromFormatV(HPyContext *ctx, const char *fmt, va_list vargs)
{
    outbuf b;
    va_list va;
    HPy res = HPy_NULL;
    int ok;

    out_init(&b);
    va_copy(va, vargs);
    ok = format_into(ctx, &b, fmt, &va);
    va_end(va);
    if (ok)
        res = finish(ctx, &b);
    out_free(&b);
    return res;
}

HPyAPI_HELPER HPy
HPyUnicode_FromFormat(HPyContext *ctx, const char *fmt, ...)
{
    va_list va;
    HPy res;
    va_start(va, fmt);
    res = HPyUnicode_FromFormatV(ctx, fmt, va);
    va_end(va);
    return res;
}

HPyAPI_HELPER HPy
HPyErr_Format(HPyContext *ctx, HPy h_type, const char *fmt, ...)
{
    va_list va;
    HPy msg;
    va_start(va, fmt);
    msg = HPyUnicode_FromFormatV(ctx, fmt, va);
    va_end(va);
    /* if formatting failed, its own exception is the one to report */
    if (!HPy_IsNull(msg)) {
        HPyErr_SetObject(ctx, h_type, msg);
        HPy_Close(ctx, msg);
    }
    return HPy_NULL;
}
