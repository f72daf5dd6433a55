"""The documentation (docs/) builds without a warning, its API reference covers
api/hpy.api, and its code comes from files the tests build and run."""
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / 'docs'

pytest.importorskip('sphinx', reason='sphinx is not installed here')


@pytest.fixture(scope='module')
def html(tmp_path_factory):
    out = tmp_path_factory.mktemp('docs')
    proc = subprocess.run([sys.executable, '-m', 'sphinx', '-W', '--keep-going', '-q', '-b', 'html',
                           str(DOCS), str(out)], capture_output=True, text=True, cwd=out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def test_builds_every_page(html):
    for page in DOCS.glob('*.rst'):
        assert (html / (page.stem + '.html')).is_file(), page.name


def test_api_reference_is_generated_from_the_api_file(html):
    sys.path.insert(0, str(ROOT))
    try:
        from tools.autogen import spec
    finally:
        sys.path.remove(str(ROOT))
    text = (html / 'api.html').read_text()
    functions = spec.parse().functions
    assert len(functions) + len(spec.parse().handles) >= 263     # HPy 0.9's context
    missing = [f.name for f in functions if f.name + '(' not in text]
    assert missing == []
    assert 'not implemented yet' in text or all(f.impl != 'todo' for f in functions)


COMPILED = ('c', 'cpp', 'c++', 'meson', 'toml', 'python', 'ini')


def test_code_is_included_from_tested_files():
    # C, C++, Meson, TOML and Python in the docs are the examples' own files (the
    # end-to-end tests build and run them) or docs/_code (tested below): no
    # hand-copied code that could rot.
    for page in DOCS.glob('*.rst'):
        text = page.read_text()
        inline = re.findall(r'^\.\. code-block:: *(\S+)', text, re.M)
        assert not [lang for lang in inline if lang.lower() in COMPILED], page.name
        for target in re.findall(r'^\.\. literalinclude:: *(\S+)', text, re.M):
            path = (DOCS / target).resolve()
            assert path.is_file(), (page.name, target)
            assert path.is_relative_to(ROOT / 'examples') or path.is_relative_to(DOCS / '_code'), target


def test_porting_guides_c_api_module_runs(tmp_path):
    # the "before" of the porting guide, built with the C API as setuptools would
    src = DOCS / '_code' / 'capi_hello.c'
    out = tmp_path / ('capi_hello' + sysconfig.get_config_var('EXT_SUFFIX'))
    cc = (sysconfig.get_config_var('CC') or 'cc').split()
    subprocess.run([*cc, '-shared', '-fPIC', '-I' + sysconfig.get_paths()['include'], str(src),
                    '-o', str(out)], check=True)
    import importlib.util
    spec = importlib.util.spec_from_file_location('capi_hello', out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.add(30, 40) == 70
