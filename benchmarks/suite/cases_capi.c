/* The benchmark cases on the C API: the twin of cases_hpy.c, function by
   function, with the C API calls that match the HPy ones (HPy_Length is
   PyObject_Length, HPy_New is tp_alloc, ...). Types are heap types, as HPy's. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

static PyObject *Point_type, *Node_type;

/* ---------------------------------------------------- module functions */

static PyObject *noargs(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyObject *ident(PyObject *self, PyObject *arg)
{
    Py_INCREF(arg);
    return arg;
}

static PyObject *incr(PyObject *self, PyObject *arg)
{
    long a = PyLong_AsLong(arg);
    if (a == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(a + 1);
}

static PyObject *add(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "add() takes 2 arguments");
        return NULL;
    }
    long a = PyLong_AsLong(args[0]);
    if (a == -1 && PyErr_Occurred())
        return NULL;
    long b = PyLong_AsLong(args[1]);
    if (b == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(a + b);
}

static PyObject *kwadd(PyObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyObject_Length(kwnames);
    if (nkw < 0)
        return NULL;
    long total = 0;
    for (Py_ssize_t i = 0; i < nargs + nkw; i++) {
        long v = PyLong_AsLong(args[i]);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}

static PyObject *call(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "call() takes 2 arguments");
        return NULL;
    }
    return PyObject_Call(args[0], args[1], NULL);
}

static PyObject *call_kw(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "call_kw() takes 3 arguments");
        return NULL;
    }
    return PyObject_Call(args[0], args[1], args[2]);
}

static PyObject *alloc_ints(PyObject *self, PyObject *arg)
{
    long base = PyLong_AsLong(arg);
    if (base == -1 && PyErr_Occurred())
        return NULL;
    for (long k = 0; k < 10; k++) {
        PyObject *o = PyLong_FromLong(base * 16 + 1000 + k);
        if (o == NULL)
            return NULL;
        Py_DECREF(o);
    }
    Py_RETURN_NONE;
}

/* a tuple of two new ints, from a format string */
static PyObject *build_value(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("ii", 2048, 2049);
}

static PyObject *make_tuple(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *t = PyTuple_New(nargs);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(t, i, args[i]);
    }
    return t;
}

/* -------------------------------------------------------------- Point */

typedef struct {
    PyObject_HEAD
    long x;
    long y;
} PointObject;

static PyObject *Point_new(PyTypeObject *cls, PyObject *args, PyObject *kw)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "Point() takes 2 arguments");
        return NULL;
    }
    long x = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
    if (x == -1 && PyErr_Occurred())
        return NULL;
    long y = PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
    if (y == -1 && PyErr_Occurred())
        return NULL;
    PointObject *p = (PointObject *)cls->tp_alloc(cls, 0);
    if (p == NULL)
        return NULL;
    p->x = x;
    p->y = y;
    return (PyObject *)p;
}

static void Point_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyObject *Point_norm2(PyObject *self, PyObject *unused)
{
    PointObject *p = (PointObject *)self;
    return PyLong_FromLong(p->x * p->x + p->y * p->y);
}

static PyObject *Point_scale_x(PyObject *self, PyObject *arg)
{
    long k = PyLong_AsLong(arg);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(((PointObject *)self)->x * k);
}

static Py_ssize_t Point_len(PyObject *self)
{
    return 2;
}

static PyObject *Point_item(PyObject *self, Py_ssize_t i)
{
    PointObject *p = (PointObject *)self;
    if (i < 0 || i > 1) {
        PyErr_SetString(PyExc_IndexError, "Point index out of range");
        return NULL;
    }
    return PyLong_FromLong(i == 0 ? p->x : p->y);
}

static PyObject *Point_y_get(PyObject *self, void *closure)
{
    return PyLong_FromLong(((PointObject *)self)->y);
}

static int Point_y_set(PyObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_TypeError, "cannot delete y");
        return -1;
    }
    long y = PyLong_AsLong(value);
    if (y == -1 && PyErr_Occurred())
        return -1;
    ((PointObject *)self)->y = y;
    return 0;
}

static PyMethodDef Point_methods[] = {
    {"norm2", Point_norm2, METH_NOARGS, NULL},
    {"scale_x", Point_scale_x, METH_O, NULL},
    {NULL},
};
static PyMemberDef Point_members[] = {
    {"x", T_LONG, offsetof(PointObject, x), 0, NULL},
    {NULL},
};
static PyGetSetDef Point_getsets[] = {
    {"y", Point_y_get, Point_y_set, NULL, NULL},
    {NULL},
};
static PyType_Slot Point_slots[] = {
    {Py_tp_new, (void *)Point_new},
    {Py_tp_dealloc, (void *)Point_dealloc},
    {Py_tp_methods, Point_methods},
    {Py_tp_members, Point_members},
    {Py_tp_getset, Point_getsets},
    {Py_sq_length, (void *)Point_len},
    {Py_sq_item, (void *)Point_item},
    {0, NULL},
};
static PyType_Spec Point_spec = {
    "@NAME@.Point", sizeof(PointObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, Point_slots,
};

/* --------------------------------------------------------------- Node */

typedef struct {
    PyObject_HEAD
    PyObject *other;
} NodeObject;

static int Node_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((NodeObject *)self)->other);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int Node_clear(PyObject *self)
{
    Py_CLEAR(((NodeObject *)self)->other);
    return 0;
}

static void Node_dealloc(PyObject *self)
{
    PyTypeObject *type = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Node_clear(self);
    type->tp_free(self);
    Py_DECREF(type);
}

static PyType_Slot Node_slots[] = {
    {Py_tp_traverse, (void *)Node_traverse},
    {Py_tp_clear, (void *)Node_clear},
    {Py_tp_dealloc, (void *)Node_dealloc},
    {0, NULL},
};
static PyType_Spec Node_spec = {
    "@NAME@.Node", sizeof(NodeObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, Node_slots,
};

static PyObject *cycle(PyObject *self, PyObject *unused)
{
    PyTypeObject *type = (PyTypeObject *)Node_type;
    Py_INCREF(type);
    NodeObject *a = (NodeObject *)type->tp_alloc(type, 0);
    if (a == NULL) {
        Py_DECREF(type);
        return NULL;
    }
    NodeObject *b = (NodeObject *)type->tp_alloc(type, 0);
    Py_DECREF(type);
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    Py_INCREF(b);
    a->other = (PyObject *)b;
    Py_INCREF(a);
    b->other = (PyObject *)a;
    Py_DECREF(a);
    Py_DECREF(b);
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------- module */

static int add_type(PyObject *module, const char *name, PyType_Spec *spec, PyObject **global)
{
    PyObject *type = PyType_FromSpec(spec);
    if (type == NULL)
        return -1;
    Py_XSETREF(*global, type);
    Py_INCREF(type);
    return PyModule_AddObject(module, name, type) < 0 ? (Py_DECREF(type), -1) : 0;
}

static int bench_exec(PyObject *module)
{
    if (add_type(module, "Point", &Point_spec, &Point_type) < 0 ||
        add_type(module, "Node", &Node_spec, &Node_type) < 0)
        return -1;
    return 0;
}

static PyMethodDef module_methods[] = {
    {"noargs", noargs, METH_NOARGS, NULL},
    {"ident", ident, METH_O, NULL},
    {"incr", incr, METH_O, NULL},
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, NULL},
    {"kwadd", (PyCFunction)(void (*)(void))kwadd, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"call", (PyCFunction)(void (*)(void))call, METH_FASTCALL, NULL},
    {"call_kw", (PyCFunction)(void (*)(void))call_kw, METH_FASTCALL, NULL},
    {"alloc_ints", alloc_ints, METH_O, NULL},
    {"make_tuple", (PyCFunction)(void (*)(void))make_tuple, METH_FASTCALL, NULL},
    {"build_value", build_value, METH_NOARGS, NULL},
    {"cycle", cycle, METH_NOARGS, NULL},
    {NULL},
};
static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, (void *)bench_exec},
    {0, NULL},
};
static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "@NAME@", "hpy_build benchmark cases (C API)", 0,
    module_methods, module_slots,
};

PyMODINIT_FUNC PyInit_@NAME@(void)
{
    return PyModuleDef_Init(&moduledef);
}
