"""The pytest plugin of the debug mode, registered by hpy_build's pytest11
entry point (nothing here runs unless pytest loads it):

- ``pytest --hpy-debug`` sets ``HPY=debug`` so that every universal module
  imported during the run is loaded in debug mode (a misuse of a handle
  aborts with its report), and fails each test that leaves handles open,
  listing them (with the C stack where they were opened after
  ``--hpy-debug-stack=N``);
- the ``hpy_debug`` fixture (HPy 0.9's hpy.debug.pytest) checks one test.
"""

import pytest


def pytest_addoption(parser):
    group = parser.getgroup('hpy', 'HPy debug mode (hpy_build)')
    group.addoption('--hpy-debug', action='store_true', default=False,
                    help='load every universal HPy module in debug mode (HPY=debug) '
                         'and fail each test that leaks handles')
    group.addoption('--hpy-debug-stack', type=int, default=0, metavar='N',
                    help='with --hpy-debug: record up to N C frames where each '
                         'handle is opened, shown in leak reports')


def pytest_configure(config):
    if not config.getoption('hpy_debug'):
        return
    import os
    os.environ['HPY'] = 'debug'
    config.pluginmanager.register(_LeakCheck(config.getoption('hpy_debug_stack')),
                                  'hpy_build-leak-check')


class _LeakCheck:
    """Registered by --hpy-debug: a test that leaves handles open fails
    with the HPyLeakError that lists them."""

    def __init__(self, stack_limit):
        self.stack_limit = stack_limit

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        from . import set_handle_stack_trace_limit
        from .leakdetector import LeakDetector
        if self.stack_limit > 0:
            set_handle_stack_trace_limit(self.stack_limit)
        detector = LeakDetector()
        detector.start()
        result = yield      # a test that failed is not checked for leaks
        detector.stop()
        return result


@pytest.fixture
def hpy_debug(request):
    """Fails the test if it leaves handles open; yields the LeakDetector."""
    from .leakdetector import LeakDetector
    with LeakDetector() as detector:
        yield detector
