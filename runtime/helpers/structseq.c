/* HPyStructSequence_NewType and HPyStructSequence_New: C API struct
   sequences in the CPython ABI, collections.namedtuple classes built through
   the HPy API in the universal ABI. */

#include "hpy.h"   /* first: in the CPython ABI it includes Python.h */
#include <string.h>

HPyAPI_HELPER const char *const HPyStructSequence_UnnamedField = "_";

static int is_unnamed(const char *name)
{
    return name == HPyStructSequence_UnnamedField || strcmp(name, HPyStructSequence_UnnamedField) == 0;
}

/* The number of fields, or -1 with a SystemError for a bad descriptor. */
static HPy_ssize_t count_fields(HPyContext *ctx, const HPyStructSequence_Desc *desc)
{
    HPy_ssize_t n = 0;
    if (desc == NULL || desc->name == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
                         "Struct sequence descriptor does not define the name field.");
        return -1;
    }
    if (desc->fields == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError,
                         "Struct sequence descriptor does not define the fields array.");
        return -1;
    }
    while (desc->fields[n].name != NULL)
        n++;
    return n;
}

/* HPyStructSequence_New's C arguments: bad pointers are caught before use. */
static int check_args(HPyContext *ctx, HPy type, HPy_ssize_t nargs, const HPy *args)
{
    if (HPy_IsNull(type)) {
        HPyErr_SetString(ctx, ctx->h_SystemError, "HPyStructSequence_New: type is HPy_NULL");
        return -1;
    }
    if (nargs > 0 && args == NULL) {
        HPyErr_SetString(ctx, ctx->h_SystemError, "HPyStructSequence_New: args is NULL");
        return -1;
    }
    for (HPy_ssize_t i = 0; i < nargs; i++) {
        if (HPy_IsNull(args[i])) {
            HPyErr_Format(ctx, ctx->h_SystemError, "HPyStructSequence_New: args[%zd] is HPy_NULL", i);
            return -1;
        }
    }
    return 0;
}

static HPy wrong_count(HPyContext *ctx, HPy_ssize_t n_fields, HPy_ssize_t nargs)
{
    return HPyErr_Format(ctx, ctx->h_TypeError, "expected exactly %zd arguments but got %zd",
                         n_fields, nargs);
}

#ifdef HPY_ABI_CPYTHON

HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc)
{
    HPy_ssize_t n = count_fields(ctx, desc);
    if (n < 0)
        return HPy_NULL;
    if (n > INT_MAX)
        return HPyErr_SetString(ctx, ctx->h_SystemError, "Struct sequence descriptor has too many fields.");
    /* The C API knows an unnamed field by its own marker's address. */
    PyStructSequence_Field *fields = PyMem_New(PyStructSequence_Field, (size_t)n + 1);
    if (fields == NULL)
        return HPyErr_NoMemory(ctx);
    for (HPy_ssize_t i = 0; i < n; i++) {
        const char *name = desc->fields[i].name;
        fields[i].name = is_unnamed(name) ? PyStructSequence_UnnamedField : name;
        fields[i].doc = desc->fields[i].doc;
    }
    fields[n].name = NULL;
    fields[n].doc = NULL;
    PyStructSequence_Desc d = { desc->name, desc->doc, fields, (int)n };
    /* The new type keeps the name and doc strings, not the array. */
    PyObject *type = (PyObject *)PyStructSequence_NewType(&d);
    PyMem_Free(fields);
    /* Without "module." the C API warns and leaves no __module__ at all;
       give it the one the universal ABI gives. */
    if (type != NULL && strchr(desc->name, '.') == NULL) {
        PyObject *builtins = PyUnicode_FromString("builtins");
        if (builtins == NULL || PyObject_SetAttrString(type, "__module__", builtins) < 0)
            Py_CLEAR(type);
        Py_XDECREF(builtins);
    }
    return _py2h(type);
}

/* n_fields from the type's own dict (as PyStructSequence_New reads it), or
   -1 if the type does not have a struct sequence's layout and attributes. */
static Py_ssize_t own_n_fields(PyTypeObject *tp)
{
    /* (since 3.13 the basicsize of a struct sequence type also counts its
       fields that are not in the sequence) */
    if (!PyType_IsSubtype(tp, &PyTuple_Type) || tp->tp_dictoffset != 0 ||
            tp->tp_basicsize < PyTuple_Type.tp_basicsize || tp->tp_itemsize != PyTuple_Type.tp_itemsize)
        return -1;
#if PY_VERSION_HEX >= 0x030C0000
    PyObject *dict = PyType_GetDict(tp);
#else
    PyObject *dict = Py_XNewRef(tp->tp_dict);
#endif
    if (dict == NULL)
        return -1;
    PyObject *v = PyDict_GetItemString(dict, "n_fields");
    Py_ssize_t n = v != NULL && PyLong_Check(v) ? PyLong_AsSsize_t(v) : -1;
    Py_DECREF(dict);
    return n;
}

/* Replaces whatever went wrong with HPy 0.9's TypeError. */
static HPy not_a_struct_sequence_type(PyTypeObject *tp)
{
    PyErr_Clear();
    PyErr_Format(PyExc_TypeError, "type '%s' does not look like a struct sequence type", tp->tp_name);
    return HPy_NULL;
}

HPyAPI_HELPER HPy
HPyStructSequence_New(HPyContext *ctx, HPy type, HPy_ssize_t nargs, HPy *args)
{
    if (check_args(ctx, type, nargs, args) < 0)
        return HPy_NULL;
    PyObject *t = _h2py(type);
    if (!PyType_Check(t))
        return HPyErr_Format(ctx, ctx->h_TypeError,
                             "object '%R' does not look like a struct sequence type", type);
    PyTypeObject *tp = (PyTypeObject *)t;
    Py_ssize_t n_fields = own_n_fields(tp);
    if (n_fields < 0)
        return not_a_struct_sequence_type(tp);
    if (nargs != n_fields)
        return wrong_count(ctx, n_fields, nargs);
    PyObject *seq = PyStructSequence_New(tp);
    if (seq == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_MemoryError))
            return not_a_struct_sequence_type(tp);
        return HPy_NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++)
        PyStructSequence_SetItem(seq, i, Py_NewRef(_h2py(args[i])));
    return _py2h(seq);
}

#else /* the universal ABI: written on the HPy API only */

/* A struct sequence type is a collections.namedtuple class, renamed and
   given the class attributes of a C API struct sequence. */

static HPy str_or_none(HPyContext *ctx, const char *s)
{
    return s == NULL ? HPy_Dup(ctx, ctx->h_None) : HPyUnicode_FromString(ctx, s);
}

/* obj.name = value, closing value; -1 if value is HPy_NULL or setattr fails. */
static int set_new_attr(HPyContext *ctx, HPy obj, const char *name, HPy value)
{
    if (HPy_IsNull(value))
        return -1;
    int r = HPy_SetAttr_s(ctx, obj, name, value);
    HPy_Close(ctx, value);
    return r;
}

/* namedtuple("structseq", names, rename=True, module=module): namedtuple
   wants identifiers, so the class is renamed afterwards and fields that are
   not identifiers become _<index> (as in HPy 0.9); unnamed fields are
   passed as "_" for that. */
static HPy new_namedtuple(HPyContext *ctx, const HPyStructSequence_Field *fields,
                          HPy_ssize_t n, HPy module)
{
    HPyTupleBuilder builder = HPyTupleBuilder_New(ctx, n);
    for (HPy_ssize_t i = 0; i < n; i++) {
        const char *name = fields[i].name;
        HPy h_name = HPyUnicode_FromString(ctx, is_unnamed(name) ? "_" : name);
        if (HPy_IsNull(h_name)) {
            HPyTupleBuilder_Cancel(ctx, builder);
            return HPy_NULL;
        }
        HPyTupleBuilder_Set(ctx, builder, i, h_name);
        HPy_Close(ctx, h_name);
    }
    HPy names = HPyTupleBuilder_Build(ctx, builder);
    if (HPy_IsNull(names))
        return HPy_NULL;
    /* each step only if the ones before it succeeded */
    HPy result = HPy_NULL, kw = HPy_NULL, collections = HPy_NULL, namedtuple = HPy_NULL;
    HPy args = HPy_BuildValue(ctx, "(sO)", "structseq", names);
    if (!HPy_IsNull(args))
        kw = HPy_BuildValue(ctx, "{s:O,s:O}", "rename", ctx->h_True, "module", module);
    if (!HPy_IsNull(kw))
        collections = HPyImport_ImportModule(ctx, "collections");
    if (!HPy_IsNull(collections))
        namedtuple = HPy_GetAttr_s(ctx, collections, "namedtuple");
    if (!HPy_IsNull(namedtuple))
        result = HPy_CallTupleDict(ctx, namedtuple, args, kw);
    HPy_Close(ctx, namedtuple);
    HPy_Close(ctx, collections);
    HPy_Close(ctx, kw);
    HPy_Close(ctx, args);
    HPy_Close(ctx, names);
    return result;
}

/* Field docs on the field attributes; unnamed fields lose their attribute,
   so only the index reaches them. Returns __match_args__: the named ones. */
static HPy fix_fields(HPyContext *ctx, HPy cls, const HPyStructSequence_Field *fields,
                      HPy_ssize_t n, HPy_ssize_t n_named)
{
    HPy attrs = HPy_GetAttr_s(ctx, cls, "_fields");
    if (HPy_IsNull(attrs))
        return HPy_NULL;
    HPyTupleBuilder named = HPyTupleBuilder_New(ctx, n_named);
    HPy_ssize_t j = 0;
    int ok = 1;
    for (HPy_ssize_t i = 0; ok && i < n; i++) {
        HPy attr = HPy_GetItem_i(ctx, attrs, i);
        if (HPy_IsNull(attr)) {
            ok = 0;
            break;
        }
        if (is_unnamed(fields[i].name)) {
            ok = HPy_DelAttr(ctx, cls, attr) == 0;
        } else {
            HPy getter = HPy_GetAttr(ctx, cls, attr);      /* the descriptor itself */
            ok = !HPy_IsNull(getter) &&
                 set_new_attr(ctx, getter, "__doc__", str_or_none(ctx, fields[i].doc)) == 0;
            HPy_Close(ctx, getter);
            if (ok)
                HPyTupleBuilder_Set(ctx, named, j++, attr);
        }
        HPy_Close(ctx, attr);
    }
    HPy_Close(ctx, attrs);
    if (!ok) {
        HPyTupleBuilder_Cancel(ctx, named);
        return HPy_NULL;
    }
    return HPyTupleBuilder_Build(ctx, named);
}

/* The number of code points in the first `nbytes` bytes of UTF-8 text. */
static HPy_ssize_t utf8_length(const char *s, size_t nbytes)
{
    HPy_ssize_t n = 0;
    for (size_t i = 0; i < nbytes; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* "pkg.mod.Name" -> "pkg.mod"; no dot -> "builtins", as the C API's types. */
static HPy module_name(HPyContext *ctx, const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot == NULL)
        return HPyUnicode_FromString(ctx, "builtins");
    HPy full = HPyUnicode_FromString(ctx, name);
    if (HPy_IsNull(full))
        return HPy_NULL;
    HPy module = HPyUnicode_Substring(ctx, full, 0, utf8_length(name, (size_t)(dot - name)));
    HPy_Close(ctx, full);
    return module;
}

HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc)
{
    HPy_ssize_t n = count_fields(ctx, desc), n_named = 0;
    if (n < 0)
        return HPy_NULL;
    for (HPy_ssize_t i = 0; i < n; i++)
        n_named += !is_unnamed(desc->fields[i].name);
    HPy module = module_name(ctx, desc->name);
    if (HPy_IsNull(module))
        return HPy_NULL;
    HPy cls = new_namedtuple(ctx, desc->fields, n, module);
    HPy_Close(ctx, module);
    if (HPy_IsNull(cls))
        return HPy_NULL;
    const char *dot = strrchr(desc->name, '.');
    const char *qualname = dot != NULL ? dot + 1 : desc->name;
    if (set_new_attr(ctx, cls, "__name__", HPyUnicode_FromString(ctx, qualname)) < 0 ||
            set_new_attr(ctx, cls, "__qualname__", HPyUnicode_FromString(ctx, qualname)) < 0 ||
            set_new_attr(ctx, cls, "__doc__", str_or_none(ctx, desc->doc)) < 0 ||
            set_new_attr(ctx, cls, "__match_args__", fix_fields(ctx, cls, desc->fields, n, n_named)) < 0 ||
            set_new_attr(ctx, cls, "n_fields", HPyLong_FromSsize_t(ctx, n)) < 0 ||
            set_new_attr(ctx, cls, "n_sequence_fields", HPyLong_FromSsize_t(ctx, n)) < 0 ||
            set_new_attr(ctx, cls, "n_unnamed_fields", HPyLong_FromSsize_t(ctx, n - n_named)) < 0) {
        HPy_Close(ctx, cls);
        return HPy_NULL;
    }
    return cls;
}

/* The type's n_fields, or -1 (no exception) if it is not a struct sequence type. */
static HPy_ssize_t n_fields_of(HPyContext *ctx, HPy type)
{
    if (!HPy_TypeCheck(ctx, type, ctx->h_TypeType) || !HPyType_IsSubtype(ctx, type, ctx->h_TupleType))
        return -1;
    HPy v = HPy_GetAttr_s(ctx, type, "n_fields");
    if (HPy_IsNull(v)) {
        HPyErr_Clear(ctx);
        return -1;
    }
    HPy_ssize_t n = HPyLong_AsSsize_t(ctx, v);
    HPy_Close(ctx, v);
    if (n < 0)
        HPyErr_Clear(ctx);
    return n;
}

HPyAPI_HELPER HPy
HPyStructSequence_New(HPyContext *ctx, HPy type, HPy_ssize_t nargs, HPy *args)
{
    if (check_args(ctx, type, nargs, args) < 0)
        return HPy_NULL;
    HPy_ssize_t n_fields = n_fields_of(ctx, type);
    if (n_fields < 0)
        return HPyErr_Format(ctx, ctx->h_TypeError,
                             "object '%R' does not look like a struct sequence type", type);
    if (nargs != n_fields)
        return wrong_count(ctx, n_fields, nargs);
    /* Our namedtuple classes take the items as arguments; the interpreter's
       own struct sequence types (e.g. os.stat_result) take one sequence. */
    int is_namedtuple = HPy_HasAttr_s(ctx, type, "_fields");
    if (!is_namedtuple) {
        HPy items = HPyTuple_FromArray(ctx, args, nargs);
        if (HPy_IsNull(items))
            return HPy_NULL;
        HPy result = HPy_Call(ctx, type, &items, 1, HPy_NULL);
        HPy_Close(ctx, items);
        return result;
    }
    return HPy_Call(ctx, type, args, (size_t)nargs, HPy_NULL);
}

#endif
