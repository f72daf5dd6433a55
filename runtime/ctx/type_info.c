/* The records of HPy types and the set that tells which tp_methods tables
   are theirs (see type_info.h): an open-addressing hash set of pointers.
   Guarded by the GIL like the rest of the runtime.

   Every CPython-ABI module links its own copy of this code, and one module
   may make instances of another's types (HPy_New) or subclass them: so the
   set is the process's, found in the interpreter's dict under a key naming
   the ABI and the record layout, and created there by the first copy that
   needs it. Copies with another layout (another hpy_build) keep their own:
   their records are not ours to read. */
#include "ctx/type_info.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    void **slots;     /* NULL = empty */
    size_t capacity;  /* a power of two, or 0 */
    size_t used;
} table_set;

/* Raise it whenever _HPyTypeInfo changes in any way but its size. */
#define RECORD_LAYOUT 1
#if defined(HPY_ABI_CPYTHON)
#  define RECORD_ABI "cpython"
#else
#  define RECORD_ABI "universal"
#endif
#define CAPSULE_NAME "hpy_build type records"

static table_set own_tables;
static table_set *known_tables;   /* NULL until first asked for */

#if !defined(PYPY_VERSION)
/* The set of the process: another copy's if one was published, else ours,
   published now. Leaves any pending exception as it was. */
static table_set *process_tables(void)
{
    table_set *set = &own_tables;
    char key[128];
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *dict = PyInterpreterState_GetDict(PyInterpreterState_Get());
    snprintf(key, sizeof(key), "%s (%s ABI, layout %d, %u bytes)", CAPSULE_NAME, RECORD_ABI,
             RECORD_LAYOUT, (unsigned)sizeof(_HPyTypeInfo));
    if (dict != NULL) {
        PyObject *capsule = PyDict_GetItemString(dict, key);
        if (capsule != NULL && PyCapsule_IsValid(capsule, CAPSULE_NAME)) {
            set = PyCapsule_GetPointer(capsule, CAPSULE_NAME);
        }
        else if ((capsule = PyCapsule_New(&own_tables, CAPSULE_NAME, NULL)) != NULL) {
            (void)PyDict_SetItemString(dict, key, capsule);   /* failing: ours alone */
            Py_DECREF(capsule);
        }
    }
    PyErr_Clear();
    PyErr_Restore(type, value, tb);
    return set;
}
#else
/* (cpyext has no interpreter dict: each copy knows only its own types.) */
static table_set *process_tables(void)
{
    return &own_tables;
}
#endif

static table_set *tables(void)
{
    if (known_tables == NULL)
        known_tables = process_tables();
    return known_tables;
}

static size_t slot_of(const void *p, size_t capacity)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (capacity - 1);
}

static void insert(void **slots, size_t capacity, void *p)
{
    size_t i = slot_of(p, capacity);
    while (slots[i] != NULL && slots[i] != p)
        i = (i + 1) & (capacity - 1);
    slots[i] = p;
}

static int grow(table_set *set)
{
    size_t capacity = set->capacity ? set->capacity * 2 : 64;
    void **slots = PyMem_RawCalloc(capacity, sizeof(void *));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < set->capacity; i++)
        if (set->slots[i] != NULL)
            insert(slots, capacity, set->slots[i]);
    PyMem_RawFree(set->slots);
    set->slots = slots;
    set->capacity = capacity;
    return 0;
}

static int contains(const void *p)
{
    table_set *set = tables();
    if (p == NULL || set->capacity == 0)
        return 0;
    for (size_t i = slot_of(p, set->capacity); set->slots[i] != NULL;
         i = (i + 1) & (set->capacity - 1))
        if (set->slots[i] == p)
            return 1;
    return 0;
}

/* HPy_New finds `alloc` just before the methods (hpy/cpython/type_new.h):
   a negative array size if anything came between them. */
typedef char alloc_is_just_before_methods[
    offsetof(_HPyTypeInfo, methods) == offsetof(_HPyTypeInfo, alloc) + sizeof(_HPyTypeNewInfo)
    ? 1 : -1];

_HPyTypeInfo *_HPyTypeInfo_Alloc(Py_ssize_t n_methods, const char *name)
{
    size_t methods_size = ((size_t)n_methods + 1) * sizeof(PyMethodDef);
    size_t name_size = strlen(name) + 1;
    _HPyTypeInfo *info = PyMem_RawCalloc(1, sizeof(_HPyTypeInfo) + methods_size + name_size);
    if (info == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    char *copy = (char *)info->methods + methods_size;
    memcpy(copy, name, name_size);
    info->name = copy;
    return info;
}

int _HPyTypeInfo_Register(_HPyTypeInfo *info)
{
    table_set *set = tables();
    /* keep the load under one half */
    if (2 * (set->used + 1) > set->capacity && grow(set) < 0)
        return -1;
    insert(set->slots, set->capacity, info->methods);
    set->used++;
    return 0;
}

/* Every slot starts as a table that no type has, so that a type without
   tp_methods (NULL) misses like any other, without a test of its own. */
static PyMethodDef no_table[1];
#define NO_TABLE4 no_table, no_table, no_table, no_table
#if _HPY_RECENT_TABLES != 32
#  error "the initializer below has 32 entries"
#endif
PyMethodDef *_HPyTypeInfo_recent[_HPY_RECENT_TABLES] = {
    NO_TABLE4, NO_TABLE4, NO_TABLE4, NO_TABLE4, NO_TABLE4, NO_TABLE4, NO_TABLE4, NO_TABLE4,
};

int _HPyTypeInfo_IsTable(PyMethodDef *methods)
{
    if (!contains(methods))
        return 0;
    _HPyTypeInfo_recent[_HPyTypeInfo_RecentSlot(methods)] = methods;
    return 1;
}

_HPyTypeInfo *_HPyTypeInfo_NearestWalk(PyTypeObject *tp)
{
    for (; tp != NULL; tp = tp->tp_base) {
        _HPyTypeInfo *info = _HPyTypeInfo_Of(tp);
        if (info != NULL)
            return info;
    }
    return NULL;
}

PyTypeObject *_HPyType_BuiltinBase(PyTypeObject *tp)
{
    while (tp != NULL && _HPyTypeInfo_Of(tp) == NULL)
        tp = tp->tp_base;   /* Python subclasses below the HPy levels */
    while (tp != NULL && _HPyTypeInfo_Of(tp) != NULL)
        tp = tp->tp_base;
    if (tp == NULL || tp == &PyBaseObject_Type || (tp->tp_flags & Py_TPFLAGS_HEAPTYPE))
        return NULL;
    return tp;
}
