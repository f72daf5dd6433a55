"""The backend end to end, as a user runs it: `pip wheel` / `pip install` /
`pip install -e` of the projects in examples/, in fresh virtual environments.
The hpy_build wheel comes from dist/ (test.sh builds it)."""
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WHEELHOUSE = Path(os.environ.get('HPY_BUILD_WHEELHOUSE', ROOT / 'dist'))
HPY_BUILD_WHEELS = sorted(WHEELHOUSE.glob('hpy_build-*.whl'))

pytestmark = pytest.mark.skipif(not HPY_BUILD_WHEELS, reason=f'no hpy_build wheel in {WHEELHOUSE} (test.sh builds it)')


def run(*cmd, cwd=None, check=True):
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f'{" ".join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}')
    return proc


def pip(python, *args, **kwargs):
    return run(python, '-m', 'pip', '--disable-pip-version-check', *args, **kwargs)


@pytest.fixture
def project(tmp_path):
    """A copy of examples/hello, so builds never write into the repository."""
    dest = tmp_path / 'hello'
    shutil.copytree(ROOT / 'examples' / 'hello', dest)
    return dest


@pytest.fixture
def fresh_venv(tmp_path):
    """A new virtual environment with only hpy_build installed."""
    venv = tmp_path / 'venv'
    run(sys.executable, '-m', 'venv', venv)
    python = venv / 'bin' / 'python'
    pip(python, 'install', '--quiet', HPY_BUILD_WHEELS[-1])
    return python


def build_wheel(project, out, abi=None, *extra):
    settings = [f'-Chpy-abi={abi}'] if abi else []
    pip(sys.executable, 'wheel', '--quiet', '--no-deps', '--find-links', WHEELHOUSE,
        '--wheel-dir', out, *settings, *extra, project)
    wheels = list(Path(out).glob('hello-*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


def call_hello(python):
    out = run(python, '-c', 'import hello; print(hello.add(30, 40)); print(hello.__file__)').stdout
    result, path = out.split()
    return int(result), path


def test_cpython_abi_wheel(project, fresh_venv, tmp_path):
    wheel = build_wheel(project, tmp_path / 'wheels')
    tag = 'cp%d%d' % sys.version_info[:2]
    assert f'-{tag}-{tag}-' in wheel.name, wheel.name   # tied to this interpreter
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith('hello.cpython-') and n.endswith('.so') for n in names), names
    pip(fresh_venv, 'install', '--quiet', wheel)
    result, path = call_hello(fresh_venv)
    assert result == 70 and Path(path).name.startswith('hello.cpython-')


def test_universal_abi_wheel(project, fresh_venv, tmp_path):
    wheel = build_wheel(project, tmp_path / 'wheels', 'universal')
    # installs on any Python 3 of the platform, needs hpy_build's runtime
    assert '-py3-none-' in wheel.name, wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode()
    assert 'hello.hpy0.so' in names and not any(n.endswith('.py') for n in names), names
    assert 'Requires-Dist: hpy_build' in metadata
    pip(fresh_venv, 'install', '--quiet', '--find-links', WHEELHOUSE, wheel)
    result, path = call_hello(fresh_venv)
    assert result == 70 and Path(path).name == 'hello.hpy0.so'


def test_switching_abi_never_mixes_modules(project, tmp_path):
    build_wheel(project, tmp_path / 'cpy')
    wheel = build_wheel(project, tmp_path / 'uni', 'universal')
    assert not any('cpython-' in n for n in zipfile.ZipFile(wheel).namelist())


def test_unknown_abi_is_refused(project, tmp_path):
    proc = pip(sys.executable, 'wheel', '--no-deps', '--find-links', WHEELHOUSE, '--wheel-dir',
               tmp_path / 'out', '-Chpy-abi=bogus', project, check=False)
    assert proc.returncode != 0
    assert "bogus" in proc.stderr + proc.stdout and 'universal' in proc.stderr + proc.stdout
    assert not list((tmp_path / 'out').glob('*.whl'))


def test_compile_error_fails_with_the_compiler_output(project, tmp_path):
    (project / 'hello.c').write_text('#include "hpy.h"\nthis is not C;\n')
    proc = pip(sys.executable, 'wheel', '--no-deps', '--find-links', WHEELHOUSE, '--wheel-dir',
               tmp_path / 'out', project, check=False)
    assert proc.returncode != 0
    assert 'hello.c' in proc.stdout + proc.stderr and 'error' in proc.stdout + proc.stderr
    assert not list((tmp_path / 'out').glob('*.whl'))


def test_setup_args_pass_through(project, tmp_path):
    # a meson-python setting reaches Meson: an unknown option must make it fail
    proc = pip(sys.executable, 'wheel', '--no-deps', '--find-links', WHEELHOUSE, '--wheel-dir',
               tmp_path / 'out', '-Csetup-args=-Dnot_an_option=1', project, check=False)
    assert proc.returncode != 0 and 'not_an_option' in proc.stdout + proc.stderr


@pytest.mark.parametrize('abi', ['cpython', 'universal'])
def test_editable_install(project, fresh_venv, abi):
    pip(fresh_venv, 'install', '--quiet', 'meson-python', 'meson', 'ninja')
    pip(fresh_venv, 'install', '--quiet', '--no-build-isolation', f'-Chpy-abi={abi}', '-e', project)
    result, path = call_hello(fresh_venv)
    assert result == 70
    if abi == 'universal':
        assert Path(path).name == 'hello.hpy0.so'
    else:
        assert Path(path).name.startswith('hello.cpython-')
    assert str(project) in path   # the module is the one in the project's build directory
