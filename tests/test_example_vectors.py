"""examples/vectors, a project whose types use fields, GC, members,
get-sets and number, sequence and mapping slots: compiled in every ABI and
run, built end to end with the backend, and run under hpy==0.9.0's runtime
(universal and debug mode) and built by hpy==0.9.0's own setuptools
integration to run under ours."""
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hpy_build.universal
from support import compile as hpy_compile
from support.vectors_checks import check_all

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / 'examples' / 'vectors'
SOURCE = (EXAMPLE / 'vectors.c').read_text()
WHEELHOUSE = Path(os.environ.get('HPY_BUILD_WHEELHOUSE', ROOT / 'dist'))


def build(tmp_path, abi):
    name = hpy_compile.unique_name('vectors')
    src = SOURCE.replace('HPy_MODINIT(vectors,', f'HPy_MODINIT({name},')
    return hpy_compile.build(src, abi, tmp_path, name=name, libs=['-lm'])


@pytest.mark.parametrize('abi', ['cpython', 'universal', 'hybrid'])
def test_example_in_every_abi(tmp_path, abi):
    name, path = build(tmp_path, abi)
    check_all(hpy_compile.load(name, path, abi))


def hpy09():
    return pytest.importorskip('hpy.universal', reason='the hpy==0.9.0 peer runtime is not installed')


@pytest.mark.parametrize('debug', [False, True], ids=['universal', 'hpy09-debug'])
def test_our_binary_runs_in_hpy_0_9(tmp_path, debug):
    hpy_universal = hpy09()
    name, path = build(tmp_path, 'universal')
    spec = importlib.util.spec_from_file_location(name, path)
    check_all(hpy_universal.load(name, str(path), spec, debug=debug), python_subclass=False)


def test_hpy_0_9_binary_runs_in_ours(tmp_path):
    hpy09()
    (tmp_path / 'vectors.c').write_text(SOURCE)
    (tmp_path / 'setup.py').write_text(
        'from setuptools import setup, Extension\n'
        "setup(name='vectors', hpy_ext_modules=[Extension('vectors', sources=['vectors.c'], "
        "libraries=['m'])])\n")
    proc = subprocess.run([sys.executable, 'setup.py', '--hpy-abi=universal', 'build_ext', '--inplace'],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = next(tmp_path.glob('vectors.hpy*.so'))
    check_all(hpy_build.universal.load('vectors', str(path)))


@pytest.mark.skipif(not list(WHEELHOUSE.glob('hpy_build-*.whl')), reason='no hpy_build wheel in dist/')
@pytest.mark.parametrize('abi', ['cpython', 'universal'])
def test_backend_builds_the_example(tmp_path, abi):
    """pip wheel with the backend, install into a fresh venv, run demo.py."""
    wheels = tmp_path / 'wheels'
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--find-links',
                    str(WHEELHOUSE), '--wheel-dir', str(wheels), f'-Chpy-abi={abi}',
                    '-Cbuilddir=' + str(tmp_path / 'build'), str(EXAMPLE)], check=True,
                   capture_output=True)
    wheel = next(wheels.glob('vectors-*.whl'))
    venv = tmp_path / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    python = venv / 'bin' / 'python'
    subprocess.run([python, '-m', 'pip', 'install', '--quiet', '--find-links', str(WHEELHOUSE),
                    str(wheel)], check=True, capture_output=True)
    out = subprocess.run([python, str(EXAMPLE / 'demo.py')], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "tree keys: ['brown', 'dog', 'fox', 'jumps', 'lazy', 'over', 'quick', 'the']" in out.stdout
    assert 'abs(v) = 5.0' in out.stdout and 'garbage collected: True' in out.stdout
    suffix = '.hpy0.so' if abi == 'universal' else '.cpython-'
    assert suffix in out.stdout.splitlines()[-1]
