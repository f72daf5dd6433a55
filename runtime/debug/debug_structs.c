/* _HPy_AsStruct_<Shape> in debug mode: the object's type must have that
   builtin shape (HPy 0.9 aborts with "Invalid usage of _HPy_AsStruct_..."),
   else the C struct returned would be read at the wrong offset. The
   wrappers, one per shape, are generated (tools/autogen/gen_debug.py). */
#include "debug/debug_internal.h"
#include <stddef.h>
#include <stdio.h>

/* Per builtin shape (indexed by shape + 1: Legacy is -1), its name, the
   name of its function (written out here: formatting it on every call cost
   more than the rest of the check) and the universal context member that
   finds an instance's struct. */
typedef void *(*AsStruct)(HPyContext *ctx, HPy h);
#define SHAPE_ENTRY(NAME) [HPyType_BuiltinShape_##NAME + 1] = \
    { #NAME, "_HPy_AsStruct_" #NAME, offsetof(struct _HPyContext_s, ctx_AsStruct_##NAME) }
static const struct { const char *name, *function; size_t member; } SHAPES[] = {
    SHAPE_ENTRY(Legacy), SHAPE_ENTRY(Object), SHAPE_ENTRY(Type), SHAPE_ENTRY(Long),
    SHAPE_ENTRY(Float), SHAPE_ENTRY(Unicode), SHAPE_ENTRY(Tuple), SHAPE_ENTRY(List),
    SHAPE_ENTRY(Dict),
};
#undef SHAPE_ENTRY
#define N_SHAPES ((int)(sizeof(SHAPES) / sizeof(SHAPES[0])))

static const char *shape_name(HPyType_BuiltinShape shape)
{
    int i = (int)shape + 1;
    return i >= 0 && i < N_SHAPES ? SHAPES[i].name : "<unknown shape>";
}

static void *universal_as_struct(HPyContext *uctx, HPy uh, HPyType_BuiltinShape shape)
{
    AsStruct fn = *(AsStruct *)((char *)uctx + SHAPES[shape + 1].member);
    return fn(uctx, uh);
}

void *hpy_debug_as_struct(HPyContext *dctx, HPy h, HPyType_BuiltinShape expected)
{
    const char *fn = SHAPES[expected + 1].function;
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPyContext *uctx = info->uctx;
    HPy uh = hpy_debug_unwrap(info, h, fn);
    if (HPy_IsNull(uh))
        return universal_as_struct(uctx, uh, expected);     /* as in universal mode */
    int had_error = PyErr_Occurred() != NULL;
    HPy type = uctx->ctx_Type(uctx, uh);
    HPyType_BuiltinShape actual = uctx->ctx_Type_GetBuiltinShape(uctx, type);
    uctx->ctx_Close(uctx, type);
    if (!had_error && PyErr_Occurred()) {
        /* the shape cannot be asked for: no check (the error is ours, not the caller's) */
        PyErr_Clear();
    } else if (actual != expected) {
        char msg[200];
        PyOS_snprintf(msg, sizeof msg, "Invalid usage of %s. Expected shape "
                      "HPyType_BuiltinShape_%s but got HPyType_BuiltinShape_%s",
                      fn, shape_name(expected), shape_name(actual));
        fprintf(stderr, "\nHPy debug mode: %s\n", msg);
        Py_FatalError(msg);
    }
    return universal_as_struct(uctx, uh, expected);
}
