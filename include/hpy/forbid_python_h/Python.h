/* This directory comes first on the include path of universal-ABI builds:
   a universal module must not depend on one interpreter's C API. */
#error "It is forbidden to #include <Python.h> when targeting the HPy Universal ABI: use the HPy API (or build with the cpython or hybrid ABI)"
