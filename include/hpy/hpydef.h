/* HPyDef: the definitions (methods, slots, members, get-sets) that a module
   or a type is made of. Their layouts are part of the universal ABI. */
#ifndef HPY_HPYDEF_H
#define HPY_HPYDEF_H

#include "hpy/autogen/hpyslot.h"

typedef void *(*HPyCFunction)();
typedef void (*HPyFunc_Capsule_Destructor)(const char *name, void *pointer, void *context);

typedef struct {
    HPySlot_Slot slot;
    HPyCFunction impl;
    cpy_PyCFunction cpy_trampoline;
} HPySlot;

typedef struct {
    const char *name;
    HPyCFunction impl;
    cpy_PyCFunction cpy_trampoline;
    HPyFunc_Signature signature;
    const char *doc;
} HPyMeth;

typedef enum {
    HPyMember_SHORT = 0,
    HPyMember_INT = 1,
    HPyMember_LONG = 2,
    HPyMember_FLOAT = 3,
    HPyMember_DOUBLE = 4,
    HPyMember_STRING = 5,
    HPyMember_OBJECT = 6,
    HPyMember_CHAR = 7,
    HPyMember_BYTE = 8,
    HPyMember_UBYTE = 9,
    HPyMember_USHORT = 10,
    HPyMember_UINT = 11,
    HPyMember_ULONG = 12,
    HPyMember_STRING_INPLACE = 13,
    HPyMember_BOOL = 14,
    HPyMember_OBJECT_EX = 16,
    HPyMember_LONGLONG = 17,
    HPyMember_ULONGLONG = 18,
    HPyMember_HPYSSIZET = 19,
    HPyMember_NONE = 20,
} HPyMember_FieldType;

typedef struct {
    const char *name;
    HPyMember_FieldType type;
    HPy_ssize_t offset;
    int readonly;
    const char *doc;
} HPyMember;

typedef struct {
    const char *name;
    HPyCFunction getter_impl;
    HPyCFunction setter_impl;
    cpy_getter getter_cpy_trampoline;
    cpy_setter setter_cpy_trampoline;
    const char *doc;
    void *closure;
} HPyGetSet;

typedef enum {
    HPyDef_Kind_Slot = 1,
    HPyDef_Kind_Meth = 2,
    HPyDef_Kind_Member = 3,
    HPyDef_Kind_GetSet = 4,
} HPyDef_Kind;

typedef struct {
    HPyDef_Kind kind;
    union {
        HPySlot slot;
        HPyMeth meth;
        HPyMember member;
        HPyGetSet getset;
    };
} HPyDef;

typedef struct {
    cpy_PyCapsule_Destructor cpy_trampoline;
    HPyFunc_Capsule_Destructor impl;
} HPyCapsule_Destructor;

typedef struct {
    cpy_vectorcallfunc cpy_trampoline;
    HPyFunc_keywords impl;
} HPyCallFunction;

/* The signature a slot's implementation must have, e.g.
   HPySlot_SIG(HPy_nb_add) is HPyFunc_BINARYFUNC. */
#define HPySlot_SIG(SLOT) _HPySlot_SIG__##SLOT

/* Each macro below defines `HPyDef SYM` and the trampoline(s) CPython calls;
   the implementation is SYM_impl (SYM_get / SYM_set for get-sets) unless
   the _IMPL variant names it. Optional fields (e.g. .doc = "…") follow. */

#define HPyDef_SLOT_IMPL(SYM, IMPL, SLOT)                             \
    enum { SYM##_slot = SLOT };                                       \
    _HPyDef_SLOT(SYM, IMPL, SLOT, HPySlot_SIG(SLOT))

#define HPyDef_SLOT(SYM, SLOT) HPyDef_SLOT_IMPL(SYM, SYM##_impl, SLOT)

#define _HPyDef_SLOT(SYM, IMPL, SLOT, SIG)                            \
    HPyFunc_DECLARE(IMPL, SIG);                                       \
    HPyFunc_TRAMPOLINE(SYM##_trampoline, IMPL, SIG);                  \
    HPyDef SYM = {                                                    \
        .kind = HPyDef_Kind_Slot,                                     \
        .slot = {                                                     \
            .slot = SLOT,                                             \
            .impl = _HPy_FUNC_CAST(HPyCFunction, IMPL),                               \
            .cpy_trampoline = _HPy_FUNC_CAST(cpy_PyCFunction, SYM##_trampoline)       \
        }                                                             \
    };

#define HPyDef_METH_IMPL(SYM, NAME, IMPL, SIG, ...)                   \
    HPyFunc_DECLARE(IMPL, SIG);                                       \
    HPyFunc_TRAMPOLINE(SYM##_trampoline, IMPL, SIG)                   \
    HPyDef SYM = {                                                    \
        .kind = HPyDef_Kind_Meth,                                     \
        .meth = {                                                     \
            .name = NAME,                                             \
            .impl = _HPy_FUNC_CAST(HPyCFunction, IMPL),                               \
            .cpy_trampoline = _HPy_FUNC_CAST(cpy_PyCFunction, SYM##_trampoline),      \
            .signature = SIG,                                         \
            __VA_ARGS__                                               \
        }                                                             \
    };

#define HPyDef_METH(SYM, NAME, SIG, ...) \
    HPyDef_METH_IMPL(SYM, NAME, SYM##_impl, SIG, __VA_ARGS__)

#define HPyDef_MEMBER(SYM, NAME, TYPE, OFFSET, ...)                   \
    HPyDef SYM = {                                                    \
        .kind = HPyDef_Kind_Member,                                   \
        .member = {                                                   \
            .name = NAME,                                             \
            .type = TYPE,                                             \
            .offset = OFFSET,                                         \
            __VA_ARGS__                                               \
        }                                                             \
    };

#define HPyDef_GET_IMPL(SYM, NAME, GETIMPL, ...)                      \
    HPyFunc_DECLARE(GETIMPL, HPyFunc_GETTER);                         \
    HPyFunc_TRAMPOLINE(SYM##_get_trampoline, GETIMPL, HPyFunc_GETTER); \
    HPyDef SYM = {                                                    \
        .kind = HPyDef_Kind_GetSet,                                   \
        .getset = {                                                   \
            .name = NAME,                                             \
            .getter_impl = _HPy_FUNC_CAST(HPyCFunction, GETIMPL),                     \
            .getter_cpy_trampoline = _HPy_FUNC_CAST(cpy_getter, SYM##_get_trampoline), \
            __VA_ARGS__                                               \
        }                                                             \
    };

#define HPyDef_GET(SYM, NAME, ...) HPyDef_GET_IMPL(SYM, NAME, SYM##_get, __VA_ARGS__)

#define HPyDef_SET_IMPL(SYM, NAME, SETIMPL, ...)                      \
    HPyFunc_DECLARE(SETIMPL, HPyFunc_SETTER);                         \
    HPyFunc_TRAMPOLINE(SYM##_set_trampoline, SETIMPL, HPyFunc_SETTER); \
    HPyDef SYM = {                                                    \
        .kind = HPyDef_Kind_GetSet,                                   \
        .getset = {                                                   \
            .name = NAME,                                             \
            .setter_impl = _HPy_FUNC_CAST(HPyCFunction, SETIMPL),                     \
            .setter_cpy_trampoline = _HPy_FUNC_CAST(cpy_setter, SYM##_set_trampoline), \
            __VA_ARGS__                                               \
        }                                                             \
    };

#define HPyDef_SET(SYM, NAME, ...) HPyDef_SET_IMPL(SYM, NAME, SYM##_set, __VA_ARGS__)

#define HPyDef_GETSET_IMPL(SYM, NAME, GETIMPL, SETIMPL, ...)          \
    HPyFunc_DECLARE(GETIMPL, HPyFunc_GETTER);                         \
    HPyFunc_TRAMPOLINE(SYM##_get_trampoline, GETIMPL, HPyFunc_GETTER); \
    HPyFunc_DECLARE(SETIMPL, HPyFunc_SETTER);                         \
    HPyFunc_TRAMPOLINE(SYM##_set_trampoline, SETIMPL, HPyFunc_SETTER); \
    HPyDef SYM = {                                                    \
        .kind = HPyDef_Kind_GetSet,                                   \
        .getset = {                                                   \
            .name = NAME,                                             \
            .getter_impl = _HPy_FUNC_CAST(HPyCFunction, GETIMPL),                     \
            .setter_impl = _HPy_FUNC_CAST(HPyCFunction, SETIMPL),                     \
            .getter_cpy_trampoline = _HPy_FUNC_CAST(cpy_getter, SYM##_get_trampoline), \
            .setter_cpy_trampoline = _HPy_FUNC_CAST(cpy_setter, SYM##_set_trampoline), \
            __VA_ARGS__                                               \
        }                                                             \
    };

#define HPyDef_GETSET(SYM, NAME, ...) \
    HPyDef_GETSET_IMPL(SYM, NAME, SYM##_get, SYM##_set, __VA_ARGS__)

#define HPyCapsule_DESTRUCTOR(SYM)                                    \
    static void SYM##_impl(const char *name, void *pointer, void *context); \
    HPyCapsule_DESTRUCTOR_TRAMPOLINE(SYM##_trampoline, SYM##_impl);   \
    static HPyCapsule_Destructor SYM = {                              \
        .cpy_trampoline = SYM##_trampoline,                           \
        .impl = SYM##_impl                                            \
    };

#define HPyDef_CALL_FUNCTION(SYM)                                     \
    HPyFunc_DECLARE(SYM##_impl, HPyFunc_KEYWORDS);                    \
    HPyFunc_TRAMPOLINE(SYM##_trampoline, SYM##_impl, HPyFunc_KEYWORDS); \
    static HPyCallFunction SYM = {                                    \
        .cpy_trampoline = SYM##_trampoline,                           \
        .impl = SYM##_impl                                            \
    };

#endif /* HPY_HPYDEF_H */
