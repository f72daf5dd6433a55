/* Deallocation and tp_clear of HPy types' instances: each HPy level's
   fields closed and HPy_tp_destroy run, then the object freed by its first
   base that is not an HPy level; nested deallocations deferred past a
   depth, so that a long chain cannot overflow the C stack. */
#include "ctx/type_object.h"
#include "ctx/traverse.h"

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
            info->traverse(_HPyType_Payload(self, info), clear_field, NULL);
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
    return info->traverse(_HPyType_Payload(self, info), clear_field, NULL);
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
            info->traverse(_HPyType_Payload(self, info), clear_field, NULL);
        if (info->destroy != NULL)
            info->destroy(_HPyType_Payload(self, info));
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
        info->destroy(_HPyType_Payload(self, info));
    type->tp_free(self);
    if (type->tp_flags & Py_TPFLAGS_HEAPTYPE)
        Py_DECREF(type);
}

/* Deallocations nest: an object's fields release objects that release
   theirs. The first DEALLOC_DEPTH levels run at once, counted; below them
   an object's deallocation is deferred: it goes on a list that the level at
   the limit works through once its own object is done, at that depth. So
   freeing a long chain of objects, GC or not, cannot overflow the C stack
   (CPython's trashcan, which does this for GC objects, costs more on every
   call than the count). One count and one list serve every thread: they
   run one at a time under the GIL, each gives back the count it took, and a
   level at the limit runs until the list is empty, whoever filled it.
   Without a GIL, CPython's trashcan does it (for GC objects). */
#define DEALLOC_DEPTH 32

typedef void (*DeallocLevels)(PyObject *self, PyTypeObject *type);

#if !defined(Py_GIL_DISABLED)
static int dealloc_depth;

typedef struct {
    PyObject *obj;
    DeallocLevels levels;
} Deferred;

static Deferred *deferred;
static Py_ssize_t n_deferred, n_room;

/* 0 if there is no memory for it: the caller then goes on at once. */
static int defer(PyObject *obj, DeallocLevels levels)
{
    if (n_deferred == n_room) {
        Py_ssize_t room = n_room != 0 ? 2 * n_room : 64;
        Deferred *more = PyMem_RawRealloc(deferred, (size_t)room * sizeof(Deferred));
        if (more == NULL)
            return 0;
        deferred = more;
        n_room = room;
    }
    deferred[n_deferred].obj = obj;
    deferred[n_deferred].levels = levels;
    n_deferred++;
    return 1;
}

static _HPY_COLD void dealloc_at_the_limit(PyObject *self, PyTypeObject *type, DeallocLevels levels)
{
    if (dealloc_depth >= DEALLOC_DEPTH && defer(self, levels))
        return;
    dealloc_depth++;
    levels(self, type);
    while (n_deferred > 0) {
        Deferred d = deferred[--n_deferred];
        d.levels(d.obj, Py_TYPE(d.obj));   /* (what it releases is deferred in turn) */
    }
    dealloc_depth--;
}
#endif

/* `levels` (the rest of an object's deallocation: fields, destroy, free)
   now or deferred. */
static void guarded_dealloc(PyObject *self, PyTypeObject *type, DeallocLevels levels,
                            destructor tp_dealloc)
{
    (void)tp_dealloc;
#if !defined(Py_GIL_DISABLED)
    if (dealloc_depth >= DEALLOC_DEPTH - 1) {
        dealloc_at_the_limit(self, type, levels);
        return;
    }
    dealloc_depth++;
    levels(self, type);
    dealloc_depth--;
#else
    if (!PyType_IS_GC(type)) {
        levels(self, type);
        return;
    }
    Py_TRASHCAN_BEGIN(self, tp_dealloc)
    levels(self, type);
    Py_TRASHCAN_END
#endif
}

/* The finalizer, then `levels` through guarded_dealloc. */
static void finalize_then_dealloc(PyObject *self, DeallocLevels levels, destructor tp_dealloc)
{
    PyTypeObject *type = Py_TYPE(self);
    if (finalize_from_dealloc(self) < 0)
        return;   /* resurrected */
    if (PyType_IS_GC(type))
        PyObject_GC_UnTrack(self);
    guarded_dealloc(self, type, levels, tp_dealloc);
}

void _HPyType_DeallocOneLevel(PyObject *self)
{
    finalize_then_dealloc(self, dealloc_one_level, _HPyType_DeallocOneLevel);
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
/* _HPyType_DeallocFields at the depth limit, or for an instance of a
   subclass. */
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
    if (info == NULL || dealloc_depth >= DEALLOC_DEPTH - 1) {
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

/* Called for instances of an HPy type T and of its subclasses: Python
   subclasses (their subtype_dealloc has done their part and calls T's
   tp_dealloc) and HPy subclasses (whose tp_dealloc is this function too).
   Each HPy level from the first one up closes its fields and runs its
   HPy_tp_destroy; then the first base that is not such a level frees the
   object: a built-in base through its own tp_dealloc (a list frees its
   items), any other heap type through its tp_dealloc, which also releases
   the type. Through guarded_dealloc, so that freeing a long chain of
   objects does not exhaust the C stack. */
void _HPyType_Dealloc(PyObject *self)
{
    finalize_then_dealloc(self, dealloc_levels, _HPyType_Dealloc);
}

/* A deallocator for a type just made with _HPyType_Dealloc, where one of
   the above fits (before any instance exists). */
void _HPyType_ChooseDealloc(PyTypeObject *tp, _HPyTypeInfo *info)
{
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
