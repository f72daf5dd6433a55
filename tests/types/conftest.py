"""Fixtures of the type tests: like tests/ctx, each source is compiled once
per ABI for the whole test file (`abi` has module scope here)."""
import pytest

from support import compile as hpy_compile

ABIS = ['cpython', 'universal', 'debug']


@pytest.fixture(scope='module', params=ABIS)
def abi(request):
    return request.param


@pytest.fixture(scope='module')
def type_module(abi, tmp_path_factory):
    """type_module(source) -> module in the ABI of the test, built once."""
    cache = {}
    tmp = tmp_path_factory.mktemp(f'types_{abi}')

    def make(source):
        if source not in cache:
            name, path = hpy_compile.build(source, abi, tmp)
            cache[source] = hpy_compile.load(name, path, abi)
        return cache[source]
    return make

