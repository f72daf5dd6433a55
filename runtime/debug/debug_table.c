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

DebugSlot *hpy_debug_table_alloc(DebugTable *t)
{
    DebugSlot *s;
    if (t->free_head != 0) {
        s = hpy_debug_table_record(t, t->free_head - 1);
        t->free_head = s->next_free;
    } else {
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
        s = hpy_debug_table_record(t, index);
        s->serial = 0;
        s->index = (uint32_t)index;
    }
    uint32_t serial = s->serial, index = s->index;
    memset(s, 0, t->record_size);
    s->serial = serial;
    s->index = index;
    s->live = true;
    return s;
}

void hpy_debug_table_free(DebugTable *t, DebugSlot *s)
{
    s->live = false;
    s->serial = (uint32_t)((s->serial + 1) & HPY_DEBUG_SERIAL_MASK);
    s->next_free = t->free_head;
    t->free_head = (size_t)s->index + 1;
}
