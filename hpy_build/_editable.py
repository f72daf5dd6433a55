"""Universal and hybrid modules in an editable install.

meson-python's editable loader imports modules straight from the build
directory, but only files whose suffix CPython knows; 'hello.hpy0.so' is
not one. An editable wheel with HPy modules therefore also installs a .pth
line that calls install() below: a finder that asks meson-python's loader
for the same build directory (which rebuilds first, as for any module) and
loads the HPy module files it lists.
"""

import os
import subprocess
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


# -- editable installs need build tools that outlive the build ---------------

# What the rebuild on import runs: Meson (through hpy_build's entry point,
# which meson-python's loader and Meson record by path) and ninja.
_TOOL_MODULES = ('mesonbuild', 'mesonpy', 'hpy_build')
# Isolated build environments that are deleted after the build: pip's
# temporary directories, and uv's build environments in its cache.
_TRANSIENT_DIR_PREFIXES = ('pip-build-env-',)
_TRANSIENT_DIR_NAMES = ('builds-v0',)


def _in_transient_env(path):
    parts = os.path.normpath(path).split(os.sep)
    return any(p.startswith(_TRANSIENT_DIR_PREFIXES) or p in _TRANSIENT_DIR_NAMES
               for p in parts)

_WHERE = 'import importlib.util as u, sys\nfor n in sys.argv[1:]:\n' \
         '    s = u.find_spec(n)\n    print(s.origin if s else "")\n'


def _module_dirs(names, python=sys.executable):
    """Where a fresh run of *python*, without the build's environment, finds *names*."""
    env = {k: v for k, v in os.environ.items()
           if k not in ('PYTHONPATH', 'PYTHONNOUSERSITE', 'PYTHONHOME')}
    env['PYTHONSAFEPATH'] = '1'     # not the project directory either
    proc = subprocess.run([python, '-c', _WHERE, *names], env=env,
                          capture_output=True, text=True)
    lines = proc.stdout.splitlines() if proc.returncode == 0 else []
    lines += [''] * (len(names) - len(lines))
    return {n: os.path.dirname(l) if l else None for n, l in zip(names, lines)}


def transient_build_tools(ninja=None):
    """[(tool, path)] of the build tools an editable install would lose.

    A tool is lost when the interpreter, started afresh, does not find the
    same copy (pip's build isolation puts them on PYTHONPATH for the build
    only), or when it lives in a build environment that pip or uv deletes
    after the build.
    """
    import importlib.util
    here = {}
    for name in _TOOL_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            here[name] = os.path.dirname(spec.origin)
    if ninja is None:
        import shutil
        ninja = shutil.which(os.environ.get('NINJA') or 'ninja')
    later = _module_dirs(sorted(here))
    lost = []
    for name, path in sorted(here.items()):
        if later.get(name) is None or os.path.realpath(later[name]) != os.path.realpath(path):
            lost.append((name, path))
    for name, path in [('ninja', ninja)] + sorted(here.items()):
        if path and _in_transient_env(path) and (name, path) not in lost:
            lost.append((name, path))
    return lost


def isolation_message(lost):
    tools = ', '.join('%s (%s)' % item for item in lost)
    return (
        'an editable install rebuilds the project on import with the build '
        'tools of its build, but this build uses tools that will be gone '
        'then: %s. That is build isolation: pip (or uv) deletes its build '
        'environment after the install. Install the build tools where the '
        'project is installed and turn build isolation off:\n'
        '    pip install meson-python meson ninja hpy_build\n'
        '    pip install --no-build-isolation -e .' % tools)
