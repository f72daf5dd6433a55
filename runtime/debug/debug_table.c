/* Tables of debug records: allocation from pages that never move, and a
   free list (see debug_table.h). */
#include "debug/debug_table.h"
#include <string.h>

#define PAGE_RECORDS ((size_t)1 << HPY_DEBUG_PAGE_BITS)

static _HPy_NO_RETURN void out_of(const DebugTable *t, const char *what)
{
    char msg[120];
    PyOS_snprintf(msg, sizeof msg, "HPy debug mode: out of %s for %s", what, t->what);
    Py_FatalError(msg);
}

DebugSlot *hpy_debug_table_grow(DebugTable *t)
{
    size_t index = t->count;
    if (index >= HPY_DEBUG_INDEX_MASK)
        out_of(t, "indices");
    if ((index >> HPY_DEBUG_PAGE_BITS) == t->npages) {
        char **pages = realloc(t->pages, (t->npages + 1) * sizeof(char *));
        char *page = pages != NULL ? malloc(PAGE_RECORDS * t->record_size) : NULL;
        if (page == NULL) {
            if (pages != NULL)
                t->pages = pages;
            out_of(t, "memory");
        }
        pages[t->npages++] = page;
        t->pages = pages;
    }
    t->count++;
    DebugSlot *s = hpy_debug_table_record(t, index);
    memset(s, 0, t->record_size);
    s->index = (uint32_t)index;
    s->value = hpy_debug_table_value_of_kind(t->kind, s);
    return s;
}

DebugSlot *hpy_debug_table_alloc(DebugTable *t)
{
    DebugSlot *s = hpy_debug_table_take_sized(t, t->record_size);
    DebugSlot head = *s;
    memset(s, 0, t->record_size);
    *s = head;
    return s;
}
