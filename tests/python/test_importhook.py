"""The import hook: `import name` finds name.hpy0.so (and friends)."""
import importlib
import os
import platform
import subprocess
import sys
import textwrap

import pytest

import _hpy_build_importhook
from hpy_build import _abi, _importhook
from importlib.machinery import PathFinder


@pytest.fixture
def search_dir(tmp_path, monkeypatch):
    d = tmp_path / 'mods'
    d.mkdir()
    monkeypatch.syspath_prepend(str(d))
    return d


@pytest.fixture
def hook(monkeypatch):
    """The import hook freshly installed, on copies of the import state."""
    monkeypatch.setattr(sys, 'path_hooks', list(sys.path_hooks))
    monkeypatch.setattr(sys, 'path_importer_cache', {})
    _importhook.uninstall()
    _importhook.install()


def forget(monkeypatch, *names):
    for name in names:
        monkeypatch.delitem(sys.modules, name, raising=False)


def find(name, *dirs):
    spec = PathFinder.find_spec(name, [str(d) for d in dirs])
    return spec and (spec.origin, spec.submodule_search_locations)


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


def test_folder_earlier_on_the_path_does_not_win(hook, tmp_path):
    # The user's case: the project folder hello/ in the current directory.
    here, site = tmp_path / 'here', tmp_path / 'site'
    (here / 'm').mkdir(parents=True)
    site.mkdir()
    (site / 'm.hpy0.so').write_bytes(b'')
    assert find('m', here, site) == (str(site / 'm.hpy0.so'), None)


def test_module_wins_over_py_file_beside_it_and_later(hook, tmp_path):
    a, b = tmp_path / 'a', tmp_path / 'b'
    a.mkdir()
    b.mkdir()
    (a / 'm.py').write_text('')
    (a / 'm.hpy0.so').write_bytes(b'')
    (b / 'm.py').write_text('')
    assert find('m', a, b) == (str(a / 'm.hpy0.so'), None)
    assert find('m', b, a) == (str(b / 'm.py'), None)    # path order still rules


LAYOUTS = {
    'folder, then module': {'a/m/x.txt': '', 'b/m{X}': ''},
    'module, then .py': {'a/m{X}': '', 'b/m.py': ''},
    '.py, then module': {'a/m.py': '', 'b/m{X}': ''},
    '.py beside module': {'a/m.py': '', 'a/m{X}': ''},
    'package beside module': {'a/m/__init__.py': '', 'a/m{X}': ''},
    'folder beside module': {'a/m/x.txt': '', 'a/m{X}': ''},
    'package of an extension': {'a/m/__init__{X}': ''},
    'package of an extension, then module': {'a/m/__init__{X}': '', 'b/m{X}': ''},
}


@pytest.mark.parametrize('layout', LAYOUTS)
@pytest.mark.parametrize('suffix', ['.hpy0.so', _abi.ext_suffix('hybrid')])
def test_same_priority_as_cpython_extensions(hook, tmp_path, layout, suffix):
    # Whatever a CPython extension module would win or lose against, an HPy
    # module wins or loses against too.
    results = []
    for kind, ext in (('cpython', _abi.ext_suffix('cpython')), ('hpy', suffix)):
        root = tmp_path / kind
        for rel in LAYOUTS[layout]:
            path = root / rel.format(X=ext)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b'')
        origin, locations = find('m', root / 'a', root / 'b')
        origin = origin and os.path.relpath(origin, root).replace(ext, '{X}')
        results.append((origin, locations and len(locations)))
    assert results[0] == results[1]


def test_most_specific_file_wins(hook, search_dir):
    for suffix in ('.hpy.so', '.hpy0.so', _abi.ext_suffix('hybrid')):
        (search_dir / ('m' + suffix)).write_bytes(b'')
    assert find('m', search_dir)[0].endswith(_abi.ext_suffix('hybrid'))
    os.unlink(search_dir / ('m' + _abi.ext_suffix('hybrid')))
    importlib.invalidate_caches()
    assert find('m', search_dir)[0].endswith('m.hpy0.so')


def test_file_added_to_a_folder_looked_in_before_is_found(hook, search_dir):
    (search_dir / 'other.py').write_text('')
    assert find('m', search_dir) is None         # the listing, without HPy files, is cached
    (search_dir / 'm.hpy0.so').write_bytes(b'')
    importlib.invalidate_caches()
    assert find('m', search_dir) == (str(search_dir / 'm.hpy0.so'), None)
    os.unlink(search_dir / 'm.hpy0.so')
    importlib.invalidate_caches()
    assert find('m', search_dir) is None


def test_lookups_in_a_folder_without_hpy_files_cost_what_they_did(hook, tmp_path, monkeypatch):
    # A miss costs a path join per file suffix the finder tries: in a folder
    # without HPy files, the HPy suffixes are not tried.
    import _frozen_importlib_external as bootstrap
    plain = tmp_path / 'plain'
    plain.mkdir()
    (plain / 'other.py').write_text('')
    joins = []
    real_join = bootstrap._path_join

    def counting_join(*parts):
        joins.append(parts)
        return real_join(*parts)

    def count_miss(finder):
        finder.find_spec('hpytest_missing')     # (the listing is read here)
        joins.clear()
        monkeypatch.setattr(bootstrap, '_path_join', counting_join)
        try:
            assert finder.find_spec('hpytest_missing') is None
        finally:
            monkeypatch.setattr(bootstrap, '_path_join', real_join)
        return len(joins)

    stock = bootstrap.FileFinder(str(plain), *bootstrap._get_supported_file_loaders())
    ours = sys.path_hooks[[getattr(h, '_hpy_build_path_hook', False)
                           for h in sys.path_hooks].index(True)](str(plain))
    assert count_miss(ours) == count_miss(stock)


def test_submodule_uses_parent_path(hook, tmp_path, search_dir):
    pkg = tmp_path / 'elsewhere'
    pkg.mkdir()
    (pkg / 'sub.hpy0.so').write_bytes(b'')
    (search_dir / 'sub.hpy0.so').write_bytes(b'')
    spec = PathFinder.find_spec('pkg.sub', [str(pkg)])
    assert spec.name == 'pkg.sub' and spec.origin == str(pkg / 'sub.hpy0.so')


def test_package_import(fake_runtime, hook, search_dir, monkeypatch):
    pkg = search_dir / 'hpytest_pkg'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('')
    (pkg / 'inner.hpy0.so').write_bytes(b'')
    forget(monkeypatch, 'hpytest_pkg', 'hpytest_pkg.inner')
    import hpytest_pkg.inner
    assert hpytest_pkg.inner.__file__ == str(pkg / 'inner.hpy0.so')


def test_nothing_found(hook, search_dir):
    (search_dir / 'other.hpy0.so').write_bytes(b'')
    (search_dir / 'm.hpy0.so.txt').write_bytes(b'')
    assert find('m', search_dir) is None


def test_install_replaces_the_file_finder_once(monkeypatch):
    monkeypatch.setattr(sys, 'path_hooks', list(sys.path_hooks))
    monkeypatch.setattr(sys, 'path_importer_cache', {})
    _importhook.uninstall()
    stock = list(sys.path_hooks)
    assert not _importhook.installed()
    _importhook.install()
    _importhook.install()
    assert _importhook.installed()
    assert len(sys.path_hooks) == len(stock)
    assert sys.path_hooks[0] is stock[0]          # zipimport still comes first
    _importhook.uninstall()
    assert not _importhook.installed() and len(sys.path_hooks) == len(stock)


def test_install_remakes_finders_made_before(monkeypatch, search_dir):
    monkeypatch.setattr(sys, 'path_hooks', list(sys.path_hooks))
    monkeypatch.setattr(sys, 'path_importer_cache', {})
    _importhook.uninstall()
    (search_dir / 'm.hpy0.so').write_bytes(b'')
    assert find('m', search_dir) is None          # a stock finder, now cached
    _importhook.install()
    assert find('m', search_dir) == (str(search_dir / 'm.hpy0.so'), None)


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
    assert capsys.readouterr().out == ("Loading 'hpytest_c' in HPy universal mode "
                                       "(hpy_build's runtime on CPython %s)\n"
                                       % platform.python_version())


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
        from hpy_build import _importhook
        ours = [f for f in sys.meta_path if 'hpy_build' in str(getattr(f, '__module__', ''))]
        print(_importhook.installed(), ours)
    ''')
    assert proc.stdout.strip() == 'True []', proc.stderr


def test_hook_import_is_cheap():
    # What the .pth line costs: one small module, no hpy_build import, and
    # none later when an import finds nothing (as site's attempt at
    # sitecustomize).
    site_dir = os.path.dirname(_hpy_build_importhook.__file__)
    with open(os.path.join(site_dir, 'hpy_build-importhook.pth')) as f:
        line = f.read().strip()
    proc = run_python(f'''
        import os, sys                   # loaded at start-up without -S
        before = set(sys.modules)
        sys.path.insert(0, {site_dir!r})
        exec({line!r})
        print(sorted(set(sys.modules) - before))
        try:
            import hpytest_no_such_module
        except ImportError:
            pass
        print(sorted(set(sys.modules) - before))
    ''', '-S')
    assert proc.stdout.split('\n')[:2] == ["['_hpy_build_importhook']"] * 2, proc.stderr


def test_hpy_build_is_the_installed_one_even_beside_a_folder_of_that_name(tmp_path):
    # Python started in a checkout of hpy_build's sources: its hpy_build/
    # (no runtime there) must not stand in for the installed package.
    (tmp_path / 'hpy_build').mkdir()
    (tmp_path / 'hpy_build' / '__init__.py').write_text('raise ImportError("the checkout")\n')
    proc = subprocess.run([sys.executable, '-c', 'import hpy_build, hpy_build.universal; '
                           'print(hpy_build.__file__); print(hpy_build.get_include())'],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    init, include = proc.stdout.split()
    site_dir = os.path.dirname(_hpy_build_importhook.__file__)
    assert init == os.path.join(site_dir, 'hpy_build', '__init__.py')
    assert include == os.path.join(site_dir, 'hpy_build', 'include')


def test_hook_carries_this_interpreters_suffixes():
    # written into the module when hpy_build was built, so that start-up
    # imports nothing but the hook and the .pth line stays one short import
    assert _hpy_build_importhook.SUFFIXES == _abi.import_suffixes()
    # (the finder looks for '.hpy' in a listing before it looks for each)
    assert all('.hpy' in suffix for suffix in _hpy_build_importhook.SUFFIXES)
    site_dir = os.path.dirname(_hpy_build_importhook.__file__)
    with open(os.path.join(site_dir, 'hpy_build-importhook.pth')) as f:
        assert f.read().strip() == 'import _hpy_build_importhook'


def test_importing_the_hook_installs_it_without_site():
    # python -S reads no .pth file: importing the hook by hand is the way
    site_dir = os.path.dirname(_hpy_build_importhook.__file__)
    proc = run_python(f'''
        import sys
        sys.path.append({site_dir!r})
        hooks = list(sys.path_hooks)
        import _hpy_build_importhook
        from hpy_build import _importhook
        print(_importhook.installed(), len(sys.path_hooks) == len(hooks))
    ''', '-S')
    assert proc.stdout.strip() == 'True True', proc.stderr
