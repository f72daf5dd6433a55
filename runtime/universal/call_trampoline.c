/* _HPy_CallRealFunctionFromTrampoline: a universal module's trampolines pass
   their C arguments in a struct (see hpy/universal/hpyfunc_trampolines.h);
   this turns them into handles, calls the implementation and stores the
   result back. Handles are PyObject *, so arrays pass through unchanged. */
#include "universal/context.h"
#include "ctx/module.h"
#include "ctx/traverse.h"
#include "ctx/slot_calls.h"

/* The cases with buffers or saved state on the stack are functions of their own,
   out of line: the switch below then needs no stack frame, and each of the
   common calls (a method, a getter, a slot) costs a jump and the call. */
#define COLD_CASE static _HPY_COLD

/* An HPy_buffer is a Py_buffer with a handle for the owner. */
static void buffer_to_py(const HPy_buffer *src, Py_buffer *dest)
{
    dest->buf = src->buf;
    dest->obj = _h2py(src->obj);
    dest->len = src->len;
    dest->itemsize = src->itemsize;
    dest->readonly = src->readonly;
    dest->ndim = src->ndim;
    dest->format = src->format;
    dest->shape = src->shape;
    dest->strides = src->strides;
    dest->suboffsets = src->suboffsets;
    dest->internal = src->internal;
}

static void buffer_from_py(const Py_buffer *src, HPy_buffer *dest)
{
    dest->buf = src->buf;
    dest->obj = _py2h(src->obj);
    dest->len = src->len;
    dest->itemsize = src->itemsize;
    dest->readonly = src->readonly;
    dest->ndim = src->ndim;
    dest->format = src->format;
    dest->shape = src->shape;
    dest->strides = src->strides;
    dest->suboffsets = src->suboffsets;
    dest->internal = src->internal;
}

COLD_CASE void call_getbuffer(HPyContext *ctx, HPyCFunction func, _HPyFunc_args_GETBUFFERPROC *a)
{
    HPy_buffer hbuf;
    a->result = _HPy_FUNC_CAST(HPyFunc_getbufferproc, func)(ctx, _py2h(a->self), &hbuf, a->flags);
    if (a->result < 0) {
        a->view->obj = NULL;
        return;
    }
    buffer_to_py(&hbuf, a->view);   /* the view takes over hbuf.obj */
}

COLD_CASE void call_releasebuffer(HPyContext *ctx, HPyCFunction func,
                                  _HPyFunc_args_RELEASEBUFFERPROC *a)
{
    HPy_buffer hbuf;
    buffer_from_py(a->view, &hbuf);
    _HPy_FUNC_CAST(HPyFunc_releasebufferproc, func)(ctx, _py2h(a->self), &hbuf);
}

/* tp_finalize: leave the exception being raised as it was */
COLD_CASE void call_finalizer(HPyContext *ctx, HPyCFunction func, _HPyFunc_args_DESTRUCTOR *a)
{
    _HPyPendingError pending;
    _HPy_FinalizerEnter(&pending);
    _HPy_FUNC_CAST(HPyFunc_destructor, func)(ctx, _py2h(a->arg0));
    _HPy_FinalizerLeave(&pending, a->arg0);
}

COLD_CASE void unsupported(HPyFunc_Signature sig)
{
    /* The trampolines zero their result: the caller sees a clean error. */
    PyErr_Format(PyExc_SystemError,
                 "HPy trampoline called with unsupported signature %d", (int)sig);
}

void ctx_CallRealFunctionFromTrampoline(HPyContext *ctx, HPyFunc_Signature sig,
                                        HPyCFunction func, void *args)
{
    switch (sig) {
    case HPyFunc_VARARGS: {
        _HPyFunc_args_VARARGS *a = args;
        a->result = _h2py(_HPy_FUNC_CAST(HPyFunc_varargs, func)(
            ctx, _py2h(a->self), _arr_py2h(a->args), (size_t)a->nargs));
        return;
    }
    case HPyFunc_KEYWORDS: {
        _HPyFunc_args_KEYWORDS *a = args;
        a->result = _h2py(_HPy_FUNC_CAST(HPyFunc_keywords, func)(
            ctx, _py2h(a->self), _arr_py2h(a->args), (size_t)PyVectorcall_NARGS(a->nargsf),
            _py2h(a->kwnames)));
        return;
    }
    /* a tuple's items are an array of handles already (as in the CPython ABI) */
    case HPyFunc_INITPROC: {
        _HPyFunc_args_INITPROC *a = args;
        a->result = _HPy_FUNC_CAST(HPyFunc_initproc, func)(
            ctx, _py2h(a->self), _arr_py2h(&PyTuple_GET_ITEM(a->args, 0)),
            PyTuple_GET_SIZE(a->args), _py2h(a->kw));
        return;
    }
    case HPyFunc_NEWFUNC: {
        _HPyFunc_args_NEWFUNC *a = args;
        a->result = _h2py(_HPy_FUNC_CAST(HPyFunc_newfunc, func)(
            ctx, _py2h(a->self), _arr_py2h(&PyTuple_GET_ITEM(a->args, 0)),
            PyTuple_GET_SIZE(a->args), _py2h(a->kw)));
        return;
    }
    case HPyFunc_RICHCMPFUNC: {
        _HPyFunc_args_RICHCMPFUNC *a = args;
        a->result = _h2py(_HPy_FUNC_CAST(HPyFunc_richcmpfunc, func)(
            ctx, _py2h(a->arg0), _py2h(a->arg1), a->arg2));
        return;
    }
    case HPyFunc_GETBUFFERPROC:
        call_getbuffer(ctx, func, args);
        return;
    case HPyFunc_RELEASEBUFFERPROC:
        call_releasebuffer(ctx, func, args);
        return;
    case HPyFunc_TRAVERSEPROC: {
        _HPyFunc_args_TRAVERSEPROC *a = args;
        a->result = _HPy_CallTraverse(_HPy_FUNC_CAST(HPyFunc_traverseproc, func),
                                      a->self, a->visit, a->arg);
        return;
    }
    case HPyFunc_DESTRUCTOR:
        call_finalizer(ctx, func, args);
        return;
    case HPyFunc_CAPSULE_DESTRUCTOR:
        _HPy_CallCapsuleDestructor(_HPy_FUNC_CAST(HPyFunc_capsule_destructor, func), args);
        return;
    case HPyFunc_MOD_CREATE: {
        _HPyFunc_args_MOD_CREATE *a = args;
        a->result = _HPyModule_CheckCreateResult(_h2py(
            _HPy_FUNC_CAST(HPyFunc_mod_create, func)(ctx, _py2h(a->spec))));
        return;
    }
#include "autogen/dispatch_cases.inc"
    default:
        unsupported(sig);
        return;
    }
}
