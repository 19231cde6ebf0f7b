"""Fragments of HTML rendered once per build and reused: a story's card is the same on every
listing page it is on, and a story is on about seventeen listings (home, language, countries,
sectors, partnership, matrix cells), so rendering it once per listing cost most of the time spent
on listings. The same goes for the links to a listing, a related story's line and the site's
header, which every page shows.
"""

from __future__ import annotations

import secrets

from markupsafe import Markup, escape

_VARIES = object()  # stands for a fragment whose text depends on the page beyond its SITEURL


class FragmentMemo:
    """`memo(macro, *args, vary=…, siteurl=SITEURL)` in a template: the macro's output for these
    arguments, rendered the first time only.

    A fragment's links differ between pages only by SITEURL, which is relative ("..", "../.."):
    given `siteurl`, the macro (which then takes a `siteurl` argument) is rendered once with a
    mark in its place, and each page gets that text with its own SITEURL put in, so that a story
    card is rendered once for every depth of page it is on. Anything else the macro reads that
    differs between pages goes in `vary`."""

    def __init__(self) -> None:
        self._rendered: dict[tuple, str | Markup | object] = {}
        # Drawn for each build: no story's text can hold it.
        self._mark = f"\x00{secrets.token_hex(8)}\x00"
        self._escaped: dict[str, str] = {}
        self._free: dict[int, bool] = {}

    def __call__(self, macro, *args, vary=None, siteurl=None):
        # Objects (the build's articles) are told apart by identity: they live as long as the build.
        key = (macro.name, vary, *(arg if isinstance(arg, (str, int)) else id(arg) for arg in args))
        found = self._rendered.get(key)
        if siteurl is None:
            if found is None:
                found = self._rendered[key] = macro(*args)
            return found
        if found is None:
            if all(self._siteurl_free(arg) for arg in args):
                found = self._rendered[key] = str(macro(*args, siteurl=self._mark))
            else:
                found = self._rendered[key] = _VARIES
        if found is _VARIES:
            key = (*key, siteurl)
            found = self._rendered.get(key)
            if found is None:
                found = self._rendered[key] = macro(*args, siteurl=siteurl)
            return found
        escaped = self._escaped.get(siteurl)
        if escaped is None:
            escaped = self._escaped[siteurl] = str(escape(siteurl))
        return Markup(found.replace(self._mark, escaped))

    def _siteurl_free(self, arg) -> bool:
        """Whether what the macro shows of `arg` is the same on every page but for SITEURL. A
        story's text (and so its summary) is, unless it links to other content ({filename}…),
        which Pelican rewrites for each page's address."""
        links = getattr(arg, "_get_intrasite_link_regex", None)
        if links is None:
            return True
        free = self._free.get(id(arg))
        if free is None:
            free = self._free[id(arg)] = not hasattr(arg, "_get_content") and links().search(arg._content) is None
        return free


def add_memo(generator) -> None:
    """`generator_init`: every generator of every build gets its own memo, so no build can be
    served another's fragments (two builds in one process, as in the tests)."""
    generator.env.globals["memo"] = FragmentMemo()
    # A build's templates do not change while it renders (each build makes its generators, and
    # so its environments, anew): without this, every page's imports stat their template files.
    generator.env.auto_reload = False
