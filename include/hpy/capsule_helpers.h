/* The capsule accessors of HPy 0.9 that are not in the context: one key of
   HPyCapsule_Get / HPyCapsule_Set each. In the CPython ABI they are the C
   API's PyCapsule_* calls (the destructor still goes through HPyCapsule_Set,
   which checks it). */
#ifndef HPY_CAPSULE_HELPERS_H
#define HPY_CAPSULE_HELPERS_H

HPyAPI_INLINE_HELPER void *HPyCapsule_GetPointer(HPyContext *ctx, HPy capsule, const char *utf8_name)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyCapsule_GetPointer(_h2py(capsule), utf8_name);
#else
    return HPyCapsule_Get(ctx, capsule, HPyCapsule_key_Pointer, utf8_name);
#endif
}

HPyAPI_INLINE_HELPER const char *HPyCapsule_GetName(HPyContext *ctx, HPy capsule)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyCapsule_GetName(_h2py(capsule));
#else
    return (const char *)HPyCapsule_Get(ctx, capsule, HPyCapsule_key_Name, NULL);
#endif
}

HPyAPI_INLINE_HELPER void *HPyCapsule_GetContext(HPyContext *ctx, HPy capsule)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyCapsule_GetContext(_h2py(capsule));
#else
    return HPyCapsule_Get(ctx, capsule, HPyCapsule_key_Context, NULL);
#endif
}

HPyAPI_INLINE_HELPER int HPyCapsule_SetPointer(HPyContext *ctx, HPy capsule, void *pointer)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyCapsule_SetPointer(_h2py(capsule), pointer);
#else
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Pointer, pointer);
#endif
}

HPyAPI_INLINE_HELPER int HPyCapsule_SetName(HPyContext *ctx, HPy capsule, const char *utf8_name)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyCapsule_SetName(_h2py(capsule), utf8_name);
#else
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Name, (void *)utf8_name);
#endif
}

HPyAPI_INLINE_HELPER int HPyCapsule_SetContext(HPyContext *ctx, HPy capsule, void *context)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyCapsule_SetContext(_h2py(capsule), context);
#else
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Context, context);
#endif
}

HPyAPI_INLINE_HELPER int HPyCapsule_SetDestructor(HPyContext *ctx, HPy capsule,
                                                  HPyCapsule_Destructor *destructor)
{
    return HPyCapsule_Set(ctx, capsule, HPyCapsule_key_Destructor, (void *)destructor);
}

#endif /* HPY_CAPSULE_HELPERS_H */
