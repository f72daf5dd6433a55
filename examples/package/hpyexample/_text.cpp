// A C++ extension: the standard library, exceptions, HPy's C++-clean headers.
#include <sstream>
#include <stdexcept>
#include <string>
#include "hpy.h"

static size_t count(const std::string &text)
{
    std::istringstream in(text);
    std::string word;
    size_t n = 0;
    while (in >> word)
        n++;
    return n;
}

HPyDef_METH(count_words, "count_words", HPyFunc_O)
static HPy count_words_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_ssize_t size;
    const char *utf8 = HPyUnicode_AsUTF8AndSize(ctx, arg, &size);
    if (utf8 == NULL)
        return HPy_NULL;
    try {
        return HPyLong_FromSize_t(ctx, count(std::string(utf8, (size_t)size)));
    } catch (const std::exception &e) {
        HPyErr_SetString(ctx, ctx->h_MemoryError, e.what());
        return HPy_NULL;
    }
}

static HPyDef *module_defines[] = { &count_words, NULL };
static HPyModuleDef moduledef = { .doc = "Text, in C++", .defines = module_defines };

HPy_MODINIT(_text, moduledef)
