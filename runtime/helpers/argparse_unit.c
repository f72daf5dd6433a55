/* The format units' table and the error messages of the HPyArg_Parse*
   helpers (the conversion itself is in argparse_unit.h). */

#include "argparse_unit.h"

#define MSG_MAX 512

const unsigned char _HPyArg_Units['s' - 'B' + 1] = {
    ['b' - 'B'] = _HPyArg_READ_LONG | _HPyArg_WIDTH(unsigned char)
                  | _HPyArg_UNSIGNED_RANGE,
    ['B' - 'B'] = _HPyArg_READ_ULONG_MASK | _HPyArg_WIDTH(unsigned char),
    ['h' - 'B'] = _HPyArg_READ_LONG | _HPyArg_WIDTH(short)
                  | _HPyArg_SIGNED_RANGE,
    ['H' - 'B'] = _HPyArg_READ_ULONG_MASK | _HPyArg_WIDTH(unsigned short),
    ['i' - 'B'] = _HPyArg_READ_LONG | _HPyArg_WIDTH(int) | _HPyArg_SIGNED_RANGE,
    ['I' - 'B'] = _HPyArg_READ_ULONG_MASK | _HPyArg_WIDTH(unsigned int),
    ['l' - 'B'] = _HPyArg_READ_LONG | _HPyArg_WIDTH(long),
    ['k' - 'B'] = _HPyArg_READ_ULONG_MASK | _HPyArg_WIDTH(unsigned long),
    ['L' - 'B'] = _HPyArg_READ_LLONG | _HPyArg_WIDTH(long long),
    ['K' - 'B'] = _HPyArg_READ_ULLONG_MASK | _HPyArg_WIDTH(unsigned long long),
    ['n' - 'B'] = _HPyArg_READ_SSIZE | _HPyArg_WIDTH(HPy_ssize_t),
    ['p' - 'B'] = _HPyArg_READ_BOOL | _HPyArg_WIDTH(int),
    ['f' - 'B'] = _HPyArg_READ_DOUBLE | _HPyArg_WIDTH(float),
    ['d' - 'B'] = _HPyArg_READ_DOUBLE | _HPyArg_WIDTH(double),
    ['s' - 'B'] = _HPyArg_READ_STR,
    ['O' - 'B'] = _HPyArg_READ_OBJECT,
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

_HPY_COLD int
_HPyArg_Fail(HPyContext *ctx, HPy type, const char *fmt_pos, const char *msg)
{
    char buf[MSG_MAX], *end;
    const char *tail = fmt_pos;
    while (!_HPyArg_IS_END(*tail))
        tail++;
    if (*tail == ';') {
        HPyErr_SetString(ctx, type, tail + 1);
        return 0;
    }
    /* as HPy 0.9's "%.200s() %.256s" and "function %.256s" */
    if (*tail == ':')
        end = append(append(buf, tail + 1, 200), "() ", 3);
    else
        end = append(buf, "function ", 9);
    *append(end, msg, 256) = '\0';
    HPyErr_SetString(ctx, type, buf);
    return 0;
}

_HPY_COLD int
_HPyArg_FailRange(HPyContext *ctx, const char *unit, int negative)
{
    char msg[64];
    const char *what = *unit == 'b' ? "unsigned byte integer"
                     : *unit == 'h' ? "signed short integer" : "signed integer";
    *append(append(msg, what, 32),
            negative ? " is less than minimum" : " is greater than maximum",
            31) = '\0';
    return _HPyArg_Fail(ctx, ctx->h_OverflowError, unit, msg);
}
