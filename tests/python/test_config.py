"""hpy-config: the flags a build that is not Meson needs."""
import os
import subprocess
import sys
import sysconfig

import pytest

import hpy_build
from hpy_build import _abi, config


@pytest.fixture
def fake(monkeypatch, fake_package):
    monkeypatch.setattr(_abi, '_PACKAGE_DIR', str(fake_package))
    return fake_package


def run(capsys, *argv):
    code = config.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_each_query(capsys, fake):
    inc = str(fake / 'include')
    code, out, _ = run(capsys, '--abi', 'universal', '--cflags')
    assert code == 0
    assert out == [' '.join(['-I' + os.path.join(inc, 'hpy', 'forbid_python_h'),
                             '-DHPY_ABI_UNIVERSAL', '-I' + inc, '-fvisibility=hidden'])]
    _, out, _ = run(capsys, '--abi', 'universal', '--libs')
    assert out == [str(fake / 'lib' / 'libhpyhelpers-universal.a') + ' -Wl,--gc-sections -Wl,-z,defs -lm']
    _, out, _ = run(capsys, '--abi', 'universal', '--ext-suffix')
    assert out == ['.hpy0.so']
    _, out, _ = run(capsys, '--includedir')
    assert out == [inc]
    _, out, _ = run(capsys, '--version')
    assert out == [hpy_build.__version__]


def test_pkgconfigdir(capsys, fake):
    code, out, err = run(capsys, '--pkgconfigdir')
    assert code == 1 and 'pkg-config files not found in %s' % (fake / 'pkgconfig') in err
    (fake / 'pkgconfig').mkdir()
    _, out, _ = run(capsys, '--pkgconfigdir')
    assert out == [str(fake / 'pkgconfig')]


def test_pkgconfig_text_matches_the_flags(fake):
    # the .pc file says what --cflags and --libs say, relative to its place
    inc, lib = str(fake / 'include'), str(fake / 'lib')
    for abi in _abi.ABIS:
        text = _abi.pkgconfig_text(abi, '1.2', 'linux')
        fields = dict(line.split(': ', 1) for line in text.splitlines() if ': ' in line)
        assert fields['Name'] == 'hpy-' + abi and fields['Version'] == '1.2'
        expand = lambda s: s.replace('${includedir}', inc).replace('${libdir}', lib)
        assert expand(fields['Cflags']).split() == _abi.compile_args(abi, str(fake))
        assert expand(fields['Libs']).split() == _abi.link_args(abi, str(fake), 'linux')
        assert 'prefix=${pcfiledir}/..' in text


def test_answers_in_the_order_asked(capsys, fake):
    _, out, _ = run(capsys, '--ext-suffix', '--version', '--abi', 'hybrid', '--cflags')
    assert out[0] == _abi.ext_suffix('hybrid')
    assert out[1] == hpy_build.__version__
    assert '-DHPY_ABI_HYBRID' in out[2].split()


def test_default_abi_is_cpython(capsys, fake):
    _, out, _ = run(capsys, '--ext-suffix', '--cflags')
    assert out[0] == sysconfig.get_config_var('EXT_SUFFIX')
    assert '-DHPY_ABI_CPYTHON' in out[1].split()


@pytest.mark.parametrize('argv', [['--abi', 'bogus', '--cflags'], [], ['--frob']])
def test_usage_errors_exit_2(capsys, fake, argv):
    with pytest.raises(SystemExit) as exc:
        config.main(argv)
    assert exc.value.code == 2
    assert 'hpy-config: error:' in capsys.readouterr().err


def test_unknown_abi_names_the_choices(capsys, fake):
    with pytest.raises(SystemExit):
        config.main(['--abi', 'bogus', '--libs'])
    err = capsys.readouterr().err
    assert "'bogus'" in err and 'universal' in err


def test_missing_installation_exits_1(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(_abi, '_PACKAGE_DIR', str(tmp_path / 'hpy_build'))
    code, out, err = run(capsys, '--libs', '--abi', 'universal')
    assert code == 1 and out == []
    assert 'libhpyhelpers-universal.a' in err


def test_console_script():
    script = os.path.join(os.path.dirname(sys.executable), 'hpy-config')
    if not os.path.exists(script):
        pytest.skip('hpy-config is not installed next to this python')
    out = subprocess.run([script, '--ext-suffix', '--abi', 'universal'],
                         capture_output=True, text=True, check=True).stdout
    assert out == '.hpy0.so\n'


def test_module_runs_as_main(tmp_path):
    # cwd outside the repository: `-m` must import the installed hpy_build
    out = subprocess.run([sys.executable, '-m', 'hpy_build.config', '--version'],
                         cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.strip() == hpy_build.__version__
