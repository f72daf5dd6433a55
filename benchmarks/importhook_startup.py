"""What the import hook adds to interpreter start-up (`python -c pass`).

    .venv/bin/python benchmarks/importhook_startup.py [--runs N]

Makes a scratch virtual environment holding only hpy_build's Python files
and its import hook with the .pth that installs it (copied from the
installed hpy_build), then times `python -c pass` with the .pth enabled and
disabled, one run each way in turn: the median and the minimum wall time of
each, and their differences. With valgrind installed it also counts the
instructions of a start-up each way (stable on a busy machine; the median
of three fixed hash seeds), and those of a program that imports some 150
modules of the standard library (what the hook costs each later import).
"""
import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import hpy_build

PTH = 'hpy_build-importhook.pth'
HOOK = '_hpy_build_importhook.py'


def scratch_venv(root):
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', str(root)], check=True)
    python = root / 'bin' / 'python'
    site = Path(subprocess.run([python, '-c', 'import sysconfig; print(sysconfig.get_path("purelib"))'],
                               capture_output=True, text=True, check=True).stdout.strip())
    src = Path(hpy_build.__file__).parent
    shutil.copytree(src, site / 'hpy_build', ignore=shutil.ignore_patterns(
        '__pycache__', 'include', 'lib', '*.so'))
    shutil.copy(src.parent / PTH, site / PTH)
    shutil.copy(src.parent / HOOK, site / HOOK)
    # .pyc files, as pip writes them at install (even under PYTHONDONTWRITEBYTECODE)
    subprocess.run([python, '-m', 'compileall', '-q', str(site)], check=True)
    return python, site / PTH


def one_run(python):
    t = time.perf_counter()
    subprocess.run([python, '-c', 'pass'], check=True)
    return time.perf_counter() - t


def wall(python, pth, runs):
    """(times with the hook, times without): one run each way in turn, in a
    random order, so that a change in the machine's load hits both alike."""
    off = pth.with_suffix('.off')
    on_times, off_times = [], []
    for _ in range(runs):
        for hook in random.sample((True, False), 2):
            if hook:
                on_times.append(one_run(python))
            else:
                pth.rename(off)
                try:
                    off_times.append(one_run(python))
                finally:
                    off.rename(pth)
    return on_times, off_times


# String hashes, hence dict and set layouts, change from run to run and
# move a start-up by some 50 K instructions: count with these seeds, take
# the median.
HASH_SEEDS = ('1', '2', '3')


# What the hook costs a program that imports: a few dozen modules of the
# standard library, packages among them, 150 imports in all.
IMPORTS = ('import asyncio, json, http.client, email.message, decimal, argparse, unittest, '
           'xml.etree.ElementTree, csv, logging, subprocess')


def instructions(python, code='pass'):
    if not shutil.which('valgrind'):
        return None
    counts = []
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'cg.out')
        for seed in HASH_SEEDS:
            # (from an empty directory: the first entry of sys.path)
            subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}',
                            python, '-c', code], capture_output=True, check=True, cwd=d,
                           env=dict(os.environ, PYTHONHASHSEED=seed))
            text = Path(out).read_text()
            counts.append(int(re.search(r'^summary:\s*(\d+)', text, re.M).group(1)))
    return statistics.median(counts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        python, pth = scratch_venv(Path(d) / 'venv')
        on_times, off_times = wall(python, pth, args.runs)
        print(f'python -c pass, {args.runs} runs each way ({sysconfig.get_python_version()}):')
        # The median is what a start-up usually costs; the minimum, what it
        # costs undisturbed (the steadier of the two on a shared machine).
        for label, pick in (('median', statistics.median), ('minimum', min)):
            on, off_ms = pick(on_times) * 1e3, pick(off_times) * 1e3
            print(f'  {label:7s} without the hook {off_ms:.2f} ms, with it {on:.2f} ms: '
                  f'+{on - off_ms:.3f} ms')
        off = pth.with_suffix('.off')
        for label, code in (('python -c pass', 'pass'), ('the imports', IMPORTS)):
            with_hook = instructions(python, code)
            pth.rename(off)
            without = instructions(python, code)
            off.rename(pth)
            if with_hook and without:
                share = (with_hook - without) / without
                print(f'  instructions, {label}: without {without}, with {with_hook}: '
                      f'+{with_hook - without} ({100.0 * share:.1f}%)')
                if code == 'pass':
                    # This machine's speed varies by half from run to run,
                    # and the hook's cost with it: its share of the
                    # instructions, at the fastest and the usual start-up
                    # measured, is the steadier reading of the wall time.
                    print(f'  that share of the fastest start-up without the hook: '
                          f'{share * min(off_times) * 1e3:.3f} ms, of the median one: '
                          f'{share * statistics.median(off_times) * 1e3:.3f} ms')


if __name__ == '__main__':
    main()
