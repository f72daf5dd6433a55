#ifndef HPY_RUNTIME_CTX_TRAVERSE_H
#define HPY_RUNTIME_CTX_TRAVERSE_H

_HPy_HIDDEN int _HPy_CallTraverse(HPyFunc_traverseproc traverse, PyObject *self,
                                  visitproc visit, void *arg);

#endif
