"""The README's hpy-config command line builds a loadable module in each ABI."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import compile as hpy_compile

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_readme_command_line(abi, tmp_path):
    assert shutil.which('hpy-config', path=str(BIN)), 'hpy-config is not installed'
    shutil.copy(ROOT / 'examples' / 'hello' / 'hello.c', tmp_path / 'm.c')
    (tmp_path / 'm.c').write_text((tmp_path / 'm.c').read_text().replace('HPy_MODINIT(hello,', 'HPy_MODINIT(m,'))
    built = hpy_compile.binary_abi(abi)     # 'debug' loads a universal binary
    line = (f'cc -shared -fPIC $(hpy-config --cflags --abi {built}) m.c '
            f'-o m$(hpy-config --ext-suffix --abi {built}) $(hpy-config --libs --abi {built})')
    env = dict(os.environ, PATH=f'{BIN}{os.pathsep}{os.environ["PATH"]}')
    proc = subprocess.run(['bash', '-c', line], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (path,) = [p for p in tmp_path.iterdir() if p.name.startswith('m.') and p.suffix == '.so']
    assert hpy_compile.load('m', path, abi).add(30, 40) == 70


@pytest.mark.skipif(shutil.which('pkg-config') is None, reason='no pkg-config')
def test_pkg_config_command_line(abi, tmp_path):
    # the .pc files are found through hpy-config --pkgconfigdir, with nothing installed elsewhere
    shutil.copy(ROOT / 'examples' / 'hello' / 'hello.c', tmp_path / 'm.c')
    (tmp_path / 'm.c').write_text((tmp_path / 'm.c').read_text().replace('HPy_MODINIT(hello,', 'HPy_MODINIT(m,'))
    built = hpy_compile.binary_abi(abi)     # 'debug' loads a universal binary
    line = (f'export PKG_CONFIG_PATH=$(hpy-config --pkgconfigdir) && '
            f'cc -shared -fPIC $(pkg-config --cflags hpy-{built}) m.c '
            f'-o m$(hpy-config --ext-suffix --abi {built}) $(pkg-config --libs hpy-{built})')
    env = dict(os.environ, PATH=f'{BIN}{os.pathsep}{os.environ["PATH"]}')
    env.pop('PKG_CONFIG_PATH', None)
    proc = subprocess.run(['bash', '-c', line], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (path,) = [p for p in tmp_path.iterdir() if p.name.startswith('m.') and p.suffix == '.so']
    assert hpy_compile.load('m', path, abi).add(30, 40) == 70


def test_universal_pc_file_has_no_python():
    pcdir = subprocess.run([BIN / 'hpy-config', '--pkgconfigdir'], capture_output=True, text=True,
                           check=True).stdout.strip()
    text = (Path(pcdir) / 'hpy-universal.pc').read_text()
    assert 'forbid_python_h' in text and '-DHPY_ABI_UNIVERSAL' in text
    assert 'python' not in text.lower().replace('forbid_python_h', '')
