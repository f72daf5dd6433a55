"""The hpy_debug pytest fixture, as in HPy 0.9's hpy.debug.pytest: the test
fails if it leaves handles open. Use it with
``from hpy_build.debug.pytest import hpy_debug`` in a conftest.py."""

import pytest

from .leakdetector import LeakDetector


@pytest.fixture
def hpy_debug(request):
    """Checks that the test does not leak handles; yields the LeakDetector."""
    with LeakDetector() as detector:
        yield detector
