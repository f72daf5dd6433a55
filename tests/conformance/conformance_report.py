"""A pytest plugin loaded (-p conformance_report) into the run of HPy's own
test suite: appends one JSON line per event to the file named by
HPY_CONFORMANCE_REPORT, so the harness knows each test's outcome even when a
test crashes the interpreter. Tests already recorded in that file are not
run again: after a crash, the harness reruns the suite to go on past it."""
import json
import os

import pytest

_PATH = os.environ['HPY_CONFORMANCE_REPORT']


def _write(**event):
    with open(_PATH, 'a', encoding='utf-8') as f:
        f.write(json.dumps(event) + '\n')


def _recorded():
    if not os.path.exists(_PATH):
        return set()
    with open(_PATH, encoding='utf-8') as f:
        return {json.loads(line)['nodeid'] for line in f if line.strip()}


def pytest_collection_modifyitems(config, items):
    done = _recorded()
    if done:
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid in done])
        items[:] = [i for i in items if i.nodeid not in done]


def pytest_collectreport(report):
    if report.failed:
        _write(nodeid=report.nodeid, event='collect', outcome='error',
               message=str(report.longrepr)[-2000:])


def pytest_runtest_logstart(nodeid, location):
    _write(nodeid=nodeid, event='start')


@pytest.hookimpl(trylast=True)
def pytest_runtest_logreport(report):
    if report.when == 'call' or report.outcome != 'passed':
        message = ''
        if report.outcome == 'skipped' and isinstance(report.longrepr, tuple):
            message = report.longrepr[2]
        elif report.outcome == 'failed':
            message = str(report.longrepr)[-4000:]
        _write(nodeid=report.nodeid, event=report.when, outcome=report.outcome,
               message=message)
