"""The headers compile as C++ too, and C++ modules load in every ABI."""
from pathlib import Path

from support import compile as hpy_compile

ROOT = Path(__file__).resolve().parents[1]


def test_hello_as_cplusplus(abi, tmp_path):
    name = hpy_compile.unique_name('hello_cxx')
    source = (ROOT / 'examples' / 'hello' / 'hello.c').read_text()
    source = source.replace('HPy_MODINIT(hello,', f'HPy_MODINIT({name},')
    _, path = hpy_compile.build(source, abi, tmp_path, name=name, cplusplus=True)
    assert hpy_compile.load(name, path, abi).add(30, 40) == 70
