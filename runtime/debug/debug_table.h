/* Tables of debug records (handles, builders, globals): the value handed to
   the extension names a record by index, never by address, so that any
   value can be checked without reading memory it points to.

   A value is  kind | serial | index | 1  (bit fields, widest on 64-bit
   platforms). `kind` tells the tables apart and keeps the values out of
   the ranges of pointers and small integers; the low bit keeps them apart
   from universal handles (PyObject *, always even); `serial` changes each
   time a record is freed, so a value kept after its record was freed (and
   maybe reused) is told from a live one. Records live in pages that never
   move or go back to the allocator: a freed record goes to a free list and
   is reused, so the memory is that of the most records alive at once. */
#ifndef HPY_DEBUG_TABLE_H
#define HPY_DEBUG_TABLE_H

#include "hpy_runtime_base.h"
#include <stdbool.h>
#include <stdint.h>

#if UINTPTR_MAX > 0xFFFFFFFFu
#define HPY_DEBUG_KIND_SHIFT 56
#define HPY_DEBUG_SERIAL_SHIFT 33
#define HPY_DEBUG_SERIAL_MASK ((uintptr_t)0x7FFFFF)        /* 23 bits */
#define HPY_DEBUG_INDEX_MASK ((uintptr_t)0xFFFFFFFF)       /* 32 bits */
#define HPY_DEBUG_KIND_HANDLE ((uintptr_t)0x5D)
#define HPY_DEBUG_KIND_BUILDER ((uintptr_t)0x5B)
#define HPY_DEBUG_KIND_GLOBAL ((uintptr_t)0x5C)
#else
#define HPY_DEBUG_KIND_SHIFT 28
#define HPY_DEBUG_SERIAL_SHIFT 20
#define HPY_DEBUG_SERIAL_MASK ((uintptr_t)0xFF)            /* 8 bits */
#define HPY_DEBUG_INDEX_MASK ((uintptr_t)0x7FFFF)          /* 19 bits */
#define HPY_DEBUG_KIND_HANDLE ((uintptr_t)0xD)
#define HPY_DEBUG_KIND_BUILDER ((uintptr_t)0xB)
#define HPY_DEBUG_KIND_GLOBAL ((uintptr_t)0xC)
#endif

#define HPY_DEBUG_PAGE_BITS 10      /* records per page: 1024 */

/* The head of every record. */
typedef struct {
    uint32_t serial;
    uint32_t index;
    bool live;                      /* handed out and not freed since */
    size_t next_free;               /* index + 1 of the next free record, while free */
} DebugSlot;

typedef struct {
    char **pages;
    size_t npages;
    size_t count;                   /* records handed out so far (the high-water mark) */
    size_t free_head;               /* index + 1 of a free record, 0: none */
    size_t record_size;
    uintptr_t kind;
    const char *what;               /* for the out-of-memory report */
} DebugTable;

#define HPY_DEBUG_TABLE_INIT(TYPE, KIND, WHAT) { NULL, 0, 0, 0, sizeof(TYPE), KIND, WHAT }

/* A zeroed record (but its head); aborts when out of memory or indices. The
   memory of a record stays valid (for reading) even after it is freed. */
_HPy_HIDDEN DebugSlot *hpy_debug_table_alloc(DebugTable *t);

/* Gives the record back: the values handed out for it stop matching it. */
_HPy_HIDDEN void hpy_debug_table_free(DebugTable *t, DebugSlot *s);

static inline intptr_t hpy_debug_table_value(const DebugTable *t, const DebugSlot *s)
{
    return (intptr_t)((t->kind << HPY_DEBUG_KIND_SHIFT)
                      | ((uintptr_t)s->serial << HPY_DEBUG_SERIAL_SHIFT)
                      | ((uintptr_t)s->index << 1) | 1u);
}

static inline DebugSlot *hpy_debug_table_record(const DebugTable *t, size_t index)
{
    return (DebugSlot *)(t->pages[index >> HPY_DEBUG_PAGE_BITS]
                         + (index & (((size_t)1 << HPY_DEBUG_PAGE_BITS) - 1)) * t->record_size);
}

/* The record of `t` at the index of v, or NULL (whatever v is). */
static inline DebugSlot *hpy_debug_table_at(const DebugTable *t, intptr_t v)
{
    uintptr_t u = (uintptr_t)v;
    if ((u >> HPY_DEBUG_KIND_SHIFT) != t->kind || !(u & 1u))
        return NULL;
    size_t index = (size_t)((u >> 1) & HPY_DEBUG_INDEX_MASK);
    return index < t->count ? hpy_debug_table_record(t, index) : NULL;
}

/* The record v was handed out for, if it is still in use; else NULL. */
static inline DebugSlot *hpy_debug_table_find(const DebugTable *t, intptr_t v)
{
    DebugSlot *s = hpy_debug_table_at(t, v);
    if (s == NULL || !s->live
        || s->serial != (((uintptr_t)v >> HPY_DEBUG_SERIAL_SHIFT) & HPY_DEBUG_SERIAL_MASK))
        return NULL;
    return s;
}

/* Whether v has the shape of a value of `t` whose record was freed since. */
static inline bool hpy_debug_table_is_stale(const DebugTable *t, intptr_t v)
{
    return hpy_debug_table_at(t, v) != NULL && hpy_debug_table_find(t, v) == NULL;
}

#endif
