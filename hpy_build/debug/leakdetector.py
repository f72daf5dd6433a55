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


class LeakDetector:
    """Finds the handles opened (by modules in debug mode) between start()
    and stop() and still open at stop(); also a context manager."""

    def __init__(self):
        self.generation = None

    def start(self):
        if self.generation is not None:
            raise ValueError('LeakDetector already started')
        from ..universal import _debug
        self.generation = _debug.new_generation()

    def stop(self):
        if self.generation is None:
            raise ValueError('LeakDetector not started yet')
        from ..universal import _debug
        leaks = _debug.get_open_handles(self.generation)
        if leaks:
            raise HPyLeakError(leaks)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, etype, evalue, tb):
        self.stop()
