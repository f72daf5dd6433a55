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
    assert [m.index for m in spec.members] == list(range(263))
    assert len(spec.handles) == 83
    assert len(spec.functions) == 180
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
    inline = _defined_functions([ROOT / 'include/hpy/cpython/ctx_inline.h'])
    out_of_line = _defined_functions(sorted((ROOT / 'runtime/ctx').glob('*.c')))
    for f in spec.functions:
        if f.impl == 'inline':
            assert f.member in inline, f'{f.name} is @inline but ctx_inline.h lacks {f.member}'
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
