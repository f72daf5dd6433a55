"""HPy 0.9's own test suite, unmodified, run against hpy_build.

The suite comes from the published hpy==0.9.0 source distribution
(downloaded with pip into pytest's cache, never copied here). It runs with
pytest in a subprocess whose sys.path starts with shim/: there `hpy.universal`,
`hpy.debug` and `hpy.trace` are hpy_build's modules, and `hpy.devel` compiles
each test module with hpy_build's headers and helper library (the suite's
own support.py drives the compiler, as in HPy's CI). Every upstream test must
pass, except those in EXPECTED_FAILURES, each a difference by design.

By default only the debug-mode and trace-mode part runs (test/debug/,
test/trace/ and every test in the debug ABIs); HPY_BUILD_CONFORMANCE=full runs
all of it (1133 tests: about 4 minutes of CPU time, run by two processes).
"""
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from support import hpy09_sdist

HERE = Path(__file__).parent
SHIM = HERE / 'shim'

FULL = os.environ.get('HPY_BUILD_CONFORMANCE') == 'full'
# The default subset: pytest -k on the node ids (directories, files, ABI params).
SUBSET = 'debug or trace'

# Tests of HPy's setuptools integration (setup.py with hpy_ext_modules in a
# fresh virtual environment): hpy_build builds with Meson instead, so these
# are not run at all.
NOT_RUN = ['test/hpy_devel/test_distutils.py']

# Node id -> why it fails by design (each difference is in README.md).
EXPECTED_FAILURES = {
    'test/test_00_basic.py::TestBasic::test_abi_version_check[universal]':
        "our runtime implements ABI 0.1 (HPy's later context members, README \"HPy's later "
        "API\"), so its refusal of a module says 'Current HPy version: 0.1.' where the test "
        "expects 0.0, the version a module requires by default",
}

ABIS = ['cpython', 'universal', 'debug', 'hybrid', 'hybrid+debug', 'trace', 'other']
RUN_ABIS = ABIS if FULL else ['debug', 'hybrid+debug', 'trace']
# How many tests the hpy==0.9.0 suite has in the selection (on CPython/Linux):
# fewer means some of it was silently dropped.
UPSTREAM_TESTS = 1133 if FULL else 399
# Upstream tests that skip themselves here, and why that is right.
ALLOWED_SKIPS = {}
# A crash ends a run: it is recorded and the run goes on after it, this many times.
MAX_CRASHES = 20
# pytest processes running the suite side by side (its tests are compiler-bound).
JOBS = 2


def abi_of(nodeid):
    """The ABI a test runs in: its hpy_abi parameter, else its directory's."""
    if nodeid.endswith(']'):
        param = nodeid[nodeid.rindex('[') + 1:-1]
        if param in ABIS:
            return param
    for folder in ('debug', 'trace'):
        if nodeid.startswith(f'test/{folder}/'):
            return folder
    return 'other'


def _read_events(report):
    if not report.exists():
        return []
    return [json.loads(line) for line in report.read_text().splitlines() if line.strip()]


def _outcomes(events):
    """nodeid -> (outcome, message): 'passed', 'failed', 'error' (in setup or
    collection), 'skipped' or 'crashed'."""
    results = {}
    for e in events:
        nodeid, event = e['nodeid'], e['event']
        if event == 'start':
            results.setdefault(nodeid, ('crashed', ''))
        elif event == 'crash':
            results[nodeid] = ('crashed', e['message'])
        elif event == 'collect' or (event == 'setup' and e['outcome'] == 'failed'):
            results[nodeid] = ('error', e['message'])
        elif e['outcome'] == 'failed':
            results[nodeid] = ('failed', e['message'])
        elif e['outcome'] == 'skipped':
            results[nodeid] = ('skipped', e['message'])
        elif results.get(nodeid, ('crashed',))[0] == 'crashed':
            results[nodeid] = ('passed', '')
    return results


def _split(files, jobs):
    """`files` in `jobs` groups of about the same size (bytes of source)."""
    groups = [[] for _ in range(jobs)]
    sizes = [0] * jobs
    for f in sorted(files, key=lambda f: -f.stat().st_size):
        i = sizes.index(min(sizes))
        groups[i].append(f)
        sizes[i] += f.stat().st_size
    return [g for g in groups if g]


def _run_group(tree, files, workdir, select):
    """Run the upstream tests of `files`, going on after each crash."""
    report = workdir / 'report.jsonl'
    env = dict(os.environ, HPY_CONFORMANCE_REPORT=str(report),
               PYTHONPATH=os.pathsep.join([str(SHIM), str(HERE)]
                                          + ([os.environ['PYTHONPATH']]
                                             if os.environ.get('PYTHONPATH') else [])))
    env.pop('HPY', None)
    env['PYTHONDONTWRITEBYTECODE'] = '1'     # two processes share the tree
    cmd = [sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider',
           '-p', 'conformance_report', '--basetemp', str(workdir / 'tmp'), *select,
           *[str(f.relative_to(tree)) for f in files]]
    for _ in range(MAX_CRASHES + 1):
        proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True,
                              errors='replace')
        events = _read_events(report)
        results = _outcomes(events)
        recorded = {e['nodeid'] for e in events if e['event'] == 'crash'}
        crashed = [n for n, (outcome, _) in results.items()
                   if outcome == 'crashed' and n not in recorded]
        if not crashed:
            # 5: nothing selected in these files
            if proc.returncode not in (0, 1, 5):
                raise AssertionError(f'the upstream suite did not run (exit {proc.returncode}):\n'
                                     f'{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}')
            return results
        with open(report, 'a', encoding='utf-8') as f:
            for nodeid in crashed:
                f.write(json.dumps({'nodeid': nodeid, 'event': 'crash',
                                    'message': f'exit {proc.returncode}: '
                                               f'{proc.stderr[-2000:]}'}) + '\n')
    raise AssertionError(f'more than {MAX_CRASHES} upstream tests crashed the interpreter')


def run_upstream_suite(sources, workdir, select=(), jobs=JOBS):
    """Run the suite of `sources` in a copy under `workdir`, its files split
    over `jobs` pytest processes; returns {nodeid: (outcome, message)}."""
    tree = workdir / 'upstream'
    shutil.copytree(sources / 'test', tree / 'test')
    (tree / 'pytest.ini').write_text('[pytest]\n')    # no configuration found above it
    files = [f for f in (tree / 'test').rglob('test_*.py')
             if str(f.relative_to(tree)) not in NOT_RUN]
    groups = _split(files, jobs)
    dirs = [workdir / f'job{i}' for i in range(len(groups))]
    for d in dirs:
        d.mkdir()
    with ThreadPoolExecutor(len(groups)) as pool:
        parts = list(pool.map(lambda args: _run_group(tree, *args, select),
                              zip(groups, dirs)))
    return {nodeid: result for part in parts for nodeid, result in part.items()}


@pytest.fixture(scope='module')
def upstream(request, tmp_path_factory):
    sources = hpy09_sdist.unpacked(request.config)
    select = [] if FULL else ['-k', SUBSET]
    return run_upstream_suite(sources, tmp_path_factory.mktemp('conformance'), select)


def _describe(results, nodeids):
    return '\n'.join(f'{n}: {results[n][0]}\n    ' + results[n][1][-1500:].replace('\n', '\n    ')
                     for n in nodeids)


def test_the_upstream_suite_ran(upstream):
    counts = Counter(outcome for outcome, _ in upstream.values())
    print(f'\nHPy 0.9 suite on hpy_build ({"full" if FULL else SUBSET!r}): '
          + ', '.join(f'{n} {o}' for o, n in sorted(counts.items())))
    for abi in ABIS:
        per_abi = Counter(o for n, (o, _) in upstream.items() if abi_of(n) == abi)
        if per_abi:
            print(f'    {abi:>13}: ' + ', '.join(f'{n} {o}' for o, n in sorted(per_abi.items())))
    errors = [n for n, (o, _) in upstream.items() if o == 'error' and '::' not in n]
    assert not errors, 'test files that cannot be collected:\n' + _describe(upstream, errors)
    assert len(upstream) == UPSTREAM_TESTS
    expected_failures = [n for n in EXPECTED_FAILURES if n in upstream]
    assert counts['passed'] + counts['skipped'] == UPSTREAM_TESTS - len(expected_failures)


@pytest.mark.parametrize('abi', RUN_ABIS)
def test_upstream_tests_pass(upstream, abi):
    mine = [n for n in upstream if abi_of(n) == abi and n not in EXPECTED_FAILURES]
    assert mine, f'no upstream test ran in {abi}'
    bad = sorted(n for n in mine if upstream[n][0] not in ('passed', 'skipped'))
    assert not bad, f'{len(bad)} upstream tests do not pass in {abi}:\n' + _describe(upstream, bad)
    # the suite skips only what does not apply to CPython on Linux
    skipped = sorted(n for n in mine if upstream[n][0] == 'skipped')
    assert all(n in ALLOWED_SKIPS for n in skipped), _describe(upstream, skipped)


def test_expected_failures_still_fail(upstream):
    """Each listed failure is real: a test that passes again leaves the list."""
    ran = [n for n in EXPECTED_FAILURES if n in upstream]
    passing = [n for n in ran if upstream[n][0] in ('passed', 'skipped')]
    assert not passing, 'these pass now, remove them from EXPECTED_FAILURES: ' + ', '.join(passing)


FAKE_SUITE = '''
import os
import pytest

def test_passes():
    pass

def test_crashes():
    os.abort()

def test_after_the_crash():
    pass

def test_fails():
    assert 1 == 2

@pytest.mark.skip(reason='not here')
def test_skipped():
    pass

@pytest.fixture
def broken():
    raise RuntimeError('no fixture')

def test_setup_error(broken):
    pass
'''


def test_the_harness_goes_on_after_a_crash(tmp_path):
    """The harness itself, on a made-up suite: a test that kills the
    interpreter is recorded as crashed and the tests after it still run."""
    sources = tmp_path / 'sources'
    (sources / 'test').mkdir(parents=True)
    (sources / 'test' / 'test_fake.py').write_text(FAKE_SUITE)
    (sources / 'test' / 'test_other.py').write_text('def test_elsewhere():\n    pass\n')
    work = tmp_path / 'work'
    work.mkdir()
    results = run_upstream_suite(sources, work, jobs=2)
    outcomes = {n.rpartition('::')[2]: o for n, (o, _) in results.items()}
    assert outcomes == {'test_passes': 'passed', 'test_crashes': 'crashed',
                        'test_after_the_crash': 'passed', 'test_fails': 'failed',
                        'test_skipped': 'skipped', 'test_setup_error': 'error',
                        'test_elsewhere': 'passed'}
    assert 'assert 1 == 2' in results['test/test_fake.py::test_fails'][1]
    assert abi_of('test/test_x.py::T::t[hybrid+debug]') == 'hybrid+debug'
    assert abi_of('test/debug/test_x.py::t[with stacktrace]') == 'debug'
    assert abi_of('test/test_support.py::t') == 'other'
