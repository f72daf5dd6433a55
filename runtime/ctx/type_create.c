/* Creating a type from a PyType_Spec with a given metaclass. Python 3.12
   has PyType_FromMetaclass. Before it, the portable way is to create the
   type with PyType_FromSpecWithBases and make the metaclass its type, which
   is sound when the metaclass adds no C fields to its instances; a
   metaclass with a C struct of its own (builtin shape Type) needs the
   CPython-only path below, which rebuilds the type object inside an
   instance of the metaclass. */
#include "ctx/type_create.h"
#include <structmember.h>
#include <string.h>

#define HAVE_FROM_METACLASS (PY_VERSION_HEX >= 0x030C0000)

#if !HAVE_FROM_METACLASS

static int check_metaclass(PyTypeObject *meta)
{
    if (meta->tp_new != PyType_Type.tp_new) {
        PyErr_SetString(PyExc_TypeError, "Metaclasses with custom tp_new are not supported.");
        return -1;
    }
    return 0;
}

#if !defined(PYPY_VERSION)
/* Where a heap type keeps its member table: after its own struct. */
static PyMemberDef *members_of(PyHeapTypeObject *ht)
{
    return (PyMemberDef *)((char *)ht + Py_TYPE(ht)->tp_basicsize);
}

/* A copy of s by `alloc` (the allocator that will free it); NULL with
   MemoryError. */
static char *copy_string(const char *s, void *(*alloc)(size_t))
{
    size_t size = strlen(s) + 1;
    char *copy = alloc(size);
    if (copy == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(copy, s, size);
    return copy;
}

/* CPython 3.10 and 3.11 only: copy the heap type `tmp` into a fresh
   instance of `meta`, give the copy its own member table and name buffer,
   let PyType_Ready build its dict, MRO and caches again, and drop `tmp`. */
static PyObject *rebuild_in_metaclass(PyTypeObject *tmp, PyTypeObject *meta, const char *name)
{
    Py_ssize_t nmembers = 0;
    for (PyMemberDef *m = tmp->tp_members; m != NULL && m->name != NULL; m++)
        nmembers++;
    PyObject *result = meta->tp_alloc(meta, nmembers);
    if (result == NULL)
        return NULL;
    PyHeapTypeObject *src = (PyHeapTypeObject *)tmp, *ht = (PyHeapTypeObject *)result;
    PyTypeObject *tp = &ht->ht_type;
    /* everything after the object header (which may hold debug data) */
    memcpy((char *)ht + sizeof(PyVarObject), (char *)src + sizeof(PyVarObject),
           sizeof(PyHeapTypeObject) - sizeof(PyVarObject));
    tp->tp_doc = NULL;   /* copied below: each type frees its own */
    tp->tp_as_async = &ht->as_async;
    tp->tp_as_number = &ht->as_number;
    tp->tp_as_sequence = &ht->as_sequence;
    tp->tp_as_mapping = &ht->as_mapping;
    tp->tp_as_buffer = &ht->as_buffer;
    tp->tp_flags &= ~(Py_TPFLAGS_READY | Py_TPFLAGS_READYING | Py_TPFLAGS_VALID_VERSION_TAG);
    tp->tp_version_tag = 0;
    /* what PyType_Ready computes again */
    tp->tp_dict = NULL;
    tp->tp_mro = NULL;
    tp->tp_cache = NULL;
    tp->tp_subclasses = NULL;
    tp->tp_weaklist = NULL;
    ht->ht_cached_keys = NULL;
    /* what both now hold */
    Py_XINCREF(tp->tp_base);
    Py_XINCREF(tp->tp_bases);
    Py_XINCREF(ht->ht_name);
    Py_XINCREF(ht->ht_qualname);
    Py_XINCREF(ht->ht_slots);
    Py_XINCREF(ht->ht_module);
    if (nmembers > 0) {
        memcpy(members_of(ht), tmp->tp_members, (size_t)nmembers * sizeof(PyMemberDef));
        tp->tp_members = members_of(ht);
    }
#if PY_VERSION_HEX >= 0x030B0000
    ht->_ht_tpname = NULL;
    if ((ht->_ht_tpname = copy_string(tmp->tp_name, PyMem_Malloc)) == NULL)
        goto error;
    tp->tp_name = ht->_ht_tpname;
#endif
    if (tmp->tp_doc != NULL && (tp->tp_doc = copy_string(tmp->tp_doc, PyObject_Malloc)) == NULL)
        goto error;
    if (PyType_Ready(tp) < 0)
        goto error;
    const char *dot = strrchr(name, '.');
    if (dot != NULL) {
        PyObject *modname = PyUnicode_FromStringAndSize(name, dot - name);
        if (modname == NULL || PyDict_SetItemString(tp->tp_dict, "__module__", modname) < 0) {
            Py_XDECREF(modname);
            goto error;
        }
        Py_DECREF(modname);
    }
    Py_DECREF(tmp);
    return result;
error:
    Py_DECREF(result);
    Py_DECREF(tmp);
    return NULL;
}
#endif /* !PYPY_VERSION */

#endif /* !HAVE_FROM_METACLASS */

PyObject *_HPyType_CreateFromSpec(PyType_Spec *spec, PyObject *bases, PyTypeObject *meta)
{
#if HAVE_FROM_METACLASS
    return PyType_FromMetaclass(meta, NULL, spec, bases);
#else
#  if defined(PYPY_VERSION)
    /* PyPy's PyType_FromSpecWithBases always makes a `type`, and a type's
       class cannot be changed there (nor in C, nor by __class__) */
    if (meta != NULL && meta != &PyType_Type) {
        PyErr_Format(PyExc_TypeError, "HPyType_SpecParam_Metaclass '%s' for '%s': not supported "
                     "on PyPy yet (its C API can only create types whose metaclass is 'type')",
                     meta->tp_name, spec->name);
        return NULL;
    }
#  endif
    if (meta != NULL && check_metaclass(meta) < 0)
        return NULL;
    PyObject *type = PyType_FromSpecWithBases(spec, bases);
    if (type == NULL || meta == NULL || (PyObject *)meta == (PyObject *)Py_TYPE(type))
        return type;
    if (!PyType_IsSubtype(meta, Py_TYPE(type))) {
        PyErr_Format(PyExc_TypeError, "metaclass conflict: the metaclass '%s' is not a "
                     "subclass of the metaclass '%s' of the bases", meta->tp_name,
                     Py_TYPE(type)->tp_name);
        Py_DECREF(type);
        return NULL;
    }
    if (meta->tp_basicsize == Py_TYPE(type)->tp_basicsize &&
        meta->tp_itemsize == Py_TYPE(type)->tp_itemsize) {
        /* same layout: only the type changes */
        PyTypeObject *old = Py_TYPE(type);
        Py_INCREF(meta);
        Py_SET_TYPE(type, meta);
        Py_DECREF(old);
        return type;
    }
#  if !defined(PYPY_VERSION)
    return rebuild_in_metaclass((PyTypeObject *)type, meta, spec->name);
#  else
    Py_DECREF(type);
    PyErr_Format(PyExc_TypeError, "metaclass '%s' has a C struct of its own: on this Python, "
                 "HPyType_FromSpec can use only metaclasses that add no C fields", meta->tp_name);
    return NULL;
#  endif
#endif
}
