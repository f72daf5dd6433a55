/* The @inline context functions of api/hpy.api: written once on the C API,
   inlined into CPython-ABI modules and compiled into the universal runtime.
   Needs Python.h and hpy/cpython/handles.h. */
#ifndef HPY_CPYTHON_CTX_INLINE_H
#define HPY_CPYTHON_CTX_INLINE_H

#include <limits.h>
#include <string.h>
#include "hpy/cpython/shapes.h"
#include "hpy/cpython/type_new.h"

#define _HPy_CTX_INLINE _HPy_UNUSED static inline

#include "hpy/cpython/builders.h"

/* PyLong_AsLong's error result, -1, is in range: it passes through with its
   exception, and the common case makes one test. */
_HPy_CTX_INLINE int32_t ctx_Long_AsInt32_t(HPyContext *ctx, HPy h)
{
    (void)ctx;
    long v = PyLong_AsLong(_h2py(h));
    if (v >= INT32_MIN && v <= INT32_MAX)
        return (int32_t)v;
    PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C int32_t");
    return -1;
}

/* PyLong_FromLong where long has 64 bits: CPython 3.10's PyLong_FromLongLong
   has no fast path for one-digit values (about a dozen instructions a call). */
_HPy_CTX_INLINE HPy ctx_Long_FromInt64_t(HPyContext *ctx, int64_t v)
{
    (void)ctx;
#if LONG_MAX == INT64_MAX
    return _py2h(PyLong_FromLong((long)v));
#else
    return _py2h(PyLong_FromLongLong((long long)v));
#endif
}

/* PyLong_AsUnsignedLong's error result is out of range: the common case
   makes one test, and the error test is made only out of range. */
_HPy_CTX_INLINE uint32_t ctx_Long_AsUInt32_t(HPyContext *ctx, HPy h)
{
    (void)ctx;
    unsigned long v = PyLong_AsUnsignedLong(_h2py(h));
    if (v <= UINT32_MAX)
        return (uint32_t)v;
    if (v == (unsigned long)-1 && PyErr_Occurred())
        return (uint32_t)-1;
    PyErr_SetString(PyExc_OverflowError, "Python int too large to convert to C uint32_t");
    return (uint32_t)-1;
}

/* The two singletons, without PyBool_FromLong's call. */
_HPy_CTX_INLINE HPy ctx_Bool_FromBool(HPyContext *ctx, bool v)
{
    (void)ctx;
    return _py2h(Py_NewRef(v ? Py_True : Py_False));
}

/* Unlike PyBytes_FromStringAndSize, no NULL buffer: the bytes of an HPy
   object cannot be filled in after it is made. */
_HPy_CTX_INLINE HPy ctx_Bytes_FromStringAndSize(HPyContext *ctx, const char *bytes, HPy_ssize_t len)
{
    (void)ctx;
    if (bytes == NULL) {
        PyErr_SetString(PyExc_ValueError, "NULL char * passed to HPyBytes_FromStringAndSize");
        return HPy_NULL;
    }
    return _py2h(PyBytes_FromStringAndSize(bytes, len));
}

/* A TypeError, out of line and called in tail position (hence the
   PyObject * result), so that the call path around it needs no stack frame
   of its own. */
_HPy_UNUSED static _HPY_COLD PyObject *_HPy_RaiseTypeError(const char *message)
{
    PyErr_SetString(PyExc_TypeError, message);
    return NULL;
}

_HPy_CTX_INLINE HPy ctx_CallTupleDict(HPyContext *ctx, HPy callable, HPy args, HPy kw)
{
    (void)ctx;
    PyObject *a = _h2py(args), *k = _h2py(kw);
    if (a != NULL && !PyTuple_Check(a))
        return _py2h(_HPy_RaiseTypeError("HPy_CallTupleDict requires args to be a tuple or null handle"));
    if (k != NULL && !PyDict_Check(k))
        return _py2h(_HPy_RaiseTypeError("HPy_CallTupleDict requires kw to be a dict or null handle"));
    if (a == NULL)
        return _py2h(k != NULL ? PyObject_VectorcallDict(_h2py(callable), NULL, 0, k)
                               : PyObject_CallNoArgs(_h2py(callable)));
    return _py2h(PyObject_Call(_h2py(callable), a, k));
}

_HPy_CTX_INLINE HPy ctx_Call(HPyContext *ctx, HPy callable, const HPy *args, size_t nargs, HPy kwnames)
{
    (void)ctx;
    return _py2h(PyObject_Vectorcall(_h2py(callable), _arr_h2py(args), nargs, _h2py(kwnames)));
}

/* args[0] is the receiver. */
_HPy_CTX_INLINE HPy ctx_CallMethod(HPyContext *ctx, HPy name, const HPy *args, size_t nargs, HPy kwnames)
{
    (void)ctx;
    return _py2h(PyObject_VectorcallMethod(_h2py(name), _arr_h2py(args), nargs, _h2py(kwnames)));
}

/* The API functions return HPy_NULL; the context members return void. */
_HPy_CTX_INLINE void ctx_Err_SetString(HPyContext *ctx, HPy h_type, const char *utf8_message)
{
    (void)ctx;
    PyErr_SetString(_h2py(h_type), utf8_message);
}

_HPy_CTX_INLINE void ctx_Err_SetObject(HPyContext *ctx, HPy h_type, HPy h_value)
{
    (void)ctx;
    PyErr_SetObject(_h2py(h_type), _h2py(h_value));
}

_HPy_CTX_INLINE int ctx_Err_Occurred(HPyContext *ctx)
{
    (void)ctx;
    return PyErr_Occurred() != NULL;
}

/* Index keys go through PyObject_GetItem & co. so that mappings work too.
   An index in range of an exact list or tuple is read in place first: what
   list_subscript and tuple_subscript would return, without making an int.
   Not on PyPy (its lists are not arrays of PyObject *) nor without the GIL. */
#if !defined(PYPY_VERSION) && !defined(Py_GIL_DISABLED)
#  define _HPy_SEQUENCE_IN_PLACE 1
#endif

_HPy_CTX_INLINE HPy ctx_GetItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx)
{
    (void)ctx;
#ifdef _HPy_SEQUENCE_IN_PLACE
    PyObject *o = _h2py(obj);
    if (o == NULL) {
        /* PyObject_GetItem's SystemError, below */
    }
    else if (PyList_CheckExact(o)) {
        if ((size_t)idx < (size_t)PyList_GET_SIZE(o))
            return _py2h(Py_NewRef(PyList_GET_ITEM(o, idx)));
    }
    else if (PyTuple_CheckExact(o)) {
        if ((size_t)idx < (size_t)PyTuple_GET_SIZE(o))
            return _py2h(Py_NewRef(PyTuple_GET_ITEM(o, idx)));
    }
#endif
    PyObject *key = PyLong_FromSsize_t(idx);
    if (key == NULL)
        return HPy_NULL;
    PyObject *result = PyObject_GetItem(_h2py(obj), key);
    Py_DECREF(key);
    return _py2h(result);
}

_HPy_CTX_INLINE HPy ctx_GetItem_s(HPyContext *ctx, HPy obj, const char *utf8_key)
{
    (void)ctx;
    PyObject *key = PyUnicode_FromString(utf8_key);
    if (key == NULL)
        return HPy_NULL;
    PyObject *result = PyObject_GetItem(_h2py(obj), key);
    Py_DECREF(key);
    return _py2h(result);
}

/* An index in range of an exact list is replaced in place, as
   list_ass_item would, except that an empty slot (HPyList_New makes them)
   is filled instead of crashing. */
_HPy_CTX_INLINE int ctx_SetItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx, HPy value)
{
    (void)ctx;
#ifdef _HPy_SEQUENCE_IN_PLACE
    PyObject *o = _h2py(obj), *v = _h2py(value);
    if (o != NULL && v != NULL && PyList_CheckExact(o) && (size_t)idx < (size_t)PyList_GET_SIZE(o)) {
        PyObject *old = PyList_GET_ITEM(o, idx);
        PyList_SET_ITEM(o, idx, Py_NewRef(v));
        Py_XDECREF(old);
        return 0;
    }
#endif
    PyObject *key = PyLong_FromSsize_t(idx);
    if (key == NULL)
        return -1;
    int result = PyObject_SetItem(_h2py(obj), key, _h2py(value));
    Py_DECREF(key);
    return result;
}

_HPy_CTX_INLINE int ctx_SetItem_s(HPyContext *ctx, HPy obj, const char *utf8_key, HPy value)
{
    (void)ctx;
    PyObject *key = PyUnicode_FromString(utf8_key);
    if (key == NULL)
        return -1;
    int result = PyObject_SetItem(_h2py(obj), key, _h2py(value));
    Py_DECREF(key);
    return result;
}

_HPy_CTX_INLINE int ctx_DelItem_i(HPyContext *ctx, HPy obj, HPy_ssize_t idx)
{
    (void)ctx;
    PyObject *key = PyLong_FromSsize_t(idx);
    if (key == NULL)
        return -1;
    int result = PyObject_DelItem(_h2py(obj), key);
    Py_DECREF(key);
    return result;
}
#undef _HPy_SEQUENCE_IN_PLACE

/* PyObject_DelItemString without its call: the key is checked as it does
   (SystemError), the object by PyObject_DelItem. */
_HPy_CTX_INLINE int ctx_DelItem_s(HPyContext *ctx, HPy obj, const char *utf8_key)
{
    (void)ctx;
    if (utf8_key == NULL) {
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
        return -1;
    }
    PyObject *key = PyUnicode_FromString(utf8_key);
    if (key == NULL)
        return -1;
    int result = PyObject_DelItem(_h2py(obj), key);
    Py_DECREF(key);
    return result;
}

_HPy_CTX_INLINE HPy ctx_Type(HPyContext *ctx, HPy obj)
{
    (void)ctx;
    return _py2h(Py_NewRef((PyObject *)Py_TYPE(_h2py(obj))));
}

_HPy_CTX_INLINE int ctx_TypeCheck(HPyContext *ctx, HPy obj, HPy type)
{
    (void)ctx;
    return PyObject_TypeCheck(_h2py(obj), (PyTypeObject *)_h2py(type));
}

/* The type's __name__. A static type's tp_name includes its module
   ("collections.OrderedDict"), and so may a heap type's (PyType_FromSpec):
   a heap type has its own name, else take what follows the last dot. */
_HPy_CTX_INLINE const char *ctx_Type_GetName(HPyContext *ctx, HPy type)
{
    (void)ctx;
    PyTypeObject *tp = (PyTypeObject *)_h2py(type);
    if (PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE))
        return PyUnicode_AsUTF8(((PyHeapTypeObject *)tp)->ht_name);
    const char *dot = strrchr(tp->tp_name, '.');
    return dot != NULL ? dot + 1 : tp->tp_name;
}

_HPy_CTX_INLINE int ctx_Type_IsSubtype(HPyContext *ctx, HPy sub, HPy type)
{
    (void)ctx;
    return PyType_IsSubtype((PyTypeObject *)_h2py(sub), (PyTypeObject *)_h2py(type));
}

/* HPy_HasAttr answers 0 and clears any error, silently. PyObject_HasAttr
   does so up to CPython 3.12; since 3.13 it reports the error as unraisable
   ("Exception ignored in PyObject_HasAttr()"), and the silent form is
   PyObject_HasAttrWithError plus a clear. */
#if PY_VERSION_HEX >= 0x030D0000 && !defined(PYPY_VERSION)
#  define _HPy_HASATTR_SILENT_IS_WITH_ERROR 1
#endif

_HPy_CTX_INLINE int ctx_HasAttr(HPyContext *ctx, HPy obj, HPy name)
{
    (void)ctx;
#ifdef _HPy_HASATTR_SILENT_IS_WITH_ERROR
    int found = PyObject_HasAttrWithError(_h2py(obj), _h2py(name));
    if (found < 0) {
        PyErr_Clear();
        return 0;
    }
    return found;
#else
    return PyObject_HasAttr(_h2py(obj), _h2py(name));
#endif
}

_HPy_CTX_INLINE int ctx_HasAttr_s(HPyContext *ctx, HPy obj, const char *utf8_name)
{
    (void)ctx;
#ifdef _HPy_HASATTR_SILENT_IS_WITH_ERROR
    int found = PyObject_HasAttrStringWithError(_h2py(obj), utf8_name);
    if (found < 0) {
        PyErr_Clear();
        return 0;
    }
    return found;
#else
    return PyObject_HasAttrString(_h2py(obj), utf8_name);
#endif
}
#undef _HPy_HASATTR_SILENT_IS_WITH_ERROR

_HPy_CTX_INLINE int ctx_Is(HPyContext *ctx, HPy obj, HPy other)
{
    (void)ctx;
    return _h2py(obj) == _h2py(other);
}

_HPy_CTX_INLINE HPy ctx_Tuple_FromArray(HPyContext *ctx, HPy *items, HPy_ssize_t n)
{
    (void)ctx;
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL)
        return HPy_NULL;
    for (HPy_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(_h2py(items[i])));
    return _py2h(tuple);
}

_HPy_CTX_INLINE void ctx_ReenterPythonExecution(HPyContext *ctx, HPyThreadState state)
{
    (void)ctx;
    PyEval_RestoreThread(_h2threads(state));
}

_HPy_CTX_INLINE HPyThreadState ctx_LeavePythonExecution(HPyContext *ctx)
{
    (void)ctx;
    return _threads2h(PyEval_SaveThread());
}

_HPy_CTX_INLINE HPy ctx_Compile_s(HPyContext *ctx, const char *utf8_source,
                                  const char *utf8_filename, HPy_SourceKind kind)
{
    (void)ctx;
    int start;
    switch (kind) {
    case HPy_SourceKind_Expr: start = Py_eval_input; break;
    case HPy_SourceKind_File: start = Py_file_input; break;
    case HPy_SourceKind_Single: start = Py_single_input; break;
    default:
        PyErr_SetString(PyExc_SystemError, "HPy_Compile_s: invalid source kind");
        return HPy_NULL;
    }
    return _py2h(Py_CompileString(utf8_source, utf8_filename, start));
}

/* 0 and a new handle (or a copy of default_value, or null) in *result on
   success; -1 on error. */
_HPy_CTX_INLINE int32_t ctx_ContextVar_Get(HPyContext *ctx, HPy context_var,
                                           HPy default_value, HPy *result)
{
    (void)ctx;
    PyObject *value;
    int status = PyContextVar_Get(_h2py(context_var), _h2py(default_value), &value);
    *result = _py2h(value);
    return status;
}

/* HPyField: a reference from an object to another, owned by the object. In
   this runtime it holds the PyObject * itself; tp_traverse reports it. */
_HPy_CTX_INLINE void ctx_Field_Store(HPyContext *ctx, HPy target_object, HPyField *target_field, HPy h)
{
    (void)ctx;
    (void)target_object;
    PyObject *old = _hf2py(*target_field);
    *target_field = _py2hf(Py_XNewRef(_h2py(h)));
    Py_XDECREF(old);
}

/* A new handle to what the field holds; a null field gives a null handle. */
_HPy_CTX_INLINE HPy ctx_Field_Load(HPyContext *ctx, HPy source_object, HPyField source_field)
{
    (void)ctx;
    (void)source_object;
    return _py2h(Py_XNewRef(_hf2py(source_field)));
}

/* HPyGlobal: a reference from a C global, owned by it. In this runtime it
   holds the PyObject * itself. */
_HPy_CTX_INLINE void ctx_Global_Store(HPyContext *ctx, HPyGlobal *global, HPy h)
{
    (void)ctx;
    PyObject *old = _hg2py(*global);
    *global = _py2hg(Py_XNewRef(_h2py(h)));
    Py_XDECREF(old);
}

_HPy_CTX_INLINE HPy ctx_Global_Load(HPyContext *ctx, HPyGlobal global)
{
    (void)ctx;
    return _py2h(Py_XNewRef(_hg2py(global)));
}

/* An instance made by tp_alloc, which zeroes it (as HPy_New promises). */
static inline HPy _HPy_NewByTpAlloc(PyTypeObject *tp, HPy_ssize_t head_size, void **data)
{
    PyObject *obj = tp->tp_alloc(tp, 0);
    if (obj == NULL)
        return HPy_NULL;
    *data = _HPy_ShapePayload(obj, head_size);
    return _py2h(obj);
}

/* The usual HPy_New, as a C API module would write it: an instance of an
   HPy type, or of a Python subclass of one, made by one tp_alloc call (or
   by _HPy_NewPlain, its allocation written out). */
_HPy_CTX_INLINE HPy ctx_New(HPyContext *ctx, HPy h_type, void **data)
{
    (void)ctx;
    PyObject *type = _h2py(h_type);
    if (type != NULL && PyType_Check(type)) {
        PyTypeObject *tp = (PyTypeObject *)type;
        const _HPyTypeNewInfo *info = _HPyTypeNew_Recent(tp);
        if (info != NULL) {
            if (info->kind == _HPY_NEW_PLAIN)
                return _HPy_NewPlain(tp, info->head_size, data);
            if (info->kind == _HPY_NEW_TP_ALLOC)
                return _HPy_NewByTpAlloc(tp, info->head_size, data);
        }
        else if (tp->tp_methods == NULL && tp->tp_base != NULL) {
            /* not an HPy type (that has a methods table): a Python
               subclass, most often of the HPy type itself */
            info = _HPyTypeNew_Recent(tp->tp_base);
            if (info != NULL && info->kind != _HPY_NEW_GENERAL)
                return _HPy_NewByTpAlloc(tp, info->head_size, data);
        }
    }
    return _HPy_NewGeneral(type, data);
}

/* The C struct of an instance, for the builtin shape its type was made with
   (HPyType_HELPERS picks the function; see hpy/cpython/shapes.h). */
_HPy_CTX_INLINE void *ctx_AsStruct_Object(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Object));
}

_HPy_CTX_INLINE void *ctx_AsStruct_Legacy(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Legacy));
}

_HPy_CTX_INLINE void *ctx_AsStruct_Type(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Type));
}

_HPy_CTX_INLINE void *ctx_AsStruct_Long(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Long));
}

_HPy_CTX_INLINE void *ctx_AsStruct_Float(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Float));
}

_HPy_CTX_INLINE void *ctx_AsStruct_Unicode(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Unicode));
}

_HPy_CTX_INLINE void *ctx_AsStruct_Tuple(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Tuple));
}

_HPy_CTX_INLINE void *ctx_AsStruct_List(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_List));
}

#if HPY_ABI_VERSION_MINOR >= 1
_HPy_CTX_INLINE void *ctx_AsStruct_Dict(HPyContext *ctx, HPy h)
{
    (void)ctx;
    return _HPy_ShapePayload(_h2py(h), _HPy_ShapeHeadSize(HPyType_BuiltinShape_Dict));
}
#endif

#if HPY_ABI_VERSION_MINOR >= 1
/* PyIter_Next calls tp_iternext unchecked: a non-iterator gets the TypeError
   next() raises instead of a crash. HPy_NULL without an exception when the
   iterator is exhausted. */
_HPy_CTX_INLINE HPy ctx_Iter_Next(HPyContext *ctx, HPy obj)
{
    (void)ctx;
    PyObject *it = _h2py(obj);
    if (!PyIter_Check(it)) {
        PyErr_Format(PyExc_TypeError, "'%.200s' object is not an iterator", Py_TYPE(it)->tp_name);
        return HPy_NULL;
    }
    return _py2h(PyIter_Next(it));
}
#endif

#endif /* HPY_CPYTHON_CTX_INLINE_H */
