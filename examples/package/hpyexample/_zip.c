/* A module with a dependency found by Meson: zlib. */
#include <zlib.h>
#include "hpy.h"

HPyDef_METH(checksum, "crc32", HPyFunc_O)
static HPy checksum_impl(HPyContext *ctx, HPy self, HPy arg)
{
    if (!HPyBytes_Check(ctx, arg)) {
        HPyErr_SetString(ctx, ctx->h_TypeError, "crc32() argument must be bytes");
        return HPy_NULL;
    }
    const char *data = HPyBytes_AsString(ctx, arg);
    HPy_ssize_t size = HPyBytes_Size(ctx, arg);
    uLong crc = crc32_z(0L, (const Bytef *)data, (z_size_t)size);
    return HPyLong_FromUnsignedLong(ctx, (unsigned long)crc);
}

static HPyDef *module_defines[] = { &checksum, NULL };
static HPyModuleDef moduledef = { .doc = "zlib's crc32", .defines = module_defines };

HPy_MODINIT(_zip, moduledef)
