#ifndef HPY_RUNTIME_CTX_TRAVERSE_H
#define HPY_RUNTIME_CTX_TRAVERSE_H

_HPy_HIDDEN int _HPy_CallTraverse(HPyFunc_traverseproc traverse, PyObject *self,
                                  visitproc visit, void *arg);

/* tp_traverse of the types with HPy_tp_traverse: the nearest HPy level's
   function, called without a trampoline (the runtime has it: its record). */
_HPy_HIDDEN int _HPyType_Traverse(PyObject *self, visitproc visit, void *arg);

#endif
