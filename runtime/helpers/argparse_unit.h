/* Shared by HPyArg_Parse (argparse.c) and the keyword variants
   (argparse_keywords.c): converting one format unit, and the error messages.
   Separate files, so that a module calling only HPyArg_Parse links neither
   the keyword code nor its message strings. */

#ifndef HPY_ARGPARSE_UNIT_H
#define HPY_ARGPARSE_UNIT_H

#include "hpy.h"
#include <stdarg.h>

/* How a unit receives its argument and who owns the result. */
typedef struct {
    HPy arg;        /* HPy_NULL: optional argument not given */
    int owned;      /* we hold a new handle to arg; cleared if ownership moved */
    int track;      /* 'O' must produce a handle owned by *ht (keyword API) */
    HPyTracker *ht;
} _HPyArg_In;

/* Convert the unit at *unit (a pointer into the format: the rest of the
   format shapes the error messages). Always consumes the unit's output
   pointer from va, even for an absent optional argument, so that the
   following units stay aligned. Returns 0 with an exception set. */
int _HPyArg_Convert(HPyContext *ctx, const char *unit, _HPyArg_In *in,
                    va_list *va);

/* Raise `type` with "function <msg>", "<name>() <msg>" (format ending in
   ":name") or the format's own ";message"; `fmt_pos` is any position in the
   format's units. */
void _HPyArg_Fail(HPyContext *ctx, HPy type, const char *fmt_pos,
                  const char *msg);

/* The units stop at '\0', ':' or ';'. */
#define _HPyArg_IS_END(c) ((c) == '\0' || (c) == ':' || (c) == ';')

#endif /* HPY_ARGPARSE_UNIT_H */
