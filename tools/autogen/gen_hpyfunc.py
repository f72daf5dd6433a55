"""HPyFunc signatures and slots: the enums, the typedefs, the DECLARE macros,
the CPython-level trampolines of both ABIs and the runtime's dispatch."""
from .cgen import HEADER, by_version, cpy_type, from_py, macro, returning, to_py


def _impl_params(sig):
    return ', '.join(p.decl for p in sig.params)


def _args(sig):
    """The parameters after the context, which the trampolines carry."""
    return [p for p in sig.params if p.type != 'HPyContext *']


def _cpy_params(sig):
    params = [f'{cpy_type(p.type)}{"" if cpy_type(p.type).endswith("*") else " "}{p.name}'
              for p in _args(sig)]
    if sig.name == 'NOARGS':
        # CPython calls METH_NOARGS functions with a second, NULL argument
        params.append('cpy_PyObject *_unused')
    return ', '.join(params)


def _cpy_ret(sig):
    return cpy_type(sig.ret)


def declarations(spec):
    out = [HEADER, 'typedef enum {']
    out += [f'    {s.enum} = {s.value},' for s in spec.hpyfuncs]
    out += ['} HPyFunc_Signature;', '']
    out += [f'typedef {s.ret} (*{s.typedef})({_impl_params(s)});' for s in spec.hpyfuncs]
    out.append('')
    # _HPyFunc_IMPL_STORAGE: see hpy/hpyfunc.h
    out += [f'#define _HPyFunc_DECLARE_{s.enum}(SYM) _HPyFunc_IMPL_STORAGE {s.ret} SYM({_impl_params(s)})'
            for s in spec.hpyfuncs]
    return '\n'.join(out) + '\n'


def slots(spec):
    out = [HEADER, 'typedef enum {']
    out += by_version(spec.slots, lambda s: [f'    {s.name} = {s.number},'])
    out += ['} HPySlot_Slot;', '']
    out += by_version(spec.slots, lambda s: [f'#define _HPySlot_SIG__{s.name} HPyFunc_{s.sig}'])
    return '\n'.join(out) + '\n'


def _generic(spec):
    return [s for s in spec.hpyfuncs if not s.manual]


def universal_trampolines(spec):
    """Each trampoline packs its C arguments into a struct and hands it to the
    runtime, which turns them into handles and calls the implementation; or,
    where the context says handles are object pointers, calls it itself."""
    out = [HEADER]
    for s in _generic(spec):
        fields = [f'    {cpy_type(p.type)}{"" if cpy_type(p.type).endswith("*") else " "}{p.name};'
                  for p in _args(s)]
        if s.ret != 'void':
            fields.append(f'    {_cpy_ret(s)}{"" if _cpy_ret(s).endswith("*") else " "}result;')
        out += ['typedef struct {'] + fields + [f'}} _HPyFunc_args_{s.name};', '']
        # every field initialised: the result starts null/0 for error paths
        names = ', '.join([p.name for p in _args(s)] + (['0'] if s.ret != 'void' else []))
        body = [f'#define _HPyFunc_TRAMPOLINE_{s.enum}(SYM, IMPL)',
                f'    static {_cpy_ret(s)} SYM({_cpy_params(s)})',
                '    {']
        if s.name == 'NOARGS':
            body.append('        (void)_unused;')
        # the direct call where the context has the mark (hpyfunc_trampolines.h)
        direct_args = ', '.join(['_ctx_for_trampolines'] + [
            f'_HPY_DIRECT_H({p.name})' if p.type == 'HPy' else p.name for p in _args(s)])
        direct = f'IMPL({direct_args})'
        if s.ret == 'HPy':
            direct = f'_HPY_DIRECT_PY({direct})'
        body += ['        if (_HPY_DIRECT_CALLS()) {',
                 f'            {direct};' if s.ret == 'void' else f'            return {direct};']
        if s.ret == 'void':
            body.append('            return;')
        body += ['        }',
                 f'        _HPyFunc_args_{s.name} a = {{ {names} }};',
                 '        _HPy_CallRealFunctionFromTrampoline(',
                 f'            _ctx_for_trampolines, {s.enum}, _HPy_FUNC_CAST(HPyCFunction, IMPL), &a);',
                 '        return' + ('' if s.ret == 'void' else ' a.result') + ';',
                 '    }']
        out += [macro(body), '']
    return '\n'.join(out)


def cpython_trampolines(spec):
    """CPython ABI: handles are PyObject *, so a trampoline is a direct call."""
    out = [HEADER]
    for s in _generic(spec):
        call_args = ', '.join(['_HPyGetContext()'] + [from_py(p.type, p.name) for p in _args(s)])
        call = to_py(s.ret, f'(({s.typedef})IMPL)({call_args})')
        body = [f'#define _HPyFunc_TRAMPOLINE_{s.enum}(SYM, IMPL)',
                f'    static {_cpy_ret(s)} SYM({_cpy_params(s)})',
                '    {']
        if s.name == 'NOARGS':
            body.append('        (void)_unused;')
        body += [f'        {returning(s.ret, call)}', '    }']
        out += [macro(body), '']
    return '\n'.join(out)


def runtime_dispatch(spec):
    """The switch cases of ctx_CallRealFunctionFromTrampoline for the
    generated trampolines (the @manual ones are handled by hand)."""
    out = [HEADER]
    for s in _generic(spec):
        call_args = ', '.join(['ctx'] + [from_py(p.type, f'a->{p.name}') for p in _args(s)])
        call = to_py(s.ret, f'_HPy_FUNC_CAST({s.typedef}, func)({call_args})')
        out += [f'case {s.enum}: {{',
                f'    _HPyFunc_args_{s.name} *a = (_HPyFunc_args_{s.name} *)args;',
                f'    {call};' if s.ret == 'void' else f'    a->result = {call};',
                '    return;', '}']
    return '\n'.join(out) + '\n'


def slot_names(spec):
    """The cases of a switch on HPySlot_Slot that name each slot: the runtime
    uses it to refuse numbers that are not HPy slots and to name them."""
    out = [HEADER]
    out += [f'case {s.name}: return "{s.name}";' for s in spec.slots]
    return '\n'.join(out) + '\n'
