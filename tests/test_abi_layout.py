"""Binary compatibility with HPy 0.9: the universal ABI's structs have the
same layout here as in the headers of the hpy==0.9.0 release (the peer
runtime installed for the tests)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support.compile import CC

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # for tools.autogen, after the installed packages
from tools.autogen import spec as api_spec  # noqa: E402

hpy_devel = pytest.importorskip('hpy.devel', reason='the hpy==0.9.0 peer runtime is not installed')

# struct -> fields whose offsets are part of the universal ABI
STRUCTS = {
    'HPyModuleDef': ['doc', 'size', 'legacy_methods', 'defines', 'globals'],
    'HPyDef': ['kind', 'meth.name', 'meth.impl', 'meth.cpy_trampoline', 'meth.signature',
               'meth.doc', 'slot.slot', 'slot.impl', 'slot.cpy_trampoline', 'member.type',
               'member.offset', 'member.readonly', 'member.doc', 'getset.getter_impl',
               'getset.setter_impl', 'getset.getter_cpy_trampoline',
               'getset.setter_cpy_trampoline', 'getset.doc', 'getset.closure'],
    'HPyType_Spec': ['name', 'basicsize', 'itemsize', 'flags', 'builtin_shape',
                     'legacy_slots', 'defines', 'doc'],
    'HPyType_SpecParam': ['kind', 'object'],
    'HPy_buffer': ['buf', 'obj', 'len', 'itemsize', 'readonly', 'ndim', 'format', 'shape',
                   'strides', 'suboffsets', 'internal'],
    '_HPyFunc_args_VARARGS': ['self', 'args', 'nargs', 'result'],
    '_HPyFunc_args_KEYWORDS': ['self', 'args', 'nargsf', 'kwnames', 'result'],
    '_HPyFunc_args_INITPROC': ['self', 'args', 'kw', 'result'],
    '_HPyFunc_args_NEWFUNC': ['self', 'args', 'kw', 'result'],
    '_HPyFunc_args_RICHCMPFUNC': ['arg0', 'arg1', 'arg2', 'result'],
    '_HPyFunc_args_GETBUFFERPROC': ['self', 'view', 'flags', 'result'],
    '_HPyFunc_args_TRAVERSEPROC': ['self', 'visit', 'arg', 'result'],
}
# Enumerations whose values cross the ABI.
CONSTANTS = ['HPyFunc_VARARGS', 'HPyFunc_KEYWORDS', 'HPyFunc_NOARGS', 'HPyFunc_O',
             'HPyFunc_MOD_CREATE', 'HPyFunc_CAPSULE_DESTRUCTOR', 'HPyFunc_TRAVERSEPROC',
             'HPyDef_Kind_Slot', 'HPyDef_Kind_Meth', 'HPyDef_Kind_Member', 'HPyDef_Kind_GetSet',
             'HPy_mod_create', 'HPy_mod_exec', 'HPy_tp_destroy', 'HPy_nb_add', 'HPy_tp_call',
             'HPyMember_HPYSSIZET', 'HPyType_BuiltinShape_List', 'HPy_SourceKind_Single',
             'HPyCapsule_key_Destructor', 'HPy_GE']


# Added after HPy 0.9 (ABI 0.1), with their values in HPy's development sources.
LATER_CONSTANTS = {'HPy_tp_descr_get': 54, 'HPyType_BuiltinShape_Dict': 7}


def layout_program(later=False):
    """A program printing offsets, sizes and constants: HPy 0.9's, or with
    `later` also those of the members added after it (ABI 0.1)."""
    spec = api_spec.parse()
    lines = ['#include <stdio.h>', '#include <stddef.h>', '#include <hpy.h>', 'int main(void) {',
             'printf("sizeof HPyContext %zu\\n", sizeof(struct _HPyContext_s));',
             'printf("ctx abi_version %zu\\n", offsetof(struct _HPyContext_s, abi_version));']
    for m in spec.members:
        if m.since == 0 or later:
            lines.append(f'printf("ctx {m.member} %zu\\n", offsetof(struct _HPyContext_s, {m.member}));')
    for struct, fields in STRUCTS.items():
        lines.append(f'printf("sizeof {struct} %zu\\n", sizeof({struct}));')
        for field in fields:
            lines.append(f'printf("{struct} {field} %zu\\n", offsetof({struct}, {field}));')
    for const in CONSTANTS + (list(LATER_CONSTANTS) if later else []):
        lines.append(f'printf("{const} %ld\\n", (long){const});')
    lines += ['return 0;', '}']
    return '\n'.join(lines) + '\n'


def layout(include_dirs, tmp_path, tag, later=False):
    src = tmp_path / f'layout_{tag}.c'
    exe = tmp_path / f'layout_{tag}'
    src.write_text(layout_program(later))
    flags = ['-DHPY_ENABLE_ABI_0_1'] if later else []
    subprocess.run([CC, '-DHPY_ABI_UNIVERSAL', *flags, *[f'-I{d}' for d in include_dirs], str(src),
                    '-o', str(exe)], check=True, capture_output=True, text=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return dict(line.rsplit(' ', 1) for line in out.splitlines())


def test_universal_abi_layout_matches_hpy_0_9(tmp_path):
    import hpy_build
    ours = layout([hpy_build.get_include()], tmp_path, 'ours')
    theirs = layout([hpy_devel.HPyDevel().include_dir], tmp_path, 'hpy09')
    assert len(ours) > 300
    differences = {k: (ours[k], theirs.get(k)) for k in ours if ours[k] != theirs.get(k)}
    assert differences == {}


def test_later_members_are_appended_after_hpy_0_9s(tmp_path):
    import hpy_build
    later = layout([hpy_build.get_include()], tmp_path, 'later', later=True)
    theirs = layout([hpy_devel.HPyDevel().include_dir], tmp_path, 'hpy09')
    # everything HPy 0.9 has stays where it is...
    common = {k: v for k, v in later.items() if k in theirs and k != 'sizeof HPyContext'}
    assert len(common) > 300
    assert {k: (v, theirs[k]) for k, v in common.items() if v != theirs[k]} == {}
    # ...and each later member takes the next pointer-sized place after them
    spec = api_spec.parse()
    size = int(theirs['sizeof HPyContext'])
    new = [m for m in spec.members if m.since > 0]
    assert [m.index for m in new] == list(range(263, 263 + len(new)))
    pointer = int(theirs['ctx ctx_CallMethod']) - int(theirs['ctx ctx_Call'])
    for i, m in enumerate(new):
        assert int(later[f'ctx {m.member}']) == size + i * pointer, m.member
    assert int(later['sizeof HPyContext']) == size + len(new) * pointer
    assert {k: int(later[k]) for k in LATER_CONSTANTS} == LATER_CONSTANTS


def _member_types(header_text):
    """{member: (return type, [parameter types])} of a context struct."""
    out = {}
    for m in re.finditer(r'^\s*(.+?)\s*\(\*(ctx_\w+)\)\((.*?)\);', header_text, re.M):
        ret, name, params = m.groups()
        types = [api_spec.normalize_type(re.sub(r'\b\w+(\[\])?$', lambda n: '*' if n[1] else '',
                                                ' '.join(p.split())))
                 for p in params.split(',')]
        out[name] = (api_spec.normalize_type(ret), types)
    return out


def test_context_member_types_are_hpy_0_9s():
    """The function pointer types too: a member that returns void in 0.9 but
    HPy here would hand garbage to a module running in 0.9's runtime."""
    theirs = _member_types((Path(hpy_devel.__file__).parent / 'include' / 'hpy' / 'universal' /
                            'autogen_ctx.h').read_text())
    ours = _member_types((ROOT / 'include' / 'hpy' / 'autogen' / 'ctx_universal.h').read_text())
    assert len(theirs) == 180
    assert {name: ours.get(name) for name in theirs} == theirs
