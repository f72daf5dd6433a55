"""HPy_Compile_s, HPy_EvalCode, HPyContextVar_*, HPyImport_ImportModule."""
import contextvars
import sys
import types

import pytest

SOURCE = r'''
HPyDef_METH(source_kinds, "source_kinds", HPyFunc_NOARGS)
static HPy source_kinds_impl(HPyContext *ctx, HPy self)
{
    return HPy_BuildValue(ctx, "iii", HPy_SourceKind_Expr, HPy_SourceKind_File, HPy_SourceKind_Single);
}

/* (source bytes, filename bytes, kind) */
HPyDef_METH(compile_, "compile", HPyFunc_VARARGS)
static HPy compile__impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy_SourceKind kind = (HPy_SourceKind)HPyLong_AsInt32_t(ctx, args[2]);
    return box_handle(ctx, HPy_Compile_s(ctx, cstr(ctx, args[0]), cstr(ctx, args[1]), kind));
}

/* (code, globals, locals) */
HPyDef_METH(eval_code, "eval_code", HPyFunc_VARARGS)
static HPy eval_code_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPy_EvalCode(ctx, args[0], args[1], args[2]));
}

/* Compile and evaluate an expression in fresh globals holding x. */
HPyDef_METH(eval_with_x, "eval_with_x", HPyFunc_VARARGS)
static HPy eval_with_x_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy code = HPy_Compile_s(ctx, cstr(ctx, args[0]), "<eval_with_x>", HPy_SourceKind_Expr);
    if (HPy_IsNull(code))
        return HPy_NULL;
    HPy globals = HPyDict_New(ctx);
    HPy_SetItem_s(ctx, globals, "x", args[1]);
    HPy result = HPy_EvalCode(ctx, code, globals, globals);
    HPy_Close(ctx, globals);
    HPy_Close(ctx, code);
    return box_handle(ctx, result);
}

/* (name bytes, [default]) */
HPyDef_METH(var_new, "var_new", HPyFunc_VARARGS)
static HPy var_new_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyContextVar_New(ctx, cstr(ctx, args[0]), ARG(1)));
}

/* (var, [default]) -> (status, value or "<null>") */
HPyDef_METH(var_get, "var_get", HPyFunc_VARARGS)
static HPy var_get_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    HPy value = HPy_NULL;
    int32_t status = HPyContextVar_Get(ctx, args[0], ARG(1), &value);
    if (status < 0) {
        if (status != -1 || !HPyErr_Occurred(ctx))
            return HPyErr_SetString(ctx, ctx->h_AssertionError, "bad error protocol");
        return HPy_NULL;
    }
    if (HPy_IsNull(value))
        return HPy_BuildValue(ctx, "is", (int)status, "<null>");
    HPy result = HPy_BuildValue(ctx, "iO", (int)status, value);
    HPy_Close(ctx, value);
    return result;
}

/* (var, value) */
HPyDef_METH(var_set, "var_set", HPyFunc_VARARGS)
static HPy var_set_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
{
    return box_handle(ctx, HPyContextVar_Set(ctx, args[0], args[1]));
}

HPyDef_METH(import_module, "import_module", HPyFunc_O)
static HPy import_module_impl(HPyContext *ctx, HPy self, HPy arg)
{
    return box_handle(ctx, HPyImport_ImportModule(ctx, cstr(ctx, arg)));
}
'''


@pytest.fixture
def mod(ctx_module):
    return ctx_module(SOURCE)


@pytest.fixture
def kinds(mod):
    return dict(zip(('expr', 'file', 'single'), mod.source_kinds()))


# -- compile and eval ---------------------------------------------------------

def test_source_kind_values(mod):
    # HPy 0.9's values: Expr = 0, File = 1, Single = 2
    assert mod.source_kinds() == (0, 1, 2)


def test_compile_expression(mod, kinds):
    code = mod.compile(b'1 + 2 * 3', b'<my expr>', kinds['expr'])
    assert isinstance(code, types.CodeType)
    assert code.co_filename == '<my expr>'
    assert mod.eval_code(code, {}, {}) == 7
    assert eval(code) == 7


def test_compile_file_and_eval_with_globals_and_locals(mod, kinds):
    code = mod.compile(b'y = x * 2\ndef f():\n    return y\n', b'my_file.py', kinds['file'])
    assert code.co_filename == 'my_file.py'
    g = {'x': 21}
    loc = {}
    assert mod.eval_code(code, g, loc) is None
    assert loc['y'] == 42 and 'y' not in g
    assert callable(loc['f'])
    # with the same dict as globals and locals, the function sees its globals
    g2 = {'x': 1}
    mod.eval_code(code, g2, g2)
    assert g2['f']() == 2


def test_compile_single_prints_expressions(mod, kinds, capsys):
    code = mod.compile(b'6 * 7', b'<single>', kinds['single'])
    assert mod.eval_code(code, {}, {}) is None
    assert capsys.readouterr().out == '42\n'


def test_expression_kind_refuses_statements(mod, kinds):
    with pytest.raises(SyntaxError):
        mod.compile(b'x = 1', b'<expr>', kinds['expr'])
    assert isinstance(mod.compile(b'x = 1', b'<file>', kinds['file']), types.CodeType)


def test_compile_syntax_error_names_the_file(mod, kinds):
    with pytest.raises(SyntaxError) as info:
        mod.compile(b'def (:\n', b'broken_file.py', kinds['file'])
    assert info.value.filename == 'broken_file.py'
    assert info.value.lineno == 1


def test_compile_decodes_utf8(mod, kinds):
    code = mod.compile('"caf\xe9"'.encode(), b'<utf8>', kinds['expr'])
    assert mod.eval_code(code, {}, {}) == 'caf\xe9'


def test_compile_invalid_kind(mod):
    with pytest.raises(SystemError):
        mod.compile(b'1', b'<bad kind>', 42)
    with pytest.raises(SystemError):
        mod.compile(b'1', b'<bad kind>', -1)


def test_eval_code_errors_propagate(mod, kinds):
    with pytest.raises(ZeroDivisionError):
        mod.eval_code(mod.compile(b'1 / 0', b'<e>', kinds['expr']), {}, {})
    with pytest.raises(NameError, match='undefined_name'):
        mod.eval_code(mod.compile(b'undefined_name', b'<e>', kinds['expr']), {}, {})


def test_eval_code_uses_builtins(mod):
    assert mod.eval_with_x(b'len(x) + max(x)', [4, 5, 6]) == 9
    assert mod.eval_with_x(b'x.upper()', 'abc') == 'ABC'


def test_eval_code_locals_may_be_any_mapping(mod, kinds):
    class Mapping(dict):
        def __missing__(self, key):
            return 'missing ' + key
    code = mod.compile(b'some_name', b'<m>', kinds['expr'])
    assert mod.eval_code(code, {}, Mapping()) == 'missing some_name'


# -- context variables ----------------------------------------------------------

def test_context_var_new(mod):
    var = mod.var_new(b'my_var')
    assert isinstance(var, contextvars.ContextVar)
    assert var.name == 'my_var'
    with pytest.raises(LookupError):
        var.get()
    var2 = mod.var_new(b'with_default', 'the default')
    assert var2.get() == 'the default'


def test_context_var_get(mod):
    var = mod.var_new(b'v')
    assert mod.var_get(var) == (0, '<null>')               # no value, no default
    assert mod.var_get(var, 'fallback') == (0, 'fallback')
    var_d = mod.var_new(b'vd', 'var default')
    assert mod.var_get(var_d) == (0, 'var default')
    assert mod.var_get(var_d, 'fallback') == (0, 'fallback')


def test_context_var_set_and_get_in_a_context(mod):
    var = mod.var_new(b'v')

    def inside():
        token = mod.var_set(var, 'set value')
        assert isinstance(token, contextvars.Token)
        assert token.var is var
        assert mod.var_get(var) == (0, 'set value')
        assert var.get() == 'set value'
        var.reset(token)
        assert mod.var_get(var) == (0, '<null>')
        mod.var_set(var, 'kept in this context')
    ctx = contextvars.copy_context()
    ctx.run(inside)
    assert ctx[var] == 'kept in this context'
    assert mod.var_get(var) == (0, '<null>')                # not in ours


def test_context_var_sees_values_set_in_python(mod):
    var = contextvars.ContextVar('from_python')
    ctx = contextvars.copy_context()
    ctx.run(var.set, 123)
    assert ctx.run(mod.var_get, var) == (0, 123)


def test_context_var_get_returns_a_new_reference(mod):
    value = object()
    var = mod.var_new(b'refs', value)
    base = sys.getrefcount(value)
    for _ in range(100):
        mod.var_get(var)
    after = sys.getrefcount(value)
    assert after == base


def test_context_var_errors(mod):
    with pytest.raises(TypeError):
        mod.var_get('not a var')
    with pytest.raises(TypeError):
        mod.var_set(42, 'value')


# -- import ---------------------------------------------------------------------

def test_import_module(mod):
    import math
    assert mod.import_module(b'math') is math
    import os.path
    assert mod.import_module(b'os.path') is os.path


def test_import_module_imports_what_is_not_loaded(mod):
    sys.modules.pop('colorsys', None)
    m = mod.import_module(b'colorsys')
    assert m.__name__ == 'colorsys' and sys.modules['colorsys'] is m


def test_import_module_errors(mod):
    with pytest.raises(ModuleNotFoundError, match='no_such_module_here'):
        mod.import_module(b'no_such_module_here')


def test_import_module_returns_a_new_reference(mod):
    import json
    base = sys.getrefcount(json)
    for _ in range(100):
        mod.import_module(b'json')
    after = sys.getrefcount(json)
    assert after == base
