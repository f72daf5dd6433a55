"""Fixtures of the interpreter matrix: one environment per other interpreter
of support/interpreters.py's MATRIX, with its run of the universal suite
(made once per session, in the background while other tests run: building
the hpy_build wheel there and running the suite take a while), and the
universal wheels of the examples, built once by the interpreter running
the suite."""
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from support.interpreters import MATRIX, Missing, ROOT, is_host, prepared, run

WHEELHOUSE = Path(os.environ.get('HPY_BUILD_WHEELHOUSE', ROOT / 'dist'))


@pytest.fixture(scope='session', params=MATRIX, ids=[i.id for i in MATRIX])
def interpreter(request):
    return request.param


@pytest.fixture(scope='session')
def matrix_prepared(interpreter, tmp_path_factory):
    """(the interpreter's MatrixEnv, its runs of the suite), made in the
    background (support/background.py); skips with the reason when the
    interpreter is the suite's own or is not here."""
    if is_host(interpreter):
        pytest.skip(f'{interpreter.id} runs the suite itself: the rest of the suite tests it')
    env, suite = prepared(interpreter, tmp_path_factory)
    if isinstance(env, Missing):
        pytest.skip(str(env))
    return env, suite


@pytest.fixture(scope='session')
def matrix_env(matrix_prepared):
    """The interpreter's environment with hpy_build (and pytest) installed."""
    return matrix_prepared[0]


def _only_wheel(directory, project):
    wheels = list(Path(directory).glob(f'{project}-*.whl'))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope='session')
def universal_wheels(tmp_path_factory):
    """{project: wheel} of examples/hello, examples/vectors and
    examples/package, built once with -Chpy-abi=universal by this interpreter."""
    hpy_build_wheels = sorted(WHEELHOUSE.glob('hpy_build-*.whl'))
    if not hpy_build_wheels:
        pytest.skip(f'no hpy_build wheel in {WHEELHOUSE} (test.sh builds it)')
    root = tmp_path_factory.mktemp('universal-wheels')
    wheels = {}
    for example, project in (('hello', 'hello'), ('vectors', 'vectors'), ('package', 'hpyexample')):
        src = root / 'src' / example
        shutil.copytree(ROOT / 'examples' / example, src)
        run(sys.executable, '-m', 'pip', '--disable-pip-version-check', 'wheel', '--quiet',
            '--no-deps', '--find-links', WHEELHOUSE, '--wheel-dir', root / 'out',
            '-Chpy-abi=universal', src)
        wheels[project] = _only_wheel(root / 'out', project)
    return wheels


@pytest.fixture(scope='session')
def package_payload(universal_wheels, tmp_path_factory):
    """The files of the examples/package wheel, unpacked as installed: the
    wheel carries a hybrid module too, so it is tagged for this interpreter
    only, but its universal modules must load anywhere."""
    dest = tmp_path_factory.mktemp('hpyexample-payload')
    with zipfile.ZipFile(universal_wheels['hpyexample']) as zf:
        zf.extractall(dest)
    return dest


def pytest_terminal_summary(terminalreporter):
    """The matrix at the end of the run: each interpreter's outcome for each
    test here, and the counts of the suite's runs there."""
    rows = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            nodeid = getattr(report, 'nodeid', '')
            if not nodeid.startswith('tests/interpreters/') or '[' not in nodeid:
                continue
            when = getattr(report, 'when', None)   # deselected items are in the stats too
            if when != 'call' and not (when == 'setup' and report.outcome != 'passed'):
                continue
            test, _, interp = nodeid.partition('::')[2].partition('[')
            line = rows.setdefault(interp.rstrip(']'), {})
            line[test] = 'skipped' if report.skipped else report.outcome
            for name, value in report.user_properties:
                if name == 'suite':
                    line.setdefault('suite runs', []).append(value)
    if not rows:
        return
    terminalreporter.section('interpreter matrix')
    for interp, line in sorted(rows.items()):
        runs = line.pop('suite runs', [])
        outcomes = ', '.join(f'{test.removeprefix("test_")} {outcome}' for test, outcome in line.items())
        terminalreporter.line(f'{interp}: {outcomes}')
        for run_summary in runs:
            terminalreporter.line(f'    {run_summary}')
