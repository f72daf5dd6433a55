/* HPyTracker: remembers handles so that one call closes them all (typically
   on an error path). There is always room for one more handle, so a failed
   HPyTracker_Add still tracks its handle and HPyTracker_Close releases it;
   HPyTracker_New(ctx, n) makes room for n without any Add failing. */
#include "hpy_runtime_base.h"

typedef struct {
    HPy_ssize_t capacity;
    HPy_ssize_t length;
    HPy *handles;
} Tracker;

static Tracker *as_tracker(HPyTracker ht) { return (Tracker *)ht._i; }

HPyAPI_IMPL HPyTracker ctx_Tracker_New(HPyContext *ctx, HPy_ssize_t capacity)
{
    (void)ctx;
    if (capacity < 0) {
        PyErr_SetString(PyExc_ValueError, "HPyTracker_New: negative size");
        return (HPyTracker){0};
    }
    Tracker *t = PyMem_Malloc(sizeof(Tracker));
    if (t == NULL) {
        PyErr_NoMemory();
        return (HPyTracker){0};
    }
    t->capacity = (capacity > 0 ? capacity : 4) + 1;
    t->length = 0;
    t->handles = PyMem_Calloc((size_t)t->capacity, sizeof(HPy));
    if (t->handles == NULL) {
        PyMem_Free(t);
        PyErr_NoMemory();
        return (HPyTracker){0};
    }
    return (HPyTracker){ (intptr_t)t };
}

/* 0 on success; -1 with MemoryError if the tracker could not grow (the
   handle is tracked all the same). */
HPyAPI_IMPL int ctx_Tracker_Add(HPyContext *ctx, HPyTracker ht, HPy h)
{
    (void)ctx;
    Tracker *t = as_tracker(ht);
    if (t->length == t->capacity) {
        /* full after an earlier failed Add: release h now rather than lose it */
        Py_XDECREF(_h2py(h));
        PyErr_NoMemory();
        return -1;
    }
    t->handles[t->length++] = h;
    if (t->length == t->capacity) {
        HPy *grown = PyMem_Realloc(t->handles, (size_t)t->capacity * 2 * sizeof(HPy));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        t->handles = grown;
        t->capacity *= 2;
    }
    return 0;
}

HPyAPI_IMPL void ctx_Tracker_ForgetAll(HPyContext *ctx, HPyTracker ht)
{
    (void)ctx;
    as_tracker(ht)->length = 0;
}

HPyAPI_IMPL void ctx_Tracker_Close(HPyContext *ctx, HPyTracker ht)
{
    (void)ctx;
    Tracker *t = as_tracker(ht);
    if (t == NULL)
        return;
    for (HPy_ssize_t i = 0; i < t->length; i++)
        Py_XDECREF(_h2py(t->handles[i]));
    PyMem_Free(t->handles);
    PyMem_Free(t);
}
