/* HPyHelpers_AddType and HPyHelpers_PackArgsAndKeywords. */

#include "hpy.h"

HPyAPI_HELPER int
HPyHelpers_AddType(HPyContext *ctx, HPy obj, const char *name,
                   HPyType_Spec *hpyspec, HPyType_SpecParam *params)
{
    int res;
    HPy type = HPyType_FromSpec(ctx, hpyspec, params);
    if (HPy_IsNull(type))
        return 0;
    res = HPy_SetAttr_s(ctx, obj, name, type);
    HPy_Close(ctx, type);
    return res == 0;
}

/* kwnames + the values after the positional ones -> a new dict. */
static HPy
keywords_dict(HPyContext *ctx, const HPy *values, HPy kwnames,
              HPy_ssize_t n)
{
    HPy_ssize_t i;
    HPy dict = HPyDict_New(ctx);
    if (HPy_IsNull(dict))
        return HPy_NULL;
    for (i = 0; i < n; i++) {
        int res;
        HPy key = HPy_GetItem_i(ctx, kwnames, i);
        if (HPy_IsNull(key))
            goto error;
        res = HPy_SetItem(ctx, dict, key, values[i]);
        HPy_Close(ctx, key);
        if (res < 0)
            goto error;
    }
    return dict;

error:
    HPy_Close(ctx, dict);
    return HPy_NULL;
}

HPyAPI_HELPER int
HPyHelpers_PackArgsAndKeywords(HPyContext *ctx, const HPy *args, size_t nargs,
                               HPy kwnames, HPy *out_args_tuple, HPy *out_kwd)
{
    HPy tuple = HPy_NULL, kwd = HPy_NULL;
    HPy_ssize_t nkw = 0;

    if (out_args_tuple == NULL || out_kwd == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError, out_args_tuple == NULL
                         ? "argument 'out_args_tuple' must not be NULL"
                         : "argument 'out_kwd' must not be NULL");
        return 0;
    }
    if (!HPy_IsNull(kwnames)) {
        nkw = HPy_Length(ctx, kwnames);
        if (nkw < 0)
            return 0;
    }
    if (nkw > 0) {
        kwd = keywords_dict(ctx, args + nargs, kwnames, nkw);
        if (HPy_IsNull(kwd))
            return 0;
    }
    if (nargs > 0) {
        /* HPyTuple_FromArray only reads the array; its prototype lacks const */
        tuple = HPyTuple_FromArray(ctx, (HPy *)args, (HPy_ssize_t)nargs);
        if (HPy_IsNull(tuple)) {
            if (!HPy_IsNull(kwd))
                HPy_Close(ctx, kwd);
            return 0;
        }
    }
    /* outputs are written only on success */
    *out_args_tuple = tuple;
    *out_kwd = kwd;
    return 1;
}
