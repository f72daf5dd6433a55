/* The entry points of the debug mode for the runtime's Python module. */
#ifndef HPY_DEBUG_MODULE_H
#define HPY_DEBUG_MODULE_H

#include "universal/context.h"

/* The process's debug context (created on first use); NULL with an exception. */
_HPy_HIDDEN HPyContext *hpy_debug_context(void);

/* A new hpy_build.universal._debug module object. */
_HPy_HIDDEN PyObject *hpy_debug_create_module(void);

#endif
