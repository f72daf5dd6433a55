"""hpy_build's import hook: ``import hello`` finds hello.hpy0.so.

The hook replaces the interpreter's file-finder path hook in sys.path_hooks
by one that also knows the HPy suffixes, right after CPython's own extension
suffixes. So in each directory of the search path a universal or hybrid file
is found in the same pass, with the same priority, as a CPython extension
module: it wins over a same-named .py file or folder in that directory and in
every later one, as hello.cpython-311-*.so would. The finder tries the HPy
suffixes only in a directory whose listing holds one of them, chosen again
whenever it reads the listing anew, so a lookup anywhere else costs what the
stock finder's does (each suffix tried is a path join per module looked up,
and a stat per package).

The suffixes, most specific first: the hybrid file of this interpreter
(hello.hpy0-cp311.so), the universal file (hello.hpy0.so) and the untagged
hello.hpy.so of early HPy releases. The module's __file__, __spec__.origin
and repr name that file; no stub module is generated.

Installing is the job of the top-level module _hpy_build_importhook, which
the hpy_build-importhook.pth file beside it imports at every start-up (under
``python -S`` there are no .pth files: import it by hand). Start-up pays for
every line of that module, so it holds only what installing takes; it
carries the suffixes, written when hpy_build is built, so that hpy_build._abi
is not imported. Its finder also answers for ``hpy_build`` with the
package installed beside it, so that a folder named hpy_build earlier on
sys.path, as in a checkout of hpy_build's sources, does not stand in for it.
This module (install() again after uninstall(), for tests and embedders),
hpy_build._loader (when a file is found) and the runtime (when it is loaded)
are imported when first needed, so a missing runtime shows up as an
ImportError of the import that needs it.
"""

import sys

import _hpy_build_importhook as _startup

SUFFIXES = _startup.SUFFIXES


def installed():
    """Whether the HPy-aware file finder is in sys.path_hooks."""
    return any(getattr(h, '_hpy_build_path_hook', False) for h in sys.path_hooks)


def install(suffixes=SUFFIXES):
    """Put the HPy-aware file finder in sys.path_hooks, once.

    Importing _hpy_build_importhook does it, with the SUFFIXES of the
    interpreter hpy_build was built for.
    """
    _startup._install(tuple(suffixes))


def uninstall():
    """Give sys.path_hooks back its stock file finder (for tests and embedders)."""
    bootstrap = _startup._bootstrap
    stock = _startup._stock_hook    # the one install() replaced (or made)
    sys.path_hooks[:] = [stock if getattr(h, '_hpy_build_path_hook', False) else h
                         for h in sys.path_hooks]
    cache = sys.path_importer_cache
    for entry, finder in list(cache.items()):
        if isinstance(finder, bootstrap.FileFinder):
            del cache[entry]
