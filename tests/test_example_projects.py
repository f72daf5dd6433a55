"""Projects as they really are, end to end: examples/package (a Python package
with C, C++, zlib and hybrid extensions inside), an sdist of examples/hello
and the wheel built from it, and examples/mesonpy-subproject (stock
meson-python, hpy_build as a Meson subproject). Each is built once."""
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from hpy_build import _abi

from test_examples import HPY_BUILD_WHEELS, ROOT, WHEELHOUSE, make_venv, pip, run

pytestmark = pytest.mark.skipif(not HPY_BUILD_WHEELS, reason=f'no hpy_build wheel in {WHEELHOUSE} (test.sh builds it)')

TAG = 'cp%d%d' % sys.version_info[:2]


def copy_example(name, dest):
    shutil.copytree(ROOT / 'examples' / name, dest / name, symlinks=True)
    return dest / name


def only_wheel(directory, prefix):
    wheels = list(Path(directory).glob(prefix + '-*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope='module')
def venv(tmp_path_factory):
    """One environment for the examples of this module (their names differ)."""
    return make_venv(tmp_path_factory.mktemp('examples') / 'venv')


@pytest.fixture(scope='module')
def package_wheel(tmp_path_factory):
    root = tmp_path_factory.mktemp('package')
    src = copy_example('package', root)
    pip(sys.executable, 'wheel', '--quiet', '--no-deps', '--find-links', WHEELHOUSE,
        '--wheel-dir', root / 'out', '-Chpy-abi=universal', src)
    return only_wheel(root / 'out', 'hpyexample')


def test_package_with_extensions_inside(package_wheel, venv):
    hybrid = _abi.ext_suffix('hybrid')
    with zipfile.ZipFile(package_wheel) as zf:
        names = set(zf.namelist())
        metadata = zf.read('hpyexample-0.1.0.dist-info/METADATA').decode()
    assert {'hpyexample/__init__.py', 'hpyexample/_vector.hpy0.so', 'hpyexample/_text.hpy0.so',
            'hpyexample/_zip.hpy0.so', 'hpyexample/_legacy' + hybrid} <= names, names
    # the hybrid module ties the wheel to this interpreter; all need the runtime
    assert f'-{TAG}-{TAG}-' in package_wheel.name
    assert 'Requires-Dist: hpy_build' in metadata
    pip(venv, 'install', '--quiet', '--find-links', WHEELHOUSE, package_wheel)
    out = run(venv, '-c', 'import hpyexample, zlib; print(hpyexample.summary("two words")); '
                          'print("%08x" % zlib.crc32(b"two words")); '
                          'print(hpyexample._vector.__file__)').stdout.split('\n')
    assert out[0] == f'2 words, crc32 {out[1]}, norm 5.0, twice 18'
    assert out[2].endswith(os.path.join('hpyexample', '_vector.hpy0.so'))
    pip(venv, 'check')


def git_repository(path):
    # meson dist (behind meson-python's sdist) packs what git tracks
    env = dict(os.environ, GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@t', GIT_COMMITTER_NAME='t',
               GIT_COMMITTER_EMAIL='t@t')
    for cmd in (['git', 'init', '-q'], ['git', 'add', '.'], ['git', 'commit', '-qm', 'example']):
        subprocess.run(cmd, cwd=path, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which('git') is None, reason='no git')
def test_sdist_then_wheel_from_it(tmp_path, venv):
    src = copy_example('hello', tmp_path)
    git_repository(src)
    env = dict(os.environ, PIP_FIND_LINKS=str(WHEELHOUSE))
    proc = subprocess.run([sys.executable, '-m', 'build', '--sdist', '--outdir', tmp_path / 'dist', src],
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    sdist = next((tmp_path / 'dist').glob('hello-0.1.0.tar.gz'))
    with tarfile.open(sdist) as tf:
        members = sorted(m.name for m in tf.getmembers() if m.isfile())
    # what the build needs, and nothing else
    assert members == ['hello-0.1.0/PKG-INFO', 'hello-0.1.0/hello.c',
                       'hello-0.1.0/meson.build', 'hello-0.1.0/pyproject.toml']
    pip(sys.executable, 'wheel', '--quiet', '--no-deps', '--find-links', WHEELHOUSE,
        '--wheel-dir', tmp_path / 'out', '-Chpy-abi=universal', sdist)
    wheel = only_wheel(tmp_path / 'out', 'hello')
    assert '-py3-none-' in wheel.name
    pip(venv, 'install', '--quiet', '--find-links', WHEELHOUSE, wheel)
    assert run(venv, '-c', 'import hello; print(hello.add(1, 2))').stdout.strip() == '3'
    # reinstalling and uninstalling are clean
    pip(venv, 'install', '--quiet', '--force-reinstall', '--no-deps', wheel)
    pip(venv, 'check')
    pip(venv, 'uninstall', '--yes', 'hello')
    assert run(venv, '-c', 'import hello', check=False).returncode != 0


def test_stock_meson_python_project_with_hpy_build_as_a_subproject(tmp_path, venv):
    src = copy_example('mesonpy-subproject', tmp_path)
    (src / 'subprojects' / 'hpy_build').symlink_to(ROOT)   # as a checkout would be
    pip(sys.executable, 'wheel', '--quiet', '--no-deps', '--wheel-dir', tmp_path / 'out', src)
    wheel = only_wheel(tmp_path / 'out', 'stockhello')
    with zipfile.ZipFile(wheel) as zf:
        files = [n for n in zf.namelist() if '.dist-info/' not in n]
    assert files == ['stockhello' + _abi.ext_suffix('cpython')], files
    pip(venv, 'install', '--quiet', wheel)
    assert run(venv, '-c', 'import stockhello; print(stockhello.add(2, 3))').stdout.strip() == '5'
