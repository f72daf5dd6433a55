"""hpy_extension(): the Meson function that builds an HPy extension module.

    hpy_extension(name, sources..., abi: 'universal', <keywords of
                  python.extension_module()>)

It is made available to every meson.build, without an import, by running
Meson through hpy_build's entry point (see hpy_build.meson), which adds it to
Meson's interpreter before handing over to Meson's own main().

What each ABI builds:
  cpython    python.extension_module() plus HPy's headers, the
             HPY_ABI_CPYTHON macro and the cpython helper library.
  universal  a shared module '<name>.hpy0.so' with no Python dependency,
             linked with every symbol resolved, installed where
             extension_module() would install it.
  hybrid     python.extension_module() named '<name>.hpy0-cp311.so', with
             the universal helper library.

abi: defaults to the 'hpy_abi' property of the machine files
([properties] hpy_abi = 'universal'), else cpython for CPython and
universal for other Pythons.

This module is Meson-internal code: it is imported only by the entry point.
"""

import copy
import os

from mesonbuild import mesonlib, mlog
from mesonbuild.interpreter import Interpreter
from mesonbuild.interpreter.type_checking import (
    NoneType, SHARED_MOD_KWS, SOURCES_VARARGS)
from mesonbuild.interpreterbase import (
    InvalidArguments, KwargInfo, typed_kwargs, typed_pos_args)
from mesonbuild.mesonlib import MachineChoice

from . import _abi

FUNCTION_NAME = 'hpy_extension'

# python.extension_module() takes the keywords of shared_module() except
# the three it computes, plus its own; hpy_extension() adds 'abi'.
_KWARGS = [k for k in SHARED_MOD_KWS
           if k.name not in {'name_prefix', 'name_suffix', 'install_dir'}] + [
    KwargInfo('subdir', (str, NoneType)),
    KwargInfo('limited_api', str, default=''),
    KwargInfo('install_dir', (str, bool, NoneType)),
    KwargInfo('abi', (str, NoneType)),
]


@typed_pos_args(FUNCTION_NAME, str, varargs=SOURCES_VARARGS)
@typed_kwargs(FUNCTION_NAME, *_KWARGS)
def _checked(interp, node, args, kwargs):
    # Only validates: errors then name hpy_extension, not what it calls.
    return kwargs


def _machine_file_abi(interp):
    # Host machine first; a cross build may carry it in the native file.
    props = interp.environment.properties
    for machine in (MachineChoice.HOST, MachineChoice.BUILD):
        value = props[machine].properties.get('hpy_abi')
        if value is not None:
            if not isinstance(value, str) or value not in _abi.ABIS:
                raise InvalidArguments(
                    'hpy_abi property %r in the machine file: expected one '
                    'of %s' % (value, ', '.join(map(repr, _abi.ABIS))))
            return value
    return None


def _python(interp, node):
    """The holder of import('python').find_installation(), once per interpreter."""
    inst = getattr(interp, '_hpy_build_python', None)
    if inst is None:
        module = interp._holderify(interp.func_import(node, ['python'], {}))
        inst = interp._holderify(module.method_call('find_installation', [], {}))
        interp._hpy_build_python = inst
    inst.current_node = node
    return inst


def _resolve_abi(interp, asked, python_suffix):
    if asked is not None:
        if asked not in _abi.ABIS:
            raise InvalidArguments(
                '%s: unknown abi %r: expected one of %s'
                % (FUNCTION_NAME, asked, ', '.join(map(repr, _abi.ABIS))))
        return asked
    from_file = _machine_file_abi(interp)
    if from_file is not None:
        return from_file
    is_cpython = _abi.python_abi_tag(python_suffix).startswith('cp')
    return _abi.default_abi('cpython' if is_cpython else 'other')


# The helper library is compiled with a section per function: a linker
# that drops unused sections links only the helpers the module calls.
_DROP_UNUSED_SECTIONS = {'ld.bfd': '-Wl,--gc-sections', 'ld.gold': '-Wl,--gc-sections',
                         'ld.lld': '-Wl,--gc-sections', 'ld.mold': '-Wl,--gc-sections',
                         'ld64': '-Wl,-dead_strip'}


def _drop_unused_sections_args(interp, node):
    linker = getattr(_compiler_holder(interp, node).compiler, 'linker', None)
    arg = _DROP_UNUSED_SECTIONS.get(getattr(linker, 'id', None))
    return [arg] if arg else []


def _hpy_dependency(interp, node, abi, extra_link_args=()):
    try:
        # Python's headers, when wanted, come with extension_module().
        compile_args = _abi.hpy_compile_args(abi)
        helper = _abi.helper_library(abi)
    except _abi.NotInstalledError as exc:
        raise mesonlib.MesonException('%s: %s' % (FUNCTION_NAME, exc))
    # After the helper library, so that what it uses resolves too.
    return interp.func_declare_dependency(
        node, [], {'compile_args': compile_args,
                   'link_args': ([helper] + list(extra_link_args)
                                 + _drop_unused_sections_args(interp, node))})


def _no_undefined_args(interp, node):
    compiler = _compiler_holder(interp, node).compiler
    try:
        # as get_option('b_sanitize') in a meson.build: stable across Meson
        # versions, unlike the option store behind it
        sanitize = interp.func_get_option(node, ['b_sanitize'], {})
    except mesonlib.MesonException:    # a compiler without sanitizer support
        sanitize = None
    if sanitize not in ('none', '', [], ['none'], None):
        # Sanitizer runtimes leave symbols for the executable to provide.
        mlog.warning('%s: b_sanitize is set, so universal modules are not '
                     'linked with every symbol resolved' % FUNCTION_NAME)
        return []
    return compiler.no_undefined_link_args()


# What a module gets from the interpreter's process without asking: the C
# libraries the interpreter itself links. A universal module is linked with
# every symbol resolved, so it links them (as needed: unused ones are not
# recorded); those missing on this system are skipped.
_C_RUNTIME_LIBRARIES = ('m', 'dl', 'pthread', 'rt', 'util')

# Run by GNU ld for each undefined symbol (--error-handling-script), before
# its own "undefined reference" message: say what that means for a
# universal module.
_UNDEFINED_SYMBOL_SCRIPT = r"""#!/bin/sh
# Written by hpy_build's hpy_extension(): explains undefined symbols in the
# link of a universal HPy module. GNU ld runs it as: SCRIPT undefined-symbol NAME
[ "$1" = undefined-symbol ] || exit 0
case "$2" in
  Py*|_Py*)
    echo "hpy_build: '$2' belongs to the Python interpreter (its C API): a" \
         "universal module cannot use it. Use the HPy API instead, or build" \
         "this module with abi: 'hybrid' to mix in the C API." >&2 ;;
  *)
    echo "hpy_build: '$2' is defined neither in the module nor in a library" \
         "it links: a universal module is linked with every symbol resolved;" \
         "add the library that defines it (dependencies: or link_args:)." >&2 ;;
esac
exit 0
"""


def _compiler_holder(interp, node):
    compilers = interp.environment.coredata.compilers[MachineChoice.HOST]
    compiler = compilers.get('c') or compilers.get('cpp')
    if compiler is None:
        raise mesonlib.MesonException(
            "%s needs a C or C++ compiler: add 'c' to the languages of "
            "project()" % FUNCTION_NAME)
    holder = interp._holderify(compiler)
    holder.current_node = node
    return holder


def _known_good_toolchain(interp, compiler):
    machine = interp.environment.machines[MachineChoice.HOST]
    linker = getattr(compiler, 'linker', None)
    if machine.system != 'linux' or getattr(linker, 'id', None) != 'ld.bfd':
        return False
    try:
        version = tuple(int(p) for p in str(linker.version).split('.')[:2])
    except (AttributeError, ValueError):
        return False
    # glibc and musl have all five (empty stubs where merged into libc);
    # Android's bionic does not, and Meson calls it 'android', not 'linux'.
    return version >= (2, 37)


def _universal_link(interp, node):
    """The link arguments every universal module gets; worked out once per configure."""
    cached = getattr(interp, '_hpy_build_universal_link', None)
    if cached is not None:
        return cached
    cc = _compiler_holder(interp, node)
    wanted = []
    if not interp.environment.machines[MachineChoice.HOST].is_windows():
        script = os.path.join(interp.environment.get_build_dir(), 'hpy-build',
                              'undefined-symbol.sh')
        os.makedirs(os.path.dirname(script), exist_ok=True)
        with open(script, 'w', encoding='utf-8') as f:
            f.write(_UNDEFINED_SYMBOL_SCRIPT)
        os.chmod(script, 0o755)
        wanted.append('-Wl,--error-handling-script=' + script)
        wanted += ['-l' + name for name in _C_RUNTIME_LIBRARIES]
    # GNU ld 2.37+ on GNU/Linux has them all: no test. Elsewhere one link
    # test for all (each costs a compiler run), then one per argument only
    # where that fails, to keep those this toolchain has.
    if wanted and _known_good_toolchain(interp, cc.compiler):
        args = wanted
    elif wanted and cc.method_call('has_multi_link_arguments', wanted, {}):
        args = wanted
    else:
        args = [a for a in wanted if cc.method_call('has_multi_link_arguments', [a], {})]
    interp._hpy_build_universal_link = args
    return args


def _is_python_dependency(dep):
    # py.dependency() gives Python*Dependency objects named 'python-3.11';
    # dependency('python3') a pkg-config one named 'python3'.
    return (type(dep).__name__.startswith('Python')
            or str(getattr(dep, 'name', '')).startswith('python'))


def _universal(interp, node, args, raw, checked, python):
    name, sources = args[0], list(args[1:])
    if checked['limited_api']:
        raise InvalidArguments('%s: limited_api does not apply to the '
                               'universal ABI' % FUNCTION_NAME)
    if checked['subdir'] is not None and checked['install_dir'] is not None:
        raise InvalidArguments('%s: "subdir" and "install_dir" are '
                               'mutually exclusive' % FUNCTION_NAME)
    deps = mesonlib.listify(raw.get('dependencies', []))
    for dep in deps:
        if _is_python_dependency(dep):
            raise InvalidArguments(
                '%s: a universal module cannot depend on Python (%s); use '
                "abi: 'hybrid' to mix in the C API" % (FUNCTION_NAME, dep.name))
    install_dir = checked['install_dir']
    if install_dir is None:
        install_dir = python.method_call(
            'get_install_dir', [],
            {'pure': False, 'subdir': checked['subdir'] or ''})
    for key in ('subdir', 'limited_api', 'install_dir'):
        raw.pop(key, None)
    suffix = _abi.ext_suffix('universal', python.suffix)  # '.hpy0.so'
    stem, ext = suffix[1:].rsplit('.', 1)
    raw['install_dir'] = [install_dir]
    raw['name_prefix'] = ''
    raw['name_suffix'] = ext
    no_undefined = _no_undefined_args(interp, node)
    runtime = _universal_link(interp, node) if no_undefined else []
    raw['dependencies'] = deps + [_hpy_dependency(interp, node, 'universal', runtime)]
    raw['link_args'] = mesonlib.listify(raw.get('link_args', [])) + no_undefined
    if not checked['gnu_symbol_visibility']:
        # As extension_module(): export only the module's init function.
        raw['gnu_symbol_visibility'] = 'inlineshidden'
    return interp.func_shared_module(
        node, ['%s.%s' % (name, stem)] + sources, raw)


def _with_python(interp, node, args, raw, checked, python, abi):
    if abi == 'hybrid':
        if checked['limited_api']:
            raise InvalidArguments('%s: limited_api does not apply to the '
                                   'hybrid ABI' % FUNCTION_NAME)
        python = copy.copy(python)
        python.suffix = _abi.ext_suffix('hybrid', python.suffix)
    raw['dependencies'] = (mesonlib.listify(raw.get('dependencies', []))
                           + [_hpy_dependency(interp, node, abi)])
    try:
        return python.method_call('extension_module', list(args), raw)
    except mesonlib.MesonException as exc:
        if 'Python dependency not found' not in str(exc):
            raise
        # This interpreter cannot build the ABI: say why and what builds.
        raise mesonlib.MesonException(
            "%s: abi: '%s' needs the development files of Python %s (Python.h "
            'and its library), which Meson cannot find for %s: install them '
            "(e.g. the python3-dev or python3-devel package), or use abi: "
            "'universal', which needs neither"
            % (FUNCTION_NAME, abi, python.version, _python_path(python))) from exc


def _python_path(python):
    program = getattr(python, 'held_object', None)
    try:
        return program.get_path()
    except AttributeError:
        return 'this Python'


def hpy_extension(interp, node, args, kwargs):
    """Implementation of hpy_extension(); see the module docstring."""
    checked = _checked(interp, node, list(args), dict(kwargs))
    python = _python(interp, node)
    abi = _resolve_abi(interp, checked['abi'], python.suffix)
    mlog.log('HPy extension', mlog.bold(args[0]), 'ABI:', mlog.bold(abi))
    raw = dict(kwargs)
    raw.pop('abi', None)
    if abi == 'universal':
        return _universal(interp, node, args, raw, checked, python)
    return _with_python(interp, node, args, raw, checked, python, abi)


# The parts of Meson's interpreter hpy_extension() builds on.
_INTERPRETER_NEEDS = ('build_func_dict', 'func_import', 'func_declare_dependency',
                      'func_shared_module', '_holderify')


def install():
    """Make hpy_extension() a function of every Meson interpreter made from now on."""
    if getattr(Interpreter, '_hpy_build_installed', False):
        return
    missing = [n for n in _INTERPRETER_NEEDS if not hasattr(Interpreter, n)]
    if missing:
        from mesonbuild import coredata
        raise RuntimeError(
            'hpy_build cannot add hpy_extension() to Meson %s: its interpreter '
            'lacks %s' % (coredata.version, ', '.join(missing)))
    original = Interpreter.build_func_dict

    def build_func_dict(self):
        original(self)
        self.funcs[FUNCTION_NAME] = (
            lambda node, args, kwargs: hpy_extension(self, node, args, kwargs))

    Interpreter.build_func_dict = build_func_dict
    Interpreter._hpy_build_installed = True
