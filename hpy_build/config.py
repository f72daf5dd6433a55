"""hpy-config: print what a build that is not Meson needs to compile HPy modules.

    cc -shared -fPIC $(hpy-config --cflags --abi universal) m.c \\
       -o m$(hpy-config --ext-suffix --abi universal) \\
       $(hpy-config --libs --abi universal)

or through pkg-config: PKG_CONFIG_PATH=$(hpy-config --pkgconfigdir)
pkg-config --cflags --libs hpy-universal.

Each requested item is printed on its own line, in the order asked.
Also runs as ``python -m hpy_build.config``.
"""

import argparse
import os
import sys

from . import __version__, _abi


def _parser():
    p = argparse.ArgumentParser(
        prog='hpy-config',
        description='Print compiler and linker flags for HPy extension '
                    'modules.')
    p.add_argument('--abi', choices=_abi.ABIS, default=_abi.default_abi(),
                   help='HPy ABI of the module (default: %(default)s)')
    queries = (
        ('--cflags', 'cflags', 'compiler flags: include directories, ABI '
                               'macro'),
        ('--libs', 'libs', 'linker flags: the helper library, placed after '
                           'the object files'),
        ('--ext-suffix', 'ext-suffix', 'file suffix of a module, e.g. '
                                       '.hpy0.so'),
        ('--includedir', 'includedir', 'directory holding hpy.h'),
        ('--pkgconfigdir', 'pkgconfigdir', 'directory of the pkg-config files '
                                           'hpy-cpython.pc, hpy-universal.pc, '
                                           'hpy-hybrid.pc'),
        ('--version', 'version', 'version of hpy_build'),
    )
    for flag, const, help in queries:
        p.add_argument(flag, dest='queries', action='append_const',
                       const=const, help=help)
    return p


def _answer(query, abi):
    if query == 'cflags':
        return ' '.join(_abi.compile_args(abi))
    if query == 'libs':
        return ' '.join(_abi.link_args(abi))
    if query == 'ext-suffix':
        return _abi.ext_suffix(abi)
    if query == 'includedir':
        return _abi.include_dir()
    if query == 'pkgconfigdir':
        path = _abi.pkgconfig_dir()
        if not os.path.isdir(path):
            raise _abi.NotInstalledError(
                'hpy_build pkg-config files not found in %s; they are '
                'installed with hpy_build by pip' % path)
        return path
    assert query == 'version', query
    return __version__


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.queries:
        parser.error('nothing to print: give at least one of --cflags, '
                     '--libs, --ext-suffix, --includedir, --pkgconfigdir, '
                     '--version')
    try:
        lines = [_answer(q, args.abi) for q in args.queries]
    except _abi.NotInstalledError as exc:
        print('hpy-config: error: %s' % exc, file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
