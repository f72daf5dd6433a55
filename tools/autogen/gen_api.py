"""The public API functions: universal (through the context), CPython
(inlined onto the C API) and the declarations of the out-of-line ctx_*."""
from .cgen import HEADER, api_body, by_version, decl_ret, error_value, from_py, returning, to_py


def _is_legacy(func):
    return func.legacy or 'cpy_' in func.ret or any('cpy_' in p.type for p in func.params)


def _signature(func):
    legacy = '_HPY_LEGACY ' if _is_legacy(func) else ''
    noreturn = '_HPy_NO_RETURN ' if func.noreturn else ''
    name = func.name if func.ret.endswith('*') else ' ' + func.name
    return f'HPyAPI_FUNC {legacy}{noreturn}{func.ret}{name}({func.params_decl()})'


# A context member cannot be declared noreturn: should one return all the
# same, the API function must still not return to its caller.
def _noreturn_tail(func):
    return ['    abort();'] if func.noreturn else []


def universal_api(spec):
    out = [HEADER, '/* Universal ABI: every call goes through the context. */', '']
    out += by_version(spec.functions, lambda f: [_signature(f), '{'] + [
        f'    {line}' for line in api_body(f, f"ctx->{f.member}({f.arg_names()})")]
        + _noreturn_tail(f) + ['}', ''])
    return '\n'.join(out) + '\n'


def direct_call(func, ret=None):
    """The C API call of a function that maps directly onto one, giving
    `ret` (by default what the API function returns)."""
    args = ', '.join(to_py(p.type, p.name) for p in func.params)
    return from_py(ret or func.ret, f'{func.cpython}({args})')


# a direct call does not need the context
UNUSED_CTX = ['    (void)ctx;']


def cpython_api(spec):
    def emit(f):
        if f.impl == 'direct':
            body = UNUSED_CTX + [f'    {returning(f.ret, direct_call(f))}']
        else:
            body = [f'    {line}' for line in api_body(f, f"{f.member}({f.arg_names()})")]
        return [_signature(f), '{'] + body + ['}', '']
    out = [HEADER, '/* CPython ABI: every call is inlined onto the C API. */', '']
    # @runtime ones are only meaningful inside the universal runtime
    out += by_version([f for f in spec.functions if f.impl != 'runtime'], emit)
    return '\n'.join(out) + '\n'


def ctx_funcs(spec):
    """Declarations of the out-of-line implementations (hand-written @ctx ones
    and generated @todo ones), shared by the CPython ABI and the runtime."""
    out = [HEADER, '#ifndef HPY_AUTOGEN_CTX_FUNCS_H', '#define HPY_AUTOGEN_CTX_FUNCS_H', '']
    out += by_version([f for f in spec.functions if f.impl in ('ctx', 'todo')], lambda f: [
        f'HPyAPI_IMPL {decl_ret(f.member_ret)}{f.member}({f.params_decl()});'])
    out += ['', '#endif']
    return '\n'.join(out) + '\n'


def todo_stubs(spec):
    """ctx_* for the functions not implemented yet: they fail loudly, naming
    themselves, instead of crashing."""
    out = [HEADER, '#include "hpy_runtime_base.h"', '']
    for f in spec.functions:
        if f.impl != 'todo':
            continue
        out.append(f'HPyAPI_IMPL {decl_ret(f.member_ret)}{f.member}({f.params_decl()})')
        out.append('{')
        out += ['    (void)ctx;'] + [f'    (void){p.name};' for p in f.params]
        out.append(f'    PyErr_SetString(PyExc_SystemError, "{f.name} is not implemented yet in hpy_build");')
        value = error_value(f.member_ret)
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
            out += [f'static {decl_ret(f.member_ret)}{f.member}({f.params_decl()})',
                    '{'] + UNUSED_CTX + [f'    {returning(f.member_ret, direct_call(f, f.member_ret))}', '}', '']
    out += ['void hpy_runtime_fill_context(HPyContext *ctx)', '{']
    out += ['#include "autogen/handle_inits.inc"']
    out += [f'    ctx->{f.member} = {f.member};' for f in spec.functions]
    out += ['}']
    return '\n'.join(out) + '\n'
