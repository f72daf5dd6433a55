/* Versions: the HPy ABI implemented (binary compatible with HPy 0.9's). */
#ifndef HPY_VERSION_H
#define HPY_VERSION_H

/* A module built for ABI major N runs only on an ABI-N runtime; minor
   versions add to the context and stay backwards compatible. The major version
   is in the universal file name too: name.hpy0.so. */
#define HPY_ABI_VERSION 0
#define HPY_ABI_VERSION_MINOR 0
#define HPY_ABI_TAG "hpy0"

/* The HPy release whose API and ABI these headers implement. */
#define HPY_VERSION "0.9.0"

#endif
