"""Adjust a wheel written by meson-python for the HPy modules it contains.

* A wheel whose only native files are universal modules runs on any Python 3
  of its platform: it is retagged py3-none-<platform>.
* A wheel with universal or hybrid modules needs hpy_build's runtime to
  import them: its METADATA gets 'Requires-Dist: hpy_build'.
* Extra files (an editable wheel's .pth) can be added.

The wheel is rewritten as a new file (RECORD recomputed for every file that
changed) and the old one removed only once the new one is complete.
"""

import base64
import csv
import hashlib
import io
import os
import re
import tempfile
import zipfile

from . import _abi

REQUIREMENT = 'hpy_build'

_NATIVE_MAGICS = (
    b'\x7fELF',                                 # ELF
    b'\xfe\xed\xfa\xce', b'\xce\xfa\xed\xfe',   # Mach-O 32-bit
    b'\xfe\xed\xfa\xcf', b'\xcf\xfa\xed\xfe',   # Mach-O 64-bit
    b'\xca\xfe\xba\xbe',                        # Mach-O universal
)


def is_native(head):
    """Whether the first bytes *head* of a file are those of a binary."""
    return head[:4] in _NATIVE_MAGICS or head[:2] == b'MZ'


def hpy_kind(path, platform_suffix=None):
    """'universal', 'hybrid' or None for the file name at the end of *path*."""
    name = path.rsplit('/', 1)[-1]
    _, ext = _abi.split_ext_suffix(platform_suffix or _abi.platform_ext_suffix())
    if name.endswith('.%s.%s' % (_abi.ABI_TAG, ext)) or \
            name.endswith('.hpy.%s' % ext):
        return 'universal'
    if re.search(r'\.hpy\d+-[^./]+\.%s$' % re.escape(ext), name):
        return 'hybrid'
    return None


class Contents:
    """What a wheel (or an editable build) installs, classified."""

    def __init__(self, files, platform_suffix=None, is_binary=is_native):
        """*files*: (installed path, first bytes of the file) pairs.

        *is_binary* tells from the second item whether the file is a binary.
        """
        self.universal = []
        self.hybrid = []
        self.other_native = []
        for path, head in files:
            kind = hpy_kind(path, platform_suffix)
            if kind == 'universal':
                self.universal.append(path)
            elif kind == 'hybrid':
                self.hybrid.append(path)
            elif is_binary(head):
                self.other_native.append(path)

    @classmethod
    def from_kinds(cls, files, platform_suffix=None):
        """From (installed path, whether the file is a binary) pairs."""
        return cls(files, platform_suffix, is_binary=bool)

    @property
    def needs_runtime(self):
        return bool(self.universal or self.hybrid)

    @property
    def all_universal(self):
        """Whether every native file is a universal module (and there is one)."""
        return bool(self.universal) and not self.hybrid and not self.other_native


def wheel_contents(zf, platform_suffix=None):
    files = []
    for info in zf.infolist():
        if info.is_dir() or '.dist-info/' in info.filename:
            continue
        with zf.open(info) as f:
            files.append((info.filename, f.read(4)))
    return Contents(files, platform_suffix)


# -- METADATA, WHEEL, RECORD -------------------------------------------------

def _canonical(name):
    return re.sub(r'[-_.]+', '-', name).lower()


def add_requirement(metadata, requirement=REQUIREMENT):
    """METADATA text with 'Requires-Dist: <requirement>' added, if missing."""
    head, sep, body = metadata.partition('\n\n')
    wanted = _canonical(requirement)
    for line in head.splitlines():
        key, _, value = line.partition(':')
        if key.strip().lower() == 'requires-dist':
            name = re.match(r'\s*([A-Za-z0-9._-]+)', value)
            if name and _canonical(name.group(1)) == wanted:
                return metadata
    head = head.rstrip('\n') + '\nRequires-Dist: %s' % requirement
    return head + (sep or '\n') + body


def retag_wheel_file(wheel_text, tag_prefix, platforms):
    """WHEEL text with its Tag lines replaced by <tag_prefix>-<platform> ones."""
    lines = [l for l in wheel_text.splitlines() if not l.startswith('Tag:')]
    lines += ['Tag: %s-%s' % (tag_prefix, p) for p in platforms]
    return '\n'.join(lines) + '\n'


def split_wheel_name(filename):
    """('hello-1.0', 'cp311', 'cp311', 'linux_x86_64') from a wheel file name."""
    if not filename.endswith('.whl'):
        raise ValueError('not a wheel file name: %r' % (filename,))
    parts = filename[:-4].rsplit('-', 3)
    if len(parts) != 4 or not all(parts) or '-' not in parts[0]:
        raise ValueError('not a wheel file name: %r' % (filename,))
    return tuple(parts)


def _record_hash(data):
    digest = hashlib.sha256(data).digest()
    return 'sha256=' + base64.urlsafe_b64encode(digest).rstrip(b'=').decode()


def _dist_info(zf):
    dirs = {n.split('/', 1)[0] for n in zf.namelist()
            if n.count('/') == 1 and n.endswith('.dist-info/WHEEL')}
    if len(dirs) != 1:
        raise ValueError('%s: expected one .dist-info directory with a WHEEL '
                         'file, found %d' % (zf.filename, len(dirs)))
    return dirs.pop()


# -- the rewrite -------------------------------------------------------------

def patch(wheel_path, contents=None, extra_files=None, platform_suffix=None):
    """Apply the changes above to the wheel at *wheel_path*; return its new path.

    *contents* classifies what the wheel installs (default: read from the
    wheel itself); *extra_files* maps archive names to bytes to add.
    Returns *wheel_path* unchanged when there is nothing to do.
    """
    extra_files = dict(extra_files or {})
    with zipfile.ZipFile(wheel_path) as zf:
        if contents is None:
            contents = wheel_contents(zf, platform_suffix)
        if not contents.needs_runtime and not extra_files:
            return wheel_path
        dist_info = _dist_info(zf)
        prefix, _, _, plat = split_wheel_name(os.path.basename(wheel_path))
        new_name = os.path.basename(wheel_path)
        changed = dict(extra_files)
        if contents.needs_runtime:
            meta = zf.read(dist_info + '/METADATA').decode('utf-8')
            changed[dist_info + '/METADATA'] = add_requirement(meta).encode('utf-8')
        if contents.all_universal:
            wheel = zf.read(dist_info + '/WHEEL').decode('utf-8')
            changed[dist_info + '/WHEEL'] = retag_wheel_file(
                wheel, 'py3-none', plat.split('.')).encode('utf-8')
            new_name = '%s-py3-none-%s.whl' % (prefix, plat)
        directory = os.path.dirname(wheel_path) or os.curdir
        tmp = _write(zf, directory, dist_info + '/RECORD', changed)
    new_path = os.path.join(directory, new_name)
    try:
        os.replace(tmp, new_path)
    except BaseException:
        os.unlink(tmp)
        raise
    if os.path.abspath(new_path) != os.path.abspath(wheel_path):
        os.unlink(wheel_path)
    return new_path


def _write(zf, directory, record_name, changed):
    """Write the new wheel to a temporary file in *directory*; return its path."""
    fd, tmp = tempfile.mkstemp(prefix='.hpy_build-', suffix='.whl.part',
                               dir=directory)
    os.close(fd)
    try:
        pending = dict(changed)
        rows = []
        with zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED) as out:
            for info in zf.infolist():
                if info.filename == record_name:
                    continue
                data = pending.pop(info.filename, None)
                if data is None:
                    out.writestr(info, zf.read(info))
                else:
                    out.writestr(_like(info), data)
            for name, data in sorted(pending.items()):
                out.writestr(_new_info(name), data)
            old_rows = list(csv.reader(io.StringIO(
                zf.read(record_name).decode('utf-8'))))
            for row in old_rows:
                if row and row[0] != record_name and row[0] not in changed:
                    rows.append(row)
            for name, data in changed.items():
                rows.append([name, _record_hash(data), str(len(data))])
            rows.append([record_name, '', ''])
            text = io.StringIO()
            csv.writer(text, lineterminator='\n').writerows(rows)
            out.writestr(_new_info(record_name), text.getvalue().encode('utf-8'))
        return tmp
    except BaseException:
        os.unlink(tmp)
        raise


def _like(info):
    new = zipfile.ZipInfo(info.filename, info.date_time)
    new.external_attr = info.external_attr
    new.compress_type = info.compress_type
    return new


def _new_info(name):
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
