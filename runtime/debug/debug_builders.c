/* HPyListBuilder, HPyTupleBuilder and HPyTracker in debug mode: each is a
   DebugBuilder, kept (closed) in a queue once built, cancelled or closed, so
   that a later use is reported (HPy 0.9's wording: "Invalid usage of already
   closed builder") instead of touching freed memory. A tracker holds debug
   handles and closes them through the debug context. */
#include "debug/debug_internal.h"

#define CLOSED_BUILDER "Invalid usage of already closed builder"

static const char *const kind_names[] = {"HPyListBuilder", "HPyTupleBuilder", "HPyTracker"};

DebugBuilder *hpy_debug_builder_open(HPyDebugInfo *info, DebugBuilderKind kind, intptr_t u)
{
    DebugBuilder *b = (DebugBuilder *)hpy_debug_table_alloc(&info->builders);
    b->kind = kind;
    b->u = u;
    return b;
}

void hpy_debug_builder_close(HPyDebugInfo *info, DebugBuilder *b)
{
    b->is_closed = true;
    free(b->handles);
    b->handles = NULL;
    b->next = NULL;
    if (info->closed_builders_tail != NULL)
        info->closed_builders_tail->next = b;
    else
        info->closed_builders_head = b;
    info->closed_builders_tail = b;
    info->closed_builders++;
    while (info->closed_builders > info->closed_max && info->closed_builders_head != NULL) {
        DebugBuilder *oldest = info->closed_builders_head;
        info->closed_builders_head = oldest->next;
        if (info->closed_builders_head == NULL)
            info->closed_builders_tail = NULL;
        info->closed_builders--;
        hpy_debug_table_free(&info->builders, &oldest->slot);
    }
}

/* The open DebugBuilder of `kind` behind v, or NULL: for 0 (a New that
   failed, which Build reports), or after reporting a misuse. */
static DebugBuilder *as_builder(HPyDebugInfo *info, intptr_t v, DebugBuilderKind kind,
                                const char *fn)
{
    if (v == 0)
        return NULL;
    DebugBuilder *b = (DebugBuilder *)hpy_debug_table_find(&info->builders, v);
    if (b == NULL || b->kind != kind) {
        hpy_debug_report_builder(info, "Invalid builder: %s was given something that is not an "
                                 "open %s", fn, kind_names[kind]);
        return NULL;
    }
    if (b->is_closed) {
        hpy_debug_report_builder(info, CLOSED_BUILDER ": %s was given a %s that was already "
                                 "built, cancelled or closed", fn, kind_names[kind]);
        return NULL;
    }
    return b;
}

/* What the extension gets for b. */
static intptr_t builder_value(HPyDebugInfo *info, DebugBuilder *b)
{
    return hpy_debug_table_value(&info->builders, &b->slot);
}

/* --- list and tuple builders --- */

HPyListBuilder debug_ctx_ListBuilder_New(HPyContext *dctx, HPy_ssize_t size)
{
    HPyDebugInfo *info = hpy_debug_enter(dctx, "HPyListBuilder_New");
    HPyContext *uctx = info->uctx;
    HPyListBuilder u = uctx->ctx_ListBuilder_New(uctx, size);
    if (u._lst == 0)
        return u;       /* Build raises MemoryError */
    DebugBuilder *b = hpy_debug_builder_open(info, DEBUG_LIST_BUILDER, u._lst);
    return (HPyListBuilder){ builder_value(info, b) };
}

void debug_ctx_ListBuilder_Set(HPyContext *dctx, HPyListBuilder builder, HPy_ssize_t index, HPy h_item)
{
    static const char fn[] = "HPyListBuilder_Set";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, builder._lst, DEBUG_LIST_BUILDER, fn);
    HPy item = hpy_debug_unwrap(info, h_item, fn);
    if (b != NULL)
        info->uctx->ctx_ListBuilder_Set(info->uctx, (HPyListBuilder){ b->u }, index, item);
}

HPy debug_ctx_ListBuilder_Build(HPyContext *dctx, HPyListBuilder builder)
{
    static const char fn[] = "HPyListBuilder_Build";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, builder._lst, DEBUG_LIST_BUILDER, fn);
    HPy result = info->uctx->ctx_ListBuilder_Build(info->uctx, (HPyListBuilder){ b ? b->u : 0 });
    if (b != NULL)
        hpy_debug_builder_close(info, b);
    return hpy_debug_open(info, result, fn);
}

void debug_ctx_ListBuilder_Cancel(HPyContext *dctx, HPyListBuilder builder)
{
    static const char fn[] = "HPyListBuilder_Cancel";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, builder._lst, DEBUG_LIST_BUILDER, fn);
    if (b == NULL)
        return;
    info->uctx->ctx_ListBuilder_Cancel(info->uctx, (HPyListBuilder){ b->u });
    hpy_debug_builder_close(info, b);
}

HPyTupleBuilder debug_ctx_TupleBuilder_New(HPyContext *dctx, HPy_ssize_t size)
{
    HPyDebugInfo *info = hpy_debug_enter(dctx, "HPyTupleBuilder_New");
    HPyContext *uctx = info->uctx;
    HPyTupleBuilder u = uctx->ctx_TupleBuilder_New(uctx, size);
    if (u._tup == 0)
        return u;
    DebugBuilder *b = hpy_debug_builder_open(info, DEBUG_TUPLE_BUILDER, u._tup);
    return (HPyTupleBuilder){ builder_value(info, b) };
}

void debug_ctx_TupleBuilder_Set(HPyContext *dctx, HPyTupleBuilder builder, HPy_ssize_t index, HPy h_item)
{
    static const char fn[] = "HPyTupleBuilder_Set";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, builder._tup, DEBUG_TUPLE_BUILDER, fn);
    HPy item = hpy_debug_unwrap(info, h_item, fn);
    if (b != NULL)
        info->uctx->ctx_TupleBuilder_Set(info->uctx, (HPyTupleBuilder){ b->u }, index, item);
}

HPy debug_ctx_TupleBuilder_Build(HPyContext *dctx, HPyTupleBuilder builder)
{
    static const char fn[] = "HPyTupleBuilder_Build";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, builder._tup, DEBUG_TUPLE_BUILDER, fn);
    HPy result = info->uctx->ctx_TupleBuilder_Build(info->uctx, (HPyTupleBuilder){ b ? b->u : 0 });
    if (b != NULL)
        hpy_debug_builder_close(info, b);
    return hpy_debug_open(info, result, fn);
}

void debug_ctx_TupleBuilder_Cancel(HPyContext *dctx, HPyTupleBuilder builder)
{
    static const char fn[] = "HPyTupleBuilder_Cancel";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, builder._tup, DEBUG_TUPLE_BUILDER, fn);
    if (b == NULL)
        return;
    info->uctx->ctx_TupleBuilder_Cancel(info->uctx, (HPyTupleBuilder){ b->u });
    hpy_debug_builder_close(info, b);
}

/* --- trackers --- */

HPyTracker debug_ctx_Tracker_New(HPyContext *dctx, HPy_ssize_t size)
{
    HPyDebugInfo *info = hpy_debug_enter(dctx, "HPyTracker_New");
    if (size < 0) {
        PyErr_SetString(PyExc_ValueError, "HPyTracker_New: negative size");
        return (HPyTracker){0};
    }
    DebugBuilder *b = hpy_debug_builder_open(info, DEBUG_TRACKER, 0);
    b->capacity = (size > 0 ? size : 4) + 1;     /* room for one failed Add */
    b->handles = calloc((size_t)b->capacity, sizeof(HPy));
    if (b->handles == NULL) {
        hpy_debug_table_free(&info->builders, &b->slot);
        PyErr_NoMemory();
        return (HPyTracker){0};
    }
    return (HPyTracker){ builder_value(info, b) };
}

int debug_ctx_Tracker_Add(HPyContext *dctx, HPyTracker ht, HPy h)
{
    static const char fn[] = "HPyTracker_Add";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, ht._i, DEBUG_TRACKER, fn);
    if (b == NULL) {
        if (ht._i == 0)
            hpy_debug_report_builder(info, "Invalid builder: HPyTracker_Add was given a null "
                                     "HPyTracker (did HPyTracker_New fail?)");
        PyErr_SetString(PyExc_SystemError, "HPyTracker_Add: invalid tracker");
        return -1;
    }
    hpy_debug_unwrap(info, h, fn);      /* reports a closed or foreign handle now */
    if (b->length == b->capacity) {
        /* full after an earlier failed Add: release h now rather than lose it */
        hpy_debug_close(info, h, fn);
        PyErr_NoMemory();
        return -1;
    }
    b->handles[b->length++] = h;
    if (b->length == b->capacity) {
        HPy *grown = realloc(b->handles, (size_t)b->capacity * 2 * sizeof(HPy));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;      /* h is tracked all the same: there was room for it */
        }
        b->handles = grown;
        b->capacity *= 2;
    }
    return 0;
}

void debug_ctx_Tracker_ForgetAll(HPyContext *dctx, HPyTracker ht)
{
    static const char fn[] = "HPyTracker_ForgetAll";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, ht._i, DEBUG_TRACKER, fn);
    if (b != NULL)
        b->length = 0;
}

void debug_ctx_Tracker_Close(HPyContext *dctx, HPyTracker ht)
{
    static const char fn[] = "HPyTracker_Close";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugBuilder *b = as_builder(info, ht._i, DEBUG_TRACKER, fn);
    if (b == NULL)
        return;
    for (HPy_ssize_t i = 0; i < b->length; i++)
        hpy_debug_close(info, b->handles[i], fn);
    hpy_debug_builder_close(info, b);
}
