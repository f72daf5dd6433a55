"""The universal ABI both ways with the hpy==0.9.0 release: our binaries run
in its runtime, its binaries run in ours; and universal binaries take nothing
from the interpreter."""
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import hpy_build.universal
from support import compile as hpy_compile

ROOT = Path(__file__).resolve().parents[1]
HELLO_C = (ROOT / 'examples' / 'hello' / 'hello.c').read_text()

hpy_universal = pytest.importorskip('hpy.universal', reason='the hpy==0.9.0 peer runtime is not installed')


def build_hello(tmp_path, abi='universal', suffix=None):
    src = HELLO_C.replace('HPy_MODINIT(hello,', 'HPy_MODINIT(@NAME@,')
    name = hpy_compile.unique_name('hello')
    return hpy_compile.build(src.replace('@NAME@', name), abi, tmp_path, name=name, suffix=suffix)


@pytest.mark.parametrize('debug', [False, True], ids=['universal', 'hpy09-debug'])
def test_our_binary_runs_in_hpy_0_9(tmp_path, debug):
    name, path = build_hello(tmp_path)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = hpy_universal.load(name, str(path), spec, debug=debug)
    assert mod.add(30, 40) == 70
    with pytest.raises(TypeError):
        mod.add(1, 'x')


def test_hpy_0_9_refuses_a_module_that_opts_in_to_abi_0_1(tmp_path):
    # HPy_GetIter is past the end of HPy 0.9's context: the module says it
    # needs ABI 0.1, and HPy 0.9 refuses it before running any of its code.
    src = HELLO_C.replace('#include "hpy.h"', '#define HPY_ENABLE_ABI_0_1\n#include "hpy.h"')
    src = src.replace('return HPyLong_FromLong(ctx, a+b);',
                      'return HPy_GetIter(ctx, args[0]);')
    assert 'HPY_ENABLE_ABI_0_1' in src and 'HPy_GetIter' in src
    name = hpy_compile.unique_name('hello')
    name, path = hpy_compile.build(src.replace('HPy_MODINIT(hello,', f'HPy_MODINIT({name},'),
                                   'universal', tmp_path, name=name)
    spec = importlib.util.spec_from_file_location(name, path)
    with pytest.raises(RuntimeError, match=rf"HPy extension module '{name}' requires unsupported "
                                           r"version of the HPy runtime. Requested version: 0\.1\. "
                                           r"Current HPy version: 0\.0\."):
        hpy_universal.load(name, str(path), spec)


@pytest.mark.parametrize('debug', [False, True], ids=['universal', 'debug'])
def test_hpy_0_9_binary_runs_in_ours(tmp_path, debug):
    (tmp_path / 'hello.c').write_text(HELLO_C)
    (tmp_path / 'setup.py').write_text(
        'from setuptools import setup, Extension\n'
        "setup(name='hello', hpy_ext_modules=[Extension('hello', sources=['hello.c'])])\n")
    proc = subprocess.run([sys.executable, 'setup.py', '--hpy-abi=universal', 'build_ext', '--inplace'],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = tmp_path / 'hello.hpy0.so'
    mod = hpy_build.universal.load('hello', str(path), debug=debug)
    from hpy_build.debug import LeakDetector
    with LeakDetector():
        assert mod.add(30, 40) == 70
    assert mod.__file__ == str(path)


LEAKY_C = r'''
#include "hpy.h"

HPyDef_METH(leak, "leak", HPyFunc_O)
static HPy leak_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_Dup(ctx, arg);      /* leaked */
    return HPyUnicode_FromString(ctx, ctx->name);
}

static HPyDef *defines[] = { &leak, NULL };
static HPyModuleDef moduledef = { .doc = "leaks", .size = 0, .defines = defines };
HPy_MODINIT(leaky, moduledef)
'''


def test_hpy_0_9_binary_in_our_debug_mode(tmp_path):
    from hpy_build.debug import HPyLeakError, LeakDetector
    (tmp_path / 'leaky.c').write_text(LEAKY_C)
    (tmp_path / 'setup.py').write_text(
        'from setuptools import setup, Extension\n'
        "setup(name='leaky', hpy_ext_modules=[Extension('leaky', sources=['leaky.c'])])\n")
    proc = subprocess.run([sys.executable, 'setup.py', '--hpy-abi=universal', 'build_ext', '--inplace'],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    mod = hpy_build.universal.load('leaky', str(tmp_path / 'leaky.hpy0.so'), debug=True)
    with pytest.raises(HPyLeakError) as exc:
        with LeakDetector():
            assert mod.leak('caught').startswith('HPy Debug Mode ABI')
    assert [h.obj for h in exc.value.leaks] == ['caught']
    exc.value.leaks[0]._force_close()


def test_universal_binary_takes_no_interpreter_symbol(tmp_path):
    _, path = build_hello(tmp_path)
    undefined = subprocess.run(['nm', '-D', '--undefined-only', str(path)], check=True,
                               capture_output=True, text=True).stdout.split()
    assert undefined, 'nm found no undefined symbol at all: suspicious'
    assert [s for s in undefined if s.startswith(('Py', '_Py'))] == []


def test_universal_binary_exports_only_its_entry_points(tmp_path):
    name, path = build_hello(tmp_path)
    defined = subprocess.run(['nm', '-D', '--defined-only', str(path)], check=True,
                             capture_output=True, text=True).stdout
    symbols = {line.split()[-1] for line in defined.splitlines()}
    assert symbols == {f'get_required_hpy_major_version_{name}', f'get_required_hpy_minor_version_{name}',
                       f'HPyInitGlobalContext_{name}', f'HPyInit_{name}'}


def test_python_h_is_refused_in_a_universal_module(tmp_path):
    with pytest.raises(hpy_compile.CompileError, match='It is forbidden to #include <Python.h> when targeting the HPy Universal ABI'):
        hpy_compile.build('#include <Python.h>\n@INIT\n', 'universal', tmp_path)


def test_interpreter_symbol_fails_the_universal_link(tmp_path):
    src = '''
        extern void *PyLong_FromLong(long);
        HPyDef_METH(f, "f", HPyFunc_NOARGS)
        static HPy f_impl(HPyContext *ctx, HPy self) { return HPy_FromVoidP(PyLong_FromLong(1)); }
        @EXPORT(f)
        @INIT
    '''
    with pytest.raises(hpy_compile.CompileError, match='undefined reference to .PyLong_FromLong'):
        hpy_compile.build(src, 'universal', tmp_path)


def test_legacy_function_is_a_compile_error_in_a_universal_module(tmp_path):
    src = '''
        HPyDef_METH(f, "f", HPyFunc_O)
        static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
        {
            return HPy_FromPyObject(ctx, HPy_AsPyObject(ctx, arg));
        }
        @EXPORT(f)
        @INIT
    '''
    with pytest.raises(hpy_compile.CompileError, match='Cannot use legacy functions'):
        hpy_compile.build(src, 'universal', tmp_path)
