"""What the import hook adds to interpreter start-up (`python -c pass`).

    .venv/bin/python benchmarks/importhook_startup.py [--runs N]

Makes a scratch virtual environment holding only hpy_build's Python files
and its import hook with the .pth that installs it (copied from the
installed hpy_build), and times `python -c pass` three ways, one run each
way in turn: with no .pth file, with a .pth that imports an empty module
(the least any hook installed by a .pth file can cost: the baseline), and
with the hook. For each: the median and the minimum wall time, and the
median of the differences within each round of runs, against no .pth
(this machine's speed varies by half from run to run, and a cost with it;
the difference within a round is the steadier reading). With valgrind
installed it also counts the instructions of a start-up each way (stable on
a busy machine; the median of three fixed hash seeds), and those of a
program that imports some 150 modules of the standard library (what the
hook costs each later import).
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
EMPTY = '_hpy_build_bench_empty'     # the baseline's module


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
    (site / (EMPTY + '.py')).write_text('')
    # .pyc files, as pip writes them at install (even under PYTHONDONTWRITEBYTECODE)
    subprocess.run([python, '-m', 'compileall', '-q', str(site)], check=True)
    return python, site / PTH


class Configs:
    """Switches the scratch environment between the three ways to start."""
    NAMES = ('no .pth', 'empty module', 'the hook')

    def __init__(self, pth):
        self.pth = pth
        self.hook_line = pth.read_text()

    def set(self, name):
        if name == 'no .pth':
            self.pth.unlink(missing_ok=True)
        else:
            self.pth.write_text(self.hook_line if name == 'the hook' else f'import {EMPTY}\n')


def one_run(python):
    t = time.perf_counter()
    subprocess.run([python, '-c', 'pass'], check=True)
    return time.perf_counter() - t


def wall(python, configs, runs):
    """{name: times}: one run each way per round, in a random order, so that
    a change in the machine's speed hits all alike."""
    times = {name: [] for name in Configs.NAMES}
    for _ in range(runs):
        for name in random.sample(Configs.NAMES, len(Configs.NAMES)):
            configs.set(name)
            times[name].append(one_run(python))
    configs.set('the hook')
    return times


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
        configs = Configs(pth)
        times = wall(python, configs, args.runs)
        print(f'python -c pass, {args.runs} runs each way ({sysconfig.get_python_version()}), '
              f'against no .pth file:')
        none = times['no .pth']
        print(f'  {"":14s} {"median":>8s}{"":11s}{"minimum":>8s}{"":11s}{"within a round":>16s}')
        for name in Configs.NAMES:
            own = times[name]
            cols = []
            for pick in (statistics.median, min):
                diff = '' if own is none else f'{(pick(own) - pick(none)) * 1e3:+.2f}'
                cols.append(f'{pick(own) * 1e3:8.2f} ms {diff:>6s}')
            if own is not none:
                paired = statistics.median(a - b for a, b in zip(own, none))
                cols.append(f'{paired * 1e3:+13.2f} ms')
            print(f'  {name:14s} ' + ' '.join(cols))
        for label, code in (('python -c pass', 'pass'), ('the imports', IMPORTS)):
            counts = {}
            for name in Configs.NAMES:
                configs.set(name)
                counts[name] = instructions(python, code)
            configs.set('the hook')
            none = counts['no .pth']
            if none:
                print(f'  instructions, {label}: no .pth {none}, ' + ', '.join(
                    f'{name} +{counts[name] - none} ({100.0 * (counts[name] - none) / none:.1f}%)'
                    for name in Configs.NAMES[1:]))


if __name__ == '__main__':
    main()
