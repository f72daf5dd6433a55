"""What the examples/vectors module must do, whichever ABI or runtime runs
it: tests/test_example_vectors.py runs these against every build of it."""
import gc
import math
import sys
import weakref


def check_vector(mod, python_subclass=True):
    Vector = mod.Vector
    v, w = Vector(3, 4), Vector(1.5, -2)
    assert (v.dim, len(v), list(v)) == (2, 2, [3.0, 4.0])
    assert list(v + w) == [4.5, 2.0] and list(v - w) == [1.5, 6.0]
    assert list(2 * v) == [6.0, 8.0] and list(v * 0.5) == [1.5, 2.0] and list(-w) == [-1.5, 2.0]
    assert abs(v) == 5.0 and v.norm == 5.0 and v.dot(w) == -3.5
    assert bool(v) and not Vector(0, 0) and not Vector()
    v[1] = 10
    assert v[1] == 10.0 and v[-1] == 10.0 and v == Vector(3, 10) and v != w
    assert repr(Vector(1, 2.5)) == 'Vector(1.0, 2.5)' and repr(Vector()) == 'Vector()'
    for bad in (lambda: v[2], lambda: v.__setitem__(5, 1.0)):
        try:
            bad()
        except IndexError:
            pass
        else:
            raise AssertionError('no IndexError')
    for bad, exc in ((lambda: v + Vector(1, 2, 3), ValueError), (lambda: v + 1, TypeError),
                     (lambda: Vector('x'), TypeError), (lambda: v.dot(3), TypeError)):
        try:
            bad()
        except exc:
            pass
        else:
            raise AssertionError(f'no {exc.__name__}')
    try:
        v.dim = 3
    except AttributeError:
        pass
    else:
        raise AssertionError('dim is writable')
    big = Vector(*range(1000))
    assert math.isclose(abs(big), math.sqrt(sum(i * i for i in range(1000))))

    if python_subclass:
        class Sub(Vector):
            def total(self):
                return sum(self)
        assert Sub(1, 2).total() == 3.0 and type(Sub(1) + Sub(2)) is Vector


def check_tree(mod):
    t = mod.Tree()
    assert len(t) == 0 and t.keys() == [] and t.height == 0
    words = 'the quick brown fox jumps over the lazy dog'.split()
    for w in words:
        t[w] = len(w)
    assert t.keys() == sorted(set(words)) and len(t) == t.size == 8
    assert t['quick'] == 5 and 'fox' in t and 'cat' not in t and t.height >= 3
    try:
        t['cat']
    except KeyError as e:
        assert e.args == ('cat',)
    else:
        raise AssertionError('no KeyError')
    value = object()
    before = sys.getrefcount(value)
    t['fox'] = value
    assert t['fox'] is value and sys.getrefcount(value) == before + 1 and len(t) == 8
    del t
    gc.collect()
    assert sys.getrefcount(value) == before

    # cycles through fields are collected, again and again
    gc.collect()
    refs = []
    for i in range(20):
        t = mod.Tree()
        for k in range(10):
            t[k] = t
        refs.append(weakref.ref(t) if hasattr(t, '__weakref__') else None)
        del t
    count = sum(1 for o in gc.get_objects() if type(o) is mod.Tree)
    gc.collect()
    assert sum(1 for o in gc.get_objects() if type(o) is mod.Tree) < count


def check_all(mod, python_subclass=True):
    """python_subclass=False for HPy 0.9's runtime: its HPy_New gives an
    instance of a Python subclass of a pure HPy type the legacy layout, so
    the extension's struct overwrites the object header (a crash)."""
    check_vector(mod, python_subclass)
    check_tree(mod)


def check_tree_without_cycles(mod):
    """check_tree for PyPy 7.3: no reference counts to read and no cycle
    collection through C objects (pypy/pypy#3848), so a value's release is
    seen through a weak reference, after the tree is gone."""
    class Value:
        pass
    t = mod.Tree()
    words = 'the quick brown fox jumps over the lazy dog'.split()
    for w in words:
        t[w] = len(w)
    assert t.keys() == sorted(set(words)) and len(t) == t.size == 8
    assert t['quick'] == 5 and 'fox' in t and 'cat' not in t and t.height >= 3
    value = Value()
    t['fox'] = value
    assert t['fox'] is value and len(t) == 8
    ref = weakref.ref(value)
    del t, value
    for _ in range(3):
        gc.collect()
    assert ref() is None, 'the tree kept its value alive'
