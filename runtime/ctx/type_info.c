/* The records of HPy types and the set that tells which tp_methods tables
   are theirs (see type_info.h): an open-addressing hash set of pointers.
   Guarded by the GIL like the rest of the runtime. */
#include "ctx/type_info.h"
#include <string.h>

static struct {
    void **slots;     /* NULL = empty */
    size_t capacity;  /* a power of two, or 0 */
    size_t used;
} known_tables;

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

static int grow(void)
{
    size_t capacity = known_tables.capacity ? known_tables.capacity * 2 : 64;
    void **slots = PyMem_RawCalloc(capacity, sizeof(void *));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (size_t i = 0; i < known_tables.capacity; i++)
        if (known_tables.slots[i] != NULL)
            insert(slots, capacity, known_tables.slots[i]);
    PyMem_RawFree(known_tables.slots);
    known_tables.slots = slots;
    known_tables.capacity = capacity;
    return 0;
}

static int contains(const void *p)
{
    if (p == NULL || known_tables.capacity == 0)
        return 0;
    for (size_t i = slot_of(p, known_tables.capacity); known_tables.slots[i] != NULL;
         i = (i + 1) & (known_tables.capacity - 1))
        if (known_tables.slots[i] == p)
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
    /* keep the load under one half */
    if (2 * (known_tables.used + 1) > known_tables.capacity && grow() < 0)
        return -1;
    insert(known_tables.slots, known_tables.capacity, info->methods);
    known_tables.used++;
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
