/* HPyType_FromSpec: an HPyType_Spec -> a PyType_Spec (slots, methods,
   members, get-sets, legacy slots), then a heap type from it. The instance
   layout: the object struct of the builtin shape, then the extension's
   struct (hpy/cpython/shapes.h), then the call function pointer of a type
   with HPy_tp_call. */
#include "ctx/type_info.h"
#include "ctx/type_object.h"
#include "ctx/type_create.h"
#include "ctx/traverse.h"
#include "ctx/defs.h"
#include "hpy/cpython/shapes.h"
#include <structmember.h>
#include <string.h>

#define VECTORCALL_OFFSET_NAME "__vectorcalloffset__"

static const char *slot_name(int slot)
{
    switch (slot) {
#include "autogen/slot_names.inc"
    default: return NULL;
    }
}

static int is_slot(HPyDef *d, HPySlot_Slot slot)
{
    return d->kind == HPyDef_Kind_Slot && d->slot.slot == slot;
}

static HPySlot *find_slot(HPyType_Spec *spec, HPySlot_Slot slot)
{
    for (HPyDef **d = spec->defines; d != NULL && *d != NULL; d++)
        if (is_slot(*d, slot))
            return &(*d)->slot;
    return NULL;
}

static int has_slot(HPyType_Spec *spec, HPySlot_Slot slot)
{
    return find_slot(spec, slot) != NULL;
}

/* The legacy slots, except the three tables that are merged with HPy's. */
typedef struct {
    PyType_Slot *slots;
    Py_ssize_t n_other;
    PyMethodDef *methods;
    PyMemberDef *members;
    PyGetSetDef *getsets;
    int has_dealloc;
} LegacySlots;

static void read_legacy_slots(HPyType_Spec *spec, LegacySlots *legacy)
{
    memset(legacy, 0, sizeof(*legacy));
    legacy->slots = (PyType_Slot *)spec->legacy_slots;
    for (PyType_Slot *s = legacy->slots; s != NULL && s->slot != 0; s++) {
        switch (s->slot) {
        case Py_tp_methods: legacy->methods = s->pfunc; break;
        case Py_tp_members: legacy->members = s->pfunc; break;
        case Py_tp_getset: legacy->getsets = s->pfunc; break;
        case Py_tp_dealloc: legacy->has_dealloc = 1; legacy->n_other++; break;
        default: legacy->n_other++; break;
        }
    }
}

/* ---- the checks HPy 0.9 makes, with its exception types and wording ---- */

static int check_params(HPyType_SpecParam *params, const char *name)
{
    int n_base = 0, n_tuple = 0, n_meta = 0;
    for (HPyType_SpecParam *p = params; p != NULL && p->kind != 0; p++) {
        switch (p->kind) {
        case HPyType_SpecParam_Base: n_base++; break;
        case HPyType_SpecParam_BasesTuple: n_tuple++; break;
        case HPyType_SpecParam_Metaclass: n_meta++; break;
        default:
            PyErr_Format(PyExc_TypeError, "unknown HPyType_SpecParam specification for '%s'", name);
            return -1;
        }
        if (p->kind != HPyType_SpecParam_Metaclass && _h2py(p->object) == NULL) {
            PyErr_Format(PyExc_TypeError, "HPyType_SpecParam of '%s' has a null handle", name);
            return -1;
        }
    }
    if (n_tuple > 1) {
        PyErr_SetString(PyExc_TypeError, "multiple specifications of HPyType_SpecParam_BasesTuple");
        return -1;
    }
    if (n_base && n_tuple) {
        PyErr_SetString(PyExc_TypeError,
                        "cannot specify both HPyType_SpecParam_Base and HPyType_SpecParam_BasesTuple");
        return -1;
    }
    if (n_meta > 1) {
        PyErr_SetString(PyExc_ValueError, "metaclass was specified multiple times");
        return -1;
    }
    return 0;
}

static int check_spec(HPyType_Spec *spec, LegacySlots *legacy)
{
    if (spec->legacy_slots != NULL && spec->builtin_shape != HPyType_BuiltinShape_Legacy) {
        PyErr_SetString(PyExc_TypeError, "cannot specify .legacy_slots without setting "
                        ".builtin_shape=HPyType_BuiltinShape_Legacy");
        return -1;
    }
    if (legacy->has_dealloc && (has_slot(spec, HPy_tp_traverse) || has_slot(spec, HPy_tp_destroy))) {
        PyErr_SetString(PyExc_TypeError, "legacy tp_dealloc is incompatible with HPy_tp_traverse"
                        " or HPy_tp_destroy.");
        return -1;
    }
    if ((spec->flags & HPy_TPFLAGS_HAVE_GC) && !has_slot(spec, HPy_tp_traverse)) {
        PyErr_SetString(PyExc_ValueError, "You must provide an HPy_tp_traverse slot if you "
                        "specify HPy_TPFLAGS_HAVE_GC");
        return -1;
    }
    if (_HPy_ShapeHeadSize(spec->builtin_shape) < 0) {
        PyErr_Format(PyExc_ValueError, "invalid shape: %d", (int)spec->builtin_shape);
        return -1;
    }
    if (spec->basicsize < 0 || spec->itemsize < 0) {
        PyErr_Format(PyExc_ValueError, "HPyType_Spec of '%s' has a negative basicsize or itemsize",
                     spec->name);
        return -1;
    }
    if (spec->basicsize == 0 && (_HPyDef_Count(spec->defines, HPyDef_Kind_Member) > 0 ||
                                 (legacy->members != NULL && legacy->members->name != NULL))) {
        PyErr_SetString(PyExc_TypeError, "Type claims to have basicsize==0 but defines members");
        return -1;
    }
    for (HPyDef **d = spec->defines; d != NULL && *d != NULL; d++) {
        HPyDef *def = *d;
        if (def->kind < HPyDef_Kind_Slot || def->kind > HPyDef_Kind_GetSet) {
            PyErr_Format(PyExc_SystemError, "type '%s' has an HPyDef of unknown kind %d",
                         spec->name, (int)def->kind);
            return -1;
        }
        if (def->kind != HPyDef_Kind_Slot)
            continue;
        if (slot_name(def->slot.slot) == NULL) {
            PyErr_Format(PyExc_SystemError, "type '%s' has an HPyDef_SLOT with invalid slot "
                         "number %d", spec->name, (int)def->slot.slot);
            return -1;
        }
        if (def->slot.slot == HPy_mod_create || def->slot.slot == HPy_mod_exec) {
            PyErr_Format(PyExc_SystemError, "slot %s cannot be used in a type ('%s'), only in "
                         "an HPyModuleDef", slot_name(def->slot.slot), spec->name);
            return -1;
        }
    }
    return 0;
}

/* ---- bases and metaclass ---- */

static PyObject *bases_from_params(HPyType_SpecParam *params)
{
    Py_ssize_t n = 0;
    for (HPyType_SpecParam *p = params; p != NULL && p->kind != 0; p++) {
        if (p->kind == HPyType_SpecParam_BasesTuple)
            return Py_NewRef(_h2py(p->object));
        n += p->kind == HPyType_SpecParam_Base;
    }
    if (n == 0)
        return NULL;
    PyObject *bases = PyTuple_New(n);
    if (bases == NULL)
        return NULL;
    Py_ssize_t i = 0;
    for (HPyType_SpecParam *p = params; p->kind != 0; p++)
        if (p->kind == HPyType_SpecParam_Base)
            PyTuple_SET_ITEM(bases, i++, Py_NewRef(_h2py(p->object)));
    return bases;
}

/* NULL without an exception when there is none. */
static PyTypeObject *metaclass_from_params(HPyType_SpecParam *params)
{
    for (HPyType_SpecParam *p = params; p != NULL && p->kind != 0; p++) {
        if (p->kind != HPyType_SpecParam_Metaclass)
            continue;
        PyObject *meta = _h2py(p->object);
        if (meta == NULL || !PyType_Check(meta) ||
            !PyType_IsSubtype((PyTypeObject *)meta, &PyType_Type)) {
            PyErr_Format(PyExc_TypeError, "Metaclass '%R' is not a subclass of 'type'.",
                         meta != NULL ? meta : Py_None);
            return NULL;
        }
        return (PyTypeObject *)meta;
    }
    return NULL;
}

/* The size of the instances of the first base (what basicsize 0 inherits). */
static Py_ssize_t inherited_basicsize(PyObject *bases, Py_ssize_t head_size)
{
    if (bases != NULL && PyTuple_Check(bases) && PyTuple_GET_SIZE(bases) > 0 &&
        PyType_Check(PyTuple_GET_ITEM(bases, 0)))
        return ((PyTypeObject *)PyTuple_GET_ITEM(bases, 0))->tp_basicsize;
    return head_size;
}

static Py_ssize_t align_up(Py_ssize_t size)
{
    Py_ssize_t a = (Py_ssize_t)sizeof(_HPy_MaxAlign_t);
    return (size + a - 1) / a * a;
}

/* ---- the tables CPython keeps: members and get-sets ---- */

/* PyPy's members have no T_NONE: there an HPyMember_NONE is a read-only
   get-set that gives None. */
#if defined(PYPY_VERSION)
#  define MEMBER_NONE_AS_GETSET 1
static PyObject *get_none(PyObject *self, void *closure)
{
    (void)self;
    (void)closure;
    Py_RETURN_NONE;
}
#else
#  define MEMBER_NONE_AS_GETSET 0
#endif

/* HPyMember_FieldType values are CPython's T_* codes; HPyMember_OBJECT
   fields are HPyFields, which hold the PyObject * in this runtime. */
static PyMemberDef *create_members(HPyType_Spec *spec, PyMemberDef *legacy, Py_ssize_t head_size,
                                   Py_ssize_t vectorcall_offset, Py_ssize_t *explicit_offset)
{
    Py_ssize_t n = _HPyDef_Count(spec->defines, HPyDef_Kind_Member) + 1;
    for (PyMemberDef *m = legacy; m != NULL && m->name != NULL; m++)
        n++;
    PyMemberDef *members = PyMem_Calloc((size_t)n + 1, sizeof(PyMemberDef));
    if (members == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t j = 0;
    *explicit_offset = 0;
    for (HPyDef **d = spec->defines; d != NULL && *d != NULL; d++) {
        if ((*d)->kind != HPyDef_Kind_Member)
            continue;
        HPyMember *m = &(*d)->member;
        if (MEMBER_NONE_AS_GETSET && m->type == HPyMember_NONE)
            continue;   /* a get-set (create_getsets) */
        PyMemberDef def = { m->name, (int)m->type, m->offset + head_size,
                            m->readonly ? READONLY : 0, m->doc };
        members[j++] = def;
        if (strcmp(m->name, VECTORCALL_OFFSET_NAME) == 0)
            *explicit_offset = def.offset;
    }
    for (PyMemberDef *m = legacy; m != NULL && m->name != NULL; m++) {
        members[j++] = *m;
        if (strcmp(m->name, VECTORCALL_OFFSET_NAME) == 0)
            *explicit_offset = m->offset;
    }
    if (vectorcall_offset > 0) {
        if (*explicit_offset > 0) {
            PyMem_Free(members);
            PyErr_SetString(PyExc_TypeError, "Cannot have HPy_tp_call and explicit member "
                            "'" VECTORCALL_OFFSET_NAME "'. Specify just one of them.");
            return NULL;
        }
        PyMemberDef def = { VECTORCALL_OFFSET_NAME, T_PYSSIZET, vectorcall_offset, READONLY, NULL };
        members[j++] = def;
    }
    return members;
}

/* CPython keeps the get-set table by pointer: it lives as long as the type
   can, i.e. for good. */
static PyGetSetDef *create_getsets(HPyType_Spec *spec, PyGetSetDef *legacy)
{
    Py_ssize_t n = _HPyDef_Count(spec->defines, HPyDef_Kind_GetSet);
    for (PyGetSetDef *g = legacy; g != NULL && g->name != NULL; g++)
        n++;
    if (MEMBER_NONE_AS_GETSET)
        n += _HPyDef_Count(spec->defines, HPyDef_Kind_Member);
    PyGetSetDef *getsets = PyMem_RawCalloc((size_t)n + 1, sizeof(PyGetSetDef));
    if (getsets == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    Py_ssize_t j = 0;
    for (HPyDef **d = spec->defines; d != NULL && *d != NULL; d++) {
        if ((*d)->kind != HPyDef_Kind_GetSet)
            continue;
        HPyGetSet *g = &(*d)->getset;
        PyGetSetDef def = { g->name, (getter)g->getter_cpy_trampoline,
                            (setter)g->setter_cpy_trampoline, g->doc, g->closure };
        getsets[j++] = def;
    }
    for (PyGetSetDef *g = legacy; g != NULL && g->name != NULL; g++)
        getsets[j++] = *g;
#if MEMBER_NONE_AS_GETSET
    for (HPyDef **d = spec->defines; d != NULL && *d != NULL; d++) {
        if ((*d)->kind != HPyDef_Kind_Member || (*d)->member.type != HPyMember_NONE)
            continue;
        PyGetSetDef def = { (*d)->member.name, get_none, NULL, (*d)->member.doc, NULL };
        getsets[j++] = def;
    }
#endif
    return getsets;
}

/* ---- the slot table ---- */

typedef struct {
    PyType_Slot *slots;
    Py_ssize_t n;
} SlotTable;

static void add_slot(SlotTable *t, int slot, void *pfunc)
{
    t->slots[t->n].slot = slot;
    t->slots[t->n].pfunc = pfunc;
    t->n++;
}

/* HPy's slots, sorting out those the runtime implements itself. Returns
   whether there is an HPy_tp_new. */
static int add_hpy_slots(SlotTable *t, HPyType_Spec *spec, _HPyTypeInfo *info)
{
    int has_new = 0;
    for (HPyDef **d = spec->defines; d != NULL && *d != NULL; d++) {
        HPySlot *s = &(*d)->slot;
        if ((*d)->kind != HPyDef_Kind_Slot)
            continue;
        switch (s->slot) {
        case HPy_tp_destroy:
            info->destroy = _HPy_FUNC_CAST(HPyFunc_destroyfunc, s->impl);
            continue;   /* called by _HPyType_Dealloc */
        case HPy_tp_call:
            /* CPython's vectorcall: the trampoline has its signature */
            info->vectorcall_default = _HPy_FUNC_CAST(cpy_vectorcallfunc, s->cpy_trampoline);
            continue;
        case HPy_tp_traverse:
            info->traverse = _HPy_FUNC_CAST(HPyFunc_traverseproc, s->impl);
            add_slot(t, Py_tp_traverse, _HPy_FUNC_CAST(void *, _HPyType_Traverse));
            continue;   /* no trampoline: the runtime calls it */
#if defined(PYPY_VERSION)
        case HPy_sq_item:
            info->sq_item = _HPy_FUNC_CAST(ssizeargfunc, s->cpy_trampoline);
            add_slot(t, Py_sq_item, _HPy_FUNC_CAST(void *, _HPyType_SqItem));
            continue;
        case HPy_sq_ass_item:
            info->sq_ass_item = _HPy_FUNC_CAST(ssizeobjargproc, s->cpy_trampoline);
            add_slot(t, Py_sq_ass_item, _HPy_FUNC_CAST(void *, _HPyType_SqAssItem));
            continue;
        case HPy_tp_finalize:
            /* PyPy 7.3 aborts on a heap type's Py_tp_finalize (its __del__
               wrapper is not implemented): _HPyType_Dealloc calls it */
            info->finalize = _HPy_FUNC_CAST(void (*)(PyObject *), s->cpy_trampoline);
            continue;
#endif
        case HPy_tp_new:
            has_new = 1;
            break;
        default:
            break;
        }
        /* every other HPy slot number is the CPython slot of the same name */
        add_slot(t, (int)s->slot, _HPy_FUNC_CAST(void *, s->cpy_trampoline));
    }
    return has_new;
}

/* CPython copies the member table into the heap type; PyPy's
   PyType_FromSpec keeps the pointer, so there the table lives as long as
   the type, like the get-sets. */
#if defined(PYPY_VERSION)
#  define TYPE_KEEPS_MEMBER_TABLE 1
#else
#  define TYPE_KEEPS_MEMBER_TABLE 0
#endif

static void release_tables(PyType_Spec *pyspec, PyMemberDef *members, int type_created)
{
    PyMem_Free(pyspec->slots);
    if (!(type_created && TYPE_KEEPS_MEMBER_TABLE))
        PyMem_Free(members);
}

HPyAPI_IMPL HPy ctx_Type_FromSpec(HPyContext *ctx, HPyType_Spec *spec, HPyType_SpecParam *params)
{
    (void)ctx;
    if (spec == NULL || spec->name == NULL) {
        PyErr_SetString(PyExc_ValueError, "HPyType_FromSpec: the spec has no name");
        return HPy_NULL;
    }
    LegacySlots legacy;
    read_legacy_slots(spec, &legacy);
    if (check_params(params, spec->name) < 0 || check_spec(spec, &legacy) < 0)
        return HPy_NULL;
    PyTypeObject *meta = metaclass_from_params(params);
    if (meta == NULL && PyErr_Occurred())
        return HPy_NULL;
    PyObject *bases = bases_from_params(params);
    if (bases == NULL && PyErr_Occurred())
        return HPy_NULL;

    HPy_ssize_t head_size = _HPy_ShapeHeadSize(spec->builtin_shape);
    Py_ssize_t basicsize = spec->basicsize != 0 ? head_size + spec->basicsize : 0;
    Py_ssize_t vectorcall_offset = 0;
    if (has_slot(spec, HPy_tp_call)) {
        /* the call function goes after everything else in the instance */
        if (spec->itemsize != 0) {
            PyErr_SetString(PyExc_TypeError, "Cannot use HPy call protocol with var objects");
            goto error_bases;
        }
        if (spec->builtin_shape == HPyType_BuiltinShape_Legacy && spec->basicsize == 0) {
            PyErr_SetString(PyExc_TypeError, "Cannot use HPy call protocol with legacy types that "
                            "inherit the struct. Either set the basicsize to a non-zero value or "
                            "use legacy slot 'Py_tp_call'.");
            goto error_bases;
        }
        vectorcall_offset = align_up(basicsize != 0 ? basicsize
                                                    : inherited_basicsize(bases, head_size));
        basicsize = vectorcall_offset + (Py_ssize_t)sizeof(vectorcallfunc);
    }

    _HPyTypeInfo *info = _HPyTypeInfo_Alloc(_HPyDef_MethodCount(spec->defines, legacy.methods),
                                            spec->name);
    if (info == NULL)
        goto error_bases;
    info->shape = spec->builtin_shape;
    info->alloc.head_size = head_size;
    info->has_hpy_dealloc = !legacy.has_dealloc;
    if (_HPyDef_FillMethods(spec->defines, legacy.methods, info->methods) < 0)
        goto error_info;

    PyType_Spec pyspec = { info->name, (int)basicsize, spec->itemsize,
                           (unsigned int)spec->flags, NULL };
    /* HPy's slots + legacy ones + doc, methods, members, getsets, dealloc,
       clear, call, new + the sentinel */
    Py_ssize_t max_slots = _HPyDef_Count(spec->defines, HPyDef_Kind_Slot) + legacy.n_other + 9;
    SlotTable table = { PyMem_Calloc((size_t)max_slots, sizeof(PyType_Slot)), 0 };
    if (table.slots == NULL) {
        PyErr_NoMemory();
        goto error_info;
    }
    pyspec.slots = table.slots;
    int has_new = add_hpy_slots(&table, spec, info);
    for (PyType_Slot *s = legacy.slots; s != NULL && s->slot != 0; s++) {
        if (s->slot != Py_tp_methods && s->slot != Py_tp_members && s->slot != Py_tp_getset)
            add_slot(&table, s->slot, s->pfunc);
        has_new |= s->slot == Py_tp_new;
    }
    if (spec->doc != NULL)
        add_slot(&table, Py_tp_doc, (void *)spec->doc);
    add_slot(&table, Py_tp_methods, info->methods);

    Py_ssize_t explicit_offset;
    PyMemberDef *members = create_members(spec, legacy.members,
                                          spec->basicsize != 0 ? head_size : 0,
                                          vectorcall_offset, &explicit_offset);
    if (members == NULL) {
        PyMem_Free(table.slots);
        goto error_info;
    }
    add_slot(&table, Py_tp_members, members);
    PyGetSetDef *getsets = create_getsets(spec, legacy.getsets);
    if (getsets == NULL) {
        release_tables(&pyspec, members, 0);
        goto error_info;
    }
    add_slot(&table, Py_tp_getset, getsets);
    if (info->has_hpy_dealloc)
        add_slot(&table, Py_tp_dealloc, _HPy_FUNC_CAST(void *, _HPyType_Dealloc));
    if (info->traverse != NULL)
        add_slot(&table, Py_tp_clear, _HPy_FUNC_CAST(void *, _HPyType_Clear));
    if (vectorcall_offset > 0 || explicit_offset > 0) {
        /* HPy_tp_call, or a call function the instances set themselves */
        add_slot(&table, Py_tp_call, _HPy_FUNC_CAST(void *, PyVectorcall_Call));
        info->has_call_function = 1;
        if (!has_new)
            add_slot(&table, Py_tp_new, _HPy_FUNC_CAST(void *, _HPyType_NewWithCallFunction));
        pyspec.flags |= Py_TPFLAGS_HAVE_VECTORCALL;
    }

    PyObject *result = _HPyType_CreateFromSpec(&pyspec, bases, meta);
    release_tables(&pyspec, members, result != NULL);
    Py_XDECREF(bases);
    if (result == NULL) {
        PyMem_RawFree(getsets);
        PyMem_RawFree(info);
        return HPy_NULL;
    }
    /* from here on CPython holds info->methods and getsets: never freed */
    if (_HPyTypeInfo_Register(info) < 0) {
        Py_DECREF(result);
        return HPy_NULL;
    }
    info->builtin_base = _HPyType_BuiltinBase((PyTypeObject *)result);
    _HPyType_ChooseFastPaths((PyTypeObject *)result, info, find_slot(spec, HPy_tp_traverse));
    _HPyTypeInfo *base_info = _HPyTypeInfo_Nearest(((PyTypeObject *)result)->tp_base);
    if (info->shape == HPyType_BuiltinShape_Legacy && base_info != NULL &&
        base_info->shape != HPyType_BuiltinShape_Legacy) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_TypeError,
                        "A legacy type should not inherit its memory layout from a pure type");
        return HPy_NULL;
    }
    return _py2h(result);

error_info:
    PyMem_RawFree(info);
error_bases:
    Py_XDECREF(bases);
    return HPy_NULL;
}
