/* Instances of HPy types: HPy_New, HPyType_GenericNew, the call function
   (HPy_tp_call is CPython's vectorcall), deallocation and tp_clear, and
   _HPyType_GetBuiltinShape. */
#include "ctx/type_object.h"
#include "ctx/traverse.h"
#include "hpy/cpython/shapes.h"
#include <string.h>

static void *payload(PyObject *obj, _HPyTypeInfo *info)
{
    return _HPy_ShapePayload(obj, info != NULL ? info->head_size : 0);
}

/* Instances of a type with a call function start with its default one;
   `info` is the type's _HPyTypeInfo_Nearest. */
static void init_call_function(PyTypeObject *tp, _HPyTypeInfo *info, PyObject *obj)
{
    if (info != NULL && info->vectorcall_default != NULL && tp->tp_vectorcall_offset > 0)
        memcpy((char *)obj + tp->tp_vectorcall_offset, &info->vectorcall_default,
               sizeof(vectorcallfunc));
}

/* Whether PyType_GenericAlloc would only malloc, zero and init: no GC, no
   items, nothing before the object header (a managed dict or weak-reference
   list: subclasses on 3.11+), no inline values (3.13). */
static int plain_alloc(PyTypeObject *tp)
{
#if defined(PYPY_VERSION)
    (void)tp;
    return 0;   /* cpyext ties each object to one of PyPy's: only tp_alloc does that */
#else
    unsigned long extras = Py_TPFLAGS_HAVE_GC;
#ifdef Py_TPFLAGS_MANAGED_DICT
    extras |= Py_TPFLAGS_MANAGED_DICT;
#endif
#ifdef Py_TPFLAGS_MANAGED_WEAKREF
    extras |= Py_TPFLAGS_MANAGED_WEAKREF;
#endif
#ifdef Py_TPFLAGS_INLINE_VALUES
    extras |= Py_TPFLAGS_INLINE_VALUES;
#endif
    return !(tp->tp_flags & extras) && tp->tp_itemsize == 0 &&
           tp->tp_alloc == PyType_GenericAlloc;
#endif
}

/* What PyType_GenericAlloc does for those, minus its size computation and
   tests, for a heap type. PyObject_Init is written out where the headers
   give its one call, _Py_NewReference (3.10 to 3.13): a call less. */
static PyObject *generic_alloc(PyTypeObject *tp)
{
    PyObject *obj = PyObject_Malloc((size_t)tp->tp_basicsize);
    if (obj == NULL)
        return PyErr_NoMemory();
    memset(obj, 0, (size_t)tp->tp_basicsize);
#if !defined(PYPY_VERSION) && !defined(Py_LIMITED_API) && PY_VERSION_HEX < 0x030E0000
    Py_SET_TYPE(obj, tp);
    Py_INCREF(tp);
    _Py_NewReference(obj);
    return obj;
#else
    return PyObject_Init(obj, tp);
#endif
}

/* HPy_New of an HPy type itself (no call function), allocated plainly
   where alloc_plain allows, else by tp_alloc. Each out of line: ctx_New
   only chooses, saving no register, and each saves only those it needs. */
#if defined(__GNUC__)
#  define NOINLINE __attribute__((noinline))
#else
#  define NOINLINE
#endif

static NOINLINE HPy new_plain(PyTypeObject *tp, _HPyTypeInfo *info, void **data)
{
    PyObject *obj = generic_alloc(tp);
    if (obj == NULL)
        return HPy_NULL;
    *data = payload(obj, info);
    return _py2h(obj);
}

static NOINLINE HPy new_allocated(PyTypeObject *tp, _HPyTypeInfo *info, void **data)
{
    HPy_ssize_t head_size = info->head_size;
    PyObject *obj = tp->tp_alloc(tp, 0);
    if (obj != NULL)
        *data = _HPy_ShapePayload(obj, head_size);
    return _py2h(obj);
}

static _HPY_COLD HPy new_not_a_type(void)
{
    PyErr_SetString(PyExc_TypeError, "HPy_New arg 1 must be a type");
    return HPy_NULL;
}

/* The general case of HPy_New: any type, a call function to set. */
static _HPY_COLD HPy new_instance(PyTypeObject *tp, void **data)
{
    /* tp_alloc zeroes the whole object (HPy_New promises a zeroed struct),
       so a built-in shape starts as a valid empty value, and a GC type is
       tracked only once every field is null. */
    PyObject *obj = tp->tp_alloc(tp, 0);
    if (obj == NULL)
        return HPy_NULL;
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest(tp);
    init_call_function(tp, info, obj);
    *data = payload(obj, info);
    return _py2h(obj);
}

HPyAPI_IMPL HPy ctx_New(HPyContext *ctx, HPy h_type, void **data)
{
    (void)ctx;
    PyObject *type = _h2py(h_type);
    if (type == NULL || !PyType_Check(type))
        return new_not_a_type();
    PyTypeObject *tp = (PyTypeObject *)type;
    /* the usual case: an HPy type itself (not a subclass), no call function */
    _HPyTypeInfo *info = _HPyTypeInfo_Recent(tp);
    if (info == NULL || info->vectorcall_default != NULL)
        return new_instance(tp, data);
    return info->alloc_plain ? new_plain(tp, info, data) : new_allocated(tp, info, data);
}

HPyAPI_IMPL HPy ctx_Type_GenericNew(HPyContext *ctx, HPy h_type, const HPy *args,
                                    HPy_ssize_t nargs, HPy kw)
{
    (void)ctx;
    (void)args;
    (void)nargs;
    (void)kw;
    PyObject *type = _h2py(h_type);
    if (type == NULL || !PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "HPy_Type_GenericNew arg 1 must be a type");
        return HPy_NULL;
    }
    PyTypeObject *tp = (PyTypeObject *)type;
    PyObject *obj = tp->tp_alloc(tp, 0);
    if (obj != NULL)
        init_call_function(tp, _HPyTypeInfo_Nearest(tp), obj);
    return _py2h(obj);
}

PyObject *_HPyType_NewWithCallFunction(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    /* the first tp_new up the chain that is not this one (a Python subclass
       inherits it, so `type` itself may be several levels below) */
    PyTypeObject *base = type;
    while (base != NULL && base->tp_new == _HPyType_NewWithCallFunction)
        base = base->tp_base;
    if (base == NULL || base->tp_new == NULL) {
        PyErr_Format(PyExc_TypeError, "cannot create '%s' instances", type->tp_name);
        return NULL;
    }
    PyObject *obj = base->tp_new(type, args, kw);
    if (obj != NULL)
        init_call_function(type, _HPyTypeInfo_Nearest(type), obj);
    return obj;
}

HPyAPI_IMPL int ctx_SetCallFunction(HPyContext *ctx, HPy h, HPyCallFunction *func)
{
    (void)ctx;
    PyObject *obj = _h2py(h);
    PyTypeObject *tp = Py_TYPE(obj);
    /* (a Python subclass may override __call__: it keeps the field) */
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest(tp);
    if (info == NULL || !info->has_call_function || tp->tp_vectorcall_offset <= 0) {
        PyErr_Format(PyExc_TypeError, "type '%.50s' does not implement the HPy call protocol",
                     tp->tp_name);
        return -1;
    }
    memcpy((char *)obj + tp->tp_vectorcall_offset, &func->cpy_trampoline, sizeof(vectorcallfunc));
    return 0;
}

HPyAPI_IMPL HPyType_BuiltinShape ctx_Type_GetBuiltinShape(HPyContext *ctx, HPy h_type)
{
    (void)ctx;
    PyObject *type = _h2py(h_type);
    if (type == NULL || !PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "arg must be a type");
        return (HPyType_BuiltinShape)-2;
    }
    /* a type made without HPy (or a legacy HPy type) has the C API layout */
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest((PyTypeObject *)type);
    return info != NULL ? info->shape : HPyType_BuiltinShape_Legacy;
}

/* Closes a field (HPy_tp_traverse visits every field of an object). */
static int clear_field(HPyField *field, void *arg)
{
    (void)arg;
    PyObject *old = _hf2py(*field);
    *field = HPyField_NULL;
    Py_XDECREF(old);
    return 0;
}

/* The fields of every HPy level of the object, most derived first. */
static void clear_fields(PyObject *self)
{
    for (PyTypeObject *tp = Py_TYPE(self); tp != NULL && tp != &PyBaseObject_Type;
         tp = tp->tp_base) {
        _HPyTypeInfo *info = _HPyTypeInfo_Of(tp);
        if (info != NULL && info->traverse != NULL)
            info->traverse(payload(self, info), clear_field, NULL);
    }
}

/* The general case of tp_clear: several HPy levels, a built-in base, no
   field walker, or an instance of a subclass. */
static _HPY_COLD int clear_levels(PyObject *self)
{
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest(Py_TYPE(self));
    clear_fields(self);
    PyTypeObject *builtin = info != NULL ? info->builtin_base : NULL;
    return builtin != NULL && builtin->tp_clear != NULL ? builtin->tp_clear(self) : 0;
}

/* Closes the fields of an instance of a type whose fields are its own:
   through the field walker where it closes fields too (CPython ABI). */
static int close_own_fields(PyObject *self, _HPyTypeInfo *info)
{
#if defined(HPY_ABI_CPYTHON)
    if (info->walk != NULL)
        return _HPyType_Walk(info, self, NULL, NULL);
#endif
    return info->traverse(payload(self, info), clear_field, NULL);
}

int _HPyType_Clear(PyObject *self)
{
    _HPyTypeInfo *info = _HPyTypeInfo_Recent(Py_TYPE(self));
    if (info != NULL && info->own_fields)
        return close_own_fields(self, info);   /* one HPy level over object, the usual case */
    return clear_levels(self);
}

/* A level of the object that this function deallocates (see below). */
static _HPyTypeInfo *own_level(PyTypeObject *tp)
{
    _HPyTypeInfo *info = _HPyTypeInfo_Of(tp);
    return info != NULL && info->has_hpy_dealloc ? info : NULL;
}

static void dealloc_levels(PyObject *self, PyTypeObject *type)
{
    PyTypeObject *base = type;
    while (base != NULL && own_level(base) == NULL)
        base = base->tp_base;   /* Python subclasses, already done */
    for (_HPyTypeInfo *info; base != NULL && (info = own_level(base)) != NULL; base = base->tp_base) {
        if (base->tp_weaklistoffset != 0 &&
            (base->tp_base == NULL || base->tp_base->tp_weaklistoffset == 0))
            PyObject_ClearWeakRefs(self);   /* this level added weak references */
        if (info->traverse != NULL)
            info->traverse(payload(self, info), clear_field, NULL);
        if (info->destroy != NULL)
            info->destroy(payload(self, info));
    }

    if (base == NULL || base == &PyBaseObject_Type) {
        type->tp_free(self);
    } else if (base->tp_flags & Py_TPFLAGS_HEAPTYPE) {
        base->tp_dealloc(self);   /* a heap type's dealloc releases the type */
        return;
    } else {
        if (PyType_IS_GC(base))
            PyObject_GC_Track(self);   /* built-in deallocs expect a tracked object */
        base->tp_dealloc(self);
    }
    if (type->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_DECREF(type);
}

#if defined(PYPY_VERSION)
/* PyPy's obj[i] hands sq_item a negative index as it is, where CPython
   first adds the length (HPy 0.9's sq_item and sq_ass_item get the index
   CPython gives): done here, before the module's own function. */
static _HPyTypeInfo *seq_level(PyObject *self, int assign)
{
    for (PyTypeObject *tp = Py_TYPE(self); tp != NULL; tp = tp->tp_base) {
        _HPyTypeInfo *info = _HPyTypeInfo_Of(tp);
        if (info != NULL && (assign ? info->sq_ass_item != NULL : info->sq_item != NULL))
            return info;
    }
    PyErr_SetString(PyExc_SystemError, "HPy sequence slot called on an object without it");
    return NULL;
}

static int adjust_index(PyObject *self, Py_ssize_t *index)
{
    if (*index >= 0 || Py_TYPE(self)->tp_as_sequence == NULL ||
        Py_TYPE(self)->tp_as_sequence->sq_length == NULL)
        return 0;
    Py_ssize_t len = Py_TYPE(self)->tp_as_sequence->sq_length(self);
    if (len < 0)
        return -1;
    *index += len;
    return 0;
}

PyObject *_HPyType_SqItem(PyObject *self, Py_ssize_t index)
{
    _HPyTypeInfo *info = seq_level(self, 0);
    if (info == NULL || adjust_index(self, &index) < 0)
        return NULL;
    return info->sq_item(self, index);
}

int _HPyType_SqAssItem(PyObject *self, Py_ssize_t index, PyObject *value)
{
    _HPyTypeInfo *info = seq_level(self, 1);
    if (info == NULL || adjust_index(self, &index) < 0)
        return -1;
    return info->sq_ass_item(self, index, value);
}

/* The HPy_tp_finalize of the nearest HPy level that has one, called once
   from the deallocator: an object resurrected by it is freed all the same,
   since PyPy has no PyObject_CallFinalizerFromDealloc protocol for it. */
static void call_hpy_finalizer(PyObject *self)
{
    for (PyTypeObject *tp = Py_TYPE(self); tp != NULL; tp = tp->tp_base) {
        _HPyTypeInfo *info = _HPyTypeInfo_Of(tp);
        if (info != NULL && info->finalize != NULL) {
            info->finalize(self);
            return;
        }
    }
}
#endif

/* tp_finalize, called from the deallocator: -1 if it resurrected the object */
static int finalize_from_dealloc(PyObject *self)
{
#if defined(PYPY_VERSION)
    call_hpy_finalizer(self);
    return 0;
#else
    return Py_TYPE(self)->tp_finalize != NULL ? PyObject_CallFinalizerFromDealloc(self) : 0;
#endif
}

/* The level of one HPy type whose base is object: close its fields, run its
   HPy_tp_destroy, free the object (the general case is dealloc_levels). */
static void dealloc_one_level(PyObject *self, PyTypeObject *type)
{
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest(type);
    if (info->traverse != NULL)
        close_own_fields(self, info);
    if (info->destroy != NULL)
        info->destroy(payload(self, info));
    type->tp_free(self);
    if (type->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_DECREF(type);
}

/* Deallocations nest: an object's fields release objects that release
   theirs. The first levels only count; past DEALLOC_DEPTH_COUNTED, CPython's
   trashcan takes over and defers the rest, so that freeing a long chain
   cannot overflow the C stack (the trashcan's own bookkeeping on every call
   costs more than the count). One count serves every thread: they run one
   at a time under the GIL, each gives back what it took, and a count made
   high by another thread only calls on the trashcan earlier. Without a GIL
   every level goes through the trashcan. */
#define DEALLOC_DEPTH_COUNTED 32
#if !defined(Py_GIL_DISABLED)
static int dealloc_depth;
#endif

static void guarded_dealloc(PyObject *self, PyTypeObject *type,
                            void (*levels)(PyObject *, PyTypeObject *), destructor tp_dealloc)
{
    (void)tp_dealloc;
#if !defined(Py_GIL_DISABLED)
    if (dealloc_depth < DEALLOC_DEPTH_COUNTED) {
        dealloc_depth++;
        levels(self, type);
        dealloc_depth--;
        return;
    }
#endif
#ifdef Py_TRASHCAN_BEGIN
    Py_TRASHCAN_BEGIN(self, tp_dealloc)
    levels(self, type);
    Py_TRASHCAN_END
#else
    levels(self, type);
#endif
}

void _HPyType_DeallocOneLevel(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    if (finalize_from_dealloc(self) < 0)
        return;   /* resurrected */
    if (!PyType_IS_GC(type)) {
        dealloc_one_level(self, type);
        return;
    }
    PyObject_GC_UnTrack(self);
    guarded_dealloc(self, type, dealloc_one_level, _HPyType_DeallocOneLevel);
}

/* Nothing to finalize, close or destroy, no GC: what a C API type without
   them does. (A Python subclass's subtype_dealloc has run its finalizer and
   untracked the object before calling this; tp_free is the subclass's.) */
void _HPyType_DeallocPlain(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    type->tp_free(self);
    if (type->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_DECREF(type);
}

#if !defined(Py_GIL_DISABLED)
/* _HPyType_DeallocFields past DEALLOC_DEPTH_COUNTED nested deallocations,
   or for an instance of a subclass. */
static _HPY_COLD void dealloc_fields_slow(PyObject *self)
{
    guarded_dealloc(self, Py_TYPE(self), dealloc_one_level, _HPyType_DeallocFields);
}

/* A GC object with fields and nothing else to do: no finalizer, no
   HPy_tp_destroy, one HPy level over object. What a C API type's
   deallocator does. (Only with a GIL: see guarded_dealloc.) */
void _HPyType_DeallocFields(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    _HPyTypeInfo *info = _HPyTypeInfo_Recent(type);
    if (info == NULL || dealloc_depth >= DEALLOC_DEPTH_COUNTED) {
        dealloc_fields_slow(self);
        return;
    }
    dealloc_depth++;
    close_own_fields(self, info);
    dealloc_depth--;
    type->tp_free(self);
    Py_DECREF(type);   /* (a heap type: the HPy type itself) */
}
#endif

/* Puts the fast paths of type_info.h and a deallocator that fits in a type
   just made with _HPyType_Dealloc, before any instance exists. */
void _HPyType_ChooseFastPaths(PyTypeObject *tp, _HPyTypeInfo *info, HPySlot *traverse)
{
    info->alloc_plain = plain_alloc(tp) && info->vectorcall_default == NULL;
    info->own_fields = traverse != NULL && info->builtin_base == NULL &&
                       tp->tp_base == &PyBaseObject_Type;
    if (info->own_fields)
        info->walk = _HPyType_FieldWalker(traverse);
    if (tp->tp_dealloc != _HPyType_Dealloc || tp->tp_base != &PyBaseObject_Type ||
        tp->tp_weaklistoffset != 0)
        return;
    if (info->traverse == NULL && info->destroy == NULL && !PyType_IS_GC(tp) &&
        tp->tp_finalize == NULL && info->finalize == NULL)
        tp->tp_dealloc = _HPyType_DeallocPlain;
#if !defined(Py_GIL_DISABLED)
    else if (info->own_fields && info->destroy == NULL && PyType_IS_GC(tp) &&
             tp->tp_finalize == NULL && info->finalize == NULL)
        tp->tp_dealloc = _HPyType_DeallocFields;
#endif
    else
        tp->tp_dealloc = _HPyType_DeallocOneLevel;
}


/* Called for instances of an HPy type T and of its subclasses: Python
   subclasses (their subtype_dealloc has done their part and calls T's
   tp_dealloc) and HPy subclasses (whose tp_dealloc is this function too).
   Each HPy level from the first one up closes its fields and runs its
   HPy_tp_destroy; then the first base that is not such a level frees the
   object: a built-in base through its own tp_dealloc (a list frees its
   items), any other heap type through its tp_dealloc, which also releases
   the type. A GC object goes through guarded_dealloc, so that freeing a
   long chain of objects does not exhaust the C stack. */
void _HPyType_Dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    if (finalize_from_dealloc(self) < 0)
        return;   /* resurrected */
    if (!PyType_IS_GC(type)) {
        dealloc_levels(self, type);
        return;
    }
    PyObject_GC_UnTrack(self);
    guarded_dealloc(self, type, dealloc_levels, _HPyType_Dealloc);
}
