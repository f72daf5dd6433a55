"""After a failed build: which universal modules use the interpreter's C API.

A universal module is linked with every symbol resolved, so a call to
``PyLong_FromLong`` fails its link. GNU ld and lld explain each such symbol
as they meet it (the ``--error-handling-script`` of ``_meson_ext``); other
linkers (gold, mold, the platform linkers) only say "undefined". After a
failed build the backend looks at the object files of each universal target
(Meson keeps them in ``<module file>.p/``) and names, last in the output,
every interpreter symbol they use, whichever linker ran.
"""
import json
import os
import re
import shutil
import subprocess
import sys

from . import _abi

# The C API's names: Py*, _Py* (PyPy's cpyext: PyPy*, also matched).
_INTERPRETER_SYMBOL = re.compile(r'^_?Py[A-Z_a-z]')
_SHOWN = 6      # symbols named per module


def _universal_targets(build_dir):
    """[(module file, its object files)] of the build's universal modules."""
    path = os.path.join(build_dir, 'meson-info', 'intro-targets.json')
    try:
        with open(path, encoding='utf-8') as f:
            targets = json.load(f)
    except (OSError, ValueError):
        return []
    suffix = _abi.ext_suffix('universal')
    found = []
    for target in targets:
        for filename in target.get('filename', []):
            if not filename.endswith(suffix):
                continue
            private = filename + '.p'
            objects = sorted(os.path.join(root, name)
                             for root, _, names in os.walk(private)
                             for name in names if name.endswith(('.o', '.obj')))
            found.append((filename, objects))
    return found


def _undefined(nm, objects):
    """The undefined symbols of the object files (nm's names, without a
    leading underscore where the platform adds one)."""
    proc = subprocess.run([nm, '-u', *objects], capture_output=True, text=True)
    names = set()
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[-2] == 'U':
            name = parts[-1]
            if sys.platform == 'darwin' and name.startswith('_'):
                name = name[1:]
            names.add(name.split('@')[0])
    return names


def interpreter_symbols(build_dir):
    """{module file: sorted interpreter symbols its objects use}; empty where
    there is no nm to ask."""
    nm = shutil.which('nm')
    if nm is None:
        return {}
    result = {}
    for module, objects in _universal_targets(build_dir):
        if not objects:
            continue
        used = sorted(s for s in _undefined(nm, objects) if _INTERPRETER_SYMBOL.match(s))
        if used:
            result[module] = used
    return result


def explain(build_dir, out=None):
    """Print, for each universal module that uses the C API, what that means."""
    out = out or sys.stderr
    try:
        found = interpreter_symbols(build_dir)
    except OSError:
        return
    for module, symbols in found.items():
        shown = ', '.join("'%s'" % s for s in symbols[:_SHOWN])
        more = ' and %d more' % (len(symbols) - _SHOWN) if len(symbols) > _SHOWN else ''
        print("hpy_build: the universal module %s uses %s%s, which belong%s to the Python "
              "interpreter (its C API): a universal module cannot use %s. Use the HPy API "
              "instead, or build this module with abi: 'hybrid' to mix in the C API."
              % (os.path.basename(module), shown, more, 's' if len(symbols) == 1 else '',
                 'it' if len(symbols) == 1 else 'them'), file=out)
