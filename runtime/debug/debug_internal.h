/* The debug context: a context that wraps the universal one and checks how
   an extension uses handles and contexts.

   Every handle the extension sees is a debug handle: a record (DebugHandle)
   of a table (debug_table.h) that holds the universal handle. Its value
   names the record by index, so that anything the extension passes (a
   universal handle, garbage, a handle dropped long ago) is checked without
   reading memory it points to. Open handles are in `open`, in the order
   they were opened; closing one moves it to the `closed` queue, whose
   oldest entries are freed (and their records reused) once it exceeds its
   maximum size: a late use of a closed handle is reported as such while it
   is in the queue, and as the use of an invalid handle after.
   Each handle records its generation (leak detection looks at the handles
   opened since a generation), the API function that opened it and, when
   enabled, the C stack where it was opened.

   Each call into the extension gets one of HPY_DEBUG_CTX_RING copies of the
   context, valid only for that call: a context kept in a global and used
   later is caught. One debug context (and its copies) exists per process,
   like the universal context it wraps; modules loaded in universal mode
   never see it. */
#ifndef HPY_DEBUG_INTERNAL_H
#define HPY_DEBUG_INTERNAL_H

#include "universal/context.h"
#include "debug/debug_table.h"
#include <stdbool.h>

#define HPY_DEBUG_CTX_RING 16
#define HPY_DEBUG_DEFAULT_CLOSED_QUEUE_MAX 1024
#define HPY_DEBUG_DEFAULT_RAW_DATA_MAX (10 * 1024 * 1024)

/* The first word of each debug context's _private. */
#define HPY_DEBUG_CTX_MAGIC ((uintptr_t)0xDEB0C0A7E87ULL)

/* HPy 0.9's wording for every use of a handle that was closed. */
#define HPY_DEBUG_CLOSED_MSG "Invalid usage of already closed handle"

/* A link of a doubly linked list of handles; each list is a ring through a
   link of its own (DebugHandleList.ends), so that adding and removing take
   no test. */
typedef struct DebugLink {
    struct DebugLink *prev, *next;
} DebugLink;

/* What the hot paths touch comes first. */
typedef struct DebugHandle {
    DebugSlot slot;                     /* in info->handles */
    DebugLink link;                     /* in `open` or `closed` */
    HPy uh;                             /* the universal handle */
    long generation;
    const char *origin;                 /* the API function that opened it */
    bool is_closed;
    bool is_immortal;                   /* a context constant: never closed */
    bool is_arg;                        /* an argument of a call: borrowed */
    char *stack;                        /* where it was opened, or NULL */
    void *data;                         /* protected copy of its raw data, or NULL */
    HPy_ssize_t data_size;
} DebugHandle;

typedef struct {
    DebugLink ends;                     /* ends.next: the first (oldest), ends.prev: the last */
    HPy_ssize_t size;
} DebugHandleList;

/* HPyListBuilder, HPyTupleBuilder and HPyTracker in debug mode. */
typedef enum {
    DEBUG_LIST_BUILDER,
    DEBUG_TUPLE_BUILDER,
    DEBUG_TRACKER,
} DebugBuilderKind;

typedef struct DebugBuilder {
    DebugSlot slot;                     /* in info->builders */
    struct DebugBuilder *next;          /* in the closed-builder queue */
    DebugBuilderKind kind;
    bool is_closed;                     /* built, cancelled or closed */
    intptr_t u;                         /* the universal builder */
    HPy *handles;                       /* a tracker's debug handles */
    HPy_ssize_t length, capacity;
} DebugBuilder;

/* An HPyGlobal in debug mode holds the value of one of these. */
typedef struct {
    DebugSlot slot;                     /* in info->globals */
    HPyGlobal *owner;                   /* the HPyGlobal it was stored into */
    HPyGlobal ug;                       /* the universal HPyGlobal */
} DebugGlobal;

typedef struct HPyDebugInfo {
    /* what opening and closing a handle and a call touch first */
    DebugHandleList open, closed;
    HPy_ssize_t closed_max;             /* size limit of `closed` */
    DebugTable handles;
    long generation;
    HPy_ssize_t stack_limit;            /* frames recorded per handle, 0: none */
    unsigned ring_next;
    HPyContext *ring[HPY_DEBUG_CTX_RING];
    HPyContext *uctx;
    DebugTable builders, globals;
    HPy_ssize_t raw_data_max;           /* limit of protected raw data kept */
    HPy_ssize_t raw_data_size;
    PyObject *on_invalid_handle;        /* called instead of aborting, or NULL */
    PyObject *on_invalid_builder;
    struct DebugBuilder *closed_builders_head, *closed_builders_tail;
    HPy_ssize_t closed_builders;
    Py_tss_t current;                   /* this thread's context in use, or NULL (where
                                           there is no compiler thread-local) */
} HPyDebugInfo;

/* What HPyContext._private points to in each debug context. */
typedef struct {
    uintptr_t magic;
    bool is_valid;
    HPyDebugInfo *info;
} HPyDebugCtxInfo;

/* --- the context (debug_ctx.c) --- */

/* The process's debug context, created on first use; NULL with an exception. */
_HPy_HIDDEN HPyContext *hpy_debug_context(void);
_HPy_HIDDEN HPyDebugInfo *hpy_debug_info(void);

_HPy_HIDDEN _HPy_NO_RETURN void hpy_debug_wrong_context(HPyContext *dctx, const char *fn);

static inline HPyDebugCtxInfo *hpy_debug_ctx_info(HPyContext *dctx)
{
    return (HPyDebugCtxInfo *)dctx->_private;
}

/* The first thing every debug wrapper does. */
static inline HPyDebugInfo *hpy_debug_enter(HPyContext *dctx, const char *fn)
{
    HPyDebugCtxInfo *ci = hpy_debug_ctx_info(dctx);
    if (!ci->is_valid)
        hpy_debug_wrong_context(dctx, fn);
    return ci->info;
}

/* A function the debug context cannot wrap yet: SystemError naming it. */
_HPy_HIDDEN void hpy_debug_unsupported(const char *fn);

/* Generated (runtime/autogen/debug_ctx_table.c). */
_HPy_HIDDEN void hpy_debug_fill_functions(HPyContext *dctx);
_HPy_HIDDEN void hpy_debug_open_constants(HPyDebugInfo *info, HPyContext *dctx);

/* --- handles (debug_handles.c; the fast paths in debug_fast.h) --- */

/* A new debug handle for the universal handle uh, which it owns (NULL for
   NULL). `origin` names the API function, for reports. */
_HPy_HIDDEN HPy hpy_debug_open(HPyDebugInfo *info, HPy uh, const char *origin);
_HPy_HIDDEN HPy hpy_debug_open_immortal(HPyDebugInfo *info, HPy uh, const char *origin);

/* The slow path of hpy_debug_unwrap: reports the misuse through the
   on_invalid_handle hook if one is set, else aborts with the report. When
   the hook lets the program go on, a closed handle gives its universal
   handle (on CPython the object is often still alive); anything else gives
   None, so that the call goes on without crashing. */
_HPy_HIDDEN HPy hpy_debug_bad_unwrap(HPyDebugInfo *info, HPy dh, const char *fn);

/* HPy_Close: checks dh, closes it and its universal handle. */
_HPy_HIDDEN void hpy_debug_close(HPyDebugInfo *info, HPy dh, const char *fn);

/* The slow paths of hpy_debug_open_record and hpy_debug_close_handle
   (debug_fast.h): the whole of what they do, from where the fast path
   left. */
_HPy_HIDDEN _HPY_COLD DebugHandle *hpy_debug_open_record_slow(HPyDebugInfo *info, HPy uh,
                                                                   const char *origin,
                                                                   bool immortal, bool arg);
_HPy_HIDDEN _HPY_COLD void hpy_debug_close_handle_rest(HPyDebugInfo *info, DebugHandle *h);

/* --- results of calls into the extension (debug_results.c; the fast
   paths in debug_fast.h) --- */

/* The report of hpy_debug_status: `error` whether the result is an error
   value, which (with an exception set or not) is wrong. Returns -1. */
_HPy_HIDDEN _HPY_COLD HPy_ssize_t hpy_debug_bad_status(HPy_ssize_t result, bool error,
                                                            const char *sig);

/* _HPy_AsStruct_<Shape> (debug_structs.c): aborts with a report unless the
   object's type has the `expected` builtin shape. */
_HPy_HIDDEN void *hpy_debug_as_struct(HPyContext *dctx, HPy h, HPyType_BuiltinShape expected);

/* Reports an invalid handle (message starting with HPy 0.9's wording): calls
   the on_invalid_handle hook if one is set, else prints the report and
   aborts. `h` may be NULL. */
_HPy_HIDDEN void hpy_debug_report_handle(HPyDebugInfo *info, DebugHandle *h, const char *fmt, ...);
_HPy_HIDDEN void hpy_debug_report_builder(HPyDebugInfo *info, const char *fmt, ...);

/* Associates a protected copy of `size` bytes at ptr with the open handle
   dh: readable (not writable) until dh is closed, unreadable after. Returns
   the copy, ptr itself if no copy could be made, NULL for NULL. */
_HPy_HIDDEN const char *hpy_debug_attach_data(HPyDebugInfo *info, HPy dh, const char *ptr,
                                              HPy_ssize_t size);

/* --- builders and trackers (debug_builders.c) --- */
_HPy_HIDDEN DebugBuilder *hpy_debug_builder_open(HPyDebugInfo *info, DebugBuilderKind kind,
                                                 intptr_t u);
_HPy_HIDDEN void hpy_debug_builder_close(HPyDebugInfo *info, DebugBuilder *b);

/* --- raw memory (debug_memory.c) and stacks (debug_stack.c) --- */
_HPy_HIDDEN void *hpy_debug_raw_copy(const void *data, HPy_ssize_t size);
_HPy_HIDDEN void hpy_debug_raw_protect(void *data, HPy_ssize_t size);
_HPy_HIDDEN void hpy_debug_raw_free(void *data, HPy_ssize_t size);
/* The C stack of the caller (at most `limit` frames), malloc'ed, or NULL. */
_HPy_HIDDEN char *hpy_debug_capture_stack(HPy_ssize_t limit);

#include "debug/debug_fast.h"

#endif /* HPY_DEBUG_INTERNAL_H */
