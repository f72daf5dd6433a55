"""Run Meson with hpy_extension() available to every meson.build.

    python -m hpy_build.meson setup builddir [-Dhpy-abi=universal] [meson options]
    python -m hpy_build.meson compile -C builddir

This is stock Meson (any of its commands) plus one function, and one option
of ``setup``: ``-Dhpy-abi=cpython|universal|hybrid`` sets the ABI of every
hpy_extension() that does not pass ``abi:``, as the backend's
``-Chpy-abi=`` does. It is not a Meson option of the project (Meson would
reject it as unknown): it is written into a machine file in the build
directory, ``[properties] hpy_abi = '...'``, which can also be given by hand
(``--native-file``). To change it: ``setup --reconfigure builddir
-Dhpy-abi=...`` (for a directory first set up with -Dhpy-abi).

Meson records the command that started it and re-runs that command when
build files change; it records hpy_build/_meson/hpy_meson.py, so the
re-run has hpy_extension() too.
"""

import os
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      '_meson', 'hpy_meson.py')

ABI_OPTIONS = ('hpy-abi', 'hpy_abi')

HELP = """
hpy_build: this is Meson with hpy_extension() added to every meson.build:

  hpy_extension(name, sources..., abi: 'cpython'|'universal'|'hybrid',
                <every keyword of python.extension_module()>)

  builds an HPy extension module and returns the target. Without abi:, the
  ABI comes from `setup -Dhpy-abi=<abi>` (hpy_build's own option, kept in a
  machine file in the build directory), else cpython on CPython.
"""


# As the backend's build requirements say (hpy_build._backend.REQUIREMENTS).
MESON_MINIMUM = (1, 4)


class UsageError(Exception):
    pass


def _too_old(version):
    """A message if Meson *version* is older than hpy_build supports, else None."""
    parts = []
    for piece in version.split('.')[:2]:
        digits = ''.join(c for c in piece if c.isdigit())
        parts.append(int(digits) if digits else 0)
    if tuple(parts) >= MESON_MINIMUM:
        return None
    return ('Meson %s is older than hpy_build supports (>= %s); upgrade it: '
            'pip install --upgrade "meson>=%s"'
            % (version, '.'.join(map(str, MESON_MINIMUM)), '.'.join(map(str, MESON_MINIMUM))))


def _unsupported_meson():
    """A message if the installed Meson is older than hpy_build supports."""
    from mesonbuild import coredata
    return _too_old(getattr(coredata, 'version', '0'))


def _version_without_importing_meson():
    """The version of the Meson that would run, read from its source, or None.

    meson-python runs ``MESON --version`` at the start of every hook. Meson
    answers only after importing most of itself, which runs dpkg-architecture
    on Debian: a third of a second, twice per `pip wheel`. Its version is a
    literal line of mesonbuild/coredata.py (``version = '1.4.0'``) in every
    Meson release; if that line is not found, Meson is imported as usual.
    """
    import importlib.util
    try:
        spec = importlib.util.find_spec('mesonbuild')
    except (ImportError, ValueError):
        return None
    locations = getattr(spec, 'submodule_search_locations', None)
    if not locations:
        return None
    start = "version = '"
    try:
        with open(os.path.join(locations[0], 'coredata.py'), encoding='utf-8') as f:
            for line in f:
                line = line.rstrip()
                if line.startswith(start) and line.endswith("'"):
                    return line[len(start):-1]
    except OSError:
        pass
    return None


def _split_abi_option(args):
    """(args without -Dhpy-abi=..., the ABI asked for or None)."""
    rest, abi = [], None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == '-D' and i + 1 < len(args):
            name, eq, value = args[i + 1].partition('=')
            if eq and name in ABI_OPTIONS:
                i += 2
                abi = value
                continue
        elif arg.startswith('-D'):
            name, eq, value = arg[2:].partition('=')
            if eq and name in ABI_OPTIONS:
                i += 1
                abi = value
                continue
        rest.append(arg)
        i += 1
    return rest, abi


def _commands():
    try:
        from mesonbuild import mesonmain
        return set(mesonmain.CommandLineParser().commands)
    except Exception:       # an unknown Meson: the commands of Meson 1.x
        return {'setup', 'configure', 'dist', 'install', 'introspect', 'init',
                'test', 'wrap', 'subprojects', 'rewrite', 'compile', 'devenv',
                'env2mfile', 'format', 'fmt', 'help', 'runpython'}


def _with_abi_native_file(setup_args, abi):
    """*setup_args* using the hpy_abi machine file this writes (added, or
    rewritten in place for --reconfigure)."""
    import argparse
    from mesonbuild import msetup
    from . import _abi, _settings
    if abi not in _abi.ABIS:
        raise UsageError('unknown hpy-abi %r: expected one of %s'
                         % (abi, ', '.join(_abi.ABIS)))
    parser = argparse.ArgumentParser(add_help=False)
    msetup.add_arguments(parser)
    options, _ = parser.parse_known_args(setup_args)
    if not options.builddir:
        raise UsageError('-Dhpy-abi needs the build directory on the command '
                         'line: setup BUILDDIR -Dhpy-abi=%s' % abi)
    builddir = os.path.abspath(options.builddir)
    native = os.path.join(builddir, _settings.NATIVE_FILE)
    configured = os.path.isfile(os.path.join(builddir, 'meson-private', 'coredata.dat'))
    if configured:
        # Meson keeps the machine files of the first setup (and --wipe
        # deletes this one first): only one set up with -Dhpy-abi can change.
        if options.wipe or not os.path.isfile(native):
            raise UsageError(
                '%s was set up without -Dhpy-abi, or is being wiped; remove '
                'it and set it up again: setup %s -Dhpy-abi=%s'
                % (options.builddir, options.builddir, abi))
        if not options.reconfigure:
            raise UsageError('%s is already set up; to change its hpy-abi '
                             'run: setup --reconfigure %s -Dhpy-abi=%s'
                             % (options.builddir, options.builddir, abi))
    os.makedirs(builddir, exist_ok=True)
    with open(native, 'w', encoding='utf-8') as f:
        f.write(_settings.native_file_text(abi))
    if configured:
        return setup_args       # rewritten in place: Meson reads it again
    return setup_args + ['--native-file=' + native]


def _translate(args):
    """Meson's arguments for our command line."""
    if _split_abi_option(args)[1] is None:
        # The usual case (the backend passes the ABI in a machine file):
        # nothing to translate, and no second build of Meson's argument
        # parser (about a tenth of a second) to find the command.
        return args
    commands = _commands()
    command = args[0] if args and args[0] in commands else None
    rest, abi = _split_abi_option(args[1:] if command else args)
    if abi is None:
        return args
    if command not in (None, 'setup'):
        raise UsageError('-Dhpy-abi is chosen when the build directory is set '
                         'up: setup --reconfigure BUILDDIR -Dhpy-abi=%s' % abi)
    return ['setup'] + _with_abi_native_file(rest, abi)


def _wants_help(args):
    if not any(a in ('-h', '--help') for a in args):
        return False
    return not args or args[0] in ('-h', '--help', 'setup', 'help')


def main(argv=None):
    """Run Meson's command line with hpy_extension() added; returns the exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args == ['--version']:
        version = _version_without_importing_meson()
        if version is not None and _too_old(version) is None:
            print(version)
            return 0
    try:
        from mesonbuild import mesonmain
    except ImportError as exc:
        print('hpy_build: Meson is not installed (%s); install it with '
              '"pip install meson"' % exc, file=sys.stderr)
        return 1
    problem = _unsupported_meson()
    if problem:
        print('hpy_build: error: %s' % problem, file=sys.stderr)
        return 1
    from . import _meson_ext
    try:
        _meson_ext.install()
    except RuntimeError as exc:
        print('hpy_build: %s' % exc, file=sys.stderr)
        return 1
    try:
        meson_args = _translate(args)
    except UsageError as exc:
        print('hpy_build: error: %s' % exc, file=sys.stderr)
        return 1
    sys.argv = [SCRIPT] + meson_args   # what Meson records for re-running itself
    if not _wants_help(args):
        return mesonmain.main()
    try:
        code = mesonmain.main()
    except SystemExit as exc:
        code = exc.code
    sys.stdout.flush()
    print(HELP)
    return code


if __name__ == '__main__':
    sys.exit(main())
