"""HPy 0.9's hpy.devel.HPyDevel as HPy's test suite uses it, on hpy_build:
fix_distribution() gives a distribution a build_ext that compiles each of
its `hpy_ext_modules` in the distribution's `hpy_abi` with hpy_build's
headers and ABI macro, links hpy_build's helper library and names the file
as hpy_build's loader expects."""
import os

import setuptools
import setuptools.command.build_ext
import distutils

from hpy_build import _abi

if distutils is not getattr(setuptools, '_distutils', distutils):
    raise ImportError("setuptools' distutils is not the one imported: "
                      'unset SETUPTOOLS_USE_DISTUTILS')


def _split_hpy_flags(abi):
    """hpy_build's flags for *abi* as (include dirs, macros, other flags);
    the include dirs go before Python's, so that a universal module's
    #include <Python.h> finds hpy_build's header that refuses it."""
    include_dirs, macros, other = [], [], []
    for flag in _abi.compile_args(abi):
        if flag.startswith('-I'):
            include_dirs.append(flag[2:])
        elif flag.startswith('-D'):
            name, _, value = flag[2:].partition('=')
            macros.append((name, value or None))
        else:
            other.append(flag)
    return include_dirs, macros, other


class build_ext_hpy(setuptools.command.build_ext.build_ext):
    """Builds the distribution's hpy_ext_modules (and nothing else)."""

    def finalize_options(self):
        self.distribution.ext_modules = list(self.distribution.hpy_ext_modules)
        super().finalize_options()

    @property
    def _hpy_abi(self):
        return _abi.check_abi(self.distribution.hpy_abi)

    def build_extension(self, ext):
        include_dirs, macros, other = _split_hpy_flags(self._hpy_abi)
        ext.include_dirs = include_dirs + list(ext.include_dirs or [])
        ext.define_macros = macros + list(ext.define_macros or [])
        ext.extra_compile_args = other + list(ext.extra_compile_args or [])
        link = _abi.link_args(self._hpy_abi)      # the helper library first
        ext.extra_objects = list(ext.extra_objects or []) + link[:1]
        ext.extra_link_args = list(ext.extra_link_args or []) + link[1:]
        return super().build_extension(ext)

    def get_ext_filename(self, fullname):
        return os.path.join(*fullname.split('.')) + _abi.ext_suffix(self._hpy_abi)


class HPyDevel:
    """Where hpy_build's HPy development files are, and the build_ext."""

    def __init__(self, base_dir=None):
        self.include_dir = _abi.include_dir()

    def get_extra_include_dirs(self):
        return [self.include_dir]

    def get_include_dir_forbid_python_h(self):
        return os.path.join(self.include_dir, 'hpy', 'forbid_python_h')

    def get_extra_sources(self):
        return []           # the helpers are in the static helper library

    def get_ctx_sources(self):
        return []

    def get_static_libs(self, hpy_abi):
        return [_abi.helper_library(hpy_abi)]

    def fix_distribution(self, dist):
        dist.hpydevel = self
        dist.cmdclass['build_ext'] = build_ext_hpy
