/* API functions that are not in the context: small conveniences written on
   top of it, identical in every ABI. */
#ifndef HPY_INLINE_HELPERS_H
#define HPY_INLINE_HELPERS_H

#include <limits.h>

HPyAPI_INLINE_HELPER HPy HPyErr_SetFromErrno(HPyContext *ctx, HPy h_type)
{
    return HPyErr_SetFromErrnoWithFilenameObjects(ctx, h_type, HPy_NULL, HPy_NULL);
}

HPyAPI_INLINE_HELPER HPy HPyErr_SetFromErrnoWithFilenameObject(HPyContext *ctx, HPy h_type, HPy filename)
{
    return HPyErr_SetFromErrnoWithFilenameObjects(ctx, h_type, filename, HPy_NULL);
}

/* HPyTuple_Pack(ctx, n, h1, …, hn): a new tuple of the n handles (not stolen).
   If the builder could not be made, Set ignores it and Build raises. */
HPyAPI_INLINE_HELPER HPy HPyTuple_Pack(HPyContext *ctx, HPy_ssize_t n, ...)
{
    va_list vargs;
    HPyTupleBuilder builder = HPyTupleBuilder_New(ctx, n);
    va_start(vargs, n);
    for (HPy_ssize_t i = 0; i < n; i++)
        HPyTupleBuilder_Set(ctx, builder, i, va_arg(vargs, HPy));
    va_end(vargs);
    return HPyTupleBuilder_Build(ctx, builder);
}

HPyAPI_INLINE_HELPER int HPy_DelAttr(HPyContext *ctx, HPy obj, HPy name)
{
    return HPy_SetAttr(ctx, obj, name, HPy_NULL);
}

HPyAPI_INLINE_HELPER int HPy_DelAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name)
{
    return HPy_SetAttr_s(ctx, obj, utf8_name, HPy_NULL);
}

/* The C integer types map onto the fixed-width context functions; in the
   CPython ABI, straight onto the C API function of the same type. */
HPyAPI_INLINE_HELPER HPy HPyLong_FromLong(HPyContext *ctx, long l)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return _py2h(PyLong_FromLong(l));
#else
#  if LONG_MAX == INT32_MAX
    return HPyLong_FromInt32_t(ctx, (int32_t)l);
#  else
    return HPyLong_FromInt64_t(ctx, (int64_t)l);
#  endif
#endif
}

HPyAPI_INLINE_HELPER HPy HPyLong_FromUnsignedLong(HPyContext *ctx, unsigned long l)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return _py2h(PyLong_FromUnsignedLong(l));
#else
#  if ULONG_MAX == UINT32_MAX
    return HPyLong_FromUInt32_t(ctx, (uint32_t)l);
#  else
    return HPyLong_FromUInt64_t(ctx, (uint64_t)l);
#  endif
#endif
}

HPyAPI_INLINE_HELPER HPy HPyLong_FromLongLong(HPyContext *ctx, long long l)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return _py2h(PyLong_FromLongLong(l));
#else
    return HPyLong_FromInt64_t(ctx, (int64_t)l);
#endif
}

HPyAPI_INLINE_HELPER HPy HPyLong_FromUnsignedLongLong(HPyContext *ctx, unsigned long long l)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return _py2h(PyLong_FromUnsignedLongLong(l));
#else
    return HPyLong_FromUInt64_t(ctx, (uint64_t)l);
#endif
}

HPyAPI_INLINE_HELPER long HPyLong_AsLong(HPyContext *ctx, HPy h)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyLong_AsLong(_h2py(h));
#else
#  if LONG_MAX == INT32_MAX
    return (long)HPyLong_AsInt32_t(ctx, h);
#  else
    return (long)HPyLong_AsInt64_t(ctx, h);
#  endif
#endif
}

HPyAPI_INLINE_HELPER unsigned long HPyLong_AsUnsignedLong(HPyContext *ctx, HPy h)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyLong_AsUnsignedLong(_h2py(h));
#else
#  if ULONG_MAX == UINT32_MAX
    return (unsigned long)HPyLong_AsUInt32_t(ctx, h);
#  else
    return (unsigned long)HPyLong_AsUInt64_t(ctx, h);
#  endif
#endif
}

HPyAPI_INLINE_HELPER unsigned long HPyLong_AsUnsignedLongMask(HPyContext *ctx, HPy h)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyLong_AsUnsignedLongMask(_h2py(h));
#else
#  if ULONG_MAX == UINT32_MAX
    return (unsigned long)HPyLong_AsUInt32_tMask(ctx, h);
#  else
    return (unsigned long)HPyLong_AsUInt64_tMask(ctx, h);
#  endif
#endif
}

HPyAPI_INLINE_HELPER long long HPyLong_AsLongLong(HPyContext *ctx, HPy h)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyLong_AsLongLong(_h2py(h));
#else
    return (long long)HPyLong_AsInt64_t(ctx, h);
#endif
}

HPyAPI_INLINE_HELPER unsigned long long HPyLong_AsUnsignedLongLong(HPyContext *ctx, HPy h)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyLong_AsUnsignedLongLong(_h2py(h));
#else
    return (unsigned long long)HPyLong_AsUInt64_t(ctx, h);
#endif
}

HPyAPI_INLINE_HELPER unsigned long long HPyLong_AsUnsignedLongLongMask(HPyContext *ctx, HPy h)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return PyLong_AsUnsignedLongLongMask(_h2py(h));
#else
    return (unsigned long long)HPyLong_AsUInt64_tMask(ctx, h);
#endif
}

HPyAPI_INLINE_HELPER HPy HPyBool_FromLong(HPyContext *ctx, long v)
{
#ifdef HPY_ABI_CPYTHON
    (void)ctx;
    return _py2h(PyBool_FromLong(v));
#else
    return HPyBool_FromBool(ctx, v != 0);
#endif
}

/* Clip *start and *stop (from HPySlice_Unpack) to a sequence of `length`
   items and return how many items the slice selects. */
HPyAPI_INLINE_HELPER HPy_ssize_t HPySlice_AdjustIndices(HPyContext *ctx, HPy_ssize_t length,
                                                        HPy_ssize_t *start, HPy_ssize_t *stop,
                                                        HPy_ssize_t step)
{
    (void)ctx;
    HPy_ssize_t lower = step < 0 ? -1 : 0, upper = step < 0 ? length - 1 : length;
    if (*start < 0) {
        *start += length;
        if (*start < lower)
            *start = lower;
    } else if (*start > upper) {
        *start = upper;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < lower)
            *stop = lower;
    } else if (*stop > upper) {
        *stop = upper;
    }
    if (step < 0)
        return *stop < *start ? (*start - *stop - 1) / (-step) + 1 : 0;
    return *start < *stop ? (*stop - *start - 1) / step + 1 : 0;
}

HPyAPI_INLINE_HELPER HPy HPy_CallMethodTupleDict(HPyContext *ctx, HPy name, HPy receiver,
                                                 HPy args, HPy kw)
{
    HPy method = HPy_GetAttr(ctx, receiver, name);
    if (HPy_IsNull(method))
        return HPy_NULL;
    HPy result = HPy_CallTupleDict(ctx, method, args, kw);
    HPy_Close(ctx, method);
    return result;
}

HPyAPI_INLINE_HELPER HPy HPy_CallMethodTupleDict_s(HPyContext *ctx, const char *utf8_name,
                                                   HPy receiver, HPy args, HPy kw)
{
    HPy method = HPy_GetAttr_s(ctx, receiver, utf8_name);
    if (HPy_IsNull(method))
        return HPy_NULL;
    HPy result = HPy_CallTupleDict(ctx, method, args, kw);
    HPy_Close(ctx, method);
    return result;
}

#endif /* HPY_INLINE_HELPERS_H */
