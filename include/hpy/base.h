/* The basic types of the HPy API: handles, sizes, and the compiler macros. */
#ifndef HPY_BASE_H
#define HPY_BASE_H

#ifdef __GNUC__
#  define _HPy_HIDDEN __attribute__((visibility("hidden")))
#  define _HPy_UNUSED __attribute__((unused))
#  define _HPy_NO_RETURN __attribute__((__noreturn__))
#else
#  define _HPy_HIDDEN
#  define _HPy_UNUSED
#  define _HPy_NO_RETURN
#endif

/* A rare path kept out of line (and out of the hot code), so that the
   common path around it needs no stack frame or saved registers. */
#if defined(__GNUC__) || defined(__clang__)
#  define _HPY_COLD __attribute__((noinline, cold))
#elif defined(_MSC_VER)
#  define _HPY_COLD __declspec(noinline)
#else
#  define _HPY_COLD
#endif

#if defined(_WIN32) || defined(__CYGWIN__)
#  define HPy_EXPORTED_SYMBOL __declspec(dllexport)
#else
#  define HPy_EXPORTED_SYMBOL __attribute__((visibility("default")))
#endif

/* Legacy (C API) functions are a compile error in a universal module. */
#if defined(HPY_ABI_UNIVERSAL) && defined(__has_attribute)
#  if __has_attribute(error)
#    define _HPY_LEGACY __attribute__((error("Cannot use legacy functions when targeting the HPy Universal ABI")))
#  endif
#endif
#ifndef _HPY_LEGACY
#  define _HPY_LEGACY
#endif

/* The three kinds of API function:
   HPyAPI_FUNC    the public API: a static inline shim (through the context in
                  the universal ABI, onto the C API in the CPython ABI);
   HPyAPI_IMPL    an implementation behind it (ctx_*), hidden;
   HPyAPI_HELPER  a helper that is linked into every extension (argument
                  parsing, build-value, …): API but not ABI, hidden. */
#define HPyAPI_FUNC _HPy_UNUSED static inline
#define HPyAPI_INLINE_HELPER HPyAPI_FUNC
#define HPyAPI_IMPL _HPy_HIDDEN
#define HPyAPI_HELPER _HPy_HIDDEN

/* A handle: opaque; what _i holds depends on the runtime. 0 is the null
   handle in every ABI. The layouts below are part of the universal ABI. */
typedef struct _HPy_s { intptr_t _i; } HPy;
typedef struct { intptr_t _i; } HPyField;
typedef struct { intptr_t _i; } HPyGlobal;
typedef struct { intptr_t _lst; } HPyListBuilder;
typedef struct { intptr_t _tup; } HPyTupleBuilder;
typedef struct { intptr_t _i; } HPyTracker;
typedef struct { intptr_t _i; } HPyThreadState;

#if defined(_MSC_VER) && defined(__cplusplus)
#  define _hconv(h) {h}
#  define _hfconv(h) {h}
#  define _hgconv(h) {h}
#  define _htsconv(h) {h}
#else
#  define _hconv(h) ((HPy){h})
#  define _hfconv(h) ((HPyField){h})
#  define _hgconv(h) ((HPyGlobal){h})
#  define _htsconv(h) ((HPyThreadState){h})
#endif

#define HPy_NULL _hconv(0)
#define HPy_IsNull(h) ((h)._i == 0)
#define HPyField_NULL _hfconv(0)
#define HPyField_IsNull(f) ((f)._i == 0)

static inline HPy HPy_FromVoidP(void *p) { return _hconv((intptr_t)p); }
static inline void *HPy_AsVoidP(HPy h) { return (void *)h._i; }

typedef struct _HPyContext_s HPyContext;

/* Cast a function pointer to another function pointer type through
   void (*)(void), which compilers accept without -Wcast-function-type. */
#define _HPy_FUNC_CAST(TYPE, F) ((TYPE)(void (*)(void))(F))

#ifdef HPY_ABI_CPYTHON
typedef Py_ssize_t HPy_ssize_t;
typedef Py_hash_t HPy_hash_t;
typedef Py_UCS4 HPy_UCS4;
#  define HPY_SSIZE_T_MAX PY_SSIZE_T_MAX
#  define HPY_SSIZE_T_MIN PY_SSIZE_T_MIN
#else
typedef intptr_t HPy_ssize_t;
typedef intptr_t HPy_hash_t;
typedef uint32_t HPy_UCS4;
#  define HPY_SSIZE_T_MAX INTPTR_MAX
#  define HPY_SSIZE_T_MIN (-HPY_SSIZE_T_MAX - 1)
#endif

/* What HPy_Compile_s parses. */
typedef enum {
    HPy_SourceKind_Expr = 0,    /* one expression */
    HPy_SourceKind_File = 1,    /* statements, as in a file */
    HPy_SourceKind_Single = 2,  /* one interactive statement */
} HPy_SourceKind;

/* Which field of a capsule HPyCapsule_Get/Set reads or writes. */
typedef enum {
    HPyCapsule_key_Pointer = 0,
    HPyCapsule_key_Name = 1,
    HPyCapsule_key_Context = 2,
    HPyCapsule_key_Destructor = 3,
} _HPyCapsule_key;

#endif /* HPY_BASE_H */
