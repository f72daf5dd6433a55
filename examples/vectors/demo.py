"""What the vectors example does (run it once the wheel is installed)."""
import gc
import weakref

import vectors
from vectors import Tree, Vector

v = Vector(3, 4)
w = Vector(1, -2)
print('v =', v, ' w =', w)
print('v + w =', v + w, ' v - w =', v - w, ' 2 * v =', 2 * v, ' -w =', -w)
print('abs(v) =', abs(v), ' v.norm =', v.norm, ' v.dot(w) =', v.dot(w), ' v.dim =', v.dim)
v[0] = 6
print('after v[0] = 6: v =', v, ' len(v) =', len(v), ' v == Vector(6, 4):', v == Vector(6, 4))

t = Tree()
for word in 'the quick brown fox jumps over the lazy dog'.split():
    t[word] = len(word)
print('tree keys:', t.keys())
print('len(t) =', len(t), ' t.size =', t.size, ' t.height =', t.height, " t['quick'] =", t['quick'],
      " 'fox' in t:", 'fox' in t)
t['self'] = t          # a cycle through the tree's fields: CPython's GC collects it
# (PyPy 7.3 never collects a cycle through C objects, and its gc.collect()
# returns None; a weak reference, which its objects all take, tells)
ref = weakref.ref(t) if hasattr(t, '__weakref__') else None
del t
found = gc.collect()
print('garbage collected:', ref() is None if ref is not None else found > 0)
print('loaded from', vectors.__file__)
