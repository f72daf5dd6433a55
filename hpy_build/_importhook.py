"""Import universal HPy modules by name: ``import hello`` finds hello.hpy0.so.

install() appends a finder at the end of sys.meta_path, so it runs only for
names that every other finder gave up on: normal imports never reach it. It
is installed at start-up by the hpy_build-importhook.pth file (not processed
under ``python -S``: call install() by hand there).

The finder looks, in each directory of the search path (sys.path for a
top-level name, the parent package's __path__ for a submodule), for the
hybrid file of this interpreter (hello.hpy0-cp311.so), the universal file
(hello.hpy0.so) and the untagged hello.hpy.so of early HPy releases. The
module's __file__, __spec__.origin and repr name that file; no stub module
is generated.

This module imports nothing beyond what the interpreter has loaded at
start-up. The loader (_loader) is imported when a file is found and the
runtime when the module is loaded, so a missing runtime shows up as an
ImportError of that import alone.
"""

import os
import sys


class HPyFinder:
    """sys.meta_path finder for universal and hybrid HPy module files."""

    _hpy_build_finder = True    # marks it in sys.meta_path, see install()
    _suffixes = None

    @classmethod
    def _get_suffixes(cls):
        if cls._suffixes is None:
            from . import _abi
            cls._suffixes = _abi.import_suffixes()
        return cls._suffixes

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        search = sys.path if path is None else path
        tail = fullname.rpartition('.')[2]
        names = [tail + suffix for suffix in cls._get_suffixes()]
        for entry in search:
            if not isinstance(entry, str):
                continue
            if not entry:
                try:
                    entry = os.getcwd()     # '' means the current directory
                except OSError:
                    continue
            for filename in names:
                candidate = os.path.join(entry, filename)
                if os.path.isfile(candidate):
                    from ._loader import spec_for_file
                    return spec_for_file(fullname, candidate)
        return None

    @classmethod
    def invalidate_caches(cls):
        pass


def install():
    """Append the finder to sys.meta_path, once."""
    for finder in sys.meta_path:
        if getattr(finder, '_hpy_build_finder', False):
            return
    sys.meta_path.append(HPyFinder)


def uninstall():
    """Remove the finder from sys.meta_path (for tests and embedders)."""
    sys.meta_path[:] = [f for f in sys.meta_path
                        if not getattr(f, '_hpy_build_finder', False)]
