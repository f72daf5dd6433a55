/* Protected copies of the raw data a handle hands out (the const char * of
   HPyUnicode_AsUTF8AndSize, HPyBytes_AsString, ...): read-only while the
   handle is open, unreadable once it is closed, so that a write or a late
   read crashes at the faulty instruction. Where there is no mmap, the copy
   is overwritten with garbage on close instead. */
#include "debug/debug_internal.h"
#include <string.h>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#include <unistd.h>

void *hpy_debug_raw_copy(const void *data, HPy_ssize_t size)
{
    void *copy = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (copy == MAP_FAILED)
        return NULL;
    memcpy(copy, data, (size_t)size);
    mprotect(copy, (size_t)size, PROT_READ);
    return copy;
}

void hpy_debug_raw_protect(void *data, HPy_ssize_t size)
{
    mprotect(data, (size_t)size, PROT_NONE);
}

void hpy_debug_raw_free(void *data, HPy_ssize_t size)
{
    munmap(data, (size_t)size);
}

#else

void *hpy_debug_raw_copy(const void *data, HPy_ssize_t size)
{
    void *copy = malloc((size_t)size);
    if (copy != NULL)
        memcpy(copy, data, (size_t)size);
    return copy;
}

void hpy_debug_raw_protect(void *data, HPy_ssize_t size)
{
    static const unsigned char poison[] = {0xBA, 0xD0, 0xDA, 0x7A};
    for (HPy_ssize_t i = 0; i < size; i++)
        ((unsigned char *)data)[i] = poison[i % sizeof poison];
}

void hpy_debug_raw_free(void *data, HPy_ssize_t size)
{
    (void)size;
    free(data);
}

#endif
