/* Calls into the extension that need care around them, shared by the
   CPython-ABI trampolines (hpy/cpython/hpyfunc_trampolines.h declares them
   too), the universal dispatch and the debug dispatch. */
#ifndef HPY_RUNTIME_CTX_SLOT_CALLS_H
#define HPY_RUNTIME_CTX_SLOT_CALLS_H

#include "hpy_runtime_base.h"

#ifndef HPY_ABI_CPYTHON   /* (the CPython ABI's header declares them already) */
/* HPy_tp_finalize runs while an exception may be propagating (the code that
   dropped the last reference may be raising) and must leave it as it was,
   as CPython's own slot_tp_finalize does: Enter sets it aside, Leave
   reports what the finalizer raised as unraisable and puts it back. */
typedef struct { PyObject *type, *value, *traceback; } _HPyPendingError;
_HPy_HIDDEN void _HPy_FinalizerEnter(_HPyPendingError *pending);
_HPy_HIDDEN void _HPy_FinalizerLeave(_HPyPendingError *pending, PyObject *self);

/* An HPyCapsule_DESTRUCTOR gets the capsule's name, pointer and context. */
_HPy_HIDDEN void _HPy_CallCapsuleDestructor(HPyFunc_capsule_destructor impl, PyObject *capsule);
#endif

#endif
