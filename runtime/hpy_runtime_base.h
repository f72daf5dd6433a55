/* What every C file of the runtime and of the CPython-ABI helper library
   starts with: the C API, the HPy API of the ABI being compiled (CPython for
   the helper library, hybrid for the universal runtime), handle conversions
   and the declarations of the out-of-line ctx_* functions. */
#ifndef HPY_RUNTIME_BASE_H
#define HPY_RUNTIME_BASE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
/* The runtime and the CPython-ABI context have every member and accept
   modules of every ABI minor version the headers know. */
#define HPY_ENABLE_ABI_0_1
#include "hpy.h"
#if HPY_ABI_VERSION_MINOR < 1
#  error "hpy.h was included before hpy_runtime_base.h: the runtime needs the full context"
#endif
#include "hpy/cpython/handles.h"
#include "hpy/autogen/ctx_funcs.h"

#endif
