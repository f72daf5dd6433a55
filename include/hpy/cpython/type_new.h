/* What HPy_New (ctx_New in ctx_inline.h) reads of a type that
   HPyType_FromSpec made, so that the usual case inlines into a CPython-ABI
   module: found by the type's tp_methods in the table of recent records,
   with no call. The records themselves are the runtime's
   (runtime/ctx/type_info.h): this is their last part, just before the
   tp_methods table, and the helper library that each CPython-ABI module
   links holds both the records and the table. Needs Python.h. */
#ifndef HPY_CPYTHON_TYPE_NEW_H
#define HPY_CPYTHON_TYPE_NEW_H

/* How HPy_New makes an instance of the type (of a Python subclass: by
   the subclass's tp_alloc, unless _HPY_NEW_GENERAL). */
enum {
    _HPY_NEW_GENERAL = 0,   /* _HPy_NewGeneral: a call function to set, or not known yet */
    _HPY_NEW_PLAIN,         /* _HPy_NewPlain: malloc, zero and init will do */
    _HPY_NEW_TP_ALLOC       /* its tp_alloc, inline */
};

typedef struct {
    HPy_ssize_t head_size;  /* where the extension's struct starts in an instance */
    int kind;               /* one of the _HPY_NEW_* */
} _HPyTypeNewInfo;

/* The tp_methods tables of the records found lately, by a cheap hash of
   their address: lookups go to a few hot types (every allocation,
   deallocation and traverse asks). A table stays a record's for the life
   of the process, so a hit needs no other check; no slot is ever NULL, so
   a NULL tp_methods misses. */
#define _HPY_RECENT_TABLES 32
_HPy_HIDDEN extern PyMethodDef *_HPyTypeInfo_recent[_HPY_RECENT_TABLES];

static inline size_t _HPyTypeInfo_RecentSlot(const PyMethodDef *methods)
{
    return ((uintptr_t)methods >> 5) & (_HPY_RECENT_TABLES - 1);
}

/* Whether `methods` is one of the tables found lately (then a record's). */
static inline int _HPyTypeInfo_IsRecent(const PyMethodDef *methods)
{
    return _HPyTypeInfo_recent[_HPyTypeInfo_RecentSlot(methods)] == methods;
}

/* The HPy_New part of the record of `tp` itself when it is one of the
   tables found lately, else NULL (a miss says nothing: take the general
   path). */
static inline const _HPyTypeNewInfo *_HPyTypeNew_Recent(PyTypeObject *tp)
{
    PyMethodDef *methods = tp->tp_methods;
    return _HPyTypeInfo_IsRecent(methods) ? (const _HPyTypeNewInfo *)(void *)methods - 1 : NULL;
}

/* The paths of HPy_New that do not inline (runtime/ctx/type_object.c).
   _HPy_NewGeneral takes anything: not a type, a subclass, a type with a
   call function. */
_HPy_HIDDEN HPy _HPy_NewPlain(PyTypeObject *tp, HPy_ssize_t head_size, void **data);
_HPy_HIDDEN HPy _HPy_NewGeneral(PyObject *type, void **data);

#endif /* HPY_CPYTHON_TYPE_NEW_H */
