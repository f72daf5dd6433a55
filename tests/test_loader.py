"""Loading universal modules: every bad input is a clear ImportError that is
also the RuntimeError of HPy 0.9's loader, worded as HPy 0.9 words it."""
import re
import subprocess
import sys

import pytest

import hpy_build.universal
from support import compile as hpy_compile

HELLO = '''
HPyDef_METH(f, "f", HPyFunc_NOARGS)
static HPy f_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 42); }
@EXPORT(f)
@INIT
'''


def fake_module(name, major=0, minor=0, init=True, init_returns_null=False):
    """Universal-module entry points written by hand, to misbehave."""
    src = f'''
    HPy_EXPORTED_FUNC uint32_t get_required_hpy_major_version_{name}(void) {{ return {major}; }}
    HPy_EXPORTED_FUNC uint32_t get_required_hpy_minor_version_{name}(void) {{ return {minor}; }}
    HPy_EXPORTED_FUNC void HPyInitGlobalContext_{name}(HPyContext *ctx) {{ (void)ctx; }}
    '''
    if init:
        src += f'''
        static HPyModuleDef def = {{ .doc = "fake" }};
        HPy_EXPORTED_FUNC HPyModuleDef *HPyInit_{name}(void)
        {{ return {"(void)def, NULL" if init_returns_null else "&def"}; }}
        '''
    return src


def load(name, path):
    return hpy_build.universal.load(name, str(path))


def load_error(match):
    """pytest.raises for a failure to load: an HPyLoadError, which is both
    an ImportError and a RuntimeError."""
    return pytest.raises(hpy_build.universal.HPyLoadError, match=match)


def test_load_error_is_an_import_error_and_a_runtime_error():
    assert issubclass(hpy_build.universal.HPyLoadError, ImportError)
    assert issubclass(hpy_build.universal.HPyLoadError, RuntimeError)


def test_loads_and_names_its_file(compile_module):
    name, path = compile_module(HELLO, 'universal')
    mod = load(name, path)
    assert mod.f() == 42
    assert mod.__file__ == str(path)
    assert mod.__spec__.origin == str(path)
    assert str(path) in repr(mod)


def test_untagged_file_name_of_early_hpy_loads(compile_module):
    name, path = compile_module(HELLO, 'universal', suffix='.hpy.so')
    assert load(name, path).f() == 42


def test_file_name_without_abi_tag(compile_module):
    name, path = compile_module(HELLO, 'universal', suffix='.so')
    with load_error('^' + re.escape(
            f"HPy extension module '{name}' at path '{path}': could not find HPy ABI tag "
            "encoded in the filename. The extension claims to be compiled with HPy ABI "
            "version: 0.0.") + '$') as info:
        load(name, path)
    assert info.value.name == name and info.value.path == str(path)


def test_file_name_with_another_abi_tag(compile_module):
    name, path = compile_module(HELLO, 'universal', suffix='.hpy1.so')
    with load_error('^' + re.escape(
            f"HPy extension module '{name}' at path '{path}': mismatch between the HPy ABI "
            "tag encoded in the filename and the major version requested by the HPy extension "
            "itself. Major version tag parsed from filename: 1. Requested version: 0.0.") + '$'):
        load(name, path)


@pytest.mark.parametrize('major, minor', [(1, 0), (0, 2)])
def test_wrong_abi_version(compile_module, major, minor):
    name = hpy_compile.unique_name()
    _, path = compile_module(fake_module(name, major, minor), 'universal', name=name,
                             suffix=f'.hpy{major}.so')
    with load_error('^' + re.escape(
            f"HPy extension module '{name}' requires unsupported version of the HPy runtime. "
            f"Requested version: {major}.{minor}. Current HPy version: 0.1.") + '$'):
        load(name, path)


@pytest.mark.parametrize('minor', [0, 1])
def test_every_minor_version_up_to_the_runtimes_loads(compile_module, minor):
    name = hpy_compile.unique_name()
    _, path = compile_module(fake_module(name, 0, minor), 'universal', name=name)
    assert load(name, path).__doc__ == 'fake'


def test_missing_hpyinit(compile_module):
    name = hpy_compile.unique_name()
    _, path = compile_module(fake_module(name, init=False), 'universal', name=name)
    with load_error(r'^Error during loading of the HPy extension module at path .* while '
                    f"trying to find symbol 'HPyInit_{name}'. Did you use the HPy_MODINIT"):
        load(name, path)


def test_hpyinit_returning_null(compile_module):
    name = hpy_compile.unique_name()
    _, path = compile_module(fake_module(name, init_returns_null=True), 'universal', name=name)
    with load_error('returned NULL'):
        load(name, path)


def test_shared_library_that_is_not_an_hpy_module(compile_module):
    name = hpy_compile.unique_name()
    _, path = compile_module('int not_hpy(void) { return 1; }', 'universal', name=name)
    with load_error(r'^Error during loading of the HPy extension module at path .*\. Cannot '
                    r'locate the required minimal HPy versions .*is not an HPy universal module'):
        load(name, path)


def test_cpython_extension_given_to_the_universal_loader(compile_module, tmp_path):
    name, built = compile_module(HELLO, 'cpython')
    path = built.rename(tmp_path / f'{name}.hpy0.so')
    with load_error(r'^Error during loading of the HPy extension module at path .*\. Cannot '
                    r'locate the required minimal HPy versions .*is a CPython extension module'):
        load(name, path)


def test_file_that_is_not_a_shared_library(tmp_path):
    path = tmp_path / 'junk.hpy0.so'
    path.write_text('this is not an ELF file\n')
    with load_error(r'^Error during loading of the HPy extension module at path .*\. Error '
                    r'message from dlopen/WinAPI: '):
        load('junk', path)


def test_missing_file(tmp_path):
    with load_error(r'^Error during loading of the HPy extension module at path .*\. Error '
                    r'message from dlopen/WinAPI: '):
        load('nothere', tmp_path / 'nothere.hpy0.so')


def test_name_is_the_last_component_of_a_dotted_name(compile_module):
    name, path = compile_module(HELLO, 'universal')
    assert load(f'pkg.sub.{name}', path).f() == 42


LEAVES_A_FUNCTION_THEN_FAILS = r'''
HPyDef_METH(f, "f", HPyFunc_NOARGS)
static HPy f_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 42); }

HPyDef_SLOT(failing_exec, HPy_mod_exec)
static int failing_exec_impl(HPyContext *ctx, HPy m)
{
    /* one of the module's functions, kept where the importer can reach it */
    HPy builtins = HPyImport_ImportModule(ctx, "builtins");
    HPy f = HPy_GetAttr_s(ctx, m, "f");
    if (HPy_IsNull(builtins) || HPy_IsNull(f))
        return -1;
    int status = HPy_SetAttr_s(ctx, builtins, "kept_by_failed_import", f);
    HPy_Close(ctx, f);
    HPy_Close(ctx, builtins);
    if (status == 0)
        HPyErr_SetString(ctx, ctx->h_RuntimeError, "exec fails on purpose");
    return -1;
}
@EXPORT(f)
@EXPORT(failing_exec)
@INIT
'''


def test_failed_module_creation_keeps_the_library_loaded(compile_module):
    """Objects the module's code made before it failed may outlive the import
    (PyPy frees them at a later collection): their code stays mapped."""
    name, path = compile_module(LEAVES_A_FUNCTION_THEN_FAILS, 'universal')
    code = ('import sys, builtins, hpy_build.universal as u\n'
            'try:\n'
            '    u.load(sys.argv[1], sys.argv[2])\n'
            'except RuntimeError as e:\n'
            '    print(e)\n'
            'print(builtins.kept_by_failed_import())\n')
    proc = subprocess.run([sys.executable, '-c', code, name, str(path)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr    # a crash: code that was unmapped
    assert proc.stdout.splitlines() == ['exec fails on purpose', '42']
