"""The .dist-info of prepare_metadata_for_build_*, from a configured project.

Meson's configure step (no compiling) gives everything the wheel's metadata
depends on: meson-python's metadata from pyproject.toml and meson.build, and
Meson's install plan, which names every file the build will install. Which
of them are universal or hybrid modules follows from their names, so the
Requires-Dist on hpy_build and the py3-none tag are known before anything is
compiled, and a compile error is reported while building the wheel.

This uses meson-python internals (Project, its _WheelBuilder, their
metadata writer); when they are not what this code expects, metadata()
raises Unsupported and the backend builds the wheel to read its metadata.
"""

import json
import os

from . import _wheelpatch


class Unsupported(Exception):
    """This meson-python cannot give metadata without building."""


class _Collect:
    """Stands in for meson-python's wheel file: collects what is written."""

    def __init__(self):
        self.files = {}

    def writestr(self, name, data):
        self.files[name] = data.encode('utf-8') if isinstance(data, str) else bytes(data)

    def write(self, path, name):
        with open(path, 'rb') as f:
            self.files[name] = f.read()


def planned_contents(build_dir):
    """What the build will install, classified, from Meson's install plan."""
    path = os.path.join(build_dir, 'meson-info', 'intro-install_plan.json')
    with open(path, encoding='utf-8') as f:
        plan = json.load(f)
    files = []
    for section, entries in plan.items():
        for details in entries.values():
            root, _, rel = details.get('destination', '').partition('/')
            if root in ('{py_platlib}', '{py_purelib}'):
                # Build targets are binaries; nothing else can be told apart
                # before the build, and meson-python treats them alike.
                files.append((rel, section == 'targets'))
    return _wheelpatch.Contents.from_kinds(files)


def metadata(mesonpy, project, build_dir):
    """{archive name: bytes} of the wheel's .dist-info, adjusted for HPy."""
    try:
        builder = mesonpy._WheelBuilder(
            project._metadata, project._manifest, project._limited_api,
            project._allow_windows_shared_libs)
        collect = _Collect()
        builder._wheel_write_metadata(collect)
    except (AttributeError, TypeError) as exc:
        raise Unsupported(str(exc)) from exc
    files = collect.files
    dist_info = builder._distinfo_dir
    contents = planned_contents(build_dir)
    if contents.needs_runtime:
        meta = files[dist_info + '/METADATA'].decode('utf-8')
        files[dist_info + '/METADATA'] = _wheelpatch.add_requirement(meta).encode('utf-8')
    if contents.all_universal:
        wheel = files[dist_info + '/WHEEL'].decode('utf-8')
        platform = str(builder.tag).rsplit('-', 1)[-1]
        files[dist_info + '/WHEEL'] = _wheelpatch.retag_wheel_file(
            wheel, 'py3-none', platform.split('.')).encode('utf-8')
    return dist_info, files
