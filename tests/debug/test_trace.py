"""Trace mode: the calls of each context function counted and timed, the
trace functions called on entry and exit (HPy 0.9's hpy.trace names)."""
import time
from collections import Counter

import pytest

import hpy_build.universal as u
from hpy_build.trace import get_call_counts, get_durations, get_frequency, set_trace_functions
from support import compile as hpy_compile

from support.debugmode import prepare

SOURCE = r'''
HPyDef_METH(add, "add", HPyFunc_VARARGS)
static HPy add_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    if (nargs != 2)
        return HPyErr_SetString(ctx, ctx->h_TypeError, "expected exactly two args");
    return HPy_Add(ctx, args[0], args[1]);
}

HPyDef_METH(call, "call", HPyFunc_O)
static HPy call_impl(HPyContext *ctx, HPy self, HPy arg)
{
    if (!HPyCallable_Check(ctx, arg))
        return HPyErr_SetString(ctx, ctx->h_TypeError, "expected callable");
    return HPy_CallTupleDict(ctx, arg, HPy_NULL, HPy_NULL);
}

HPyDef_METH(name, "name", HPyFunc_NOARGS)
static HPy name_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, ctx->name);
}
'''


@pytest.fixture
def mod(tmp_path):
    name, path = hpy_compile.build(prepare(SOURCE), 'universal', tmp_path)
    return u.load(name, path, mode=u.MODE_TRACE)


@pytest.fixture
def trace_functions():
    yield
    set_trace_functions(on_enter=None, on_exit=None)


def test_context_name(mod):
    assert mod.name().startswith('HPy Trace Mode ABI')


def test_call_counts(mod):
    before = Counter(get_call_counts())
    assert mod.add(1, 2) == 3
    assert Counter(get_call_counts()) - before == {'ctx_Add': 1}
    assert mod.add(10, 20) == 30
    with pytest.raises(TypeError, match='expected exactly two args'):
        mod.add(1, 2, 3)
    assert Counter(get_call_counts()) - before == {'ctx_Add': 2, 'ctx_Err_SetString': 1}
    assert 'ctx_Dup' in get_call_counts() and 'h_None' not in get_call_counts()


def test_durations(mod):
    before = get_durations()
    assert mod.call(lambda: time.sleep(0.05) or 123) == 123
    after = get_durations()
    assert after['ctx_CallTupleDict'] >= before['ctx_CallTupleDict'] + 50_000_000
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= {'ctx_CallTupleDict', 'ctx_Callable_Check'}
    assert get_frequency() == 1_000_000_000


def test_trace_functions(mod, trace_functions):
    entered, exited = [], []
    set_trace_functions(entered.append)
    assert mod.add(1, 2) == 3
    assert entered == ['ctx_Add'] and exited == []
    set_trace_functions(on_exit=exited.append)     # on_enter unchanged
    assert mod.add(2, 3) == 5
    assert entered == ['ctx_Add'] * 2 and exited == ['ctx_Add']
    set_trace_functions(on_enter=None)
    assert mod.add(2, 3) == 5
    assert entered == ['ctx_Add'] * 2 and exited == ['ctx_Add'] * 2
    with pytest.raises(TypeError, match='Expected a callable object or None'):
        set_trace_functions(1)
    with pytest.raises(TypeError, match='Expected a callable object or None'):
        set_trace_functions(on_exit='x')


def test_hpy_variable_selects_trace_mode(tmp_path):
    import os
    import subprocess
    import sys
    hpy_compile.build(prepare(SOURCE), 'universal', tmp_path, name='traced')
    env = dict(os.environ, PYTHONPATH=str(tmp_path), HPY='traced:trace')
    result = subprocess.run([sys.executable, '-c', 'import traced; print(traced.name())'],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('HPy Trace Mode ABI')
