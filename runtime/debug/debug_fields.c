/* HPyField and HPyGlobal in debug mode, checked beyond HPy 0.9 (which only
   checks the handles given):

   - an HPyField lives in the struct of an instance of an HPy type (its
     owner, which tp_traverse visits it from): HPyField_Store and
     HPyField_Load given another object, or a field that is not inside the
     object's struct, abort with a report (the write would corrupt memory);
   - an HPyGlobal holds the value of a DebugGlobal record (debug_table.h)
     that remembers the universal HPyGlobal and the address it was stored
     into, so that HPyGlobal_Load of a global never stored, of garbage, and
     HPyGlobal_Store into a copy of another global (whose object the two
     would then both release) are reported through the on_invalid_handle
     hook, or abort. */
#include "debug/debug_internal.h"
#include "ctx/type_info.h"
#include <stdio.h>

static _HPy_NO_RETURN void fatal(const char *msg)
{
    fprintf(stderr, "\nHPy debug mode: %s\n", msg);
    fflush(stderr);
    Py_FatalError(msg);
}

/* The object must be an instance of an HPy type and `field` (if not NULL)
   must be inside its struct. */
static void check_owner(const char *fn, const char *arg, HPy u_obj, const HPyField *field)
{
    char msg[400];
    PyObject *obj = _h2py(u_obj);
    if (obj == NULL) {
        PyOS_snprintf(msg, sizeof msg, "%s: %s is HPy_NULL", fn, arg);
        fatal(msg);
    }
    PyTypeObject *tp = Py_TYPE(obj);
    _HPyTypeInfo *ti = _HPyTypeInfo_Nearest(tp);
    if (ti == NULL) {
        PyOS_snprintf(msg, sizeof msg, "%s: %s is an object of type '%.100s', which is not an "
                      "HPy type: an HPyField lives in the struct of an instance of a type made "
                      "by HPyType_FromSpec", fn, arg, tp->tp_name);
        fatal(msg);
    }
    if (field == NULL)
        return;
    Py_ssize_t head = ti->alloc.head_size > (HPy_ssize_t)sizeof(PyObject)
                      ? ti->alloc.head_size : (Py_ssize_t)sizeof(PyObject);
    const char *start = (const char *)obj + head, *end = (const char *)obj + tp->tp_basicsize;
    const char *f = (const char *)field;
    if (f < start || f + sizeof(HPyField) > end) {
        PyOS_snprintf(msg, sizeof msg, "%s: target_field (%p) is not inside the struct of "
                      "%s (an object of type '%.100s' at %p, whose struct takes bytes %zd to "
                      "%zd): an HPyField must be stored in the object that owns it",
                      fn, (const void *)field, arg, tp->tp_name, (void *)obj, head,
                      (Py_ssize_t)tp->tp_basicsize);
        fatal(msg);
    }
}

void debug_ctx_Field_Store(HPyContext *dctx, HPy target_object, HPyField *target_field, HPy h)
{
    static const char fn[] = "HPyField_Store";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_target = hpy_debug_unwrap(info, target_object, fn);
    HPy u_h = hpy_debug_unwrap(info, h, fn);
    if (target_field == NULL)
        fatal("HPyField_Store: target_field is NULL");
    check_owner(fn, "target_object", u_target, target_field);
    info->uctx->ctx_Field_Store(info->uctx, u_target, target_field, u_h);
}

HPy debug_ctx_Field_Load(HPyContext *dctx, HPy source_object, HPyField source_field)
{
    static const char fn[] = "HPyField_Load";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_source = hpy_debug_unwrap(info, source_object, fn);
    check_owner(fn, "source_object", u_source, NULL);
    return hpy_debug_open(info, info->uctx->ctx_Field_Load(info->uctx, u_source, source_field), fn);
}

/* --- HPyGlobal --- */

static DebugGlobal *global_of(HPyDebugInfo *info, HPyGlobal g)
{
    return (DebugGlobal *)hpy_debug_table_find(&info->globals, g._i);
}

void debug_ctx_Global_Store(HPyContext *dctx, HPyGlobal *global, HPy h)
{
    static const char fn[] = "HPyGlobal_Store";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    HPy u_h = hpy_debug_unwrap(info, h, fn);
    if (global == NULL)
        fatal("HPyGlobal_Store: global is NULL");
    DebugGlobal *g = NULL;
    if (global->_i != 0) {
        g = global_of(info, *global);
        if (g == NULL) {
            hpy_debug_report_handle(info, NULL, "Invalid HPyGlobal: HPyGlobal_Store into the "
                                    "HPyGlobal at %p, which holds %p: not a value HPyGlobal_Store "
                                    "put there (an HPyGlobal must start zeroed, as a static "
                                    "variable does)", (void *)global, (void *)global->_i);
        } else if (g->owner != global) {
            hpy_debug_report_handle(info, NULL, "Invalid HPyGlobal: HPyGlobal_Store into the "
                                    "HPyGlobal at %p, a copy of the one at %p: store into the "
                                    "original (a copy shares its object, and the two would both "
                                    "release it)", (void *)global, (void *)g->owner);
            g = NULL;       /* the hook let us go on: the copy gets a global of its own */
        }
    }
    if (g == NULL) {
        g = (DebugGlobal *)hpy_debug_table_alloc(&info->globals);
        g->owner = global;
    }
    info->uctx->ctx_Global_Store(info->uctx, &g->ug, u_h);
    *global = (HPyGlobal){ hpy_debug_table_value(&info->globals, &g->slot) };
}

HPy debug_ctx_Global_Load(HPyContext *dctx, HPyGlobal global)
{
    static const char fn[] = "HPyGlobal_Load";
    HPyDebugInfo *info = hpy_debug_enter(dctx, fn);
    DebugGlobal *g = global_of(info, global);
    if (g == NULL) {
        if (global._i == 0)
            hpy_debug_report_handle(info, NULL, "Invalid HPyGlobal: HPyGlobal_Load of an "
                                    "HPyGlobal that was never stored (HPyGlobal_Store it first, "
                                    "e.g. in the module's HPy_mod_exec slot)");
        else
            hpy_debug_report_handle(info, NULL, "Invalid HPyGlobal: HPyGlobal_Load was given %p, "
                                    "which is not a value HPyGlobal_Store put in an HPyGlobal",
                                    (void *)global._i);
        return HPy_NULL;    /* the hook let us go on: as an empty global in universal mode */
    }
    return hpy_debug_open(info, info->uctx->ctx_Global_Load(info->uctx, g->ug), fn);
}
