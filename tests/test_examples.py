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
    # By default from the program's own directory (a venv's bin/), never from
    # the repository: its hpy_build/ would shadow the installed one.
    cwd = cwd or Path(cmd[0]).parent
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


def make_venv(path):
    """A new virtual environment with only hpy_build installed."""
    run(sys.executable, '-m', 'venv', path)
    python = path / 'bin' / 'python'
    pip(python, 'install', '--quiet', HPY_BUILD_WHEELS[-1])
    return python


@pytest.fixture
def fresh_venv(tmp_path):
    return make_venv(tmp_path / 'venv')


def build_wheel(project, out, abi=None, *extra):
    settings = [f'-Chpy-abi={abi}'] if abi else []
    pip(sys.executable, 'wheel', '--quiet', '--no-deps', '--find-links', WHEELHOUSE,
        '--wheel-dir', out, *settings, *extra, project)
    wheels = list(Path(out).glob('hello-*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope='module')
def hello_wheels(tmp_path_factory):
    """examples/hello built once per ABI (one copy, switching ABI in between)."""
    root = tmp_path_factory.mktemp('hello-wheels')
    src = root / 'hello'
    shutil.copytree(ROOT / 'examples' / 'hello', src)
    return {abi: build_wheel(src, root / abi, abi) for abi in ('cpython', 'universal')}


def call_hello(python, cwd=None):
    out = run(python, '-c', 'import hello; print(hello.add(30, 40)); print(hello.__file__)',
              cwd=cwd).stdout
    result, path = out.split()
    return int(result), path


def test_cpython_abi_wheel(hello_wheels, fresh_venv):
    wheel = hello_wheels['cpython']
    tag = 'cp%d%d' % sys.version_info[:2]
    assert f'-{tag}-{tag}-' in wheel.name, wheel.name   # tied to this interpreter
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith('hello.cpython-') and n.endswith('.so') for n in names), names
    pip(fresh_venv, 'install', '--quiet', wheel)
    result, path = call_hello(fresh_venv)
    assert result == 70 and Path(path).name.startswith('hello.cpython-')


def test_universal_abi_wheel(hello_wheels, fresh_venv, tmp_path):
    wheel = hello_wheels['universal']
    # installs on any Python 3 of the platform, needs hpy_build's runtime
    assert '-py3-none-' in wheel.name, wheel.name
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read(next(n for n in names if n.endswith('.dist-info/METADATA'))).decode()
    assert 'hello.hpy0.so' in names and not any(n.endswith('.py') for n in names), names
    assert not any('cpython-' in n for n in names)    # built after the cpython one, same copy
    assert 'Requires-Dist: hpy_build' in metadata
    pip(fresh_venv, 'install', '--quiet', '--find-links', WHEELHOUSE, wheel)
    # Run from a directory holding a folder hello/ (the project's sources, say):
    # it comes first on sys.path, yet the installed module is imported.
    (tmp_path / 'hello').mkdir()
    result, path = call_hello(fresh_venv, cwd=tmp_path)
    assert result == 70 and Path(path).name == 'hello.hpy0.so'
    assert 'site-packages' in path
    pip(fresh_venv, 'check')
    pip(fresh_venv, 'uninstall', '--yes', 'hello')
    assert run(fresh_venv, '-c', 'import hello', check=False).returncode != 0


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
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert 'hello.c' in output and 'error' in output
    # reported while building the wheel, not as a metadata problem
    assert 'metadata-generation-failed' not in output
    assert 'Failed to build' in output or 'failed-wheel-build' in output, output
    assert not list((tmp_path / 'out').glob('*.whl'))


def test_setup_args_pass_through(project, tmp_path):
    # a meson-python setting reaches Meson: an unknown option must make it fail
    proc = pip(sys.executable, 'wheel', '--no-deps', '--find-links', WHEELHOUSE, '--wheel-dir',
               tmp_path / 'out', '-Csetup-args=-Dnot_an_option=1', project, check=False)
    assert proc.returncode != 0 and 'not_an_option' in proc.stdout + proc.stderr


@pytest.fixture(scope='module')
def editable_venv(tmp_path_factory):
    """One environment with the build tools, for --no-build-isolation installs."""
    python = make_venv(tmp_path_factory.mktemp('editable') / 'venv')
    pip(python, 'install', '--quiet', 'meson-python', 'meson', 'ninja')
    return python


@pytest.mark.parametrize('abi', ['cpython', 'universal'])
def test_editable_install_rebuilds_on_import(project, editable_venv, abi):
    pip(editable_venv, 'install', '--quiet', '--no-build-isolation', f'-Chpy-abi={abi}', '-e', project)
    result, path = call_hello(editable_venv)
    assert result == 70
    if abi == 'universal':
        assert Path(path).name == 'hello.hpy0.so'
    else:
        assert Path(path).name.startswith('hello.cpython-')
    assert str(project) in path   # the module is the one in the project's build directory
    source = project / 'hello.c'
    source.write_text(source.read_text().replace('a+b', 'a+b+1'))
    result, _ = call_hello(editable_venv)
    assert result == 71
    pip(editable_venv, 'uninstall', '--yes', 'hello')


def test_editable_install_under_build_isolation_is_refused(project, fresh_venv):
    # pip's isolated build environment is deleted after the install: the
    # rebuild on import would need its meson and ninja. Refused, with what to run.
    proc = pip(fresh_venv, 'install', '--find-links', WHEELHOUSE, '-Chpy-abi=universal', '-e',
               project, check=False)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert 'pip install --no-build-isolation -e .' in output, output
    assert pip(fresh_venv, 'show', 'hello', check=False).returncode != 0
