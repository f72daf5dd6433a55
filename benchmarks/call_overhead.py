"""Call overhead of an HPy function in each ABI, against the same function
written on the C API (and of the universal binary in debug and trace mode,
against universal mode), counted in instructions by valgrind's callgrind (stable
on noisy machines).

    .venv/bin/python benchmarks/call_overhead.py [--calls N]

Prints instructions per call for each variant and its ratio to the C API
baseline measured in the same run. Needs valgrind and an installed hpy_build
(./test.sh makes .venv).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


# The benchmark suite's modules and their builds (benchmarks/suite/): the
# function measured is their `add`, the suite's varargs case.
sys.path.insert(0, str(Path(__file__).resolve().parent / 'suite'))
from run import build_capi, build_ours  # noqa: E402

# The measured program: N calls of add from a Python loop.
DRIVER = r'''
import sys
kind, path, name, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if kind == 'cpython':
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    f = mod.add
else:
    import hpy_build.universal
    mode = {'universal': 0, 'debug': 1, 'trace': 2}[kind]
    f = hpy_build.universal.load(name, path, mode=mode).add

# The loop in a function: at module level, each iteration would also probe
# the globals dict, whose layout differs with what the driver imported.
def calls(f, n):
    for i in range(n):
        f(i, 1)


calls(f, n)
'''

def instructions(driver, kind, path, name, calls, out_dir, python=sys.executable):
    """Instructions callgrind counts for `python` running the driver."""
    out_file = out_dir / f'callgrind.{name}.{calls}'
    # a fixed hash seed: string hashing changes dict probing, hence the count
    env = dict(os.environ, PYTHONHASHSEED='0')
    subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out_file}',
                    str(python), str(driver), kind, str(path), name, str(calls)],
                   check=True, capture_output=True, env=env)
    text = out_file.read_text()
    return int(re.search(r'^summary:\s*(\d+)', text, re.M).group(1))


def per_call(driver, kind, path, name, calls, out_dir, python=sys.executable):
    """Instructions per call: two call counts, whose difference removes
    start-up and loading."""
    many = instructions(driver, kind, path, name, calls, out_dir, python)
    few = instructions(driver, kind, path, name, calls // 10, out_dir, python)
    return (many - few) / (calls - calls // 10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=200_000)
    args = parser.parse_args()
    if shutil.which('valgrind') is None:
        sys.exit('valgrind is needed (apt-get install valgrind)')
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        driver = tmp / 'driver.py'
        driver.write_text(DRIVER)
        variants = {
            'C API': ('cpython', build_capi(tmp, 'bench_capi'), 'bench_capi'),
            'HPy, CPython ABI': ('cpython', build_ours(tmp, 'cpython', 'bench_hpy_cpy'), 'bench_hpy_cpy'),
            'HPy, universal ABI': ('universal', build_ours(tmp, 'universal', 'bench_hpy_uni'), 'bench_hpy_uni'),
            # the same universal binary, loaded in debug mode
            'HPy, debug mode': ('debug', build_ours(tmp, 'universal', 'bench_hpy_dbg'), 'bench_hpy_dbg'),
            'HPy, trace mode': ('trace', build_ours(tmp, 'universal', 'bench_hpy_trc'), 'bench_hpy_trc'),
        }

        results = {label: per_call(driver, *v, args.calls, tmp) for label, v in variants.items()}
    base = results['C API']
    print(f'instructions per call of add(i, 1) from Python ({args.calls} calls):')
    for label, value in results.items():
        print(f'  {label:20s} {value:8.1f}   ratio to C API: {value / base:.3f}'
              f'   extra: {value - base:+.1f}')
    universal = results['HPy, universal ABI']
    for mode in ('debug', 'trace'):
        print(f'{mode} mode / universal mode: {results[f"HPy, {mode} mode"] / universal:.3f}')


if __name__ == '__main__':
    main()
