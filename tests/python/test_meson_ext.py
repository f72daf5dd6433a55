"""hpy_extension() in Meson, through hpy_build's entry point (python -m hpy_build.meson).

Needs Meson in the test environment (and ninja plus a C compiler for the
tests that build); skipped otherwise.
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest

from hpy_build import _abi

pytest.importorskip('mesonbuild', reason='Meson is not installed here')
HAVE_NINJA = shutil.which('ninja') or shutil.which('samu')
needs_ninja = pytest.mark.skipif(not HAVE_NINJA, reason='no ninja')

GOOD = '''
#include <hpy.h>
HPyDef_METH(answer, "answer", HPyFunc_NOARGS)
static HPy answer_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 42); }
static HPyDef *defines[] = { &answer, NULL };
static HPyModuleDef moddef = { .defines = defines };
HPy_MODINIT(NAME, moddef)
'''


def meson(tmp_path, *args, check=True):
    # cwd outside the repository: `-m` must import the installed hpy_build.
    proc = subprocess.run([sys.executable, '-m', 'hpy_build.meson', *map(str, args)],
                          cwd=tmp_path, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(proc.stdout + proc.stderr)
    return proc


def project(tmp_path, meson_build, sources=()):
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'meson.build').write_text(textwrap.dedent(meson_build))
    for name, text in dict(sources).items():
        (src / name).write_text(text)
    return src


def setup(tmp_path, meson_build, *args, sources=(), check=True):
    src = project(tmp_path, meson_build, sources)
    return src, meson(tmp_path, 'setup', tmp_path / 'build', src, *args, check=check)


def installed(tmp_path):
    out = meson(tmp_path, 'introspect', tmp_path / 'build', '--installed').stdout
    return {os.path.basename(src): dest for src, dest in json.loads(out).items()}


def test_file_names_and_install_dirs(tmp_path):
    setup(tmp_path, '''
        project('p', 'c')
        hpy_extension('a', 'a.c', install: true)
        hpy_extension('b', 'a.c', abi: 'universal', install: true, subdir: 'pkg')
        hpy_extension('c', 'a.c', abi: 'hybrid', install: true)
    ''', sources={'a.c': ''})
    files = installed(tmp_path)
    ext = sysconfig.get_config_var('EXT_SUFFIX')
    hybrid = _abi.ext_suffix('hybrid')
    assert set(files) == {'a' + ext, 'b.hpy0.so', 'c' + hybrid}
    site = os.path.dirname(files['a' + ext])
    assert files['b.hpy0.so'] == os.path.join(site, 'pkg', 'b.hpy0.so')
    assert files['c' + hybrid] == os.path.join(site, 'c' + hybrid)


def test_default_abi_from_machine_file(tmp_path):
    native = tmp_path / 'native.ini'
    native.write_text("[properties]\nhpy_abi = 'universal'\n")
    _, proc = setup(tmp_path, '''
        project('p', 'c')
        hpy_extension('a', 'a.c', install: true)
        hpy_extension('b', 'a.c', install: true, abi: 'cpython')
    ''', '--native-file', native, sources={'a.c': ''})
    assert 'HPy extension a ABI: universal' in proc.stdout
    files = installed(tmp_path)
    assert set(files) == {'a.hpy0.so', 'b' + sysconfig.get_config_var('EXT_SUFFIX')}


def test_abi_on_the_command_line(tmp_path):
    meson_build = "project('p', 'c')\nhpy_extension('a', 'a.c', install: true)\n"
    _, proc = setup(tmp_path, meson_build, '-Dhpy-abi=universal', sources={'a.c': ''})
    assert 'HPy extension a ABI: universal' in proc.stdout
    assert set(installed(tmp_path)) == {'a.hpy0.so'}
    # changed by setting the directory up again (Meson's own -D spelling works too)
    build = tmp_path / 'build'
    proc = meson(tmp_path, 'setup', '--reconfigure', build, tmp_path / 'src', '-D', 'hpy_abi=hybrid')
    assert 'HPy extension a ABI: hybrid' in proc.stdout
    assert set(installed(tmp_path)) == {'a' + _abi.ext_suffix('hybrid')}


@pytest.mark.parametrize('args, message', [
    (['setup', 'b', '-Dhpy-abi=bogus'],
     "hpy_build: error: unknown hpy-abi 'bogus': expected one of cpython, universal, hybrid"),
    (['configure', 'b', '-Dhpy-abi=universal'],
     'hpy_build: error: -Dhpy-abi is chosen when the build directory is set up: '
     'setup --reconfigure BUILDDIR -Dhpy-abi=universal'),
])
def test_abi_on_the_command_line_errors(tmp_path, args, message):
    proc = meson(tmp_path, *args, check=False)
    assert proc.returncode == 1 and message in proc.stderr
    assert not (tmp_path / 'b').exists()


def test_abi_change_of_a_directory_set_up_without_it(tmp_path):
    setup(tmp_path, "project('p', 'c')\nhpy_extension('a', 'a.c')\n", sources={'a.c': ''})
    proc = meson(tmp_path, 'setup', '--reconfigure', tmp_path / 'build', tmp_path / 'src',
                 '-Dhpy-abi=universal', check=False)
    assert proc.returncode == 1
    assert 'was set up without -Dhpy-abi' in proc.stderr


def test_meson_older_than_supported(tmp_path):
    code = ('import sys, mesonbuild.coredata as c; c.version = "1.2.0"; '
            'from hpy_build.meson import main; sys.exit(main(["setup", "b"]))')
    proc = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 1
    assert 'hpy_build: error: Meson 1.2.0 is older than hpy_build supports (>= 1.4)' in proc.stderr
    assert not (tmp_path / 'b').exists()


def test_version_is_meson_s(tmp_path):
    # meson-python runs `MESON --version` in every hook and checks the answer
    from mesonbuild import coredata
    assert meson(tmp_path, '--version').stdout == coredata.version + '\n'


def test_version_of_a_meson_older_than_supported(tmp_path):
    # --version answers without importing Meson, but not for a Meson too old
    fake = tmp_path / 'fake' / 'mesonbuild'
    fake.mkdir(parents=True)
    (fake / '__init__.py').write_text('')
    (fake / 'coredata.py').write_text("version = '1.2.0'\n")
    (fake / 'mesonmain.py').write_text('')
    code = 'import sys; from hpy_build.meson import main; sys.exit(main(["--version"]))'
    env = dict(os.environ, PYTHONPATH=str(fake.parent))
    proc = subprocess.run([sys.executable, '-c', code], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and proc.stdout == ''
    assert 'hpy_build: error: Meson 1.2.0 is older than hpy_build supports (>= 1.4)' in proc.stderr


@pytest.mark.parametrize('args', [['--help'], ['setup', '--help']])
def test_help_mentions_hpy_extension(tmp_path, args):
    proc = meson(tmp_path, *args)
    assert 'usage: meson' in proc.stdout
    assert 'hpy_extension(name, sources...' in proc.stdout and '-Dhpy-abi=' in proc.stdout


@pytest.mark.parametrize('call, message', [
    ("hpy_extension('m', 'm.c', abi: 'nope')",
     "hpy_extension: unknown abi 'nope': expected one of 'cpython', 'universal', 'hybrid'"),
    ("hpy_extension('m', 'm.c', nope: 1)", 'hpy_extension got unknown keyword arguments "nope"'),
    ("hpy_extension('m', 'm.c', abi: 'universal', limited_api: '3.8')",
     'limited_api does not apply to the universal ABI'),
    ("hpy_extension('m', 'm.c', abi: 'universal',\n"
     "  dependencies: import('python').find_installation().dependency())",
     'a universal module cannot depend on Python'),
    ("hpy_extension('m', 'm.c', abi: 'universal', subdir: 'a', install_dir: '/b')",
     'mutually exclusive'),
    ("hpy_extension('m', 'm.c', abi: 'universal')",
     "hpy_extension needs a C or C++ compiler: add 'c' to the languages of project()"),
])
def test_errors(tmp_path, call, message):
    # No language: Meson skips compiler detection, the check comes first.
    _, proc = setup(tmp_path, "project('p')\n" + call + '\n',
                    sources={'m.c': ''}, check=False)
    assert proc.returncode != 0
    assert message in proc.stdout + proc.stderr


# A Python without its development files: its sysconfig points nowhere, and
# pkg-config knows no Python either.
NO_HEADERS = '''
import sysconfig
_get_paths, _get_config_vars = sysconfig.get_paths, sysconfig.get_config_vars
def get_paths(*args, **kwargs):
    return dict(_get_paths(*args, **kwargs), include='/nonexistent', platinclude='/nonexistent')
def get_config_vars(*args):
    values = dict(_get_config_vars(), INCLUDEPY='/nonexistent', LIBPC='/nonexistent',
                  LIBDIR='/nonexistent', LIBPL='/nonexistent')
    return [values.get(a) for a in args] if args else values
sysconfig.get_paths, sysconfig.get_config_vars = get_paths, get_config_vars
sysconfig.get_config_var = lambda name: get_config_vars().get(name)
'''


@pytest.mark.parametrize('abi', ['cpython', 'hybrid', 'universal'])
def test_abi_this_python_cannot_build(tmp_path, monkeypatch, abi):
    patch = tmp_path / 'patch'
    patch.mkdir()
    (patch / 'sitecustomize.py').write_text(NO_HEADERS)
    python = tmp_path / 'python-without-headers'
    python.write_text(f'#!/bin/sh\nPYTHONPATH={patch} exec {sys.executable} "$@"\n')
    python.chmod(0o755)
    native = tmp_path / 'native.ini'
    native.write_text(f"[binaries]\npython = '{python}'\n")
    monkeypatch.setenv('PKG_CONFIG_LIBDIR', str(tmp_path / 'no-pc-files'))
    _, proc = setup(tmp_path, f"project('p', 'c')\nhpy_extension('m', 'm.c', abi: '{abi}')\n",
                    '--native-file', native, sources={'m.c': ''}, check=False)
    if abi == 'universal':       # needs nothing of Python
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return
    assert proc.returncode != 0
    assert (f"hpy_extension: abi: '{abi}' needs the development files of Python "
            f"{sys.version_info[0]}.{sys.version_info[1]} (Python.h and its library), which Meson "
            f"cannot find for {python}") in proc.stdout
    assert "or use abi: 'universal', which needs neither" in proc.stdout


def test_bad_machine_file_property(tmp_path):
    native = tmp_path / 'native.ini'
    native.write_text("[properties]\nhpy_abi = 'debug'\n")
    _, proc = setup(tmp_path, "project('p')\nhpy_extension('m', 'm.c')\n",
                    '--native-file', native, sources={'m.c': ''}, check=False)
    assert proc.returncode != 0
    assert "hpy_abi property 'debug' in the machine file" in proc.stdout


@needs_ninja
def test_universal_is_universal_by_construction(tmp_path):
    setup(tmp_path, '''
        project('p', 'c')
        hpy_extension('uses_python_h', 'a.c', abi: 'universal')
        hpy_extension('uses_c_api', 'b.c', abi: 'universal')
    ''', sources={
        'a.c': '#include <hpy.h>\n#include <Python.h>\n',
        'b.c': GOOD.replace('NAME', 'uses_c_api') +
               'void *PyLong_FromLong(long);\nvoid *grab(void) { return PyLong_FromLong(1); }\n',
    })
    proc = subprocess.run([HAVE_NINJA, '-k', '0', '-C', tmp_path / 'build'],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert 'forbid_python_h/Python.h' in proc.stdout
    assert "undefined reference to `PyLong_FromLong'" in proc.stdout
    # ...and says what that means
    assert ("hpy_build: 'PyLong_FromLong' belongs to the Python interpreter (its C API): a "
            "universal module cannot use it. Use the HPy API instead, or build this module "
            "with abi: 'hybrid'") in proc.stdout


NUMERIC = GOOD.replace('NAME', 'numeric').replace('#include <hpy.h>', '''
#include <hpy.h>
#include <math.h>
#include <pthread.h>
#include <dlfcn.h>
static void *root(void *arg) { *(double *)arg = sqrt(*(double *)arg); return NULL; }
HPyDef_METH(calc, "calc", HPyFunc_O)
static HPy calc_impl(HPyContext *ctx, HPy self, HPy arg)
{
    double x = HPyFloat_AsDouble(ctx, arg);
    pthread_t thread;
    if (pthread_create(&thread, NULL, root, &x) != 0 || pthread_join(thread, NULL) != 0)
        return HPy_NULL;
    void *process = dlopen(NULL, RTLD_LAZY);
    if (process == NULL)
        return HPy_NULL;
    dlclose(process);
    return HPyFloat_FromDouble(ctx, pow(x, 3.0) + floor(0.5));
}
''').replace('&answer, NULL', '&answer, &calc, NULL')

CXX = GOOD.replace('NAME', 'cxx').replace('#include <hpy.h>', '''
#include <hpy.h>
#include <stdexcept>
#include <string>
#include <vector>
HPyDef_METH(join, "join", HPyFunc_NOARGS)
static HPy join_impl(HPyContext *ctx, HPy self)
{
    std::vector<std::string> parts{"a", "b"};
    std::string joined;
    try {
        for (const auto &p : parts)
            joined += p;
        throw std::runtime_error(joined);
    } catch (const std::exception &e) {
        return HPyUnicode_FromString(ctx, e.what());
    }
}
''').replace('&answer, NULL', '&answer, &join, NULL')


@needs_ninja
def test_universal_links_the_c_runtime_not_the_interpreter(tmp_path):
    # libm, threads, dlopen: what a C module used to get from the interpreter;
    # and C++'s runtime.
    setup(tmp_path, '''
        project('p', 'c', 'cpp')
        hpy_extension('numeric', 'numeric.c', abi: 'universal')
        hpy_extension('cxx', 'cxx.cpp', abi: 'universal')
    ''', sources={'numeric.c': NUMERIC, 'cxx.cpp': CXX})
    build = tmp_path / 'build'
    meson(tmp_path, 'compile', '-C', build)
    import hpy_build.universal
    numeric = hpy_build.universal.load('numeric', str(build / 'numeric.hpy0.so'))
    assert numeric.calc(4.0) == 8.0
    cxx = hpy_build.universal.load('cxx', str(build / 'cxx.hpy0.so'))
    assert cxx.join() == 'ab'


@needs_ninja
def test_build_load_and_regenerate(tmp_path):
    src, _ = setup(tmp_path, '''
        project('p', 'c')
        hpy_extension('good_u', 'good_u.c', abi: 'universal')
        hpy_extension('good_c', 'good_c.c')
    ''', sources={'good_u.c': GOOD.replace('NAME', 'good_u'),
                  'good_c.c': GOOD.replace('NAME', 'good_c')})
    build = tmp_path / 'build'
    meson(tmp_path, 'compile', '-C', build)

    import hpy_build.universal
    mod = hpy_build.universal.load('good_u', str(build / 'good_u.hpy0.so'))
    assert mod.answer() == 42
    path = build / ('good_c' + sysconfig.get_config_var('EXT_SUFFIX'))
    spec = importlib.util.spec_from_file_location('good_c', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.answer() == 42

    # Meson re-runs itself through the entry point when meson.build changes.
    assert 'hpy_meson.py' in (build / 'build.ninja').read_text()
    with open(src / 'meson.build', 'a') as f:
        f.write("hpy_extension('good_h', 'good_u.c', abi: 'hybrid')\n")
    proc = subprocess.run([HAVE_NINJA, '-C', build], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (build / ('good_h' + _abi.ext_suffix('hybrid'))).exists()
