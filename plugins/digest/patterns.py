"""`regex` patterns that keep the interpreter lock while they match.

On a str, `regex` lets go of Python's lock (the GIL) while it matches, and takes it back each
time it needs memory: thousands of times for one seed. Seeds are read one thread to a process,
so no other thread gains from it, and the letting go and taking back cost a fifth of matching
time (splitting a seed's sentences into words: 0.20-0.23 ms a seed, against 0.27-0.29 ms).
A Pattern matches as `regex.compile(source, flags)` does, with `concurrent=False`.
"""

from __future__ import annotations

from functools import partial

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
