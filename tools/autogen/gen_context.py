"""The HPyContext structs of both ABIs and the code that fills in their handles."""
from .cgen import HEADER, by_version, c_join_member


def handle_inits(spec):
    """C statements storing every constant handle into `ctx`, for both
    CPython contexts (the CPython-ABI one and the universal runtime's)."""
    return HEADER + ''.join(f'ctx->{h.member} = _py2h((PyObject *)({h.cpython}));\n'
                            for h in spec.handles)


def universal_struct(spec):
    out = [HEADER, '/* The universal HPyContext: its layout is the universal ABI. */',
           'struct _HPyContext_s {',
           '    const char *name;    /* which runtime made it: for debugging and tests */',
           '    void *_private;      /* the runtime\'s own data */',
           '    int abi_version;']
    out += by_version(spec.members, lambda m: [
        f'    {c_join_member(m)};' if hasattr(m, 'params') else f'    HPy {m.member};'])
    out.append('};')
    return '\n'.join(out) + '\n'


def cpython_struct(spec):
    """CPython ABI: no function pointers, only the constant handles. One
    context per extension, in its helper library, filled in by its PyInit_
    (the C API objects are not link-time constants)."""
    out = [HEADER, 'struct _HPyContext_s {', '    const char *name;', '    int abi_version;']
    # Without the later handles a module still sees the helper library's
    # layout (which has them all): their places are kept, unnamed.
    out += by_version(spec.handles, lambda h: [f'    HPy {h.member};'],
                      hidden=lambda h: [f'    HPy _reserved_{h.member};'])
    out += ['};', '',
            'extern _HPy_HIDDEN struct _HPyContext_s _hpy_cpython_ctx;',
            '_HPy_HIDDEN void _hpy_cpython_ctx_init(void);', '',
            'HPyAPI_FUNC HPyContext *_HPyGetContext(void)', '{',
            '    return &_hpy_cpython_ctx;', '}']
    return '\n'.join(out) + '\n'


def cpython_context(spec):
    """The CPython-ABI context of one extension (in its helper library)."""
    out = [HEADER, '#include "hpy_runtime_base.h"', '',
           'struct _HPyContext_s _hpy_cpython_ctx;', '',
           'void _hpy_cpython_ctx_init(void)', '{',
           '    HPyContext *ctx = &_hpy_cpython_ctx;',
           '    if (ctx->name != NULL)',
           '        return;',
           '#include "autogen/handle_inits.inc"']
    out += ['    ctx->abi_version = HPY_ABI_VERSION;',
            '    ctx->name = "HPy CPython ABI";', '}']
    return '\n'.join(out) + '\n'
