"""HPy's trace mode: hpy_build's counterpart of HPy 0.9's hpy.trace.

Load a universal module in trace mode (``HPY=trace``, ``HPY=mod:trace`` or
``hpy_build.universal.load(..., mode=MODE_TRACE)``) and every context
function it calls is counted and timed::

    from hpy_build.trace import get_call_counts, get_durations
    mod.f()
    get_call_counts()['ctx_Add']      # calls of HPy_Add so far
    get_durations()['ctx_Add']        # nanoseconds spent in it

Keys are the context members' names (``ctx_<Function>``), as in HPy 0.9.
"""

from ..universal import _trace

__all__ = ['get_call_counts', 'get_durations', 'set_trace_functions', 'get_frequency']

get_call_counts = _trace.get_call_counts
get_durations = _trace.get_durations
set_trace_functions = _trace.set_trace_functions
get_frequency = _trace.get_frequency
