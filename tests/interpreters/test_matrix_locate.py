"""How a row of the matrix finds its interpreter, and the reason it gives
when it cannot (the matrix tests skip with it)."""
import sys

import pytest

from support.interpreters import MATRIX, Interpreter, Missing, is_host, locate


def test_an_absent_interpreter_says_where_it_was_looked_for():
    row = Interpreter(id='cpython3.99', version=(3, 99), pyenv='3.99', commands=('python3.99',))
    with pytest.raises(Missing) as info:
        locate(row)
    assert str(info.value) == ('cpython3.99 is not installed here: '
                               'looked for pyenv prefix 3.99, python3.99 on PATH')


def test_another_version_is_not_taken_for_it():
    row = Interpreter(id='cpython3.99', version=(3, 99), commands=(sys.executable,))
    with pytest.raises(Missing) as info:
        locate(row)
    assert f'{sys.executable} is cpython %d.%d' % sys.version_info[:2] in str(info.value)


def test_the_running_interpreter_is_found_and_is_the_host():
    [row] = [r for r in MATRIX if r.version == sys.version_info[:2]
             and r.implementation == sys.implementation.name]
    assert is_host(row)
    found = Interpreter(id=row.id, version=row.version, commands=(sys.executable,))
    assert locate(found) == sys.executable
