"""HPy_LeavePythonExecution / HPy_ReenterPythonExecution and the
HPy_BEGIN_LEAVE_PYTHON / HPy_END_LEAVE_PYTHON macros: they release the GIL."""
import threading
import time

import pytest

SOURCE = r'''
#include <time.h>

static volatile int flag;

/* Runs while the waiting thread is outside Python: only possible if it
   released the GIL. */
HPyDef_METH(set_flag, "set_flag", HPyFunc_NOARGS)
static HPy set_flag_impl(HPyContext *ctx, HPy self)
{
    flag = 1;
    return HPy_Dup(ctx, ctx->h_None);
}

static int wait_for_flag(int seconds)
{
    time_t end = time(NULL) + seconds;
    while (!flag && time(NULL) < end)
        ;
    return flag;
}

/* (timeout seconds): leave Python, wait until another thread calls
   set_flag(), come back; returns whether the flag was seen. */
HPyDef_METH(wait_outside, "wait_outside", HPyFunc_O)
static HPy wait_outside_impl(HPyContext *ctx, HPy self, HPy arg)
{
    int seconds = HPyLong_AsInt32_t(ctx, arg);
    flag = 0;
    HPyThreadState state = HPy_LeavePythonExecution(ctx);
    int seen = wait_for_flag(seconds);
    HPy_ReenterPythonExecution(ctx, state);
    /* back in Python: the API works again */
    return HPy_BuildValue(ctx, "(is)", seen, "back");
}

HPyDef_METH(wait_with_macros, "wait_with_macros", HPyFunc_O)
static HPy wait_with_macros_impl(HPyContext *ctx, HPy self, HPy arg)
{
    int seconds = HPyLong_AsInt32_t(ctx, arg);
    int seen;
    flag = 0;
    HPy_BEGIN_LEAVE_PYTHON(ctx)
        seen = wait_for_flag(seconds);
    HPy_END_LEAVE_PYTHON(ctx)
    return HPyBool_FromBool(ctx, seen);
}

/* (timeout seconds): wait without leaving Python */
HPyDef_METH(wait_inside, "wait_inside", HPyFunc_O)
static HPy wait_inside_impl(HPyContext *ctx, HPy self, HPy arg)
{
    flag = 0;
    return HPyBool_FromBool(ctx, wait_for_flag(HPyLong_AsInt32_t(ctx, arg)));
}
'''

TIMEOUT = 10


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


def _run_with_setter(mod, wait, seconds):
    """Call wait(seconds) in this thread while another thread keeps calling
    mod.set_flag(), which it can only do when it holds the GIL."""
    done = threading.Event()

    def setter():
        while not done.is_set():
            mod.set_flag()
            time.sleep(0.001)
    t = threading.Thread(target=setter)
    t.start()
    try:
        return wait(seconds)
    finally:
        done.set()
        t.join()


def test_leave_python_releases_the_gil(mod):
    assert _run_with_setter(mod, mod.wait_outside, TIMEOUT) == (1, 'back')


def test_leave_python_macros_release_the_gil(mod):
    assert _run_with_setter(mod, mod.wait_with_macros, TIMEOUT) is True


def test_without_leaving_python_the_other_thread_cannot_run(mod):
    # the control experiment: holding the GIL, the flag is never set in time
    assert _run_with_setter(mod, mod.wait_inside, 1) is False


def test_leave_and_reenter_many_times(mod):
    for _ in range(50):
        assert mod.wait_outside(0) == (0, 'back')     # nobody sets the flag
