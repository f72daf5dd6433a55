"""hpy_build._abi: the ABI names, file suffixes and compiler/linker flags."""
import os
import sysconfig

import pytest

from hpy_build import _abi


def test_abi_names():
    assert _abi.ABIS == ('cpython', 'universal', 'hybrid')
    for abi in _abi.ABIS:
        assert _abi.check_abi(abi) == abi


@pytest.mark.parametrize('bad', ['', 'Universal', 'debug', None, 3])
def test_unknown_abi_is_a_clear_error(bad):
    with pytest.raises(ValueError, match='unknown HPy ABI .*cpython, universal, hybrid'):
        _abi.check_abi(bad)
    with pytest.raises(ValueError):
        _abi.ext_suffix(bad)


def test_default_abi():
    assert _abi.default_abi('cpython') == 'cpython'
    assert _abi.default_abi('pypy') == 'universal'
    assert _abi.default_abi('graalpy') == 'universal'
    assert _abi.default_abi() == 'cpython'     # the suite runs on CPython


@pytest.mark.parametrize('ext_suffix, universal, hybrid', [
    ('.cpython-311-x86_64-linux-gnu.so', '.hpy0.so', '.hpy0-cp311.so'),
    ('.cpython-311d-x86_64-linux-gnu.so', '.hpy0.so', '.hpy0-cp311d.so'),
    ('.cpython-312-darwin.so', '.hpy0.so', '.hpy0-cp312.so'),
    ('.cp311-win_amd64.pyd', '.hpy0.pyd', '.hpy0-cp311.pyd'),
    ('.pypy39-pp73-x86_64-linux-gnu.so', '.hpy0.so', '.hpy0-pypy39-pp73.so'),
    ('.graalpy-38-native-x86_64-darwin.dylib', '.hpy0.dylib',
     '.hpy0-graalpy-38-native.dylib'),
])
def test_suffixes_of_other_interpreters(ext_suffix, universal, hybrid):
    assert _abi.ext_suffix('cpython', ext_suffix) == ext_suffix
    assert _abi.ext_suffix('universal', ext_suffix) == universal
    assert _abi.ext_suffix('hybrid', ext_suffix) == hybrid
    assert _abi.import_suffixes(ext_suffix) == (
        hybrid, universal, universal.replace('hpy0', 'hpy'))


def test_suffixes_of_this_interpreter():
    ext = sysconfig.get_config_var('EXT_SUFFIX')
    assert _abi.ext_suffix('cpython') == ext
    assert _abi.ext_suffix('universal') == '.hpy0.so'
    tag = 'cp%d%d' % __import__('sys').version_info[:2]
    assert _abi.ext_suffix('hybrid').startswith('.hpy0-' + tag)


def test_bad_ext_suffix():
    with pytest.raises(ValueError, match='not an extension suffix'):
        _abi.ext_suffix('universal', 'so')


def test_universal_flags_refuse_python_h(fake_package):
    inc = str(fake_package / 'include')
    args = _abi.compile_args('universal', str(fake_package))
    assert args[0] == '-I' + os.path.join(inc, 'hpy', 'forbid_python_h')
    assert '-DHPY_ABI_UNIVERSAL' in args and '-I' + inc in args
    py_inc = sysconfig.get_paths()['include']
    assert '-I' + py_inc not in args


@pytest.mark.parametrize('abi, macro', [('cpython', '-DHPY_ABI_CPYTHON'),
                                        ('hybrid', '-DHPY_ABI_HYBRID')])
def test_flags_with_python(fake_package, abi, macro):
    args = _abi.compile_args(abi, str(fake_package))
    assert macro in args
    assert '-I' + str(fake_package / 'include') in args
    assert '-I' + sysconfig.get_paths()['include'] in args
    assert not any('forbid_python_h' in a for a in args)
    assert _abi.hpy_compile_args(abi, str(fake_package)) == [
        macro, '-I' + str(fake_package / 'include')]


def test_link_flags(fake_package):
    lib = fake_package / 'lib'
    # only the helpers a module calls are linked (a section per function)
    assert _abi.link_args('cpython', str(fake_package), 'linux') == [
        str(lib / 'libhpyhelpers-cpython.a'), '-Wl,--gc-sections']
    assert _abi.link_args('universal', str(fake_package), 'linux') == [
        str(lib / 'libhpyhelpers-universal.a'), '-Wl,--gc-sections', '-Wl,-z,defs', '-lm']
    assert _abi.link_args('hybrid', str(fake_package), 'linux') == [
        str(lib / 'libhpyhelpers-universal.a'), '-Wl,--gc-sections']
    assert _abi.link_args('hybrid', str(fake_package), 'darwin')[1] == '-Wl,-dead_strip'
    assert _abi.link_args('universal', str(fake_package), 'darwin')[-1] == \
        '-Wl,-undefined,error'
    assert _abi.link_args('cpython', str(fake_package), 'darwin')[-1] == \
        '-Wl,-undefined,dynamic_lookup'
    assert _abi.link_args('universal', str(fake_package), 'win32') == [
        str(lib / 'libhpyhelpers-universal.a')]


def test_missing_files_are_named(tmp_path):
    with pytest.raises(_abi.NotInstalledError, match='hpy.h'):
        _abi.include_dir(str(tmp_path / 'hpy_build'))
    with pytest.raises(_abi.NotInstalledError, match='libhpyhelpers-universal.a'):
        _abi.helper_library('hybrid', str(tmp_path))


def test_installed_files():
    assert os.path.isfile(os.path.join(_abi.include_dir(), 'hpy.h'))
    assert os.path.isfile(os.path.join(_abi.include_dir(), 'hpy', 'forbid_python_h', 'Python.h'))
    for abi in _abi.ABIS:
        assert os.path.isabs(_abi.helper_library(abi))
        assert os.path.isfile(_abi.helper_library(abi))


def test_get_include():
    import hpy_build
    assert hpy_build.get_include() == _abi.include_dir()
