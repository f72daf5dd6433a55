"""Compile small HPy C modules with the flags hpy-config gives, and load them.

Source snippets may use these markers:
    @EXPORT(sym)                add the HPyDef `sym` to the module's defines;
    @EXPORT_TYPE("Name", spec)  add the type made from the HPyType_Spec `spec`
                                to the module as `Name` (HPyHelpers_AddType,
                                in an HPy_mod_exec slot);
    @GLOBALS(array)             the module's HPyModuleDef.globals;
    @INIT                       emit the HPyModuleDef and HPy_MODINIT.
"""
import importlib.util
import itertools
import re
import subprocess
import sysconfig

from hpy_build import _abi

CC = sysconfig.get_config_var('CC').split()[0] if sysconfig.get_config_var('CC') else 'cc'
# Our own snippets are held to the project's warning standard.
WARNINGS = ['-Wall', '-Wextra', '-Werror', '-Wno-unused-parameter']
_counter = itertools.count()
# Every (source, abi, flags) compiled in this session (tests/test_api_coverage.py).
COMPILED = []


class CompileError(Exception):
    pass


_EXPORT_TYPE = re.compile(r'^\s*@EXPORT_TYPE\(\s*("\w+")\s*,\s*(\w+)\s*\)\s*$', re.M)


def _type_exports(types):
    adds = ''.join(f'    if (!HPyHelpers_AddType(ctx, module, {name}, &{spec}, NULL))\n'
                   f'        return -1;\n' for name, spec in types)
    return ('HPyDef_SLOT(_test_add_types, HPy_mod_exec)\n'
            'static int _test_add_types_impl(HPyContext *ctx, HPy module)\n'
            f'{{\n{adds}    return 0;\n}}\n')


def expand(source, name):
    exports = re.findall(r'^\s*@EXPORT\((\w+)\)\s*$', source, re.M)
    source = re.sub(r'^\s*@EXPORT\(\w+\)\s*$', '', source, flags=re.M)
    types = _EXPORT_TYPE.findall(source)
    if types:
        source = _EXPORT_TYPE.sub('', source).replace('@INIT', _type_exports(types) + '@INIT')
        exports.append('_test_add_types')
    globals_ = re.findall(r'^\s*@GLOBALS\((\w+)\)\s*$', source, re.M)
    source = re.sub(r'^\s*@GLOBALS\(\w+\)\s*$', '', source, flags=re.M)
    defines = ''.join(f'    &{sym},\n' for sym in exports)
    init = (f'static HPyDef *_test_defines[] = {{\n{defines}    NULL\n}};\n'
            f'static HPyModuleDef _test_moduledef = {{\n'
            f'    .doc = "test module {name}",\n'
            + ''.join(f'    .globals = {g},\n' for g in globals_) +
            f'    .defines = _test_defines,\n}};\n'
            f'HPy_MODINIT({name}, _test_moduledef)\n')
    source = source.replace('@INIT', init)
    # hpy.h first, unless the source includes it itself (after its own #defines)
    if re.search(r'^\s*#\s*include\s*[<"]hpy\.h[>"]', source, re.M):
        return source
    return '#include <hpy.h>\n' + source


def unique_name(prefix='mod'):
    return f'{prefix}_{next(_counter)}'


CXX = 'g++'
# C++ has designated initializers only in full (C++20), so partial ones warn.
CXX_FLAGS = ['-std=c++20', '-Wno-missing-field-initializers']


def binary_abi(abi):
    """The ABI a module is compiled for: 'debug' is a universal binary
    loaded in debug mode, 'hybrid-debug' a hybrid one."""
    return {'debug': 'universal', 'hybrid-debug': 'hybrid'}.get(abi, abi)


def build(source, abi, tmp_path, name=None, extra_cflags=(), suffix=None, cplusplus=False, libs=()):
    """Compile `source` (already expanded or with markers) into a module of
    `abi` in tmp_path, as C or C++, linked with `libs` (e.g. ['-lm']);
    returns (name, path)."""
    abi = binary_abi(abi)
    name = name or unique_name()
    src = tmp_path / f'{name}.c'
    src.write_text(expand(source, name))
    COMPILED.append((src.read_text(), abi, tuple(extra_cflags)))
    out = tmp_path / (name + (suffix if suffix is not None else _abi.ext_suffix(abi)))
    compiler = [CXX, *CXX_FLAGS] if cplusplus else [CC]
    cmd = ([*compiler, '-shared', '-fPIC', '-O0', '-g', *WARNINGS,
            *_abi.compile_args(abi), *extra_cflags,
            # the source is C++ when asked; the libraries after it are not sources
            *(['-x', 'c++', str(src), '-x', 'none'] if cplusplus else [str(src)]), '-o', str(out),
            *_abi.link_args(abi), *libs])
    proc = subprocess.run(cmd, capture_output=True, text=True, errors='replace')
    if proc.returncode != 0:
        raise CompileError(f'{" ".join(cmd)}\n{proc.stdout}{proc.stderr}')
    return name, out


def load(name, path, abi):
    """Load a built module as its ABI is loaded in real life."""
    if abi == 'cpython':
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    import hpy_build.universal
    return hpy_build.universal.load(name, str(path), debug=abi in ('debug', 'hybrid-debug'))


def preprocess_own_code(text, abi, extra_cflags=()):
    """The code of an expanded source after the C preprocessor (with the
    flags of `abi`), without what hpy.h itself expands to."""
    mark = 'HPY_TEST_CODE_STARTS_HERE'
    text = text.replace('#include <hpy.h>\n', f'#include <hpy.h>\n{mark}\n', 1)
    proc = subprocess.run([CC, '-E', '-P', *_abi.compile_args(abi), *extra_cflags, '-x', 'c', '-'],
                          input=text, capture_output=True, text=True, errors='replace')
    return proc.stdout.partition(mark)[2]
