"""Capsules across the HPy / C API boundary, in the ABIs that have the C API
(cpython, hybrid): a PyCapsule_New capsule read through HPy, an HPy capsule
read and changed through the C API, each destructor called exactly once."""
import pytest

from support import compile as hpy_compile

SOURCE = r'''
#include <Python.h>

static int legacy_payload = 123, hpy_payload = 456, some_context = 789;
static int legacy_dtor_calls = 0, hpy_dtor_calls = 0;
static int hpy_dtor_saw = 0;       /* the payload the HPy destructor saw */

static void legacy_dtor(PyObject *capsule)
{
    if (PyCapsule_GetPointer(capsule, "legacy.cap") == &legacy_payload)
        legacy_dtor_calls++;
}

HPyCapsule_DESTRUCTOR(hpy_dtor)
static void hpy_dtor_impl(const char *name, void *pointer, void *context)
{
    hpy_dtor_calls++;
    hpy_dtor_saw = *(int *)pointer + (context != NULL ? *(int *)context : 0);
}

HPyDef_METH(legacy_new, "legacy_new", HPyFunc_NOARGS)
static HPy legacy_new_impl(HPyContext *ctx, HPy self)
{
    PyObject *cap = PyCapsule_New(&legacy_payload, "legacy.cap", legacy_dtor);
    HPy h = HPy_FromPyObject(ctx, cap);
    Py_XDECREF(cap);
    return box_handle(ctx, h);
}

HPyDef_METH(hpy_new, "hpy_new", HPyFunc_NOARGS)
static HPy hpy_new_impl(HPyContext *ctx, HPy self)
{
    return box_handle(ctx, HPyCapsule_New(ctx, &hpy_payload, "hpy.cap", &hpy_dtor));
}

/* (valid, name, *pointer, context is set): read through HPy */
HPyDef_METH(hpy_read, "hpy_read", HPyFunc_VARARGS)
static HPy hpy_read_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    const char *expected = HPyBytes_AsString(ctx, args[1]);
    int valid = HPyCapsule_IsValid(ctx, args[0], expected);
    const char *name = (const char *)HPyCapsule_Get(ctx, args[0], HPyCapsule_key_Name, NULL);
    int *pointer = (int *)HPyCapsule_Get(ctx, args[0], HPyCapsule_key_Pointer, expected);
    void *context = HPyCapsule_GetContext(ctx, args[0]);
    if (pointer == NULL || HPyErr_Occurred(ctx))
        return box_handle(ctx, HPy_NULL);
    return HPy_BuildValue(ctx, "(isiO)", valid, name, *pointer,
                          context != NULL ? ctx->h_True : ctx->h_False);
}

/* the same, through the C API */
HPyDef_METH(legacy_read, "legacy_read", HPyFunc_VARARGS)
static HPy legacy_read_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    PyObject *cap = HPy_AsPyObject(ctx, args[0]);
    const char *expected = HPyBytes_AsString(ctx, args[1]);
    int valid = PyCapsule_IsValid(cap, expected);
    const char *name = PyCapsule_GetName(cap);
    int *pointer = (int *)PyCapsule_GetPointer(cap, expected);
    void *context = PyCapsule_GetContext(cap);
    Py_DECREF(cap);
    if (pointer == NULL || PyErr_Occurred())
        return HPy_NULL;
    return HPy_BuildValue(ctx, "(isiO)", valid, name, *pointer,
                          context != NULL ? ctx->h_True : ctx->h_False);
}

/* set the context through the C API */
HPyDef_METH(legacy_set_context, "legacy_set_context", HPyFunc_O)
static HPy legacy_set_context_impl(HPyContext *ctx, HPy self, HPy arg)
{
    PyObject *cap = HPy_AsPyObject(ctx, arg);
    int r = PyCapsule_SetContext(cap, &some_context);
    Py_DECREF(cap);
    return box_status(ctx, r);
}

/* give a legacy capsule the HPy destructor */
HPyDef_METH(hpy_set_destructor, "hpy_set_destructor", HPyFunc_O)
static HPy hpy_set_destructor_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_status(ctx, HPyCapsule_SetDestructor(ctx, arg, &hpy_dtor));
}

/* (legacy destructor calls, HPy destructor calls, what the HPy one saw) */
HPyDef_METH(calls, "calls", HPyFunc_NOARGS)
static HPy calls_impl(HPyContext *ctx, HPy self)
{
    HPy r = HPy_BuildValue(ctx, "(iii)", legacy_dtor_calls, hpy_dtor_calls, hpy_dtor_saw);
    legacy_dtor_calls = hpy_dtor_calls = hpy_dtor_saw = 0;
    return r;
}
'''


@pytest.fixture(scope='module', params=['cpython', 'hybrid', 'hybrid-debug'])
def mod(request, ctx_prepare, tmp_path_factory):
    abi = request.param
    name = hpy_compile.unique_name('capsule_legacy')
    text = ctx_prepare(SOURCE).replace('@NAME', name)
    name, path = hpy_compile.build(text, abi, tmp_path_factory.mktemp(f'legacy_{abi}'), name=name)
    return hpy_compile.load(name, path, abi)


@pytest.fixture(autouse=True)
def reset_calls(mod):
    mod.calls()


def test_legacy_capsule_reads_through_hpy(mod):
    cap = mod.legacy_new()
    assert mod.hpy_read(cap, b'legacy.cap') == (1, 'legacy.cap', 123, False)
    with pytest.raises(ValueError, match='incorrect name'):
        mod.hpy_read(cap, b'hpy.cap')
    del cap
    assert mod.calls() == (1, 0, 0)


def test_hpy_capsule_reads_through_the_c_api(mod):
    cap = mod.hpy_new()
    assert mod.legacy_read(cap, b'hpy.cap') == (1, 'hpy.cap', 456, False)
    with pytest.raises(ValueError, match='incorrect name'):
        mod.legacy_read(cap, b'legacy.cap')
    del cap
    assert mod.calls() == (0, 1, 456)


def test_context_set_by_the_c_api_is_seen_by_hpy_and_its_destructor(mod):
    cap = mod.hpy_new()
    assert mod.legacy_set_context(cap) is None
    assert mod.hpy_read(cap, b'hpy.cap') == (1, 'hpy.cap', 456, True)
    del cap
    assert mod.calls() == (0, 1, 456 + 789)


def test_hpy_destructor_replaces_a_legacy_one(mod):
    cap = mod.legacy_new()
    assert mod.hpy_set_destructor(cap) is None
    del cap
    assert mod.calls() == (0, 1, 123)
