"""hpy_build example package: pure Python on top of four HPy extensions."""

from ._legacy import twice
from ._text import count_words
from ._vector import norm
from ._zip import crc32


def summary(text):
    """A line about *text*, from every extension of the package."""
    data = text.encode('utf-8')
    return '%d words, crc32 %08x, norm %.1f, twice %d' % (
        count_words(text), crc32(data), norm(3.0, 4.0), twice(len(data)))
