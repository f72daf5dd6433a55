/* HPyArg_Parse.

   Format units (HPy 0.9's set): b B h H i I l k L K n f d s O p, then
   '|' (rest optional), and an optional tail ":name" (function name in
   messages) or ";message" (replaces every message). The keyword variants
   are in argparse_keywords.c, the units in argparse_unit.c. Messages keep
   HPy 0.9's wording: callers compare them. */

#include "argparse_unit.h"

HPyAPI_HELPER int
HPyArg_Parse(HPyContext *ctx, HPyTracker *ht, const HPy *args, size_t nargs,
             const char *fmt, ...)
{
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
    for (p = fmt; !_HPyArg_IS_END(*p); p++) {
        _HPyArg_In in = { HPy_NULL, 0, 0, ht };
        if (*p == '|') {
            optional = 1;
            continue;
        }
        if (i < nargs)
            in.arg = args[i];
        else if (!optional) {
            _HPyArg_Fail(ctx, ctx->h_TypeError, p,
                         "required positional argument missing");
            goto error;
        }
        if (!_HPyArg_Convert(ctx, p, &in, &va))
            goto error;
        i++;
    }
    if (i < nargs) {
        _HPyArg_Fail(ctx, ctx->h_TypeError, p,
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
