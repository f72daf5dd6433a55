"""`import name` finds universal modules, through the hook that the installed
.pth file sets up at start-up (so each test runs a fresh interpreter)."""
import os
import subprocess
import sys

from support import compile as hpy_compile

SOURCE = '''
HPyDef_METH(f, "f", HPyFunc_NOARGS)
static HPy f_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 42); }
@EXPORT(f)
@INIT
'''

CHECK = '''
import importlib, sys
mod = importlib.import_module(sys.argv[1])
print(mod.f())
print(mod.__file__)
print(mod.__spec__.origin)
print(repr(mod))
'''


def import_in_fresh_python(tmp_path, fullname, pythonpath=None):
    env = dict(os.environ, PYTHONPATH=str(pythonpath)) if pythonpath else None
    proc = subprocess.run([sys.executable, '-c', CHECK, fullname], cwd=tmp_path,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_top_level_module(tmp_path):
    name, path = hpy_compile.build(SOURCE, 'universal', tmp_path)
    result, file, origin, rep = import_in_fresh_python(tmp_path, name)
    assert result == '42'
    assert file == origin == str(path)
    assert str(path) in rep


def test_a_folder_of_the_same_name_in_the_current_directory_does_not_win(tmp_path):
    # The project's source folder next to where the user runs python: the
    # current directory comes first on sys.path, the installed module later.
    site = tmp_path / 'site'
    site.mkdir()
    name, path = hpy_compile.build(SOURCE, 'universal', site)
    (tmp_path / name).mkdir()
    (tmp_path / name / 'notes.txt').write_text('')
    result, file, _, _ = import_in_fresh_python(tmp_path, name, pythonpath=site)
    assert result == '42' and file == str(path)


def test_submodule_of_a_package_and_untagged_name(tmp_path):
    pkg = tmp_path / 'pkg'
    pkg.mkdir()
    (pkg / '__init__.py').write_text('')
    name, path = hpy_compile.build(SOURCE, 'universal', pkg, suffix='.hpy.so')
    result, file, _, _ = import_in_fresh_python(tmp_path, f'pkg.{name}')
    assert result == '42' and file == str(path)


def test_a_broken_file_is_an_import_error(tmp_path):
    (tmp_path / 'broken.hpy0.so').write_text('not a shared library')
    proc = subprocess.run([sys.executable, '-c', 'import broken'], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    # HPyLoadError: the ImportError of a universal module
    assert 'HPyLoadError' in proc.stderr and 'broken.hpy0.so' in proc.stderr
