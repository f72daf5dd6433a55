"""Fixtures of the debug- and trace-mode tests: modules compiled as universal
binaries and loaded in debug mode, in this process or (for the mistakes that
abort) in a child process. Helpers live in support/debugmode.py."""
import pytest

from support import compile as hpy_compile
from support.debugmode import Child, Reports, prepare


@pytest.fixture
def debug_module(tmp_path):
    """debug_module(source) -> the module compiled from source, loaded in debug mode."""
    def make(source):
        name, path = hpy_compile.build(prepare(source), 'debug', tmp_path)
        return hpy_compile.load(name, path, 'debug')
    return make


@pytest.fixture
def child(tmp_path):
    """child(source, code) -> CompletedProcess of `code` run with the module as `mod`."""
    return Child(tmp_path)


@pytest.fixture
def reports():
    """Counts reports through the on_invalid_handle / on_invalid_builder_handle
    hooks (the program goes on) for the test's duration."""
    from hpy_build.universal import _debug
    r = Reports()
    _debug.set_on_invalid_handle(r._handle)
    _debug.set_on_invalid_builder_handle(r._builder)
    try:
        yield r
    finally:
        _debug.set_on_invalid_handle(None)
        _debug.set_on_invalid_builder_handle(None)
