/* HPyModuleDef and HPy_MODINIT: how an extension module is defined. */
#ifndef HPY_HPYMODULE_H
#define HPY_HPYMODULE_H

/* Universal-ABI trampolines reach the context through this per-module
   global, which the loader sets (HPyInitGlobalContext_<name>). With
   HPY_EMBEDDED_MODULES several modules share one binary: each must then be
   in one file that says HPY_MOD_EMBEDDABLE(name). */
#ifdef HPY_EMBEDDED_MODULES
#  define _HPy_CTX_MODIFIER static
#  define HPY_MOD_EMBEDDABLE(modname) _HPy_CTX_MODIFIER HPyContext *_ctx_for_trampolines;
#else
#  define _HPy_CTX_MODIFIER _HPy_HIDDEN
#  define HPY_MOD_EMBEDDABLE(modname)
extern HPyContext *_ctx_for_trampolines;
#endif

/* Layout shared with HPy 0.9 (universal ABI). `size` is the size of the
   module state: HPy 0.9 supports only 0. `defines` and `globals` are
   NULL-terminated arrays. */
typedef struct {
    const char *doc;
    HPy_ssize_t size;
    cpy_PyMethodDef *legacy_methods;
    HPyDef **defines;
    HPyGlobal **globals;
} HPyModuleDef;

#ifdef __cplusplus
#  define HPy_EXPORTED_FUNC extern "C" HPy_EXPORTED_SYMBOL
#else
#  define HPy_EXPORTED_FUNC HPy_EXPORTED_SYMBOL
#endif

#ifdef HPY_ABI_CPYTHON

/* In the helper library: HPyModuleDef -> multi-phase PyModuleDef. */
_HPy_HIDDEN PyObject *_HPyModuleDef_AsPyInit(HPyModuleDef *hpydef);

#define HPy_MODINIT(ext_name, mod_def)                                \
    PyMODINIT_FUNC PyInit_##ext_name(void)                            \
    {                                                                 \
        return _HPyModuleDef_AsPyInit(&mod_def);                      \
    }

#else

/* The symbols a universal runtime looks up, by these exact names. */
#define HPy_MODINIT(ext_name, mod_def)                                \
    HPy_EXPORTED_FUNC uint32_t get_required_hpy_major_version_##ext_name(void) \
    {                                                                 \
        return HPY_ABI_VERSION;                                       \
    }                                                                 \
    HPy_EXPORTED_FUNC uint32_t get_required_hpy_minor_version_##ext_name(void) \
    {                                                                 \
        return HPY_ABI_VERSION_MINOR;                                 \
    }                                                                 \
    _HPy_CTX_MODIFIER HPyContext *_ctx_for_trampolines;               \
    HPy_EXPORTED_FUNC void HPyInitGlobalContext_##ext_name(HPyContext *ctx) \
    {                                                                 \
        _ctx_for_trampolines = ctx;                                   \
    }                                                                 \
    HPy_EXPORTED_FUNC HPyModuleDef *HPyInit_##ext_name(void)          \
    {                                                                 \
        return &mod_def;                                              \
    }

#endif /* HPY_ABI_CPYTHON */

#endif /* HPY_HPYMODULE_H */
