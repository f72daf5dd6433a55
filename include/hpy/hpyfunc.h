/* HPyFunc: the signatures of the C functions an extension gives to HPy, and
   the trampolines that let CPython call them. */
#ifndef HPY_HPYFUNC_H
#define HPY_HPYFUNC_H

/* The buffer protocol, with a handle where CPython has a PyObject *. */
typedef struct {
    void *buf;
    HPy obj;        /* owned */
    HPy_ssize_t len;
    HPy_ssize_t itemsize;
    int readonly;
    int ndim;
    char *format;
    HPy_ssize_t *shape;
    HPy_ssize_t *strides;
    HPy_ssize_t *suboffsets;
    void *internal;
} HPy_buffer;

typedef int (*HPyFunc_visitproc)(HPyField *, void *);

/* For tp_traverse implementations: visit one field, stop on non-zero. */
#define HPy_VISIT(hpyfield)                                   \
    do {                                                      \
        if (!HPyField_IsNull(*(hpyfield))) {                  \
            int _hpy_vret = visit((hpyfield), arg);           \
            if (_hpy_vret)                                    \
                return _hpy_vret;                             \
        }                                                     \
    } while (0)

/* How an implementation (the function behind an HPyDef) is declared. In
   the CPython ABI, inline: it then melts into its trampoline, a call less
   (where its address is taken, a copy stays). In the universal ABI, the
   trampoline calls it directly under hpy_build's runtime and passes its
   address otherwise: not inline, the compiler puts it there only where that
   costs little, so that a large function is not in the module twice. */
#ifdef HPY_ABI_CPYTHON
#  define _HPyFunc_IMPL_STORAGE static inline
#else
#  define _HPyFunc_IMPL_STORAGE static
#endif

/* The enum HPyFunc_Signature, the HPyFunc_<sig> typedefs and the
   _HPyFunc_DECLARE_<SIG> macros. */
#include "hpy/autogen/hpyfunc_decls.h"

/* HPyFunc_DECLARE(SYM, SIG): forward-declare SYM with signature SIG. The enum
   turns a misspelt SIG into a readable compile error. */
#define HPyFunc_DECLARE(SYM, SIG) \
    enum { SYM##_sig = SIG };     \
    _HPyFunc_DECLARE_##SIG(SYM)

/* HPyFunc_TRAMPOLINE(SYM, IMPL, SIG): emit SYM, a function with the CPython
   calling convention of SIG that calls IMPL. */
#define HPyFunc_TRAMPOLINE(SYM, IMPL, SIG) \
    enum { SYM##_sig = SIG };              \
    _HPyFunc_TRAMPOLINE_##SIG(SYM, IMPL)

/* The visit adaptor of the HPy_tp_traverse trampolines (field walkers) of
   both ABIs: HPy's visit takes the field, CPython's the object, which the
   field holds (in the CPython ABI, and in hpy_build's universal runtime). */
typedef struct {
    cpy_visitproc visit;
    void *arg;
} _HPyCPyVisit;

_HPy_UNUSED static inline int _HPy_VisitFieldObject(HPyField *field, void *arg)
{
    cpy_PyObject *obj = (cpy_PyObject *)field->_i;
    return obj != NULL ? ((_HPyCPyVisit *)arg)->visit(obj, ((_HPyCPyVisit *)arg)->arg) : 0;
}

#ifdef HPY_ABI_CPYTHON
#  include "hpy/cpython/hpyfunc_trampolines.h"
#  include "hpy/autogen/hpyfunc_trampolines_cpython.h"
#else
#  include "hpy/universal/hpyfunc_trampolines.h"
#  include "hpy/autogen/hpyfunc_trampolines_universal.h"
#endif

#endif /* HPY_HPYFUNC_H */
