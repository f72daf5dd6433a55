#ifndef HPY_RUNTIME_CTX_TRAVERSE_H
#define HPY_RUNTIME_CTX_TRAVERSE_H

#include "ctx/type_info.h"

#if !defined(HPY_ABI_CPYTHON)
/* What _HPy_CallRealFunctionFromTrampoline calls for a traverse
   trampoline that is not a field walker (HPy 0.9's, an older hpy_build's):
   the traverse of `self`'s nearest HPy level. (Universal runtime only.) */
_HPy_HIDDEN int _HPy_CallTraverse(HPyFunc_traverseproc traverse, PyObject *self,
                                  visitproc visit, void *arg);
#endif

/* tp_traverse of the types with HPy_tp_traverse: the field walker of the
   instance's type, else the nearest HPy level's function through an
   adaptor. */
_HPy_HIDDEN int _HPyType_Traverse(PyObject *self, visitproc visit, void *arg);

/* The trampoline of an HPy_tp_traverse slot as a field walker, or NULL if
   it is not one (a universal module built by HPy 0.9 or an older
   hpy_build). */
_HPy_HIDDEN _HPyFieldWalker _HPyType_FieldWalker(HPySlot *traverse);

#endif
