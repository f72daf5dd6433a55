"""Build time and extension size: hpy_build against hpy==0.9.0's setuptools
integration, on the same sources, in the same run.

    .venv/bin/python benchmarks/build_speed.py [--abi universal] [--runs 3]

For examples/hello and for a generated project of eight extension modules,
times `pip wheel --no-build-isolation --no-deps .` from a fresh copy with
each builder, alternately (best of --runs), with the CPU time it takes (user
+ system of pip and all it runs: steadier on a shared machine), and the
size of the stripped extension(s) in the wheel. Then the cost of importing
hello from an editable install when nothing changed (meson-python's loader
runs ninja at import). Prints each figure and the ratio hpy_build / HPy 0.9.
--only runs one of the three. Needs the test environment
(./test.sh makes .venv: meson-python, hpy==0.9.0, setuptools).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELLO = ROOT / 'examples' / 'hello'

SETUP_PY = '''
import sys
from setuptools import setup, Extension
sys.argv[1:1] = ['--hpy-abi={abi}']     # HPy 0.9's global option
setup(name='{name}', version='0.1.0', setup_requires=['hpy==0.9.0'],
      hpy_ext_modules=[{exts}])
'''
SETUPTOOLS_PYPROJECT = '''
[build-system]
requires = ["setuptools", "hpy==0.9.0"]
build-backend = "setuptools.build_meta"
'''
HPY_BUILD_PYPROJECT = '''
[build-system]
requires = ["hpy_build"]
build-backend = "hpy_build"
[project]
name = "{name}"
version = "0.1.0"
'''

# One module of the eight-module project: enough functions to make compiling
# it take a while, as a real module does.
FUNC = '''
HPyDef_METH(f{i}, "f{i}", HPyFunc_VARARGS)
static HPy f{i}_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{{
    long a, b;
    double x;
    if (!HPyArg_Parse(ctx, NULL, args, nargs, "lld", &a, &b, &x))
        return HPy_NULL;
    for (int k = 0; k < {i} % 7 + 1; k++)
        x = x * 0.5 + (double)(a ^ (b << k));
    if (x > 1e300) {{
        HPyErr_SetString(ctx, ctx->h_OverflowError, "f{i}: too large");
        return HPy_NULL;
    }}
    return HPy_BuildValue(ctx, "(ld)", a * {i} + b, x);
}}
'''


def module_source(name, nfuncs=60):
    funcs = ''.join(FUNC.format(i=i) for i in range(nfuncs))
    defs = ', '.join('&f%d' % i for i in range(nfuncs))
    return ('#include "hpy.h"\n' + funcs +
            'static HPyDef *defines[] = { %s, NULL };\n' % defs +
            'static HPyModuleDef moddef = { .defines = defines };\n'
            'HPy_MODINIT(%s, moddef)\n' % name)


def write_projects(root, name, sources, abi):
    """The same C sources as an hpy_build project and an HPy 0.9 setuptools one."""
    ours, theirs = root / 'hpy_build' / name, root / 'hpy0.9' / name
    for d in (ours, theirs):
        d.mkdir(parents=True)
        for filename, text in sources.items():
            (d / filename).write_text(text)
    modules = [f[:-2] for f in sources]
    (ours / 'pyproject.toml').write_text(HPY_BUILD_PYPROJECT.format(name=name))
    (ours / 'meson.build').write_text(
        "project('%s', 'c')\n" % name +
        ''.join("hpy_extension('%s', '%s.c', install: true)\n" % (m, m) for m in modules))
    (theirs / 'pyproject.toml').write_text(SETUPTOOLS_PYPROJECT)
    exts = ', '.join("Extension('%s', sources=['%s.c'])" % (m, m) for m in modules)
    (theirs / 'setup.py').write_text(SETUP_PY.format(abi=abi, name=name, exts=exts))
    return ours, theirs


def pip_wheel(project, out, settings=()):
    cmd = [sys.executable, '-m', 'pip', 'wheel', '--quiet', '--no-build-isolation', '--no-deps',
           '--disable-pip-version-check', '--wheel-dir', str(out), *settings, '.']
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit('%s failed in %s:\n%s%s' % (' '.join(cmd), project, proc.stdout, proc.stderr))
    # CPU time of pip and everything it ran: steadier than wall time when
    # other jobs share the machine.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return (elapsed, cpu), next(Path(out).glob('*.whl'))


def stripped_size(wheel, tmp):
    """(file size, code and data) of the wheel's stripped extensions, in bytes.

    Code and data is what is loaded (binutils' `size`: text + data); the
    rest of a small file is the page alignment of its segments (GNU ld's
    default -z separate-code and -z relro), the same for every builder.
    """
    total = loaded = 0
    with zipfile.ZipFile(wheel) as zf:
        for name in zf.namelist():
            if name.endswith(('.so', '.pyd')):
                path = Path(tmp) / Path(name).name
                path.write_bytes(zf.read(name))
                subprocess.run(['strip', '--strip-unneeded', str(path)], check=True)
                total += path.stat().st_size
                out = subprocess.run(['size', str(path)], capture_output=True, text=True,
                                     check=True).stdout.split('\n')[1].split()
                loaded += int(out[0]) + int(out[1])
    return total, loaded


def build_once(project, run, settings, work):
    copy = work / ('run%d' % run) / project.name
    shutil.copytree(project, copy)
    return pip_wheel(copy, work / ('out%d' % run), settings)


def compare(label, sources, abi, runs, tmp):
    root = Path(tmp) / label
    ours, theirs = write_projects(root, label, sources, abi)
    times_ours, times_theirs = [], []
    for i in range(runs):
        # Alternately, so that the load of a shared machine hits both alike.
        elapsed, w_ours = build_once(ours, i, ['-Chpy-abi=' + abi], root / 'work-ours')
        times_ours.append(elapsed)
        elapsed, w_theirs = build_once(theirs, i, [], root / 'work-theirs')
        times_theirs.append(elapsed)
    (t_ours, c_ours), (t_theirs, c_theirs) = min(times_ours), min(times_theirs)
    c_ours, c_theirs = min(c for _, c in times_ours), min(c for _, c in times_theirs)
    s_ours = stripped_size(w_ours, tmp)
    s_theirs = stripped_size(w_theirs, tmp)
    print('%-14s wall time  hpy_build %6.2f s   HPy 0.9 %6.2f s   ratio %.2f'
          % (label, t_ours, t_theirs, t_ours / t_theirs))
    print('%-14s CPU time   hpy_build %6.2f s   HPy 0.9 %6.2f s   ratio %.2f'
          % ('', c_ours, c_theirs, c_ours / c_theirs))
    print('%-14s stripped   hpy_build %6d B   HPy 0.9 %6d B   ratio %.2f'
          % ('', s_ours[0], s_theirs[0], s_ours[0] / s_theirs[0]))
    print('%-14s code+data  hpy_build %6d B   HPy 0.9 %6d B   ratio %.2f'
          % ('', s_ours[1], s_theirs[1], s_ours[1] / s_theirs[1]))


def editable_noop_import(tmp, runs):
    """Seconds that importing hello from an editable install adds when nothing changed."""
    venv = Path(tmp) / 'venv'
    subprocess.run([sys.executable, '-m', 'venv', str(venv)], check=True)
    python = str(venv / 'bin' / 'python')
    wheels = sorted((ROOT / 'dist').glob('hpy_build-*.whl'))
    if not wheels:
        return None
    pipi = [python, '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check']
    subprocess.run(pipi + [str(wheels[-1]), 'meson-python', 'meson', 'ninja'], check=True)
    project = Path(tmp) / 'editable' / 'hello'
    shutil.copytree(HELLO, project)
    subprocess.run(pipi + ['--no-build-isolation', '-Chpy-abi=universal', '-e', str(project)],
                   check=True)

    def timed(code):
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([python, '-c', code], check=True, cwd=tmp)
            samples.append(time.perf_counter() - t)
        return statistics.median(samples)
    timed('import hello')       # the first import after install builds nothing, but warm up
    return timed('import hello') - timed('pass')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--abi', default='universal', choices=['universal', 'cpython'])
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--only', choices=['hello', 'eight-modules', 'editable'],
                        help='run one of the three measurements only')
    args = parser.parse_args()
    wanted = {args.only} if args.only else {'hello', 'eight-modules', 'editable'}
    with tempfile.TemporaryDirectory() as tmp:
        print('ABI %s, best of %d builds, %d cores' % (args.abi, args.runs, os.cpu_count()))
        if 'hello' in wanted:
            compare('hello', {'hello.c': (HELLO / 'hello.c').read_text()}, args.abi, args.runs, tmp)
        if 'eight-modules' in wanted:
            eight = {'mod%d.c' % i: module_source('mod%d' % i) for i in range(8)}
            compare('eight-modules', eight, args.abi, args.runs, tmp)
        noop = editable_noop_import(tmp, 7) if 'editable' in wanted else None
        if noop is not None:
            print('editable install, no-change rebuild at import: %.3f s' % noop)


if __name__ == '__main__':
    main()
