/*
 * hpy.h: the HPy 0.9 API, for all three ABIs.
 *
 * The build chooses the ABI with exactly one macro (hpy_extension() and
 * `hpy-config --cflags` set it):
 *   HPY_ABI_CPYTHON    handles are PyObject *, every call inlines to the C API;
 *   HPY_ABI_UNIVERSAL  every call goes through the HPyContext function table:
 *                      one binary for every Python (file: name.hpy0.so);
 *   HPY_ABI_HYBRID     universal plus the legacy C API, tied to one CPython.
 */
#ifndef HPy_H
#define HPy_H

#if defined(HPY_ABI_CPYTHON) + defined(HPY_ABI_UNIVERSAL) + defined(HPY_ABI_HYBRID) > 1
#  error "hpy.h: define only one of HPY_ABI_CPYTHON, HPY_ABI_UNIVERSAL and HPY_ABI_HYBRID"
#elif defined(HPY_ABI_CPYTHON)
#  define HPY_ABI "cpython"
#elif defined(HPY_ABI_UNIVERSAL)
#  define HPY_ABI "universal"
#elif defined(HPY_ABI_HYBRID)
#  define HPY_ABI "hybrid"
#else
#  error "hpy.h: the ABI is not set: define HPY_ABI_CPYTHON, HPY_ABI_UNIVERSAL or HPY_ABI_HYBRID (hpy-config --cflags gives the flags)"
#endif

#if defined(HPY_ABI_CPYTHON) || defined(HPY_ABI_HYBRID)
#  ifndef PY_SSIZE_T_CLEAN
#    define PY_SSIZE_T_CLEAN
#  endif
#  include <Python.h>
#  include "hpy/cpython/pycompat.h"
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "hpy/version.h"
#include "hpy/base.h"
#include "hpy/cpy_types.h"
#include "hpy/macros.h"
#include "hpy/hpyfunc.h"
#include "hpy/hpydef.h"
#include "hpy/hpytype.h"
#include "hpy/hpymodule.h"

#ifdef HPY_ABI_CPYTHON
#  include "hpy/cpython/handles.h"
#  include "hpy/autogen/ctx_cpython.h"
#  include "hpy/autogen/ctx_funcs.h"
#  include "hpy/cpython/ctx_inline.h"
#  include "hpy/autogen/api_cpython.h"
#else
#  include "hpy/autogen/ctx_universal.h"
#  include "hpy/autogen/api_universal.h"
#endif

#include "hpy/inline_helpers.h"
#include "hpy/capsule_helpers.h"
#include "hpy/runtime/argparse.h"
#include "hpy/runtime/buildvalue.h"
#include "hpy/runtime/format.h"
#include "hpy/runtime/helpers.h"
#include "hpy/runtime/structseq.h"

#ifdef __cplusplus
}
#endif

#endif /* HPy_H */
