/* A module built without Meson: see other-builds.rst. */
#include "hpy.h"

HPyDef_METH(twice, "twice", HPyFunc_O)
static HPy twice_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPy_Add(ctx, arg, arg);
}

static HPyDef *defines[] = { &twice, NULL };
static HPyModuleDef moduledef = { .doc = "built with hpy-config", .defines = defines };

HPy_MODINIT(m, moduledef)
