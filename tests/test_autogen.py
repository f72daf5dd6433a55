"""The API spec and the files generated from it."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # for tools.autogen, after the installed packages
from tools.autogen import spec as api_spec  # noqa: E402


@pytest.fixture(scope='module')
def spec():
    return api_spec.parse()


def test_generated_files_are_current():
    proc = subprocess.run([sys.executable, '-m', 'tools.autogen', '--check'],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_context_is_hpy_0_9s(spec):
    # HPy 0.9's context: 263 members after name/_private/abi_version.
    hpy09 = [m for m in spec.members if m.since == 0]
    assert [m.index for m in hpy09] == list(range(263))
    assert len([h for h in spec.handles if h.since == 0]) == 83
    assert len([f for f in spec.functions if f.since == 0]) == 180
    assert spec.members[0].name == 'None'
    assert spec.members[77].member == 'ctx_Dup'
    assert spec.members[262].member == 'ctx_CallMethod'


def test_hpyfunc_and_slot_numbers(spec):
    values = {s.name: s.value for s in spec.hpyfuncs}
    assert values['VARARGS'] == 1 and values['O'] == 4 and values['MOD_CREATE'] == 39
    slots = {s.name: s.number for s in spec.slots}
    assert slots['HPy_nb_add'] == 7 and slots['HPy_mod_exec'] == 2001


def _defined_functions(paths):
    text = ''.join(p.read_text() for p in paths)
    return set(re.findall(r'^[\w ]+?\**\s*\b(ctx_\w+)\(HPyContext \*ctx', text, re.M))


def test_every_hand_written_function_exists(spec):
    ctx_inline = ROOT / 'include/hpy/cpython/ctx_inline.h'
    included = re.findall(r'^#include "(hpy/cpython/\w+\.h)"', ctx_inline.read_text(), re.M)
    inline = _defined_functions([ctx_inline, *(ROOT / 'include' / h for h in included)])
    out_of_line = _defined_functions(sorted((ROOT / 'runtime/ctx').glob('*.c')))
    for f in spec.functions:
        if f.impl == 'inline':
            assert f.member in inline, f'{f.name} is @inline but ctx_inline.h and its headers lack {f.member}'
        if f.impl == 'ctx':
            assert f.member in out_of_line, f'{f.name} is @ctx but runtime/ctx/ lacks {f.member}'
    declared = {f.member for f in spec.functions if f.impl in ('inline', 'ctx')}
    assert inline | out_of_line <= declared, 'a hand-written ctx_ function is not in api/hpy.api'


def test_bad_spec_is_refused(tmp_path):
    bad = tmp_path / 'bad.api'
    bad.write_text('[context]\n1 handle None = Py_None\n')
    with pytest.raises(api_spec.SpecError, match='position 0'):
        api_spec.parse(bad)
    bad.write_text('[context]\n0 HPy HPy_Dup(HPy h) @maybe\n')
    with pytest.raises(api_spec.SpecError, match='marker'):
        api_spec.parse(bad)


# The members HPy's development sources append after 0.9 (hpy/tools/autogen/
# public_api.h there, HPy_ID 263-272), in their order: ABI 0.1 here.
LATER_MEMBERS = ['h_DictType', 'ctx_AsStruct_Dict', 'ctx_List_Insert', 'ctx_GetSlice',
                 'ctx_SetSlice', 'ctx_DelSlice', 'ctx_GetIter', 'ctx_Iter_Next',
                 'ctx_Iter_Check', 'ctx_Slice_New']


def test_later_members_follow_hpy_0_9s(spec):
    later = [m for m in spec.members if m.since > 0]
    assert [m.index for m in later] == list(range(263, 273))
    assert [m.member for m in later] == LATER_MEMBERS
    assert {m.since for m in later} == {1}
    assert spec.abi_minor == 1
    slots = {s.name: (s.number, s.sig, s.since) for s in spec.slots}
    assert slots['HPy_tp_descr_get'] == (54, 'TERNARYFUNC', 1)
    assert {s.since for s in spec.slots if s.name != 'HPy_tp_descr_get'} == {0}


def test_later_members_are_only_appended(tmp_path):
    bad = tmp_path / 'bad.api'
    bad.write_text('[context]\n0 handle None = Py_None since 0.1\n1 handle True = Py_True\n')
    with pytest.raises(api_spec.SpecError, match='go at the end'):
        api_spec.parse(bad)
    for since in ('1.0', '0.0'):
        bad.write_text(f'[context]\n0 handle None = Py_None since {since}\n')
        with pytest.raises(api_spec.SpecError, match='later minor version of ABI 0'):
            api_spec.parse(bad)


def test_every_function_has_a_debug_wrapper(spec):
    from tools.autogen import gen_debug
    table = (ROOT / 'runtime/autogen/debug_ctx_table.c').read_text()
    for f in spec.functions:
        assert f'    dctx->{f.member} = debug_{f.member};' in table, f.name
    for h in spec.handles:
        assert f'dctx->{h.member} = hpy_debug_open_immortal(' in table, h.name
    # a hand-written debug wrapper belongs to a member of the spec
    assert gen_debug.hand_written() <= {f.member for f in spec.functions}


def test_debug_generator_takes_any_spec_line(tmp_path):
    from tools.autogen import gen_debug
    new = tmp_path / 'new.api'
    new.write_text('[context]\n'
                   '0 handle None = Py_None\n'
                   '1 HPy HPyNew_Thing(HPy obj, HPy_ssize_t n, const char *s) @todo\n'
                   '2 int HPyNew_Unpack(HPy obj, HPy_ssize_t *start) @todo\n'
                   '3 HPy HPyNew_FromArray(const HPy *items, HPy_ssize_t n) @todo\n'
                   '4 HPyListBuilder HPyNew_Builder(HPy_ssize_t n) @todo\n')
    out = gen_debug.context_table(api_spec.parse(new))
    # handles are unwrapped, other arguments passed on, an HPy result opened
    assert ('HPy _u_obj = hpy_debug_unwrap(_info, obj, "HPyNew_Thing");' in out and
            '_info->uctx->ctx_New_Thing(_info->uctx, _u_obj, n, s)' in out and
            'return hpy_debug_open(_info, _info->uctx->ctx_New_Thing(' in out)
    assert 'return _info->uctx->ctx_New_Unpack(_info->uctx, _u_obj, start);' in out
    # arrays of handles and builders need a hand-written wrapper: until then, SystemError
    assert 'hpy_debug_unsupported("HPyNew_FromArray");\n    return HPy_NULL;' in out
    assert 'hpy_debug_unsupported("HPyNew_Builder");\n    return ((HPyListBuilder){0});' in out
    assert 'dctx->ctx_New_Builder = debug_ctx_New_Builder;' in out


def test_debug_dispatch_handles_every_hand_written_signature():
    # a @manual HPyFunc signature has a hand-written case in the universal
    # dispatch; the debug dispatch needs its own (the generic ones are generated)
    def cases(path):
        return set(re.findall(r'^\s*case (HPyFunc_\w+):', (ROOT / path).read_text(), re.M))
    assert cases('runtime/universal/call_trampoline.c') == cases('runtime/debug/debug_trampoline.c')
