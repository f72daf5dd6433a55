"""python -m tools.autogen [--check]: regenerate every output of api/hpy.api."""
import sys

from . import gen_api, gen_context, gen_debug, gen_hpyfunc, gen_trace
from .spec import ROOT, SpecError, parse

OUTPUTS = {
    'include/hpy/autogen/ctx_universal.h': gen_context.universal_struct,
    'include/hpy/autogen/ctx_cpython.h': gen_context.cpython_struct,
    'include/hpy/autogen/api_universal.h': gen_api.universal_api,
    'include/hpy/autogen/api_cpython.h': gen_api.cpython_api,
    'include/hpy/autogen/ctx_funcs.h': gen_api.ctx_funcs,
    'include/hpy/autogen/hpyfunc_decls.h': gen_hpyfunc.declarations,
    'include/hpy/autogen/hpyslot.h': gen_hpyfunc.slots,
    'include/hpy/autogen/hpyfunc_trampolines_universal.h': gen_hpyfunc.universal_trampolines,
    'include/hpy/autogen/hpyfunc_trampolines_cpython.h': gen_hpyfunc.cpython_trampolines,
    'runtime/autogen/ctx_table.c': gen_api.runtime_table,
    'runtime/autogen/ctx_cpython.c': gen_context.cpython_context,
    'runtime/autogen/handle_inits.inc': gen_context.handle_inits,
    'runtime/autogen/ctx_todo.c': gen_api.todo_stubs,
    'runtime/autogen/dispatch_cases.inc': gen_hpyfunc.runtime_dispatch,
    'runtime/autogen/slot_names.inc': gen_hpyfunc.slot_names,
    'runtime/autogen/debug_ctx_table.c': gen_debug.context_table,
    'runtime/autogen/debug_dispatch_cases.inc': gen_debug.dispatch_cases,
    'runtime/autogen/trace_ctx_table.c': gen_trace.context_table,
    'runtime/autogen/trace_nmembers.h': gen_trace.member_count,
}


def generate():
    spec = parse()
    return {path: make(spec) for path, make in OUTPUTS.items()}


def main(argv):
    check = '--check' in argv
    try:
        outputs = generate()
    except SpecError as e:
        print(f'api/hpy.api: {e}', file=sys.stderr)
        return 1
    stale = []
    for path, text in outputs.items():
        target = ROOT / path
        if target.exists() and target.read_text() == text:
            continue
        stale.append(path)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    if check and stale:
        print('out of date (run `python -m tools.autogen`):\n  ' + '\n  '.join(stale), file=sys.stderr)
        return 1
    for path in ([] if check else stale):
        print(f'wrote {path}')
    return 0


sys.exit(main(sys.argv[1:]))
