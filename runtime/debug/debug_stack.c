/* The C stack where a debug handle was opened, as text (glibc and macOS). */
#include "debug/debug_internal.h"
#include <string.h>

#if defined(__GLIBC__) || defined(__APPLE__)
#include <execinfo.h>

char *hpy_debug_capture_stack(HPy_ssize_t limit)
{
    enum { SKIP = 2 };      /* this function and the one opening the handle */
    if (limit <= 0)
        return NULL;
    void **frames = calloc((size_t)limit + SKIP, sizeof(void *));
    if (frames == NULL)
        return NULL;
    int n = backtrace(frames, (int)limit + SKIP);
    char **symbols = n > SKIP ? backtrace_symbols(frames, n) : NULL;
    char *text = NULL;
    if (symbols != NULL) {
        size_t size = 1;
        for (int i = SKIP; i < n; i++)
            size += strlen(symbols[i]) + 3;
        text = malloc(size);
        if (text != NULL) {
            char *p = text;
            for (int i = SKIP; i < n; i++) {
                size_t len = strlen(symbols[i]);
                memcpy(p, "  ", 2);
                memcpy(p + 2, symbols[i], len);
                p[len + 2] = '\n';
                p += len + 3;
            }
            p[p > text ? -1 : 0] = '\0';
        }
        free(symbols);
    }
    free(frames);
    return text;
}

#else

char *hpy_debug_capture_stack(HPy_ssize_t limit)
{
    static const char msg[] = "  (C stack traces are supported only with glibc and on macOS)";
    if (limit <= 0)
        return NULL;
    char *text = malloc(sizeof msg);
    if (text != NULL)
        memcpy(text, msg, sizeof msg);
    return text;
}

#endif
