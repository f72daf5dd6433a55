"""A stand-in for HPy 0.9's `hpy` package, put first on sys.path when HPy's
own test suite runs against hpy_build: `hpy.universal`, `hpy.debug` and
`hpy.trace` are hpy_build's modules themselves (aliased, not wrapped), and
`hpy.devel` compiles with hpy_build's headers and helper library."""
import sys

import hpy_build.debug
import hpy_build.debug.leakdetector
import hpy_build.trace
import hpy_build.universal

universal = hpy_build.universal
debug = hpy_build.debug
trace = hpy_build.trace

# `import hpy.universal` must find these, not look for files beside this one.
for _alias, _module in (('universal', universal), ('debug', debug),
                        ('debug.leakdetector', hpy_build.debug.leakdetector), ('trace', trace)):
    sys.modules['%s.%s' % (__name__, _alias)] = _module
