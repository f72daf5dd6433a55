/* tp_traverse: HPy's visit takes a pointer to an HPyField, CPython's takes
   the object; this adapts one to the other for both ABIs. */
#include "hpy_runtime_base.h"
#include "ctx/traverse.h"

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

int _HPy_CallTraverse(HPyFunc_traverseproc traverse, PyObject *self, visitproc visit, void *arg)
{
    CPyVisit cpy = { visit, arg };
    return traverse((void *)self, visit_field, &cpy);
}
