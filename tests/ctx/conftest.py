"""Fixtures of the context-function tests: each test file compiles its C
source once per ABI (module scope) and its tests call into it.

`abi` is overridden here with module scope (same ABIs as tests/conftest.py),
so that pytest groups the tests of a file by ABI and `ctx_module` compiles
each source once per ABI. `hpy_module` (function scope) keeps working.
"""
import re

import pytest

from support import compile as hpy_compile

ABIS = ['cpython', 'universal', 'debug']

# Prepended to every source given to ctx_module: small C helpers that turn
# the C result of an API call into a Python object and check the error
# protocol on the way.
PRELUDE = r'''
#include <string.h>
#include <errno.h>

/* The i-th argument of a VARARGS function, HPy_NULL when not given. */
#define ARG(i) ((size_t)(i) < nargs ? args[i] : HPy_NULL)

static inline HPy wrong_error_value(HPyContext *ctx)
{
    HPyErr_Clear(ctx);
    return HPyErr_SetString(ctx, ctx->h_AssertionError,
                            "an exception is set but the call did not return its error value");
}

/* The result of a call that returns `errval` on error: the exception
   propagates if one is set (and the result must then be `errval`), else the
   result is returned as a Python int. */
static inline HPy box_i64(HPyContext *ctx, long long v, long long errval)
{
    if (HPyErr_Occurred(ctx))
        return v == errval ? HPy_NULL : wrong_error_value(ctx);
    return HPyLong_FromInt64_t(ctx, (int64_t)v);
}

static inline HPy box_u64(HPyContext *ctx, unsigned long long v, unsigned long long errval)
{
    if (HPyErr_Occurred(ctx))
        return v == errval ? HPy_NULL : wrong_error_value(ctx);
    return HPyLong_FromUInt64_t(ctx, (uint64_t)v);
}

static inline HPy box_double(HPyContext *ctx, double v)
{
    if (HPyErr_Occurred(ctx))
        return v == -1.0 ? HPy_NULL : wrong_error_value(ctx);
    return HPyFloat_FromDouble(ctx, v);
}

/* For calls that return 0 / -1: None on success. */
static inline HPy box_status(HPyContext *ctx, int status)
{
    if (status == 0 && !HPyErr_Occurred(ctx))
        return HPy_Dup(ctx, ctx->h_None);
    if (status == -1 && HPyErr_Occurred(ctx))
        return HPy_NULL;
    if (HPyErr_Occurred(ctx))
        return wrong_error_value(ctx);
    return HPyErr_SetString(ctx, ctx->h_AssertionError, "returned -1 without setting an exception");
}

/* For calls that return a handle: HPy_NULL exactly when an exception is set. */
static inline HPy box_handle(HPyContext *ctx, HPy h)
{
    if (HPy_IsNull(h) && !HPyErr_Occurred(ctx))
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "returned HPy_NULL without setting an exception");
    if (!HPy_IsNull(h) && HPyErr_Occurred(ctx)) {
        HPy_Close(ctx, h);
        return HPyErr_SetString(ctx, ctx->h_AssertionError, "returned a handle with an exception set");
    }
    return h;
}

/* A C string from a bytes argument; None gives NULL. */
static inline const char *cstr(HPyContext *ctx, HPy h)
{
    if (HPy_IsNull(h) || HPy_Is(ctx, h, ctx->h_None))
        return NULL;
    return HPyBytes_AsString(ctx, h);
}
'''

_METH = re.compile(r'^\s*HPyDef_METH\((\w+)\s*,', re.M)


def prepare(source):
    """PRELUDE + source; every HPyDef_METH is exported and the module is
    defined, unless the source does so itself (HPy_MODINIT(@NAME, ...))."""
    if 'HPy_MODINIT' not in source and '@INIT' not in source:
        exports = ''.join(f'@EXPORT({sym})\n' for sym in _METH.findall(source))
        source = f'{source}\n{exports}@INIT\n'
    return PRELUDE + source


@pytest.fixture(scope='module', params=ABIS)
def abi(request):
    return request.param


@pytest.fixture(scope='module')
def ctx_module(abi, tmp_path_factory):
    """ctx_module(source, extra_cflags=()) -> module, compiled and loaded in
    the ABI of the test; compiled once per ABI for the whole test file.
    `@NAME` in the source stands for the module's name."""
    cache = {}
    tmp = tmp_path_factory.mktemp(f'ctx_{abi}')

    def make(source, extra_cflags=()):
        key = (source, tuple(extra_cflags))
        if key not in cache:
            name = hpy_compile.unique_name('ctx')
            text = prepare(source).replace('@NAME', name)
            name, path = hpy_compile.build(text, abi, tmp, name=name, extra_cflags=extra_cflags)
            cache[key] = hpy_compile.load(name, path, abi)
        return cache[key]
    return make


@pytest.fixture
def ctx_build(tmp_path):
    """ctx_build(source, abi) -> module: like ctx_module, for a source that
    a test builds in an ABI of its choice (e.g. 'hybrid')."""
    def make(source, abi):
        name = hpy_compile.unique_name('ctx')
        text = prepare(source).replace('@NAME', name)
        name, path = hpy_compile.build(text, abi, tmp_path, name=name)
        return hpy_compile.load(name, path, abi)
    return make


@pytest.fixture(scope='session')
def ctx_prepare():
    """prepare(source) -> the C text that ctx_module compiles, for tests that
    build and load it their own way (another ABI set, another runtime)."""
    return prepare
