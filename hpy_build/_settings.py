"""The build backend's config settings: hpy-abi, and where to build.

hpy-abi (cpython | universal | hybrid) is ours; every other setting belongs
to meson-python and passes through untouched (it checks them itself).
"""

import os

from . import _abi

ABI_KEY = 'hpy-abi'

# The machine file, in the build directory, that carries the ABI to
# hpy_extension(); written by the backend and by `hpy_build.meson setup -Dhpy-abi=`.
NATIVE_FILE = 'hpy-build-native-file.ini'


class BackendError(Exception):
    """A problem with what the user asked for; reported without a traceback."""


def split(config_settings):
    """Return (hpy ABI, the settings left for meson-python)."""
    settings = dict(config_settings or {})
    for key in settings:
        if key != ABI_KEY and key.replace('_', '-').startswith('hpy'):
            raise BackendError('unknown config setting %r; did you mean %r?'
                               % (key, ABI_KEY))
    value = settings.pop(ABI_KEY, None)
    if value is None:
        return _abi.default_abi(), settings
    if isinstance(value, (list, tuple)):
        if len(set(value)) != 1:
            raise BackendError('config setting %r given more than once: %s'
                               % (ABI_KEY, ', '.join(map(repr, value))))
        value = value[0]
    if value not in _abi.ABIS:
        raise BackendError('unknown %s %r: expected one of %s'
                           % (ABI_KEY, value, ', '.join(_abi.ABIS)))
    return value, settings


def user_build_dir(settings):
    """The build directory the user chose (build-dir or builddir), or None."""
    for key in ('build-dir', 'builddir'):
        value = settings.get(key)
        if value is not None:
            if not isinstance(value, str):
                # meson-python would reject it later; say it first, clearly.
                raise BackendError('config setting %r takes one value' % key)
            return value
    return None


def editable_build_dir(abi):
    """Default persistent build directory of an editable install of *abi*.

    One per ABI, so switching -Chpy-abi never reuses another ABI's build.
    """
    return os.path.join('build', '%s-%s' % (_abi.python_abi_tag(), abi))


def with_native_file(settings, path):
    """*settings* with '--native-file=<path>' appended to setup-args."""
    settings = dict(settings)
    setup = settings.get('setup-args', [])
    setup = [setup] if isinstance(setup, str) else list(setup)
    settings['setup-args'] = setup + ['--native-file=' + os.fspath(path)]
    return settings


def native_file_text(abi):
    """The Meson machine file that tells hpy_extension() the default ABI."""
    return "[properties]\nhpy_abi = '%s'\n" % _abi.check_abi(abi)
