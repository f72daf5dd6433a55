/* Where the C struct of a pure HPy type lives inside its instances: after
   the object struct of the built-in type whose layout it extends (its
   "builtin shape"), padded to the strictest alignment. A legacy type's
   struct starts with PyObject_HEAD, so it is the object itself.
   Needs Python.h. */
#ifndef HPY_CPYTHON_SHAPES_H
#define HPY_CPYTHON_SHAPES_H

#if PY_VERSION_HEX < 0x030B0000 && !defined(PYPY_VERSION)
#  include <longintrepr.h>   /* PyLongObject; Python.h has it since 3.11 */
#endif

/* Never used as a value: its alignment is the strictest of the C types. */
typedef union {
    char c; short s; int i; long l; long long ll;
    float f; double d; long double ld; void *p;
} _HPy_MaxAlign_t;

/* offsetof(payload) is sizeof(OBJ) rounded up to that alignment (C99). */
#define _HPy_SHAPE_HEAD(NAME, OBJ) \
    typedef struct { OBJ ob_base; _HPy_MaxAlign_t payload; } _HPy_ShapeHead_##NAME;
_HPy_SHAPE_HEAD(Object, PyObject)
_HPy_SHAPE_HEAD(Type, PyHeapTypeObject)
_HPy_SHAPE_HEAD(Long, PyLongObject)
_HPy_SHAPE_HEAD(Float, PyFloatObject)
_HPy_SHAPE_HEAD(Unicode, PyUnicodeObject)
_HPy_SHAPE_HEAD(Tuple, PyTupleObject)
_HPy_SHAPE_HEAD(List, PyListObject)
#if HPY_ABI_VERSION_MINOR >= 1
_HPy_SHAPE_HEAD(Dict, PyDictObject)
#endif
#undef _HPy_SHAPE_HEAD
#define _HPy_SHAPE_HEAD_SIZE(NAME) ((HPy_ssize_t)offsetof(_HPy_ShapeHead_##NAME, payload))

/* The offset of the extension's struct; -1 for a value that is no shape. */
static inline HPy_ssize_t _HPy_ShapeHeadSize(HPyType_BuiltinShape shape)
{
    switch (shape) {
    case HPyType_BuiltinShape_Legacy: return 0;
    case HPyType_BuiltinShape_Object: return _HPy_SHAPE_HEAD_SIZE(Object);
    case HPyType_BuiltinShape_Type: return _HPy_SHAPE_HEAD_SIZE(Type);
    case HPyType_BuiltinShape_Long: return _HPy_SHAPE_HEAD_SIZE(Long);
    case HPyType_BuiltinShape_Float: return _HPy_SHAPE_HEAD_SIZE(Float);
    case HPyType_BuiltinShape_Unicode: return _HPy_SHAPE_HEAD_SIZE(Unicode);
    case HPyType_BuiltinShape_Tuple: return _HPy_SHAPE_HEAD_SIZE(Tuple);
    case HPyType_BuiltinShape_List: return _HPy_SHAPE_HEAD_SIZE(List);
#if HPY_ABI_VERSION_MINOR >= 1
    case HPyType_BuiltinShape_Dict: return _HPy_SHAPE_HEAD_SIZE(Dict);
#endif
    }
    return -1;
}

static inline void *_HPy_ShapePayload(PyObject *obj, HPy_ssize_t head_size)
{
    return (char *)obj + head_size;
}

#endif /* HPY_CPYTHON_SHAPES_H */
