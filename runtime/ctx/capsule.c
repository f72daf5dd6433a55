/* Capsules: HPyCapsule_New, _Get and _Set on PyCapsule. A capsule made
   here is an ordinary PyCapsule, so legacy code reads it with
   PyCapsule_GetPointer and HPy code reads capsules made by PyCapsule_New.
   Names are checked by the C API itself (strcmp, NULL matches only NULL). */
#include "hpy_runtime_base.h"

/* The C API calls the destructor's trampoline with the capsule; the
   trampoline calls the implementation once, when the capsule dies. A
   half-filled destructor would be called with a NULL function. */
static int check_destructor(const HPyCapsule_Destructor *destructor)
{
    if (destructor != NULL && (destructor->cpy_trampoline == NULL || destructor->impl == NULL)) {
        PyErr_SetString(PyExc_ValueError, "Invalid HPyCapsule destructor");
        return -1;
    }
    return 0;
}

static PyCapsule_Destructor trampoline_of(const HPyCapsule_Destructor *destructor)
{
    return destructor != NULL ? (PyCapsule_Destructor)destructor->cpy_trampoline : NULL;
}

HPyAPI_IMPL HPy ctx_Capsule_New(HPyContext *ctx, void *pointer, const char *utf8_name,
                                HPyCapsule_Destructor *destructor)
{
    (void)ctx;
    if (check_destructor(destructor) < 0)
        return HPy_NULL;
    return _py2h(PyCapsule_New(pointer, utf8_name, trampoline_of(destructor)));
}

HPyAPI_IMPL void *ctx_Capsule_Get(HPyContext *ctx, HPy capsule, _HPyCapsule_key key,
                                  const char *utf8_name)
{
    (void)ctx;
    PyObject *obj = _h2py(capsule);
    switch (key) {
    case HPyCapsule_key_Pointer:
        return PyCapsule_GetPointer(obj, utf8_name);
    case HPyCapsule_key_Name:
        return (void *)PyCapsule_GetName(obj);
    case HPyCapsule_key_Context:
        return PyCapsule_GetContext(obj);
    case HPyCapsule_key_Destructor:
        /* The capsule holds only the trampoline, not the HPyCapsule_Destructor. */
        PyErr_SetString(PyExc_ValueError, "Invalid operation: get HPyCapsule_key_Destructor");
        return NULL;
    }
    PyErr_Format(PyExc_ValueError, "Invalid HPyCapsule key: %d", (int)key);
    return NULL;
}

HPyAPI_IMPL int ctx_Capsule_Set(HPyContext *ctx, HPy capsule, _HPyCapsule_key key, void *value)
{
    (void)ctx;
    PyObject *obj = _h2py(capsule);
    switch (key) {
    case HPyCapsule_key_Pointer:
        return PyCapsule_SetPointer(obj, value);
    case HPyCapsule_key_Name:
        return PyCapsule_SetName(obj, (const char *)value);
    case HPyCapsule_key_Context:
        return PyCapsule_SetContext(obj, value);
    case HPyCapsule_key_Destructor: {
        const HPyCapsule_Destructor *destructor = (const HPyCapsule_Destructor *)value;
        if (check_destructor(destructor) < 0)
            return -1;
        return PyCapsule_SetDestructor(obj, trampoline_of(destructor));
    }
    }
    PyErr_Format(PyExc_ValueError, "Invalid HPyCapsule key: %d", (int)key);
    return -1;
}
