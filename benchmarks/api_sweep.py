"""The API sweep: the cost of each HPy API operation in hpy_build's universal
runtime against hpy==0.9.0's, running the very same binary.

    .venv/bin/python benchmarks/api_sweep.py [--calls N] [--ops a,b] [--keep DIR]

benchmarks/api_sweep/sweep.c is one module with one function per API
operation (some 120, covering more than 100 API functions; each function's
doc string names the ones it calls): f(n, env) runs a C loop of n
iterations, each making the operation once and closing what it made. The
module is built once as a universal binary (NAME.hpy0.so, ABI 0.0), loaded
by hpy_build.universal.load and by HPy 0.9's hpy.universal.load, and once in
the CPython ABI, where every HPy call inlines to the C API: that column is
the C API's own cost of the same loop. Under callgrind, each operation runs
N/10 and N iterations (after a warm-up run); the difference of the two
counts over the difference of the iterations is the cost of one iteration
(the loop's own few instructions included, the same in every column).

Prints one line per operation, sorted by the ratio of ours to HPy 0.9's:
instructions per iteration in our runtime, in HPy 0.9's, the ratio, then the
CPython ABI's count and our ratio to it; then the number of operations where
ours costs more than HPy 0.9's. Needs valgrind and an installed hpy_build
(./test.sh makes .venv, with hpy==0.9.0); without hpy==0.9.0 its columns are
left out. About a minute on two cores.
"""
import argparse
import concurrent.futures
import gc
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / 'api_sweep' / 'sweep.c'
sys.path.insert(0, str(HERE / 'suite'))
import run as suite  # noqa: E402  (the suite's build and callgrind helpers)

NAMES = {'universal': 'sweep_uni', 'hpy09': 'sweep_uni', 'cpython': 'sweep_cpy'}
TITLES = {'universal': 'ours', 'hpy09': 'hpy 0.9', 'cpython': 'C API'}


def build(tmp, abi, name):
    from hpy_build import _abi
    text = SOURCE.read_text().replace('@NAME@', name)
    return suite.cc(text, name, tmp / (name + _abi.ext_suffix(abi)),
                    ['-Wall', '-Werror', *_abi.compile_args(abi)], _abi.link_args(abi))


def build_all(tmp):
    suite.build_cgmark(tmp)
    uni = build(tmp, 'universal', NAMES['universal'])
    built = {'universal': uni}
    if suite.have_hpy09():
        built['hpy09'] = uni            # the same file
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
    if variant == 'hpy09':
        import importlib.util
        import hpy.universal
        spec = importlib.util.spec_from_file_location(name, path)
        return hpy.universal.load(name, path, spec, debug=False)
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def operations(mod):
    """{name: doc} of the module's sweep functions."""
    return {n: getattr(mod, n).__doc__ for n in dir(mod)
            if not n.startswith('_') and callable(getattr(mod, n)) and n != 'Holder'}


def drive(variant, path, name, few, many, repeats, ops):
    """Runs in the process under callgrind: each operation's measured runs,
    each closed by a callgrind dump named 'OP/N/REPEAT'. Every call runs in
    a fresh, empty contextvars.Context, so that HPyContextVar_Set costs the
    same whatever ran before it."""
    import contextvars
    import cgmark
    mod = load(variant, name, path)
    env = Env()
    for op in ops or operations(mod):
        f = getattr(mod, op)
        contextvars.Context().run(f, few, env)      # warm-up: caches, interned strings
        for r in range(repeats):
            for n in (few, many):
                gc.collect()
                cgmark.dump('cleanup')
                contextvars.Context().run(f, n, env)
                cgmark.dump(f'{op}/{n}/{r}')


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
    names = {label.split('/')[0] for label in counts if label != 'cleanup'}
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
    ours, theirs, capi = instr['universal'], instr.get('hpy09'), instr['cpython']
    ops = sorted(ours, key=lambda op: (-(ours[op] / theirs[op]) if theirs else 0, op))
    head = f'{"operation":32s}{"ours":>9s}'
    if theirs:
        head += f'{"hpy 0.9":>9s}{"ratio":>8s}'
    print(head + f'{"C API":>9s}{"/C API":>8s}  API functions')
    for op in ops:
        line = f'{op:32s}{ours[op]:9.1f}'
        if theirs:
            line += f'{theirs[op]:9.1f}{ours[op] / theirs[op]:8.3f}'
        line += f'{capi[op]:9.1f}{ours[op] / capi[op]:8.3f}'
        print(line + '  ' + ' '.join(apis[op]))
    covered = {f for fs in apis.values() for f in fs}
    print(f'\n{len(ops)} operations, {len(covered)} distinct API functions '
          '(instructions per iteration; C API: the same source in the CPython ABI)')
    if theirs:
        above = [op for op in ops if ours[op] > theirs[op]]
        print(f'ours above hpy 0.9 on {len(above)} of {len(ops)} operations'
              + (': ' + ', '.join(above) if above else ''))
        return above
    return []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=1000,
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
        built = build_all(tmp)
        apis = api_functions(built['cpython'], NAMES['cpython'])
        chosen = args.profile or args.ops
        ops = chosen.split(',') if chosen else []
        unknown = set(ops) - set(apis)
        if unknown:
            parser.error('unknown operation(s): ' + ', '.join(sorted(unknown)))
        out_dir = tmp / 'callgrind'
        out_dir.mkdir()
        # files read one at a time must each name their functions
        extra = ['--compress-strings=no'] if args.keep or args.profile else []
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
