"""The universal examples, each wheel built once by the suite's interpreter,
installed unchanged on every other interpreter of the matrix and run there;
and hpy_build itself installed on each (its runtime built for it)."""
import zipfile

from support.interpreters import ROOT, run

SUPPORT = ROOT / 'tests' / 'support'


def python_code(env, code, cwd=None):
    return run(env.python, '-c', code, cwd=cwd, env=env.env()).stdout


def site_file(env, module):
    """The file `module` is imported from there."""
    return python_code(env, f'import {module}; print({module}.__file__)').strip()


def test_hpy_build_installs(matrix_env):
    wheel = matrix_env.hpy_build_wheel()
    # its runtime is built for that interpreter
    assert f'-{matrix_env.interp.hpy_build_wheel_tag()}-' in wheel.name, wheel.name
    out = python_code(matrix_env, 'import sys, hpy_build.universal; from hpy_build import _abi; '
                                  'print(sys.version_info[:2]); print(hpy_build.universal.__file__); '
                                  'print(_abi.ext_suffix("universal"))').splitlines()
    assert out[0] == str(tuple(matrix_env.interp.version))
    assert str(matrix_env.path) in out[1] and out[2] == '.hpy0.so'
    matrix_env.pip('check')


def install_unchanged(env, wheel, *modules):
    """Install `wheel` there; its extension files land there byte for byte."""
    env.pip('install', '--quiet', '--find-links', env.wheels, wheel)
    with zipfile.ZipFile(wheel) as zf:
        for member in modules:
            path = site_file(env, member.removesuffix('.hpy0.so').replace('/', '.'))
            assert path.endswith(member), path
            with open(path, 'rb') as installed:
                assert installed.read() == zf.read(member), f'{member} changed on install'
    env.pip('check')


def test_hello(matrix_env, universal_wheels, tmp_path):
    wheel = universal_wheels['hello']
    assert '-py3-none-' in wheel.name, wheel.name
    install_unchanged(matrix_env, wheel, 'hello.hpy0.so')
    # a folder hello/ in the current directory does not shadow the installed module
    (tmp_path / 'hello').mkdir()
    out = python_code(matrix_env, 'import hello; print(hello.add(30, 40)); print(hello.__doc__)',
                      cwd=tmp_path).splitlines()
    assert out == ['70', 'HPy Example']


def test_vectors_types_and_gc(matrix_env, universal_wheels, tmp_path):
    install_unchanged(matrix_env, universal_wheels['vectors'], 'vectors.hpy0.so')
    # the checks the suite runs on every build of the example
    out = python_code(matrix_env, f'import sys; sys.path.insert(0, {str(SUPPORT)!r}); '
                                  'import vectors, vectors_checks; vectors_checks.check_all(vectors); '
                                  'print("checked")')
    assert out.strip() == 'checked'
    demo = run(matrix_env.python, ROOT / 'examples' / 'vectors' / 'demo.py', cwd=tmp_path,
               env=matrix_env.env()).stdout
    assert "tree keys: ['brown', 'dog', 'fox', 'jumps', 'lazy', 'over', 'quick', 'the']" in demo
    assert 'abs(v) = 5.0' in demo and 'garbage collected: True' in demo
    assert demo.splitlines()[-1].endswith('vectors.hpy0.so')


PACKAGE_UNIVERSAL = ('hpyexample/_vector.hpy0.so', 'hpyexample/_text.hpy0.so', 'hpyexample/_zip.hpy0.so')


def test_package_universal_modules(matrix_env, package_payload):
    """The package's wheel also holds a hybrid module, so it is tagged for the
    suite's interpreter; its universal modules, unpacked as they were
    installed, load anywhere, and the hybrid one is not taken for another
    interpreter's."""
    for member in PACKAGE_UNIVERSAL:
        assert (package_payload / member).exists(), member
    code = (
        'import sys, types, zlib\n'
        # the package without running its __init__ (which imports the hybrid module)
        'pkg = types.ModuleType("hpyexample"); pkg.__path__ = [sys.argv[1] + "/hpyexample"]\n'
        'sys.modules["hpyexample"] = pkg\n'
        'from hpyexample import _vector, _text, _zip\n'
        'print(_vector.norm(3.0, 4.0), _text.count_words("two small words"))\n'
        'print(_zip.crc32(b"two words") == zlib.crc32(b"two words"))\n'
        'print(_vector.__file__)\n'
        'try:\n'
        '    import hpyexample._legacy\n'
        'except ImportError as e:\n'
        '    print(type(e).__name__)\n'
        'else:\n'
        '    print("hybrid module loaded")\n')
    out = run(matrix_env.python, '-c', code, package_payload, env=matrix_env.env()).stdout.splitlines()
    assert out[:2] == ['5.0 3', 'True']
    assert out[2] == str(package_payload / PACKAGE_UNIVERSAL[0])
    assert out[3] == 'ModuleNotFoundError'
