"""Offline search: Pagefind indexes the built stories into one bundle per language.

Pagefind splits its index by each page's `<html lang>` but loads only the index of the page it
runs on, so one bundle could not answer a Russian word on an English search page. One bundle per
language (`pagefind/hi/`, `pagefind/ru/`, …), each stemmed by its own language's rules, lets the
search page ask every bundle; `pagefind/bundles.json` lists them for it. A language with many
stories is split into several bundles of at most PAGES_PER_BUNDLE pages (`hi`, `hi-2`, …):
Pagefind holds a whole bundle in memory while indexing (about 1.5 GB for 7,000 Hindi pages).

Indexing every bundle took 13–18 s of every rebuild at 10,000 stories, so a bundle whose pages
Pagefind would read exactly as before is taken over from the previous build instead: each
bundle's fingerprint (what Pagefind reads from its pages, Pagefind's version and our options) is
kept in `bundles.json`. A language's pages fill its bundles in the order their stories were
first seen (the ledger's numbers, see ledger.py): full bundles of PAGES_PER_BUNDLE, then the
newest pages, short of a full bundle, in small ones of a fifth of that. A new story changes only
the last small bundle (about 50 pages on average), and five small bundles become one full one
once in 500 new stories; the search page asks at most four more bundles a language.
(Removing a story moves the later ones up, and their bundles are indexed again.) A bundle is
indexed whole (Pagefind cannot add a page to a bundle), in about 2 ms a page, with next to
nothing per run of Pagefind. What Pagefind reads from each page is kept too (`pages.json`), so
that the pages a rebuild left unchanged (see pages.py) are not read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import publish
from .publish import link_or_copy
from .cache import available_cores

logger = logging.getLogger(__name__)

BUNDLES = "pagefind"
PAGES_FILE = "pages.json"  # in BUNDLES: each page's language and indexed content's digest, or null
PAGES_PER_BUNDLE = 500
TAIL_PARTS = 5  # the newest pages, short of a full bundle, are in bundles of 100
PAGEFIND_OPTIONS = ("--silent",)
FINGERPRINT_SCHEME = b"digest-search-1"  # changes when what counts as a page's indexed content does
GLOB_SYNTAX = frozenset("?*$:<>()[]{},")
INDEXED = "data-pagefind-body"  # the theme marks story pages with it; listings stay out

MARKER = INDEXED.encode()
START_TAG = re.compile(rb"<([a-zA-Z][\w-]*)[^>]*>")
HTML_LANG = re.compile(rb"<html\b[^>]*\blang=\"([^\"]+)\"", re.IGNORECASE)
FIRST_H1 = re.compile(rb"<h1\b.*?</h1\s*>", re.IGNORECASE | re.DOTALL)
IMG = re.compile(rb"<img\b[^>]*>", re.IGNORECASE)
TITLE = re.compile(rb"<title\b.*?</title\s*>", re.IGNORECASE | re.DOTALL)
# Outside the body, Pagefind still reads these attributes (meta, filter, sort, …). Written in
# lower case, as the theme writes them and as MARKER is found; a case-blind search took 4 times longer.
PAGEFIND_ATTRIBUTE = re.compile(rb"data-pagefind-(?!body\b|ignore\b)")


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True)
class Page:
    path: str  # in the site, e.g. "stories/x/index.html": Pagefind makes the page's URL of it
    lang: str
    digest: bytes  # of what Pagefind reads from the page (`indexed_content`)
    root: Path | None = None  # the folder the page's file is in: this build's, or the previous one's


@dataclass(frozen=True)
class Bundle:
    name: str
    lang: str
    pages: list[Page]
    fingerprint: str


@dataclass(frozen=True)
class SearchIndex:
    languages: list[str]
    indexed: list[str]  # bundles Pagefind wrote in this build
    reused: list[str]  # bundles taken over from the previous build
    kept_files: set[str] = field(default_factory=set)  # their files, when left in the previous site


def indexed_content(html: bytes) -> bytes | None:
    """What Pagefind reads from a page, or None for a page it leaves out.

    That is the `<html lang>`, the element marked data-pagefind-body, the first `<h1>` (the
    result's title; the `<title>` without one) and the image after it, wherever they are; not the
    rest, such as a story's related stories and its previous and next links, which change when
    other stories are added. A page with other Pagefind attributes outside its body counts whole.
    """
    lang = HTML_LANG.search(html)
    bodies = _bodies(html)
    if not lang or not bodies:
        return None
    outside, start = [], 0
    for body_start, body_end in bodies:
        outside.append((start, body_start))
        start = body_end
    outside.append((start, len(html)))
    if any(PAGEFIND_ATTRIBUTE.search(html, a, b) for a, b in outside):
        return html
    parts = [lang.group(1)] + [html[a:b] for a, b in bodies]
    h1 = FIRST_H1.search(html)
    if h1:
        image = IMG.search(html, h1.end())
        parts += [h1.group(), image.group() if image else b""]
    else:
        title = TITLE.search(html)
        parts.append(title.group() if title else b"")
    return b"\0".join(parts)


def _bodies(html: bytes) -> list[tuple[int, int]]:
    """Where the elements marked data-pagefind-body start and end (nested ones are in their outer one)."""
    spans: list[tuple[int, int]] = []
    position = html.find(MARKER)
    while position != -1:
        tag = START_TAG.match(html, max(html.rfind(b"<", 0, position), 0))
        if tag and tag.end() > position:  # an attribute of this tag, not a story's words
            position = _element_end(html, tag.group(1), tag.end())
            spans.append((tag.start(), position))
        else:
            position += len(MARKER)
        position = html.find(MARKER, position)
    return spans


def _element_end(html: bytes, name: bytes, position: int) -> int:
    depth = 1
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s/>]", re.IGNORECASE)
    for tag in tags.finditer(html, position):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = html.find(b">", tag.start())
            return end + 1 if end != -1 else len(html)
    return len(html)


def pages_by_language(site: Path, unchanged: Collection[str] = (), previous: Path | None = None) -> dict[str, list[Page]]:
    """The indexed pages of a built site, by the language of their `<html>` element, in path order.

    The pages in `unchanged` are the previous build's (`previous`) as they were: what Pagefind
    reads from them is taken from its records rather than read again.
    """
    return _by_language(page_records(site, unchanged, previous), site, unchanged, previous)


def _by_language(records: dict, site: Path, unchanged: Collection[str], previous: Path | None) -> dict[str, list[Page]]:
    found: dict[str, list[Page]] = {}
    for path, record in records.items():
        if record is not None:
            root = Path(previous) if path in unchanged else Path(site)
            found.setdefault(record[0], []).append(Page(path, record[0], bytes.fromhex(record[1]), root))
    return {lang: sorted(pages, key=lambda page: page.path) for lang, pages in sorted(found.items())}


def page_records(
    site: Path, unchanged: Collection[str] = (), previous: Path | None = None, known: Mapping[str, list | None] = {},
) -> dict[str, list | None]:
    """Each HTML page's [language, digest of its indexed content], or None for a page left out.

    `known` holds the records of pages already taken while they were written (see pages.py), so
    that this build's pages are not read back.
    """
    site = Path(site)
    records: dict[str, list | None] = {}
    for folder, subfolders, files in os.walk(site):
        if Path(folder) == site and BUNDLES in subfolders:
            subfolders.remove(BUNDLES)
        prefix = os.path.relpath(folder, site)
        for name in files:
            path = name if prefix == "." else f"{prefix}/{name}"
            if name.endswith(".html") and path not in unchanged:
                records[path] = known[path] if path in known else page_record(Path(folder, name).read_bytes())
    earlier = _previous_records(previous) if unchanged else {}
    for path in unchanged:
        if path.endswith(".html"):
            records[path] = earlier[path] if path in earlier else page_record((Path(previous) / path).read_bytes())
    return records


def page_record(html: bytes) -> list | None:
    content = indexed_content(html) if MARKER in html else None
    if content is None:
        return None
    lang = HTML_LANG.search(html).group(1).decode(errors="replace").lower()
    return [lang, hashlib.sha256(content).hexdigest()]


def _previous_records(previous: Path | None) -> dict[str, list | None]:
    if previous is None:
        return {}
    try:
        records = json.loads((Path(previous) / BUNDLES / PAGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def split_language(pages: list[Page], pages_per_bundle: int, order: Mapping[str, int] = {}) -> list[list[Page]]:
    """A language's pages in bundles, in the order of `order` (page path -> its story's number;
    pages without one last, by path): full bundles of pages_per_bundle, then the newest pages in
    bundles of a TAIL_PARTS-th of that, so that a new story, numbered after all the others,
    changes only the last small bundle (and, once they add up to a full one, the small ones)."""
    unnumbered = math.inf
    ranked = sorted(pages, key=lambda page: (order.get(page.path, unnumbered), page.path))
    full = len(ranked) - len(ranked) % pages_per_bundle
    small = max(1, pages_per_bundle // TAIL_PARTS)
    bundles = [ranked[start : start + pages_per_bundle] for start in range(0, full, pages_per_bundle)]
    bundles += [ranked[start : start + small] for start in range(full, len(ranked), small)]
    return bundles or [[]]


def plan_bundles(
    languages: dict[str, list[Page]], pages_per_bundle: int, pagefind: str, order: Mapping[str, int] = {},
) -> list[Bundle]:
    """The bundles to write, named by their place in their language (`hi`, `hi-2`, …)."""
    planned = []
    for lang, pages in languages.items():
        for number, members in enumerate(split_language(pages, pages_per_bundle, order), start=1):
            if members:
                name = lang if number == 1 else f"{lang}-{number}"
                planned.append(Bundle(name, lang, members, fingerprint(members, pagefind)))
    return planned


def fingerprint(pages: list[Page], pagefind: str) -> str:
    """Equal for two bundles that Pagefind would write alike."""
    digest = hashlib.sha256(b"\0".join([FINGERPRINT_SCHEME, pagefind.encode(), *map(str.encode, PAGEFIND_OPTIONS)]))
    for page in pages:
        digest.update(b"\n" + page.path.encode() + b"\0" + page.digest)
    return digest.hexdigest()


def index_site(
    site: Path, previous: Path | None = None, unchanged: Collection[str] = (), in_place: bool = False,
    pages_per_bundle: int = PAGES_PER_BUNDLE, known: Mapping[str, list | None] = {}, order: Mapping[str, int] = {},
) -> SearchIndex:
    """Write Pagefind bundles, per language, into `site/pagefind/`.

    `previous` is the previous build's site (it may be missing, or from older code): a bundle of
    it with the same fingerprint, and complete, is linked (or copied) instead of indexed again;
    `unchanged` are its pages that this build left as they were. Nothing in `previous` is
    changed, since it stays the site if this build fails. With `in_place`, `previous` is the site
    this build updates (see publish.py): its bundles that stay are left there, and listed in the
    result's `kept_files`, instead of being linked. `known` are page records already taken (see
    `page_records`); `order` numbers the story pages in the order their stories were first seen.
    """
    site = Path(site)
    bundles = site / BUNDLES
    shutil.rmtree(bundles, ignore_errors=True)
    bundles.mkdir()
    records = page_records(site, unchanged, previous, known)
    languages = _by_language(records, site, unchanged, previous)
    planned = plan_bundles(languages, pages_per_bundle, pagefind_version(), order)
    earlier = previous_fingerprints(previous)
    to_index, reused, kept_files = [], [], set()
    for bundle in planned:
        kept = Path(previous) / BUNDLES / bundle.name if earlier.get(bundle.name) == bundle.fingerprint else None
        if kept and (kept / "pagefind.js").is_file():
            if in_place:
                kept_files.update(f"{BUNDLES}/{bundle.name}/{name}" for name in publish.files_in(kept))
            else:
                shutil.copytree(kept, bundles / bundle.name, copy_function=link_or_copy)
            reused.append(bundle.name)
        else:
            to_index.append(bundle)
    # A Pagefind run keeps to about one core: bundles are indexed side by side, one per core.
    with ThreadPoolExecutor(max(1, min(available_cores(), len(to_index)))) as pool:
        list(pool.map(lambda bundle: index_bundle(site, bundle, bundles / bundle.name), to_index))
    indexed = [bundle.name for bundle in to_index]
    listed = [{"bundle": b.name, "lang": b.lang, "pages": len(b.pages), "fingerprint": b.fingerprint} for b in planned]
    (bundles / "languages.json").write_text(json.dumps(list(languages)), encoding="utf-8")
    (bundles / "bundles.json").write_text(json.dumps(listed), encoding="utf-8")
    (bundles / PAGES_FILE).write_text(json.dumps(dict(sorted(records.items())), indent=0), encoding="utf-8")
    logger.info("search: %d bundles indexed, %d unchanged since the previous build", len(indexed), len(reused))
    return SearchIndex(list(languages), indexed, reused, kept_files)


def previous_fingerprints(previous: Path | None) -> dict[str, str]:
    """The fingerprints in a previous site's bundles.json; none for a site from older code."""
    if previous is None:
        return {}
    try:
        listed = json.loads((Path(previous) / BUNDLES / "bundles.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {entry["bundle"]: entry["fingerprint"] for entry in listed if "fingerprint" in entry}


def index_bundle(site: Path, bundle: Bundle, target: Path) -> None:
    """Pagefind indexes the bundle's pages where they are, so that the URLs it records are the
    site's own: a glob names each of them (faster than copying them into a folder of their own).
    When some of them are the previous build's, left unchanged by this one, all are linked into a
    folder of their own, since Pagefind reads one folder.

    The glob goes in a config file, which Pagefind reads from its working folder, since hundreds of
    paths are too long for one argument; an empty folder keeps any other config file away.
    """
    glob = pages_glob([page.path for page in bundle.pages])
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"pagefind-{bundle.name}-"))
        Path(folder, "pagefind.json").write_text(json.dumps({"glob": glob}), encoding="utf-8")
        root = Path(site)
        if any(page.root not in (None, root) for page in bundle.pages):
            root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f".pages-{bundle.name}-", dir=site)))
            for page in bundle.pages:
                publish.take_over((page.root or Path(site)) / page.path, root / page.path)
        run_pagefind(root.resolve(), Path(target).resolve(), Path(folder))


def pages_glob(paths: list[str]) -> str:
    """A glob naming exactly these pages. Their common folder stands before the braces: Pagefind
    walks only what a glob's fixed start names, and a bundle's pages are all in stories/, while
    the whole site has twice as many folders (walking them all took 0.3 s of CPU a bundle at
    10,000 stories)."""
    folder = os.path.commonpath(paths) if paths else ""
    if folder in paths:  # one page, or a page whose path is a folder of the others'
        folder = os.path.dirname(folder)
    start = len(folder) + 1 if folder else 0
    prefix = _glob_escaped(folder) + "/" if folder else ""
    return prefix + "{" + ",".join(_glob_escaped(path[start:]) for path in paths) + "}"


def _glob_escaped(path: str) -> str:
    # Pagefind's globs refuse a backslash even escaped: `?` (any one character) stands for it.
    return "".join("\\" + c if c in GLOB_SYNTAX else "?" if c == "\\" else c for c in path)


def pagefind_binary() -> str:
    """The binary `python -m pagefind` would run (the pinned pagefind[bin]), run directly: a
    Python start-up for each of a full build's two dozen bundles cost about 3 s of CPU."""
    from pagefind.service import get_executable  # here: it imports asyncio, 0.08 s of every build

    found = get_executable()
    if found is None:
        raise SearchIndexError("no Pagefind binary: install the pinned pagefind[bin]")
    return str(found)


def pagefind_version() -> str:
    done = subprocess.run([pagefind_binary(), "--version"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SearchIndexError(f"pagefind --version failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout.strip()


def run_pagefind(site: Path, bundle: Path, folder: Path) -> None:
    command = [pagefind_binary(), *PAGEFIND_OPTIONS, "--site", str(site), "--output-path", str(bundle)]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"pagefind failed to write {bundle}: {(done.stderr or done.stdout).strip()}")
