"""hpy_build as a subproject of a project on stock Meson: the top-level
meson.build exports one dependency per ABI."""
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hpy_build.universal

ROOT = Path(__file__).resolve().parents[1]
MESON = shutil.which('meson', path=str(Path(sys.executable).parent))

pytestmark = pytest.mark.skipif(MESON is None, reason='meson is not installed in the test environment')

MESON_BUILD = '''
project('consumer', 'c')
py = import('python').find_installation(pure: false)
hpy_universal = dependency('hpy-universal')
hpy_cpython = dependency('hpy-cpython')
shared_module('hello.hpy0', 'hello.c', name_prefix: '', name_suffix: 'so',
              dependencies: hpy_universal, gnu_symbol_visibility: 'inlineshidden',
              link_args: '-Wl,-z,defs')
py.extension_module('hello', 'hello.c', dependencies: hpy_cpython)
'''


def test_stock_meson_project_builds_both_abis(tmp_path):
    project = tmp_path / 'consumer'
    (project / 'subprojects').mkdir(parents=True)
    (project / 'subprojects' / 'hpy_build').symlink_to(ROOT)
    (project / 'subprojects' / 'hpy_build.wrap').write_text(
        '[wrap-file]\ndirectory = hpy_build\n\n[provide]\n'
        'dependency_names = hpy-universal, hpy-cpython, hpy-hybrid\n')
    shutil.copy(ROOT / 'examples' / 'hello' / 'hello.c', project)
    (project / 'meson.build').write_text(MESON_BUILD)
    build = tmp_path / 'build'
    for cmd in ([MESON, 'setup', str(build), str(project)], [MESON, 'compile', '-C', str(build)]):
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    universal = hpy_build.universal.load('hello', str(build / 'hello.hpy0.so'))
    assert universal.add(30, 40) == 70
    cpython_path = next(build.glob('hello.cpython-*.so'))
    spec = importlib.util.spec_from_file_location('hello', cpython_path)
    cpython = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cpython)
    assert cpython.add(30, 40) == 70
