"""The API sweep: the cost of each HPy API operation in hpy_build's universal
runtime against hpy==0.9.0's, running the very same binary.

    .venv/bin/python benchmarks/api_sweep.py [--calls N] [--ops a,b] [--profile a,b]

benchmarks/api_sweep/sweep.c is one module with one function per API
operation (135, calling 149 distinct API functions; each function's doc
string names the ones it calls): f(n, env) runs a C loop of n iterations,
each making the operation once with realistic arguments and closing what it
made. The module is built once as a universal binary (NAME.hpy0.so, ABI
0.0), run by hpy_build.universal.load ("ours") and by HPy 0.9's
hpy.universal.load ("hpy 0.9"); where hpy==0.9.0 is installed, the same
source is also built by its setuptools integration, with its own headers and
helpers, and run in its runtime ("0.9 built", as the benchmark suite's hpy
0.9 columns are; --no-hpy09-build leaves it out); and it is built in the
CPython ABI, where every HPy call inlines to the C API ("C API": the C
API's own cost of the same loop).

Under callgrind, each operation runs N/10 and N iterations, each call alone
between a zeroing of the counters and a dump (benchmarks/suite/cgmark.c),
with the collector off; the difference of the two counts over the
difference of the iterations is the cost of one iteration (the loop's own
few instructions included, the same in every column). Each pair runs
--repeats times with more live objects in the allocator's pools each time,
and the least is kept: an object that is alone in its pool, or takes its
last block, costs some ten instructions more per iteration, by the luck of
the process's history.

Prints one line per operation, sorted by ours / hpy 0.9: instructions per
iteration in each column and ours' ratio to it; then the number of
operations where ours costs more than each HPy 0.9 column. --profile OPS
also prints, for each of OPS, the instructions per iteration in each
function itself, in every column, the functions that differ most first.
Needs valgrind and an installed hpy_build (./test.sh makes .venv, with
hpy==0.9.0); about a minute on two cores.
"""
import argparse
import concurrent.futures
import gc
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / 'api_sweep' / 'sweep.c'
sys.path.insert(0, str(HERE / 'suite'))
import run as suite  # noqa: E402  (the suite's build and callgrind helpers)

NAMES = {'universal': 'sweep_uni', 'hpy09': 'sweep_uni', 'hpy09-built': 'sweep_h09',
         'cpython': 'sweep_cpy'}
TITLES = {'universal': 'ours', 'hpy09': 'hpy 0.9', 'hpy09-built': '0.9 built', 'cpython': 'C API'}


def source(name):
    return SOURCE.read_text().replace('@NAME@', name)


def build(tmp, abi, name):
    from hpy_build import _abi
    return suite.cc(source(name), name, tmp / (name + _abi.ext_suffix(abi)),
                    ['-Wall', '-Werror', *_abi.compile_args(abi)], _abi.link_args(abi))


def build_hpy09(tmp, name):
    """The same source built by hpy==0.9.0's setuptools integration
    (universal ABI, its own headers and helpers): NAME.hpy0.so."""
    directory = tmp / 'hpy09'
    directory.mkdir()
    (directory / f'{name}.c').write_text(source(name))
    (directory / 'setup.py').write_text(
        'from setuptools import setup, Extension\n'
        f"setup(name='sweep', hpy_ext_modules=[Extension({name!r}, sources=[{name + '.c'!r}], "
        "extra_compile_args=['-O2'])])\n")
    proc = subprocess.run([sys.executable, 'setup.py', '--hpy-abi=universal', 'build_ext',
                           '--inplace'], cwd=directory, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit('building with hpy==0.9.0 failed:\n' + proc.stdout + proc.stderr)
    return directory / f'{name}.hpy0.so'


def build_all(tmp, hpy09_build):
    suite.build_cgmark(tmp)
    uni = build(tmp, 'universal', NAMES['universal'])
    built = {'universal': uni}
    if suite.have_hpy09():
        built['hpy09'] = uni            # the same file
        if hpy09_build:
            built['hpy09-built'] = build_hpy09(tmp, NAMES['hpy09-built'])
    built['cpython'] = build(tmp, 'cpython', NAMES['cpython'])
    return built


# ------------------------------------------------------- in the driver

class Env:
    """The `env` argument of every sweep function (see sweep.c)."""

    def __init__(self):
        self.x = 42
        self.sl = slice(1, 10, 2)

    def m(self, *args):
        return None

    @staticmethod
    def f(*args, **kwargs):
        return None


def load(variant, name, path):
    if variant == 'universal':
        import hpy_build.universal
        return hpy_build.universal.load(name, path)
    spec = importlib.util.spec_from_file_location(name, path)
    if variant in ('hpy09', 'hpy09-built'):
        import hpy.universal
        return hpy.universal.load(name, path, spec, debug=False)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def operations(mod):
    """{name: doc} of the module's sweep functions."""
    return {n: getattr(mod, n).__doc__ for n in dir(mod)
            if not n.startswith('_') and callable(getattr(mod, n)) and n != 'Holder'}


def drive(variant, path, name, few, many, repeats, ops):
    """Runs in the process under callgrind: each measured call of each
    operation makes one callgrind dump, named 'OP/N/REPEAT' (see
    cgmark.c). Every call runs in a fresh, empty contextvars.Context, so
    that HPyContextVar_Set costs the same whatever ran before it."""
    import contextvars
    import cgmark
    mod = load(variant, name, path)
    env = Env()
    # no collection in the middle of a measured call: the operations free
    # what they make (reference counts), and a collection costs thousands
    gc.disable()
    for op in ops or operations(mod):
        f = getattr(mod, op)
        contextvars.Context().run(f, few, env)      # warm-up: caches, interned strings
        ballast = []
        for r in range(repeats):
            # Each repeat adds two live objects to every small size class of
            # the allocator. An operation that makes and frees an object
            # costs more when its object takes the last free block of its
            # pool, or is the only one in it (the pool leaves its list and
            # comes back every time): which process hits that depends on its
            # whole history, and the least of the repeats leaves it out.
            if r:
                ballast.extend(bytes(size) for size in range(1, 512, 8))
            for n in (few, many):
                cgmark.measure(contextvars.Context().run, (f, n, env), f'{op}/{n}/{r}')


# -------------------------------------------------------- in the parent

def measure(tmp, out_dir, variant, path, few, many, repeats, ops, extra):
    """{op: instructions per iteration}: the least of the repeats (what
    varies between them is the allocator's state, not the operation)."""
    prefix = out_dir / f'cg.{variant}'
    subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={prefix}.%p', *extra,
                    sys.executable, __file__, '--drive', variant, str(path), NAMES[variant],
                    str(few), str(many), str(repeats), *ops],
                   check=True, capture_output=True, env=suite.driver_env(tmp))
    counts = suite.parse_dumps(sorted(out_dir.glob(f'cg.{variant}.*')))
    names = {label.split('/')[0] for label in counts}
    return {op: min(counts[f'{op}/{many}/{r}'] - counts[f'{op}/{few}/{r}']
                    for r in range(repeats)) / (many - few)
            for op in names}


def self_costs(path):
    """{function: instructions in the function itself} of one callgrind dump
    written with --compress-strings=no."""
    costs, fn, call_line = {}, None, False
    with open(path) as f:
        for line in f:
            if line.startswith('fn='):
                fn = line[3:].strip()
            elif line.startswith('calls='):
                call_line = True            # the next line is the callee's cost
            elif line[:1].isdigit() or line[:1] in '+-*':
                if call_line:
                    call_line = False
                    continue
                fields = line.split()
                if len(fields) >= 2:
                    costs[fn] = costs.get(fn, 0) + int(fields[1])
    return costs


def dump_file(out_dir, variant, label):
    for path in out_dir.glob(f'cg.{variant}.*'):
        with open(path) as f:
            if f'Client Request: {label}\n' in f.read(4096):
                return path
    raise LookupError(f'no callgrind dump {label} of {variant}')


def print_profile(out_dir, op, variants, few, many):
    """Per function, the instructions of one iteration of *op* in each
    variant (first repeat), the functions that differ most first."""
    per = {}
    for v in variants:
        a = self_costs(dump_file(out_dir, v, f'{op}/{few}/0'))
        b = self_costs(dump_file(out_dir, v, f'{op}/{many}/0'))
        per[v] = {fn: (b.get(fn, 0) - a.get(fn, 0)) / (many - few) for fn in set(a) | set(b)}
    print(f'\n{op}: instructions per iteration in each function itself')
    print(''.join(f'{TITLES[v]:>10s}' for v in variants) + '  function')
    fns = set().union(*per.values())
    spread = {fn: max(p.get(fn, 0) for p in per.values()) - min(p.get(fn, 0) for p in per.values())
              for fn in fns}
    for fn in sorted(fns, key=lambda fn: (-spread[fn], -per[variants[0]].get(fn, 0))):
        if max(abs(p.get(fn, 0)) for p in per.values()) >= 0.5:
            print(''.join(f'{per[v].get(fn, 0):10.1f}' for v in variants) + '  ' + fn)
    print(''.join(f'{sum(per[v].values()):10.1f}' for v in variants) + '  total')


def api_functions(path, name):
    """{op: [API functions]} from the doc strings (loaded in this process)."""
    return {op: doc.split() for op, doc in operations(load('cpython', name, path)).items()}


def print_table(instr, apis):
    """The table, sorted by ours / hpy 0.9; returns the operations where ours
    costs more than hpy 0.9 (running the same binary)."""
    ours, capi = instr['universal'], instr['cpython']
    others = [v for v in ('hpy09', 'hpy09-built') if v in instr]
    first = instr[others[0]] if others else None
    ops = sorted(ours, key=lambda op: (-(ours[op] / first[op]) if first else 0, op))
    head = f'{"operation":32s}{"ours":>9s}'
    for v in others:
        head += f'{TITLES[v]:>10s}{"ratio":>7s}'
    print(head + f'{"C API":>9s}{"ratio":>7s}  API functions')
    for op in ops:
        line = f'{op:32s}{ours[op]:9.1f}'
        for v in others + ['cpython']:
            width = 9 if v == 'cpython' else 10
            ratio = f'{ours[op] / instr[v][op]:7.3f}' if instr[v][op] > 0 else f'{"-":>7s}'
            line += f'{instr[v][op]:{width}.1f}{ratio}'
        print(line + '  ' + ' '.join(apis[op]))
    covered = {f for fs in apis.values() for f in fs}
    print(f'\n{len(ops)} operations, {len(covered)} distinct API functions; instructions per '
          'iteration; ratio: ours to the column before it')
    print('hpy 0.9: the same binary in hpy==0.9.0\'s runtime; 0.9 built: the source built by '
          'hpy==0.9.0 (its headers and helpers), in its runtime; C API: the source in the '
          'CPython ABI')
    above = []
    for v in others:
        worse = [op for op in ops if ours[op] > instr[v][op]]
        print(f'ours above {TITLES[v]} on {len(worse)} of {len(ops)} operations'
              + (': ' + ', '.join(worse) if worse else ''))
        if v == 'hpy09':
            above = worse
    return above


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=400,
                        help='iterations of each operation (and a tenth of them) under callgrind')
    parser.add_argument('--ops', help='comma-separated subset of the operations')
    parser.add_argument('--keep', metavar='DIR',
                        help='keep the builds and callgrind files (one per operation and count, '
                             'for callgrind_annotate) in DIR')
    parser.add_argument('--repeats', type=int, default=3,
                        help='measurements of each operation, the least kept (default 3)')
    parser.add_argument('--profile', metavar='OPS',
                        help='comma-separated operations to measure and break down by function '
                             '(instructions in each function itself, ours against hpy 0.9)')
    parser.add_argument('--no-hpy09-build', action='store_true',
                        help='leave out the column of the source built by hpy==0.9.0')
    parser.add_argument('--drive', nargs='+', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.drive:
        variant, path, name, few, many, repeats, *ops = args.drive
        return drive(variant, path, name, int(few), int(many), int(repeats), ops)
    if shutil.which('valgrind') is None:
        sys.exit('valgrind is needed (apt-get install valgrind)')
    if not suite.have_hpy09():
        print('hpy==0.9.0 is not installed: its columns are left out')
    few, many = max(1, args.calls // 10), args.calls
    if many <= few:
        parser.error('--calls must be at least 2')
    with tempfile.TemporaryDirectory() as tmpname:
        tmp = Path(args.keep) if args.keep else Path(tmpname)
        if args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
        built = build_all(tmp, not args.no_hpy09_build)
        apis = api_functions(built['cpython'], NAMES['cpython'])
        chosen = args.profile or args.ops
        ops = chosen.split(',') if chosen else []
        unknown = set(ops) - set(apis)
        if unknown:
            parser.error('unknown operation(s): ' + ', '.join(sorted(unknown)))
        out_dir = tmp / 'callgrind'
        out_dir.mkdir()
        # function totals only (the dumps are many: smaller and faster);
        # files read one at a time must each name their functions
        extra = ['--dump-line=no']
        if args.keep or args.profile:
            extra.append('--compress-strings=no')
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = {v: pool.submit(measure, tmp, out_dir, v, p, few, many, args.repeats,
                                      ops, extra)
                       for v, p in built.items()}
            instr = {v: f.result() for v, f in futures.items()}
        if args.profile:
            for op in ops:
                print_profile(out_dir, op, list(built), few, many)
    print(f'Python {sys.version.split()[0]}; callgrind, {few} and {many} iterations per operation')
    print_table(instr, {op: apis[op] for op in instr['universal']})
    return 0


if __name__ == '__main__':
    sys.exit(main())
