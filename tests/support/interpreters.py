"""The interpreters of the universal-binary matrix, and an environment on each.

One universal binary, built once by the interpreter running the suite, must
run unchanged on every other interpreter listed in MATRIX
(tests/interpreters/ and benchmarks/call_overhead_matrix.py go through this list).
To add a row, append an Interpreter: how to find it, and which part of the
suite runs there; e.g. for Debian's PyPy:

    Interpreter(id='pypy3.9', version=(3, 9), implementation='pypy',
                commands=('pypy3',), wheel_tag='pp39-pypy39_pp73')

A row whose interpreter is not installed makes its tests skip, saying where
it was looked for.

Each found interpreter gets a MatrixEnv: a fresh virtual environment with
the hpy_build wheel of this checkout built by that interpreter (so its
runtime is compiled against that interpreter's headers) installed in it.
"""
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from support import background

ROOT = Path(__file__).resolve().parents[2]

# The part of the suite run on another interpreter, as pytest runs of
# (-k selection or None, test paths): the context-function, type and helper
# tests in the universal ABI (and the hybrid legacy-interop ones), and the
# debug- and trace-mode tests. Their debug-ABI and cpython-ABI variants are
# left to the suite's own interpreter (time: they would double the runs).
UNIVERSAL_SUITE = (
    ('not cpython and not debug', ('tests/ctx', 'tests/types', 'tests/c')),
    (None, ('tests/debug',)),
)
# On the versions between the oldest and the newest, only the first run:
# the debug-mode tests run on 3.10 and 3.13 and on the suite's own
# interpreter (time: the suite must stay under 20 minutes).
UNIVERSAL_SUITE_WITHOUT_DEBUG = UNIVERSAL_SUITE[:1]


@dataclass(frozen=True)
class Interpreter:
    """One row of the matrix.

    id:         the test id and name of its environment ('cpython3.12');
    version:    (major, minor) the interpreter must report;
    pyenv:      a pyenv version prefix to look for ('3.12'), or None;
    commands:   programs to look for on PATH, in order;
    suite:      the pytest runs of the suite there, (-k selection, paths);
    implementation: sys.implementation.name it must report;
    pip_wheel_args: the settings of `pip wheel` of the checkout there;
    wheel_tag:  the interpreter-abi tag of the hpy_build wheel built there
                (default for CPython: 'cp312-cp312').
    """
    id: str
    version: tuple
    pyenv: str = None
    commands: tuple = ()
    suite: tuple = UNIVERSAL_SUITE
    implementation: str = 'cpython'
    pip_wheel_args: tuple = ('-Csetup-args=-Dwerror=true',)
    wheel_tag: str = None

    def hpy_build_wheel_tag(self):
        if self.wheel_tag:
            return self.wheel_tag
        cp = 'cp%d%d' % tuple(self.version)
        return f'{cp}-{cp}'


def _cpython(minor, suite=UNIVERSAL_SUITE):
    return Interpreter(id=f'cpython3.{minor}', version=(3, minor), pyenv=f'3.{minor}',
                       commands=(f'python3.{minor}',), suite=suite)


MATRIX = [_cpython(10), _cpython(11), _cpython(12, UNIVERSAL_SUITE_WITHOUT_DEBUG), _cpython(13)]


class Missing(Exception):
    """The interpreter of a row cannot be used here; str() says why."""


def _probe(program):
    """(sys.executable, implementation, version, include dir) of a program, or None."""
    code = ('import sys, sysconfig; print(sys.executable); print(sys.implementation.name); '
            'print("%d.%d" % sys.version_info[:2]); print(sysconfig.get_paths()["include"])')
    try:
        proc = subprocess.run([program, '-c', code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    executable, implementation, version, include = proc.stdout.splitlines()[:4]
    return executable, implementation, tuple(int(x) for x in version.split('.')), include


def _candidates(interp):
    if interp.pyenv and shutil.which('pyenv'):
        proc = subprocess.run(['pyenv', 'prefix', interp.pyenv], capture_output=True, text=True)
        if proc.returncode == 0:
            for prefix in proc.stdout.split(':'):
                yield str(Path(prefix.strip()) / 'bin' / 'python3')
    for command in interp.commands:
        found = shutil.which(command)
        if found:
            yield found


def is_host(interp):
    """Whether the row is the interpreter running this process."""
    return (sys.implementation.name == interp.implementation
            and sys.version_info[:2] == tuple(interp.version))


def locate(interp):
    """The interpreter's executable; raises Missing saying why there is none."""
    looked = []
    for program in _candidates(interp):
        probe = _probe(program)
        if probe is None:
            looked.append(f'{program} does not run')
            continue
        executable, implementation, version, include = probe
        if implementation != interp.implementation or version != tuple(interp.version):
            looked.append(f'{program} is {implementation} {version[0]}.{version[1]}')
            continue
        if not (Path(include) / 'Python.h').exists():
            raise Missing(f'{interp.id}: {executable} has no Python.h in {include} '
                          '(its development headers are needed to build the runtime)')
        return executable
    where = ', '.join(([f'pyenv prefix {interp.pyenv}'] if interp.pyenv else [])
                      + [f'{c} on PATH' for c in interp.commands])
    detail = f' ({"; ".join(looked)})' if looked else ''
    raise Missing(f'{interp.id} is not installed here: looked for {where}{detail}')


def run(*cmd, cwd=None, env=None, check=True):
    """Run a program (from its own directory by default, never from the
    checkout, whose hpy_build/ would shadow the installed one)."""
    cmd = [str(c) for c in cmd]
    cwd = cwd or Path(cmd[0]).parent
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f'{" ".join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}')
    return proc


class MatrixEnv:
    """A virtual environment of `interp` at `path`, with the hpy_build wheel
    of this checkout built by that interpreter into `wheels` and installed.
    Its programs run in `environ` (by default os.environ as it is now: a
    test may change os.environ while a background job uses the env)."""

    def __init__(self, interp, executable, path, environ=None):
        self.interp = interp
        self.executable = executable
        self.path = Path(path)
        self.python = self.path / 'bin' / 'python'
        self.wheels = self.path / 'wheels'
        self.environ = dict(os.environ if environ is None else environ)

    def pip(self, *args, **kwargs):
        kwargs.setdefault('env', self.env())
        return run(self.python, '-m', 'pip', '--disable-pip-version-check', *args, **kwargs)

    def create(self):
        run(self.executable, '-m', 'venv', self.path, env=self.env())
        if not self._pip_has_config_settings():
            self.pip('install', '--quiet', '--upgrade', 'pip')
        self.pip('wheel', '--quiet', '--no-deps', '--wheel-dir', self.wheels, ROOT,
                 *self.interp.pip_wheel_args, cwd=ROOT)
        self.pip('install', '--quiet', self.hpy_build_wheel())
        return self

    def _pip_has_config_settings(self):
        """Whether the bundled pip knows -C (pip 23.1): 3.10's does not."""
        version = re.match(r'pip (\d+)\.(\d+)', self.pip('--version').stdout)
        return bool(version) and (int(version[1]), int(version[2])) >= (23, 1)

    def hpy_build_wheel(self):
        wheels = list(self.wheels.glob('hpy_build-*.whl'))
        assert len(wheels) == 1, wheels
        return wheels[0]

    def install_test_tools(self):
        self.pip('install', '--quiet', 'pytest')

    def run_universal_suite(self, basetemp):
        """The interpreter's runs of the suite (its `suite`), by the pytest of
        this environment (not `python -m pytest`: that would put the
        checkout, whose hpy_build/ is not the installed one, on sys.path):
        [(test paths, completed process)]."""
        results = []
        Path(basetemp).mkdir(parents=True, exist_ok=True)
        for i, (selection, paths) in enumerate(self.interp.suite):
            proc = run(self.path / 'bin' / 'pytest', '-q', '-p', 'no:cacheprovider',
                       '--basetemp', Path(basetemp) / f'run{i}',
                       *(['-k', selection] if selection else []), *paths,
                       cwd=ROOT, env=self.env(), check=False)
            results.append((paths, proc))
        return results

    def env(self, **extra):
        """The environment of a program run there: without the variables
        that would point it at the suite's own interpreter."""
        env = {k: v for k, v in self.environ.items()
               if k not in ('PYTHONPATH', 'PYTHONHOME', 'VIRTUAL_ENV', 'PYTEST_ADDOPTS')}
        env.update(extra)
        return env


def prepare(interp, path, environ):
    """What the matrix tests use of `interp`, made in `path` with the
    environment variables `environ`: (its MatrixEnv with pytest installed,
    its runs of the suite), or (Missing, None)."""
    try:
        executable = locate(interp)
    except Missing as missing:
        return missing, None
    env = MatrixEnv(interp, executable, Path(path) / 'venv', environ).create()
    env.install_test_tools()
    return env, env.run_universal_suite(Path(path) / 'suite')


def plan(interp, tmp_path_factory):
    """prepare() of `interp` queued in the background (support/background.py)."""
    background.plan(('matrix', interp.id),
                    lambda: (prepare, interp, tmp_path_factory.mktemp(f'env-{interp.id}'),
                             dict(os.environ)))


def prepared(interp, tmp_path_factory):
    """prepare()'s result for `interp`, once the background has made it."""
    plan(interp, tmp_path_factory)
    return background.wait(('matrix', interp.id))
