"""Meson, with hpy_extension() added: the command hpy_build's backend gives
meson-python (through the MESON variable) and that Meson records for
re-running itself when build files change.

Run by hand as ``python -m hpy_build.meson`` (see hpy_build/meson.py).
"""

import os
import sys


def _main():
    # Run as a script, sys.path[0] is this directory. Put there instead the
    # directory holding the hpy_build this script belongs to, so that it is
    # that copy of hpy_build which gets imported.
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == here:
        sys.path[0] = root
    else:
        sys.path.insert(0, root)
    from hpy_build.meson import main
    return main()


if __name__ == '__main__':
    sys.exit(_main())
