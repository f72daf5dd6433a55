#include "hpy.h"

HPyDef_METH(add, "add", HPyFunc_VARARGS)
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    long a, b;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "ll", &a, &b))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, a + b);
}

static HPyDef *module_defines[] = { &add, NULL };
static HPyModuleDef moduledef = { .doc = "HPy through a Meson subproject", .defines = module_defines };

HPy_MODINIT(stockhello, moduledef)
