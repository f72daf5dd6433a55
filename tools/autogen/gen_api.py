"""The public API functions: universal (through the context), CPython
(inlined onto the C API) and the declarations of the out-of-line ctx_*."""
from .cgen import HEADER, error_value, from_py, returning, to_py


def _is_legacy(func):
    return func.legacy or 'cpy_' in func.ret or any('cpy_' in p.type for p in func.params)


def _signature(func):
    legacy = '_HPY_LEGACY ' if _is_legacy(func) else ''
    name = func.name if func.ret.endswith('*') else ' ' + func.name
    return f'HPyAPI_FUNC {legacy}{func.ret}{name}({func.params_decl()})'


def universal_api(spec):
    out = [HEADER, '/* Universal ABI: every call goes through the context. */', '']
    for f in spec.functions:
        out += [_signature(f), '{',
                f'    {returning(f.ret, f"ctx->{f.member}({f.arg_names()})")}', '}', '']
    return '\n'.join(out)


def direct_call(func):
    """The C API call of a function that maps directly onto one."""
    args = ', '.join(to_py(p.type, p.name) for p in func.params)
    return from_py(func.ret, f'{func.cpython}({args})')


# a direct call does not need the context
UNUSED_CTX = ['    (void)ctx;']


def cpython_api(spec):
    out = [HEADER, '/* CPython ABI: every call is inlined onto the C API. */', '']
    for f in spec.functions:
        if f.impl == 'runtime':
            continue   # only meaningful inside the universal runtime
        if f.impl == 'direct':
            body = UNUSED_CTX + [f'    {returning(f.ret, direct_call(f))}']
        else:
            body = [f'    {returning(f.ret, f"{f.member}({f.arg_names()})")}']
        out += [_signature(f), '{'] + body + ['}', '']
    return '\n'.join(out)


def ctx_funcs(spec):
    """Declarations of the out-of-line implementations (hand-written @ctx ones
    and generated @todo ones), shared by the CPython ABI and the runtime."""
    out = [HEADER, '#ifndef HPY_AUTOGEN_CTX_FUNCS_H', '#define HPY_AUTOGEN_CTX_FUNCS_H', '']
    for f in spec.functions:
        if f.impl in ('ctx', 'todo'):
            out.append(f'HPyAPI_IMPL {f.ret}{"" if f.ret.endswith("*") else " "}'
                       f'{f.member}({f.params_decl()});')
    out += ['', '#endif']
    return '\n'.join(out) + '\n'


def todo_stubs(spec):
    """ctx_* for the functions not implemented yet: they fail loudly, naming
    themselves, instead of crashing."""
    out = [HEADER, '#include "hpy_runtime_base.h"', '']
    for f in spec.functions:
        if f.impl != 'todo':
            continue
        out.append(f'HPyAPI_IMPL {f.ret}{"" if f.ret.endswith("*") else " "}'
                   f'{f.member}({f.params_decl()})')
        out.append('{')
        out += ['    (void)ctx;'] + [f'    (void){p.name};' for p in f.params]
        out.append(f'    PyErr_SetString(PyExc_SystemError, "{f.name} is not implemented yet in hpy_build");')
        value = error_value(f.ret)
        if value is not None:
            out.append(f'    return {value};')
        out += ['}', '']
    return '\n'.join(out)


def runtime_table(spec):
    """The universal runtime's context: direct functions implemented here,
    the others taken from ctx_inline.h, runtime/ctx/ and the runtime."""
    out = [HEADER, '#include "universal/context.h"', '#include "hpy/cpython/ctx_inline.h"', '']
    for f in spec.functions:
        if f.impl == 'direct':
            out += [f'static {f.ret}{"" if f.ret.endswith("*") else " "}{f.member}({f.params_decl()})',
                    '{'] + UNUSED_CTX + [f'    {returning(f.ret, direct_call(f))}', '}', '']
    out += ['void hpy_runtime_fill_context(HPyContext *ctx)', '{']
    out += ['#include "autogen/handle_inits.inc"']
    out += [f'    ctx->{f.member} = {f.member};' for f in spec.functions]
    out += ['}']
    return '\n'.join(out) + '\n'
