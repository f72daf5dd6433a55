/* Universal ABI: the trampolines whose C signature is not the generic
   "one handle per PyObject *" mapping (see api/hpy.api, @manual). Each packs
   its arguments into a struct whose layout is part of the universal ABI and
   calls _HPy_CallRealFunctionFromTrampoline, or calls the implementation
   directly where the context allows it (below). */
#ifndef HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H
#define HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H

#define _HPY_CALL_REAL(SIG, IMPL, ARGS) \
    _HPy_CallRealFunctionFromTrampoline(_ctx_for_trampolines, SIG, _HPy_FUNC_CAST(HPyCFunction, IMPL), (ARGS))

/* Direct calls. A runtime whose universal handles are the interpreter's
   object pointers, and whose _HPy_CallRealFunctionFromTrampoline does no
   more than convert them (hpy_build's universal mode, on CPython and PyPy),
   sets the `_private` of that context to this mark: a trampoline that sees
   it calls the implementation itself, saving the argument struct and the
   dispatch. Every other context (HPy 0.9's runtime, a debug or trace
   context) gets the call through _HPy_CallRealFunctionFromTrampoline. The
   mark is odd, so no runtime's pointer to its own data can equal it. */
#define _HPY_DIRECT_CALLS_MARK ((void *)(uintptr_t)0x48507943u)
#define _HPY_DIRECT_CALLS() (_ctx_for_trampolines->_private == _HPY_DIRECT_CALLS_MARK)
#define _HPY_DIRECT_H(obj) _hconv((intptr_t)(obj))
#define _HPY_DIRECT_PY(h) ((cpy_PyObject *)(h)._i)
#define _HPY_DIRECT_ARRAY(arr) ((const HPy *)(arr))
/* PyVectorcall_NARGS: without PY_VECTORCALL_ARGUMENTS_OFFSET, the top bit */
#define _HPY_DIRECT_NARGS(nargsf) ((size_t)(nargsf) & ~((size_t)1 << (8 * sizeof(size_t) - 1)))

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *const *args;
    HPy_ssize_t nargs;
    cpy_PyObject *result;
} _HPyFunc_args_VARARGS;

#define _HPyFunc_TRAMPOLINE_HPyFunc_VARARGS(SYM, IMPL)                         \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *const *args,    \
                             HPy_ssize_t nargs)                                \
    {                                                                          \
        if (_HPY_DIRECT_CALLS())                                               \
            return _HPY_DIRECT_PY(IMPL(_ctx_for_trampolines, _HPY_DIRECT_H(self),  \
                                       _HPY_DIRECT_ARRAY(args), (size_t)nargs));   \
        _HPyFunc_args_VARARGS a = { self, args, nargs, NULL };                 \
        _HPY_CALL_REAL(HPyFunc_VARARGS, IMPL, &a);                             \
        return a.result;                                                       \
    }

/* Also used for HPy_tp_call, called by vectorcall: nargsf may carry
   PY_VECTORCALL_ARGUMENTS_OFFSET. */
typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *const *args;
    size_t nargsf;
    cpy_PyObject *kwnames;
    cpy_PyObject *result;
} _HPyFunc_args_KEYWORDS;

#define _HPyFunc_TRAMPOLINE_HPyFunc_KEYWORDS(SYM, IMPL)                        \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *const *args,    \
                             size_t nargsf, cpy_PyObject *kwnames)             \
    {                                                                          \
        if (_HPY_DIRECT_CALLS())                                               \
            return _HPY_DIRECT_PY(IMPL(_ctx_for_trampolines, _HPY_DIRECT_H(self),  \
                                       _HPY_DIRECT_ARRAY(args),                    \
                                       _HPY_DIRECT_NARGS(nargsf),                  \
                                       _HPY_DIRECT_H(kwnames)));                   \
        _HPyFunc_args_KEYWORDS a = { self, args, nargsf, kwnames, NULL };      \
        _HPY_CALL_REAL(HPyFunc_KEYWORDS, IMPL, &a);                            \
        return a.result;                                                       \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *args;
    cpy_PyObject *kw;
    int result;
} _HPyFunc_args_INITPROC;

#define _HPyFunc_TRAMPOLINE_HPyFunc_INITPROC(SYM, IMPL)                        \
    static int SYM(cpy_PyObject *self, cpy_PyObject *args, cpy_PyObject *kw)   \
    {                                                                          \
        _HPyFunc_args_INITPROC a = { self, args, kw, 0 };                      \
        _HPY_CALL_REAL(HPyFunc_INITPROC, IMPL, &a);                            \
        return a.result;                                                       \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_PyObject *args;
    cpy_PyObject *kw;
    cpy_PyObject *result;
} _HPyFunc_args_NEWFUNC;

#define _HPyFunc_TRAMPOLINE_HPyFunc_NEWFUNC(SYM, IMPL)                         \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *args,           \
                             cpy_PyObject *kw)                                 \
    {                                                                          \
        _HPyFunc_args_NEWFUNC a = { self, args, kw, NULL };                    \
        _HPY_CALL_REAL(HPyFunc_NEWFUNC, IMPL, &a);                             \
        return a.result;                                                       \
    }

/* CPython passes the opcode as an int, HPy as an HPy_RichCmpOp. */
typedef struct {
    cpy_PyObject *arg0;
    cpy_PyObject *arg1;
    HPy_RichCmpOp arg2;
    cpy_PyObject *result;
} _HPyFunc_args_RICHCMPFUNC;

#define _HPyFunc_TRAMPOLINE_HPyFunc_RICHCMPFUNC(SYM, IMPL)                     \
    static cpy_PyObject *SYM(cpy_PyObject *self, cpy_PyObject *obj, int op)    \
    {                                                                          \
        if (_HPY_DIRECT_CALLS())                                               \
            return _HPY_DIRECT_PY(IMPL(_ctx_for_trampolines, _HPY_DIRECT_H(self),  \
                                       _HPY_DIRECT_H(obj), (HPy_RichCmpOp)op));    \
        _HPyFunc_args_RICHCMPFUNC a = { self, obj, (HPy_RichCmpOp)op, NULL };  \
        _HPY_CALL_REAL(HPyFunc_RICHCMPFUNC, IMPL, &a);                         \
        return a.result;                                                       \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_Py_buffer *view;
    int flags;
    int result;
} _HPyFunc_args_GETBUFFERPROC;

#define _HPyFunc_TRAMPOLINE_HPyFunc_GETBUFFERPROC(SYM, IMPL)                   \
    static int SYM(cpy_PyObject *self, cpy_Py_buffer *view, int flags)         \
    {                                                                          \
        _HPyFunc_args_GETBUFFERPROC a = { self, view, flags, 0 };              \
        _HPY_CALL_REAL(HPyFunc_GETBUFFERPROC, IMPL, &a);                       \
        return a.result;                                                       \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_Py_buffer *view;
} _HPyFunc_args_RELEASEBUFFERPROC;

#define _HPyFunc_TRAMPOLINE_HPyFunc_RELEASEBUFFERPROC(SYM, IMPL)               \
    static void SYM(cpy_PyObject *self, cpy_Py_buffer *view)                   \
    {                                                                          \
        _HPyFunc_args_RELEASEBUFFERPROC a = { self, view };                    \
        _HPY_CALL_REAL(HPyFunc_RELEASEBUFFERPROC, IMPL, &a);                   \
    }

typedef struct {
    cpy_PyObject *self;
    cpy_visitproc visit;
    void *arg;
    int result;
} _HPyFunc_args_TRAVERSEPROC;

/* hpy_build's runtime calls this trampoline as a "field walker" from its
   tp_traverse, in every mode: with the address of the object's struct plus
   one for `self` (odd, so never an object), and CPython's visit, it visits
   the object of each field itself (that runtime's HPyFields hold object
   pointers), the implementation and the adaptor inlined. The runtime asks
   each trampoline once whether it is one, with `self` 1: a walker answers
   _HPY_FIELD_WALKER; any other trampoline (an older one, HPy 0.9's) calls
   _HPy_CallRealFunctionFromTrampoline, which answers 0. A runtime that
   installs the trampoline as tp_traverse (HPy 0.9's) passes the object:
   that call, out of line so that the walker needs no stack frame, goes
   through _HPy_CallRealFunctionFromTrampoline. */
#define _HPY_FIELD_WALKER 0x574b4c52
#define _HPY_FIELD_WALKER_TAG ((uintptr_t)1)

#define _HPyFunc_TRAMPOLINE_HPyFunc_TRAVERSEPROC(SYM, IMPL)                    \
    static _HPY_COLD int SYM##_call_real(cpy_PyObject *self, cpy_visitproc visit, \
                                         void *arg)                            \
    {                                                                          \
        _HPyFunc_args_TRAVERSEPROC a = { self, visit, arg, 0 };                \
        _HPY_CALL_REAL(HPyFunc_TRAVERSEPROC, IMPL, &a);                        \
        return a.result;                                                       \
    }                                                                          \
    static int SYM(cpy_PyObject *self, cpy_visitproc visit, void *arg)         \
    {                                                                          \
        _HPyCPyVisit v = { visit, arg };                                       \
        uintptr_t tagged = (uintptr_t)self;                                    \
        if (!(tagged & _HPY_FIELD_WALKER_TAG))                                 \
            return SYM##_call_real(self, visit, arg);                          \
        if (tagged == _HPY_FIELD_WALKER_TAG)                                   \
            return _HPY_FIELD_WALKER;                                          \
        return IMPL((void *)(tagged - _HPY_FIELD_WALKER_TAG), _HPy_VisitFieldObject, &v); \
    }

/* Py_mod_create: CPython passes the spec and the PyModuleDef. */
typedef struct {
    cpy_PyObject *spec;
    cpy_PyObject *result;
} _HPyFunc_args_MOD_CREATE;

#define _HPyFunc_TRAMPOLINE_HPyFunc_MOD_CREATE(SYM, IMPL)                      \
    static cpy_PyObject *SYM(cpy_PyObject *spec, cpy_PyModuleDef *def)         \
    {                                                                          \
        _HPyFunc_args_MOD_CREATE a = { spec, NULL };                           \
        (void)def;                                                             \
        _HPY_CALL_REAL(HPyFunc_MOD_CREATE, IMPL, &a);                          \
        return a.result;                                                       \
    }

/* HPy_tp_finalize: the runtime keeps the exception being raised, if any,
   around the finalizer. */
typedef struct {
    cpy_PyObject *arg0;
} _HPyFunc_args_DESTRUCTOR;

#define _HPyFunc_TRAMPOLINE_HPyFunc_DESTRUCTOR(SYM, IMPL)                      \
    static void SYM(cpy_PyObject *arg0)                                        \
    {                                                                          \
        _HPyFunc_args_DESTRUCTOR a = { arg0 };                                 \
        _HPY_CALL_REAL(HPyFunc_DESTRUCTOR, IMPL, &a);                          \
    }

/* HPy_tp_destroy is not a CPython slot: the runtime's tp_dealloc calls the
   implementation itself, never this trampoline. */
#define _HPyFunc_TRAMPOLINE_HPyFunc_DESTROYFUNC(SYM, IMPL) \
    static void SYM(void) { abort(); }

/* The capsule itself is the argument. */
#define HPyCapsule_DESTRUCTOR_TRAMPOLINE(SYM, IMPL)                            \
    static void SYM(cpy_PyObject *capsule)                                     \
    {                                                                          \
        _HPY_CALL_REAL(HPyFunc_CAPSULE_DESTRUCTOR, IMPL, capsule);             \
    }

#endif /* HPY_UNIVERSAL_HPYFUNC_TRAMPOLINES_H */
