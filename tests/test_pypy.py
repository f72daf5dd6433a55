"""hpy_build on PyPy: installed there with pip (its runtime compiled against
PyPy's C API emulation), universal wheels built once on this CPython
installed unchanged in a PyPy virtual environment, and the universal tests
of tests/ctx and tests/types run there (tests/support/pypy.py lists what is
skipped or expected to fail on PyPy, and why), while the rest of the suite
runs (tests/support/pypy_env.py). Skipped where there is no pypy3 (set
HPY_TEST_PYPY to another PyPy executable)."""
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from support import pypy_env as pypy_env_support
from support.interpreters import run

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = pypy_env_support.WHEELHOUSE

pytestmark = pytest.mark.skipif(pypy_env_support.missing() is not None,
                                reason=str(pypy_env_support.missing()))


@pytest.fixture(scope='module')
def pypy_prepared(tmp_path_factory):
    """(python, wheels, the suite's run there): support/pypy_env.py."""
    return pypy_env_support.prepared(tmp_path_factory)


@pytest.fixture(scope='module')
def pypy_env(pypy_prepared):
    """The PyPy venv's python and the directory of its hpy_build wheel."""
    return pypy_prepared[:2]


def cpython_universal_wheel(project, out):
    """The project's universal wheel, built by this CPython."""
    run(sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--find-links', WHEELHOUSE,
        '--wheel-dir', out, '-Chpy-abi=universal', ROOT / 'examples' / project)
    return next(Path(out).glob(f'{project}-*.whl'))


def test_hpy_build_installs_on_pypy(pypy_env):
    python, wheels = pypy_env
    wheel = next(wheels.glob('hpy_build-*.whl')).name
    assert '-pp39-' in wheel or '-pypy' in wheel, wheel
    out = run(python, '-c', 'import hpy_build.universal as u, hpy_build._runtime as r, '
              'hpy_build._abi as a; print(u.get_version()[1], u.get_abi_version(), '
              'a.default_abi(), r.__file__)').stdout.split()
    assert out[:3] == ['0.9.0', '(0,', '1)'] and out[3] == 'universal'
    # only the init symbol is exported: PyPy's own HPy exports names like HPyInit__debug
    symbols = run('nm', '-D', '--defined-only', out[4]).stdout.split('\n')
    assert [line.split()[-1] for line in symbols if line.strip()] == ['PyInit__runtime']


def test_building_on_pypy_defaults_to_universal(pypy_env, tmp_path):
    python, wheels = pypy_env
    src = tmp_path / 'hello'
    shutil.copytree(ROOT / 'examples' / 'hello', src)
    run(python, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--find-links', wheels,
        '--wheel-dir', tmp_path / 'out', src)
    wheel = next((tmp_path / 'out').glob('hello-*.whl'))
    assert wheel.name.endswith('-py3-none-linux_x86_64.whl'), wheel.name
    assert 'hello.hpy0.so' in zipfile.ZipFile(wheel).namelist()


@pytest.fixture(scope='module')
def cpython_wheels(tmp_path_factory):
    out = tmp_path_factory.mktemp('cpython-wheels')
    return {p: cpython_universal_wheel(p, out) for p in ('hello', 'vectors')}


def test_cpython_universal_wheels_run_on_pypy(pypy_env, cpython_wheels):
    python, wheels = pypy_env
    for wheel in cpython_wheels.values():
        assert wheel.name.endswith('-py3-none-linux_x86_64.whl'), wheel.name
    run(python, '-m', 'pip', 'install', '--quiet', '--find-links', wheels, '--force-reinstall',
        '--no-deps', *cpython_wheels.values())
    env = dict(os.environ, HPY_LOG='1')
    out = run(python, '-c', 'import hello; print(hello.add(30, 40)); print(hello.__file__)',
              env=env).stdout.splitlines()
    assert out[0] == ("Loading 'hello' in HPy universal mode (hpy_build's runtime on PyPy %s)"
                      % run(python, '-c', 'import sys; print("%d.%d.%d" % sys.pypy_version_info[:3])'
                            ).stdout.strip())
    assert out[1] == '70' and out[2].endswith('site-packages/hello.hpy0.so')
    demo = run(python, ROOT / 'examples' / 'vectors' / 'demo.py').stdout
    assert 'abs(v) = 5.0' in demo and "tree keys: ['brown', 'dog', 'fox'" in demo
    # PyPy 7.3 never collects a cycle through C objects (pypy/pypy#3848); the demo says so
    assert 'garbage collected: False' in demo
    checks = ('import sys; sys.path.insert(0, sys.argv[1]); import vectors; '
              'from support.vectors_checks import check_vector, check_tree_without_cycles; '
              'check_vector(vectors); check_tree_without_cycles(vectors); print("ok")')
    assert run(python, '-c', checks, ROOT / 'tests').stdout == 'ok\n'


def test_package_universal_modules_run_on_pypy(pypy_env, tmp_path):
    """examples/package built universal on CPython: its universal modules load
    on PyPy (its hybrid one is tied to CPython, so the wheel carries CPython's
    tag: the modules are loaded from the unpacked wheel)."""
    python, _ = pypy_env
    run(sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--find-links', WHEELHOUSE,
        '--wheel-dir', tmp_path, '-Chpy-abi=universal', ROOT / 'examples' / 'package')
    wheel = next(tmp_path.glob('hpyexample-*.whl'))
    zipfile.ZipFile(wheel).extractall(tmp_path / 'unpacked')
    code = ('import sys, zlib; from hpy_build.universal import load; d = sys.argv[1]; '
            'v, t, z = (load("hpyexample." + n, d + "/hpyexample/" + n + ".hpy0.so") '
            'for n in ("_vector", "_text", "_zip")); '
            'print(v.norm(3.0, 4.0), t.count_words("one two  three"), '
            'z.crc32(b"hpy") == zlib.crc32(b"hpy"))')
    out = run(python, '-c', code, tmp_path / 'unpacked').stdout.split()
    assert out == ['5.0', '3', 'True']


def test_universal_suite_runs_on_pypy(pypy_prepared):
    """tests/ctx and tests/types on PyPy, universal and debug mode."""
    proc = pypy_prepared[2]
    summary = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    print('PyPy:', summary)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]
    assert re.search(r'\b\d+ passed', summary) and not re.search(r'\b\d+ (failed|error)', summary)
