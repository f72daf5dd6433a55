"""Parser for api/hpy.api (its header comment describes the format)."""
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC_FILE = ROOT / 'api' / 'hpy.api'


class SpecError(Exception):
    pass


@dataclass
class Param:
    type: str       # C type, e.g. 'HPy', 'const char *', 'HPy *'
    name: str

    @property
    def decl(self):
        return c_join(self.type, self.name)


@dataclass
class Handle:
    index: int
    name: str        # 'None'
    cpython: str     # C expression for the PyObject * it holds
    since: int = 0   # the ABI minor version that added it (0: HPy 0.9's)

    @property
    def member(self):
        return 'h_' + self.name


@dataclass
class Function:
    index: int
    name: str        # public name, e.g. 'HPyLong_FromInt64_t'
    ret: str
    params: list     # [Param], without the leading HPyContext *ctx
    impl: str        # 'direct', 'inline', 'ctx', 'runtime' or 'todo'
    cpython: str     # the C API function for 'direct', else ''
    legacy: bool = False   # marked @legacy: only for code on the C API
    void_member: bool = False   # marked @void_member: see member_ret
    noreturn: bool = False   # marked @noreturn: never returns to its caller
    since: int = 0   # the ABI minor version that added it (0: HPy 0.9's)

    @property
    def member(self):
        return 'ctx_' + re.sub(r'^_?HPy_?', '', self.name)

    @property
    def member_ret(self):
        """What the context member returns: `ret`, except for the few whose
        member returns void in HPy 0.9's ABI while the API function returns
        HPy_NULL (e.g. HPyErr_SetString)."""
        return 'void' if self.void_member else self.ret

    def params_decl(self, ctx='HPyContext *ctx'):
        return ', '.join([ctx] + [p.decl for p in self.params])

    def arg_names(self):
        return ', '.join(['ctx'] + [p.name for p in self.params])


@dataclass
class HPyFunc:
    value: int       # its HPyFunc_Signature value
    name: str        # 'NOARGS'
    ret: str
    params: list     # [Param], including 'HPyContext *ctx' when it has one
    manual: bool

    @property
    def enum(self):
        return 'HPyFunc_' + self.name

    @property
    def typedef(self):
        return 'HPyFunc_' + self.name.lower()


@dataclass
class Slot:
    name: str
    number: int
    sig: str         # name of an HPyFunc
    since: int = 0   # the ABI minor version that added it (0: HPy 0.9's)


@dataclass
class Spec:
    handles: list
    functions: list
    hpyfuncs: list
    slots: list

    @property
    def members(self):
        """All context members in ABI order."""
        return sorted(self.handles + self.functions, key=lambda m: m.index)

    @property
    def abi_minor(self):
        """The latest ABI minor version that adds something."""
        return max(m.since for m in self.members + self.slots)

    def hpyfunc(self, name):
        for f in self.hpyfuncs:
            if f.name == name:
                return f
        raise SpecError(f'unknown HPyFunc signature {name!r}')


def c_join(ctype, name):
    """'const char *' + 'x' -> 'const char *x'; 'HPy' + 'x' -> 'HPy x'."""
    return ctype + name if ctype.endswith('*') else f'{ctype} {name}'


def parse_param(text, where):
    text = ' '.join(text.split())
    m = re.fullmatch(r'(.+?)\s*\b(\w+)\s*(\[\])?', text)
    if not m:
        raise SpecError(f'{where}: cannot parse parameter {text!r}')
    ctype, name, array = m.groups()
    ctype = normalize_type(ctype)
    if array:
        ctype += ' *'
    return Param(ctype, name)


def parse_params(text, where):
    text = text.strip()
    if text in ('', 'void'):
        return []
    return [parse_param(p, where) for p in text.split(',')]


def normalize_type(text):
    """Normalise a C type: 'void* ' -> 'void *', 'void * *' -> 'void **'."""
    ctype = re.sub(r'\s*\*\s*', ' *', ' '.join(text.split())).strip()
    return ctype.replace('* *', '**').replace('* *', '**')


_FUNC = re.compile(r'(?P<ret>.+?)\s*\b(?P<name>_?HPy\w*)\s*\((?P<params>.*)\)\s+'
                   r'(?P<impl>@\w+|=\s*\w+)(?P<flags>(\s+@(legacy|void_member|noreturn))*)$')
_HANDLE = re.compile(r'handle\s+(?P<name>\w+)\s*=\s*(?P<expr>.+)$')
_IMPLS = {'@inline': 'inline', '@ctx': 'ctx', '@runtime': 'runtime', '@todo': 'todo'}


# A line may end with 'since 0.N': added in ABI minor version N, after HPy 0.9.
_SINCE = re.compile(r'\s+since\s+(?P<major>\d+)\.(?P<minor>\d+)$')
ABI_MAJOR = 0


def split_since(line, where):
    """(line without its 'since 0.N' suffix, N); N = 0 without one."""
    m = _SINCE.search(line)
    if not m:
        return line, 0
    if int(m['major']) != ABI_MAJOR or int(m['minor']) == 0:
        raise SpecError(f'{where}: {m.group().strip()!r}: only a later minor version of '
                        f'ABI {ABI_MAJOR} can add to it')
    return line[:m.start()], int(m['minor'])


def parse_context_line(line, where):
    line, since = split_since(line, where)
    index, rest = line.split(None, 1)
    index = int(index)
    m = _HANDLE.match(rest)
    if m:
        return Handle(index, m['name'], m['expr'].strip(), since)
    m = _FUNC.match(rest)
    if not m:
        raise SpecError(f'{where}: cannot parse context member {rest!r}')
    impl, cpython = m['impl'], ''
    if impl.startswith('='):
        impl, cpython = 'direct', impl[1:].strip()
    elif impl in _IMPLS:
        impl = _IMPLS[impl]
    else:
        raise SpecError(f'{where}: unknown implementation marker {impl!r}')
    return Function(index, m['name'], normalize_type(m['ret']),
                    parse_params(m['params'], where), impl, cpython, since=since,
                    legacy='@legacy' in m['flags'], void_member='@void_member' in m['flags'],
                    noreturn='@noreturn' in m['flags'])


_SIG = re.compile(r'(?P<name>[A-Z_]+)\s+(?P<ret>[\w ]+?\**)\s*\((?P<params>.*)\)\s*(?P<manual>@manual)?$')


def parse(path=SPEC_FILE):
    sections = {'context': [], 'hpyfunc': [], 'slots': []}
    current = None
    for lineno, raw in enumerate(Path(path).read_text().splitlines(), 1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        where = f'{Path(path).name}:{lineno}'
        if line.startswith('[') and line.endswith(']'):
            current = line[1:-1]
            if current not in sections:
                raise SpecError(f'{where}: unknown section {line}')
            continue
        if current is None:
            raise SpecError(f'{where}: line outside of any section')
        sections[current].append((line, where))

    members = [parse_context_line(line, where) for line, where in sections['context']]
    for expected, member in enumerate(members):
        if member.index != expected:
            raise SpecError(f'context member {member.index} is at position {expected}: '
                            'the order of [context] is the ABI, keep it sorted')
    for before, after in zip(members, members[1:]):
        if after.since < before.since:
            # a module built without the later members must see the same
            # offsets for the ones it has: they can only be appended
            raise SpecError(f'context member {after.index} (ABI 0.{after.since}) comes after '
                            f'one of ABI 0.{before.since}: members of a later minor version '
                            'go at the end')
    hpyfuncs = []
    for value, (line, where) in enumerate(sections['hpyfunc'], 1):
        m = _SIG.match(line)
        if not m:
            raise SpecError(f'{where}: cannot parse HPyFunc signature {line!r}')
        hpyfuncs.append(HPyFunc(value, m['name'], normalize_type(m['ret']),
                                parse_params(m['params'], where), bool(m['manual'])))
    spec = Spec([m for m in members if isinstance(m, Handle)],
                [m for m in members if isinstance(m, Function)], hpyfuncs, [])
    for line, where in sections['slots']:
        line, since = split_since(line, where)
        name, number, sig = line.split()
        spec.hpyfunc(sig)
        spec.slots.append(Slot(name, int(number), sig, since))
    return spec
