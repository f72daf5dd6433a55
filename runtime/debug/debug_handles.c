/* Debug handles: opening, closing, unwrapping, and the reports of misuse. */
#include "debug/debug_internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Raw data of a closed handle counts towards raw_data_max. */
static void free_data(HPyDebugInfo *info, DebugHandle *h)
{
    if (h->data == NULL)
        return;
    if (h->is_closed)
        info->raw_data_size -= h->data_size;
    hpy_debug_raw_free(h->data, h->data_size);
    h->data = NULL;
    h->data_size = 0;
}

/* The stack and raw data of a handle whose record is freed or reused. */
static void release_extras(HPyDebugInfo *info, DebugHandle *h)
{
    free_data(info, h);
    free(h->stack);
    h->stack = NULL;
}

/* Its record goes back to the table: a later use of the handle is
   reported as the use of an invalid handle, without touching freed memory. */
static void drop_oldest_closed(HPyDebugInfo *info)
{
    DebugHandle *oldest = hpy_debug_list_first(&info->closed);
    hpy_debug_list_remove(&info->closed, oldest);
    release_extras(info, oldest);
    oldest->uh = HPy_NULL;
    hpy_debug_table_free(&info->handles, &oldest->slot);
}

/* Raw data of a handle being closed: protected, or freed when over the limit. */
static void keep_closed_data(HPyDebugInfo *info, DebugHandle *h)
{
    if (info->raw_data_size + h->data_size > info->raw_data_max) {
        /* over the limit: give the memory back now */
        hpy_debug_raw_free(h->data, h->data_size);
        h->data = NULL;
        h->data_size = 0;
    } else {
        info->raw_data_size += h->data_size;
        hpy_debug_raw_protect(h->data, h->data_size);
    }
}

void hpy_debug_close_handle_rest(HPyDebugInfo *info, DebugHandle *h)
{
    if (h->data != NULL)
        keep_closed_data(info, h);
    if (info->closed.size > info->closed_max)
        drop_oldest_closed(info);
}

DebugHandle *hpy_debug_open_record_slow(HPyDebugInfo *info, HPy uh, const char *origin,
                                        bool immortal, bool arg)
{
    DebugHandle *h;
    HPy_ssize_t n = info->closed.size;
    if (n > 0 && n >= info->closed_max) {
        /* the queue is full: its oldest handle makes room */
        h = hpy_debug_list_first(&info->closed);
        hpy_debug_list_remove(&info->closed, h);
        release_extras(info, h);
        hpy_debug_table_reuse(&info->handles, &h->slot);
    } else {
        h = (DebugHandle *)hpy_debug_table_take_sized(&info->handles, sizeof(DebugHandle));
    }
    char *stack = info->stack_limit > 0 ? hpy_debug_capture_stack(info->stack_limit) : NULL;
    hpy_debug_fill_record(info, h, uh, origin, immortal, arg, stack);
    return h;
}

HPy hpy_debug_open(HPyDebugInfo *info, HPy uh, const char *origin)
{
    if (HPy_IsNull(uh))
        return HPy_NULL;
    return hpy_debug_as_dhpy(info, hpy_debug_open_record(info, uh, origin, false, false));
}

HPy hpy_debug_open_immortal(HPyDebugInfo *info, HPy uh, const char *origin)
{
    if (HPy_IsNull(uh))
        return HPy_NULL;
    return hpy_debug_as_dhpy(info, hpy_debug_open_record(info, uh, origin, true, false));
}

DebugHandle *hpy_debug_open_arg(HPyDebugInfo *info, PyObject *obj)
{
    if (obj == NULL)
        return NULL;
    return hpy_debug_open_record(info, _py2h(obj), "the caller (an argument)", false, true);
}

void hpy_debug_close_arg(HPyDebugInfo *info, DebugHandle *h)
{
    if (h != NULL && !h->is_closed)
        hpy_debug_close_handle(info, h);
}

/* --- reports --- */

static void call_hook(PyObject *hook, const char *which)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *res = PyObject_CallObject(hook, NULL);
    if (res == NULL) {
        fprintf(stderr, "Error when executing the %s callback\n", which);
        PyErr_WriteUnraisable(hook);
    }
    Py_XDECREF(res);
    PyErr_Restore(type, value, tb);
}

/* The type and repr of an object known to be alive, on stderr. */
static void describe_object(PyObject *obj)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    fprintf(stderr, "The object is of type '%s': ", Py_TYPE(obj)->tp_name);
    fflush(stderr);
    PyObject *repr = PyObject_Repr(obj);
    const char *text = repr != NULL ? PyUnicode_AsUTF8(repr) : NULL;
    fprintf(stderr, "%.300s\n", text != NULL ? text : "<repr failed>");
    Py_XDECREF(repr);
    PyErr_Clear();
    PyErr_Restore(type, value, tb);
}

static _HPy_NO_RETURN void abort_with_report(const char *msg, DebugHandle *h)
{
    fprintf(stderr, "\nHPy debug mode: %s\n", msg);
    if (h != NULL) {
        /* an open handle (or an argument, or a constant) keeps its object alive */
        if (!h->is_closed && !HPy_IsNull(h->uh))
            describe_object(_h2py(h->uh));
        fprintf(stderr, "The handle was opened by %s.\n", h->origin);
        if (h->stack != NULL)
            fprintf(stderr, "It was opened at:\n%s\n", h->stack);
        else
            fprintf(stderr, "To see where it was opened, call "
                    "hpy_build.debug.set_handle_stack_trace_limit(N) first.\n");
    }
    fflush(stderr);
    Py_FatalError(msg);
}

void hpy_debug_report_handle(HPyDebugInfo *info, DebugHandle *h, const char *fmt, ...)
{
    if (info->on_invalid_handle != NULL) {
        call_hook(info->on_invalid_handle, "on_invalid_handle");
        return;
    }
    char msg[600];
    va_list vargs;
    va_start(vargs, fmt);
    PyOS_vsnprintf(msg, sizeof msg, fmt, vargs);
    va_end(vargs);
    abort_with_report(msg, h);
}

void hpy_debug_report_builder(HPyDebugInfo *info, const char *fmt, ...)
{
    if (info->on_invalid_builder != NULL) {
        call_hook(info->on_invalid_builder, "on_invalid_builder_handle");
        return;
    }
    char msg[600];
    va_list vargs;
    va_start(vargs, fmt);
    PyOS_vsnprintf(msg, sizeof msg, fmt, vargs);
    va_end(vargs);
    abort_with_report(msg, NULL);
}

#define CLOSED_MSG HPY_DEBUG_CLOSED_MSG

/* Something that is not a handle of the debug mode: the hook, or an abort.
   There is no object to go on with, so the call gets None instead. */
static HPy not_a_handle(HPyDebugInfo *info, HPy dh, const char *fn)
{
    if (hpy_debug_table_is_stale(&info->handles, dh._i))
        hpy_debug_report_handle(info, NULL, "Invalid handle: %s was given %p, a handle that was "
                                "closed long ago: it left the closed-handle queue (of %zd "
                                "handles, hpy_build.universal._debug."
                                "set_closed_handles_queue_max_size)", fn, (void *)dh._i,
                                info->closed_max);
    else if (!(dh._i & 1))
        hpy_debug_report_handle(info, NULL, "Invalid handle: %s was given %p, which is not a "
                                "debug-mode handle (a universal-mode handle, e.g. one kept from "
                                "a module loaded in universal mode, or garbage)", fn,
                                (void *)dh._i);
    else
        hpy_debug_report_handle(info, NULL, "Invalid handle: %s was given %p, which is not an "
                                "open handle (never opened: garbage, or another kind of value)",
                                fn, (void *)dh._i);
    return info->uctx->h_None;
}

HPy hpy_debug_bad_unwrap(HPyDebugInfo *info, HPy dh, const char *fn)
{
    DebugHandle *h = hpy_debug_handle_of(info, dh);
    if (h == NULL)
        return not_a_handle(info, dh, fn);
    hpy_debug_report_handle(info, h, CLOSED_MSG ": %s was given a handle that was closed before",
                            fn);
    return h->uh;
}

void hpy_debug_close(HPyDebugInfo *info, HPy dh, const char *fn)
{
    if (HPy_IsNull(dh))
        return;
    DebugHandle *h = hpy_debug_handle_of(info, dh);
    if (h == NULL || h->is_closed) {
        hpy_debug_bad_unwrap(info, dh, fn);
        return;         /* closing twice must not close the object twice */
    }
    if (h->is_immortal) {
        hpy_debug_report_handle(info, h, CLOSED_MSG ": %s of a context constant (%s): "
                                "they are never closed", fn, h->origin);
        return;
    }
    if (h->is_arg) {
        hpy_debug_report_handle(info, h, CLOSED_MSG ": %s of an argument: the arguments of a "
                                "call belong to the caller, which closes them when the call returns",
                                fn);
        return;
    }
    HPy uh = h->uh;
    hpy_debug_close_handle(info, h);
    info->uctx->ctx_Close(info->uctx, uh);     /* may run __del__ */
}

const char *hpy_debug_attach_data(HPyDebugInfo *info, HPy dh, const char *ptr, HPy_ssize_t size)
{
    DebugHandle *h = hpy_debug_handle_of(info, dh);
    if (ptr == NULL || h == NULL)
        return ptr;
    if (h->data != NULL) {
        /* asked again while open: the first copy may still be in use */
        if (h->data_size == size && memcmp(h->data, ptr, (size_t)size) == 0)
            return h->data;
        hpy_debug_raw_free(h->data, h->data_size);
        h->data = NULL;
    }
    void *copy = hpy_debug_raw_copy(ptr, size);
    if (copy == NULL)
        return ptr;
    h->data = copy;
    h->data_size = size;
    return copy;
}
