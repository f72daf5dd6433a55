/* The debug wrappers that the generator cannot write: closing, arrays of
   handles, raw data tied to a handle's lifetime, and type checks. Each is
   named debug_ctx_<Member>; tools/autogen finds them here and only declares
   them in runtime/autogen/debug_ctx_table.c. */
#include "debug/debug_internal.h"
#include <stdio.h>
#include <string.h>

#define SMALL_ARRAY 16

/* The universal handles of n debug handles: in `small` if it fits, else in
   a new block that free_array() releases. NULL with MemoryError. */
static HPy *unwrap_array(HPyDebugInfo *info, const HPy *dh, size_t n, HPy *small, const char *fn)
{
    HPy *uh = small;
    if (n > SMALL_ARRAY) {
        uh = malloc(n * sizeof(HPy));
        if (uh == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
    }
    for (size_t i = 0; i < n; i++)
        uh[i] = hpy_debug_unwrap(info, dh[i], fn);
    return uh;
}

static void free_array(HPy *uh, HPy *small)
{
    if (uh != small)
        free(uh);
}

/* A fatal misuse that HPy 0.9 reports with HPy_FatalError (no hook). */
static _HPy_NO_RETURN void fatal(const char *msg)
{
    fprintf(stderr, "\nHPy debug mode: %s\n", msg);
    fflush(stderr);
    Py_FatalError(msg);
}

static int is_type(HPyContext *uctx, HPy uh)
{
    return !HPy_IsNull(uh) && uctx->ctx_TypeCheck(uctx, uh, uctx->h_TypeType);
}

void debug_ctx_Close(HPyContext *dctx, HPy h)
{
    hpy_debug_close(hpy_debug_enter(dctx, "HPy_Close"), h, "HPy_Close");
}

HPy debug_ctx_Tuple_FromArray(HPyContext *dctx, HPy items[], HPy_ssize_t n)
{
    HPyDebugInfo *info = hpy_debug_enter(dctx, "HPyTuple_FromArray");
    HPy small[SMALL_ARRAY];
    HPy *u = unwrap_array(info, items, n > 0 ? (size_t)n : 0, small, "HPyTuple_FromArray");
    if (u == NULL)
        return HPy_NULL;
    HPy result = info->uctx->ctx_Tuple_FromArray(info->uctx, u, n);
    free_array(u, small);
    return hpy_debug_open(info, result, "HPyTuple_FromArray");
}

HPy debug_ctx_Type_GenericNew(HPyContext *dctx, HPy type, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    static const char fn[] = "HPyType_GenericNew";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy small[SMALL_ARRAY];
    HPy *u = unwrap_array(info, args, nargs > 0 ? (size_t)nargs : 0, small, fn);
    if (u == NULL)
        return HPy_NULL;
    HPy result = info->uctx->ctx_Type_GenericNew(info->uctx, hpy_debug_unwrap(info, type, fn), u,
                                                 nargs, hpy_debug_unwrap(info, kw, fn));
    free_array(u, small);
    return hpy_debug_open(info, result, fn);
}

HPy debug_ctx_Type_FromSpec(HPyContext *dctx, HPyType_Spec *spec, HPyType_SpecParam *params)
{
    static const char fn[] = "HPyType_FromSpec";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    if (params == NULL)
        return hpy_debug_open(info, info->uctx->ctx_Type_FromSpec(info->uctx, spec, NULL), fn);
    size_t n = 1;
    while (params[n - 1].kind != 0)
        n++;
    HPyType_SpecParam *u = malloc(n * sizeof(HPyType_SpecParam));
    if (u == NULL) {
        PyErr_NoMemory();
        return HPy_NULL;
    }
    for (size_t i = 0; i < n; i++) {
        u[i].kind = params[i].kind;
        u[i].object = hpy_debug_unwrap(info, params[i].object, fn);
    }
    HPy result = info->uctx->ctx_Type_FromSpec(info->uctx, spec, u);
    free(u);
    return hpy_debug_open(info, result, fn);
}

/* HPy_Call and HPy_CallMethod: the keyword values follow the positional
   arguments in `args`. */
static HPy call(HPyContext *dctx, const char *fn, HPy first, const HPy *args, size_t nargs,
                HPy kwnames, int method)
{
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPyContext *uctx = info->uctx;
    HPy u_first = hpy_debug_unwrap(info, first, fn);
    HPy u_kwnames = hpy_debug_unwrap(info, kwnames, fn);
    size_t nkw = 0;
    if (!HPy_IsNull(u_kwnames)) {
        if (!uctx->ctx_Tuple_Check(uctx, u_kwnames)) {
            char msg[120];
            PyOS_snprintf(msg, sizeof msg, "%s arg 'kwnames' must be a tuple object or HPy_NULL", fn);
            fatal(msg);
        }
        HPy_ssize_t n = uctx->ctx_Length(uctx, u_kwnames);
        if (n < 0)
            return HPy_NULL;
        nkw = (size_t)n;
    }
    HPy small[SMALL_ARRAY];
    HPy *u = unwrap_array(info, args, nargs + nkw, small, fn);
    if (u == NULL)
        return HPy_NULL;
    HPy result = method ? uctx->ctx_CallMethod(uctx, u_first, u, nargs, u_kwnames)
                        : uctx->ctx_Call(uctx, u_first, u, nargs, u_kwnames);
    free_array(u, small);
    return hpy_debug_open(info, result, fn);
}

HPy debug_ctx_Call(HPyContext *dctx, HPy callable, const HPy *args, size_t nargs, HPy kwnames)
{
    return call(dctx, "HPy_Call", callable, args, nargs, kwnames, 0);
}

HPy debug_ctx_CallMethod(HPyContext *dctx, HPy name, const HPy *args, size_t nargs, HPy kwnames)
{
    return call(dctx, "HPy_CallMethod", name, args, nargs, kwnames, 1);
}

int32_t debug_ctx_ContextVar_Get(HPyContext *dctx, HPy context_var, HPy default_value, HPy *result)
{
    static const char fn[] = "HPyContextVar_Get";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_result = HPy_NULL;
    int32_t ret = info->uctx->ctx_ContextVar_Get(info->uctx, hpy_debug_unwrap(info, context_var, fn),
                                                 hpy_debug_unwrap(info, default_value, fn), &u_result);
    *result = ret < 0 ? HPy_NULL : hpy_debug_open(info, u_result, fn);
    return ret;
}

/* --- raw data that lives as long as its handle --- */

const char *debug_ctx_Unicode_AsUTF8AndSize(HPyContext *dctx, HPy h, HPy_ssize_t *size)
{
    static const char fn[] = "HPyUnicode_AsUTF8AndSize";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy_ssize_t n;
    const char *s = info->uctx->ctx_Unicode_AsUTF8AndSize(info->uctx, hpy_debug_unwrap(info, h, fn), &n);
    if (size != NULL)
        *size = s != NULL ? n : -1;
    return s == NULL ? NULL : hpy_debug_attach_data(info, h, s, n + 1);
}

const char *debug_ctx_Bytes_AsString(HPyContext *dctx, HPy h)
{
    static const char fn[] = "HPyBytes_AsString";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy uh = hpy_debug_unwrap(info, h, fn);
    const char *s = info->uctx->ctx_Bytes_AsString(info->uctx, uh);
    if (s == NULL)
        return NULL;
    return hpy_debug_attach_data(info, h, s, info->uctx->ctx_Bytes_Size(info->uctx, uh) + 1);
}

const char *debug_ctx_Bytes_AS_STRING(HPyContext *dctx, HPy h)
{
    static const char fn[] = "HPyBytes_AS_STRING";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy uh = hpy_debug_unwrap(info, h, fn);
    const char *s = info->uctx->ctx_Bytes_AS_STRING(info->uctx, uh);
    if (s == NULL)
        return NULL;
    return hpy_debug_attach_data(info, h, s, info->uctx->ctx_Bytes_GET_SIZE(info->uctx, uh) + 1);
}

const char *debug_ctx_Type_GetName(HPyContext *dctx, HPy type)
{
    static const char fn[] = "HPyType_GetName";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy uh = hpy_debug_unwrap(info, type, fn);
    if (!is_type(info->uctx, uh))
        fatal("HPyType_GetName arg must be a type");
    const char *name = info->uctx->ctx_Type_GetName(info->uctx, uh);
    if (name == NULL)
        return NULL;
    return hpy_debug_attach_data(info, type, name, (HPy_ssize_t)strlen(name) + 1);
}

/* --- arguments that must be types --- */

int debug_ctx_TypeCheck(HPyContext *dctx, HPy obj, HPy type)
{
    static const char fn[] = "HPy_TypeCheck";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_obj = hpy_debug_unwrap(info, obj, fn), u_type = hpy_debug_unwrap(info, type, fn);
    if (HPy_IsNull(u_obj))
        fatal("HPy_TypeCheck arg 1 is HPy_NULL");
    if (!is_type(info->uctx, u_type))
        fatal("HPy_TypeCheck arg 2 must be a type");
    return info->uctx->ctx_TypeCheck(info->uctx, u_obj, u_type);
}

int debug_ctx_Type_IsSubtype(HPyContext *dctx, HPy sub, HPy type)
{
    static const char fn[] = "HPyType_IsSubtype";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_sub = hpy_debug_unwrap(info, sub, fn), u_type = hpy_debug_unwrap(info, type, fn);
    if (!is_type(info->uctx, u_sub))
        fatal("HPyType_IsSubtype arg 1 must be a type");
    if (!is_type(info->uctx, u_type))
        fatal("HPyType_IsSubtype arg 2 must be a type");
    return info->uctx->ctx_Type_IsSubtype(info->uctx, u_sub, u_type);
}

HPy debug_ctx_Unicode_Substring(HPyContext *dctx, HPy str, HPy_ssize_t start, HPy_ssize_t end)
{
    static const char fn[] = "HPyUnicode_Substring";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_str = hpy_debug_unwrap(info, str, fn);
    if (!info->uctx->ctx_TypeCheck(info->uctx, u_str, info->uctx->h_UnicodeType))
        fatal("HPyUnicode_Substring arg 1 must be a Unicode object");
    return hpy_debug_open(info, info->uctx->ctx_Unicode_Substring(info->uctx, u_str, start, end), fn);
}
