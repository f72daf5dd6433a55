"""HPyHelpers_PackArgsAndKeywords (HPyHelpers_AddType needs types: later)."""
import pytest

PACK = '''
    /* pack(*args, **kwargs) -> (args tuple or None, kwargs dict or None):
       as in HPy 0.9, no positional (keyword) arguments give a null handle */
    HPyDef_METH(pack, "pack", HPyFunc_KEYWORDS)
    static HPy pack_impl(HPyContext *ctx, HPy self, const HPy *args, size_t nargs, HPy kwnames)
    {
        HPy tuple, kwd;
        if (!HPyHelpers_PackArgsAndKeywords(ctx, args, nargs, kwnames, &tuple, &kwd))
            return HPy_NULL;
        HPy result = HPyTuple_Pack(ctx, 2, HPy_IsNull(tuple) ? ctx->h_None : tuple,
                                   HPy_IsNull(kwd) ? ctx->h_None : kwd);
        HPy_Close(ctx, tuple);
        HPy_Close(ctx, kwd);
        return result;
    }

    HPyDef_METH(pack_null, "pack_null", HPyFunc_NOARGS)
    static HPy pack_null_impl(HPyContext *ctx, HPy self)
    {
        HPy tuple;
        if (!HPyHelpers_PackArgsAndKeywords(ctx, NULL, 0, HPy_NULL, &tuple, NULL))
            return HPy_NULL;
        return tuple;
    }
    @EXPORT(pack)
    @EXPORT(pack_null)
    @INIT
'''


def test_pack_args_and_keywords(hpy_module):
    mod = hpy_module(PACK)
    assert mod.pack() == (None, None)
    assert mod.pack(1, 'a') == ((1, 'a'), None)
    assert mod.pack(1, x=2, y=3) == ((1,), {'x': 2, 'y': 3})
    assert mod.pack(x=[]) == (None, {'x': []})
    with pytest.raises(SystemError, match="'out_kwd' must not be NULL"):
        mod.pack_null()
