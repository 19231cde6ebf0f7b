"""Offline search: Pagefind indexes the stories into bundles per language, in a process of its own
that starts as soon as the seeds are planned and works while Pelican builds the site.

Pagefind splits its index by each page's `<html lang>` but loads only the index of the page it
runs on, so one bundle could not answer a Russian word on an English search page. One bundle per
language (`pagefind/hi/`, `pagefind/ru/`, …), each stemmed by its own language's rules, lets the
search page ask every bundle; `pagefind/bundles.json` lists them for it. A language with many
stories is split into several bundles (`hi`, `hi-2`, …): Pagefind holds a whole bundle in memory
while indexing.

What Pagefind reads of a story page is its `<html lang>`, the element marked data-pagefind-body
(the headline, standfirst and text; the parts marked data-pagefind-ignore count for nothing) and
its first `<h1>`. All of it follows from the story's article, its slug and its date, so each
story is given to Pagefind as a document made from those (`document`), in a folder in memory,
rather than as its rendered page: indexing needs nothing Pelican makes, and a full build's two
cores are kept busy while Pelican works on one (Pagefind's CPU is about a third of a full build).
tests/test_search.py checks that Pagefind reads the same from a document as from the page.

A language's stories fill its bundles in the order they were first seen (the ledger's numbers,
see ledger.py): full bundles of PAGES_PER_BUNDLE, then the newest stories, short of a full
bundle, in small ones of a fifth of that. A new story changes only the last small bundle (about
50 stories on average), and five small bundles become one full one once in 500 new stories; the
search page asks at most four more bundles a language. (Removing a story moves the later ones up,
and their bundles are indexed again.) A bundle whose fingerprint (its stories' paths and
documents, Pagefind's version and our options) is the previous build's is taken over from it
instead of being indexed again (Pagefind cannot add a page to a bundle). Each story's record
(`pages.json`: its language, its document's digest and what the document was made from) lets a
rebuild tell this without making the documents of unchanged stories.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import escape
from pathlib import Path

from pelican.utils import SafeDatetime

from . import publish
from .cache import detection_version
from .model import Article, SeedError
from .parallel import available_cores
from .post import render_body, render_post
from .publish import link_or_copy
from .reader import DigestReader, NotPlain, plain_html

logger = logging.getLogger(__name__)

BUNDLES = "pagefind"
PAGES_FILE = "pages.json"  # in BUNDLES: each story's [language, document's digest, made from]
PAGES_PER_BUNDLE = 500
TAIL_PARTS = 5  # the newest stories, short of a full bundle, are in bundles of 100
PAGEFIND_OPTIONS = ("--silent",)
FINGERPRINT_SCHEME = b"digest-search-2"  # changes when what a bundle is made from does
# Settings a story's document depends on, besides the article: its date's format, and the
# Markdown of a post that the digest's reader leaves to Python-Markdown.
DOCUMENT_SETTINGS = ("DEFAULT_DATE_FORMAT", "DATE_FORMATS", "MARKDOWN", "ARTICLE_SAVE_AS")
# Documents are written where making a file costs a hundredth of what it costs on a disk.
MEMORY = Path("/dev/shm")


class SearchIndexError(RuntimeError):
    pass


@dataclass(frozen=True)
class Story:
    """A published story, as the seeds' plan gives it."""

    slug: str
    number: int  # the order stories were first seen in (see ledger.py); bundles fill in it
    added: dt.date  # the story's date when its text states none
    made_from: str | None  # the seed's bytes and the code that read them; None when not known
    load: Callable[[], Article]  # the article: a rebuild has most of them only in its store


@dataclass(frozen=True)
class Page:
    """A story in a bundle: `digest` and `made_from` are the previous build's record of it, or
    `article` is at hand to make its document."""

    path: str  # in the site, e.g. "stories/x/index.html": Pagefind makes the result's URL of it
    slug: str
    lang: str
    number: int
    key: str | None  # what the document is made from, when that is known without making it
    digest: str | None = None
    article: Article | None = None
    added: dt.date | None = None


@dataclass(frozen=True)
class Bundle:
    name: str
    lang: str
    pages: list[Page]


@dataclass(frozen=True)
class SearchIndex:
    languages: list[str]
    indexed: list[str]  # bundles Pagefind wrote in this build
    reused: list[str]  # bundles taken over from the previous build
    kept_files: set[str] = field(default_factory=set)  # their files, when left in the previous site


# --- What Pagefind reads of a story ------------------------------------------------------------

def document(article: Article, slug: str, added: dt.date, settings: Mapping) -> bytes:
    """What Pagefind reads of the story's page (theme/templates/article.html), as a page of its own:
    its language, the element marked data-pagefind-body less the parts it ignores, and the
    headline as its first `<h1>`. The text is the HTML Pelican makes of the post's body."""
    lang = escape(article.lang)
    day = article.date or added
    date = SafeDatetime(day.year, day.month, day.day)  # as Pelican reads the post's date
    formats = settings.get("DATE_FORMATS") or {}
    date_format = formats.get(article.lang, settings["DEFAULT_DATE_FORMAT"])
    if isinstance(date_format, tuple):  # (locale, format): the names of months are the locale's
        date_format = date_format[1]
    # The post's fields are written on one line each (see post.py), so their spaces are folded.
    standfirst = f'<p class="standfirst">{escape(_folded(article.standfirst))}</p>' if article.standfirst else ""
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title></title></head><body>'
        f'<article lang="{lang}" data-pagefind-body data-pagefind-meta="date:{escape(date.strftime(date_format))}">'
        f"<h1>{escape(_folded(article.title))}</h1>{standfirst}"
        f'<div class="body">{_body_html(article, slug, added, settings)}</div></article></body></html>'
    ).encode("utf-8")


def _folded(text: str) -> str:
    return " ".join(text.split())


def _body_html(article: Article, slug: str, added: dt.date, settings: Mapping) -> str:
    """The HTML Pelican makes of the post's body: the digest's reader's, for the posts it reads
    itself, and for the others (about one in a thousand) that reader's on the post itself."""
    body = render_body(article.blocks)
    try:
        return plain_html(body)
    except NotPlain:
        text = render_post(article, slug=slug, added=added, updated=None, body=body)
        memory = _memory_folder()
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".md", dir=memory) as post:
            post.write(text)
            post.flush()
            return DigestReader(dict(settings)).read(post.name)[0]


def story_path(slug: str, settings: Mapping) -> str:
    return settings["ARTICLE_SAVE_AS"].format(slug=slug)


def document_scheme(settings: Mapping) -> str:
    """What every story's document follows from besides its own article: the code that reads
    seeds and makes documents, and the settings that shape documents."""
    shaping = json.dumps({name: settings.get(name) for name in DOCUMENT_SETTINGS}, sort_keys=True, default=repr)
    return "\0".join((FINGERPRINT_SCHEME.decode(), detection_version(), shaping))


def made_from(scheme: str, seed_key: str | None, slug: str, added: dt.date) -> str | None:
    """What a story's document follows from: the `document_scheme`, the seed's bytes (their
    hash, the seed store's key), its slug and its date added; None when the bytes are not known."""
    if seed_key is None:
        return None
    return hashlib.sha256("\0".join((scheme, seed_key, slug, added.isoformat())).encode()).hexdigest()[:32]


# --- Bundles -----------------------------------------------------------------------------------

def split_language(pages: list[Page], pages_per_bundle: int) -> list[list[Page]]:
    """A language's pages in bundles, in the order their stories were first seen: full bundles of
    pages_per_bundle, then the newest pages in bundles of a TAIL_PARTS-th of that, so that a new
    story, numbered after all the others, changes only the last small bundle (and, once they add
    up to a full one, the small ones)."""
    ranked = sorted(pages, key=lambda page: (page.number, page.path))
    full = len(ranked) - len(ranked) % pages_per_bundle
    small = max(1, pages_per_bundle // TAIL_PARTS)
    bundles = [ranked[start : start + pages_per_bundle] for start in range(0, full, pages_per_bundle)]
    bundles += [ranked[start : start + small] for start in range(full, len(ranked), small)]
    return bundles


def plan_bundles(pages: list[Page], pages_per_bundle: int) -> list[Bundle]:
    """The bundles to write, named by their place in their language (`hi`, `hi-2`, …)."""
    by_language: dict[str, list[Page]] = {}
    for page in pages:
        by_language.setdefault(page.lang, []).append(page)
    planned = []
    for lang in sorted(by_language):
        for number, members in enumerate(split_language(by_language[lang], pages_per_bundle), start=1):
            planned.append(Bundle(lang if number == 1 else f"{lang}-{number}", lang, members))
    return planned


def fingerprint(pages: list[Page], pagefind: str) -> str:
    """Equal for two bundles that Pagefind would write alike."""
    digest = hashlib.sha256(b"\0".join([FINGERPRINT_SCHEME, pagefind.encode(), *map(str.encode, PAGEFIND_OPTIONS)]))
    for page in pages:
        digest.update(f"\n{page.path}\0{page.digest}".encode())
    return digest.hexdigest()


def plan_pages(stories: list[Story], settings: Mapping, previous: Path | None, pages_per_bundle: int) -> list[Page]:
    """The pages to index, each with its previous record where what it is made from did not
    change, and its article where its document has to be made: every page of a bundle that may
    have changed. Run where the articles are (a rebuild loads the few it needs from its store);
    a story whose article can no longer be had is left out, as its post is."""
    records = previous_records(previous)
    pages: dict[str, Page] = {}
    loaders: dict[str, Story] = {}
    for story in stories:
        path = story_path(story.slug, settings)
        loaders[path] = story
        record = records.get(path)
        if story.made_from is not None and record is not None and record[2] == story.made_from:
            pages[path] = Page(path, story.slug, record[0], story.number, story.made_from, digest=record[1])
            continue
        loaded = _load(story)
        if loaded is not None:
            pages[path] = Page(
                path, story.slug, loaded.lang, story.number, story.made_from, article=loaded, added=story.added
            )
    earlier = previous_fingerprints(previous)
    version = pagefind_version() if earlier else ""
    for bundle in plan_bundles(list(pages.values()), pages_per_bundle):
        known = all(page.article is None for page in bundle.pages)
        if known and _kept(previous, bundle.name, earlier, fingerprint(bundle.pages, version)):
            continue  # taken over as it was
        for page in bundle.pages:  # every document of a bundle to index again is made
            if page.article is None:
                loaded = _load(loaders[page.path])
                pages[page.path] = replace(page, article=loaded, added=loaders[page.path].added) if loaded else page
    return list(pages.values())


def _load(story: Story) -> Article | None:
    try:
        return story.load()
    except SeedError:  # the store lost the article and the seed is now bad: it has no post
        return None


def index_stories(
    pages: list[Page], site: Path, settings: Mapping, previous: Path | None = None, in_place: bool = False,
    pages_per_bundle: int = PAGES_PER_BUNDLE,
) -> SearchIndex:
    """Write the bundles into `site/pagefind/`, taking over from the `previous` site (it may be
    missing, or from older code) each bundle whose fingerprint is the same, and complete. Nothing
    in `previous` is changed: it stays the site if this build fails. With `in_place`, `previous`
    is the site this build updates (see publish.py): its bundles that stay are left there, and
    listed in the result's `kept_files`, instead of being linked."""
    bundles = Path(site) / BUNDLES
    shutil.rmtree(bundles, ignore_errors=True)
    bundles.mkdir(parents=True)
    planned = plan_bundles(pages, pages_per_bundle)
    earlier = previous_fingerprints(previous)
    version = pagefind_version()

    def write(bundle: Bundle) -> tuple[Bundle, str, bool]:
        documents = {
            page.path: document(page.article, page.slug, page.added, settings) for page in bundle.pages if page.article
        }
        members = [replace(page, digest=_digest(documents[page.path])) if page.path in documents else page
                   for page in bundle.pages]
        recorded = replace(bundle, pages=members)
        print_ = fingerprint(members, version)
        if _kept(previous, bundle.name, earlier, print_):
            return recorded, print_, False
        if len(documents) != len(members):
            raise SearchIndexError(f"bundle {bundle.name} changed, but not every story's document is at hand")
        index_documents(documents, bundles / bundle.name)
        return recorded, print_, True

    # A Pagefind run keeps to about one core: bundles are indexed side by side, one per core.
    with ThreadPoolExecutor(max(1, min(available_cores(), len(planned)))) as pool:
        written = list(pool.map(write, planned))
    indexed, reused, kept_files = [], [], set()
    for bundle, _, indexed_now in written:
        if indexed_now:
            indexed.append(bundle.name)
            continue
        reused.append(bundle.name)
        kept = Path(previous) / BUNDLES / bundle.name
        if in_place:
            kept_files.update(f"{BUNDLES}/{bundle.name}/{name}" for name in publish.files_in(kept))
        else:
            shutil.copytree(kept, bundles / bundle.name, copy_function=link_or_copy)
    languages = sorted({bundle.lang for bundle in planned})
    listed = [{"bundle": b.name, "lang": b.lang, "pages": len(b.pages), "fingerprint": f} for b, f, _ in written]
    records = {page.path: [page.lang, page.digest, page.key] for bundle, _, _ in written for page in bundle.pages}
    (bundles / "languages.json").write_text(json.dumps(languages), encoding="utf-8")
    (bundles / "bundles.json").write_text(json.dumps(listed), encoding="utf-8")
    (bundles / PAGES_FILE).write_text(json.dumps(dict(sorted(records.items())), indent=0), encoding="utf-8")
    logger.info("search: %d bundles indexed, %d unchanged since the previous build", len(indexed), len(reused))
    return SearchIndex(languages, indexed, reused, kept_files)


def _kept(previous: Path | None, name: str, earlier: Mapping[str, str], print_: str) -> bool:
    """Whether the previous build wrote the bundle with this fingerprint, and whole."""
    if previous is None or earlier.get(name) != print_:
        return False
    return (Path(previous) / BUNDLES / name / "pagefind.js").is_file()


def _digest(document: bytes) -> str:
    return hashlib.sha256(document).hexdigest()[:32]


def index_documents(documents: Mapping[str, bytes], target: Path) -> None:
    """Pagefind indexes the documents, each at its page's path in a folder of their own, so that
    the URLs it records are the site's."""
    with tempfile.TemporaryDirectory(prefix="digest-search-", dir=_memory_folder()) as folder:
        root = Path(folder, "site")
        for path, content in documents.items():
            page = root / path
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_bytes(content)
        # An empty working folder keeps any pagefind.json config file away.
        run_pagefind(root, Path(target).resolve(), Path(folder))


def _memory_folder() -> Path | None:
    return MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else None


def previous_records(previous: Path | None) -> dict[str, list]:
    """The previous build's record of each story: [language, document's digest, made from]."""
    if previous is None:
        return {}
    try:
        records = json.loads((Path(previous) / BUNDLES / PAGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(records, dict):
        return {}
    return {path: record for path, record in records.items() if isinstance(record, list) and len(record) == 3}


def previous_fingerprints(previous: Path | None) -> dict[str, str]:
    """The fingerprints in a previous site's bundles.json; none for a site from older code."""
    if previous is None:
        return {}
    try:
        listed = json.loads((Path(previous) / BUNDLES / "bundles.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {entry["bundle"]: entry["fingerprint"] for entry in listed if "fingerprint" in entry}


# --- Pagefind ----------------------------------------------------------------------------------

def pagefind_binary() -> str:
    """The binary `python -m pagefind` would run (the pinned pagefind[bin]), run directly: a
    Python start-up for each of a full build's two dozen bundles cost about 3 s of CPU."""
    from pagefind.service import get_executable  # here: it imports asyncio, 0.08 s of every build

    found = get_executable()
    if found is None:
        raise SearchIndexError("no Pagefind binary: install the pinned pagefind[bin]")
    return str(found)


@lru_cache(maxsize=1)
def pagefind_version() -> str:
    """Asked once per process; the search process inherits the build's answer."""
    done = subprocess.run([pagefind_binary(), "--version"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SearchIndexError(f"pagefind --version failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout.strip()


def run_pagefind(site: Path, bundle: Path, folder: Path) -> None:
    command = [pagefind_binary(), *PAGEFIND_OPTIONS, "--site", str(site), "--output-path", str(bundle)]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"pagefind failed to write {bundle}: {(done.stderr or done.stdout).strip()}")
