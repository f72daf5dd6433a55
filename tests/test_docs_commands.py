"""The shell commands of the documentation work as written.

Every ``.. code-block:: sh`` in docs/ follows a ``.. runs-in: <directory>``
comment naming where a reader would type it. Each block runs, as it stands,
with bash in a copy of that directory and a new virtual environment holding
hpy_build (found, as pip would find it on the package index, in dist/), and
what it builds is then checked.
"""
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / 'docs'
WHEELHOUSE = Path(os.environ.get('HPY_BUILD_WHEELHOUSE', ROOT / 'dist'))
HPY_BUILD_WHEELS = sorted(WHEELHOUSE.glob('hpy_build-*.whl'))

SHELL_BLOCK = re.compile(r'^\.\. code-block:: *(sh|bash|console|shell)\s*$', re.M)
RUN_BLOCK = re.compile(r'^\.\. runs-in: *(\S+)\n\n\.\. code-block:: *sh\n\n((?:(?:   .*)?\n)+)', re.M)


def shell_blocks():
    blocks = []
    for page in sorted(DOCS.glob('*.rst')):
        for i, match in enumerate(RUN_BLOCK.finditer(page.read_text())):
            blocks.append(pytest.param(match.group(1), textwrap.dedent(match.group(2)),
                                       id='%s-%d' % (page.stem, i)))
    return blocks


def test_every_shell_block_says_where_it_runs():
    for page in DOCS.glob('*.rst'):
        text = page.read_text()
        assert len(SHELL_BLOCK.findall(text)) == len(RUN_BLOCK.findall(text)), page.name
        for directory, _ in RUN_BLOCK.findall(text):
            assert (ROOT / directory).is_dir(), (page.name, directory)


def run(*cmd, **kwargs):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kwargs)
    assert proc.returncode == 0, f'{cmd} failed:\n{proc.stdout}\n{proc.stderr}'
    return proc.stdout


def call_universal(venv, path, name, expr):
    # load the built file with the runtime of the environment, call it
    code = (f'import hpy_build.universal as u; m = u.load({name!r}, {str(path)!r}); '
            f'print({expr})')
    return run(venv / 'bin' / 'python', '-c', code, cwd=venv).strip()


# What each block leaves behind, checked after it ran: (page-index) -> check.
def check_getting_started_0(work, venv, out):
    assert out.strip().splitlines()[-1] == '30'
    assert len(list(work.glob('hello-0.1.0-cp3*.whl'))) == 1
    assert len(list(work.glob('hello-0.1.0-py3-none-*.whl'))) == 1


def check_getting_started_1(work, venv, out):
    # the editable install imports the module from this directory's build
    # and rebuilds it after an edit
    python = venv / 'bin' / 'python'
    assert run(python, '-c', 'import hello; print(hello.add(1, 2))', cwd=venv).strip() == '3'
    source = work / 'hello.c'
    source.write_text(source.read_text().replace('a+b', 'a*b'))
    assert run(python, '-c', 'import hello; print(hello.add(4, 5))', cwd=venv).strip() == '20'


def check_other_builds_0(work, venv, out):
    assert call_universal(venv, work / 'builddir' / 'hello.hpy0.so', 'hello', 'm.add(2, 3)') == '5'


def check_other_builds_1(work, venv, out):
    assert call_universal(venv, work / 'm.hpy0.so', 'm', 'm.twice(21)') == '42'


@pytest.mark.skipif(not HPY_BUILD_WHEELS, reason=f'no hpy_build wheel in {WHEELHOUSE} (test.sh builds it)')
@pytest.mark.parametrize('directory, commands', shell_blocks())
def test_shell_block_runs(directory, commands, request, tmp_path):
    if 'pkg-config' in commands and shutil.which('pkg-config') is None:
        pytest.skip('pkg-config is not installed here')
    venv = tmp_path / 'venv'
    run(sys.executable, '-m', 'venv', venv)
    run(venv / 'bin' / 'python', '-m', 'pip', 'install', '--quiet', HPY_BUILD_WHEELS[-1])
    work = tmp_path / Path(directory).name
    shutil.copytree(ROOT / directory, work, ignore=shutil.ignore_patterns('build', '*.so', '*.whl'))
    env = dict(os.environ, VIRTUAL_ENV=str(venv), PATH=f'{venv / "bin"}{os.pathsep}{os.environ["PATH"]}',
               PIP_FIND_LINKS=str(WHEELHOUSE), PIP_DISABLE_PIP_VERSION_CHECK='1')
    env.pop('PYTHONPATH', None)
    out = run('bash', '-euo', 'pipefail', '-c', commands, cwd=work, env=env)
    check = globals()['check_' + request.node.callspec.id.replace('-', '_')]
    check(work, venv, out)
