"""HPy's debug mode: hpy_build's counterpart of HPy 0.9's hpy.debug.

Load a universal module in debug mode (``HPY=debug``, ``HPY=mod:debug`` or
``hpy_build.universal.load(..., debug=True)``) and every handle it sees is
checked: a closed handle used again, a handle closed twice, an argument or
a context constant returned without HPy_Dup, a context kept from another
call abort the process with a report (or call the hook set with
``hpy_build.universal._debug.set_on_invalid_handle``). Leaks are found with
LeakDetector::

    from hpy_build.debug import LeakDetector
    with LeakDetector():
        mod.f()          # HPyLeakError if f leaves handles open
"""

from .leakdetector import HPyDebugError, HPyLeakError, LeakDetector

__all__ = ['HPyDebugError', 'HPyLeakError', 'LeakDetector',
           'set_handle_stack_trace_limit', 'disable_handle_stack_traces']


def set_handle_stack_trace_limit(limit):
    """Record up to *limit* C frames where each handle is opened (shown in
    leak reports); None turns it off."""
    from ..universal import _debug
    _debug.set_handle_stack_trace_limit(limit)


def disable_handle_stack_traces():
    """Stop recording where handles are opened."""
    from ..universal import _debug
    _debug.set_handle_stack_trace_limit(None)
