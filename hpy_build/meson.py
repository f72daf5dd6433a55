"""Run Meson with hpy_extension() available to every meson.build.

    python -m hpy_build.meson setup builddir [meson options]
    python -m hpy_build.meson compile -C builddir

This is stock Meson (any of its commands) plus one function. To build
universal modules by default, give a machine file with
``[properties] hpy_abi = 'universal'`` (``--native-file``), or pass
``abi: 'universal'`` to hpy_extension().

Meson records the command that started it and re-runs that command when
build files change; it records hpy_build/_meson/hpy_meson.py, so the
re-run has hpy_extension() too.
"""

import os
import sys

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      '_meson', 'hpy_meson.py')


def main(argv=None):
    """Run Meson's command line with hpy_extension() added; returns the exit code."""
    try:
        from mesonbuild import mesonmain
    except ImportError as exc:
        print('hpy_build: Meson is not installed (%s); install it with '
              '"pip install meson"' % exc, file=sys.stderr)
        return 1
    from . import _meson_ext
    try:
        _meson_ext.install()
    except RuntimeError as exc:
        print('hpy_build: %s' % exc, file=sys.stderr)
        return 1
    args = sys.argv[1:] if argv is None else list(argv)
    sys.argv = [SCRIPT] + args   # what Meson records for re-running itself
    return mesonmain.main()


if __name__ == '__main__':
    sys.exit(main())
