"""LeakDetector: the handles a piece of code leaves open, as in HPy 0.9."""


class HPyDebugError(Exception):
    """An error found by HPy's debug mode."""


class HPyLeakError(HPyDebugError):
    """Handles were left open; *leaks* lists them (DebugHandle objects)."""

    def __init__(self, leaks):
        super().__init__()
        self.leaks = leaks

    def __str__(self):
        n = len(self.leaks)
        lines = ['%d unclosed handle%s:' % (n, '' if n == 1 else 's')]
        for handle in self.leaks:
            lines.extend('    ' + line for line in repr(handle).splitlines())
        return '\n'.join(lines)


def _debug():
    from ..universal import _debug as debug   # the runtime, on first use
    return debug


class LeakDetector:
    """Finds the handles opened (by modules in debug mode) between start()
    and stop() and still open at stop(). As a context manager, the block is
    the code watched: leaving it raises HPyLeakError if it leaked."""

    _NOT_STARTED = None

    def __init__(self):
        self.generation = self._NOT_STARTED

    def start(self):
        """Watch from now on: the handles opened since are the candidates."""
        if self.generation is not self._NOT_STARTED:
            raise ValueError('LeakDetector already started')
        self.generation = _debug().new_generation()

    def stop(self):
        """Raise HPyLeakError listing the watched handles still open."""
        if self.generation is self._NOT_STARTED:
            raise ValueError('LeakDetector not started yet')
        still_open = _debug().get_open_handles(self.generation)
        if still_open:
            raise HPyLeakError(still_open)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
