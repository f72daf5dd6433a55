/* Versions: the HPy ABI implemented (binary compatible with HPy 0.9's). */
#ifndef HPY_VERSION_H
#define HPY_VERSION_H

/* A module built for ABI major N runs only on an ABI-N runtime; minor
   versions add to the context and stay backwards compatible. The major version
   is in the universal file name too: name.hpy0.so. */
#define HPY_ABI_VERSION 0
#define HPY_ABI_TAG "hpy0"

/* ABI 0.0 is HPy 0.9's context (263 members). ABI 0.1 appends the members
   HPy's development sources added after 0.9 (263-272: h_DictType,
   HPyList_Insert, HPy_GetSlice/SetSlice/DelSlice, HPy_GetIter, HPyIter_Next,
   HPyIter_Check, HPySlice_New, _HPy_AsStruct_Dict), slot HPy_tp_descr_get
   and HPyType_BuiltinShape_Dict. A module that wants them defines
   HPY_ENABLE_ABI_0_1 before including hpy.h (or with -D); its universal
   binary then requires ABI 0.1, which an HPy 0.9 runtime refuses with its
   version error, instead of calling past the end of its context. Without
   it, modules require 0.0 and those names are not declared. */
#ifdef HPY_ENABLE_ABI_0_1
#  define HPY_ABI_VERSION_MINOR 1
#else
#  define HPY_ABI_VERSION_MINOR 0
#endif

/* The HPy release whose API and ABI these headers implement. */
#define HPY_VERSION "0.9.0"

#endif
