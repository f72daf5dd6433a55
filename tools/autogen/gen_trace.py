"""The trace context (runtime/trace/): a wrapper for every context function
that counts its calls, accumulates the time spent in it and calls the
on_enter/on_exit trace functions. Handles pass through unchanged (the trace
context shares the universal context's handles), so every spec line gets
the same generic wrapper; only the trampoline entry is hand-written."""
from .cgen import HEADER
from .spec import c_join


def _decl(ret, name, params):
    return f'{ret}{"" if ret.endswith("*") else " "}{name}({params})'


def _wrapper(f):
    # locals start with '_': they cannot clash with a parameter of the spec
    call = f'_info->uctx->{f.member}({", ".join(["_info->uctx"] + [p.name for p in f.params])})'
    ret = f.member_ret      # what the context member returns (HPy 0.9's ABI)
    out = [f'static {_decl(ret, "trace_" + f.member, f.params_decl("HPyContext *tctx"))}', '{',
           f'    HPyTraceInfo *_info = hpy_trace_enter(tctx, {f.index});',
           '    HPyTraceTime _start = hpy_trace_now();']
    if ret == 'void':
        out.append(f'    {call};')
    else:
        out.append(f'    {c_join(ret, "_result")} = {call};')
    out.append(f'    hpy_trace_exit(_info, {f.index}, _start);')
    if ret != 'void':
        out.append('    return _result;')
    return out + ['}', '']


def context_table(spec):
    """runtime/autogen/trace_ctx_table.c: the wrappers, the member names by
    index and the function that fills in the trace context."""
    out = [HEADER, '#include "trace/trace_internal.h"', '',
           '/* The name of each context function by member index ("" for handles). */',
           'const char *const hpy_trace_names[HPY_TRACE_NMEMBERS] = {']
    functions = {f.index for f in spec.functions}
    out += [f'    "{m.member if m.index in functions else ""}",' for m in spec.members]
    out += ['};', '']
    for f in spec.functions:
        if f.impl != 'runtime':
            out += _wrapper(f)
    out += ['void hpy_trace_fill_context(HPyContext *tctx, HPyContext *uctx)', '{']
    out += [f'    tctx->{h.member} = uctx->{h.member};' for h in spec.handles]
    for f in spec.functions:
        target = 'trace_ctx_CallRealFunctionFromTrampoline' if f.impl == 'runtime' else f'trace_{f.member}'
        out.append(f'    tctx->{f.member} = {target};')
    out += ['}']
    return '\n'.join(out) + '\n'


def member_count(spec):
    """runtime/autogen/trace_nmembers.h: the size of the trace tables."""
    return HEADER + f'#define HPY_TRACE_NMEMBERS {len(spec.members)}\n'
