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
#define HPY_DEBUG_PAGE_MASK (((size_t)1 << HPY_DEBUG_PAGE_BITS) - 1)

/* The bits of a value that a record's kind fixes: the kind and the low bit. */
#define HPY_DEBUG_KIND_BITS(KIND) (((uintptr_t)(KIND) << HPY_DEBUG_KIND_SHIFT) | 1u)
#define HPY_DEBUG_KIND_BITS_MASK HPY_DEBUG_KIND_BITS(~(uintptr_t)0)

/* The head of every record. */
typedef struct {
    intptr_t value;                 /* the value handed out for it, HPY_DEBUG_FREE while free */
    uint32_t serial;
    uint32_t index;
    uint32_t next_free;             /* index + 1 of the next free record, while free */
} DebugSlot;

/* The value of a free record: it matches no value (its index field is past
   the last index a table hands out), not even garbage. */
#define HPY_DEBUG_FREE ((intptr_t)-1)

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

/* A record that was never handed out (the slow path of
   hpy_debug_table_take); aborts when out of memory or indices. */
_HPy_HIDDEN DebugSlot *hpy_debug_table_grow(DebugTable *t);

/* A zeroed record (but its head); aborts when out of memory or indices. The
   memory of a record stays valid (for reading) even after it is freed. */
_HPy_HIDDEN DebugSlot *hpy_debug_table_alloc(DebugTable *t);

/* The record at `index`, for records of `size` bytes: the tables of one
   record type pass a constant, which spares a load and a multiplication. */
static inline DebugSlot *hpy_debug_table_record_sized(const DebugTable *t, size_t index,
                                                      size_t size)
{
    return (DebugSlot *)(t->pages[index >> HPY_DEBUG_PAGE_BITS]
                         + (index & HPY_DEBUG_PAGE_MASK) * size);
}

static inline DebugSlot *hpy_debug_table_record(const DebugTable *t, size_t index)
{
    return hpy_debug_table_record_sized(t, index, t->record_size);
}

static inline intptr_t hpy_debug_table_value_of_kind(uintptr_t kind, const DebugSlot *s)
{
    return (intptr_t)((kind << HPY_DEBUG_KIND_SHIFT)
                      | ((uintptr_t)s->serial << HPY_DEBUG_SERIAL_SHIFT)
                      | ((uintptr_t)s->index << 1) | 1u);
}

/* The value handed out for the record s, which is live. */
static inline intptr_t hpy_debug_table_value(const DebugTable *t, const DebugSlot *s)
{
    (void)t;
    return s->value;
}

/* Whether s is handed out (and not freed since). */
static inline bool hpy_debug_slot_live(const DebugSlot *s)
{
    return s->value != HPY_DEBUG_FREE;
}

/* hpy_debug_table_alloc without the zeroing, for a caller that sets every
   field: the other fields hold what the record's last use left there. */
static inline DebugSlot *hpy_debug_table_take_sized(DebugTable *t, size_t size)
{
    if (t->free_head == 0)
        return hpy_debug_table_grow(t);
    DebugSlot *s = hpy_debug_table_record_sized(t, t->free_head - 1, size);
    t->free_head = s->next_free;
    s->value = hpy_debug_table_value_of_kind(t->kind, s);
    return s;
}

/* A new serial: the values handed out for the record stop matching it. */
static inline void hpy_debug_table_reserial(DebugSlot *s)
{
    s->serial = (uint32_t)((s->serial + 1) & HPY_DEBUG_SERIAL_MASK);
}

/* Gives the record back: the values handed out for it stop matching it. */
static inline void hpy_debug_table_free(DebugTable *t, DebugSlot *s)
{
    s->value = HPY_DEBUG_FREE;
    hpy_debug_table_reserial(s);
    s->next_free = (uint32_t)t->free_head;
    t->free_head = (size_t)s->index + 1;
}

/* Frees the live record s of `t` and takes it again, for a new use (its
   other fields are left as they were): what hpy_debug_table_free then
   hpy_debug_table_take_sized would do, without the trip through the free
   list. */
static inline void hpy_debug_table_reuse(DebugTable *t, DebugSlot *s)
{
    hpy_debug_table_reserial(s);
    s->value = hpy_debug_table_value_of_kind(t->kind, s);
}

/* The record of `t` (of `kind`) at the index of v, or NULL (whatever v is). */
static inline DebugSlot *hpy_debug_table_at_sized(const DebugTable *t, uintptr_t kind,
                                                  size_t size, intptr_t v)
{
    uintptr_t u = (uintptr_t)v;
    if ((u & HPY_DEBUG_KIND_BITS_MASK) != HPY_DEBUG_KIND_BITS(kind))
        return NULL;
    size_t index = (size_t)((u >> 1) & HPY_DEBUG_INDEX_MASK);
    return index < t->count ? hpy_debug_table_record_sized(t, index, size) : NULL;
}

/* The record v was handed out for, if it is still in use; else NULL. The
   index of any v is in range or not, and a record's value is only ever that
   of `t`'s kind (or HPY_DEBUG_FREE), so there is nothing else to check. */
static inline DebugSlot *hpy_debug_table_find_sized(const DebugTable *t, size_t size, intptr_t v)
{
    size_t index = (size_t)(((uintptr_t)v >> 1) & HPY_DEBUG_INDEX_MASK);
    if (index >= t->count)
        return NULL;
    DebugSlot *s = hpy_debug_table_record_sized(t, index, size);
    return s->value == v ? s : NULL;
}

static inline DebugSlot *hpy_debug_table_at(const DebugTable *t, intptr_t v)
{
    return hpy_debug_table_at_sized(t, t->kind, t->record_size, v);
}

static inline DebugSlot *hpy_debug_table_find(const DebugTable *t, intptr_t v)
{
    return hpy_debug_table_find_sized(t, t->record_size, v);
}

/* Whether v has the shape of a value of `t` whose record was freed since. */
static inline bool hpy_debug_table_is_stale(const DebugTable *t, intptr_t v)
{
    return hpy_debug_table_at(t, v) != NULL && hpy_debug_table_find(t, v) == NULL;
}

#endif
