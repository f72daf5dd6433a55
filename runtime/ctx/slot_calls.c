/* See slot_calls.h. */
#include "ctx/slot_calls.h"

void _HPy_FinalizerEnter(_HPyPendingError *pending)
{
    PyErr_Fetch(&pending->type, &pending->value, &pending->traceback);
}

void _HPy_FinalizerLeave(_HPyPendingError *pending, PyObject *self)
{
    if (PyErr_Occurred())
        PyErr_WriteUnraisable(self);
    PyErr_Restore(pending->type, pending->value, pending->traceback);
}

void _HPy_CallCapsuleDestructor(HPyFunc_capsule_destructor impl, PyObject *capsule)
{
    const char *name = PyCapsule_GetName(capsule);
    impl(name, PyCapsule_GetPointer(capsule, name), PyCapsule_GetContext(capsule));
}
