"""Helpers of the debug- and trace-mode tests (tests/debug/)."""
import re
import signal
import subprocess
import sys
import textwrap

from support import compile as hpy_compile

# What a child process that aborted returns (Py_FatalError calls abort()).
SIGABRT = -signal.SIGABRT


_METH = re.compile(r'^\s*HPyDef_METH\((\w+)\s*,', re.M)


def prepare(source):
    """Every HPyDef_METH of source exported, and the module defined."""
    exports = ''.join(f'@EXPORT({sym})\n' for sym in _METH.findall(source))
    return f'{source}\n{exports}@INIT\n'


class Child:
    """Runs Python code in a child process with one debug-mode module as `mod`."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path

    def __call__(self, source, code, mode='debug=True'):
        name, path = hpy_compile.build(prepare(source), 'debug', self.tmp_path)
        script = (f'import hpy_build.universal as u\n'
                  f'mod = u.load({name!r}, {str(path)!r}, {mode})\n'
                  + textwrap.dedent(code))
        return subprocess.run([sys.executable, '-c', script], capture_output=True, text=True,
                              errors='replace')


class Reports:
    """Counts the reports that went to the on_invalid_handle and
    on_invalid_builder_handle hooks instead of aborting."""

    def __init__(self):
        self.invalid_handles = 0
        self.invalid_builders = 0

    def _handle(self):
        self.invalid_handles += 1

    def _builder(self):
        self.invalid_builders += 1
