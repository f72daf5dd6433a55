"""The debug context (runtime/debug/): a wrapper for every context function
and the trampoline dispatch of the generic HPyFunc signatures.

A generated wrapper checks that its context is valid, turns each debug
handle argument into the universal handle it wraps, calls the universal
context and opens a debug handle for an HPy result. Members that need more
(closing, arrays of handles, builders, raw data, type checks) are written by
hand in runtime/debug/*.c as `debug_ctx_<Member>`; the generator finds them
there and only declares them. A member with an argument it cannot convert
and no hand-written wrapper gets a wrapper that raises SystemError naming
itself, so that every spec line has a debug wrapper."""
import re

from .cgen import HEADER, error_value
from .spec import ROOT

DEBUG_DIR = ROOT / 'runtime' / 'debug'

# Types that carry handles in a way a generic wrapper cannot convert.
_OPAQUE = ('HPyListBuilder', 'HPyTupleBuilder', 'HPyTracker')


def hand_written(directory=DEBUG_DIR):
    """The members with a hand-written debug_ctx_<Member> in runtime/debug/."""
    text = ''.join(p.read_text() for p in sorted(directory.glob('*.c')))
    return set(re.findall(r'^[\w ]+?\**\s*\bdebug_(ctx_\w+)\(HPyContext \*dctx', text, re.M))


def _convertible(ctype):
    """Whether a generic wrapper can pass a value of `ctype` on."""
    if ctype in _OPAQUE:
        return False
    # a pointer to handles (an array, an out-parameter, a struct of them):
    # whether it is read or written is not in the spec
    return not re.match(r'^(const )?(HPy|HPyType_SpecParam) \*', ctype)


def _decl(ret, name, params):
    return f'{ret}{"" if ret.endswith("*") else " "}{name}({params})'


# _HPy_AsStruct_<Shape>: the shape check of debug_structs.c, given the shape.
_AS_STRUCT = re.compile(r'^_HPy_AsStruct_(\w+)$')


def _wrapper(f):
    name = f'debug_{f.member}'
    ret = f.member_ret      # what the context member returns (HPy 0.9's ABI)
    shape = _AS_STRUCT.match(f.name)
    if shape:
        return [f'static {_decl(ret, name, f.params_decl("HPyContext *dctx"))}', '{',
                f'    return hpy_debug_as_struct(dctx, {f.params[0].name}, '
                f'HPyType_BuiltinShape_{shape.group(1)});', '}', '']
    # locals start with '_': they cannot clash with a parameter of the spec
    head = [f'static {_decl(ret, name, f.params_decl("HPyContext *dctx"))}', '{',
            f'    HPyDebugInfo *_info = hpy_debug_enter(dctx, "{f.name}");']
    if not all(_convertible(p.type) for p in f.params) or not _convertible(ret):
        body = [f'    (void){p.name};' for p in f.params] + [
            '    (void)_info;',
            f'    hpy_debug_unsupported("{f.name}");']
        value = error_value(ret)
        if value is not None:
            body.append(f'    return {value};')
        return head + body + ['}', '']
    body, args = [], []
    for p in f.params:
        if p.type == 'HPy':
            body.append(f'    HPy _u_{p.name} = hpy_debug_unwrap(_info, {p.name}, "{f.name}");')
            args.append(f'_u_{p.name}')
        else:
            args.append(p.name)
    call = f'_info->uctx->{f.member}({", ".join(["_info->uctx"] + args)})'
    if ret == 'void':
        body.append(f'    {call};')
    elif ret == 'HPy':
        body.append(f'    return hpy_debug_open(_info, {call}, "{f.name}");')
    else:
        body.append(f'    return {call};')
    return head + body + ['}', '']


def context_table(spec):
    """runtime/autogen/debug_ctx_table.c: the wrappers and the function that
    fills in a debug context."""
    manual = hand_written()
    out = [HEADER, '#include "debug/debug_internal.h"', '']
    for f in spec.functions:
        if f.member in manual:
            out.append(f'_HPy_HIDDEN {_decl(f.member_ret, "debug_" + f.member, f.params_decl("HPyContext *dctx"))};')
    out.append('')
    for f in spec.functions:
        if f.member not in manual:
            out += _wrapper(f)
    out += ['/* The functions of a debug context; its handles are filled in by',
            '   hpy_debug_open_constants(). */',
            'void hpy_debug_fill_functions(HPyContext *dctx)', '{']
    out += [f'    dctx->{f.member} = debug_{f.member};' for f in spec.functions]
    out += ['}', '',
            '/* Every constant handle of the universal context, opened once as an',
            '   immortal debug handle. */',
            'void hpy_debug_open_constants(HPyDebugInfo *info, HPyContext *dctx)', '{']
    out += [f'    dctx->{h.member} = hpy_debug_open_immortal(info, info->uctx->{h.member}, '
            f'"ctx->{h.member}");' for h in spec.handles]
    out += ['}']
    return '\n'.join(out) + '\n'


# Signatures whose HPy_NULL without an exception is not an error: the end.
_NULL_IS_END = {'ITERNEXTFUNC'}
# Hashes (see hpy_debug_status): any value, -1 an error only with an
# exception set; for the other int-like results every negative value is one.
_HASHES = {'HASHFUNC'}


def _args(sig):
    return [p for p in sig.params if p.type != 'HPyContext *']


def dispatch_cases(spec):
    """runtime/autogen/debug_dispatch_cases.inc: the switch cases of
    debug_ctx_CallRealFunctionFromTrampoline for the generated trampolines:
    every PyObject * argument becomes a debug handle for the duration of the
    call, a handle result is handed back to CPython, and each result is
    checked against the error protocol (debug_results.c)."""
    out = [HEADER]
    for s in spec.hpyfuncs:
        if s.manual:
            continue
        args = _args(s)
        out += [f'case {s.enum}: {{',
                f'    _HPyFunc_args_{s.name} *a = (_HPyFunc_args_{s.name} *)args;']
        call_args = []
        for p in args:
            if p.type == 'HPy':
                out.append(f'    DebugHandle *d_{p.name} = hpy_debug_open_arg(info, a->{p.name});')
                call_args.append(f'hpy_debug_arg(info, d_{p.name})')
            else:
                call_args.append(f'a->{p.name}')
        out.append('    HPyContext *saved, *c = hpy_debug_call_begin(info, &saved);')
        call = f'_HPy_FUNC_CAST({s.typedef}, func)({", ".join(["c"] + call_args)})'
        if s.ret == 'void':
            out.append(f'    {call};')
        elif s.ret == 'HPy':
            out.append(f'    HPy d_result = {call};')
        else:
            out.append(f'    a->result = {call};')
        out.append('    hpy_debug_call_end(info, c, saved);')
        # the result first: it may be an argument returned without HPy_Dup
        if s.ret == 'HPy':
            check = 'hpy_debug_result_or_end' if s.name in _NULL_IS_END else 'hpy_debug_result'
            out.append(f'    a->result = _h2py({check}(info, d_result, "{s.enum}"));')
        elif s.ret != 'void':
            is_hash = 'true' if s.name in _HASHES else 'false'
            out.append(f'    a->result = ({s.ret})hpy_debug_status(a->result, {is_hash}, '
                       f'"{s.enum}");')
        for p in args:
            if p.type == 'HPy':
                out.append(f'    hpy_debug_close_arg(info, d_{p.name});')
        out += ['    return;', '}']
    return '\n'.join(out) + '\n'
