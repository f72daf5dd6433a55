"""hpy_build's import hook: ``import hello`` finds hello.hpy0.so.

install() replaces the interpreter's file-finder path hook in sys.path_hooks
by one that also knows the HPy suffixes, right after CPython's own extension
suffixes. So in each directory of the search path a universal or hybrid file
is found in the same pass, with the same priority, as a CPython extension
module: it wins over a same-named .py file or folder in that directory and in
every later one, as hello.cpython-311-*.so would.

The suffixes, most specific first: the hybrid file of this interpreter
(hello.hpy0-cp311.so), the universal file (hello.hpy0.so) and the untagged
hello.hpy.so of early HPy releases. The module's __file__, __spec__.origin
and repr name that file; no stub module is generated.

This is a top-level module, not part of the hpy_build package, because the
hpy_build-importhook.pth file beside it imports it at every start-up (not
under ``python -S``: call install() by hand there): importing the package
would cost a second module and a directory listing. The .pth passes the
suffixes, written when hpy_build was built, so hpy_build._abi is not
imported either. hpy_build._loader is imported when a file is found and the
runtime when the module is loaded, so a missing runtime shows up as an
ImportError of that import alone.

PYTEST_DONT_REWRITE: pytest loads hpy_build's plugin through an entry point,
after start-up has imported this module (and registered hpy_build).
"""

import sys

try:        # CPython and PyPy: the import system, already loaded
    import _frozen_importlib_external as _bootstrap
except ImportError:     # pragma: no cover - other implementations
    from importlib import _bootstrap_external as _bootstrap

_MARK = '_hpy_build_path_hook'


class _UnloadedPackage(type(sys)):
    """hpy_build, registered at start-up, its __init__ run on first use."""

    def __getattr__(self, name):
        # Only for what the module's dict lacks: run __init__ now, once.
        self.__class__ = type(sys)
        self.__spec__.loader.exec_module(self)
        return getattr(self, name)


def _claim_package():
    """Make ``import hpy_build`` mean the package installed beside this module.

    Else a directory named hpy_build earlier on sys.path (Python started in
    a checkout of hpy_build's sources) would be imported instead, without
    the runtime. Registering costs next to nothing: the package's __init__
    runs when something of it is first used.
    """
    if 'hpy_build' in sys.modules:
        return
    import os       # loaded at start-up already
    directory = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'hpy_build')
    init = os.path.join(directory, '__init__.py')
    if not os.path.isfile(init):
        return
    spec = _bootstrap.spec_from_file_location(
        'hpy_build', init, submodule_search_locations=[directory])
    # the marker of the package's docstring, before the package runs: pytest
    # reads it to leave an imported plugin distribution alone
    package = _UnloadedPackage('hpy_build', 'hpy_build (not loaded yet). PYTEST_DONT_REWRITE')
    package.__spec__ = spec
    package.__loader__ = spec.loader
    package.__file__ = init
    package.__path__ = spec.submodule_search_locations
    package.__package__ = 'hpy_build'
    sys.modules['hpy_build'] = package


def hpy_suffixes():
    """The file suffixes of HPy modules this interpreter imports."""
    from hpy_build import _abi
    return _abi.import_suffixes(_bootstrap.EXTENSION_SUFFIXES[0])


def _hpy_loader(fullname, path):
    # Called by the file finder when it finds a file; the loader module
    # (and importlib.machinery with it) is imported only then.
    from hpy_build._loader import HPyExtensionLoader
    return HPyExtensionLoader(fullname, path)


def _loader_details(suffixes):
    """The stock (loader, suffixes) pairs with the HPy ones after the extensions."""
    details = []
    for loader, stock in _bootstrap._get_supported_file_loaders():
        details.append((loader, stock))
        if loader is _bootstrap.ExtensionFileLoader:
            details.append((_hpy_loader, list(suffixes)))
    return details


def _is_stock_hook(hook):
    return getattr(hook, '__qualname__', '').startswith('FileFinder.path_hook')


def _is_our_hook(hook):
    return getattr(hook, _MARK, False)


def path_hook(suffixes=None):
    """A sys.path_hooks entry: the stock file finder plus the HPy suffixes."""
    hook = _bootstrap.FileFinder.path_hook(
        *_loader_details(suffixes or hpy_suffixes()))
    setattr(hook, _MARK, True)
    return hook


def _teach_file_finders(suffixes):
    # Finders made before install() (for the directories of the modules
    # imported so far) do not know the HPy suffixes. Add them after the
    # extension suffixes, as the new hook does; a finder whose layout we do
    # not know is dropped instead, for the next import to remake it.
    cache = sys.path_importer_cache
    for entry, finder in list(cache.items()):
        if type(finder) is not _bootstrap.FileFinder:
            continue
        loaders = getattr(finder, '_loaders', None)
        if not isinstance(loaders, list):
            del cache[entry]
            continue
        ours = [(s, _hpy_loader) for s in suffixes]
        last_ext = max([i for i, (_, l) in enumerate(loaders)
                        if l is _bootstrap.ExtensionFileLoader], default=-1)
        loaders[last_ext + 1:last_ext + 1] = ours


def installed():
    return any(_is_our_hook(h) for h in sys.path_hooks)


def install(suffixes=None):
    """Put the HPy-aware file finder in sys.path_hooks, once.

    *suffixes* are hpy_suffixes(), as the .pth file gives them (written when
    hpy_build was built for this interpreter): then _abi is not imported.
    """
    if installed():
        return
    _claim_package()
    suffixes = tuple(suffixes or hpy_suffixes())
    hooks = sys.path_hooks
    for i, hook in enumerate(hooks):
        if _is_stock_hook(hook):
            hooks[i] = path_hook(suffixes)
            break
    else:
        hooks.append(path_hook(suffixes))
    _teach_file_finders(suffixes)


def uninstall():
    """Give sys.path_hooks back its stock file finder (for tests and embedders)."""
    stock = _bootstrap.FileFinder.path_hook(*_bootstrap._get_supported_file_loaders())
    sys.path_hooks[:] = [stock if _is_our_hook(h) else h for h in sys.path_hooks]
    cache = sys.path_importer_cache
    for entry, finder in list(cache.items()):
        if isinstance(finder, _bootstrap.FileFinder):
            del cache[entry]
