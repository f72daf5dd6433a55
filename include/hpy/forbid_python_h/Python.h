/* This directory comes first on the include path of universal-ABI builds:
   a universal module must not depend on one interpreter's C API. */
#error "Python.h cannot be used in an HPy universal-ABI module: use the HPy API (or build with the cpython or hybrid ABI)"
