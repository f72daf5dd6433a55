"""hpy_build: build HPy extensions with Meson.

This module is also the PEP 517 / PEP 660 build backend
(``build-backend = "hpy_build"``). The hooks below only forward to
``hpy_build._backend``, imported on first use, so that ``import hpy_build``
(done by the import hook's loader when it first loads an HPy module) stays
cheap and does not need meson-python.

PYTEST_DONT_REWRITE: pytest loads hpy_build's plugin (hpy_build.debug.pytest)
through an entry point, maybe after the import hook has imported this package.
"""

__all__ = ['__version__', 'get_include']


def __getattr__(name):
    # The version is written by the build (from meson.build's project());
    # read on demand, so that importing the package stays minimal.
    if name == '__version__':
        from ._version import __version__
        return __version__
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


def get_include():
    """Directory to add to the include path to compile against hpy.h."""
    from . import _abi
    return _abi.include_dir()


# -- build backend hooks ---------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    from . import _backend
    return _backend.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_sdist(config_settings=None):
    from . import _backend
    return _backend.get_requires_for_build_sdist(config_settings)


def get_requires_for_build_editable(config_settings=None):
    from . import _backend
    return _backend.get_requires_for_build_editable(config_settings)


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    from . import _backend
    return _backend.prepare_metadata_for_build_wheel(
        metadata_directory, config_settings)


def prepare_metadata_for_build_editable(metadata_directory,
                                        config_settings=None):
    from . import _backend
    return _backend.prepare_metadata_for_build_editable(
        metadata_directory, config_settings)


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    from . import _backend
    return _backend.build_wheel(
        wheel_directory, config_settings, metadata_directory)


def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    from . import _backend
    return _backend.build_editable(
        wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory, config_settings=None):
    from . import _backend
    return _backend.build_sdist(sdist_directory, config_settings)
