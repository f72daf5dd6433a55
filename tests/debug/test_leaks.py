"""Leak detection and the debug handles seen from Python (HPy 0.9's
hpy.debug and hpy.universal._debug names)."""
import pytest

from hpy_build.debug import (HPyDebugError, HPyLeakError, LeakDetector,
                             disable_handle_stack_traces, set_handle_stack_trace_limit)
from hpy_build.universal import _debug

LEAKY = r'''
HPyDef_METH(leak, "leak", HPyFunc_O)
static HPy leak_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_Dup(ctx, arg);      /* leaked */
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(f, "f", HPyFunc_O)
static HPy f_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPy_Dup(ctx, ctx->h_None);
}
'''


@pytest.fixture
def mod(debug_module):
    return debug_module(LEAKY)


@pytest.fixture
def stack_traces(request):
    set_handle_stack_trace_limit(32)
    yield
    disable_handle_stack_traces()


@pytest.fixture
def queue_size():
    old = _debug.get_closed_handles_queue_max_size()
    yield
    _debug.set_closed_handles_queue_max_size(old)


def test_generations_select_open_handles(mod):
    gen1 = _debug.new_generation()
    mod.leak('hello')
    mod.leak('world')
    gen2 = _debug.new_generation()
    assert gen2 == gen1 + 1
    mod.leak('a younger leak')
    assert [h.obj for h in _debug.get_open_handles(gen1)] == ['hello', 'world', 'a younger leak']
    assert [h.obj for h in _debug.get_open_handles(gen2)] == ['a younger leak']
    for h in _debug.get_open_handles(gen1):
        h._force_close()
    assert _debug.get_open_handles(gen1) == []


def test_context_constants_are_never_leaks(mod):
    gen = _debug.new_generation()
    mod.f(None)
    assert _debug.get_open_handles(gen) == []
    assert not [h for h in _debug.get_open_handles(0) if h.origin.startswith('ctx->')]


def test_debug_handle_id_and_comparison(mod):
    gen = _debug.new_generation()
    mod.leak('a')
    mod.leak('a')
    a1, a2 = _debug.get_open_handles(gen)
    b1, b2 = _debug.get_open_handles(gen)
    assert a1 is not b1 and a1 == b1 and a1.id == b1.id and hash(a1) == hash(b1)
    assert a1 != a2 and a1.id != a2.id      # same object, two handles
    assert a1 != 'hello' and not a1 == 'hello'
    with pytest.raises(TypeError):
        a1 < a2
    for h in (a1, a2):
        h._force_close()


def test_debug_handle_describes_the_leak(mod):
    gen = _debug.new_generation()
    mod.leak('hello')
    h, = _debug.get_open_handles(gen)
    assert repr(h).startswith("<DebugHandle 0x%x for 'hello'>" % h.id)
    assert 'an object of type str, opened by HPy_Dup' in repr(h)
    assert 'set_handle_stack_trace_limit' in repr(h)
    assert h.origin == 'HPy_Dup' and h.stack is None and not h.is_closed
    h._force_close()
    assert h.is_closed and h.obj is None
    assert repr(h).startswith('<DebugHandle 0x%x CLOSED>' % h.id)
    assert h in _debug.get_closed_handles()
    assert _debug.get_open_handles(gen) == []


def test_stack_trace_of_a_leak(mod, stack_traces):
    gen = _debug.new_generation()
    mod.leak('traced')
    h, = _debug.get_open_handles(gen)
    assert h.stack is not None and h.stack.count('\n') >= 2
    assert repr(h).endswith(h.stack) and ', at:\n' in repr(h)
    assert _debug.get_handle_stack_trace_limit() == 32
    h._force_close()


def test_leak_detector(mod):
    detector = LeakDetector()
    detector.start()
    mod.leak('hello')
    with pytest.raises(HPyLeakError) as exc:
        detector.stop()
    assert str(exc.value).startswith('1 unclosed handle:\n')
    assert isinstance(exc.value, HPyDebugError)
    with pytest.raises(HPyLeakError) as exc:
        with LeakDetector():
            mod.leak('foo')
            mod.leak('bar')
            mod.f('not leaked')
    msg = str(exc.value)
    assert msg.startswith('2 unclosed handles:\n')
    assert "'foo'" in msg and "'bar'" in msg and 'hello' not in msg and 'not leaked' not in msg
    assert [h.obj for h in exc.value.leaks] == ['foo', 'bar']
    with LeakDetector():
        mod.f('fine')
    for h in _debug.get_open_handles(detector.generation):
        h._force_close()


def test_leak_detector_misuse():
    detector = LeakDetector()
    with pytest.raises(ValueError, match='not started yet'):
        detector.stop()
    detector.start()
    with pytest.raises(ValueError, match='already started'):
        detector.start()
    detector.stop()


def test_closed_handles_queue_max_size(mod, queue_size):
    # each call opens and closes 3 handles: self, the argument, the result
    n1 = len(_debug.get_closed_handles())
    _debug.set_closed_handles_queue_max_size(n1 + 7)
    assert _debug.get_closed_handles_queue_max_size() == n1 + 7
    mod.f('aaa')
    assert len(_debug.get_closed_handles()) == n1 + 3
    mod.f('bbb')
    assert len(_debug.get_closed_handles()) == n1 + 6
    mod.f('ccc')
    assert len(_debug.get_closed_handles()) == n1 + 7
    mod.f('ddd')
    assert len(_debug.get_closed_handles()) == n1 + 7
    with pytest.raises(ValueError):
        _debug.set_closed_handles_queue_max_size(-1)


def test_closed_handles_are_reused_oldest_first(mod, queue_size):
    gen = _debug.new_generation()
    mod.f('hello')
    mod.f('world')
    _debug.set_closed_handles_queue_max_size(1)     # full: opening reuses the oldest
    closed = _debug.get_closed_handles()
    mod.leak('foo')      # opens self, arg, the leak (3rd), the result
    assert not closed[2].is_closed and closed[2].obj == 'foo'
    # the queue is still over its size: the next call reuses again
    closed = _debug.get_closed_handles()
    mod.leak('bar')
    assert not closed[2].is_closed and closed[2].obj == 'bar'
    for h in _debug.get_open_handles(gen):
        h._force_close()


def test_a_lowered_queue_size_drains_one_handle_per_reuse(mod, queue_size):
    _debug.set_closed_handles_queue_max_size(1000)
    for _ in range(4):
        mod.f('x')
    n = len(_debug.get_closed_handles())
    assert n >= 12
    _debug.set_closed_handles_queue_max_size(1)
    assert len(_debug.get_closed_handles()) == n      # dropping waits for the next close
    # each of the three handles opened reuses the oldest closed one, and
    # each close adds one and drops the oldest: three fewer, not all but one
    mod.f('y')
    assert len(_debug.get_closed_handles()) == n - 3


def test_a_reused_record_describes_its_new_handle(mod, queue_size):
    _debug.set_closed_handles_queue_max_size(0)
    while _debug.get_closed_handles():
        mod.f('drain')
    _debug.set_closed_handles_queue_max_size(3)
    set_handle_stack_trace_limit(16)
    try:
        mod.f('traced')     # self, the argument, the result: the queue is full
    finally:
        disable_handle_stack_traces()
    traced = _debug.get_closed_handles()
    assert len(traced) == 3 and all(h.is_closed and h.stack is not None for h in traced)
    # the next call reuses the oldest record (the queue is full) and drops
    # the other two: what they said about where they were opened goes
    mod.f('untraced')
    now = _debug.get_closed_handles()
    assert traced[0] in now and len(now) == 3
    assert all(h.stack is None for h in traced + now)


def test_closed_handles_of_a_generation(mod):
    gen = _debug.new_generation()
    mod.f('x')
    assert len(_debug.get_closed_handles(gen)) == 3
    with pytest.raises(TypeError):
        _debug.get_closed_handles(1, 2)


def test_raw_data_size_knob():
    old = _debug.get_protected_raw_data_max_size()
    assert old == 10 * 1024 * 1024      # HPy 0.9's default
    try:
        _debug.set_protected_raw_data_max_size(100)
        assert _debug.get_protected_raw_data_max_size() == 100
    finally:
        _debug.set_protected_raw_data_max_size(old)


def test_handle_stack_trace_limit_knob():
    assert _debug.get_handle_stack_trace_limit() is None
    set_handle_stack_trace_limit(5)
    assert _debug.get_handle_stack_trace_limit() == 5
    disable_handle_stack_traces()
    assert _debug.get_handle_stack_trace_limit() is None
    with pytest.raises(TypeError):
        set_handle_stack_trace_limit('x')
