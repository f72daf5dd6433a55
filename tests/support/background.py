"""The slow preparations of a few tests, started when the session starts and
run one at a time in a background thread while the rest of the suite runs
(the machine has two cores; the suite mostly keeps one busy): each other
interpreter's environment, with hpy_build built and installed there, and
that interpreter's run of the universal part of the suite.

tests/conftest.py plans what the selected tests use; a fixture then waits
for its result (re-raised if the job raised). A job is whole before any
test uses its environment, so no test installs into an environment while a
suite runs there.
"""
import concurrent.futures
import threading

_lock = threading.Lock()
_pool = None
_jobs = {}      # key -> the job's future


def plan(key, job):
    """Queue `key` unless it is queued: job() -> (function, *args) says
    what to run, and is called only then."""
    global _pool
    with _lock:
        if key in _jobs:
            return
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix='test-background')
        function, *args = job()
        _jobs[key] = _pool.submit(function, *args)


def wait(key):
    """The result of `key` (planned), once its job has run."""
    return _jobs[key].result()


def stop():
    """At the end of the session: drop the jobs not started (a job that is
    running, at most one, runs to its end)."""
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
