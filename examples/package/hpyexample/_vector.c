/* Plain numeric code: needs the C math library (sqrt). */
#include <math.h>
#include "hpy.h"

HPyDef_METH(norm, "norm", HPyFunc_VARARGS)
static HPy norm_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    double x, y;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "dd", &x, &y))
        return HPy_NULL;
    return HPyFloat_FromDouble(ctx, sqrt(x * x + y * y));
}

static HPyDef *module_defines[] = { &norm, NULL };
static HPyModuleDef moduledef = { .doc = "Vector maths", .defines = module_defines };

HPy_MODINIT(_vector, moduledef)
