/* One format unit of the HPyArg_Parse* helpers, and their error messages.

   The integer units differ only in how the argument is read, the width of
   what is stored and, for b h i, a range check: one table byte per unit
   describes all three, so that one path serves them all. */

#include "argparse_unit.h"
#include <stdint.h>
#include <string.h>

#define MSG_MAX 512

/* A unit's table byte: reader (low four bits), log2 of the stored width
   (bits 4-5), range check. */
enum {
    READ_NONE,              /* not a unit */
    READ_LONG,
    READ_ULONG_MASK,        /* modulo 2**bits, no range check */
    READ_LLONG,
    READ_ULLONG_MASK,
    READ_SSIZE,
    READ_BOOL,
    READ_DOUBLE,
    READ_STR,
    READ_OBJECT
};
#define READER 0x0f
#define LOG2(n) ((n) == 1 ? 0 : (n) == 2 ? 1 : (n) == 4 ? 2 : 3)
#define WIDTH(T) (LOG2(sizeof(T)) << 4)
#define WIDTH_OF(spec) (((spec) >> 4) & 3)
#define SIGNED_RANGE 0x40       /* h i: must fit the signed width */
#define UNSIGNED_RANGE 0x80     /* b: must fit the unsigned width */

static const unsigned char units['s' - 'B' + 1] = {
    ['b' - 'B'] = READ_LONG | WIDTH(unsigned char) | UNSIGNED_RANGE,
    ['B' - 'B'] = READ_ULONG_MASK | WIDTH(unsigned char),
    ['h' - 'B'] = READ_LONG | WIDTH(short) | SIGNED_RANGE,
    ['H' - 'B'] = READ_ULONG_MASK | WIDTH(unsigned short),
    ['i' - 'B'] = READ_LONG | WIDTH(int) | SIGNED_RANGE,
    ['I' - 'B'] = READ_ULONG_MASK | WIDTH(unsigned int),
    ['l' - 'B'] = READ_LONG | WIDTH(long),
    ['k' - 'B'] = READ_ULONG_MASK | WIDTH(unsigned long),
    ['L' - 'B'] = READ_LLONG | WIDTH(long long),
    ['K' - 'B'] = READ_ULLONG_MASK | WIDTH(unsigned long long),
    ['n' - 'B'] = READ_SSIZE | WIDTH(HPy_ssize_t),
    ['p' - 'B'] = READ_BOOL | WIDTH(int),
    ['f' - 'B'] = READ_DOUBLE | WIDTH(float),
    ['d' - 'B'] = READ_DOUBLE | WIDTH(double),
    ['s' - 'B'] = READ_STR,
    ['O' - 'B'] = READ_OBJECT,
};

/* Copy at most max bytes of the string s to dst; return the end. */
static char *
append(char *dst, const char *s, size_t max)
{
    while (max > 0 && *s != '\0') {
        *dst++ = *s++;
        max--;
    }
    return dst;
}

_HPY_COLD void
_HPyArg_Fail(HPyContext *ctx, HPy type, const char *fmt_pos, const char *msg)
{
    char buf[MSG_MAX], *end;
    const char *tail = fmt_pos;
    while (!_HPyArg_IS_END(*tail))
        tail++;
    if (*tail == ';') {
        HPyErr_SetString(ctx, type, tail + 1);
        return;
    }
    if (*tail == ':')
        end = append(append(buf, tail + 1, 200), "() ", 3);
    else
        end = append(buf, "function ", 9);
    *append(end, msg, 256) = '\0';
    HPyErr_SetString(ctx, type, buf);
}

/* "<what> is less than minimum" or "... greater than maximum". */
static _HPY_COLD int
fail_range(HPyContext *ctx, const char *unit, int negative)
{
    char msg[64];
    const char *what = *unit == 'b' ? "unsigned byte integer"
                     : *unit == 'h' ? "signed short integer" : "signed integer";
    *append(append(msg, what, 32),
            negative ? " is less than minimum" : " is greater than maximum",
            31) = '\0';
    _HPyArg_Fail(ctx, ctx->h_OverflowError, unit, msg);
    return 0;
}

static _HPY_COLD int
fail_unit(HPyContext *ctx, const char *unit, HPy type, const char *msg)
{
    _HPyArg_Fail(ctx, type, unit, msg);
    return 0;
}

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

/* Read with `call`; -1 may be an error. */
#define READ_INT(T, call) do {                          \
        T v_ = call(ctx, arg);                          \
        if (v_ == (T)-1 && HPyErr_Occurred(ctx))        \
            return 0;                                   \
        bits = (unsigned long long)v_;                  \
    } while (0)

int
_HPyArg_Convert(HPyContext *ctx, const char *unit, _HPyArg_In *in,
                va_list *va)
{
    unsigned int index = (unsigned int)(unsigned char)*unit - 'B';
    unsigned int spec = index < sizeof(units) ? units[index] : READ_NONE;
    HPy arg = in->arg;
    unsigned long long bits;    /* an integer unit's value, modulo 2**64 */
    void *out;

    if (spec == READ_NONE)
        return fail_unit(ctx, unit, ctx->h_SystemError,
                         "unknown arg format code");
    /* Every unit's output is a pointer to an object, and object pointers
       share one representation on every platform HPy runs on. */
    out = va_arg(*va, void *);
    if (HPy_IsNull(arg))
        return 1;

    switch (spec & READER) {
    case READ_LONG:
        READ_INT(long, HPyLong_AsLong);
        break;
    case READ_ULONG_MASK:
        READ_INT(unsigned long, HPyLong_AsUnsignedLongMask);
        break;
    case READ_LLONG:
        READ_INT(long long, HPyLong_AsLongLong);
        break;
    case READ_ULLONG_MASK:
        READ_INT(unsigned long long, HPyLong_AsUnsignedLongLongMask);
        break;
    case READ_SSIZE:
        READ_INT(HPy_ssize_t, HPyLong_AsSsize_t);
        break;
    case READ_BOOL: {
        int t = HPy_IsTrue(ctx, arg);
        if (t < 0)
            return 0;
        bits = (unsigned long long)t;
        break;
    }
    case READ_DOUBLE: {
        double d = HPyFloat_AsDouble(ctx, arg);
        if (d == -1.0 && HPyErr_Occurred(ctx))
            return 0;
        if (WIDTH_OF(spec) == LOG2(sizeof(float)))
            *(float *)out = (float)d;
        else
            *(double *)out = d;
        return 1;
    }
    case READ_STR: {
        HPy_ssize_t size;
        const char *data;
        if (!HPyUnicode_Check(ctx, arg))
            return fail_unit(ctx, unit, ctx->h_TypeError, "a str is required");
        data = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
        if (data == NULL)
            return 0;
        if (memchr(data, '\0', (size_t)size) != NULL)
            return fail_unit(ctx, unit, ctx->h_ValueError,
                             "embedded null character");
        *(const char **)out = data;
        /* The buffer lives as long as the handle: keep a new one open. */
        if (in->owned && in->ht != NULL) {
            in->owned = 0;
            return give_to_tracker(ctx, *in->ht, arg);
        }
        return 1;
    }
    default: /* READ_OBJECT */
        if (!in->track) {       /* HPyArg_Parse: the caller's own handle */
            *(HPy *)out = arg;
            return 1;
        }
        if (in->owned)
            in->owned = 0;
        else
            arg = HPy_Dup(ctx, arg);
        *(HPy *)out = arg;
        return give_to_tracker(ctx, *in->ht, arg);
    }

    if (spec & (SIGNED_RANGE | UNSIGNED_RANGE)) {
        /* Fits iff bits + offset < 2**width, in modular arithmetic. */
        unsigned long long span = 1ULL << (8 << WIDTH_OF(spec));
        unsigned long long offset = spec & SIGNED_RANGE ? span / 2 : 0;
        if (bits + offset >= span)
            return fail_range(ctx, unit, (int)(bits >> 63 & 1));
    }
    /* Store the low bytes, as the unit's own type would hold them. */
    switch (WIDTH_OF(spec)) {
    case 3: { uint64_t x = (uint64_t)bits; memcpy(out, &x, sizeof(x)); break; }
    case 2: { uint32_t x = (uint32_t)bits; memcpy(out, &x, sizeof(x)); break; }
    case 1: { uint16_t x = (uint16_t)bits; memcpy(out, &x, sizeof(x)); break; }
    default: { uint8_t x = (uint8_t)bits; memcpy(out, &x, sizeof(x)); break; }
    }
    return 1;
}
