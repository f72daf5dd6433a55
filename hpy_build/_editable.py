"""Universal and hybrid modules in an editable install.

meson-python's editable loader imports modules straight from the build
directory, but only files whose suffix CPython knows; 'hello.hpy0.so' is
not one. An editable wheel with HPy modules therefore also installs a .pth
line that calls install() below: a finder that asks meson-python's loader
for the same build directory (which rebuilds first, as for any module) and
loads the HPy module files it lists.
"""

import os
import sys

_LOADER_CLASS = 'MesonpyMetaFinder'
# Set by meson-python while it rebuilds, so imports then do not rebuild again.
_SKIP_VARIABLE = 'MESONPY_EDITABLE_SKIP'


class HPyEditableFinder:
    """Finds the HPy modules of one editable build directory."""

    def __init__(self, build_path, top_level_names):
        self._build_path = build_path
        self._names = frozenset(top_level_names)

    def __repr__(self):
        return '%s(%r)' % (type(self).__name__, self._build_path)

    def _tree(self):
        for finder in sys.meta_path:
            if type(finder).__name__ == _LOADER_CLASS and \
                    getattr(finder, '_build_path', None) == self._build_path:
                return finder._rebuild()
        raise ImportError(
            "the editable install built in %s has lost meson-python's "
            'loader; reinstall it' % self._build_path)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition('.')[0] not in self._names:
            return None
        if self._build_path in os.environ.get(_SKIP_VARIABLE, '').split(os.pathsep):
            return None
        from . import _abi
        from ._loader import spec_for_file
        tree = self._tree()
        parts = fullname.split('.')
        for suffix in _abi.import_suffixes():
            src = tree.get(tuple(parts[:-1]) + (parts[-1] + suffix,))
            if isinstance(src, str):
                return spec_for_file(fullname, src)
        return None


def install(build_path, top_level_names):
    """Put a finder for *build_path*'s HPy modules first in sys.meta_path."""
    for finder in sys.meta_path:
        if isinstance(finder, HPyEditableFinder) and \
                finder._build_path == build_path:
            return
    sys.meta_path.insert(0, HPyEditableFinder(build_path, top_level_names))


def pth_line(build_path, top_level_names):
    """The .pth line that calls install() at start-up."""
    return 'import hpy_build._editable as m; m.install(%r, %r)\n' % (
        build_path, sorted(top_level_names))
