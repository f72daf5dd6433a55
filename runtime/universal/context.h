/* The universal runtime's context and its entry points. */
#ifndef HPY_RUNTIME_UNIVERSAL_CONTEXT_H
#define HPY_RUNTIME_UNIVERSAL_CONTEXT_H

#include "hpy_runtime_base.h"

/* The context every universal module loaded in universal mode shares;
   NULL (with an exception set) if it could not be filled in. */
_HPy_HIDDEN HPyContext *hpy_runtime_universal_context(void);

/* Generated (runtime/autogen/ctx_table.c): every handle and function. */
_HPy_HIDDEN void hpy_runtime_fill_context(HPyContext *ctx);

_HPy_HIDDEN void ctx_CallRealFunctionFromTrampoline(HPyContext *ctx, HPyFunc_Signature sig,
                                                    HPyCFunction func, void *args);

/* hpy_build.universal.HPyLoadError (a borrowed reference, made on first
   use); NULL with an exception set if it cannot be made. */
_HPy_HIDDEN PyObject *hpy_runtime_load_error_type(void);

/* Loads the universal module at `path` (see loader.c). */
_HPy_HIDDEN PyObject *hpy_runtime_load(PyObject *name, PyObject *path, PyObject *spec,
                                       HPyContext *ctx);

#endif
