/* Convenience macros of the HPy API. */
#ifndef HPY_MACROS_H
#define HPY_MACROS_H

/* HPy_New(ctx, type, &data): the cast lets `data` be a pointer to the
   type's own struct pointer without a warning. */
#define HPy_New(ctx, cls, data) (_HPy_New((ctx), (cls), ((void **)(data))))

/* Rich comparison opcodes (the values are CPython's Py_LT … Py_GE). */
typedef enum {
    HPy_LT = 0,
    HPy_LE = 1,
    HPy_EQ = 2,
    HPy_NE = 3,
    HPy_GT = 4,
    HPy_GE = 5,
} HPy_RichCmpOp;

#define HPy_RETURN_RICHCOMPARE(ctx, val1, val2, op)                   \
    do {                                                              \
        bool _hpy_result = false;                                     \
        switch (op) {                                                 \
        case HPy_EQ: _hpy_result = ((val1) == (val2)); break;         \
        case HPy_NE: _hpy_result = ((val1) != (val2)); break;         \
        case HPy_LT: _hpy_result = ((val1) < (val2)); break;          \
        case HPy_GT: _hpy_result = ((val1) > (val2)); break;          \
        case HPy_LE: _hpy_result = ((val1) <= (val2)); break;         \
        case HPy_GE: _hpy_result = ((val1) >= (val2)); break;         \
        default: HPy_FatalError(ctx, "Invalid value for HPy_RichCmpOp"); \
        }                                                             \
        return HPy_Dup(ctx, _hpy_result ? (ctx)->h_True : (ctx)->h_False); \
    } while (0)

/* Release the GIL around a block of code that does not touch Python. */
#define HPy_BEGIN_LEAVE_PYTHON(context) {                             \
        HPyThreadState _token = HPy_LeavePythonExecution(context);
#define HPy_END_LEAVE_PYTHON(context)                                 \
        HPy_ReenterPythonExecution(context, _token);                  \
    }

#endif /* HPY_MACROS_H */
