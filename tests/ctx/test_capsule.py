"""Capsules: HPyCapsule_New/Get/IsValid/Set, the HPyCapsule_Get*/Set* helpers
and destructors declared with HPyCapsule_DESTRUCTOR.

The C side names pointers and names by small integers, so that the tests
see which of its payloads or names a capsule holds: pointer k > 0 is
&payloads[k - 1], 0 is NULL and -1 a pointer that is not one of ours; name
k is NAMES[k] (0 is NULL, 3 the text of NAMES[1] at another address);
destructor k is dtor_of(k) (0 is NULL, 3 and 4 are incomplete ones)."""
import gc
import importlib.util

import pytest

from support import compile as hpy_compile

SOURCE = r'''
#include <stdio.h>

static int payloads[4];
static const char *NAMES[] = { NULL, "mod.first", "mod.second", NULL, "datetime.datetime_CAPI" };
/* the text of NAMES[1] at another address: names are compared by content */
static char first_copy[] = "mod.first";

static void *ptr_of(long k) { return k <= 0 ? NULL : (void *)&payloads[k - 1]; }

static long index_of(void *p)
{
    if (p == NULL)
        return 0;
    for (long k = 0; k < 4; k++)
        if (p == (void *)&payloads[k])
            return k + 1;
    return -1;
}

static const char *name_of(HPyContext *ctx, HPy h)
{
    long k = HPyLong_AsLong(ctx, h);
    if (k < 0 || k > 4)
        return "no such name";
    return k == 3 ? first_copy : NAMES[k];
}

static HPy str_or_none(HPyContext *ctx, const char *s)
{
    return s == NULL ? HPy_Dup(ctx, ctx->h_None) : HPyUnicode_FromString(ctx, s);
}

/* Each destructor call is logged: (which destructor, name, pointer, context). */
#define LOG_SIZE 16
static struct { int which; char name[64]; int has_name; long pointer, context; } dtor_log[LOG_SIZE];
static int n_logged = 0;

static void log_call(int which, const char *name, void *pointer, void *context)
{
    if (n_logged >= LOG_SIZE)
        return;
    dtor_log[n_logged].which = which;
    dtor_log[n_logged].has_name = name != NULL;
    if (name != NULL)
        snprintf(dtor_log[n_logged].name, sizeof(dtor_log[n_logged].name), "%s", name);
    dtor_log[n_logged].pointer = index_of(pointer);
    dtor_log[n_logged].context = index_of(context);
    n_logged++;
}

HPyCapsule_DESTRUCTOR(first_dtor)
static void first_dtor_impl(const char *name, void *pointer, void *context)
{
    log_call(1, name, pointer, context);
}

HPyCapsule_DESTRUCTOR(second_dtor)
static void second_dtor_impl(const char *name, void *pointer, void *context)
{
    log_call(2, name, pointer, context);
}

static HPyCapsule_Destructor empty_dtor = { NULL, NULL };
static HPyCapsule_Destructor no_impl_dtor = { first_dtor_trampoline, NULL };

static HPyCapsule_Destructor *dtor_of(long k)
{
    HPyCapsule_Destructor *dtors[] = { NULL, &first_dtor, &second_dtor, &empty_dtor, &no_impl_dtor };
    return k < 0 || k > 4 ? NULL : dtors[k];
}

/* dtor_log() -> [(which, name, pointer, context), ...] since the last call */
HPyDef_METH(take_dtor_log, "take_dtor_log", HPyFunc_NOARGS)
static HPy take_dtor_log_impl(HPyContext *ctx, HPy self)
{
    HPy list = HPyList_New(ctx, 0);
    for (int i = 0; i < n_logged; i++) {
        HPy name = str_or_none(ctx, dtor_log[i].has_name ? dtor_log[i].name : NULL);
        HPy item = HPy_BuildValue(ctx, "(iOll)", dtor_log[i].which, name,
                                  dtor_log[i].pointer, dtor_log[i].context);
        HPy_Close(ctx, name);
        HPyList_Append(ctx, list, item);
        HPy_Close(ctx, item);
    }
    n_logged = 0;
    return list;
}

/* new(pointer, name, destructor) */
HPyDef_METH(new, "new", HPyFunc_VARARGS)
static HPy new_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyCapsule_New(ctx, ptr_of(HPyLong_AsLong(ctx, args[0])),
                                          name_of(ctx, args[1]),
                                          dtor_of(HPyLong_AsLong(ctx, args[2]))));
}

/* get(capsule, key, name): the pointer or context as an index, the name as str */
HPyDef_METH(get, "get", HPyFunc_VARARGS)
static HPy get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    long key = HPyLong_AsLong(ctx, args[1]);
    void *r = HPyCapsule_Get(ctx, args[0], (_HPyCapsule_key)key, name_of(ctx, args[2]));
    if (HPyErr_Occurred(ctx))
        return r == NULL ? HPy_NULL : wrong_error_value(ctx);
    if (key == HPyCapsule_key_Name)
        return str_or_none(ctx, (const char *)r);
    return HPyLong_FromLong(ctx, index_of(r));
}

/* set(capsule, key, value): value is a pointer index, a name or a destructor */
HPyDef_METH(set, "set", HPyFunc_VARARGS)
static HPy set_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    long key = HPyLong_AsLong(ctx, args[1]);
    long v = HPyLong_AsLong(ctx, args[2]);
    void *value = ptr_of(v);
    if (key == HPyCapsule_key_Name)
        value = (void *)name_of(ctx, args[2]);
    else if (key == HPyCapsule_key_Destructor)
        value = (void *)dtor_of(v);
    return box_status(ctx, HPyCapsule_Set(ctx, args[0], (_HPyCapsule_key)key, value));
}

HPyDef_METH(is_valid, "is_valid", HPyFunc_VARARGS)
static HPy is_valid_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    int r = HPyCapsule_IsValid(ctx, args[0], name_of(ctx, args[1]));
    if (HPyErr_Occurred(ctx))
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "HPyCapsule_IsValid raised");
    return HPyLong_FromLong(ctx, r);
}

/* The helpers, one key each. */
HPyDef_METH(get_pointer, "get_pointer", HPyFunc_VARARGS)
static HPy get_pointer_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    void *r = HPyCapsule_GetPointer(ctx, args[0], name_of(ctx, args[1]));
    return r == NULL ? box_handle(ctx, HPy_NULL) : HPyLong_FromLong(ctx, index_of(r));
}

HPyDef_METH(get_name, "get_name", HPyFunc_O)
static HPy get_name_impl(HPyContext *ctx, HPy self, HPy arg)
{
    const char *r = HPyCapsule_GetName(ctx, arg);
    if (r == NULL && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return str_or_none(ctx, r);
}

HPyDef_METH(get_context, "get_context", HPyFunc_O)
static HPy get_context_impl(HPyContext *ctx, HPy self, HPy arg)
{
    void *r = HPyCapsule_GetContext(ctx, arg);
    if (r == NULL && HPyErr_Occurred(ctx))
        return HPy_NULL;
    return HPyLong_FromLong(ctx, index_of(r));
}

HPyDef_METH(set_pointer, "set_pointer", HPyFunc_VARARGS)
static HPy set_pointer_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPyCapsule_SetPointer(ctx, args[0], ptr_of(HPyLong_AsLong(ctx, args[1]))));
}

HPyDef_METH(set_name, "set_name", HPyFunc_VARARGS)
static HPy set_name_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPyCapsule_SetName(ctx, args[0], name_of(ctx, args[1])));
}

HPyDef_METH(set_context, "set_context", HPyFunc_VARARGS)
static HPy set_context_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPyCapsule_SetContext(ctx, args[0], ptr_of(HPyLong_AsLong(ctx, args[1]))));
}

HPyDef_METH(set_destructor, "set_destructor", HPyFunc_VARARGS)
static HPy set_destructor_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_status(ctx, HPyCapsule_SetDestructor(ctx, args[0], dtor_of(HPyLong_AsLong(ctx, args[1]))));
}

HPyDef_METH(capsule_type, "capsule_type", HPyFunc_NOARGS)
static HPy capsule_type_impl(HPyContext *ctx, HPy self)
{
    return HPy_Dup(ctx, ctx->h_CapsuleType);
}
'''

POINTER, NAME, CONTEXT, DESTRUCTOR = range(4)
NO_NAME, FIRST, SECOND, FIRST_COPY, DATETIME = range(5)
NO_DTOR, FIRST_DTOR, SECOND_DTOR, EMPTY_DTOR, NO_IMPL_DTOR = range(5)


@pytest.fixture
def mod(ctx_module):
    m = ctx_module(SOURCE)
    m.take_dtor_log()
    return m


def test_new_makes_a_pycapsule(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    assert type(cap) is mod.capsule_type()
    assert type(cap).__name__ == 'PyCapsule'
    assert repr(cap).startswith('<capsule object "mod.first" at 0x')
    assert mod.get(cap, POINTER, FIRST) == 1
    assert mod.get(cap, NAME, NO_NAME) == 'mod.first'
    assert mod.get(cap, CONTEXT, NO_NAME) == 0


def test_new_without_a_name(mod):
    cap = mod.new(2, NO_NAME, NO_DTOR)
    assert mod.get(cap, NAME, NO_NAME) is None
    assert mod.get(cap, POINTER, NO_NAME) == 2


def test_new_needs_a_pointer(mod):
    with pytest.raises(ValueError, match='PyCapsule_New called with null pointer'):
        mod.new(0, FIRST, NO_DTOR)


@pytest.mark.parametrize('dtor', [EMPTY_DTOR, NO_IMPL_DTOR])
def test_new_refuses_an_incomplete_destructor(mod, dtor):
    with pytest.raises(ValueError, match='^Invalid HPyCapsule destructor'):
        mod.new(1, FIRST, dtor)


def test_get_pointer_checks_the_name_by_content(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    assert mod.get(cap, POINTER, FIRST_COPY) == 1
    assert mod.get_pointer(cap, FIRST_COPY) == 1
    with pytest.raises(ValueError, match='incorrect name'):
        mod.get(cap, POINTER, SECOND)
    with pytest.raises(ValueError, match='incorrect name'):
        mod.get(cap, POINTER, NO_NAME)
    unnamed = mod.new(1, NO_NAME, NO_DTOR)
    with pytest.raises(ValueError, match='incorrect name'):
        mod.get_pointer(unnamed, FIRST)


@pytest.mark.parametrize('key', [POINTER, NAME, CONTEXT])
def test_get_on_a_non_capsule(mod, key):
    with pytest.raises(ValueError, match='invalid PyCapsule object'):
        mod.get('not a capsule', key, FIRST)


def test_get_destructor_is_refused(mod):
    cap = mod.new(1, FIRST, FIRST_DTOR)
    with pytest.raises(ValueError, match='^Invalid operation: get HPyCapsule_key_Destructor'):
        mod.get(cap, DESTRUCTOR, FIRST)


@pytest.mark.parametrize('key', [-1, 4, 1000])
def test_unknown_key(mod, key):
    cap = mod.new(1, FIRST, NO_DTOR)
    with pytest.raises(ValueError, match=f'Invalid HPyCapsule key: {key}'):
        mod.get(cap, key, FIRST)
    with pytest.raises(ValueError, match=f'Invalid HPyCapsule key: {key}'):
        mod.set(cap, key, 1)
    assert mod.get(cap, POINTER, FIRST) == 1


def test_is_valid(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    assert mod.is_valid(cap, FIRST) == 1
    assert mod.is_valid(cap, FIRST_COPY) == 1
    assert mod.is_valid(cap, SECOND) == 0
    assert mod.is_valid(cap, NO_NAME) == 0
    assert mod.is_valid(mod.new(1, NO_NAME, NO_DTOR), NO_NAME) == 1
    assert mod.is_valid('not a capsule', FIRST) == 0
    assert mod.is_valid(None, NO_NAME) == 0


def test_set_each_key(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    assert mod.set(cap, POINTER, 2) is None
    assert mod.set(cap, CONTEXT, 3) is None
    assert mod.set(cap, NAME, SECOND) is None
    assert mod.get(cap, POINTER, SECOND) == 2
    assert mod.get(cap, CONTEXT, NO_NAME) == 3
    assert mod.get(cap, NAME, NO_NAME) == 'mod.second'
    assert repr(cap).startswith('<capsule object "mod.second"')
    assert mod.set(cap, CONTEXT, 0) is None          # a NULL context is allowed
    assert mod.set(cap, NAME, NO_NAME) is None       # and so is a NULL name
    assert mod.get(cap, CONTEXT, NO_NAME) == 0
    assert mod.get(cap, POINTER, NO_NAME) == 2


def test_set_pointer_refuses_null(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    with pytest.raises(ValueError, match='PyCapsule_SetPointer called with null pointer'):
        mod.set(cap, POINTER, 0)
    with pytest.raises(ValueError, match='null pointer'):
        mod.set_pointer(cap, 0)
    assert mod.get(cap, POINTER, FIRST) == 1


@pytest.mark.parametrize('key, value', [(POINTER, 1), (NAME, FIRST), (CONTEXT, 1),
                                        (DESTRUCTOR, FIRST_DTOR), (DESTRUCTOR, NO_DTOR)])
def test_set_on_a_non_capsule(mod, key, value):
    with pytest.raises(ValueError, match='invalid PyCapsule object'):
        mod.set('not a capsule', key, value)


def test_helpers(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    assert mod.get_pointer(cap, FIRST) == 1
    assert mod.get_name(cap) == 'mod.first'
    assert mod.get_context(cap) == 0
    assert mod.set_pointer(cap, 4) is None
    assert mod.set_context(cap, 2) is None
    assert mod.set_name(cap, SECOND) is None
    assert (mod.get_pointer(cap, SECOND), mod.get_name(cap), mod.get_context(cap)) == (4, 'mod.second', 2)
    for helper in (mod.get_name, mod.get_context):
        with pytest.raises(ValueError, match='invalid PyCapsule object'):
            helper(42)
    with pytest.raises(ValueError, match='invalid PyCapsule object'):
        mod.set_context(42, 1)


def test_destructor_runs_once_with_the_final_fields(mod):
    cap = mod.new(1, FIRST, FIRST_DTOR)
    mod.set(cap, CONTEXT, 3)
    mod.set(cap, POINTER, 2)
    assert mod.take_dtor_log() == []
    del cap
    assert mod.take_dtor_log() == [(1, 'mod.first', 2, 3)]
    gc.collect()
    assert mod.take_dtor_log() == []


def test_destructor_of_an_unnamed_capsule(mod):
    cap = mod.new(4, NO_NAME, SECOND_DTOR)
    del cap
    assert mod.take_dtor_log() == [(2, None, 4, 0)]


def test_set_destructor(mod):
    cap = mod.new(1, FIRST, NO_DTOR)
    assert mod.set(cap, DESTRUCTOR, FIRST_DTOR) is None
    del cap
    assert mod.take_dtor_log() == [(1, 'mod.first', 1, 0)]


def test_replaced_destructor_is_never_called(mod):
    cap = mod.new(1, FIRST, FIRST_DTOR)
    assert mod.set_destructor(cap, SECOND_DTOR) is None
    del cap
    assert mod.take_dtor_log() == [(2, 'mod.first', 1, 0)]


def test_removed_destructor_is_never_called(mod):
    cap = mod.new(1, FIRST, FIRST_DTOR)
    assert mod.set(cap, DESTRUCTOR, NO_DTOR) is None
    del cap
    assert mod.take_dtor_log() == []


@pytest.mark.parametrize('dtor', [EMPTY_DTOR, NO_IMPL_DTOR])
def test_set_refuses_an_incomplete_destructor_and_keeps_the_old_one(mod, dtor):
    cap = mod.new(1, FIRST, FIRST_DTOR)
    with pytest.raises(ValueError, match='^Invalid HPyCapsule destructor'):
        mod.set(cap, DESTRUCTOR, dtor)
    with pytest.raises(ValueError, match='^Invalid HPyCapsule destructor'):
        mod.set_destructor(cap, dtor)
    del cap
    assert mod.take_dtor_log() == [(1, 'mod.first', 1, 0)]


def test_destructor_runs_when_a_container_frees_the_capsule(mod):
    gc.collect()
    mod.take_dtor_log()     # what earlier tests left to the collector (PyPy's runs late)
    holder = [mod.new(1, FIRST, FIRST_DTOR), mod.new(2, SECOND, SECOND_DTOR)]
    holder.append(holder)               # a cycle: only the collector frees it
    del holder
    gc.collect()
    assert sorted(mod.take_dtor_log()) == [(1, 'mod.first', 1, 0), (2, 'mod.second', 2, 0)]


def test_capsule_made_by_the_interpreter(mod):
    """A capsule that C API code made (the datetime module's) reads through HPy."""
    import datetime
    cap = datetime.datetime_CAPI
    assert mod.is_valid(cap, DATETIME) == 1
    assert mod.get(cap, NAME, NO_NAME) == 'datetime.datetime_CAPI'
    assert mod.get(cap, POINTER, DATETIME) == -1      # a pointer, not one of ours
    with pytest.raises(ValueError, match='incorrect name'):
        mod.get(cap, POINTER, FIRST)


@pytest.mark.parametrize('debug', [False, True], ids=['hpy09', 'hpy09-debug'])
def test_our_universal_capsules_run_in_hpy_0_9(ctx_prepare, tmp_path, debug):
    """The same binary in the hpy==0.9.0 runtime: its context functions and
    its trampoline dispatch for the destructor."""
    hpy_universal = pytest.importorskip('hpy.universal', reason='the hpy==0.9.0 peer runtime is not installed')
    name = hpy_compile.unique_name('capsule09')
    name, path = hpy_compile.build(ctx_prepare(SOURCE).replace('@NAME', name), 'universal', tmp_path, name=name)
    spec = importlib.util.spec_from_file_location(name, path)
    m = hpy_universal.load(name, str(path), spec, debug=debug)
    cap = m.new(1, FIRST, FIRST_DTOR)
    assert m.set(cap, CONTEXT, 2) is None
    assert (m.get_pointer(cap, FIRST_COPY), m.get_name(cap), m.get_context(cap)) == (1, 'mod.first', 2)
    assert m.is_valid(cap, SECOND) == 0
    with pytest.raises(ValueError):
        m.get(cap, POINTER, SECOND)
    del cap
    assert m.take_dtor_log() == [(1, 'mod.first', 1, 2)]


CPLUSPLUS = r'''
static int payload = 7;
static int destroyed = 0;

HPyCapsule_DESTRUCTOR(cxx_dtor)
static void cxx_dtor_impl(const char *name, void *pointer, void *context)
{
    destroyed += *static_cast<int *>(pointer) * (context == pointer ? 2 : 1);
}

HPyDef_METH(roundtrip, "roundtrip", HPyFunc_NOARGS)
static HPy roundtrip_impl(HPyContext *ctx, HPy self)
{
    HPy cap = HPyCapsule_New(ctx, &payload, "cxx.cap", &cxx_dtor);
    if (HPy_IsNull(cap))
        return HPy_NULL;
    int *p = static_cast<int *>(HPyCapsule_GetPointer(ctx, cap, "cxx.cap"));
    if (p == NULL || HPyCapsule_SetContext(ctx, cap, p) < 0) {
        HPy_Close(ctx, cap);
        return HPy_NULL;
    }
    HPy_Close(ctx, cap);
    return HPyLong_FromLong(ctx, destroyed);
}
@EXPORT(roundtrip)
@INIT
'''


def test_capsules_in_cplusplus(abi, tmp_path):
    name, path = hpy_compile.build(CPLUSPLUS, abi, tmp_path, cplusplus=True)
    assert hpy_compile.load(name, path, abi).roundtrip() == 14
