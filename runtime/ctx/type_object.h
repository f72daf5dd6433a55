/* The C functions HPyType_FromSpec installs in the types it makes. */
#ifndef HPY_RUNTIME_CTX_TYPE_OBJECT_H
#define HPY_RUNTIME_CTX_TYPE_OBJECT_H

#include "ctx/type_info.h"

/* tp_dealloc: finalizer, fields, HPy_tp_destroy of each HPy level, then the
   built-in base's own deallocation. */
_HPy_HIDDEN void _HPyType_Dealloc(PyObject *self);

/* The same for a type of one HPy level whose base is object and that adds
   no weak references (most types): no walk up the bases. Plain: nor fields,
   nor HPy_tp_destroy, nor GC, nor a finalizer. */
_HPy_HIDDEN void _HPyType_DeallocOneLevel(PyObject *self);
_HPy_HIDDEN void _HPyType_DeallocPlain(PyObject *self);

/* The same for a GC type of one HPy level over object whose instances only
   have fields to close (not without a GIL). */
_HPy_HIDDEN void _HPyType_DeallocFields(PyObject *self);

/* Chooses the fast paths of a type just made (before any instance exists):
   those of its record (type_info.h, `traverse` is its HPy_tp_traverse slot
   or NULL) and its deallocator (_HPyType_ChooseDealloc). */
_HPy_HIDDEN void _HPyType_ChooseFastPaths(PyTypeObject *tp, _HPyTypeInfo *info, HPySlot *traverse);

/* For a type made with _HPyType_Dealloc, one of the above where it fits. */
_HPy_HIDDEN void _HPyType_ChooseDealloc(PyTypeObject *tp, _HPyTypeInfo *info);

/* tp_clear of types with HPy_tp_traverse: closes every field. */
_HPy_HIDDEN int _HPyType_Clear(PyObject *self);

/* tp_new of types with HPy_tp_call but no HPy_tp_new: the inherited tp_new,
   then the default call function. */
_HPy_HIDDEN PyObject *_HPyType_NewWithCallFunction(PyTypeObject *type, PyObject *args, PyObject *kw);

#if defined(PYPY_VERSION)
/* sq_item and sq_ass_item of types with HPy_sq_item / HPy_sq_ass_item on
   PyPy: a negative index gets the length added, as CPython does. */
_HPy_HIDDEN PyObject *_HPyType_SqItem(PyObject *self, Py_ssize_t index);
_HPy_HIDDEN int _HPyType_SqAssItem(PyObject *self, Py_ssize_t index, PyObject *value);
#endif

#endif
