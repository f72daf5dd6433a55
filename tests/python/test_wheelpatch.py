"""Retagging wheels of universal modules and declaring the runtime dependency."""
import base64
import csv
import hashlib
import io
import os
import zipfile

import pytest

from hpy_build import _wheelpatch
from hpy_build._wheelpatch import add_requirement, patch

ELF = b'\x7fELF' + b'\0' * 60
SUFFIX = '.cpython-311-x86_64-linux-gnu.so'     # the platform the tests pretend
META = 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\n'


def make_wheel(directory, files, tag='cp311-cp311-linux_x86_64', metadata=META):
    path = os.path.join(directory, 'demo-1.0-%s.whl' % tag)
    files = dict(files)
    files['demo-1.0.dist-info/METADATA'] = metadata.encode()
    files['demo-1.0.dist-info/WHEEL'] = (
        'Wheel-Version: 1.0\nGenerator: meson\nRoot-Is-Purelib: false\n'
        'Tag: %s\n' % tag).encode()
    rows = []
    with zipfile.ZipFile(path, 'w') as zf:
        for name, data in files.items():
            zf.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
            rows.append('%s,sha256=%s,%d' % (name, digest.rstrip(b'=').decode(), len(data)))
        rows.append('demo-1.0.dist-info/RECORD,,')
        zf.writestr('demo-1.0.dist-info/RECORD', '\n'.join(rows) + '\n')
    return path


def read(path, name):
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode()


def check_record(path):
    """Every file is in RECORD with its right hash and size, and nothing else."""
    with zipfile.ZipFile(path) as zf:
        rows = list(csv.reader(io.StringIO(zf.read('demo-1.0.dist-info/RECORD').decode())))
        names = set(zf.namelist())
        assert {r[0] for r in rows} == names
        for name, digest, size in rows:
            if name.endswith('/RECORD'):
                assert digest == size == ''
                continue
            data = zf.read(name)
            expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=')
            assert digest == 'sha256=' + expected.decode() and int(size) == len(data), name


def run_patch(path, **kwargs):
    return patch(path, platform_suffix=SUFFIX, **kwargs)


def leftovers(directory):
    return [n for n in os.listdir(directory) if n.startswith('.hpy_build-')]


def test_all_universal_is_retagged(tmp_path):
    path = make_wheel(tmp_path, {'hello.hpy0.so': ELF, 'pkg/sub.hpy0.so': ELF,
                                 'pkg/__init__.py': b''})
    new = run_patch(path)
    assert os.path.basename(new) == 'demo-1.0-py3-none-linux_x86_64.whl'
    assert os.listdir(tmp_path) == [os.path.basename(new)]
    wheel = read(new, 'demo-1.0.dist-info/WHEEL')
    assert wheel.count('Tag:') == 1 and 'Tag: py3-none-linux_x86_64' in wheel
    assert 'Root-Is-Purelib: false' in wheel
    assert read(new, 'demo-1.0.dist-info/METADATA') == (
        'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n'
        'Requires-Dist: hpy_build\n\n')
    check_record(new)
    assert read(new, 'hello.hpy0.so').encode() == ELF


def test_untagged_hpy_so_counts_as_universal(tmp_path):
    new = run_patch(make_wheel(tmp_path, {'old.hpy.so': ELF}))
    assert new.endswith('-py3-none-linux_x86_64.whl')


def test_compressed_platform_tags(tmp_path):
    plat = 'manylinux_2_17_x86_64.manylinux2014_x86_64'
    new = run_patch(make_wheel(tmp_path, {'h.hpy0.so': ELF}, tag='cp311-cp311-' + plat))
    assert os.path.basename(new) == 'demo-1.0-py3-none-%s.whl' % plat
    wheel = read(new, 'demo-1.0.dist-info/WHEEL')
    assert 'Tag: py3-none-manylinux_2_17_x86_64\nTag: py3-none-manylinux2014_x86_64\n' in wheel


@pytest.mark.parametrize('other', [
    {'plain' + SUFFIX: ELF},                          # a CPython extension
    {'h.hpy0-cp311.so': ELF},                          # a hybrid module
    {'.demo.mesonpy.libs/libfoo.so.1': ELF},          # a bundled library
    {'demo-1.0.data/scripts/tool': ELF},               # a native program
])
def test_mixed_wheels_keep_their_tag(tmp_path, other):
    files = {'h.hpy0.so': ELF}
    files.update(other)
    path = make_wheel(tmp_path, files)
    new = run_patch(path)
    assert new == path
    assert 'Requires-Dist: hpy_build' in read(new, 'demo-1.0.dist-info/METADATA')
    assert 'Tag: cp311-cp311-linux_x86_64' in read(new, 'demo-1.0.dist-info/WHEEL')
    check_record(new)
    assert leftovers(tmp_path) == []


def test_hybrid_alone_needs_the_runtime(tmp_path):
    new = run_patch(make_wheel(tmp_path, {'h.hpy0-cp311.so': ELF}))
    assert new.endswith('cp311-cp311-linux_x86_64.whl')
    assert 'Requires-Dist: hpy_build' in read(new, 'demo-1.0.dist-info/METADATA')


def test_wheel_without_hpy_modules_is_untouched(tmp_path):
    path = make_wheel(tmp_path, {'m' + SUFFIX: ELF, 'm.py': b''})
    before = open(path, 'rb').read()
    assert run_patch(path) == path
    assert open(path, 'rb').read() == before


def test_extra_files_are_added_with_record_rows(tmp_path):
    path = make_wheel(tmp_path, {'m.py': b''}, tag='py3-none-any')
    new = run_patch(path, extra_files={'demo-hpy-editable.pth': b'import x\n'})
    assert new == path
    assert read(new, 'demo-hpy-editable.pth') == 'import x\n'
    check_record(new)


def test_broken_wheel_leaves_nothing_behind(tmp_path):
    path = os.path.join(tmp_path, 'demo-1.0-cp311-cp311-linux_x86_64.whl')
    with zipfile.ZipFile(path, 'w') as zf:
        zf.writestr('h.hpy0.so', ELF)      # no .dist-info at all
    with pytest.raises(ValueError, match='dist-info'):
        run_patch(path)
    assert os.listdir(tmp_path) == [os.path.basename(path)]


def test_classification():
    c = _wheelpatch.Contents([('a.hpy0.so', ELF), ('b.py', b'imp'),
                              ('c.hpy0-cp311.so', ELF)], SUFFIX)
    assert c.universal == ['a.hpy0.so'] and c.hybrid == ['c.hpy0-cp311.so']
    assert c.needs_runtime and not c.all_universal
    assert not _wheelpatch.Contents([('b.py', b'')], SUFFIX).needs_runtime
    assert _wheelpatch.is_native(b'MZ\x90\x00') and not _wheelpatch.is_native(b'#!/b')


@pytest.mark.parametrize('existing', ['hpy_build', 'hpy-build>=0.1', 'HPy.Build ; python_version>"3"'])
def test_requirement_not_duplicated(existing):
    meta = 'Name: demo\nRequires-Dist: %s\n\n' % existing
    assert add_requirement(meta) == meta


def test_requirement_goes_in_the_headers():
    meta = 'Name: demo\nDescription-Content-Type: text/plain\n\nBody\n\nRequires-Dist: no\n'
    assert add_requirement(meta) == (
        'Name: demo\nDescription-Content-Type: text/plain\nRequires-Dist: hpy_build\n'
        '\nBody\n\nRequires-Dist: no\n')
    assert add_requirement('Name: demo\n') == 'Name: demo\nRequires-Dist: hpy_build\n'


@pytest.mark.parametrize('name', ['demo.whl', 'demo-1.0-py3-none.whl', 'demo-1.0-a-b-c.zip'])
def test_bad_wheel_names(name):
    with pytest.raises(ValueError, match='not a wheel file name'):
        _wheelpatch.split_wheel_name(name)
