"""Real HPy 0.9 code, unchanged, on our headers and runtime: the
proof-of-concept package and the documentation examples of the published
hpy==0.9.0 sources (downloaded from the package index, read as input and
never copied here), compiled in every ABI they support and exercised."""
from pathlib import Path

import pytest

from support import compile as hpy_compile
from support import hpy09_sdist


@pytest.fixture(scope='session')
def hpy09_sources(request):
    """The unpacked hpy==0.9.0 source distribution."""
    return hpy09_sdist.unpacked(request.config)


def build(sources, rel, abi, tmp_path, name, cplusplus=False):
    """Compile the file `rel` of the sources as module `name` (dotted for a
    package) in `abi` and load it."""
    short = name.rpartition('.')[2]
    out = tmp_path / abi
    out.mkdir(exist_ok=True)
    # their code, not ours: warnings stay warnings
    _, path = hpy_compile.build((sources / rel).read_text(), abi, out, name=short,
                                extra_cflags=['-Wno-error'], cplusplus=cplusplus)
    return hpy_compile.load(name, path, abi)


ABIS = ['cpython', 'universal', 'hybrid']


@pytest.mark.parametrize('abi', ABIS)
@pytest.mark.parametrize('rel, cplusplus', [('proof-of-concept/pof.c', False),
                                            ('proof-of-concept/pofcpp.cpp', True)])
def test_proof_of_concept(hpy09_sources, tmp_path, abi, rel, cplusplus):
    name = Path(rel).stem
    pof = build(hpy09_sources, rel, abi, tmp_path, name, cplusplus)
    assert pof.do_nothing() is None
    assert pof.double(21) == 42
    assert pof.add_ints(30, 12) == 42
    assert pof.add_ints_kw(b=30, a=12) == 42
    assert repr(pof.Point(1, 2)) == 'Point(1, 2)'
    with pytest.raises(TypeError):
        pof.add_ints(1)


@pytest.mark.parametrize('abi', ABIS)
def test_proof_of_concept_package(hpy09_sources, tmp_path, abi):
    foo = build(hpy09_sources, 'proof-of-concept/pofpackage/foo.c', abi, tmp_path, 'pofpackage.foo')
    assert foo.__name__ == 'pofpackage.foo'
    assert foo.hello() == 'hello from pofpackage.foo'
    bar = build(hpy09_sources, 'proof-of-concept/pofpackage/bar.cpp', abi, tmp_path,
                'pofpackage.bar', cplusplus=True)
    assert bar.__name__ == 'pofpackage.bar' and bar.hello(21) == 42


@pytest.mark.parametrize('abi', ABIS)
def test_documentation_examples(hpy09_sources, tmp_path, abi):
    ex = hpy09_sources / 'docs' / 'examples'

    def load(rel, name):
        return build(ex, rel, abi, tmp_path, name)

    simple = load('simple-example/simple.c', 'simple')
    assert simple.myabs(-42) == 42 and simple.myabs(42) == 42
    assert load('quickstart/quickstart.c', 'quickstart').say_hello() == 'Hello world'
    assert load('snippets/hpyvarargs.c', 'hpyvarargs').add_ints(40, 2) == 42
    snippets = load('snippets/snippets.c', 'snippets')
    assert snippets.test_foo_and_is_same_object(2, 2) == 1
    assert snippets.test_foo_and_is_same_object(2, 42) == 0

    simple_type = load('hpytype-example/simple_type.c', 'simple_type')
    p = simple_type.Point(4, 5)
    assert (p.x, p.y, p.foo(), p.z) == (4, 5, 45, 1045)
    p.z = 2000
    assert (p.y, p.z) == (960, 2000)

    builtin_type = load('hpytype-example/builtin_type.c', 'builtin_type')
    assert builtin_type.Dummy('hello') == 'hello'
    lang = builtin_type.Language('hello')
    lang.lang = 'en'
    assert lang == 'hello' and lang.lang == 'en'

    hpycall = load('snippets/hpycall.c', 'hpycall')
    assert hpycall.EuclideanVector(4, 5)(6, 7) == 4 * 6 + 5 * 7
    assert hpycall.EuclideanVector(4, 5, use_special_call=True)(6, 7) == -(4 * 6 + 5 * 7)
    assert hpycall.Foo()() == 'hello manually initialized call function'
    assert hpycall.Pack()() is None


@pytest.mark.parametrize('abi', ['cpython', 'hybrid'])
def test_mixed_example(hpy09_sources, tmp_path, abi):
    """HPy and legacy C API methods in one module."""
    mixed = build(hpy09_sources / 'docs' / 'examples', 'mixed-example/mixed.c', abi, tmp_path, 'mixed')
    assert mixed.add_ints_legacy(40, 2) == 42 and mixed.add_ints(40, 2) == 42


def test_mixed_example_is_refused_in_the_universal_abi(hpy09_sources, tmp_path):
    with pytest.raises(hpy_compile.CompileError, match="unknown type name .PyObject."):
        build(hpy09_sources / 'docs' / 'examples', 'mixed-example/mixed.c', 'universal', tmp_path,
              'mixed')
