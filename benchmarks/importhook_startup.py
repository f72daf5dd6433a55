"""What the import hook adds to interpreter start-up (`python -c pass`).

    .venv/bin/python benchmarks/importhook_startup.py [--runs N]

Makes a scratch virtual environment holding only hpy_build's Python files
and its import hook with the .pth that installs it (copied from the
installed hpy_build), then times
`python -c pass` alternately with the .pth enabled and disabled: the median
wall time of each and their difference. With valgrind installed it also
counts the instructions of a start-up each way (stable on a busy machine;
the median of three fixed hash seeds).
"""
import argparse
import os
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


def wall(python, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([python, '-c', 'pass'], check=True)
        times.append(time.perf_counter() - t)
    return times


# String hashes, hence dict and set layouts, change from run to run and
# move a start-up by some 50 K instructions: count with these seeds, take
# the median.
HASH_SEEDS = ('1', '2', '3')


def instructions(python):
    if not shutil.which('valgrind'):
        return None
    counts = []
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, 'cg.out')
        for seed in HASH_SEEDS:
            subprocess.run(['valgrind', '--tool=callgrind', f'--callgrind-out-file={out}',
                            python, '-c', 'pass'], capture_output=True, check=True,
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
        off = pth.with_suffix('.off')
        on_times, off_times = [], []
        for _ in range(args.runs // 10):        # alternate: machine load hits both
            on_times += wall(python, 10)
            pth.rename(off)
            off_times += wall(python, 10)
            off.rename(pth)
        on, off_ms = statistics.median(on_times) * 1e3, statistics.median(off_times) * 1e3
        print(f'python -c pass, median of {len(on_times)} runs each ({sysconfig.get_python_version()}):')
        print(f'  without the hook {off_ms:.2f} ms, with it {on:.2f} ms: +{on - off_ms:.3f} ms')
        with_hook = instructions(python)
        pth.rename(off)
        without = instructions(python)
        off.rename(pth)
        if with_hook and without:
            print(f'  instructions: without {without}, with {with_hook}: +{with_hook - without} '
                  f'({100.0 * (with_hook - without) / without:.1f}%)')


if __name__ == '__main__':
    main()
