"""The PyPy environment of tests/test_pypy.py, made in the background
(support/background.py) while the rest of the suite runs: a PyPy venv with
hpy_build built from this checkout by PyPy's pip (as a wheel, kept as the
build requirement of later builds) and pytest, and the run there of the
universal tests of tests/ctx and tests/types."""
import os
import shutil
from pathlib import Path

from support import background
from support.interpreters import run

ROOT = Path(__file__).resolve().parents[2]
WHEELHOUSE = Path(os.environ.get('HPY_BUILD_WHEELHOUSE', ROOT / 'dist'))
PYPY = os.environ.get('HPY_TEST_PYPY') or shutil.which('pypy3')


def missing():
    """Why the PyPy tests cannot run here, or None."""
    if PYPY is None:
        return 'pypy3 is not installed (apt-get install pypy3 pypy3-dev pypy3-venv, or set HPY_TEST_PYPY)'
    if not list(WHEELHOUSE.glob('hpy_build-*.whl')):
        return f'no hpy_build wheel in {WHEELHOUSE} (test.sh builds it)'
    return None


def _not_sources(directory, names):
    """What the copy of the checkout leaves out: build products, venvs, git."""
    top = Path(directory) == ROOT
    return [n for n in names if n in ('__pycache__', '.pytest_cache') or top and (
        n in ('.git', 'dist', 'build', 'build-pypy') or n.startswith(('.venv', '.mesonpy-')))]


def prepare(root, environ):
    """(python, wheel directory, the suite's completed process), made in
    `root` with the environment variables `environ` (as they were when the
    session started: a test may change os.environ meanwhile)."""
    run(PYPY, '-m', 'venv', root / 'venv', env=environ)
    python = root / 'venv' / 'bin' / 'python'
    wheels = root / 'wheels'
    src = root / 'src'   # a copy: the build never writes into the checkout
    shutil.copytree(ROOT, src, ignore=_not_sources)
    run(python, '-m', 'pip', 'wheel', '--quiet', '--no-deps', '--wheel-dir', wheels, src,
        env=environ)
    run(python, '-m', 'pip', 'install', '--quiet', next(wheels.glob('hpy_build-*.whl')), 'pytest',
        env=environ)
    # --assert=plain: PyPy 7.3.11 can segfault while pytest rewrites the
    # assertions of a test module (pytest-dev/pytest#11168, pypy/pypy#3959,
    # fixed in later PyPys by their GC's array-copy fixes); it did here once.
    suite = run(python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--assert=plain',
                '--basetemp', root / 'suite', '-rfE', 'ctx', 'types', cwd=ROOT / 'tests',
                env=environ, check=False)
    return python, wheels, suite


def plan(tmp_path_factory):
    background.plan('pypy', lambda: (prepare, tmp_path_factory.mktemp('pypy'), dict(os.environ)))


def prepared(tmp_path_factory):
    """prepare()'s result, once the background has made it."""
    plan(tmp_path_factory)
    return background.wait('pypy')
