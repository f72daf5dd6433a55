"""The backend's config settings and its hooks' argument handling (no build)."""
import json
import os
import subprocess
import sys

import pytest

import hpy_build
from hpy_build import _backend, _settings
from hpy_build._settings import BackendError


@pytest.mark.parametrize('config, abi', [
    (None, 'cpython'),
    ({}, 'cpython'),
    ({'hpy-abi': 'universal'}, 'universal'),
    ({'hpy-abi': 'hybrid'}, 'hybrid'),
    ({'hpy-abi': ['universal']}, 'universal'),
    ({'hpy-abi': ['universal', 'universal']}, 'universal'),
])
def test_abi_setting(config, abi):
    assert _settings.split(config)[0] == abi


def test_other_settings_pass_through_untouched():
    config = {'hpy-abi': 'universal', 'setup-args': ['-Dx=1'], 'compile-args': '-j1',
              'builddir': 'b', 'whatever': 'meson-python decides'}
    copy = dict(config)
    abi, rest = _settings.split(config)
    assert rest == {k: v for k, v in copy.items() if k != 'hpy-abi'}
    assert config == copy


@pytest.mark.parametrize('config, message', [
    ({'hpy-abi': 'bogus'}, "unknown hpy-abi 'bogus': expected one of cpython, universal, hybrid"),
    ({'hpy-abi': ''}, "unknown hpy-abi ''"),
    ({'hpy-abi': ['universal', 'cpython']}, 'given more than once'),
    ({'hpy_abi': 'universal'}, "did you mean 'hpy-abi'"),
    ({'hpy-abis': 'universal'}, "did you mean 'hpy-abi'"),
])
def test_bad_settings(config, message):
    with pytest.raises(BackendError, match=message.replace('(', r'\(')):
        _settings.split(config)


def test_build_dirs():
    assert _settings.user_build_dir({}) is None
    assert _settings.user_build_dir({'builddir': 'b'}) == 'b'
    assert _settings.user_build_dir({'build-dir': 'c'}) == 'c'
    with pytest.raises(BackendError, match='one value'):
        _settings.user_build_dir({'build-dir': ['a', 'b']})
    tag = 'cp%d%d' % sys.version_info[:2]
    assert _settings.editable_build_dir('universal') == os.path.join('build', tag + '-universal')
    assert _settings.editable_build_dir('cpython') != _settings.editable_build_dir('universal')


@pytest.mark.parametrize('setup_args, expected', [
    (None, ['--native-file=/x.ini']),
    ('-Dfoo=1', ['-Dfoo=1', '--native-file=/x.ini']),
    (['-Da=1', '-Db=2'], ['-Da=1', '-Db=2', '--native-file=/x.ini']),
])
def test_native_file_is_appended(setup_args, expected):
    settings = {} if setup_args is None else {'setup-args': setup_args}
    assert _settings.with_native_file(settings, '/x.ini')['setup-args'] == expected


def test_native_file_text():
    assert _settings.native_file_text('universal') == "[properties]\nhpy_abi = 'universal'\n"
    with pytest.raises(ValueError):
        _settings.native_file_text("x'")


def test_requirements():
    names = [r.split()[0] for r in hpy_build.get_requires_for_build_wheel()]
    assert names[:3] == ['meson-python', 'meson', 'ninja']
    assert hpy_build.get_requires_for_build_sdist({}) == hpy_build.get_requires_for_build_editable({})


@pytest.mark.parametrize('hook, args', [
    ('get_requires_for_build_wheel', ()),
    ('get_requires_for_build_editable', ()),
    ('build_wheel', ('out',)),
    ('build_editable', ('out',)),
    ('build_sdist', ('out',)),
    ('prepare_metadata_for_build_wheel', ('out',)),
    ('prepare_metadata_for_build_editable', ('out',)),
])
def test_bad_abi_fails_every_hook_before_building(tmp_path, monkeypatch, capsys, hook, args):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        getattr(hpy_build, hook)(*args, config_settings={'hpy-abi': 'bogus'})
    assert exc.value.code == 1
    assert "hpy_build: error: unknown hpy-abi 'bogus'" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_meson_variable_is_set_and_restored(monkeypatch, capsys):
    monkeypatch.delenv('MESON', raising=False)
    with _backend._meson_command():
        assert os.environ['MESON'] == _backend.MESON_SCRIPT
        assert os.path.isfile(os.environ['MESON'])
    assert 'MESON' not in os.environ
    monkeypatch.setenv('MESON', '/opt/other/meson')
    with _backend._meson_command():
        assert os.environ['MESON'] == _backend.MESON_SCRIPT
    assert os.environ['MESON'] == '/opt/other/meson'
    assert 'MESON=/opt/other/meson is replaced' in capsys.readouterr().err


def test_ninja_is_the_build_environments_own(monkeypatch):
    # found through the ninja package, not PATH (an unactivated environment,
    # or a version manager's shim first on it)
    ninja = pytest.importorskip('ninja', reason='the ninja package is not installed here')
    monkeypatch.delenv('NINJA', raising=False)
    monkeypatch.setenv('PATH', '/nonexistent')
    with _backend._ninja_command():
        assert os.environ['NINJA'] == os.path.join(ninja.BIN_DIR, 'ninja')
        out = subprocess.run([os.environ['NINJA'], '--version'], capture_output=True, text=True)
        assert out.returncode == 0 and out.stdout.strip()
    assert 'NINJA' not in os.environ
    monkeypatch.setenv('NINJA', '/opt/my/ninja')       # the user's choice stands
    with _backend._ninja_command():
        assert os.environ['NINJA'] == '/opt/my/ninja'
    assert os.environ['NINJA'] == '/opt/my/ninja'


def test_prebuilt_wheel_is_reused_only_for_the_same_settings(tmp_path):
    md = tmp_path / 'md'
    stash = md / _backend.PREBUILT_DIR
    stash.mkdir(parents=True)
    (stash / 'demo-1.0-py3-none-any.whl').write_bytes(b'wheel')
    settings = {'hpy-abi': 'universal'}
    (stash / 'key.json').write_text(json.dumps({
        'key': _backend._settings_key(settings, False),
        'wheel': 'demo-1.0-py3-none-any.whl'}))
    dist_info = str(md / 'demo-1.0.dist-info')
    out = tmp_path / 'out'
    assert _backend._prepared(dist_info, {'hpy-abi': 'cpython'}, False) is None
    assert _backend._prepared(dist_info, settings, True) is None
    assert _backend._prepared(None, settings, False) is None
    name = _backend._take_prebuilt(_backend._prepared(dist_info, settings, False), out)
    assert name == 'demo-1.0-py3-none-any.whl'
    assert os.listdir(out) == [name] and (out / name).read_bytes() == b'wheel'


@pytest.mark.parametrize('hook, args', [
    ('build_wheel', ('out',)),
    ('build_editable', ('out',)),
    ('build_sdist', ('out',)),
    ('prepare_metadata_for_build_wheel', ('out',)),
    ('prepare_metadata_for_build_editable', ('out',)),
])
def test_missing_meson_build_names_the_project_directory(tmp_path, monkeypatch, capsys, hook, args):
    project = tmp_path / 'myproject'
    project.mkdir()
    (project / 'pyproject.toml').write_text('[project]\nname = "p"\nversion = "1"\n')
    monkeypatch.chdir(project)
    with pytest.raises(SystemExit) as exc:
        getattr(hpy_build, hook)(*args)
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert 'hpy_build: error: no meson.build in the project directory %s:' % project in err
    assert '.hpy_build-' not in err
    assert os.listdir(project) == ['pyproject.toml']


def test_editable_refused_when_the_build_tools_will_be_gone(monkeypatch):
    from hpy_build import _editable
    # This environment has them installed, as --no-build-isolation needs.
    assert _editable.transient_build_tools() == []
    # pip's isolation: a fresh interpreter finds them elsewhere, or not at all.
    monkeypatch.setattr(_editable, '_module_dirs',
                        lambda names: {n: None for n in names})
    lost = _editable.transient_build_tools(ninja='/usr/bin/ninja')
    assert [name for name, _ in lost] == ['hpy_build', 'mesonbuild', 'mesonpy']
    message = _editable.isolation_message(lost)
    assert 'pip install --no-build-isolation -e .' in message
    assert 'pip install meson-python meson ninja hpy_build' in message


@pytest.mark.parametrize('ninja', ['/tmp/pip-build-env-x1/overlay/bin/ninja',
                                   '/root/.cache/uv/builds-v0/.tmpAb12/bin/ninja'])
def test_ninja_of_an_isolated_build_environment_is_transient(ninja):
    from hpy_build import _editable
    assert _editable.transient_build_tools(ninja=ninja) == [('ninja', ninja)]
    assert _editable.transient_build_tools(ninja='/usr/bin/ninja') == []


def test_importing_hpy_build_stays_cheap():
    proc = subprocess.run([sys.executable, '-c', (
        'import sys, hpy_build; '
        'print([m for m in ("mesonpy", "mesonbuild", "hpy_build._backend") '
        'if m in sys.modules])')], capture_output=True, text=True)
    assert proc.stdout.strip() == '[]', proc.stderr
