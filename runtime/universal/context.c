/* The universal context on CPython: one for the process, shared by all
   universal modules, filled in on first use. */
#include "universal/context.h"

static struct _HPyContext_s universal_context;

HPyContext *hpy_runtime_universal_context(void)
{
    HPyContext *ctx = &universal_context;
    if (ctx->name == NULL) {
        hpy_runtime_fill_context(ctx);
        ctx->abi_version = HPY_ABI_VERSION;
        /* handles are PyObject *, and ctx_CallRealFunctionFromTrampoline only
           converts them: trampolines may call implementations directly */
        ctx->_private = _HPY_DIRECT_CALLS_MARK;
        ctx->name = "HPy Universal ABI (hpy_build, CPython backend)";
    }
    return ctx;
}
