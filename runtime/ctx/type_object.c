/* Instances of HPy types: HPy_New, HPyType_GenericNew, the call function
   (HPy_tp_call is CPython's vectorcall), _HPyType_GetBuiltinShape, the fast
   paths chosen for a new type, and (PyPy) sequence indices. Deallocation
   and tp_clear are in type_dealloc.c. */
#include "ctx/type_object.h"
#include "ctx/traverse.h"
#include "hpy/cpython/shapes.h"
#include <string.h>

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

/* The out-of-line paths of HPy_New (the usual one, tp_alloc, is inline:
   ctx_New in hpy/cpython/ctx_inline.h). */

/* An instance of an HPy type itself of kind _HPY_NEW_PLAIN (plain_alloc:
   nothing for tp_alloc to do but malloc, zero and init; no call function). */
HPy _HPy_NewPlain(PyTypeObject *tp, HPy_ssize_t head_size, void **data)
{
    PyObject *obj = generic_alloc(tp);
    if (obj == NULL)
        return HPy_NULL;
    *data = _HPy_ShapePayload(obj, head_size);
    return _py2h(obj);
}

static _HPY_COLD HPy new_not_a_type(void)
{
    PyErr_SetString(PyExc_TypeError, "HPy_New arg 1 must be a type");
    return HPy_NULL;
}

/* Anything else: not a type, a subclass, a type not among the recent
   tables, a call function to set. */
HPy _HPy_NewGeneral(PyObject *type, void **data)
{
    if (type == NULL || !PyType_Check(type))
        return new_not_a_type();
    PyTypeObject *tp = (PyTypeObject *)type;
    /* tp_alloc zeroes the whole object (HPy_New promises a zeroed struct),
       so a built-in shape starts as a valid empty value, and a GC type is
       tracked only once every field is null. */
    PyObject *obj = tp->tp_alloc(tp, 0);
    if (obj == NULL)
        return HPy_NULL;
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest(tp);
    init_call_function(tp, info, obj);
    *data = _HPyType_Payload(obj, info);
    return _py2h(obj);
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

#endif

/* The fast paths of type_info.h for a type just made, before any instance
   exists, and its deallocator. */
void _HPyType_ChooseFastPaths(PyTypeObject *tp, _HPyTypeInfo *info, HPySlot *traverse)
{
    info->alloc.kind = info->vectorcall_default != NULL ? _HPY_NEW_GENERAL
                     : plain_alloc(tp) ? _HPY_NEW_PLAIN : _HPY_NEW_TP_ALLOC;
    info->own_fields = traverse != NULL && info->builtin_base == NULL &&
                       tp->tp_base == &PyBaseObject_Type;
    if (info->own_fields)
        info->walk = _HPyType_FieldWalker(traverse);
    _HPyType_ChooseDealloc(tp, info);
}
