/* _HPy_AsStruct_<Shape> in debug mode: the object's type must have that
   builtin shape (HPy 0.9 aborts with "Invalid usage of _HPy_AsStruct_..."),
   else the C struct returned would be read at the wrong offset. */
#include "debug/debug_internal.h"
#include <stdio.h>

static const char *shape_name(HPyType_BuiltinShape shape)
{
    switch (shape) {
    case HPyType_BuiltinShape_Legacy: return "HPyType_BuiltinShape_Legacy";
    case HPyType_BuiltinShape_Object: return "HPyType_BuiltinShape_Object";
    case HPyType_BuiltinShape_Type: return "HPyType_BuiltinShape_Type";
    case HPyType_BuiltinShape_Long: return "HPyType_BuiltinShape_Long";
    case HPyType_BuiltinShape_Float: return "HPyType_BuiltinShape_Float";
    case HPyType_BuiltinShape_Unicode: return "HPyType_BuiltinShape_Unicode";
    case HPyType_BuiltinShape_Tuple: return "HPyType_BuiltinShape_Tuple";
    case HPyType_BuiltinShape_List: return "HPyType_BuiltinShape_List";
    case HPyType_BuiltinShape_Dict: return "HPyType_BuiltinShape_Dict";
    }
    return "<unknown shape>";
}

/* The universal member of each shape. */
static void *universal_as_struct(HPyContext *uctx, HPy uh, HPyType_BuiltinShape shape)
{
    switch (shape) {
    case HPyType_BuiltinShape_Legacy: return uctx->ctx_AsStruct_Legacy(uctx, uh);
    case HPyType_BuiltinShape_Object: return uctx->ctx_AsStruct_Object(uctx, uh);
    case HPyType_BuiltinShape_Type: return uctx->ctx_AsStruct_Type(uctx, uh);
    case HPyType_BuiltinShape_Long: return uctx->ctx_AsStruct_Long(uctx, uh);
    case HPyType_BuiltinShape_Float: return uctx->ctx_AsStruct_Float(uctx, uh);
    case HPyType_BuiltinShape_Unicode: return uctx->ctx_AsStruct_Unicode(uctx, uh);
    case HPyType_BuiltinShape_Tuple: return uctx->ctx_AsStruct_Tuple(uctx, uh);
    case HPyType_BuiltinShape_List: return uctx->ctx_AsStruct_List(uctx, uh);
    case HPyType_BuiltinShape_Dict: return uctx->ctx_AsStruct_Dict(uctx, uh);
    }
    return NULL;
}

static void *as_struct(HPyContext *dctx, HPy h, HPyType_BuiltinShape expected, const char *name)
{
    char fn[40];
    PyOS_snprintf(fn, sizeof fn, "_HPy_AsStruct_%s", name);
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
        PyOS_snprintf(msg, sizeof msg, "Invalid usage of %s. Expected shape %s but got %s",
                      fn, shape_name(expected), shape_name(actual));
        fprintf(stderr, "\nHPy debug mode: %s\n", msg);
        Py_FatalError(msg);
    }
    return universal_as_struct(uctx, uh, expected);
}

void *debug_ctx_AsStruct_Object(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Object, "Object");
}

void *debug_ctx_AsStruct_Legacy(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Legacy, "Legacy");
}

void *debug_ctx_AsStruct_Type(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Type, "Type");
}

void *debug_ctx_AsStruct_Long(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Long, "Long");
}

void *debug_ctx_AsStruct_Float(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Float, "Float");
}

void *debug_ctx_AsStruct_Unicode(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Unicode, "Unicode");
}

void *debug_ctx_AsStruct_Tuple(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Tuple, "Tuple");
}

void *debug_ctx_AsStruct_List(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_List, "List");
}

void *debug_ctx_AsStruct_Dict(HPyContext *dctx, HPy h)
{
    return as_struct(dctx, h, HPyType_BuiltinShape_Dict, "Dict");
}
