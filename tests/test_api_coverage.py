"""Every context function of api/hpy.api is called by the C code the tests
compile, so nothing in the API ships untested. It looks at the sources
this session compiled (support.compile.COMPILED), so it runs last
(tests/conftest.py) and only when the whole suite runs. The generated test
of the @todo functions does not count: those are not implemented."""
import re
import sys
from pathlib import Path

import pytest

from support import compile as hpy_compile

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # for tools.autogen, after the installed packages
from tools.autogen import spec as api_spec  # noqa: E402

# Reached only through the runtime, never called by extension code.
NOT_CALLED_BY_EXTENSIONS = {'_HPy_CallRealFunctionFromTrampoline'}

# The public macros that call these functions.
_SHAPE_HELPERS = r'HPyType_HELPERS\(\s*\w+\s*,\s*HPyType_BuiltinShape_{}\s*\)'
THROUGH_MACROS = {
    '_HPy_New': r'\bHPy_New\s*\(',
    '_HPy_AsStruct_Object': r'HPyType_HELPERS\(\s*\w+\s*\)|' + _SHAPE_HELPERS.format('Object'),
    '_HPy_AsStruct_Legacy': r'HPyType_LEGACY_HELPERS\(|' + _SHAPE_HELPERS.format('Legacy'),
    **{f'_HPy_AsStruct_{shape}': _SHAPE_HELPERS.format(shape)
       for shape in ('Type', 'Long', 'Float', 'Unicode', 'Tuple', 'List', 'Dict')},
}


def is_called(name, compiled):
    pattern = rf'\b{re.escape(name)}\s*\('
    if name in THROUGH_MACROS:
        pattern += '|' + THROUGH_MACROS[name]
    return re.search(pattern, compiled) is not None


def test_every_context_function_is_called_by_a_test(request):
    every_file = set((ROOT / 'tests').rglob('test_*.py'))
    if not every_file <= request.config.hpy_collected_files:
        pytest.skip('runs only with the whole suite (it checks what the other tests compiled)')
    compiled = '\n'.join(hpy_compile.COMPILED)
    uncalled = [f.name for f in api_spec.parse().functions
                if f.name not in NOT_CALLED_BY_EXTENSIONS and f.impl != 'todo'
                and not is_called(f.name, compiled)]
    assert uncalled == [], f'no test calls: {", ".join(uncalled)}'


def test_nothing_is_left_to_do():
    todo = [f.name for f in api_spec.parse().functions if f.impl == 'todo']
    assert todo == [], f'not implemented yet: {", ".join(todo)}'
