"""Fragments of HTML rendered once per build and reused: a story's card is the same on every
listing page at the same depth, and a story is on about seventeen listings (home, language,
countries, sectors, partnership, matrix cells), so rendering it once per listing cost most of
the time spent on listings.
"""

from __future__ import annotations


class FragmentMemo:
    """`memo(macro, *args, vary=…)` in a template: the macro's output for these arguments,
    rendered the first time only. A macro imported `with context` also reads the page's context;
    whatever it reads that differs between pages (SITEURL, which is relative) goes in `vary`."""

    def __init__(self) -> None:
        self._rendered: dict[tuple, str] = {}

    def __call__(self, macro, *args, vary=None):
        # Objects (the build's articles) are told apart by identity: they live as long as the build.
        key = (macro.name, vary, *(arg if isinstance(arg, (str, int)) else id(arg) for arg in args))
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = macro(*args)
        return found


def add_memo(generator) -> None:
    """`generator_init`: every generator of every build gets its own memo, so no build can be
    served another's fragments (two builds in one process, as in the tests)."""
    generator.env.globals["memo"] = FragmentMemo()
