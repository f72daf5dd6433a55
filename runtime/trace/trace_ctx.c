/* The trace context of the process and what its wrappers call. */
#include "trace/trace_internal.h"
#include <stdio.h>
#include <time.h>

static struct _HPyContext_s trace_context;
static HPyTraceInfo *trace_info;

HPyTraceInfo *hpy_trace_info(void)
{
    if (trace_info != NULL)
        return trace_info;
    HPyContext *uctx = hpy_runtime_universal_context();
    if (uctx == NULL)
        return NULL;
    HPyTraceInfo *info = calloc(1, sizeof(HPyTraceInfo));
    if (info == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    info->uctx = uctx;
    trace_context.name = "HPy Trace Mode ABI (hpy_build, CPython backend)";
    trace_context.abi_version = HPY_ABI_VERSION;
    trace_context._private = info;
    hpy_trace_fill_context(&trace_context, uctx);
    trace_info = info;
    return info;
}

HPyContext *hpy_trace_context(void)
{
    return hpy_trace_info() != NULL ? &trace_context : NULL;
}

HPyTraceTime hpy_trace_now(void)
{
#if defined(CLOCK_MONOTONIC)
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0)
        return (HPyTraceTime)ts.tv_sec * 1000000000 + ts.tv_nsec;
    Py_FatalError("HPy trace mode: could not get monotonic clock");
#else
    return (HPyTraceTime)((double)clock() * (1e9 / CLOCKS_PER_SEC));
#endif
}

void hpy_trace_call(PyObject *func, int index, const char *which)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *res = PyObject_CallFunction(func, "s", hpy_trace_names[index]);
    if (res == NULL) {
        PyErr_Print();
        char msg[100];
        PyOS_snprintf(msg, sizeof msg, "error when executing %s trace function", which);
        Py_FatalError(msg);
    }
    Py_DECREF(res);
    PyErr_Restore(type, value, tb);
}

/* Handles are universal ones: the universal dispatch does the work, handing
   the trace context to the function it calls. Not counted, as in HPy 0.9. */
void trace_ctx_CallRealFunctionFromTrampoline(HPyContext *tctx, HPyFunc_Signature sig,
                                              HPyCFunction func, void *args)
{
    ctx_CallRealFunctionFromTrampoline(tctx, sig, func, args);
}
