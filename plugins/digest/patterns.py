"""`regex` patterns that keep the interpreter lock while they match.

On a str, `regex` lets go of Python's lock (the GIL) while it matches, and takes it back each
time it needs memory: thousands of times for one seed. Seeds are read one thread to a process,
so no other thread gains from it, and the letting go and taking back cost a fifth of matching
time (splitting a seed's sentences into words: 0.20-0.23 ms a seed, against 0.27-0.29 ms).
A Pattern matches as `regex.compile(source, flags)` does, with `concurrent=False`.
"""

from __future__ import annotations

import re
from functools import cached_property, partial

import regex


class Pattern:
    """A compiled pattern with the methods of `regex.Pattern` that the plugin uses."""

    __slots__ = ("pattern", "flags", "search", "match", "fullmatch", "findall", "finditer", "split", "sub")

    def __init__(self, source: str, flags: int = 0) -> None:
        compiled = regex.compile(source, flags)
        self.pattern, self.flags = compiled.pattern, compiled.flags
        self.search = partial(compiled.search, concurrent=False)
        self.match = partial(compiled.match, concurrent=False)
        self.fullmatch = partial(compiled.fullmatch, concurrent=False)
        self.findall = partial(compiled.findall, concurrent=False)
        self.finditer = partial(compiled.finditer, concurrent=False)
        self.split = partial(compiled.split, concurrent=False)
        self.sub = partial(compiled.sub, concurrent=False)


# Characters beyond the Basic Multilingual Plane: emoji, historic scripts, maths letters.
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")


def bmp_class(regex_class: str) -> str:
    """The characters of the Basic Multilingual Plane that `regex_class` (say "[\\p{L}\\p{N}]")
    matches, as a class of code points that `re` reads; `regex`'s own Unicode data decides."""
    plane = "".join(map(chr, range(0x10000)))
    runs = [(m.start(), m.end() - 1) for m in regex.finditer(f"{regex_class}+", plane, concurrent=False)]
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs) + "]"


class ClassRuns:
    """Runs of one class of characters given by Unicode properties, such as "[\\p{L}\\p{M}]":
    `re` finds them in a text of the Basic Multilingual Plane (nearly every seed's), `regex` in
    others. `re` tells a class of code points from a table, which is quicker than `regex`'s look-up
    of each character's properties: splitting the bench seeds' sentences into words took 0.18
    against 0.26 ms a seed, the fingerprint's clean-up 0.15 against 0.20 ms."""

    def __init__(self, char_class: str, capture: bool = False) -> None:
        self._char_class = char_class
        self._template = "({}+)" if capture else "{}+"  # split keeps the runs when they are captured
        self._anywhere = Pattern(self._template.format(char_class))

    @cached_property
    def _in_bmp(self) -> re.Pattern:
        return re.compile(self._template.format(bmp_class(self._char_class)))

    def _for(self, text: str) -> Pattern | re.Pattern:
        return self._anywhere if _BEYOND_BMP.search(text) else self._in_bmp

    def split(self, text: str) -> list[str]:
        return self._for(text).split(text)

    def sub(self, replacement: str, text: str) -> str:
        return self._for(text).sub(replacement, text)
