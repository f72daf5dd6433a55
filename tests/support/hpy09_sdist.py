"""The published hpy==0.9.0 source distribution, downloaded once with pip into
pytest's cache directory and unpacked there: read as input by the tests that
run HPy 0.9's own code on hpy_build, never copied into this repository."""
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import pytest

SDIST = 'hpy-0.9.0'


def unpacked(config):
    """The unpacked sources (a Path); skips the test when pip cannot get them."""
    cache = getattr(config, 'cache', None)      # None under -p no:cacheprovider
    if cache is not None:
        where = cache.mkdir('hpy09_sdist')
    else:
        where = Path(tempfile.gettempdir()) / 'hpy_build-tests-hpy09_sdist'
        where.mkdir(exist_ok=True)
    root = where / SDIST
    done = where / (SDIST + '.unpacked')     # written last: a half-unpacked tree is redone
    if done.exists():
        return root
    proc = subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps',
                           '--no-binary', ':all:', '--dest', str(where), 'hpy==0.9.0'],
                          capture_output=True, text=True)
    archives = list(where.glob(f'{SDIST}.tar.gz'))
    if proc.returncode != 0 or not archives:
        pytest.skip(f'the hpy==0.9.0 sources cannot be downloaded here: {proc.stderr.strip()[-300:]}')
    with tarfile.open(archives[0]) as tar:
        if sys.version_info >= (3, 12):
            tar.extractall(where, filter='data')
        else:
            tar.extractall(where)
    done.write_text('')
    return root
