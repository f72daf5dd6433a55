/* HPyModuleDef -> CPython multi-phase module definition, for both the
   CPython ABI (PyInit_<name>) and the universal loader. */
#include "hpy_runtime_base.h"
#include "ctx/module.h"
#include "ctx/defs.h"

/* The HPyDef_METH entries, then the legacy ones, then the sentinel. */
static PyMethodDef *create_methods(HPyModuleDef *hpydef)
{
    PyMethodDef *legacy = (PyMethodDef *)hpydef->legacy_methods;
    Py_ssize_t n = _HPyDef_MethodCount(hpydef->defines, legacy);
    PyMethodDef *methods = PyMem_Calloc((size_t)n + 1, sizeof(PyMethodDef));
    if (methods == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    if (_HPyDef_FillMethods(hpydef->defines, legacy, methods) < 0) {
        PyMem_Free(methods);
        return NULL;
    }
    return methods;
}

#define CREATE_ALONE \
    "An HPyModuleDef with an HPy_mod_create slot may define nothing else: the object " \
    "it creates is not a module, so it cannot receive methods, a docstring, globals " \
    "or an HPy_mod_exec slot."

/* HPy_mod_create / HPy_mod_exec -> Py_mod_create / Py_mod_exec. A module
   that creates itself may define nothing else (it is not a module object). */
static PyModuleDef_Slot *create_slots(HPyModuleDef *hpydef)
{
    Py_ssize_t n = _HPyDef_Count(hpydef->defines, HPyDef_Kind_Slot), j = 0;
    int has_create = 0, has_other = 0;
    PyModuleDef_Slot *slots = PyMem_Calloc((size_t)(n + 1), sizeof(PyModuleDef_Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; hpydef->defines != NULL && hpydef->defines[i] != NULL; i++) {
        HPyDef *d = hpydef->defines[i];
        if (d->kind == HPyDef_Kind_Meth) {
            has_other = 1;
            continue;
        }
        if (d->kind != HPyDef_Kind_Slot) {
            PyErr_SetString(PyExc_SystemError,
                            "HPyModuleDef.defines may hold only methods (HPyDef_METH) and "
                            "the slots HPy_mod_create and HPy_mod_exec, not members or get-sets");
            goto error;
        }
        if (d->slot.slot == HPy_mod_create) {
            if (has_create) {
                PyErr_SetString(PyExc_SystemError,
                                "HPyModuleDef.defines has more than one HPy_mod_create slot");
                goto error;
            }
            has_create = 1;
            slots[j].slot = Py_mod_create;
        } else if (d->slot.slot == HPy_mod_exec) {
            has_other = 1;
            slots[j].slot = Py_mod_exec;
        } else {
            PyErr_Format(PyExc_SystemError,
                         "slot %d cannot be used in an HPyModuleDef: only HPy_mod_create "
                         "and HPy_mod_exec can", (int)d->slot.slot);
            goto error;
        }
        slots[j++].value = _HPy_FUNC_CAST(void *(*)(void), d->slot.cpy_trampoline);
    }
    /* HPy 0.9's two messages, then why */
    if (has_create && has_other) {
        PyErr_SetString(PyExc_SystemError, "HPyModuleDef defines a HPy_mod_create slot and "
                        "some other slots or methods. " CREATE_ALONE);
        goto error;
    }
    if (has_create && (hpydef->doc != NULL || hpydef->legacy_methods != NULL ||
                       hpydef->globals != NULL)) {
        PyErr_SetString(PyExc_SystemError, "HPyModuleDef defines a HPy_mod_create slot and "
                        "some of the other fields are not set to their default value. "
                        CREATE_ALONE);
        goto error;
    }
    return slots;
error:
    PyMem_Free(slots);
    return NULL;
}

PyModuleDef *_HPyModuleDef_CreatePyModuleDef(HPyModuleDef *hpydef, const char *name)
{
    if (hpydef->size < 0) {
        PyErr_Format(PyExc_SystemError, "HPy does not permit HPyModuleDef.size < 0 (it is %zd)",
                     (Py_ssize_t)hpydef->size);
        return NULL;
    }
    if (hpydef->size > 0) {
        PyErr_Format(PyExc_SystemError, "Module state is not supported yet in HPy, set "
                     "HPyModuleDef.size = 0 if module state is not needed (it is %zd)",
                     (Py_ssize_t)hpydef->size);
        return NULL;
    }
    PyModuleDef *def = PyMem_Calloc(1, sizeof(PyModuleDef));
    if (def == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    PyModuleDef template = { PyModuleDef_HEAD_INIT, .m_name = name, .m_doc = hpydef->doc };
    *def = template;
    def->m_methods = create_methods(hpydef);
    if (def->m_methods == NULL)
        goto error;
    def->m_slots = create_slots(hpydef);
    if (def->m_slots == NULL)
        goto error;
    return def;
error:
    PyMem_Free(def->m_methods);
    PyMem_Free(def);
    return NULL;
}

#if defined(PYPY_VERSION)
/* PyPy's C API has no PyModule_FromDefAndSpec: the same steps on functions
   it has. The create slot (HPy_mod_create) or a plain module named after the
   spec, then the methods (with the module as self) and the docstring. The
   exec slots are left to PyModule_ExecDef, as with CPython's function. */
static PyObject *module_from_def_and_spec(PyModuleDef *def, PyObject *spec)
{
    for (PyModuleDef_Slot *s = def->m_slots; s != NULL && s->slot != 0; s++) {
        if (s->slot == Py_mod_create) {
            PyObject *(*create)(PyObject *, PyModuleDef *) =
                _HPy_FUNC_CAST(PyObject *(*)(PyObject *, PyModuleDef *), s->value);
            return create(spec, def);
        }
    }
    PyObject *name = PyObject_GetAttrString(spec, "name");
    if (name == NULL)
        return NULL;
    const char *utf8 = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
    if (utf8 == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "the module spec's name must be a str");
        Py_DECREF(name);
        return NULL;
    }
    PyObject *module = PyModule_New(utf8);
    Py_DECREF(name);
    if (module == NULL)
        return NULL;
    if (def->m_methods != NULL && PyModule_AddFunctions(module, def->m_methods) < 0)
        goto error;
    if (def->m_doc != NULL) {
        PyObject *doc = PyUnicode_FromString(def->m_doc);
        if (doc == NULL || PyObject_SetAttrString(module, "__doc__", doc) < 0) {
            Py_XDECREF(doc);
            goto error;
        }
        Py_DECREF(doc);
    }
    return module;
error:
    Py_DECREF(module);
    return NULL;
}
#endif

PyObject *_HPyModule_FromDefAndSpec(PyModuleDef *def, PyObject *spec)
{
#if defined(PYPY_VERSION)
    return module_from_def_and_spec(def, spec);
#else
    return PyModule_FromDefAndSpec(def, spec);
#endif
}

#ifdef HPY_ABI_CPYTHON
/* PyInit_<name> of a CPython-ABI module. The name is not known before the
   spec arrives (multi-phase init); CPython takes it from the spec. */
PyObject *_HPyModuleDef_AsPyInit(HPyModuleDef *hpydef)
{
    _hpy_cpython_ctx_init();   /* before any of the module's code runs */
    PyModuleDef *def = _HPyModuleDef_CreatePyModuleDef(hpydef, "<HPy module>");
    if (def == NULL)
        return NULL;
    return PyModuleDef_Init(def);
}
#endif

PyObject *_HPyModule_CheckCreateResult(PyObject *result)
{
    if (result != NULL && PyModule_Check(result)) {
        Py_DECREF(result);
        PyErr_SetString(PyExc_SystemError,
                        "HPy_mod_create slot returned a builtin module object. This is "
                        "currently not supported: it must create some other object (let the "
                        "runtime create modules)");
        return NULL;
    }
    return result;
}
