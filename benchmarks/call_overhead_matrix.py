"""Call overhead on every interpreter of the matrix (tests/support/interpreters.py):
one universal binary, compiled once here, loaded by hpy_build's runtime on
each interpreter, against the same function as a C API module and as an
HPy CPython-ABI module compiled for that interpreter, in the same run.
Counted in instructions by valgrind's callgrind, as benchmarks/call_overhead.py.

    .venv/bin/python benchmarks/call_overhead_matrix.py [--calls N] [--envs DIR]

Each other interpreter gets a virtual environment with the hpy_build wheel
of this checkout built for it (as tests/interpreters/ does), in a temporary
directory, or in DIR where --envs is given: environments found there are
reused (delete DIR after changing the runtime). Interpreters that are not
installed are listed and left out.
"""
import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / 'tests'))

from call_overhead import DRIVER, per_call   # noqa: E402
from run import build_ours, cc, source   # noqa: E402  (benchmarks/suite/, on the path now)
from support.interpreters import MATRIX, MatrixEnv, Missing, is_host, locate, run   # noqa: E402


# What a module compiled for an interpreter needs, asked of that interpreter.
BUILD_FACTS = r'''
import json, sysconfig
from hpy_build import _abi
print(json.dumps({
    'include': sysconfig.get_paths()['include'],
    'ext_suffix': sysconfig.get_config_var('EXT_SUFFIX'),
    'cpython_cflags': _abi.compile_args('cpython'),
    'cpython_libs': _abi.link_args('cpython'),
}))
'''


def environments(envs_dir):
    """[(row, python)] of the interpreters found; prints the missing ones."""
    found = []
    for row in MATRIX:
        if is_host(row):
            found.append((row, Path(sys.executable)))
            continue
        try:
            executable = locate(row)
        except Missing as missing:
            print(f'left out: {missing}')
            continue
        env = MatrixEnv(row, executable, envs_dir / row.id)
        if not (env.python.exists() and list(env.wheels.glob('hpy_build-*.whl'))):
            print(f'{row.id}: building hpy_build for {executable} ...', flush=True)
            shutil.rmtree(env.path, ignore_errors=True)
            env.create()
        found.append((row, env.python))
    return found


def measure(row, python, universal_module, driver, calls, tmp):
    """{label: instructions per call} on one interpreter."""
    facts = json.loads(run(python, '-c', BUILD_FACTS).stdout)
    here = tmp / row.id
    here.mkdir()
    capi_name, hpy_name = f'bench_capi_{row.id.replace(".", "")}', f'bench_hpy_{row.id.replace(".", "")}'
    capi = cc(source('capi', capi_name), capi_name, here / (capi_name + facts['ext_suffix']),
              ['-I' + facts['include']])
    hpy_cpython = cc(source('hpy', hpy_name), hpy_name, here / (hpy_name + facts['ext_suffix']),
                     facts['cpython_cflags'], facts['cpython_libs'])
    uni_name, uni_path = universal_module
    return {
        'C API': per_call(driver, 'cpython', capi, capi_name, calls, here, python),
        'HPy, CPython ABI': per_call(driver, 'cpython', hpy_cpython, hpy_name, calls, here, python),
        'HPy, universal ABI': per_call(driver, 'universal', uni_path, uni_name, calls, here, python),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=200_000)
    parser.add_argument('--envs', type=Path, help='keep (and reuse) the environments here')
    args = parser.parse_args()
    if shutil.which('valgrind') is None:
        sys.exit('valgrind is needed (apt-get install valgrind)')
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        envs_dir = args.envs.resolve() if args.envs else tmp / 'envs'
        rows = environments(envs_dir)
        driver = tmp / 'driver.py'
        driver.write_text(DRIVER)
        # the one universal binary every interpreter loads
        uni = build_ours(tmp, 'universal', 'bench_universal')
        table = {}
        for row, python in rows:
            print(f'{row.id}: measuring ...', flush=True)
            table[row.id] = measure(row, python, ('bench_universal', uni), driver, args.calls, tmp)
    print(f'\ninstructions per call of add(i, 1) from Python ({args.calls} calls); '
          f'one universal binary, compiled by {sys.implementation.name} '
          f'{sys.version_info[0]}.{sys.version_info[1]}:')
    print(f'  {"interpreter":14s} {"C API":>8s} {"HPy cpython":>12s} {"HPy universal":>14s}'
          f' {"cpython/C API":>14s} {"universal/C API":>16s} {"universal extra":>16s}')
    for interp, r in table.items():
        base, cpy, uni = r['C API'], r['HPy, CPython ABI'], r['HPy, universal ABI']
        print(f'  {interp:14s} {base:8.1f} {cpy:12.1f} {uni:14.1f} {cpy / base:14.3f}'
              f' {uni / base:16.3f} {uni - base:+16.1f}')


if __name__ == '__main__':
    main()
