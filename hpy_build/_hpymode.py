"""The run modes of a universal module and the HPY environment variable.

Kept apart from hpy_build.universal so that it works (and is testable)
without the C runtime.

HPY reads as in HPy 0.9:

    HPY      := MODE | ENTRY { ',' ENTRY }
    ENTRY    := MODULE_NAME ':' MODE
    MODE     := 'universal' | 'debug' | 'trace'     (any case)

``HPY=debug`` runs every universal module in debug mode;
``HPY=mod1:debug,mod2:trace`` picks a mode per module (full dotted name).
Where HPy 0.9's C parser is loose we are strict or plain: a mode must be a
whole word ('deb' is not 'debug'), module names match exactly, a module not
listed runs in universal mode, and an empty HPY means "not set".
"""

MODE_UNIVERSAL = 0
MODE_DEBUG = 1
MODE_TRACE = 2

MODE_NAMES = {
    'universal': MODE_UNIVERSAL,
    'debug': MODE_DEBUG,
    'trace': MODE_TRACE,
}


def _mode(word, whole_value):
    mode = MODE_NAMES.get(word.strip().lower())
    if mode is None:
        raise ValueError('invalid HPy mode: %r in HPY=%r (expected one of %s)'
                         % (word, whole_value, ', '.join(MODE_NAMES)))
    return mode


def parse(value, module_name):
    """The mode HPY=*value* selects for the module *module_name*."""
    if value is None or not value.strip():
        return MODE_UNIVERSAL
    if ':' not in value:
        return _mode(value, value)
    found = MODE_UNIVERSAL
    for entry in value.split(','):
        name, colon, word = entry.partition(':')
        name = name.strip()
        if not colon or not name or ':' in word:
            raise ValueError('invalid entry %r in HPY=%r: expected '
                             'MODULE:MODE' % (entry, value))
        mode = _mode(word, value)   # checks every entry, not just ours
        if name == module_name:
            found = mode
    return found


def from_environ(module_name, environ=None):
    """The mode the HPY environment variable selects for *module_name*."""
    if environ is None:
        import os
        environ = os.environ
    return parse(environ.get('HPY'), module_name)


def describe(mode):
    """The name of *mode* for messages: 'universal', 'debug' or 'trace'."""
    for name, value in MODE_NAMES.items():
        if value == mode:
            return name
    return 'unknown mode %r' % (mode,)
