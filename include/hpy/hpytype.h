/* HPyType_Spec: how an extension describes a type (universal ABI layout). */
#ifndef HPY_HPYTYPE_H
#define HPY_HPYTYPE_H

/* Which built-in type's instance layout a type extends. */
typedef enum {
    HPyType_BuiltinShape_Legacy = -1,
    HPyType_BuiltinShape_Object = 0,
    HPyType_BuiltinShape_Type = 1,
    HPyType_BuiltinShape_Long = 2,
    HPyType_BuiltinShape_Float = 3,
    HPyType_BuiltinShape_Unicode = 4,
    HPyType_BuiltinShape_Tuple = 5,
    HPyType_BuiltinShape_List = 6,
#if HPY_ABI_VERSION_MINOR >= 1
    /* extends dict (base ctx->h_DictType): ABI 0.1, see hpy/version.h */
    HPyType_BuiltinShape_Dict = 7,
#endif
} HPyType_BuiltinShape;

typedef struct {
    cpy_vectorcallfunc cpy_trampoline;
    HPyCallFunction impl;
} HPyType_Vectorcall;

typedef struct {
    const char *name;
    int basicsize;
    int itemsize;
    unsigned long flags;
    HPyType_BuiltinShape builtin_shape;
    void *legacy_slots;
    HPyDef **defines;
    const char *doc;
} HPyType_Spec;

typedef enum {
    HPyType_SpecParam_Base = 1,
    HPyType_SpecParam_BasesTuple = 2,
    HPyType_SpecParam_Metaclass = 3,
} HPyType_SpecParam_Kind;

typedef struct {
    HPyType_SpecParam_Kind kind;
    HPy object;
} HPyType_SpecParam;

/* Type flags: the values are CPython's. Every HPy type is a heap type. */
#define _Py_TPFLAGS_HEAPTYPE (1UL << 9)
#define _Py_TPFLAGS_HAVE_VERSION_TAG (1UL << 18)
#define HPy_TPFLAGS_DEFAULT (_Py_TPFLAGS_HEAPTYPE | _Py_TPFLAGS_HAVE_VERSION_TAG)
#define HPy_TPFLAGS_BASETYPE (1UL << 10)
#define HPy_TPFLAGS_HAVE_VECTORCALL (1UL << 11)
#define HPy_TPFLAGS_HAVE_GC (1UL << 14)

/* HPyType_HELPERS(STRUCT[, SHAPE]) defines STRUCT_AsStruct(ctx, h) and
   STRUCT_SHAPE for a type whose instances hold a STRUCT; SHAPE(STRUCT) gives
   the shape back for the spec's .builtin_shape. */
#define HPyType_HELPERS(...)                                                   \
    _HPyType_X(_HPyType_DEFINE_SHAPE(__VA_ARGS__, HPyType_BuiltinShape_Object)); \
    _HPy_UNUSED static inline _HPyType_X(_HPyType_STRUCT(__VA_ARGS__)) *       \
    _HPyType_X(_HPyType_FNAME(__VA_ARGS__))(HPyContext *ctx, HPy h)            \
    {                                                                          \
        return (_HPyType_X(_HPyType_STRUCT(__VA_ARGS__)) *)                    \
            _HPyType_X(_HPyType_AS_STRUCT(__VA_ARGS__, HPyType_BuiltinShape_Object))(ctx, h); \
    }

#define HPyType_LEGACY_HELPERS(TYPE) HPyType_HELPERS(TYPE, HPyType_BuiltinShape_Legacy)

#define _HPyType_X(X) X
#define _HPyType_STRUCT(TYPE, ...) TYPE
#define _HPyType_FNAME(TYPE, ...) TYPE##_AsStruct
#define _HPyType_DEFINE_SHAPE(TYPE, SHAPE, ...) enum { TYPE##_SHAPE = (int)SHAPE }
#define _HPyType_AS_STRUCT(TYPE, SHAPE, ...) SHAPE##_AsStruct

#define SHAPE(TYPE) ((HPyType_BuiltinShape)TYPE##_SHAPE)

#define HPyType_BuiltinShape_Legacy_AsStruct _HPy_AsStruct_Legacy
#define HPyType_BuiltinShape_Object_AsStruct _HPy_AsStruct_Object
#define HPyType_BuiltinShape_Type_AsStruct _HPy_AsStruct_Type
#define HPyType_BuiltinShape_Long_AsStruct _HPy_AsStruct_Long
#define HPyType_BuiltinShape_Float_AsStruct _HPy_AsStruct_Float
#define HPyType_BuiltinShape_Unicode_AsStruct _HPy_AsStruct_Unicode
#define HPyType_BuiltinShape_Tuple_AsStruct _HPy_AsStruct_Tuple
#define HPyType_BuiltinShape_List_AsStruct _HPy_AsStruct_List
#if HPY_ABI_VERSION_MINOR >= 1
#  define HPyType_BuiltinShape_Dict_AsStruct _HPy_AsStruct_Dict
#endif

#endif /* HPY_HPYTYPE_H */
