"""benchmarks/suite/run.py still runs: every case, every variant, tiny counts.
Nothing about speed is asserted (that is what the suite itself reports)."""
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / 'benchmarks' / 'suite' / 'run.py'
_spec = importlib.util.spec_from_file_location('benchmark_suite_cases', RUN.parent / 'cases.py')
_cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_cases)
NAMES = _cases.NAMES

try:
    import hpy.universal  # noqa: F401
    HAVE_HPY09 = True
except ImportError:
    HAVE_HPY09 = False


def table_rows(output, title):
    """{case: [numbers of the row]} of the table whose title starts with *title*."""
    block = output.split(title, 1)[1].split('(unit:', 1)[0]
    rows = {}
    for line in block.splitlines()[2:]:
        name, *cells = line.split(None, 1) or ['']
        if name in NAMES:
            rows[name] = [float(x) for x in re.findall(r'(\d+\.?\d*) \(', cells[0])]
    return rows


def run_suite(*options):
    proc = subprocess.run([sys.executable, str(RUN), *options], capture_output=True, text=True,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


VARIANT_OF = {'C API': 'capi', 'CPython ABI': 'cpython', 'universal': 'universal',
              'debug': 'debug', 'trace': 'trace', 'hpy09 univ': 'hpy09-universal',
              'hpy09 debug': 'hpy09-debug'}


def check_table(out, title, columns, cases):
    header = out.split(title, 1)[1].splitlines()[1]
    assert header.split()[0] == 'case'
    for column in columns:
        assert column in header, (column, header)
    rows = table_rows(out, title)
    assert sorted(rows) == sorted(cases)
    for case, values in rows.items():
        # every variant that runs the case has its number; the others say why not
        runs = [c for c in columns if case in _cases.cases_for(VARIANT_OF[c], [case])]
        assert len(values) == len(runs), (case, values)
        assert all(v > 0 for v in values), (case, values)
        if len(runs) < len(columns):
            assert f'{case} not run by ' in out


def test_the_suite_runs_every_case_in_every_variant():
    # wall time only: callgrind's runs (two per variant) are what makes the
    # suite slow, and the next test covers them
    out = run_suite('--calls', '20', '--time-calls', '20', '--import-repeats', '1', '--no-callgrind')
    columns = ['C API', 'CPython ABI', 'universal', 'debug', 'trace']
    if HAVE_HPY09:
        columns += ['hpy09 univ', 'hpy09 debug']
    check_table(out, 'Wall time per iteration', columns, NAMES)
    assert 'Goals' in out
    assert 'CPython ABI within 1% of the C API' in out
    if HAVE_HPY09:
        assert 'import hook' in out and 'hpy 0.9 stub .py' in out


@pytest.mark.skipif(shutil.which('valgrind') is None, reason='valgrind is not installed here')
def test_the_suite_counts_instructions():
    out = run_suite('--calls', '20', '--cases', 'noargs,getitem', '--variants', 'capi,universal',
                    '--no-time', '--no-import')
    check_table(out, 'Instructions per iteration', ['C API', 'universal'], ['noargs', 'getitem'])


def test_unknown_case_is_refused():
    proc = subprocess.run([sys.executable, str(RUN), '--cases', 'nosuchcase'],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert 'unknown case(s): nosuchcase' in proc.stderr
