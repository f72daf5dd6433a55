/* tp_traverse: HPy's visit takes a pointer to an HPyField and its traverse
   the extension's struct; CPython's visit takes the object. This adapts one
   to the other for both ABIs: through the module's field walker where the
   type has one (type_info.h), else through visit_field below. */
#include "hpy_runtime_base.h"
#include "ctx/traverse.h"
#include "ctx/type_info.h"
#include "hpy/cpython/shapes.h"

typedef struct {
    visitproc visit;
    void *arg;
} CPyVisit;

static int visit_field(HPyField *field, void *arg)
{
    CPyVisit *cpy = arg;
    PyObject *obj = _hf2py(*field);
    return obj != NULL ? cpy->visit(obj, cpy->arg) : 0;
}

/* What the built-in part of a List (or Tuple, Type, Dict) shape holds. */
static int traverse_builtin(PyTypeObject *builtin, PyObject *self, visitproc visit, void *arg)
{
    return builtin->tp_traverse != NULL ? builtin->tp_traverse(self, visit, arg) : 0;
}

static int call_traverse(HPyFunc_traverseproc traverse, _HPyTypeInfo *info, PyObject *self,
                         visitproc visit, void *arg)
{
    CPyVisit cpy = { visit, arg };
    /* As in HPy 0.9, the type is not visited (gc.get_referents shows only
       the fields), though instances own a reference to it. */
    void *fields = _HPy_ShapePayload(self, info != NULL ? info->alloc.head_size : 0);
    if (info == NULL || info->builtin_base == NULL)
        return traverse(fields, visit_field, &cpy);     /* nothing live after the call */
    int r = traverse(fields, visit_field, &cpy);
    return r != 0 ? r : traverse_builtin(info->builtin_base, self, visit, arg);
}

#if !defined(HPY_ABI_CPYTHON)
int _HPy_CallTraverse(HPyFunc_traverseproc traverse, PyObject *self, visitproc visit, void *arg)
{
    if ((uintptr_t)self & _HPY_FIELD_WALKER_TAG)
        return 0;   /* a trampoline that is no field walker, asked whether it is one */
    return call_traverse(traverse, _HPyTypeInfo_Nearest(Py_TYPE(self)), self, visit, arg);
}
#endif

/* An HPy type without HPy_tp_traverse of its own inherits its base's. */
static HPyFunc_traverseproc inherited_traverse(PyTypeObject *tp)
{
    for (; tp != NULL; tp = tp->tp_base) {
        _HPyTypeInfo *info = _HPyTypeInfo_Of(tp);
        if (info != NULL && info->traverse != NULL)
            return info->traverse;
    }
    return NULL;
}

/* The general case: an instance of a subclass, a level that inherits its
   traverse, a built-in base that has its own, a type without a walker. */
static _HPY_COLD int traverse_levels(PyObject *self, visitproc visit, void *arg)
{
    _HPyTypeInfo *info = _HPyTypeInfo_Nearest(Py_TYPE(self));
    if (info != NULL && info->walk != NULL)
        return _HPyType_Walk(info, self, visit, arg);
    HPyFunc_traverseproc traverse = info != NULL ? info->traverse : NULL;
    if (traverse == NULL && (traverse = inherited_traverse(Py_TYPE(self))) == NULL)
        return 0;
    return call_traverse(traverse, info, self, visit, arg);
}

int _HPyType_Traverse(PyObject *self, visitproc visit, void *arg)
{
    _HPyTypeInfo *info = _HPyTypeInfo_Recent(Py_TYPE(self));
    if (info != NULL && info->walk != NULL)
        return _HPyType_Walk(info, self, visit, arg);
    return traverse_levels(self, visit, arg);
}

_HPyFieldWalker _HPyType_FieldWalker(HPySlot *traverse)
{
    _HPyFieldWalker walker = _HPy_FUNC_CAST(_HPyFieldWalker, traverse->cpy_trampoline);
#if defined(HPY_ABI_CPYTHON)
    return walker;   /* compiled with these headers: it is one */
#else
    /* a universal module's trampoline: those of this version answer */
    return walker != NULL && walker((void *)_HPY_FIELD_WALKER_TAG, NULL, NULL) == _HPY_FIELD_WALKER
           ? walker : NULL;
#endif
}
