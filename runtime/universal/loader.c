/* Loading a universal module: open the binary, check the ABI version it
   requires, hand it the context, and create the module from its
   HPyModuleDef (multi-phase init). Every failure of the loading itself is
   an HPyLoadError (ImportError and RuntimeError) that names the module and
   the file. */
#include "universal/context.h"
#include "ctx/module.h"
#include <dlfcn.h>
#include <string.h>

typedef uint32_t (*VersionGetter)(void);
typedef void (*InitContext)(HPyContext *);
typedef HPyModuleDef *(*InitModule)(void);

static PyObject *load_error_type;

PyObject *hpy_runtime_load_error_type(void)
{
    if (load_error_type == NULL) {
        PyObject *bases = PyTuple_Pack(2, PyExc_ImportError, PyExc_RuntimeError);
        if (bases == NULL)
            return NULL;
        load_error_type = PyErr_NewExceptionWithDoc(
            "hpy_build.universal.HPyLoadError",
            "A universal HPy module cannot be loaded. An ImportError (with the module's name "
            "and path) that is also the RuntimeError HPy 0.9's loader raises.", bases, NULL);
        Py_DECREF(bases);
    }
    return load_error_type;
}

static void import_error(PyObject *name, PyObject *path, const char *fmt, ...)
{
    PyObject *type = hpy_runtime_load_error_type();
    if (type == NULL)
        return;
    va_list vargs;
    va_start(vargs, fmt);
    PyObject *msg = PyUnicode_FromFormatV(fmt, vargs);
    va_end(vargs);
    if (msg == NULL)
        return;
#if defined(PYPY_VERSION)
    /* PyPy's C API has no PyErr_SetImportErrorSubclass: the same exception by hand */
    PyObject *exc = PyObject_CallFunctionObjArgs(type, msg, NULL);
    if (exc != NULL && PyObject_SetAttrString(exc, "name", name) == 0 &&
        PyObject_SetAttrString(exc, "path", path) == 0)
        PyErr_SetObject(type, exc);
    Py_XDECREF(exc);
#else
    PyErr_SetImportErrorSubclass(type, msg, name, path);
#endif
    Py_DECREF(msg);
}

/* How HPy 0.9's messages about a file it cannot load start (%U: the path),
   and the one for a file without the version symbols (then %s twice: the
   module's short name). */
#define LOADING_FAILED "Error during loading of the HPy extension module at path '%U'"
#define NO_VERSION_SYMBOLS LOADING_FAILED ". Cannot locate the required minimal HPy versions " \
    "as symbols 'get_required_hpy_minor_version_%s' and `get_required_hpy_major_version_%s`: "

static void *find_symbol(void *lib, const char *prefix, const char *shortname, char *buf, size_t size)
{
    PyOS_snprintf(buf, size, "%s%s", prefix, shortname);
    return dlsym(lib, buf);
}

/* The ABI major version in the file name: name.hpy<N>.so; the untagged
   name.hpy.so of early HPy releases means 0. -1 if there is none. */
static long tagged_major_version(const char *filename)
{
    const char *base = strrchr(filename, '/');
    const char *tag = strstr(base != NULL ? base : filename, ".hpy");
    if (tag == NULL)
        return -1;
    tag += strlen(".hpy");
    if (*tag == '.')
        return 0;
    if (*tag < '0' || *tag > '9')
        return -1;
    return strtol(tag, NULL, 10);
}

static PyObject *create_module(PyObject *path, PyObject *spec, HPyModuleDef *hpydef,
                               const char *shortname)
{
    PyModuleDef *pydef = _HPyModuleDef_CreatePyModuleDef(hpydef, shortname);
    if (pydef == NULL)
        return NULL;
    PyObject *module = _HPyModule_FromDefAndSpec(pydef, spec);
    if (module == NULL)
        return NULL;
    if (PyModule_Check(module)) {
        if (PyModule_ExecDef(module, pydef) < 0)
            goto error;
        /* loaded by hand rather than by the import system: say where from */
        if (PyObject_SetAttrString(module, "__file__", path) < 0 ||
            (spec != Py_None && PyObject_SetAttrString(module, "__spec__", spec) < 0))
            goto error;
    }
    return module;
error:
    Py_DECREF(module);
    return NULL;
}

PyObject *hpy_runtime_load(PyObject *name, PyObject *path, PyObject *spec, HPyContext *ctx)
{
    /* The symbols are named after the last component of the dotted name. */
    Py_ssize_t len = PyUnicode_GetLength(name);
    Py_ssize_t dot = PyUnicode_FindChar(name, '.', 0, len, -1);
    if (dot == -2)
        return NULL;
    PyObject *short_obj = PyUnicode_Substring(name, dot + 1, len);
    PyObject *path_bytes = PyUnicode_EncodeFSDefault(path);
    PyObject *result = NULL;
    void *lib = NULL;
    char symbol[300];
    if (short_obj == NULL || path_bytes == NULL)
        goto done;
    const char *shortname = PyUnicode_AsUTF8(short_obj);
    const char *filename = PyBytes_AS_STRING(path_bytes);
    if (shortname == NULL)
        goto done;
    if (strlen(shortname) > 200) {
        import_error(name, path, "module name '%U' is too long", name);
        goto done;
    }

    lib = dlopen(filename, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        import_error(name, path, LOADING_FAILED ". Error message from dlopen/WinAPI: %s",
                     path, dlerror());
        goto done;
    }
    VersionGetter major = find_symbol(lib, "get_required_hpy_major_version_", shortname, symbol, sizeof symbol);
    VersionGetter minor = find_symbol(lib, "get_required_hpy_minor_version_", shortname, symbol, sizeof symbol);
    if (major == NULL || minor == NULL) {
        /* HPy 0.9's start, then what the file is */
        if (find_symbol(lib, "PyInit_", shortname, symbol, sizeof symbol) != NULL)
            import_error(name, path, NO_VERSION_SYMBOLS "it is a CPython extension module, not "
                         "an HPy universal module: import it normally", path, shortname, shortname);
        else
            import_error(name, path, NO_VERSION_SYMBOLS "it is not an HPy universal module named "
                         "'%s' (is it built with HPy_MODINIT(%s, ...) for the universal ABI?)",
                         path, shortname, shortname, shortname, shortname);
        goto done;
    }
    /* HPy 0.9's messages, word for word */
    uint32_t need_major = major(), need_minor = minor();
    if (need_major != HPY_ABI_VERSION || need_minor > HPY_ABI_VERSION_MINOR) {
        import_error(name, path, "HPy extension module '%s' requires unsupported version of the "
                     "HPy runtime. Requested version: %u.%u. Current HPy version: %d.%d.",
                     shortname, (unsigned)need_major, (unsigned)need_minor,
                     HPY_ABI_VERSION, HPY_ABI_VERSION_MINOR);
        goto done;
    }
    long tag = tagged_major_version(filename);
    if (tag < 0) {
        import_error(name, path, "HPy extension module '%s' at path '%U': could not find HPy ABI "
                     "tag encoded in the filename. The extension claims to be compiled with HPy "
                     "ABI version: %u.%u.", shortname, path, (unsigned)need_major,
                     (unsigned)need_minor);
        goto done;
    }
    if (tag != (long)need_major) {
        import_error(name, path, "HPy extension module '%s' at path '%U': mismatch between the "
                     "HPy ABI tag encoded in the filename and the major version requested by the "
                     "HPy extension itself. Major version tag parsed from filename: %ld. "
                     "Requested version: %u.%u.", shortname, path, tag, (unsigned)need_major,
                     (unsigned)need_minor);
        goto done;
    }
    InitContext init_ctx = find_symbol(lib, "HPyInitGlobalContext_", shortname, symbol, sizeof symbol);
    InitModule init = init_ctx ? find_symbol(lib, "HPyInit_", shortname, symbol, sizeof symbol) : NULL;
    if (init == NULL) {
        import_error(name, path, LOADING_FAILED " while trying to find symbol '%s'. Did you use "
                     "the HPy_MODINIT macro to register your module? (HPy_MODINIT(%s, ...))",
                     path, symbol, shortname);
        goto done;
    }
    init_ctx(ctx);
    HPyModuleDef *hpydef = init();
    if (hpydef == NULL) {
        import_error(name, path, "HPyInit_%s of '%U' returned NULL", shortname, path);
        goto done;
    }
    /* From here on the module's code runs and may leave objects whose slots,
       destructors or globals point into the library (PyPy frees them at a
       later collection): it stays loaded even if creation fails, as CPython
       keeps every extension module it has initialised. */
    result = create_module(path, spec, hpydef, shortname);
    lib = NULL;
done:
    if (lib != NULL)
        dlclose(lib);
    Py_XDECREF(short_obj);
    Py_XDECREF(path_bytes);
    return result;
}
