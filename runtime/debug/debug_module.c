/* hpy_build._runtime._debug (hpy_build.universal._debug): the low-level
   knobs of the debug mode, with HPy 0.9's names (hpy.universal._debug).
   hpy_build.debug builds LeakDetector & co. on them. */
#include "debug/debug_internal.h"
#include "debug/debug_module.h"

/* --- DebugHandle: the Python view of one debug handle --- */

/* It holds the handle's record, as in HPy 0.9: once the closed-handle
   queue drops the handle, the record is reused by a later handle, which the
   view then describes (records never go back to the allocator). */
typedef struct {
    PyObject_HEAD
    DebugHandle *handle;
} DebugHandleObject;

typedef struct {
    PyObject *handle_type;
} ModuleState;

static ModuleState *state(PyObject *module)
{
    return (ModuleState *)PyModule_GetState(module);
}

static DebugHandle *handle_of(PyObject *self)
{
    return ((DebugHandleObject *)self)->handle;
}

static PyObject *dh_obj(PyObject *self, void *closure)
{
    (void)closure;
    DebugHandle *h = handle_of(self);
    /* a closed handle's object may be gone */
    return Py_NewRef(h->is_closed ? Py_None : _h2py(h->uh));
}

static PyObject *dh_id(PyObject *self, void *closure)
{
    (void)closure;
    return PyLong_FromVoidPtr(handle_of(self));
}

static PyObject *dh_is_closed(PyObject *self, void *closure)
{
    (void)closure;
    return PyBool_FromLong(handle_of(self)->is_closed);
}

static PyObject *dh_raw_data_size(PyObject *self, void *closure)
{
    (void)closure;
    DebugHandle *h = handle_of(self);
    return PyLong_FromSsize_t(h->data != NULL ? h->data_size : -1);
}

static PyObject *dh_origin(PyObject *self, void *closure)
{
    (void)closure;
    return PyUnicode_FromString(handle_of(self)->origin);
}

static PyObject *dh_stack(PyObject *self, void *closure)
{
    (void)closure;
    DebugHandle *h = handle_of(self);
    if (h->stack == NULL)
        Py_RETURN_NONE;
    return PyUnicode_FromString(h->stack);
}

static PyGetSetDef dh_getset[] = {
    {"obj", dh_obj, NULL, "The object the handle points to (None once it is closed).", NULL},
    {"id", dh_id, NULL, "A number identifying the debug handle (its address).", NULL},
    {"is_closed", dh_is_closed, NULL, "Whether the handle was closed.", NULL},
    {"raw_data_size", dh_raw_data_size, NULL,
     "Size of the raw data kept for the handle, -1 if none. For tests.", NULL},
    {"origin", dh_origin, NULL, "The API function that opened the handle.", NULL},
    {"stack", dh_stack, NULL,
     "The C stack where the handle was opened, or None if stack traces were off.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyObject *dh_richcompare(PyObject *self, PyObject *other, int op)
{
    if (Py_TYPE(other) != Py_TYPE(self) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int same = handle_of(self) == handle_of(other);
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static Py_hash_t dh_hash(PyObject *self)
{
    /* equal handles hash equal; addresses are aligned, so drop the low bits */
    Py_hash_t hash = (Py_hash_t)((uintptr_t)handle_of(self) >> 4);
    return hash == -1 ? -2 : hash;
}

static PyObject *dh_repr(PyObject *self)
{
    DebugHandle *h = handle_of(self);
    PyObject *head;
    if (h->is_closed) {
        head = PyUnicode_FromFormat("<DebugHandle %p CLOSED>\nopened by %s", (void *)h, h->origin);
    } else {
        PyObject *obj = _h2py(h->uh);
        head = PyUnicode_FromFormat("<DebugHandle %p for %R>\nan object of type %s, opened by %s",
                                    (void *)h, obj, Py_TYPE(obj)->tp_name, h->origin);
    }
    if (head == NULL)
        return NULL;
    PyObject *result;
    if (h->stack != NULL)
        result = PyUnicode_FromFormat("%U, at:\n%s", head, h->stack);
    else
        result = PyUnicode_FromFormat("%U\nTo get the stack trace of where it was opened, use "
                                      "hpy_build.debug.set_handle_stack_trace_limit", head);
    Py_DECREF(head);
    return result;
}

static PyObject *dh_force_close(PyObject *self, PyObject *noargs)
{
    (void)noargs;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL)
        return NULL;
    DebugHandle *h = handle_of(self);
    if (!hpy_debug_slot_live(&h->slot))
        Py_RETURN_NONE;     /* dropped from the queue: closed long ago */
    hpy_debug_close(info, hpy_debug_as_dhpy(info, h), "DebugHandle._force_close");
    Py_RETURN_NONE;
}

static PyMethodDef dh_methods[] = {
    {"_force_close", dh_force_close, METH_NOARGS, "Close the handle. For tests."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot dh_slots[] = {
    {Py_tp_getset, dh_getset},
    {Py_tp_methods, dh_methods},
    {Py_tp_richcompare, _HPy_FUNC_CAST(void *(*)(void), dh_richcompare)},
    {Py_tp_hash, _HPy_FUNC_CAST(void *(*)(void), dh_hash)},
    {Py_tp_repr, _HPy_FUNC_CAST(void *(*)(void), dh_repr)},
    {Py_tp_doc, "A debug handle, as get_open_handles() and get_closed_handles() list them. "
                "It describes the handle while the handle is open or in the closed-handle "
                "queue; once the queue drops it, it describes the later handle that reuses its "
                "record, if any (as in HPy 0.9), else a closed handle."},
    {0, NULL},
};

static PyType_Spec dh_spec = {
    .name = "hpy_build.universal._debug.DebugHandle",
    .basicsize = sizeof(DebugHandleObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = dh_slots,
};

/* --- the module's functions --- */

static PyObject *handle_list(PyObject *module, DebugHandleList *list, long generation)
{
    PyObject *result = PyList_New(0);
    if (result == NULL)
        return NULL;
    PyTypeObject *type = (PyTypeObject *)state(module)->handle_type;
    for (DebugHandle *h = hpy_debug_list_first(list); h != NULL;
         h = hpy_debug_list_next(list, h)) {
        if (h->generation < generation || h->is_immortal)
            continue;
        DebugHandleObject *obj = PyObject_New(DebugHandleObject, type);
        if (obj == NULL || PyList_Append(result, (PyObject *)obj) < 0) {
            Py_XDECREF(obj);
            Py_DECREF(result);
            return NULL;
        }
        obj->handle = h;
        Py_DECREF(obj);
    }
    return result;
}

static PyObject *new_generation(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL)
        return NULL;
    return PyLong_FromLong(++info->generation);
}

static PyObject *get_open_handles(PyObject *module, PyObject *arg)
{
    long gen = PyLong_AsLong(arg);
    if (gen == -1 && PyErr_Occurred())
        return NULL;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL)
        return NULL;
    return handle_list(module, &info->open, gen);
}

static PyObject *get_closed_handles(PyObject *module, PyObject *args)
{
    long gen = 0;
    if (!PyArg_ParseTuple(args, "|l:get_closed_handles", &gen))
        return NULL;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL)
        return NULL;
    return handle_list(module, &info->closed, gen);
}

/* A size >= 0 from a Python int. */
static int as_size(PyObject *arg, HPy_ssize_t *size)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return -1;
    if (n < 0) {
        PyErr_SetString(PyExc_ValueError, "the size must not be negative");
        return -1;
    }
    *size = n;
    return 0;
}

#define SIZE_KNOB(FIELD, GETTER, SETTER)                                   \
    static PyObject *GETTER(PyObject *module, PyObject *noargs)            \
    {                                                                      \
        (void)module;                                                      \
        (void)noargs;                                                      \
        HPyDebugInfo *info = hpy_debug_info();                             \
        return info == NULL ? NULL : PyLong_FromSsize_t(info->FIELD);      \
    }                                                                      \
    static PyObject *SETTER(PyObject *module, PyObject *arg)               \
    {                                                                      \
        (void)module;                                                      \
        HPyDebugInfo *info = hpy_debug_info();                             \
        if (info == NULL || as_size(arg, &info->FIELD) < 0)                \
            return NULL;                                                   \
        Py_RETURN_NONE;                                                    \
    }

SIZE_KNOB(closed_max, get_closed_handles_queue_max_size, set_closed_handles_queue_max_size)
SIZE_KNOB(raw_data_max, get_protected_raw_data_max_size, set_protected_raw_data_max_size)

static int set_hook(PyObject **slot, PyObject *arg)
{
    if (arg != Py_None && !PyCallable_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "Expected a callable object");
        return -1;
    }
    PyObject *old = *slot;
    *slot = arg == Py_None ? NULL : Py_NewRef(arg);
    Py_XDECREF(old);
    return 0;
}

static PyObject *set_on_invalid_handle(PyObject *module, PyObject *arg)
{
    (void)module;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL || set_hook(&info->on_invalid_handle, arg) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *set_on_invalid_builder_handle(PyObject *module, PyObject *arg)
{
    (void)module;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL || set_hook(&info->on_invalid_builder, arg) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *set_handle_stack_trace_limit(PyObject *module, PyObject *arg)
{
    (void)module;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL)
        return NULL;
    if (arg == Py_None) {
        info->stack_limit = 0;
    } else {
        HPy_ssize_t limit;
        if (as_size(arg, &limit) < 0)
            return NULL;
        info->stack_limit = limit;
    }
    Py_RETURN_NONE;
}

static PyObject *get_handle_stack_trace_limit(PyObject *module, PyObject *noargs)
{
    (void)module;
    (void)noargs;
    HPyDebugInfo *info = hpy_debug_info();
    if (info == NULL)
        return NULL;
    if (info->stack_limit == 0)
        Py_RETURN_NONE;
    return PyLong_FromSsize_t(info->stack_limit);
}

static PyMethodDef methods[] = {
    {"new_generation", new_generation, METH_NOARGS,
     "Start a new generation of handles; return its number."},
    {"get_open_handles", get_open_handles, METH_O,
     "get_open_handles(gen): the open handles opened in generation gen or later."},
    {"get_closed_handles", get_closed_handles, METH_VARARGS,
     "get_closed_handles(gen=0): the closed handles still in the queue."},
    {"get_closed_handles_queue_max_size", get_closed_handles_queue_max_size, METH_NOARGS,
     "The maximum size of the queue of closed handles."},
    {"set_closed_handles_queue_max_size", set_closed_handles_queue_max_size, METH_O,
     "Set the maximum size of the queue of closed handles."},
    {"get_protected_raw_data_max_size", get_protected_raw_data_max_size, METH_NOARGS,
     "The maximum size of the raw data kept (protected) for closed handles."},
    {"set_protected_raw_data_max_size", set_protected_raw_data_max_size, METH_O,
     "Set the maximum size of the raw data kept (protected) for closed handles."},
    {"set_on_invalid_handle", set_on_invalid_handle, METH_O,
     "Call this function (or, with None, abort) when an invalid handle is used."},
    {"set_on_invalid_builder_handle", set_on_invalid_builder_handle, METH_O,
     "Call this function (or, with None, abort) when an invalid builder is used."},
    {"set_handle_stack_trace_limit", set_handle_stack_trace_limit, METH_O,
     "Record at most this many C frames where each handle is opened; None: none."},
    {"get_handle_stack_trace_limit", get_handle_stack_trace_limit, METH_NOARGS,
     "The limit set by set_handle_stack_trace_limit, None if stack traces are off."},
    {NULL, NULL, 0, NULL},
};

static int module_traverse(PyObject *module, visitproc visit, void *arg)
{
    Py_VISIT(state(module)->handle_type);
    return 0;
}

static int module_clear(PyObject *module)
{
    Py_CLEAR(state(module)->handle_type);
    return 0;
}

static PyModuleDef debug_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "hpy_build.universal._debug",
    .m_doc = "The low-level knobs of HPy's debug mode (as hpy.universal._debug in HPy 0.9).",
    .m_size = sizeof(ModuleState),
    .m_methods = methods,
    .m_traverse = module_traverse,
    .m_clear = module_clear,
};

PyObject *hpy_debug_create_module(void)
{
    PyObject *module = PyModule_Create(&debug_module);
    if (module == NULL)
        return NULL;
    PyObject *type = PyType_FromSpec(&dh_spec);
    if (type == NULL || PyModule_AddObject(module, "DebugHandle", Py_NewRef(type)) < 0) {
        Py_XDECREF(type);
        Py_XDECREF(type);
        Py_DECREF(module);
        return NULL;
    }
    state(module)->handle_type = type;
    return module;
}
