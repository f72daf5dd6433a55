/* The fast paths of the debug mode, inline: what every call into the
   extension and every handle goes through (opening, closing, unwrapping,
   the arguments and result of a call, the context of a call). Their slow
   paths (reports, raw data, stacks, a table that grows) stay out of line in
   debug_handles.c, debug_results.c, debug_table.c. Included by
   debug_internal.h only. */
#ifndef HPY_DEBUG_FAST_H
#define HPY_DEBUG_FAST_H

/* --- lists of handles: rings through DebugHandleList.ends --- */

static inline DebugHandle *hpy_debug_handle_of_link(DebugLink *l)
{
    return (DebugHandle *)(void *)((char *)l - offsetof(DebugHandle, link));
}

static inline void hpy_debug_list_init(DebugHandleList *l)
{
    l->ends.prev = l->ends.next = &l->ends;
    l->size = 0;
}

/* The first (oldest) handle of l, or NULL if l is empty. */
static inline DebugHandle *hpy_debug_list_first(DebugHandleList *l)
{
    return l->ends.next != &l->ends ? hpy_debug_handle_of_link(l->ends.next) : NULL;
}

/* The handle after h in l, or NULL. */
static inline DebugHandle *hpy_debug_list_next(DebugHandleList *l, DebugHandle *h)
{
    return h->link.next != &l->ends ? hpy_debug_handle_of_link(h->link.next) : NULL;
}

static inline void hpy_debug_list_append(DebugHandleList *l, DebugHandle *h)
{
    DebugLink *last = l->ends.prev;
    h->link.prev = last;
    h->link.next = &l->ends;
    last->next = &h->link;
    l->ends.prev = &h->link;
    l->size++;
}

static inline void hpy_debug_list_remove(DebugHandleList *l, DebugHandle *h)
{
    h->link.prev->next = h->link.next;
    h->link.next->prev = h->link.prev;
    l->size--;
}

/* --- handles --- */

/* The record of the debug handle dh (open or in the closed queue), or
   NULL for anything else: HPy_NULL, a handle dropped from the closed queue,
   a universal handle, garbage. */
static inline DebugHandle *hpy_debug_handle_of(HPyDebugInfo *info, HPy dh)
{
    return (DebugHandle *)hpy_debug_table_find_sized(&info->handles, sizeof(DebugHandle), dh._i);
}

static inline HPy hpy_debug_as_dhpy(HPyDebugInfo *info, DebugHandle *h)
{
    return _hconv(hpy_debug_table_value(&info->handles, &h->slot));
}

/* The fields of a new open handle h, but the head; h joins `open`. */
static inline void hpy_debug_fill_record(HPyDebugInfo *info, DebugHandle *h, HPy uh,
                                         const char *origin, bool immortal, bool arg,
                                         char *stack)
{
    h->uh = uh;
    h->generation = info->generation;
    h->origin = origin;
    h->is_closed = false;
    h->is_immortal = immortal;
    h->is_arg = arg;
    h->stack = stack;
    h->data = NULL;
    h->data_size = 0;
    hpy_debug_list_append(&info->open, h);
}

/* A new open handle for uh (not NULL). Its record: when the closed queue
   is full, that of its oldest handle, which leaves it (what freeing that
   record and taking one from the table would give, in one step); else one
   from the table. The fast path calls nothing: anything to free or capture,
   or a table to grow, goes to hpy_debug_open_record_slow, which does the
   same in full. */
static inline DebugHandle *hpy_debug_open_record(HPyDebugInfo *info, HPy uh, const char *origin,
                                                 bool immortal, bool arg)
{
    DebugHandle *h;
    HPy_ssize_t n = info->closed.size;
    if (info->stack_limit > 0)
        return hpy_debug_open_record_slow(info, uh, origin, immortal, arg);
    if (n > 0 && n >= info->closed_max) {
        h = hpy_debug_handle_of_link(info->closed.ends.next);
        if (h->stack != NULL || h->data != NULL)
            return hpy_debug_open_record_slow(info, uh, origin, immortal, arg);
        hpy_debug_list_remove(&info->closed, h);
        hpy_debug_table_reuse(&info->handles, &h->slot);
    } else {
        if (info->handles.free_head == 0)
            return hpy_debug_open_record_slow(info, uh, origin, immortal, arg);
        h = (DebugHandle *)hpy_debug_table_take_sized(&info->handles, sizeof(DebugHandle));
    }
    hpy_debug_fill_record(info, h, uh, origin, immortal, arg, NULL);
    return h;
}

static inline HPy hpy_debug_unwrap(HPyDebugInfo *info, HPy dh, const char *fn)
{
    DebugHandle *h = hpy_debug_handle_of(info, dh);
    if (h != NULL && !h->is_closed)
        return h->uh;
    if (HPy_IsNull(dh))
        return HPy_NULL;
    return hpy_debug_bad_unwrap(info, dh, fn);
}

/* Marks h closed (without closing its universal handle): it moves to the
   closed queue, whose oldest handle leaves it if the queue is over its
   size (one out per close, as in HPy 0.9). The fast path calls nothing:
   raw data to protect, or an oldest handle with something to free, go to
   hpy_debug_close_handle_rest. */
static inline void hpy_debug_close_handle(HPyDebugInfo *info, DebugHandle *h)
{
    hpy_debug_list_remove(&info->open, h);
    h->is_closed = true;
    hpy_debug_list_append(&info->closed, h);
    if (h->data == NULL && info->closed.size <= info->closed_max)
        return;
    DebugHandle *oldest = hpy_debug_handle_of_link(info->closed.ends.next);
    if (h->data != NULL || oldest->stack != NULL || oldest->data != NULL) {
        hpy_debug_close_handle_rest(info, h);
        return;
    }
    /* the oldest leaves the queue: its record goes back to the table */
    hpy_debug_list_remove(&info->closed, oldest);
    oldest->uh = HPy_NULL;
    hpy_debug_table_free(&info->handles, &oldest->slot);
}

/* --- the arguments of a call into the extension (debug_handles.c) --- */

/* The debug handle of an argument: borrowed, closed by hpy_debug_close_arg
   when the call returns (the extension cannot close it: HPy_Close of an
   argument is reported and ignored). NULL for NULL. */
_HPy_HIDDEN DebugHandle *hpy_debug_open_arg(HPyDebugInfo *info, PyObject *obj);
_HPy_HIDDEN void hpy_debug_close_arg(HPyDebugInfo *info, DebugHandle *h);

/* What the extension gets for the argument h. */
static inline HPy hpy_debug_arg(HPyDebugInfo *info, DebugHandle *h)
{
    return h != NULL ? hpy_debug_as_dhpy(info, h) : HPy_NULL;
}

/* --- the context of a call --- */

/* This thread's context in use: a compiler thread-local where there is one
   (PyThread_tss_get and _set cost more than the rest of a call's
   bookkeeping), else the info's TSS key (debug_ctx.c). There is one
   HPyDebugInfo per process. On glibc, the initial-exec model makes it one
   instruction instead of a call to __tls_get_addr: this library then takes
   8 bytes of the static TLS space glibc keeps for libraries loaded by
   dlopen. */
#if defined(__GNUC__) || defined(__clang__)
#  if defined(__GLIBC__) && defined(__ELF__)
#    define HPY_DEBUG_THREAD_LOCAL __thread __attribute__((tls_model("initial-exec")))
#  else
#    define HPY_DEBUG_THREAD_LOCAL __thread
#  endif
#elif defined(_MSC_VER)
#  define HPY_DEBUG_THREAD_LOCAL __declspec(thread)
#endif

#ifdef HPY_DEBUG_THREAD_LOCAL
_HPy_HIDDEN extern HPY_DEBUG_THREAD_LOCAL HPyContext *hpy_debug_current_ctx;

/* Makes ctx the current context, returns the one it replaces. */
static inline HPyContext *hpy_debug_swap_current(HPyDebugInfo *info, HPyContext *ctx)
{
    (void)info;
    HPyContext *previous = hpy_debug_current_ctx;
    hpy_debug_current_ctx = ctx;
    return previous;
}
#else
_HPy_HIDDEN HPyContext *hpy_debug_swap_current(HPyDebugInfo *info, HPyContext *ctx);
#endif

/* Around each call into the extension: a fresh context copy, valid for the
   call only; the caller's own copy is invalid meanwhile. */
static inline HPyContext *hpy_debug_call_begin(HPyDebugInfo *info, HPyContext **saved)
{
    HPyContext *ctx = info->ring[info->ring_next];
    info->ring_next = (info->ring_next + 1) % HPY_DEBUG_CTX_RING;
    HPyContext *previous = hpy_debug_swap_current(info, ctx);
    if (previous != NULL)
        hpy_debug_ctx_info(previous)->is_valid = false;
    hpy_debug_ctx_info(ctx)->is_valid = true;
    *saved = previous;
    return ctx;
}

static inline void hpy_debug_call_end(HPyDebugInfo *info, HPyContext *ctx, HPyContext *saved)
{
    hpy_debug_ctx_info(ctx)->is_valid = false;
    hpy_debug_swap_current(info, saved);
    if (saved != NULL)
        hpy_debug_ctx_info(saved)->is_valid = true;
}

/* --- results of calls into the extension --- */

/* The handle a call into the extension returned, turned into a universal
   handle (a new reference) for CPython; the debug handle is closed. HPy_NULL
   without an exception, or a result with one, becomes a SystemError naming
   the HPyFunc signature `sig` (debug_results.c). */
_HPy_HIDDEN HPy hpy_debug_result(HPyDebugInfo *info, HPy dh, const char *sig);

/* The same, where HPy_NULL without an exception means the end (tp_iternext). */
static inline HPy hpy_debug_result_or_end(HPyDebugInfo *info, HPy dh, const char *sig)
{
    if (HPy_IsNull(dh) && !PyErr_Occurred())
        return HPy_NULL;
    return hpy_debug_result(info, dh, sig);
}

/* An int-like status: a negative value without an exception, or another
   value with one, becomes -1 with a SystemError naming `sig`; else the
   status is returned as is. A hash (is_hash) may be any value: only one
   other than -1 with an exception set is reported. A -1 hash without an
   exception is let through, as HPy 0.9 does (__hash__() returns it, hash()
   itself reports it). */
static inline HPy_ssize_t hpy_debug_status(HPy_ssize_t result, bool is_hash, const char *sig)
{
    bool raised = PyErr_Occurred() != NULL;
    bool error = is_hash ? (result == -1 && raised) : result < 0;
    if (error == raised)
        return result;
    return hpy_debug_bad_status(result, error, sig);
}

#endif /* HPY_DEBUG_FAST_H */
