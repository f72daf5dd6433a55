/* _HPy_CallRealFunctionFromTrampoline of the debug context: the trampolines
   of a module loaded in debug mode land here (see
   runtime/universal/call_trampoline.c for the universal one). Each PyObject *
   argument becomes a debug handle for the duration of the call, the call gets
   its own context copy, and the result is checked (debug_results.c) and
   handed back to CPython. The generic signatures are generated
   (debug_dispatch_cases.inc). */
#include "debug/debug_internal.h"
#include "ctx/module.h"
#include "ctx/traverse.h"
#include "ctx/slot_calls.h"

#define SMALL_ARGS 16

/* The arguments of the four signatures that take an array (VARARGS,
   KEYWORDS, INITPROC, NEWFUNC) as debug handles: self, the array (of
   `items`, or of `tuple` if not NULL; in `small` if it fits) and one more
   object (the keyword names or dict; NULL for VARARGS). The records are
   kept beside the handles the extension gets, to close them without a
   look-up (and whatever the extension did to the array). */
typedef struct {
    DebugHandle *self, *extra;
    HPy *args;
    DebugHandle **records;
    Py_ssize_t n;
    HPy small[SMALL_ARGS];
    DebugHandle *small_records[SMALL_ARGS];
} ArrayArgs;

/* false with MemoryError */
static bool open_array_args(HPyDebugInfo *info, ArrayArgs *v, PyObject *self,
                            PyObject *const *items, PyObject *tuple, Py_ssize_t n,
                            PyObject *extra)
{
    v->args = v->small;
    v->records = v->small_records;
    if (n > SMALL_ARGS) {
        v->args = malloc((size_t)n * (sizeof(HPy) + sizeof(DebugHandle *)));
        if (v->args == NULL) {
            PyErr_NoMemory();
            return false;
        }
        v->records = (DebugHandle **)(void *)(v->args + n);
    }
    v->n = n;
    for (Py_ssize_t i = 0; i < n; i++) {
        v->records[i] = hpy_debug_open_arg(info, tuple != NULL ? PyTuple_GET_ITEM(tuple, i)
                                                               : items[i]);
        v->args[i] = hpy_debug_arg(info, v->records[i]);
    }
    v->self = hpy_debug_open_arg(info, self);
    v->extra = hpy_debug_open_arg(info, extra);
    return true;
}

static void close_array_args(HPyDebugInfo *info, ArrayArgs *v)
{
    hpy_debug_close_arg(info, v->self);
    hpy_debug_close_arg(info, v->extra);
    for (Py_ssize_t i = 0; i < v->n; i++)
        hpy_debug_close_arg(info, v->records[i]);
    if (v->args != v->small)
        free(v->args);
}

void debug_ctx_CallRealFunctionFromTrampoline(HPyContext *dctx, HPyFunc_Signature sig,
                                              HPyCFunction func, void *args)
{
    HPyDebugInfo *info = hpy_debug_ctx_info(dctx)->info;
    ArrayArgs v;
    switch (sig) {
    case HPyFunc_VARARGS: {
        _HPyFunc_args_VARARGS *a = args;
        if (!open_array_args(info, &v, a->self, a->args, NULL, a->nargs, NULL))
            return;
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        HPy d_result = _HPy_FUNC_CAST(HPyFunc_varargs, func)(c, hpy_debug_arg(info, v.self),
                                                             v.args, (size_t)v.n);
        hpy_debug_call_end(info, c, saved);
        a->result = _h2py(hpy_debug_result(info, d_result, "HPyFunc_VARARGS"));
        close_array_args(info, &v);
        return;
    }
    case HPyFunc_KEYWORDS: {
        _HPyFunc_args_KEYWORDS *a = args;
        Py_ssize_t nargs = PyVectorcall_NARGS(a->nargsf);
        Py_ssize_t nall = nargs + (a->kwnames != NULL ? PyTuple_GET_SIZE(a->kwnames) : 0);
        if (!open_array_args(info, &v, a->self, a->args, NULL, nall, a->kwnames))
            return;
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        HPy d_result = _HPy_FUNC_CAST(HPyFunc_keywords, func)(c, hpy_debug_arg(info, v.self),
                                                              v.args, (size_t)nargs,
                                                              hpy_debug_arg(info, v.extra));
        hpy_debug_call_end(info, c, saved);
        a->result = _h2py(hpy_debug_result(info, d_result, "HPyFunc_KEYWORDS"));
        close_array_args(info, &v);
        return;
    }
    case HPyFunc_INITPROC: {
        _HPyFunc_args_INITPROC *a = args;
        if (!open_array_args(info, &v, a->self, NULL, a->args, PyTuple_GET_SIZE(a->args), a->kw)) {
            a->result = -1;
            return;
        }
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        a->result = _HPy_FUNC_CAST(HPyFunc_initproc, func)(c, hpy_debug_arg(info, v.self),
                                                           v.args, v.n,
                                                           hpy_debug_arg(info, v.extra));
        hpy_debug_call_end(info, c, saved);
        a->result = (int)hpy_debug_status(a->result, false, "HPyFunc_INITPROC");
        close_array_args(info, &v);
        return;
    }
    case HPyFunc_NEWFUNC: {
        _HPyFunc_args_NEWFUNC *a = args;
        if (!open_array_args(info, &v, a->self, NULL, a->args, PyTuple_GET_SIZE(a->args), a->kw))
            return;
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        HPy d_result = _HPy_FUNC_CAST(HPyFunc_newfunc, func)(c, hpy_debug_arg(info, v.self),
                                                             v.args, v.n,
                                                             hpy_debug_arg(info, v.extra));
        hpy_debug_call_end(info, c, saved);
        a->result = _h2py(hpy_debug_result(info, d_result, "HPyFunc_NEWFUNC"));
        close_array_args(info, &v);
        return;
    }
    case HPyFunc_RICHCMPFUNC: {
        _HPyFunc_args_RICHCMPFUNC *a = args;
        DebugHandle *d0 = hpy_debug_open_arg(info, a->arg0);
        DebugHandle *d1 = hpy_debug_open_arg(info, a->arg1);
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        HPy d_result = _HPy_FUNC_CAST(HPyFunc_richcmpfunc, func)(c, hpy_debug_arg(info, d0),
                                                                 hpy_debug_arg(info, d1), a->arg2);
        hpy_debug_call_end(info, c, saved);
        a->result = _h2py(hpy_debug_result(info, d_result, "HPyFunc_RICHCMPFUNC"));
        hpy_debug_close_arg(info, d0);
        hpy_debug_close_arg(info, d1);
        return;
    }
    case HPyFunc_GETBUFFERPROC: {
        _HPyFunc_args_GETBUFFERPROC *a = args;
        HPy_buffer hbuf;
        DebugHandle *d_self = hpy_debug_open_arg(info, a->self);
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        int status = _HPy_FUNC_CAST(HPyFunc_getbufferproc, func)(c, hpy_debug_arg(info, d_self),
                                                                 &hbuf, a->flags);
        hpy_debug_call_end(info, c, saved);
        a->result = (int)hpy_debug_status(status, false, "HPyFunc_GETBUFFERPROC");
        if (a->result < 0 && status >= 0)   /* filled in, but an exception was set */
            hpy_debug_close(info, hbuf.obj, "HPy_bf_getbuffer");
        hpy_debug_close_arg(info, d_self);
        if (a->result < 0) {
            a->view->obj = NULL;
            return;
        }
        Py_buffer *view = a->view;
        view->buf = hbuf.buf;
        /* the view owns the object */
        view->obj = _h2py(hpy_debug_result(info, hbuf.obj, "HPyFunc_GETBUFFERPROC"));
        view->len = hbuf.len;
        view->itemsize = hbuf.itemsize;
        view->readonly = hbuf.readonly;
        view->ndim = hbuf.ndim;
        view->format = hbuf.format;
        view->shape = hbuf.shape;
        view->strides = hbuf.strides;
        view->suboffsets = hbuf.suboffsets;
        view->internal = hbuf.internal;
        return;
    }
    case HPyFunc_RELEASEBUFFERPROC: {
        _HPyFunc_args_RELEASEBUFFERPROC *a = args;
        Py_buffer *view = a->view;
        DebugHandle *d_obj = hpy_debug_open_arg(info, view->obj);
        HPy_buffer hbuf = {
            .buf = view->buf, .obj = hpy_debug_arg(info, d_obj),
            .len = view->len, .itemsize = view->itemsize, .readonly = view->readonly,
            .ndim = view->ndim, .format = view->format, .shape = view->shape,
            .strides = view->strides, .suboffsets = view->suboffsets, .internal = view->internal,
        };
        DebugHandle *d_self = hpy_debug_open_arg(info, a->self);
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        _HPy_FUNC_CAST(HPyFunc_releasebufferproc, func)(c, hpy_debug_arg(info, d_self), &hbuf);
        hpy_debug_call_end(info, c, saved);
        hpy_debug_close_arg(info, d_self);
        hpy_debug_close_arg(info, d_obj);
        return;
    }
    case HPyFunc_TRAVERSEPROC: {
        /* no context and no handles: the objects are visited directly */
        _HPyFunc_args_TRAVERSEPROC *a = args;
        a->result = _HPy_CallTraverse(_HPy_FUNC_CAST(HPyFunc_traverseproc, func),
                                      a->self, a->visit, a->arg);
        return;
    }
    case HPyFunc_DESTRUCTOR: {
        /* tp_finalize: leave the exception being raised as it was */
        _HPyFunc_args_DESTRUCTOR *a = args;
        _HPyPendingError pending;
        _HPy_FinalizerEnter(&pending);
        DebugHandle *d_arg0 = hpy_debug_open_arg(info, a->arg0);
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        _HPy_FUNC_CAST(HPyFunc_destructor, func)(c, hpy_debug_arg(info, d_arg0));
        hpy_debug_call_end(info, c, saved);
        hpy_debug_close_arg(info, d_arg0);
        _HPy_FinalizerLeave(&pending, a->arg0);
        return;
    }
    case HPyFunc_CAPSULE_DESTRUCTOR:   /* no handles: as in universal mode */
        _HPy_CallCapsuleDestructor(_HPy_FUNC_CAST(HPyFunc_capsule_destructor, func), args);
        return;
    case HPyFunc_MOD_CREATE: {
        _HPyFunc_args_MOD_CREATE *a = args;
        DebugHandle *d_spec = hpy_debug_open_arg(info, a->spec);
        HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);
        HPy d_result = _HPy_FUNC_CAST(HPyFunc_mod_create, func)(c, hpy_debug_arg(info, d_spec));
        hpy_debug_call_end(info, c, saved);
        HPy u_result = hpy_debug_result(info, d_result, "HPyFunc_MOD_CREATE");
        a->result = _HPyModule_CheckCreateResult(_h2py(u_result));
        hpy_debug_close_arg(info, d_spec);
        return;
    }
#include "autogen/debug_dispatch_cases.inc"
    default:
        PyErr_Format(PyExc_SystemError,
                     "HPy trampoline called with unsupported signature %d (debug mode)", (int)sig);
        return;
    }
}
