"""Every @todo function of api/hpy.api fails cleanly: called (with zero or
null arguments) it returns its error value and raises SystemError naming
itself. The C source is generated from the spec, so this follows it."""
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))  # for tools.autogen, after the installed packages
from tools.autogen import spec as api_spec  # noqa: E402

TODO = [f for f in api_spec.parse().functions if f.impl == 'todo']
pytestmark = pytest.mark.skipif(not TODO, reason='every context function is implemented '
                                '(tests/test_api_coverage.py checks that none is left)')

# How a caller recognises failure, by return type (HPy 0.9's conventions),
# written here rather than taken from the generator so that a wrong error
# value in the generator shows.
ERROR_CHECKS = {
    'HPy': 'HPy_IsNull(r)',
    'int': 'r == -1',
    'int32_t': 'r == -1',
    'HPyType_BuiltinShape': 'r == (HPyType_BuiltinShape)-2',
    'void': None,
}


def error_check(ret):
    if ret.endswith('*'):
        return 'r == NULL'
    if ret not in ERROR_CHECKS:
        raise AssertionError(f'test_todo.py does not know the error value of {ret!r}: add it')
    return ERROR_CHECKS[ret]


def c_method(i, f):
    decls = '\n'.join(f'    {api_spec.c_join(p.type, f"a{j}")};\n'
                      f'    memset(&a{j}, 0, sizeof(a{j}));'
                      for j, p in enumerate(f.params))
    call = f'{f.name}({", ".join(["ctx"] + [f"a{j}" for j in range(len(f.params))])})'
    check = error_check(f.ret)
    if check is None:
        body = f'    {call};\n    int ok = 1;'
    else:
        body = f'    {api_spec.c_join(f.ret, "r")} = {call};\n    int ok = {check};'
    return f'''
HPyDef_METH(todo_{i}, "{f.name}", HPyFunc_NOARGS)
static HPy todo_{i}_impl(HPyContext *ctx, HPy self)
{{
{decls}
{body}
    if (!ok) {{
        HPyErr_Clear(ctx);
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "{f.name} did not return its error value");
    }}
    if (!HPyErr_Occurred(ctx))
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "{f.name} raised nothing");
    return HPy_NULL;
}}'''


SOURCE = '\n'.join(c_method(i, f) for i, f in enumerate(TODO))


@pytest.fixture
def mod(ctx_module):
    # with the members added after HPy 0.9 declared, for the later @todo ones
    return ctx_module(SOURCE, extra_cflags=['-DHPY_ENABLE_ABI_0_1'])


@pytest.mark.parametrize('name', [f.name for f in TODO])
def test_todo_function_raises_system_error(mod, name):
    with pytest.raises(SystemError) as info:
        getattr(mod, name)()
    assert str(info.value) == f'{name} is not implemented yet in hpy_build'
