"""How a universal module is loaded in debug mode: HPY=debug (all modules or
per module, through the import hook), load(debug=True) or
load(mode=MODE_DEBUG); modules in universal and debug mode side by side."""
import os
import platform
import subprocess
import sys

import pytest

import hpy_build.universal as u
from hpy_build.debug import HPyLeakError, LeakDetector
from support import compile as hpy_compile

from support.debugmode import prepare

SOURCE = r'''
HPyDef_METH(name, "name", HPyFunc_NOARGS)
static HPy name_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, ctx->name);
}

HPyDef_METH(leak, "leak", HPyFunc_O)
static HPy leak_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_Dup(ctx, arg);
    return HPy_Dup(ctx, ctx->h_None);
}
'''

DEBUG = 'HPy Debug Mode ABI'
UNIVERSAL = 'HPy Universal ABI'


def build(tmp_path, name, abi='universal'):
    return hpy_compile.build(prepare(SOURCE), abi, tmp_path, name=name)[1]


@pytest.mark.parametrize('kwargs', [{'debug': True}, {'mode': u.MODE_DEBUG},
                                    {'debug': False, 'mode': u.MODE_DEBUG}])
def test_load_in_debug_mode(tmp_path, kwargs):
    path = build(tmp_path, 'loaded')
    assert u.load('loaded', path, **kwargs).name().startswith(DEBUG)


def test_universal_and_debug_modules_side_by_side(tmp_path):
    plain = u.load('side_u', build(tmp_path, 'side_u'))
    checked = u.load('side_d', build(tmp_path, 'side_d'), debug=True)
    assert plain.name().startswith(UNIVERSAL)
    assert checked.name().startswith(DEBUG)
    with LeakDetector():
        plain.leak('not seen: universal mode does not check')
    with pytest.raises(HPyLeakError) as exc:
        with LeakDetector():
            checked.leak('seen')
            plain.leak('not seen either')
    assert [h.obj for h in exc.value.leaks] == ['seen']
    exc.value.leaks[0]._force_close()


def test_hybrid_module_in_debug_mode(tmp_path):
    path = build(tmp_path, 'hyb', abi='hybrid')
    assert u.load('hyb', path, debug=True).name().startswith(DEBUG)


def _import(tmp_path, hpy, *names):
    env = dict(os.environ, PYTHONPATH=str(tmp_path), HPY=hpy, HPY_LOG='1')
    code = '; '.join(f'import {n}; print({n}.__name__, {n}.name())' for n in names)
    return subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True)


def test_hpy_variable_selects_debug_mode_for_every_module(tmp_path):
    build(tmp_path, 'first')
    build(tmp_path, 'second')
    result = _import(tmp_path, 'debug', 'first', 'second')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ("Loading 'first' in HPy universal mode with a debug context "
                        "(hpy_build's runtime on CPython %s)" % platform.python_version())
    assert lines[1].startswith('first ' + DEBUG)
    assert lines[3].startswith('second ' + DEBUG)


def test_hpy_variable_per_module(tmp_path):
    build(tmp_path, 'first')
    build(tmp_path, 'second')
    result = _import(tmp_path, 'second:debug', 'first', 'second')
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith('first ' + UNIVERSAL)
    assert lines[3].startswith('second ' + DEBUG)


def test_trace_mode_loads(tmp_path):
    assert u.load('traced', build(tmp_path, 'traced'), mode=u.MODE_TRACE).name().startswith(
        'HPy Trace Mode ABI')


LINK = r'''
typedef struct { HPyField next; } LinkObject;
HPyType_HELPERS(LinkObject)

HPyDef_SLOT(Link_new, HPy_tp_new)
static HPy Link_new_impl(HPyContext *ctx, HPy cls, const HPy *args, HPy_ssize_t nargs, HPy kw)
{
    LinkObject *l;
    HPy h = HPy_New(ctx, cls, &l);
    if (!HPy_IsNull(h) && nargs == 1)
        HPyField_Store(ctx, h, &l->next, args[0]);
    return h;
}

HPyDef_SLOT(Link_traverse, HPy_tp_traverse)
static int Link_traverse_impl(void *self, HPyFunc_visitproc visit, void *arg)
{
    HPy_VISIT(&((LinkObject *)self)->next);
    return 0;
}

static HPyDef *Link_defines[] = { &Link_new, &Link_traverse, NULL };
static HPyType_Spec Link_spec = {
    .name = "twice.Link",
    .basicsize = sizeof(LinkObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_HAVE_GC,
    .defines = Link_defines,
};
@EXPORT_TYPE("Link", Link_spec)
'''


def test_one_file_loaded_in_both_modes_keeps_its_first_types_working(child):
    # the second load shares the library (and its trampolines' context) with
    # the first: the types of the first load are still traversed and freed
    result = child(LINK, '''
        import gc, sys
        first = mod.Link(mod.Link())
        lone = mod.Link()
        again = u.load(mod.__name__, mod.__file__, debug=True)
        second = again.Link(again.Link(first))
        gc.collect()
        n = sum(1 for o in gc.get_objects() if type(o) in (mod.Link, again.Link))
        assert len(gc.get_referents(first)) == 1 and len(gc.get_referents(second)) == 1
        del first, lone, second
        gc.collect()
        m = sum(1 for o in gc.get_objects() if type(o) in (mod.Link, again.Link))
        print(n, m)
    ''', mode='debug=False')
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['5', '0']
