"""Per-call wall time on PyPy of add(i, 1) in a universal binary through
hpy_build's runtime, against the same function written on the C API (cpyext),
in the same run. Wall time, since callgrind cannot follow PyPy's JIT.

    pypy3-venv/bin/python benchmarks/pypy_call_overhead.py [--calls N] [--repeat R]

Run it with a PyPy that has hpy_build installed (pypy3 -m pip install .).
Prints the best of R runs of N calls, in ns per call, and the ratio.
"""
import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / 'suite'))
from run import build_capi, build_ours  # noqa: E402  the benchmark suite's modules

import hpy_build.universal  # noqa: E402


def build(tmp):
    capi = build_capi(tmp, 'bench_capi')
    uni = build_ours(tmp, 'universal', 'bench_hpy')
    spec = importlib.util.spec_from_file_location('bench_capi', capi)
    capi_mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(capi_mod)
    return capi_mod.add, hpy_build.universal.load('bench_hpy', str(uni)).add


def per_call(f, n):
    start = time.perf_counter()
    for i in range(n):
        f(i, 1)
    return (time.perf_counter() - start) / n * 1e9


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=2_000_000)
    parser.add_argument('--repeat', type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        capi, uni = build(Path(tmp))
        assert capi(2, 3) == uni(2, 3) == 5
        best = {'C API (cpyext)': [], 'universal (hpy_build runtime)': []}
        for _ in range(args.repeat):   # interleaved, so both see the same machine load
            best['C API (cpyext)'].append(per_call(capi, args.calls))
            best['universal (hpy_build runtime)'].append(per_call(uni, args.calls))
    base = min(best['C API (cpyext)'])
    print('%s, %d calls, best of %d' % (sys.version.split('\n')[-1].strip(), args.calls, args.repeat))
    for name, times in best.items():
        print('%-32s %8.1f ns/call  ratio %.3f' % (name, min(times), min(times) / base))


if __name__ == '__main__':
    main()
