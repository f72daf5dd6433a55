/* One format unit of the HPyArg_Parse* helpers: the conversion, compiled
   into each parser (HPyArg_Parse in argparse.c, the keyword variants in
   argparse_keywords.c) so that no call is added per unit; the table and the
   messages are shared (argparse_unit.c). Separate files, so that a module
   calling only HPyArg_Parse links neither the keyword code nor its message
   strings.

   The integer units differ only in how the argument is read, the width of
   what is stored and, for b h i, a range check: one table byte per unit
   describes all three, so that one path serves them all. */

#ifndef HPY_ARGPARSE_UNIT_H
#define HPY_ARGPARSE_UNIT_H

#include "hpy.h"
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

/* The units stop at '\0', ':' or ';'. */
#define _HPyArg_IS_END(c) ((c) == '\0' || (c) == ':' || (c) == ';')

/* Raise `type` with "function <msg>", "<name>() <msg>" (format ending in
   ":name") or the format's own ";message"; `fmt_pos` is any position in the
   format's units. Returns 0. */
_HPy_HIDDEN int _HPyArg_Fail(HPyContext *ctx, HPy type, const char *fmt_pos,
                             const char *msg);

/* OverflowError "<unit's type> is less than minimum" (or "greater than
   maximum") for the unit b, h or i at *unit. Returns 0. */
_HPy_HIDDEN int _HPyArg_FailRange(HPyContext *ctx, const char *unit,
                                  int negative);

/* A unit's table byte: reader (low four bits), log2 of the stored width
   (bits 4-5), range check (bits 6-7). 0: not a unit. */
enum {
    _HPyArg_READ_LONG = 1,
    _HPyArg_READ_ULONG_MASK,        /* modulo 2**bits, no range check */
    _HPyArg_READ_LLONG,
    _HPyArg_READ_ULLONG_MASK,
    _HPyArg_READ_SSIZE,
    _HPyArg_READ_BOOL,
    _HPyArg_READ_DOUBLE,
    _HPyArg_READ_STR,
    _HPyArg_READ_OBJECT
};
#define _HPyArg_READER 0x0f
#define _HPyArg_LOG2(n) ((n) == 1 ? 0 : (n) == 2 ? 1 : (n) == 4 ? 2 : 3)
#define _HPyArg_WIDTH(T) (_HPyArg_LOG2(sizeof(T)) << 4)
#define _HPyArg_WIDTH_OF(spec) (((spec) >> 4) & 3)
#define _HPyArg_SIGNED_RANGE 0x40       /* h i: must fit the signed width */
#define _HPyArg_UNSIGNED_RANGE 0x80     /* b: must fit the unsigned width */

/* Indexed by unit - 'B' ('B' to 's' spans every unit). */
_HPy_HIDDEN extern const unsigned char _HPyArg_Units['s' - 'B' + 1];

/* How a unit receives its argument and who owns the result. */
typedef struct {
    HPy arg;        /* HPy_NULL: optional argument not given */
    int owned;      /* we hold a new handle to arg; cleared if ownership moved */
    int track;      /* 'O' must produce a handle owned by *ht (keyword API) */
    HPyTracker *ht;
} _HPyArg_In;

/* Hand a new handle to the tracker. On failure the tracker still holds it
   (HPyTracker_Add's contract), so closing the tracker releases it. */
static inline int
_HPyArg_GiveToTracker(HPyContext *ctx, HPyTracker ht, HPy h)
{
    if (HPyTracker_Add(ctx, ht, h) < 0) {
        if (!HPyErr_Occurred(ctx))
            HPyErr_NoMemory(ctx);
        return 0;
    }
    return 1;
}

/* Whether an integer unit's value (modulo 2**64) fits its range: n bits,
   signed or unsigned, where the unit checks one; n is a constant. */
#define _HPyArg_FITS(bits, spec, n)                                         \
    (!((spec) & (_HPyArg_SIGNED_RANGE | _HPyArg_UNSIGNED_RANGE))            \
     || ((bits) + ((spec) & _HPyArg_SIGNED_RANGE ? 1ULL << ((n) - 1) : 0))  \
            >> (n) == 0)

/* Read with `call`; -1 may be an error. */
#define _HPyArg_READ_INT(T, call) do {                  \
        T v_ = call(ctx, arg);                          \
        if (v_ == (T)-1 && HPyErr_Occurred(ctx))        \
            return 0;                                   \
        bits = (unsigned long long)v_;                  \
    } while (0)

/* Convert the unit at *unit (a pointer into the format: the rest of the
   format shapes the error messages). Always consumes the unit's output
   pointer from va, even for an absent optional argument, so that the
   following units stay aligned. Returns 0 with an exception set. Called
   from one place in each parser, hence inlined there. */
static inline int
_HPyArg_Convert(HPyContext *ctx, const char *unit, _HPyArg_In *in,
                va_list *va)
{
    unsigned int index = (unsigned int)(unsigned char)*unit - 'B';
    unsigned int spec = index < sizeof(_HPyArg_Units) ? _HPyArg_Units[index] : 0;
    HPy arg = in->arg;
    unsigned long long bits;    /* an integer unit's value, modulo 2**64 */
    void *out;

    if (spec == 0)
        return _HPyArg_Fail(ctx, ctx->h_SystemError, unit,
                            "unknown arg format code");
    /* Every unit's output is a pointer to an object, and object pointers
       share one representation on every platform HPy runs on. */
    out = va_arg(*va, void *);
    if (HPy_IsNull(arg))
        return 1;

    switch (spec & _HPyArg_READER) {
    case _HPyArg_READ_LONG:
        _HPyArg_READ_INT(long, HPyLong_AsLong);
        break;
    case _HPyArg_READ_ULONG_MASK:
        _HPyArg_READ_INT(unsigned long, HPyLong_AsUnsignedLongMask);
        break;
    case _HPyArg_READ_LLONG:
        _HPyArg_READ_INT(long long, HPyLong_AsLongLong);
        break;
    case _HPyArg_READ_ULLONG_MASK:
        _HPyArg_READ_INT(unsigned long long, HPyLong_AsUnsignedLongLongMask);
        break;
    case _HPyArg_READ_SSIZE:
        _HPyArg_READ_INT(HPy_ssize_t, HPyLong_AsSsize_t);
        break;
    case _HPyArg_READ_BOOL: {
        int t = HPy_IsTrue(ctx, arg);
        if (t < 0)
            return 0;
        bits = (unsigned long long)t;
        break;
    }
    case _HPyArg_READ_DOUBLE: {
        double d = HPyFloat_AsDouble(ctx, arg);
        if (d == -1.0 && HPyErr_Occurred(ctx))
            return 0;
        if (_HPyArg_WIDTH_OF(spec) == _HPyArg_LOG2(sizeof(float)))
            *(float *)out = (float)d;
        else
            *(double *)out = d;
        return 1;
    }
    case _HPyArg_READ_STR: {
        HPy_ssize_t size;
        const char *data;
        if (!HPyUnicode_Check(ctx, arg))
            return _HPyArg_Fail(ctx, ctx->h_TypeError, unit,
                                "a str is required");
        data = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
        if (data == NULL)
            return 0;
        if (memchr(data, '\0', (size_t)size) != NULL)
            return _HPyArg_Fail(ctx, ctx->h_ValueError, unit,
                                "embedded null character");
        *(const char **)out = data;
        /* The buffer lives as long as the handle: keep a new one open. */
        if (in->owned && in->ht != NULL) {
            in->owned = 0;
            return _HPyArg_GiveToTracker(ctx, *in->ht, arg);
        }
        return 1;
    }
    default: /* _HPyArg_READ_OBJECT */
        if (!in->track) {       /* HPyArg_Parse: the caller's own handle */
            *(HPy *)out = arg;
            return 1;
        }
        if (in->owned)
            in->owned = 0;
        else
            arg = HPy_Dup(ctx, arg);
        *(HPy *)out = arg;
        return _HPyArg_GiveToTracker(ctx, *in->ht, arg);
    }

    /* Store the low bytes, as the unit's own type holds them; b h i
       first check that the value fits. By width, widest first: l k L K n
       on 64 bits, then i I p. */
#define _HPyArg_STORE(T) do {                                               \
        T x_ = (T)bits;                                                     \
        memcpy(out, &x_, sizeof(x_));                                       \
        return 1;                                                           \
    } while (0)
    switch (_HPyArg_WIDTH_OF(spec)) {
    case 3:
        _HPyArg_STORE(uint64_t);
    case 2:
        if (_HPyArg_FITS(bits, spec, 32))
            _HPyArg_STORE(uint32_t);
        break;
    case 1:
        if (_HPyArg_FITS(bits, spec, 16))
            _HPyArg_STORE(uint16_t);
        break;
    default:
        if (_HPyArg_FITS(bits, spec, 8))
            _HPyArg_STORE(uint8_t);
        break;
    }
    return _HPyArg_FailRange(ctx, unit, (int)(bits >> 63 & 1));
}

#undef _HPyArg_READ_INT
#undef _HPyArg_FITS
#undef _HPyArg_STORE

#endif /* HPY_ARGPARSE_UNIT_H */
