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
    if (!PyType_IsSubtype(tp, &PyTuple_Type) || tp->tp_dictoffset != 0 ||
            tp->tp_basicsize != PyTuple_Type.tp_basicsize || tp->tp_itemsize != PyTuple_Type.tp_itemsize)
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

/* namedtuple() wants identifiers for the class and its fields: the class is
   renamed afterwards, fields that are not identifiers are renamed _<index>
   (rename=True, as HPy 0.9 does) and unnamed ones lose their attribute. */
static const char NEW_TYPE_SOURCE[] =
    "def new_type(name, doc, fields):\n"
    "    from collections import namedtuple\n"
    "    module, dot, qualname = name.rpartition('.')\n"
    "    cls = namedtuple('structseq', ['_' if n is None else n for n, d in fields],\n"
    "                     rename=True, module=module if dot else 'builtins')\n"
    "    cls.__name__ = cls.__qualname__ = qualname\n"
    "    cls.__doc__ = doc\n"
    "    named = []\n"
    "    for attr, (n, d) in zip(cls._fields, fields):\n"
    "        if n is None:\n"
    "            delattr(cls, attr)\n"
    "        else:\n"
    "            cls.__dict__[attr].__doc__ = d\n"
    "            named.append(attr)\n"
    "    cls.__match_args__ = tuple(named)\n"
    "    cls.n_fields = cls.n_sequence_fields = len(fields)\n"
    "    cls.n_unnamed_fields = len(fields) - len(named)\n"
    "    return cls\n";

static HPy str_or_none(HPyContext *ctx, const char *s)
{
    return s == NULL ? HPy_Dup(ctx, ctx->h_None) : HPyUnicode_FromString(ctx, s);
}

/* ((name or None, doc or None), ...) */
static HPy fields_tuple(HPyContext *ctx, const HPyStructSequence_Field *fields, HPy_ssize_t n)
{
    HPyTupleBuilder builder = HPyTupleBuilder_New(ctx, n);
    for (HPy_ssize_t i = 0; i < n; i++) {
        HPy name = str_or_none(ctx, is_unnamed(fields[i].name) ? NULL : fields[i].name);
        HPy doc = HPy_IsNull(name) ? HPy_NULL : str_or_none(ctx, fields[i].doc);
        HPy pair = HPy_IsNull(doc) ? HPy_NULL : HPyTuple_Pack(ctx, 2, name, doc);
        HPy_Close(ctx, name);
        HPy_Close(ctx, doc);
        if (HPy_IsNull(pair)) {
            HPyTupleBuilder_Cancel(ctx, builder);
            return HPy_NULL;
        }
        HPyTupleBuilder_Set(ctx, builder, i, pair);
        HPy_Close(ctx, pair);
    }
    return HPyTupleBuilder_Build(ctx, builder);
}

/* NEW_TYPE_SOURCE's function, run once per new type (module init time). */
static HPy new_type_function(HPyContext *ctx)
{
    HPy result = HPy_NULL, globals = HPyDict_New(ctx);
    if (HPy_IsNull(globals))
        return HPy_NULL;
    if (HPy_SetItem_s(ctx, globals, "__builtins__", ctx->h_Builtins) == 0) {
        HPy code = HPy_Compile_s(ctx, NEW_TYPE_SOURCE, "<hpy struct sequence>", HPy_SourceKind_File);
        if (!HPy_IsNull(code)) {
            HPy none = HPy_EvalCode(ctx, code, globals, globals);
            HPy_Close(ctx, code);
            if (!HPy_IsNull(none)) {
                HPy_Close(ctx, none);
                result = HPy_GetItem_s(ctx, globals, "new_type");
            }
        }
    }
    HPy_Close(ctx, globals);
    return result;
}

HPyAPI_HELPER HPy
HPyStructSequence_NewType(HPyContext *ctx, HPyStructSequence_Desc *desc)
{
    HPy_ssize_t n = count_fields(ctx, desc);
    if (n < 0)
        return HPy_NULL;
    HPy args[3] = { HPy_NULL, HPy_NULL, HPy_NULL }, result = HPy_NULL;
    HPy function = new_type_function(ctx);
    if (HPy_IsNull(function))
        return HPy_NULL;
    args[0] = HPyUnicode_FromString(ctx, desc->name);
    if (!HPy_IsNull(args[0]))
        args[1] = str_or_none(ctx, desc->doc);
    if (!HPy_IsNull(args[1]))
        args[2] = fields_tuple(ctx, desc->fields, n);
    if (!HPy_IsNull(args[2]))
        result = HPy_Call(ctx, function, args, 3, HPy_NULL);
    for (int i = 0; i < 3; i++)
        HPy_Close(ctx, args[i]);
    HPy_Close(ctx, function);
    return result;
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
