/* The trace context: wraps the universal context, counts the calls of each
   context function, accumulates the time spent in it and calls the Python
   trace functions set with hpy_build.trace.set_trace_functions(). Handles
   are the universal ones. One trace context exists per process, like the
   universal context; modules loaded in another mode never see it. */
#ifndef HPY_TRACE_INTERNAL_H
#define HPY_TRACE_INTERNAL_H

#include "universal/context.h"
#include "autogen/trace_nmembers.h"

/* A monotonic time in nanoseconds. */
typedef int64_t HPyTraceTime;

typedef struct {
    HPyContext *uctx;
    uint64_t call_counts[HPY_TRACE_NMEMBERS];
    HPyTraceTime durations[HPY_TRACE_NMEMBERS];
    PyObject *on_enter, *on_exit;       /* called with the function's name, or NULL */
} HPyTraceInfo;

/* Generated (runtime/autogen/trace_ctx_table.c). */
extern _HPy_HIDDEN const char *const hpy_trace_names[HPY_TRACE_NMEMBERS];
_HPy_HIDDEN void hpy_trace_fill_context(HPyContext *tctx, HPyContext *uctx);

/* The process's trace context, created on first use; NULL with an exception. */
_HPy_HIDDEN HPyContext *hpy_trace_context(void);
_HPy_HIDDEN HPyTraceInfo *hpy_trace_info(void);

_HPy_HIDDEN HPyTraceTime hpy_trace_now(void);
_HPy_HIDDEN void hpy_trace_call(PyObject *func, int index, const char *which);

_HPy_HIDDEN void trace_ctx_CallRealFunctionFromTrampoline(HPyContext *tctx, HPyFunc_Signature sig,
                                                          HPyCFunction func, void *args);

static inline HPyTraceInfo *hpy_trace_enter(HPyContext *tctx, int index)
{
    HPyTraceInfo *info = (HPyTraceInfo *)tctx->_private;
    info->call_counts[index]++;
    if (info->on_enter != NULL)
        hpy_trace_call(info->on_enter, index, "on-enter");
    return info;
}

static inline void hpy_trace_exit(HPyTraceInfo *info, int index, HPyTraceTime start)
{
    info->durations[index] += hpy_trace_now() - start;
    if (info->on_exit != NULL)
        hpy_trace_call(info->on_exit, index, "on-exit");
}

#endif /* HPY_TRACE_INTERNAL_H */
