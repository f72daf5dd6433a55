import os

import pytest

import hpy_build

from support import background
from support import compile as hpy_compile
from support import interpreters
from support import pypy as pypy_run
from support import pypy_env

# The suite tests hpy_build as installed (its runtime and helper libraries are
# build products), never the source tree.
if 'site-packages' not in hpy_build.__file__ and not os.environ.get('HPY_BUILD_TEST_ANY_INSTALL'):
    raise pytest.UsageError(
        f'hpy_build is imported from {hpy_build.__file__}, not from an installed copy: '
        'run the suite with ./test.sh (it installs hpy_build into .venv and runs its pytest)')

ABIS = ['cpython', 'universal', 'debug']


@pytest.fixture(params=ABIS)
def abi(request):
    return request.param


@pytest.fixture
def compile_module(tmp_path):
    """compile_module(source, abi) -> (name, path): builds, does not load."""
    def compile_(source, abi, **kwargs):
        return hpy_compile.build(source, abi, tmp_path, **kwargs)
    return compile_


@pytest.fixture
def hpy_module(abi, tmp_path):
    """hpy_module(source) -> module, compiled and loaded in the ABI of the test."""
    def make(source, **kwargs):
        name, path = hpy_compile.build(source, abi, tmp_path, **kwargs)
        return hpy_compile.load(name, path, abi)
    return make


def pytest_collection_modifyitems(session, config, items):
    """The API coverage test looks at what the other tests compiled: it runs
    last, and knows whether the whole suite was collected."""
    last = [item for item in items if item.path.name == 'test_api_coverage.py']
    items[:] = [item for item in items if item not in last] + last
    config.hpy_collected_files = {item.path for item in items}
    pypy_run.adjust(items, config.rootpath / 'tests')


@pytest.fixture(scope='session', autouse=True)
def background_preparations(request, tmp_path_factory):
    """The slow preparations of the selected tests, queued before the first
    test runs (support/background.py): the other interpreters'
    environments and suite runs, in the order their tests come."""
    for item in request.session.items:
        if 'matrix_env' in item.fixturenames or 'matrix_prepared' in item.fixturenames:
            interp = item.callspec.params['interpreter']
            if not interpreters.is_host(interp):
                interpreters.plan(interp, tmp_path_factory)
        elif 'pypy_prepared' in item.fixturenames and pypy_env.missing() is None:
            pypy_env.plan(tmp_path_factory)
    yield
    background.stop()
