"""The backend hooks called in-process on a small project.

Needs meson-python (and so Meson, ninja and a C compiler) in the test
environment; skipped otherwise. The end-to-end pip runs are in tests/.
"""
import json
import os
import shutil
import sys
import textwrap
import zipfile

import pytest

import hpy_build

mesonpy = pytest.importorskip('mesonpy', reason='meson-python is not installed here')
if not (shutil.which('ninja') or shutil.which('samu')):
    pytest.skip('no ninja', allow_module_level=True)

GOOD = '''
#include <hpy.h>
HPyDef_METH(answer, "answer", HPyFunc_NOARGS)
static HPy answer_impl(HPyContext *ctx, HPy self) { return HPyLong_FromLong(ctx, 42); }
static HPyDef *defines[] = { &answer, NULL };
static HPyModuleDef moddef = { .defines = defines };
HPy_MODINIT(demo, moddef)
'''


@pytest.fixture
def demo(tmp_path, monkeypatch):
    src = tmp_path / 'demo'
    src.mkdir()
    (src / 'pyproject.toml').write_text(textwrap.dedent('''
        [build-system]
        requires = ["hpy_build"]
        build-backend = "hpy_build"
        [project]
        name = "demo"
        version = "1.0"
    '''))
    (src / 'meson.build').write_text("project('demo', 'c')\n"
                                     "hpy_extension('demo', 'demo.c', install: true)\n")
    (src / 'demo.c').write_text(GOOD)
    monkeypatch.chdir(src)
    return src


def members(wheel):
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist(), zf.read('demo-1.0.dist-info/METADATA').decode()


def no_temporaries(*dirs):
    return all(not n.startswith('.hpy_build-') for d in dirs for n in os.listdir(d))


def test_universal_wheel(demo, tmp_path):
    out = tmp_path / 'out'
    name = hpy_build.build_wheel(str(out), {'hpy-abi': 'universal'})
    assert name == 'demo-1.0-py3-none-%s.whl' % mesonpy._tags.get_platform_tag()
    assert os.listdir(out) == [name]
    names, meta = members(out / name)
    assert 'demo.hpy0.so' in names
    assert 'Requires-Dist: hpy_build' in meta
    assert no_temporaries(out, demo)


def test_cpython_wheel(demo, tmp_path):
    out = tmp_path / 'out'
    name = hpy_build.build_wheel(str(out))
    names, meta = members(out / name)
    assert name.startswith('demo-1.0-cp%d%d-' % sys.version_info[:2])
    assert [n for n in names if n.startswith('demo.')] == [
        'demo' + hpy_build._abi.ext_suffix('cpython')]
    assert 'Requires-Dist' not in meta


def test_compile_error_leaves_no_wheel(demo, tmp_path, capfd):
    (demo / 'demo.c').write_text(GOOD + '\nthis is not C;\n')
    out = tmp_path / 'out'
    with pytest.raises(SystemExit) as exc:
        hpy_build.build_wheel(str(out), {'hpy-abi': 'universal'})
    assert exc.value.code != 0
    assert 'error' in capfd.readouterr().out
    assert os.listdir(out) == []
    assert no_temporaries(demo)


@pytest.mark.parametrize('linker', ['default', 'gold'])
def test_c_api_in_a_universal_module_is_explained_whichever_linker(demo, tmp_path, capfd,
                                                                   monkeypatch, linker):
    # GNU ld explains each symbol as it meets it; gold says only "undefined":
    # the backend names them all, last, from the module's object files
    if linker != 'default':
        if shutil.which('ld.' + linker) is None:
            pytest.skip(f'ld.{linker} is not installed')
        monkeypatch.setenv('CC_LD', linker)
    (demo / 'demo.c').write_text(GOOD + 'void *PyLong_FromLong(long);\n'
                                 'void *PyFloat_FromDouble(double);\n'
                                 'void *grab(void) { PyFloat_FromDouble(1.0); '
                                 'return PyLong_FromLong(1); }\n')
    out = tmp_path / 'out'
    with pytest.raises(SystemExit):
        hpy_build.build_wheel(str(out), {'hpy-abi': 'universal'})
    captured = capfd.readouterr()
    last = captured.err.strip().splitlines()[-1]
    assert last == ("hpy_build: the universal module demo.hpy0.so uses 'PyFloat_FromDouble', "
                    "'PyLong_FromLong', which belong to the Python interpreter (its C API): a "
                    "universal module cannot use them. Use the HPy API instead, or build this "
                    "module with abi: 'hybrid' to mix in the C API.")
    assert os.listdir(out) == []


def prepare(tmp_path, settings, editable=False):
    md = tmp_path / 'md'
    md.mkdir()
    hook = (hpy_build.prepare_metadata_for_build_editable if editable
            else hpy_build.prepare_metadata_for_build_wheel)
    dist_info = hook(str(md), settings)
    assert dist_info == 'demo-1.0.dist-info'
    return md / dist_info


def test_metadata_needs_no_compiling(demo, tmp_path, capfd):
    # A compile error shows up when the wheel is built, not as a metadata failure.
    (demo / 'demo.c').write_text(GOOD + '\nthis is not C;\n')
    settings = {'hpy-abi': 'universal'}
    dist_info = prepare(tmp_path, settings)
    assert 'Requires-Dist: hpy_build' in (dist_info / 'METADATA').read_text()
    assert 'Tag: py3-none-%s' % mesonpy._tags.get_platform_tag() in (dist_info / 'WHEEL').read_text()
    assert 'Compiling' not in capfd.readouterr().out
    out = tmp_path / 'out'
    with pytest.raises(SystemExit) as exc:
        hpy_build.build_wheel(str(out), settings, str(dist_info))
    assert exc.value.code != 0
    assert 'this is not C' in capfd.readouterr().out
    assert os.listdir(out) == []


def test_metadata_problem_is_one_clear_line(demo, tmp_path, capsys):
    # as meson-python reports it, without a traceback
    (demo / 'pyproject.toml').write_text(textwrap.dedent('''
        [build-system]
        requires = ["hpy_build"]
        build-backend = "hpy_build"
        [project]
        name = "demo"
        dynamic = ["version"]
    '''))
    with pytest.raises(SystemExit) as exc:
        prepare(tmp_path, {})
    assert exc.value.code == 1
    assert 'hpy_build: error: Field "version" declared as dynamic but version is not defined' \
        in capsys.readouterr().err


@pytest.mark.parametrize('abi', ['universal', 'cpython'])
def test_metadata_then_wheel_configures_once(demo, tmp_path, capfd, abi):
    settings = {'hpy-abi': abi}
    dist_info = prepare(tmp_path, settings)
    out = tmp_path / 'out'
    name = hpy_build.build_wheel(str(out), settings, str(dist_info))
    log = capfd.readouterr().out
    assert log.count('The Meson build system') == 1, log
    assert os.listdir(out) == [name]
    with zipfile.ZipFile(out / name) as zf:
        for member in ('METADATA', 'WHEEL'):
            assert zf.read('demo-1.0.dist-info/' + member).decode() == \
                (dist_info / member).read_text()
    tag = 'py3-none-' if abi == 'universal' else 'cp%d%d-' % sys.version_info[:2]
    assert name.startswith('demo-1.0-' + tag)


def test_switching_abi_in_one_build_dir(demo, tmp_path):
    build = tmp_path / 'b'
    for abi, module in (('universal', 'demo.hpy0.so'),
                        ('cpython', 'demo' + hpy_build._abi.ext_suffix('cpython'))):
        out = tmp_path / abi
        settings = {'hpy-abi': abi, 'builddir': str(build),
                    'setup-args': ['-Dbuildtype=debug']}
        name = hpy_build.build_wheel(str(out), settings)
        names, _ = members(out / name)
        assert [n for n in names if n.startswith('demo.')] == [module]
    assert "hpy_abi = 'cpython'" in (build / 'hpy-build-native-file.ini').read_text()
    options = json.loads((build / 'meson-info' / 'intro-buildoptions.json').read_text())
    assert {o['name']: o['value'] for o in options}['buildtype'] == 'debug'


def test_editable_gets_its_own_build_dir_and_finder(demo, tmp_path):
    out = tmp_path / 'out'
    name = hpy_build.build_editable(str(out), {'hpy-abi': 'universal'})
    build = demo / hpy_build._settings.editable_build_dir('universal')
    assert (build / 'demo.hpy0.so').exists()
    with zipfile.ZipFile(out / name) as zf:
        pth = zf.read('demo-hpy-editable.pth').decode()
        assert 'Requires-Dist: hpy_build' in zf.read('demo-1.0.dist-info/METADATA').decode()
    assert repr(str(build)) in pth and "['demo']" in pth
