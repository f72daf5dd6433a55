/* printf-style string building: part of the API, not of the ABI; the code is
   linked statically into each extension (runtime/helpers/format.c). */
#ifndef HPY_RUNTIME_FORMAT_H
#define HPY_RUNTIME_FORMAT_H

#include <stdarg.h>
#include "hpy.h"

#ifdef __cplusplus
extern "C" {
#endif

HPyAPI_HELPER HPy
HPyUnicode_FromFormat(HPyContext *ctx, const char *fmt, ...);

HPyAPI_HELPER HPy
HPyUnicode_FromFormatV(HPyContext *ctx, const char *fmt, va_list vargs);

/* Sets the exception and always returns HPy_NULL, so it can end a return. */
HPyAPI_HELPER HPy
HPyErr_Format(HPyContext *ctx, HPy h_type, const char *fmt, ...);

#ifdef __cplusplus
}
#endif
#endif /* HPY_RUNTIME_FORMAT_H */
