/* What every C file of the runtime and of the CPython-ABI helper library
   starts with: the C API, the HPy API of the ABI being compiled (CPython for
   the helper library, hybrid for the universal runtime), handle conversions
   and the declarations of the out-of-line ctx_* functions. */
#ifndef HPY_RUNTIME_BASE_H
#define HPY_RUNTIME_BASE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "hpy.h"
#include "hpy/cpython/handles.h"
#include "hpy/autogen/ctx_funcs.h"

#endif
