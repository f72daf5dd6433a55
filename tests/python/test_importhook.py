"""The import hook: `import name` finds name.hpy0.so (and friends)."""
import importlib
import os
import subprocess
import sys
import textwrap

import pytest

from hpy_build import _abi, _importhook
from hpy_build._importhook import HPyFinder


@pytest.fixture
def search_dir(tmp_path, monkeypatch):
    d = tmp_path / 'mods'
    d.mkdir()
    monkeypatch.syspath_prepend(str(d))
    return d


@pytest.fixture
def hook(monkeypatch):
    monkeypatch.setattr(sys, 'meta_path', list(sys.meta_path))
    _importhook.install()


def forget(monkeypatch, *names):
    for name in names:
        monkeypatch.delitem(sys.modules, name, raising=False)


@pytest.mark.parametrize('suffix', ['.hpy0.so', '.hpy.so', _abi.ext_suffix('hybrid')])
def test_module_names_its_file(fake_runtime, hook, search_dir, monkeypatch, suffix):
    path = search_dir / ('hpytest_a' + suffix)
    path.write_bytes(b'')
    forget(monkeypatch, 'hpytest_a')
    import hpytest_a
    assert hpytest_a.__file__ == str(path)
    assert hpytest_a.__spec__.origin == str(path)
    assert repr(hpytest_a) == "<module 'hpytest_a' from %r>" % str(path)
    assert fake_runtime.calls[0][:2] == ('hpytest_a', str(path))


def test_most_specific_file_wins(search_dir):
    for suffix in ('.hpy.so', '.hpy0.so', _abi.ext_suffix('hybrid')):
        (search_dir / ('m' + suffix)).write_bytes(b'')
    assert HPyFinder.find_spec('m').origin.endswith(_abi.ext_suffix('hybrid'))
    os.unlink(search_dir / ('m' + _abi.ext_suffix('hybrid')))
    assert HPyFinder.find_spec('m').origin.endswith('m.hpy0.so')


def test_submodule_uses_parent_path(tmp_path, search_dir):
    pkg = tmp_path / 'elsewhere'
    pkg.mkdir()
    (pkg / 'sub.hpy0.so').write_bytes(b'')
    (search_dir / 'sub.hpy0.so').write_bytes(b'')
    spec = HPyFinder.find_spec('pkg.sub', [str(pkg)])
    assert spec.name == 'pkg.sub' and spec.origin == str(pkg / 'sub.hpy0.so')


def test_package_import(fake_runtime, hook, search_dir, monkeypatch):
    pkg = search_dir / 'hpytest_pkg'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('')
    (pkg / 'inner.hpy0.so').write_bytes(b'')
    forget(monkeypatch, 'hpytest_pkg', 'hpytest_pkg.inner')
    import hpytest_pkg.inner
    assert hpytest_pkg.inner.__file__ == str(pkg / 'inner.hpy0.so')


def test_nothing_found(search_dir):
    (search_dir / 'other.hpy0.so').write_bytes(b'')
    (search_dir / 'm.cpython-311.so').write_bytes(b'')
    assert HPyFinder.find_spec('m') is None
    assert HPyFinder.find_spec('m', [b'/bytes', str(search_dir)]) is None


def test_empty_entry_is_cwd(tmp_path, monkeypatch):
    (tmp_path / 'here.hpy0.so').write_bytes(b'')
    monkeypatch.chdir(tmp_path)
    spec = HPyFinder.find_spec('here', [''])
    assert spec.origin == str(tmp_path / 'here.hpy0.so')


def test_install_appends_once(monkeypatch):
    monkeypatch.setattr(sys, 'meta_path', [f for f in sys.meta_path
                                           if f is not HPyFinder])
    _importhook.install()
    _importhook.install()
    assert sys.meta_path[-1] is HPyFinder
    assert sys.meta_path.count(HPyFinder) == 1
    _importhook.uninstall()
    assert HPyFinder not in sys.meta_path


def test_hpy_variable_selects_the_mode(fake_runtime, hook, search_dir, monkeypatch):
    (search_dir / 'hpytest_b.hpy0.so').write_bytes(b'')
    forget(monkeypatch, 'hpytest_b')
    monkeypatch.setenv('HPY', 'hpytest_b:debug')
    assert importlib.import_module('hpytest_b').loaded_mode == 1
    forget(monkeypatch, 'hpytest_b')
    monkeypatch.setenv('HPY', 'hpytest_b:bogus')
    with pytest.raises(ValueError, match='invalid HPy mode'):
        importlib.import_module('hpytest_b')
    monkeypatch.setenv('HPY', 'someone_else:trace')
    assert importlib.import_module('hpytest_b').loaded_mode == 0


def test_hpy_log(fake_runtime, hook, search_dir, monkeypatch, capsys):
    (search_dir / 'hpytest_c.hpy0.so').write_bytes(b'')
    forget(monkeypatch, 'hpytest_c')
    monkeypatch.setenv('HPY_LOG', '1')
    importlib.import_module('hpytest_c')
    assert capsys.readouterr().out == "Loading 'hpytest_c' in HPy universal mode\n"


def run_python(code, *args):
    return subprocess.run([sys.executable, *args, '-c', textwrap.dedent(code)],
                          capture_output=True, text=True)


def test_missing_runtime_fails_only_that_import(tmp_path):
    (tmp_path / 'hpytest_d.hpy0.so').write_bytes(b'')
    proc = run_python(f'''
        import sys
        sys.modules['hpy_build._runtime'] = None      # as if never built
        sys.path.insert(0, {str(tmp_path)!r})
        import json                                    # other imports work
        try:
            import hpytest_d
        except ImportError as exc:
            print('ImportError:', exc)
    ''')
    assert proc.returncode == 0, proc.stderr
    assert 'ImportError:' in proc.stdout and 'runtime' in proc.stdout


def test_pth_installs_the_hook_at_start_up():
    proc = run_python('''
        import sys
        from hpy_build._importhook import HPyFinder
        print(sys.meta_path[-1] is HPyFinder)
    ''')
    assert proc.stdout.strip() == 'True', proc.stderr


def test_hook_import_is_cheap():
    # What the .pth line costs: no import beyond the two hpy_build modules.
    site_dir = os.path.dirname(os.path.dirname(_importhook.__file__))
    proc = run_python(f'''
        import os, sys                   # loaded at start-up without -S
        before = set(sys.modules)
        sys.path.insert(0, {site_dir!r})
        import hpy_build._importhook
        hpy_build._importhook.install()
        print(sorted(set(sys.modules) - before))
    ''', '-S')
    assert proc.stdout.strip() == "['hpy_build', 'hpy_build._importhook']", proc.stderr
