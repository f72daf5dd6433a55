/* What a call into the extension returned, checked against the error
   protocol: an HPy result is HPy_NULL exactly when an exception is set, an
   int-like status is an error value (-1) exactly when one is set. CPython
   checks this only for the functions it calls as methods; in debug mode every
   HPyFunc signature is checked, and the mistake becomes a SystemError (the
   exception that was left behind, if any, as its cause) instead of an error
   that surfaces later, somewhere else. */
#include "debug/debug_internal.h"

/* SystemError, with the exception that was set as its cause. */
static void system_error_from_current(const char *msg)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb != NULL && value != NULL)
        PyException_SetTraceback(value, tb);
    PyErr_SetString(PyExc_SystemError, msg);
    if (value != NULL) {
        PyObject *t2, *v2, *tb2;
        PyErr_Fetch(&t2, &v2, &tb2);
        PyErr_NormalizeException(&t2, &v2, &tb2);
        Py_INCREF(value);
        PyException_SetCause(v2, value);
        PyException_SetContext(v2, value);
        PyErr_Restore(t2, v2, tb2);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
}

/* A result uh (already closed as a debug handle) with an exception set:
   closes uh, raises SystemError naming `sig`. */
static _HPY_COLD HPy result_raised(HPyDebugInfo *info, HPy uh, const char *sig)
{
    char msg[200];
    info->uctx->ctx_Close(info->uctx, uh);
    PyOS_snprintf(msg, sizeof msg, "HPy debug mode: a function returned a result with an "
                  "exception set (signature %s)", sig);
    system_error_from_current(msg);
    return HPy_NULL;
}

/* hpy_debug_result for anything but an open handle of the extension's own:
   HPy_NULL, an invalid or closed handle, a constant, an argument. */
static _HPY_COLD HPy result_slow(HPyDebugInfo *info, HPy dh, const char *sig)
{
    if (HPy_IsNull(dh)) {
        if (!PyErr_Occurred()) {
            char msg[200];
            PyOS_snprintf(msg, sizeof msg, "HPy debug mode: a function returned HPy_NULL without "
                          "setting an exception (signature %s)", sig);
            PyErr_SetString(PyExc_SystemError, msg);
        }
        return HPy_NULL;
    }
    DebugHandle *h = hpy_debug_handle_of(info, dh);
    if (h == NULL || h->is_closed) {
        hpy_debug_bad_unwrap(info, dh, "the return value of a function");
        /* the hook let us go on: the object may be gone, do not hand it out */
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_SystemError, "HPy debug mode: a function returned an invalid "
                            "or closed handle");
        return HPy_NULL;
    }
    HPy uh = h->uh;
    if (h->is_immortal || h->is_arg) {
        if (h->is_immortal)
            hpy_debug_report_handle(info, h, HPY_DEBUG_CLOSED_MSG ": a function returned the "
                                    "context constant %s without HPy_Dup", h->origin);
        else
            hpy_debug_report_handle(info, h, HPY_DEBUG_CLOSED_MSG ": a function returned one of "
                                    "its arguments without HPy_Dup");
        /* the hook let us go on: the caller still holds the object */
        uh = info->uctx->ctx_Dup(info->uctx, uh);
    } else {
        hpy_debug_close_handle(info, h);
    }
    if (PyErr_Occurred())
        return result_raised(info, uh, sig);
    return uh;
}

HPy hpy_debug_result(HPyDebugInfo *info, HPy dh, const char *sig)
{
    DebugHandle *h = hpy_debug_handle_of(info, dh);
    if (h == NULL || h->is_closed || h->is_immortal || h->is_arg)
        return result_slow(info, dh, sig);
    HPy uh = h->uh;
    hpy_debug_close_handle(info, h);
    if (PyErr_Occurred())
        return result_raised(info, uh, sig);
    return uh;
}

HPy_ssize_t hpy_debug_bad_status(HPy_ssize_t result, bool error, const char *sig)
{
    char msg[200];
    if (error) {
        PyOS_snprintf(msg, sizeof msg, "HPy debug mode: a function returned %zd without setting "
                      "an exception (signature %s)", result, sig);
        PyErr_SetString(PyExc_SystemError, msg);
    } else {
        PyOS_snprintf(msg, sizeof msg, "HPy debug mode: a function returned a result with an "
                      "exception set (signature %s, result %zd)", sig, result);
        system_error_from_current(msg);
    }
    return -1;
}
