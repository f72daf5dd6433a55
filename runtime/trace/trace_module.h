/* The entry points of the trace mode for the runtime's Python module. */
#ifndef HPY_TRACE_MODULE_H
#define HPY_TRACE_MODULE_H

#include "universal/context.h"

/* The process's trace context (created on first use); NULL with an exception. */
_HPy_HIDDEN HPyContext *hpy_trace_context(void);

/* A new hpy_build.universal._trace module object. */
_HPy_HIDDEN PyObject *hpy_trace_create_module(void);

#endif
