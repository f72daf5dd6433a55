"""Fixtures for the tests of the Python package hpy_build/ (tests/python/)."""
import importlib
import shutil
import sys
import types
from pathlib import Path

import pytest

import hpy_build

PACKAGE_DIR = Path(hpy_build.__file__).resolve().parent


@pytest.fixture
def fake_package(tmp_path):
    """A copy of hpy_build's Python files with stand-in headers and libraries.

    Returns the package directory; its parent can go on sys.path.
    """
    pkg = tmp_path / 'site' / 'hpy_build'
    shutil.copytree(PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns(
        'include', 'lib', 'pkgconfig', '__pycache__', '*.so', '*.pyd'))
    inc = pkg / 'include'
    (inc / 'hpy' / 'forbid_python_h').mkdir(parents=True)
    (inc / 'hpy.h').write_text('/* stand-in */\n')
    (inc / 'hpy' / 'forbid_python_h' / 'Python.h').write_text('#error "no"\n')
    (pkg / 'lib').mkdir()
    for flavour in ('cpython', 'universal'):
        (pkg / 'lib' / f'libhpyhelpers-{flavour}.a').write_bytes(b'!<arch>\n')
    return pkg


class FakeRuntime(types.ModuleType):
    """Stands in for hpy_build._runtime and records what it is asked."""

    class HPyLoadError(ImportError, RuntimeError):
        pass

    def __init__(self):
        super().__init__('hpy_build._runtime')
        self.calls = []

    def load(self, name, path, spec, mode):
        self.calls.append((name, path, spec, mode))
        module = types.ModuleType(name)
        module.loaded_mode = mode
        return module

    def get_version(self):
        return ('9.9.9', 'fake-revision')


@pytest.fixture
def fake_runtime(monkeypatch):
    """Make hpy_build.universal (re-imported) use a FakeRuntime."""
    runtime = FakeRuntime()
    monkeypatch.setitem(sys.modules, 'hpy_build._runtime', runtime)
    monkeypatch.setattr(hpy_build, '_runtime', runtime, raising=False)
    monkeypatch.delitem(sys.modules, 'hpy_build.universal', raising=False)
    monkeypatch.delattr(hpy_build, 'universal', raising=False)
    importlib.import_module('hpy_build.universal')
    yield runtime
    # monkeypatch restores the rest; drop the module bound to the fake.
    sys.modules.pop('hpy_build.universal', None)
    if hasattr(hpy_build, 'universal'):
        delattr(hpy_build, 'universal')
