"""Running the suite on PyPy (tests/test_pypy.py starts it there): only the
universal ABI (a universal binary runs on PyPy through hpy_build's runtime,
compiled against PyPy's C API emulation, cpyext), and the tests that read
CPython-only facts or hit a known limit of PyPy 7.3 are skipped or marked,
each with its reason. On CPython nothing here applies."""
import fnmatch
import inspect
import sys

import pytest

ON_PYPY = sys.implementation.name == 'pypy'

# ABIs whose binaries are tied to CPython, or are not what the PyPy run tests.
NOT_ON_PYPY = {'cpython': "the CPython ABI is CPython's: on PyPy the suite runs universal binaries",
               'hybrid': 'a hybrid binary is built for one CPython version',
               'hybrid-debug': 'a hybrid binary is built for one CPython version'}

NO_REFCOUNTS = 'PyPy has no reference counts to read (no sys.getrefcount)'
NO_CYCLES = ("PyPy 7.3's cpyext never calls tp_traverse, so a cycle through C objects is never "
             "collected (pypy/pypy#3848)")
NO_METACLASS = ("HPyType_SpecParam_Metaclass is not supported on PyPy: its C API makes only types "
                "of metaclass 'type' (the runtime says so with a TypeError)")
NULL_CRASH = ("a NULL handle given to the C API crashes PyPy where CPython raises SystemError "
              "(HPy leaves it undefined)")
PY39 = 'PyPy 7.3.11 implements Python 3.9, whose C API converts or accepts more than 3.10+'

# (test file, test: its name, '*' for all, or an fnmatch pattern of the
# item's name with its parameters) -> (how, reason). 'skip' where the
# test would crash the process or cannot apply; 'xfail' (strict) where it
# fails and would pass once PyPy (or the runtime on it) does what CPython does.
KNOWN = {
    ('ctx/test_handles.py', 'test_every_constant_handle_is_its_object'):
        ('xfail', 'ctx->h_CapsuleType is checked against the type of datetime.datetime_CAPI, '
                  'which PyPy does not have'),
    ('ctx/test_later_members.py', 'test_slice_of_a_null_handle_is_a_system_error'):
        ('skip', NULL_CRASH),
    ('ctx/test_object.py', 'test_item_calls_on_a_null_handle_raise'): ('skip', NULL_CRASH),
    ('types/test_type_shapes.py', '*'): ('skip', 'its module defines a type with a metaclass: '
                                         + NO_METACLASS),
    ('types/test_type_slots.py', 'test_finalizer_that_resurrects_the_object'):
        ('skip', 'PyPy has no PyObject_CallFinalizerFromDealloc protocol for a heap type '
                 '(its __del__ wrapper aborts): the runtime calls HPy_tp_finalize from the '
                 'deallocator, so an object cannot be resurrected'),
}

CPYEXT = "PyPy's C API emulation (cpyext) behaves differently from CPython's here: "
LATER_GC = ('PyPy frees an object at a later collection, not when its last reference goes, '
            'so a destructor has not run yet where the test looks')
_XFAIL = {
    'ctx/test_bytes.py': {'test_size_and_as_string_need_bytes': CPYEXT + 'PyBytes_Size and '
                          'PyBytes_AsString accept what CPython refuses'},
    'ctx/test_capsule.py': dict.fromkeys([
        'test_destructor_of_an_unnamed_capsule', 'test_destructor_runs_once_with_the_final_fields',
        'test_replaced_destructor_is_never_called', 'test_set_destructor',
        'test_set_refuses_an_incomplete_destructor_and_keeps_the_old_one'], LATER_GC) | {
        'test_capsule_made_by_the_interpreter': 'uses datetime.datetime_CAPI, which PyPy does not have',
        'test_our_universal_capsules_run_in_hpy_0_9': 'needs the hpy==0.9.0 runtime, a CPython wheel'},
    'ctx/test_capsule_legacy.py': dict.fromkeys([
        'test_context_set_by_the_c_api_is_seen_by_hpy_and_its_destructor',
        'test_hpy_capsule_reads_through_the_c_api', 'test_hpy_destructor_replaces_a_legacy_one',
        'test_legacy_capsule_reads_through_hpy'], 'builds a hybrid helper for CPython'),
    'ctx/test_containers.py': {
        'test_dict_keys_and_copy_need_a_dict': CPYEXT + 'PyDict_Keys/PyDict_Copy accept other objects',
        'test_list_new_negative_size': CPYEXT + 'PyList_New(-1) raises another exception'},
    'ctx/test_err.py': {
        'test_warn_default_category_is_runtime_warning': CPYEXT + 'PyErr_WarnEx with no category',
        'test_write_unraisable': CPYEXT + 'PyErr_WriteUnraisable does not call sys.unraisablehook'},
    'ctx/test_float_bool.py': {'test_float_as_double_converts_ints_and_dunder_float': PY39},
    'ctx/test_inline_helpers.py': {'test_delattr': CPYEXT + 'deleting a missing attribute'},
    'ctx/test_later_members.py': dict.fromkeys([
        'test_del_slice_errors', 'test_get_slice_of_an_unsliceable_object',
        'test_list_insert_needs_a_list_and_an_item', 'test_set_slice_errors'],
        CPYEXT + 'other exception types or messages for bad arguments'),
    'ctx/test_long.py': dict.fromkeys(['test_as_double', 'test_as_int32_uses_index_and_refuses_other_types',
                                       'test_as_size_t', 'test_as_uint64_needs_an_int'], PY39),
    'ctx/test_number.py': {'test_index': PY39,
                           'test_inplace_power': CPYEXT + 'PyNumber_InPlacePower refuses a modulus'},
}
for _path, _tests in _XFAIL.items():
    for _test, _reason in _tests.items():
        KNOWN[(_path, _test)] = ('xfail', _reason)
KNOWN[('ctx/test_object.py', 'test_bytes')] = (
    'xfail', CPYEXT + 'PyBytes_FromObject does not take a list of ints')
for _exc in ('UnicodeEncodeError', 'UnicodeDecodeError', 'UnicodeTranslateError'):
    KNOWN[('ctx/test_handles.py', 'test_exception_handles_raise_their_exception[[]*-%s[]]' % _exc)] = (
        'xfail', CPYEXT + 'PyErr_SetString creates the exception at once, and the constructor '
                 'of %s needs more arguments than a message' % _exc)
KNOWN[('ctx/test_tracker_global.py', 'test_tracker_forget_all')] = ('skip', NO_REFCOUNTS)
KNOWN[('ctx/test_object.py', 'test_string_names_and_keys_must_be_utf8')] = (
    'skip', 'PyPy fails an internal check (an RPython CheckError that stops the run) on a '
            'name that is not UTF-8, where CPython raises UnicodeDecodeError')

_XFAIL2 = {
    'ctx/test_unicode.py': dict.fromkeys(['test_encode_fs_default', 'test_from_encoded_object',
                                          'test_substring'],
                                         CPYEXT + 'other results or exceptions for these arguments'),
    'types/test_type_basics.py': {
        'test_final_type_cannot_be_subclassed': CPYEXT + 'a heap type without Py_TPFLAGS_BASETYPE '
                                                'can be subclassed',
        'test_float_member_and_range_errors': CPYEXT + 'no RuntimeWarning for a truncated float member',
        'test_getsets': CPYEXT + "a get-set descriptor of a heap type has no __doc__",
        'test_methods': CPYEXT + "a method descriptor of a heap type has no __doc__",
        'test_spec_param_metaclass': NO_METACLASS,
        'test_spec_param_metaclass_errors': NO_METACLASS,
        'test_types_are_collected': 'PyPy 7.3 never frees a type made by PyType_FromSpec '
                                    '(pypy/pypy#3854)'},
    'types/test_type_gc.py': dict.fromkeys([
        'test_cycle_with_a_python_subclass', 'test_cycles_through_fields_are_collected',
        'test_gc_tracking_follows_the_flag', 'test_global_holds_a_type',
        'test_traverse_reports_the_fields', 'test_fields_only_type_is_tracked_and_reports_its_field',
        'test_cycles_of_a_fields_only_type_are_collected'], NO_CYCLES) | dict.fromkeys([
        'test_freeing_a_long_chain_does_not_exhaust_the_c_stack',
        'test_freeing_a_long_chain_of_a_fields_only_type_does_not_exhaust_the_c_stack'],
            'PyPy 7.3 has not freed the chain of 200000 C objects linked by fields after '
            'gc.collect() (its head is a C object without a reference from C)'),
    'types/test_type_slots.py': {
        # through the instance dict (Python's) it is collected; through a field, not
        'test_cycle_in_a_python_subclass_is_collected[[]*-field[]]': NO_CYCLES,
        'test_cycle_through_a_subclass_field_is_collected': NO_CYCLES,
        'test_getbuffer_gives_a_view_of_the_object_data': CPYEXT + 'a second export of the buffer',
        'test_hash': CPYEXT + 'a tp_hash that returns -1 with no exception'},
}
for _path, _tests in _XFAIL2.items():
    for _test, _reason in _tests.items():
        KNOWN[(_path, _test)] = ('xfail', _reason)


def _known(item, rootdir):
    rel = item.path.relative_to(rootdir).as_posix()
    name = item.originalname if hasattr(item, 'originalname') else item.name
    for (path, test), verdict in KNOWN.items():
        if rel == path and (test == '*' or name == test or fnmatch.fnmatchcase(item.name, test)):
            return verdict
    return None


def adjust(items, rootdir):
    """Mark the collected items for a run on PyPy."""
    if not ON_PYPY:
        return
    for item in items:
        params = getattr(getattr(item, 'callspec', None), 'params', {})
        abi = params.get('abi')
        if abi in NOT_ON_PYPY:
            item.add_marker(pytest.mark.skip(reason=NOT_ON_PYPY[abi]))
            continue
        verdict = _known(item, rootdir)
        if verdict is None and 'getrefcount' in _source(item):
            verdict = ('skip', NO_REFCOUNTS)
        if verdict is not None:
            how, reason = verdict
            item.add_marker(pytest.mark.skip(reason=reason) if how == 'skip'
                            else pytest.mark.xfail(reason=reason, strict=True))


def _source(item):
    try:
        return inspect.getsource(item.function)
    except (AttributeError, OSError, TypeError):
        return ''
