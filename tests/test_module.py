"""Module definition: HPyModuleDef, HPy_MODINIT, multi-phase init, every
method signature. Each test runs in every ABI."""
import pytest


def test_doc_and_methods_of_every_signature(hpy_module):
    mod = hpy_module('''
        HPyDef_METH(noargs, "noargs", HPyFunc_NOARGS, .doc = "no arguments")
        static HPy noargs_impl(HPyContext *ctx, HPy self) { return HPyUnicode_FromString(ctx, "none"); }

        HPyDef_METH(one, "one", HPyFunc_O)
        static HPy one_impl(HPyContext *ctx, HPy self, HPy arg) { return HPy_Dup(ctx, arg); }

        HPyDef_METH(varargs, "varargs", HPyFunc_VARARGS)
        static HPy varargs_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs)
        {
            return HPyLong_FromSize_t(ctx, nargs);
        }

        /* (number of positional args, tuple of keyword names) */
        HPyDef_METH(keywords, "keywords", HPyFunc_KEYWORDS)
        static HPy keywords_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs,
                                 HPy kwnames)
        {
            HPy n = HPyLong_FromSize_t(ctx, nargs);
            HPy names = HPy_IsNull(kwnames) ? HPyTuple_Pack(ctx, 0) : HPy_Dup(ctx, kwnames);
            HPy result = HPyTuple_Pack(ctx, 2, n, names);
            HPy_Close(ctx, n);
            HPy_Close(ctx, names);
            return result;
        }
        @EXPORT(noargs)
        @EXPORT(one)
        @EXPORT(varargs)
        @EXPORT(keywords)
        @INIT
    ''')
    assert mod.__doc__.startswith('test module')
    assert mod.noargs() == 'none'
    assert mod.noargs.__doc__ == 'no arguments'
    obj = object()
    assert mod.one(obj) is obj
    assert mod.varargs() == 0 and mod.varargs(1, 2, 3) == 3
    assert mod.keywords(1, 2) == (2, ())
    assert mod.keywords(1, a=2, b=3) == (1, ('a', 'b'))
    with pytest.raises(TypeError):
        mod.noargs(1)
    with pytest.raises(TypeError):
        mod.one()


def test_exceptions_propagate(hpy_module):
    mod = hpy_module('''
        HPyDef_METH(fail, "fail", HPyFunc_NOARGS)
        static HPy fail_impl(HPyContext *ctx, HPy self)
        {
            return HPyErr_SetString(ctx, ctx->h_ValueError, "it failed");
        }
        @EXPORT(fail)
        @INIT
    ''')
    with pytest.raises(ValueError, match='it failed'):
        mod.fail()


def test_mod_exec_slot_runs_at_import(hpy_module):
    mod = hpy_module('''
        HPyDef_SLOT(exec, HPy_mod_exec)
        static int exec_impl(HPyContext *ctx, HPy module)
        {
            HPy value = HPyLong_FromLong(ctx, 1234);
            int result = HPy_SetAttr_s(ctx, module, "answer", value);
            HPy_Close(ctx, value);
            return result;
        }
        @EXPORT(exec)
        @INIT
    ''')
    assert mod.answer == 1234


def test_mod_exec_failure_fails_the_import(hpy_module):
    with pytest.raises(RuntimeError, match='exec refused'):
        hpy_module('''
            HPyDef_SLOT(exec, HPy_mod_exec)
            static int exec_impl(HPyContext *ctx, HPy module)
            {
                HPyErr_SetString(ctx, ctx->h_RuntimeError, "exec refused");
                return -1;
            }
            @EXPORT(exec)
            @INIT
        ''')


MOD_CREATE = '''
    HPyDef_SLOT(create, HPy_mod_create)
    static HPy create_impl(HPyContext *ctx, HPy spec)
    {
        %s
    }
    static HPyDef *defines[] = { &create, NULL };
    static HPyModuleDef def = { .defines = defines };
    HPy_MODINIT(%s, def)
'''


def test_mod_create_slot_makes_any_object(abi, compile_module):
    from support import compile as hpy_compile
    name = hpy_compile.unique_name()
    body = 'return HPy_GetAttr_s(ctx, spec, "name");'
    _, path = compile_module(MOD_CREATE % (body, name), abi, name=name)
    assert hpy_compile.load(name, path, abi) == name


def test_mod_create_must_not_return_a_module(abi, compile_module):
    from support import compile as hpy_compile
    name = hpy_compile.unique_name()
    body = 'return HPyImport_ImportModule(ctx, "math");'
    _, path = compile_module(MOD_CREATE % (body, name), abi, name=name)
    with pytest.raises(SystemError, match=r'^HPy_mod_create slot returned a builtin module '
                                           r'object\. This is currently not supported'):
        hpy_compile.load(name, path, abi)


BAD_DEFS = {
    'state': ('static HPyModuleDef def = { .size = 8 };',
              r'^Module state is not supported yet in HPy, set HPyModuleDef\.size = 0'),
    'negative': ('static HPyModuleDef def = { .size = -1 };',
                 r'^HPy does not permit HPyModuleDef\.size < 0'),
    'slot': ('''HPyDef_SLOT(rep, HPy_tp_repr)
               static HPy rep_impl(HPyContext *ctx, HPy self) { return HPy_NULL; }
               static HPyDef *defines[] = { &rep, NULL };
               static HPyModuleDef def = { .defines = defines };''', 'cannot be used in an HPyModuleDef'),
    'member': ('''HPyDef_MEMBER(mem, "mem", HPyMember_INT, 0)
                 static HPyDef *defines[] = { &mem, NULL };
                 static HPyModuleDef def = { .defines = defines };''', 'not members or get-sets'),
    'create_and_more': ('''HPyDef_SLOT(create, HPy_mod_create)
               static HPy create_impl(HPyContext *ctx, HPy spec) { return HPy_NULL; }
               static HPyDef *defines[] = { &create, NULL };
               static HPyModuleDef def = { .doc = "doc", .defines = defines };''',
        r'^HPyModuleDef defines a HPy_mod_create slot and some of the other fields are not '
        r'set to their default value\. .*may define nothing else'),
    'create_and_exec': ('''HPyDef_SLOT(create, HPy_mod_create)
               static HPy create_impl(HPyContext *ctx, HPy spec) { return HPy_NULL; }
               HPyDef_SLOT(ex, HPy_mod_exec)
               static int ex_impl(HPyContext *ctx, HPy m) { return 0; }
               static HPyDef *defines[] = { &create, &ex, NULL };
               static HPyModuleDef def = { .defines = defines };''',
        r'^HPyModuleDef defines a HPy_mod_create slot and some other slots or methods\.'),
}


@pytest.mark.parametrize('case', sorted(BAD_DEFS))
def test_bad_module_definitions(abi, compile_module, case):
    from support import compile as hpy_compile
    name = hpy_compile.unique_name()
    src, message = BAD_DEFS[case]
    _, path = compile_module(f'{src}\nHPy_MODINIT({name}, def)\n', abi, name=name)
    with pytest.raises(SystemError, match=message):
        hpy_compile.load(name, path, abi)


def test_two_universal_modules_share_the_runtime(compile_module):
    from support import compile as hpy_compile
    src = '''
        HPyDef_METH(ident, "ident", HPyFunc_O)
        static HPy ident_impl(HPyContext *ctx, HPy self, HPy arg) { return HPy_Dup(ctx, arg); }
        @EXPORT(ident)
        @INIT
    '''
    mods = [hpy_compile.load(*compile_module(src, 'universal'), 'universal') for _ in range(2)]
    assert mods[0].ident(1) == 1 and mods[1].ident(2) == 2
    assert mods[0].__name__ != mods[1].__name__


def test_unsupported_method_signature(abi, compile_module):
    """HPy 0.9's ValueError with exactly its message; the method and what a
    signature may be are told by the exception's cause."""
    from support import compile as hpy_compile
    name = hpy_compile.unique_name()
    src = '''
        static HPyDef bad = { .kind = HPyDef_Kind_Meth,
                              .meth = { .name = "weird", .signature = (HPyFunc_Signature)77 } };
        @EXPORT(bad)
        @INIT
    '''
    _, path = compile_module(src, abi, name=name)
    with pytest.raises(ValueError) as info:
        hpy_compile.load(name, path, abi)
    assert str(info.value) == 'Unsupported HPyMeth signature'
    assert isinstance(info.value.__cause__, ValueError)
    assert "method 'weird' has signature 77" in str(info.value.__cause__)
