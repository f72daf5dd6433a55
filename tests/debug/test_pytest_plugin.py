"""The pytest plugin: `pytest --hpy-debug` and the hpy_debug fixture, run on
a small test suite of a user's in a child pytest."""
import subprocess
import sys
import textwrap

from support import compile as hpy_compile
from support.debugmode import prepare

SOURCE = r'''
HPyDef_METH(leak, "leak", HPyFunc_O)
static HPy leak_impl(HPyContext *ctx, HPy self, HPy arg)
{
    HPy_Dup(ctx, arg);
    return HPy_Dup(ctx, ctx->h_None);
}

HPyDef_METH(fine, "fine", HPyFunc_O)
static HPy fine_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return HPy_Dup(ctx, arg);
}

HPyDef_METH(name, "name", HPyFunc_NOARGS)
static HPy name_impl(HPyContext *ctx, HPy self)
{
    return HPyUnicode_FromString(ctx, ctx->name);
}
'''

USER_TESTS = '''
import usermod

def test_fine():
    assert usermod.fine(3) == 3

def test_leaks():
    usermod.leak('a leaked string')

def test_mode():
    print('MODE:', usermod.name())
'''


def run_pytest(tmp_path, *args):
    hpy_compile.build(prepare(SOURCE), 'universal', tmp_path, name='usermod')
    (tmp_path / 'test_user.py').write_text(USER_TESTS)
    return subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-s',
                           '-o', 'addopts=', '--rootdir', str(tmp_path), *args, str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True)


def test_hpy_debug_option_fails_leaking_tests(tmp_path):
    result = run_pytest(tmp_path, '--hpy-debug', '--hpy-debug-stack=8')
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert '1 failed, 2 passed' in out
    assert 'FAILED test_user.py::test_leaks - hpy_build.debug.leakdetector.HPyLeakError' in out
    assert "1 unclosed handle:" in out and "'a leaked string'" in out
    assert 'opened by HPy_Dup, at:' in out
    assert 'MODE: HPy Debug Mode ABI' in out


def test_without_the_option_nothing_changes(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '3 passed in' in result.stdout
    assert 'MODE: HPy Universal ABI' in result.stdout


def test_hpy_debug_fixture(tmp_path):
    import os
    hpy_compile.build(prepare(SOURCE), 'universal', tmp_path, name='usermod')
    (tmp_path / 'test_fixture.py').write_text(textwrap.dedent('''
        import usermod

        def test_clean(hpy_debug):
            assert usermod.fine(1) == 1

        def test_leaky(hpy_debug):
            usermod.leak('caught by the fixture')

        def test_leaky_unchecked():
            usermod.leak('not checked')
    '''))
    result = subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-o', 'addopts=',
                             '--rootdir', str(tmp_path), str(tmp_path / 'test_fixture.py')],
                            cwd=tmp_path, capture_output=True, text=True,
                            env=dict(os.environ, HPY='usermod:debug'))
    assert result.returncode == 1, result.stdout + result.stderr
    assert '3 passed, 1 error' in result.stdout
    assert 'ERROR at teardown of test_leaky ' in result.stdout
    assert "'caught by the fixture'" in result.stdout and "'not checked'" not in result.stdout
