"""The HPY environment variable, read as HPy 0.9 reads it."""
import pytest

from hpy_build._hpymode import (MODE_DEBUG, MODE_TRACE, MODE_UNIVERSAL,
                                describe, from_environ, parse)


def test_mode_values_are_hpy_09s():
    assert (MODE_UNIVERSAL, MODE_DEBUG, MODE_TRACE) == (0, 1, 2)


@pytest.mark.parametrize('value, mode', [
    (None, MODE_UNIVERSAL),
    ('', MODE_UNIVERSAL),
    ('universal', MODE_UNIVERSAL),
    ('debug', MODE_DEBUG),
    ('DEBUG', MODE_DEBUG),
    ('trace', MODE_TRACE),
    ('hello:debug', MODE_DEBUG),
    ('other:debug,hello:trace', MODE_TRACE),
    ('other:debug', MODE_UNIVERSAL),          # not listed: universal
    ('hell:debug', MODE_UNIVERSAL),           # names match whole
    ('pkg.hello:debug', MODE_UNIVERSAL),      # the full dotted name
])
def test_parse(value, mode):
    assert parse(value, 'hello') == mode


def test_dotted_names():
    assert parse('pkg.hello:trace', 'pkg.hello') == MODE_TRACE


@pytest.mark.parametrize('value', [
    'deb', 'debug+trace', 'hello:', 'hello:nope', ':debug', 'hello:debug,',
    'hello:debug:trace', 'other:bogus,hello:debug',
])
def test_invalid_values(value):
    with pytest.raises(ValueError, match='HPY'):
        parse(value, 'hello')


def test_from_environ():
    assert from_environ('m', {}) == MODE_UNIVERSAL
    assert from_environ('m', {'HPY': 'm:trace'}) == MODE_TRACE


def test_describe():
    assert describe(MODE_DEBUG) == 'debug'
    assert 'unknown' in describe(7)
