/* What the runtime remembers about each type HPyType_FromSpec made.

   CPython gives a type no room for foreign data, and spare tp_flags bits
   are not spare on every version (3.13 took the one HPy 0.9 used). So the
   record is allocated in one block with the type's PyMethodDef table, which
   CPython keeps by pointer in tp_methods, and a type is ours when its
   tp_methods is one of the tables this copy of the code allocated. That
   needs only public fields. Records live as long as the process: CPython
   never says when it stops using tp_methods. */
#ifndef HPY_RUNTIME_CTX_TYPE_INFO_H
#define HPY_RUNTIME_CTX_TYPE_INFO_H

#include "hpy_runtime_base.h"
#include "hpy/cpython/type_new.h"

/* A module's own function for a type's HPy_tp_traverse: the trampoline of
   the slot (include/hpy/cpython/hpyfunc_trampolines.h, and the universal
   one in hpy_build's runtime). Given the struct of an instance (in the
   universal ABI, its address plus _HPY_FIELD_WALKER_TAG) and CPython's
   visit function, it visits the object of every field; a CPython-ABI
   walker given a NULL visit closes every field. The implementation and the
   adaptors inline into it. Called through _HPyType_Walk. */
typedef int (*_HPyFieldWalker)(void *data, visitproc visit, void *arg);

typedef struct {
    const char *name;                        /* a copy of the spec's: CPython < 3.11 keeps it */
    HPyType_BuiltinShape shape;
    HPyFunc_traverseproc traverse;           /* HPy_tp_traverse, or NULL */
    HPyFunc_destroyfunc destroy;             /* HPy_tp_destroy, or NULL */
    cpy_vectorcallfunc vectorcall_default;   /* HPy_tp_call, or NULL */
    void (*finalize)(PyObject *);            /* HPy_tp_finalize where _HPyType_Dealloc calls it (PyPy) */
    ssizeargfunc sq_item;                    /* HPy_sq_item and HPy_sq_ass_item where the */
    ssizeobjargproc sq_ass_item;             /* runtime adds the length to an index < 0 (PyPy) */
    int has_hpy_dealloc;                     /* tp_dealloc is _HPyType_Dealloc */
    int has_call_function;                   /* HPy_tp_call or __vectorcalloffset__ */
    PyTypeObject *builtin_base;              /* _HPyType_BuiltinBase of the type */
    /* The fast paths, chosen once the type is made (_HPyType_ChooseFastPaths):
       what holds for the instances of the type itself (not of subclasses). */
    int own_fields;                          /* their fields are those of HPy_tp_traverse, over object */
    _HPyFieldWalker walk;                    /* then, the module's field walker, or NULL */
    /* Last, what HPy_New reads inline in a CPython-ABI module (it finds it
       just before `methods`): head_size is where the extension's struct
       starts in an instance; kind is chosen with the fast paths. */
    _HPyTypeNewInfo alloc;
    PyMethodDef methods[];                   /* the type's tp_methods */
} _HPyTypeInfo;

/* A record with room for n methods plus the sentinel and a copy of `name`,
   otherwise zeroed, not yet registered; NULL with MemoryError. Freed (by
   PyMem_RawFree) only if the type could not be made. */
_HPy_HIDDEN _HPyTypeInfo *_HPyTypeInfo_Alloc(Py_ssize_t n_methods, const char *name);

/* Make `info` findable from a type whose tp_methods is info->methods;
   -1 with MemoryError. */
_HPy_HIDDEN int _HPyTypeInfo_Register(_HPyTypeInfo *info);

/* Whether `methods` is the table of a record (the slow path of
   _HPyTypeInfo_Of: a probe of the hash set, which then remembers it). */
_HPy_HIDDEN int _HPyTypeInfo_IsTable(PyMethodDef *methods);

/* (The table of recent records, _HPyTypeInfo_recent, is declared in
   hpy/cpython/type_new.h: CPython-ABI modules read it inline.) */

/* The record whose methods table is `methods`. */
static inline _HPyTypeInfo *_HPyTypeInfo_OfTable(PyMethodDef *methods)
{
    return (_HPyTypeInfo *)((char *)methods - offsetof(_HPyTypeInfo, methods));
}

/* The record of `tp` itself, or NULL if HPyType_FromSpec did not make it. */
static inline _HPyTypeInfo *_HPyTypeInfo_Of(PyTypeObject *tp)
{
    PyMethodDef *methods = tp->tp_methods;
    if (_HPyTypeInfo_IsRecent(methods))
        return _HPyTypeInfo_OfTable(methods);
    if (methods == NULL || tp == &PyBaseObject_Type || !_HPyTypeInfo_IsTable(methods))
        return NULL;   /* (object ends every base chain) */
    return _HPyTypeInfo_OfTable(methods);
}

/* The record of `tp` itself when it is one of the tables found lately,
   else NULL (a miss says nothing: the caller takes its slow path). Calls
   nothing, so that a hot path using it needs no stack frame. */
static inline _HPyTypeInfo *_HPyTypeInfo_Recent(PyTypeObject *tp)
{
    PyMethodDef *methods = tp->tp_methods;
    return _HPyTypeInfo_IsRecent(methods) ? _HPyTypeInfo_OfTable(methods) : NULL;
}

/* The record of the nearest HPy type among tp and its bases (tp_base
   chain: e.g. for a Python subclass of an HPy type), or NULL. The walk is
   out of line: inline are only the usual hits, an instance of the HPy type
   itself or of a Python subclass of it, so the walk's registers stay out
   of the callers. */
_HPy_HIDDEN _HPyTypeInfo *_HPyTypeInfo_NearestWalk(PyTypeObject *tp);

static inline _HPyTypeInfo *_HPyTypeInfo_Nearest(PyTypeObject *tp)
{
    PyMethodDef *methods = tp->tp_methods;
    if (methods == NULL && tp->tp_base != NULL) {
        /* not ours (a record always has a table): a Python subclass,
           most often of the HPy type itself */
        methods = tp->tp_base->tp_methods;
    }
    if (_HPyTypeInfo_IsRecent(methods))
        return _HPyTypeInfo_OfTable(methods);
    return _HPyTypeInfo_NearestWalk(tp);
}

/* Where the extension's struct is in `obj`, an instance of the nearest HPy
   type whose record is `info` (NULL: a legacy layout). */
static inline void *_HPyType_Payload(PyObject *obj, _HPyTypeInfo *info)
{
    return (char *)obj + (info != NULL ? info->alloc.head_size : 0);
}

/* The field walker of `info` (not NULL) on the object `self`. */
static inline int _HPyType_Walk(_HPyTypeInfo *info, PyObject *self, visitproc visit, void *arg)
{
    char *data = (char *)self + info->alloc.head_size;
#if !defined(HPY_ABI_CPYTHON)
    data += _HPY_FIELD_WALKER_TAG;
#endif
    return info->walk(data, visit, arg);
}

/* The built-in type whose layout the HPy levels of tp extend (list for a
   List shape), if it is not object: the first base past them that is a
   static type. NULL when there is none (or it is a heap type, whose
   traverse and clear would start again from the object's own type).
   Computed once per type, into builtin_base, when the type is made. */
_HPy_HIDDEN PyTypeObject *_HPyType_BuiltinBase(PyTypeObject *tp);

#endif
