"""Load universal HPy modules: hpy_build's counterpart of HPy 0.9's hpy.universal.

    from hpy_build.universal import load, MODE_UNIVERSAL
    mod = load('hello', '/path/hello.hpy0.so', mode=MODE_UNIVERSAL)

As in HPy 0.9, an explicit load() ignores the HPY environment variable: the
mode comes from *debug* and *mode*. Imports through the import hook read HPY
(see hpy_build._hpymode).
"""

import os
import sys

from ._hpymode import MODE_DEBUG, MODE_TRACE, MODE_UNIVERSAL, describe

try:
    from . import _runtime
except ImportError as exc:
    raise ImportError(
        "hpy_build's C runtime (hpy_build._runtime) cannot be imported (%s); "
        "it is built when hpy_build is installed with pip" % (exc,),
        name=__name__) from exc

__all__ = ['load', 'get_version', 'get_abi_version', 'HPyLoadError', 'MODE_UNIVERSAL',
           'MODE_DEBUG', 'MODE_TRACE']

# Raised when a universal module cannot be loaded: an ImportError (with the
# module's name and path) that is also the RuntimeError of HPy 0.9's loader.
HPyLoadError = _runtime.HPyLoadError

# The debug mode's low-level knobs and the trace mode's measures, as
# hpy.universal._debug and _trace in HPy 0.9 (hpy_build.debug and
# hpy_build.trace are built on them).
_debug = getattr(_runtime, '_debug', None)
_trace = getattr(_runtime, '_trace', None)

_MODES = (MODE_UNIVERSAL, MODE_DEBUG, MODE_TRACE)


def get_version():
    """Return (hpy_build version, HPy version whose ABI the runtime implements)."""
    return _runtime.get_version()


def get_abi_version():
    """Return (major, minor): the universal ABI the runtime implements. It
    loads modules that require this major version and at most this minor
    one: 0.0 is HPy 0.9's, 0.1 adds HPy's later members (HPY_ENABLE_ABI_0_1)."""
    return (_runtime.ABI_VERSION, _runtime.ABI_VERSION_MINOR)


def load(name, path, spec=None, debug=False, mode=-1):
    """Load the universal (or hybrid) HPy module *name* from the file *path*.

    *debug* selects debug mode; *mode* (one of the MODE_* constants)
    overrides it when positive, as in HPy 0.9. Without *spec*, one naming
    *path* as the module's origin is made.
    """
    if not isinstance(name, str):
        raise TypeError('name must be a str, not %s' % type(name).__name__)
    try:
        path = os.fspath(path)
    except TypeError:
        raise TypeError('path must be a str or os.PathLike, not %s'
                        % type(path).__name__) from None
    if not isinstance(path, str):
        raise TypeError('path must be a str, not %s' % type(path).__name__)
    if not isinstance(mode, int):
        raise TypeError('mode must be an int, not %s' % type(mode).__name__)
    if mode not in _MODES and mode != -1:
        raise ValueError('invalid HPy mode %r: expected MODE_UNIVERSAL, '
                         'MODE_DEBUG or MODE_TRACE' % (mode,))
    chosen = MODE_DEBUG if debug else MODE_UNIVERSAL
    if mode > 0:
        chosen = mode
    if spec is None:
        from ._loader import spec_for_file
        spec = spec_for_file(name, path)
    return _load(name, path, spec, chosen)


def _load(name, path, spec, mode):
    return _runtime.load(name, path, spec, mode)


def runtime_description():
    """Which runtime loads universal modules here, on which interpreter (what
    HPY_LOG prints): "hpy_build's runtime on CPython 3.11.2"."""
    import platform
    impl = sys.implementation
    if impl.name == 'pypy':
        where = 'PyPy %d.%d.%d' % sys.pypy_version_info[:3]
    else:
        where = '%s %s' % (platform.python_implementation(), platform.python_version())
    return "hpy_build's runtime on %s" % where


def _load_for_import(spec, environ=None):
    """Load the module of an import-hook *spec*, honouring HPY and HPY_LOG."""
    from . import _hpymode
    if environ is None:
        environ = os.environ
    mode = _hpymode.from_environ(spec.name, environ)
    if 'HPY_LOG' in environ:
        extra = '' if mode == MODE_UNIVERSAL else (
            ' with a %s context' % describe(mode))
        print("Loading '%s' in HPy universal mode%s (%s)" % (spec.name, extra, runtime_description()))
    return _load(spec.name, spec.origin, spec, mode)
