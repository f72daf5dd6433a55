"""hpy_build.universal with a stand-in runtime: the Python side of load()."""
import pytest

from hpy_build._loader import HPyExtensionLoader


def test_constants_and_version(fake_runtime):
    import hpy_build.universal as u
    assert (u.MODE_UNIVERSAL, u.MODE_DEBUG, u.MODE_TRACE) == (0, 1, 2)
    assert u.get_version() == ('9.9.9', 'fake-revision')


def test_load_passes_through(fake_runtime, tmp_path):
    import hpy_build.universal as u
    spec = object()
    mod = u.load('m', str(tmp_path / 'm.hpy0.so'), spec)
    assert mod.loaded_mode == u.MODE_UNIVERSAL
    assert fake_runtime.calls == [('m', str(tmp_path / 'm.hpy0.so'), spec, 0)]


def test_load_makes_a_spec(fake_runtime, tmp_path):
    import hpy_build.universal as u
    path = tmp_path / 'm.hpy0.so'
    u.load('pkg.m', path)            # a PathLike is fine
    name, got_path, spec, mode = fake_runtime.calls[0]
    assert got_path == str(path)
    assert spec.name == 'pkg.m' and spec.origin == str(path)
    assert spec.has_location
    assert isinstance(spec.loader, HPyExtensionLoader)


def test_explicit_load_ignores_hpy_variable(fake_runtime, monkeypatch):
    import hpy_build.universal as u
    monkeypatch.setenv('HPY', 'debug')
    assert u.load('m', 'm.hpy0.so', None).loaded_mode == u.MODE_UNIVERSAL


@pytest.mark.parametrize('kwargs', [{'debug': True}, {'mode': 1}, {'debug': True, 'mode': 0}])
def test_debug_mode_is_passed_on(fake_runtime, kwargs):
    import hpy_build.universal as u
    assert u.load('m', 'm.hpy0.so', None, **kwargs).loaded_mode == u.MODE_DEBUG


@pytest.mark.parametrize('kwargs', [{'mode': 2}, {'debug': True, 'mode': 2}])
def test_trace_mode_is_passed_on(fake_runtime, kwargs):
    import hpy_build.universal as u
    assert u.load('m', 'm.hpy0.so', None, **kwargs).loaded_mode == u.MODE_TRACE


@pytest.mark.parametrize('args, exc', [
    ((b'm', 'm.so'), TypeError),
    (('m', 3), TypeError),
    (('m', b'm.so'), TypeError),
    (('m', 'm.so', None, False, '1'), TypeError),
    (('m', 'm.so', None, False, 3), ValueError),
    (('m', 'm.so', None, False, -2), ValueError),
])
def test_bad_arguments(fake_runtime, args, exc):
    import hpy_build.universal as u
    with pytest.raises(exc):
        u.load(*args)
    assert fake_runtime.calls == []


def test_real_runtime_version():
    import hpy_build.universal as u
    version, revision = u.get_version()
    assert isinstance(version, str) and isinstance(revision, str)
