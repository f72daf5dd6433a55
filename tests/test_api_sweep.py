"""benchmarks/api_sweep.py still builds and runs: every operation, in every
runtime, on a tiny count. Nothing about speed is asserted (the sweep
reports that)."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / 'benchmarks' / 'api_sweep.py'
SOURCE = ROOT / 'benchmarks' / 'api_sweep' / 'sweep.c'

try:
    import hpy.universal  # noqa: F401
    HAVE_HPY09 = True
except ImportError:
    HAVE_HPY09 = False


def defined_operations():
    """The operations sweep.c defines (its SWEEP, BINARY, UNARY, LONG_AS lines)."""
    text = SOURCE.read_text()
    return set(re.findall(r'^(?:SWEEP|BINARY|UNARY|LONG_AS)\((\w+),', text, re.M))


def run_sweep(*options):
    proc = subprocess.run([sys.executable, str(SWEEP), *options], capture_output=True,
                          text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def table(out):
    """{operation: [numbers of its row]}"""
    rows = {}
    for line in out.split('API functions\n', 1)[1].split('\n\n', 1)[0].splitlines():
        name, rest = line.split(None, 1)
        rows[name] = [float(x) for x in re.findall(r'-?\d+\.\d+', rest)]
    return rows


@pytest.mark.skipif(shutil.which('valgrind') is None, reason='valgrind is not installed here')
def test_the_sweep_measures_every_operation_in_every_runtime():
    out = run_sweep('--calls', '4', '--repeats', '1')
    rows = table(out)
    ops = defined_operations()
    assert len(ops) >= 100
    assert set(rows) == ops
    # ours, [hpy 0.9, ratio, 0.9 built, ratio,] C API, ratio
    columns = 6 if HAVE_HPY09 else 2
    for op, numbers in rows.items():
        assert len(numbers) in (columns, columns + 1), (op, numbers)   # a zero C API: '-'
    covered = int(re.search(r'(\d+) distinct API functions', out).group(1))
    assert covered >= 60
    if HAVE_HPY09:
        assert re.search(r'ours above hpy 0\.9 on \d+ of %d operations' % len(ops), out)
        assert re.search(r'ours above 0\.9 built on \d+ of %d operations' % len(ops), out)


@pytest.mark.skipif(shutil.which('valgrind') is None, reason='valgrind is not installed here')
def test_the_sweep_profiles_an_operation():
    out = run_sweep('--calls', '4', '--repeats', '1', '--no-hpy09-build', '--profile', 'num_add')
    assert 'num_add: instructions per iteration in each function itself' in out
    assert 'PyNumber_Add' in out
    assert set(table(out)) == {'num_add'}


@pytest.mark.skipif(shutil.which('valgrind') is None, reason='valgrind is not installed here')
def test_an_unknown_operation_is_refused():
    proc = subprocess.run([sys.executable, str(SWEEP), '--ops', 'no_such_op', '--calls', '4'],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert 'unknown operation(s): no_such_op' in proc.stderr
