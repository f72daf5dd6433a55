"""The benchmark cases: what one iteration runs, from Python.

Each case is (name, setup, statement): *setup* runs once with the module as
``m``; *statement* runs once per iteration with ``i`` the iteration number.
What a statement appends to ``KEEP`` survives the measurement: the driver
empties it after each measured run.
The functions and types named are defined in cases_hpy.c and, identically,
in cases_capi.c.
"""

POINT = 'p = m.Point(3, 4)'

CASES = [
    ('noargs', 'f = m.noargs', 'f()'),
    ('o_none', 'f = m.ident', 'f(None)'),
    ('o_int', 'f = m.incr', 'f(i)'),
    ('varargs', 'f = m.add', 'f(i, 1)'),
    ('keywords', 'f = m.kwadd', 'f(i, b=1)'),
    ('call_tuple', 'f = m.call; g = abs; t = (-1,)', 'f(g, t)'),
    ('call_tuple_dict', 'f = m.call_kw; g = int; t = ("7",); d = {"base": 8}', 'f(g, t, d)'),
    ('alloc_10_ints', 'f = m.alloc_ints', 'f(i)'),
    ('alloc_tuple', 'f = m.make_tuple', 'f(i, None)'),
    ('build_value', 'f = m.build_value', 'f()'),
    ('new_dies', 'P = m.Point', 'P(i, 2)'),
    ('new_survives', 'P = m.Point; app = KEEP.append', 'app(P(i, 2))'),
    ('new_subclass', 'class P(m.Point): pass', 'P(i, 2)'),
    ('method_noargs', POINT, 'p.norm2()'),
    ('method_o', POINT, 'p.scale_x(i)'),
    ('len', POINT, 'len(p)'),
    ('getitem', POINT, 'p[1]'),
    ('member_get', POINT, 'p.x'),
    ('member_set', POINT, 'p.x = i'),
    ('getset_get', POINT, 'p.y'),
    ('getset_set', POINT, 'p.y = i'),
    ('gc_cycles', 'f = m.cycle', 'f()'),
]

NAMES = [name for name, _, _ in CASES]

# Cases a variant does not run, and why (printed under the tables).
NOT_RUN = {
    'new_subclass': (('hpy09-universal', 'hpy09-debug'),
                     'HPy 0.9 segfaults making an instance of a Python subclass of an HPy type'),
}


def cases_for(variant, cases):
    """The cases of *cases* that *variant* runs."""
    return [c for c in cases if variant not in NOT_RUN.get(c, ((), ''))[0]]


def make_runner(setup, statement, keep):
    """A function run(m, n) that runs *setup* then *statement* n times."""
    indented = '\n        '.join(statement.split('\n'))
    source = (f'def run(m, n):\n'
              f'    {setup}\n'
              f'    for i in range(n):\n'
              f'        {indented}\n')
    namespace = {'KEEP': keep}
    exec(compile(source, '<case>', 'exec'), namespace)
    return namespace['run']
