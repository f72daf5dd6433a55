"""The benchmark suite: every case of cases.py on the C API and on HPy (CPython
ABI, universal ABI in universal, debug and trace modes, and, where hpy==0.9.0
is installed, the same HPy source built by it and run in its universal and
debug modes), side by side in one run.

    .venv/bin/python benchmarks/suite/run.py [--calls N] [--cases a,b] [--variants ...]

Prints, per case, callgrind's instructions per iteration and the best wall
time per iteration, each with its ratio to the C API, then the time of
importing a universal module through hpy_build's import hook and through
HPy 0.9's stub file, then the project's goals and whether they are met.
Instruction counts are the difference of a run of N/10 and one of N
iterations (start-up and set-up cancel out); they include the Python loop
around the call, the same for every variant. Needs valgrind (without it,
--no-callgrind) and an installed hpy_build (./test.sh makes .venv).
"""
import argparse
import concurrent.futures
import json
import math
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from hpy_build import _abi

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from cases import NAMES, NOT_RUN, cases_for  # noqa: E402

VARIANTS = ['capi', 'cpython', 'universal', 'debug', 'trace', 'hpy09-universal', 'hpy09-debug']
TITLES = {'capi': 'C API', 'cpython': 'CPython ABI', 'universal': 'universal',
          'debug': 'debug', 'trace': 'trace', 'hpy09-universal': 'hpy09 univ',
          'hpy09-debug': 'hpy09 debug'}
CC = (sysconfig.get_config_var('CC') or 'cc').split()[0]


def have_hpy09():
    try:
        import hpy.devel  # noqa: F401
        import hpy.universal  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------------ builds

def source(kind, name):
    return (HERE / f'cases_{kind}.c').read_text().replace('@NAME@', name)


def cc(src_text, name, out, flags, libs=()):
    src = out.parent / f'{name}.c'
    src.write_text(src_text)
    subprocess.run([CC, '-shared', '-fPIC', '-O2', *flags, str(src), '-o', str(out), *libs],
                   check=True)
    return out


def python_flags():
    return ['-I' + sysconfig.get_paths()['include']]


def build_capi(tmp, name='bench_capi'):
    return cc(source('capi', name), name, tmp / (name + _abi.platform_ext_suffix()),
              python_flags())


def build_ours(tmp, abi, name):
    return cc(source('hpy', name), name, tmp / (name + _abi.ext_suffix(abi)),
              _abi.compile_args(abi), _abi.link_args(abi))


def build_cgmark(tmp):
    cc((HERE / 'cgmark.c').read_text(), 'cgmark', tmp / ('cgmark' + _abi.platform_ext_suffix()),
       python_flags())


def build_hpy09(directory, names):
    """The HPy source built by hpy==0.9.0's setuptools integration (universal
    ABI, build_ext --inplace: NAME.hpy0.so and the stub NAME.py)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        (directory / f'{name}.c').write_text(source('hpy', name))
    exts = ', '.join(f"Extension({n!r}, sources=[{n + '.c'!r}], extra_compile_args=['-O2'])"
                     for n in names)
    (directory / 'setup.py').write_text(
        'from setuptools import setup, Extension\n'
        f"setup(name='bench', hpy_ext_modules=[{exts}])\n")
    proc = subprocess.run([sys.executable, 'setup.py', '--hpy-abi=universal', 'build_ext',
                           '--inplace'], cwd=directory, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit('building with hpy==0.9.0 failed:\n' + proc.stdout + proc.stderr)
    return {n: directory / f'{n}.hpy0.so' for n in names}


def build_all(tmp, variants, with_import):
    """{variant: (path, module name)}, and the import directories."""
    build_cgmark(tmp)
    built = {}
    if 'capi' in variants:
        built['capi'] = (build_capi(tmp), 'bench_capi')
    if 'cpython' in variants:
        built['cpython'] = (build_ours(tmp, 'cpython', 'bench_cpy'), 'bench_cpy')
    if {'universal', 'debug', 'trace'} & set(variants):
        path = build_ours(tmp, 'universal', 'bench_uni')
        for v in ('universal', 'debug', 'trace'):
            built[v] = (path, 'bench_uni')
    hpy09 = have_hpy09() and any(v.startswith('hpy09') for v in variants)
    names09 = ['bench_h09'] + (['bench_h09_a', 'bench_h09_b'] if with_import else [])
    if hpy09:
        paths = build_hpy09(tmp / 'hpy09', names09)
        for v in ('hpy09-universal', 'hpy09-debug'):
            built[v] = (paths['bench_h09'], 'bench_h09')
    imports = {}
    if with_import:
        ours = tmp / 'import_ours'
        ours.mkdir()
        for n in ('bench_imp_a', 'bench_imp_b'):
            build_ours(ours, 'universal', n)
        imports['universal'] = (ours, 'bench_imp_a', 'bench_imp_b')
        if hpy09:
            imports['hpy09-universal'] = (tmp / 'hpy09', 'bench_h09_a', 'bench_h09_b')
    return {v: built[v] for v in variants if v in built}, imports


# ------------------------------------------------------------ measuring

def driver_env(tmp):
    # a fixed hash seed: string hashing changes dict probing, hence the count
    return dict(os.environ, PYTHONHASHSEED='0',
                PYTHONPATH=os.pathsep.join([str(tmp), os.environ.get('PYTHONPATH', '')]))


def parse_dumps(files):
    """{label: instructions} from callgrind dump files."""
    counts = {}
    for f in files:
        text = f.read_text()
        label = re.search(r'^desc: Trigger: Client Request: (.*)$', text, re.M)
        total = re.search(r'^(?:summary|totals):\s*(\d+)', text, re.M)
        if label and total:
            counts[label.group(1)] = int(total.group(1))
    return counts


def callgrind(tmp, out_dir, variant, args, extra_valgrind=()):
    prefix = out_dir / f'cg.{variant}'
    subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={prefix}.%p',
                    *extra_valgrind, sys.executable, str(HERE / 'driver.py'), *args],
                   check=True, capture_output=True, env=driver_env(tmp))
    return parse_dumps(sorted(out_dir.glob(f'cg.{variant}.*')))


def measure_callgrind(tmp, out_dir, variant, path, name, few, many, cases, extra):
    counts = callgrind(tmp, out_dir, variant,
                       ['callgrind', variant, str(path), name, str(few), str(many), *cases], extra)
    return {case: (counts[f'{case}/{many}'] - counts[f'{case}/{few}']) / (many - few)
            for case in cases}


def measure_time(tmp, variant, path, name, few, many, cases):
    proc = subprocess.run([sys.executable, str(HERE / 'driver.py'), 'time', variant, str(path),
                           name, str(few), str(many), *cases],
                          check=True, capture_output=True, text=True, env=driver_env(tmp))
    return json.loads(proc.stdout.splitlines()[-1])


def measure_import(tmp, out_dir, variant, directory, a, b, use_callgrind, repeats):
    result = {}
    if use_callgrind:
        counts = callgrind(tmp, out_dir, 'import-' + variant,
                           ['import-callgrind', variant, str(directory), a, b])
        result['instr'] = {k.split('/')[0]: v for k, v in counts.items() if k != 'start'}
    best = {}
    for _ in range(repeats):
        proc = subprocess.run([sys.executable, str(HERE / 'driver.py'), 'import-time', variant,
                               str(directory), a, b],
                              check=True, capture_output=True, text=True, env=driver_env(tmp))
        for k, v in json.loads(proc.stdout.splitlines()[-1]).items():
            best[k] = min(best.get(k, v), v)
    result['time'] = best
    return result


# ------------------------------------------------------------- printing

def geomean(values):
    values = list(values)
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float('nan')


def print_table(title, results, cases, variants, unit, scale):
    print(f'\n{title} (ratio to the C API in brackets)')
    width = 17
    print(f'{"case":16s}' + ''.join(f'{TITLES[v]:>{width}s}' for v in variants))
    for case in cases:
        base = results['capi'][case]
        cells = []
        for v in variants:
            value = results[v].get(case)
            cells.append('not run' if value is None else
                         f'{value * scale:9.{1 if scale == 1 else 0}f} ({value / base:5.3f})')
        print(f'{case:16s}' + ''.join(f'{c:>{width}s}' for c in cells))
    print(f'{"geomean ratio":16s}' + ''.join(
        f'{geomean(results[v][c] / results["capi"][c] for c in cases if c in results[v]):>{width}.3f}'
        for v in variants))
    print(f'{"worst ratio":16s}' + ''.join(
        f'{max(results[v][c] / results["capi"][c] for c in cases if c in results[v]):>{width}.3f}'
        for v in variants))
    print(f'(unit: {unit})')
    for case in cases:
        skipped = [TITLES[v].strip() for v in variants if case not in results[v]]
        if skipped:
            print(f'{case} not run by {", ".join(skipped)}: {NOT_RUN[case][1]}')


def goal(ok, text):
    print(f'  [{"met" if ok else "NOT MET"}] {text}')
    return ok


def print_goals(instr, times, imports, cases):
    print('\nGoals (instruction counts; wall times beside for reference):')
    results = []

    def ratio(v, c, base='capi', data=instr):
        return data[v][c] / data[base][c]

    if 'cpython' in instr:
        worst = max(cases, key=lambda c: ratio('cpython', c))
        results.append(goal(ratio('cpython', worst) <= 1.01,
                            f'CPython ABI within 1% of the C API on every case: worst '
                            f'{worst} {ratio("cpython", worst):.3f}'))
    if 'universal' in instr:
        if 'hpy09-universal' in instr:
            both = [c for c in cases if c in instr['hpy09-universal']]
            worse = [c for c in both if instr['universal'][c] > instr['hpy09-universal'][c]]
            worst = max(both, key=lambda c: ratio('universal', c, 'hpy09-universal'))
            results.append(goal(not worse, f'universal never more instructions than hpy 0.9 '
                                f'universal: {"worst" if worse else "closest"} {worst} '
                                f'{ratio("universal", worst, "hpy09-universal"):.3f} of hpy 0.9'
                                + (f'; more on {", ".join(worse)}' if worse else '')))
        g = geomean(ratio('universal', c) for c in cases)
        results.append(goal(g <= 1.05, f'universal within 5% of the C API in geometric mean: '
                                       f'{g:.3f}'))
        worst = max(cases, key=lambda c: ratio('universal', c))
        results.append(goal(ratio('universal', worst) <= 1.10,
                            f'universal within 10% of the C API on the worst case: {worst} '
                            f'{ratio("universal", worst):.3f}'))
    if 'debug' in instr and 'hpy09-debug' in instr:
        both = [c for c in cases if c in instr['hpy09-debug']]
        worse = [c for c in both if instr['debug'][c] > instr['hpy09-debug'][c]]
        worst = max(both, key=lambda c: ratio('debug', c, 'hpy09-debug'))
        tw = ''
        if times:
            tworst = max(both, key=lambda c: ratio('debug', c, 'hpy09-debug', times))
            tw = f' (wall time: worst {tworst} {ratio("debug", tworst, "hpy09-debug", times):.2f})'
        results.append(goal(not worse, f'debug no slower than hpy 0.9 debug on every case: worst '
                            f'{worst} {ratio("debug", worst, "hpy09-debug"):.3f} of hpy 0.9{tw}'
                            + (f'; slower on {", ".join(worse)}' if worse else '')))
    if 'universal' in imports and 'hpy09-universal' in imports:
        ours, theirs = imports['universal'], imports['hpy09-universal']
        for label in ('import_cold', 'import_warm'):
            if 'instr' in ours:
                r = ours['instr'][label] / theirs['instr'][label]
                t = ours['time'][label] / theirs['time'][label]
                results.append(goal(r <= 1.0, f'{label}: universal module through the import hook '
                                    f'{r:.3f} of hpy 0.9\'s stub loader (wall time {t:.2f})'))
            else:
                t = ours['time'][label] / theirs['time'][label]
                results.append(goal(t <= 1.0, f'{label}: import hook {t:.2f} of hpy 0.9\'s stub '
                                    f'loader in wall time'))
    return all(results)


def print_imports(imports):
    if not imports:
        return
    print('\nImporting a universal module (cold: the first, loads the runtime; warm: a second one)')
    for v, r in imports.items():
        how = 'import hook' if v == 'universal' else 'hpy 0.9 stub .py'
        parts = []
        for label in ('import_cold', 'import_warm'):
            instr = f'{r["instr"][label]:,} instr, ' if 'instr' in r else ''
            parts.append(f'{label[7:]}: {instr}{r["time"][label] * 1e6:.0f} us')
        print(f'  {TITLES[v]:12s} ({how:16s}) ' + '; '.join(parts))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=2000,
                        help='iterations of each case under callgrind (default 2000)')
    parser.add_argument('--time-calls', type=int, default=100_000,
                        help='iterations of each case per timed run (default 100000)')
    parser.add_argument('--cases', help='comma-separated subset of: ' + ', '.join(NAMES))
    parser.add_argument('--variants', help='comma-separated subset of: ' + ', '.join(VARIANTS))
    parser.add_argument('--no-callgrind', action='store_true', help='wall time only')
    parser.add_argument('--no-time', action='store_true', help='instruction counts only')
    parser.add_argument('--no-import', action='store_true', help='skip the import measurement')
    parser.add_argument('--import-repeats', type=int, default=10,
                        help='timed imports (fresh processes) per variant, best kept (default 10)')
    parser.add_argument('--keep', metavar='DIR',
                        help='keep builds and callgrind files (one per case and count) in DIR')
    parser.add_argument('--dump-instr', action='store_true',
                        help='callgrind --dump-instr=yes (for callgrind_annotate / kcachegrind)')
    parser.add_argument('-j', '--jobs', type=int, default=2)
    args = parser.parse_args(argv)

    cases = args.cases.split(',') if args.cases else NAMES
    unknown = set(cases) - set(NAMES)
    if unknown:
        parser.error('unknown case(s): ' + ', '.join(sorted(unknown)))
    variants = args.variants.split(',') if args.variants else list(VARIANTS)
    if 'capi' not in variants:
        variants.insert(0, 'capi')      # the baseline of every ratio
    unknown = set(variants) - set(VARIANTS)
    if unknown:
        parser.error('unknown variant(s): ' + ', '.join(sorted(unknown)))
    use_callgrind = not args.no_callgrind
    if use_callgrind and shutil.which('valgrind') is None:
        sys.exit('valgrind is needed (apt-get install valgrind), or pass --no-callgrind')
    if not have_hpy09():
        print('hpy==0.9.0 is not installed: its columns are left out')
    few = max(1, args.calls // 10)
    tfew = max(1, args.time_calls // 10)

    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(args.keep) if args.keep else Path(tmpname)
        if args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
        built, import_dirs = build_all(tmp, variants, not args.no_import)
        variants = list(built)
        out_dir = tmp / 'callgrind'
        out_dir.mkdir()
        extra = ['--dump-instr=yes'] if args.dump_instr else []
        instr, times, imports = {}, {}, {}
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            if use_callgrind:
                futures = {v: pool.submit(measure_callgrind, tmp, out_dir, v, p, n, few,
                                          args.calls, cases_for(v, cases), extra)
                           for v, (p, n) in built.items()}
                instr = {v: f.result() for v, f in futures.items()}
            if not args.no_import:
                futures = {v: pool.submit(measure_import, tmp, out_dir, v, d, a, b,
                                          use_callgrind, args.import_repeats)
                           for v, (d, a, b) in import_dirs.items()}
                imports = {v: f.result() for v, f in futures.items()}
        # timing alone, one process at a time
        if not args.no_time:
            for v, (p, n) in built.items():
                times[v] = measure_time(tmp, v, p, n, tfew, args.time_calls, cases_for(v, cases))

    print(f'Python {sys.version.split()[0]}, {sys.executable}')
    if instr:
        print_table(f'Instructions per iteration (callgrind, {args.calls} iterations)',
                    instr, cases, variants, 'instructions', 1)
    if times:
        print_table(f'Wall time per iteration (best of 5 runs of {args.time_calls})',
                    times, cases, variants, 'ns', 1e9)
    print_imports(imports)
    print_goals(instr or times, times, imports, cases)
    return 0


if __name__ == '__main__':
    sys.exit(main())
