/* The debug context of the process: created on first use, wrapping the
   universal context; the copies handed to each call; context misuse. */
#include "debug/debug_internal.h"
#include <stdio.h>
#include <string.h>

static struct _HPyContext_s base_context;
static HPyDebugCtxInfo base_ctx_info;
static HPyDebugInfo *debug_info;

static HPyContext *copy_context(HPyContext *base, HPyDebugInfo *info)
{
    HPyContext *ctx = malloc(sizeof(struct _HPyContext_s));
    HPyDebugCtxInfo *ci = malloc(sizeof(HPyDebugCtxInfo));
    if (ctx == NULL || ci == NULL) {
        free(ctx);
        free(ci);
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(ctx, base, sizeof(struct _HPyContext_s));
    ci->magic = HPY_DEBUG_CTX_MAGIC;
    ci->is_valid = false;       /* until a call hands it out */
    ci->info = info;
    ctx->_private = ci;
    return ctx;
}

static HPyDebugInfo *create_info(void)
{
    HPyContext *uctx = hpy_runtime_universal_context();
    if (uctx == NULL)
        return NULL;
    HPyDebugInfo *info = calloc(1, sizeof(HPyDebugInfo));
    if (info == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    info->uctx = uctx;
    hpy_debug_list_init(&info->open);
    hpy_debug_list_init(&info->closed);
    info->handles = (DebugTable)HPY_DEBUG_TABLE_INIT(DebugHandle, HPY_DEBUG_KIND_HANDLE,
                                                     "debug handles");
    info->builders = (DebugTable)HPY_DEBUG_TABLE_INIT(DebugBuilder, HPY_DEBUG_KIND_BUILDER,
                                                      "debug builders and trackers");
    info->globals = (DebugTable)HPY_DEBUG_TABLE_INIT(DebugGlobal, HPY_DEBUG_KIND_GLOBAL,
                                                     "HPyGlobals");
    info->closed_max = HPY_DEBUG_DEFAULT_CLOSED_QUEUE_MAX;
    info->raw_data_max = HPY_DEBUG_DEFAULT_RAW_DATA_MAX;
    if (PyThread_tss_create(&info->current) != 0) {
        free(info);
        PyErr_SetString(PyExc_SystemError, "HPy debug mode: cannot create a thread-local key");
        return NULL;
    }
    HPyContext *dctx = &base_context;
    dctx->name = "HPy Debug Mode ABI (hpy_build, CPython backend)";
    dctx->abi_version = HPY_ABI_VERSION;
    base_ctx_info.magic = HPY_DEBUG_CTX_MAGIC;
    base_ctx_info.is_valid = true;  /* the loader's: module init and trampolines */
    base_ctx_info.info = info;
    dctx->_private = &base_ctx_info;
    hpy_debug_fill_functions(dctx);
    hpy_debug_open_constants(info, dctx);
    for (int i = 0; i < HPY_DEBUG_CTX_RING; i++) {
        info->ring[i] = copy_context(dctx, info);
        if (info->ring[i] == NULL)
            return NULL;    /* not reached in practice; the process keeps what it made */
    }
    return info;
}

HPyDebugInfo *hpy_debug_info(void)
{
    if (debug_info == NULL)
        debug_info = create_info();
    return debug_info;
}

HPyContext *hpy_debug_context(void)
{
    return hpy_debug_info() != NULL ? &base_context : NULL;
}

/* This thread's context in use (see debug_fast.h). */
#ifdef HPY_DEBUG_THREAD_LOCAL
HPY_DEBUG_THREAD_LOCAL HPyContext *hpy_debug_current_ctx;
#else
HPyContext *hpy_debug_swap_current(HPyDebugInfo *info, HPyContext *ctx)
{
    HPyContext *previous = PyThread_tss_get(&info->current);
    PyThread_tss_set(&info->current, ctx);
    return previous;
}
#endif

void hpy_debug_wrong_context(HPyContext *dctx, const char *fn)
{
    (void)dctx;
    fprintf(stderr, "Error: Wrong HPy Context! %s was called with a context that is not the "
            "one of the current call: a context is valid only during the call it is given to "
            "(was it kept in a global?)\n", fn);
    char *stack = hpy_debug_capture_stack(16);
    if (stack != NULL)
        fprintf(stderr, "C stack:\n%s\n", stack);
    free(stack);
    fflush(stderr);
    Py_FatalError("HPy debug mode: Wrong HPy Context");
}

void hpy_debug_unsupported(const char *fn)
{
    PyErr_Format(PyExc_SystemError, "%s is not supported in debug mode yet in hpy_build", fn);
}
