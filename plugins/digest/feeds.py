"""Posts -> an Atom and an RSS feed for everything and for every listing, and one OPML file.

Feeds are built with feedgen from the Pelican articles the build already has. Every byte comes
from the posts' ledger data (date added, slug, modified date), never from the build's clock or
the order files were read in, so an unchanged site writes unchanged feeds and a reader sees only
new stories as new.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.ext.dc import DcEntryExtension, DcExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from .taxonomy import ATOM_SUFFIX, RSS_SUFFIX

ATOM, RSS = "atom", "rss"
SUFFIXES = {ATOM: ATOM_SUFFIX, RSS: RSS_SUFFIX}
MEDIA_TYPES = {ATOM: "application/atom+xml", RSS: "application/rss+xml"}
ALL_BASE = "feeds/all"
OPML_PATH = "feeds/digest.opml"
FEEDS_PAGE_URL = "feeds/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
KIND_LABELS = {
    "all": "Everything",
    "countries": "Countries",
    "sectors": "Sectors",
    "partnerships": "Partnerships",
    "languages": "Languages",
}
# What a feed of each kind holds, as its subtitle says.
SUBTITLES = {
    "countries": "Stories where {name} is a party to the cooperation",
    "sectors": "Stories about cooperation in {name}",
    "partnerships": "Stories about the {name} partnership",
    "languages": "Stories written in {name}",
}
# Characters XML 1.0 cannot hold at all: lxml refuses the whole feed if one stray control
# character from a seed reaches it, so they are dropped here.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The updated date of a feed with no entries yet: any fixed instant keeps the bytes stable.
NO_ENTRIES = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Category:
    term: str  # the listing's slug
    label: str  # its English name
    scheme: str  # the address of its kind's index, which tells countries from sectors


@dataclass(frozen=True)
class Entry:
    """One story as every feed shows it."""

    id: str
    link: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    summary: str  # HTML, escaped by the XML writer
    content: str  # HTML
    categories: tuple[Category, ...]
    author: str
    lang: str


@dataclass(frozen=True)
class FeedRef:
    """A listing's pair of feeds, as the feeds page, the listing pages and the OPML name them."""

    kind: str  # "all" or one of taxonomy.KINDS
    slug: str
    name: str  # English
    native: dict  # other languages' names, by language code
    base: str  # "feeds/countries/india": the feeds are base + SUFFIXES[format]
    page: str  # the listing page's site-relative URL ("" for the home page)
    lang: str
    title: str
    subtitle: str

    @property
    def atom(self) -> str:
        return self.base + SUFFIXES[ATOM]

    @property
    def rss(self) -> str:
        return self.base + SUFFIXES[RSS]


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def entry_id(article, authority: str) -> str:
    """Made of the date added and the slug, both fixed by the ledger when the seed was first seen,
    so neither moving the site nor a rebuild changes it."""
    added = article.metadata.get("added") or article.date.date().isoformat()
    return f"tag:{authority},{added}:{article.slug}"


def entry_dates(article) -> tuple[dt.datetime, dt.datetime]:
    """Published and updated."""
    published = midnight(article.date.date())
    modified = getattr(article, "modified", None)
    # A stated date later than the last change would read as an entry updated before it appeared.
    return published, (max(published, midnight(modified.date())) if modified else published)


def entry_for(article, siteurl: str, authority: str, site_name: str) -> Entry:
    """The feed entry of a post."""
    published, updated = entry_dates(article)
    view = article.digest
    categories = tuple(
        Category(term.slug, term.name, f"{siteurl}/{term.kind}/") for term in (*view.parties, *view.sectors)
    )
    return Entry(
        id=entry_id(article, authority),
        link=f"{siteurl}/{article.url}",
        title=xml_text(article.title),
        published=published,
        updated=updated,
        summary=xml_text(article.get_summary(siteurl) or ""),
        content=xml_text(article.get_content(siteurl)),
        categories=categories,
        author=xml_text(view.source or site_name),
        lang=article.lang,
    )


def _entry_order(entry: Entry) -> tuple[tuple[dt.datetime, dt.datetime], str]:
    return (entry.published, entry.updated), entry.id


def newest(items: list, limit: int, order: Callable = _entry_order) -> list:
    """The latest `limit` entries, newest first; ids (unique) break ties between equal dates.
    `order` gives an item's ((published, updated), id), so posts can be chosen before their
    entries are made."""
    ordered = sorted(items, key=lambda item: order(item)[1])
    ordered.sort(key=lambda item: order(item)[0], reverse=True)
    return ordered[:limit]


class _NoFeedFields(BaseExtension):
    """feedgen wants a feed half for every extension; the language lives on entries only."""


class _EntryLanguage(BaseEntryExtension):
    """Puts `xml:lang` on each entry and item: feedgen can only set it on the feed, and a Russian
    story in the India feed must not read as English."""

    lang = ""

    def extend_atom(self, entry):
        entry.set(XML_LANG, self.lang)
        return entry

    extend_rss = extend_atom


class _SharedItem(FeedEntry):
    """An entry in many feeds (a story is in a dozen): its XML element is made once per format,
    and each feed is given a copy of it. feedgen would make it anew for every feed, element by
    element in Python, which was 40 % of a feed's rendering."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[tuple[str, bool], etree._Element] = {}

    def atom_entry(self, extensions: bool = True) -> etree._Element:
        return self._copy((ATOM, extensions), super().atom_entry)

    def rss_entry(self, extensions: bool = True) -> etree._Element:
        return self._copy((RSS, extensions), super().rss_entry)

    def _copy(self, kind: tuple[str, bool], make: Callable[[bool], etree._Element]) -> etree._Element:
        if kind not in self._made:
            self._made[kind] = make(kind[1])
        return copy.deepcopy(self._made[kind])


def feed_item(entry: Entry) -> FeedEntry:
    """The entry as feedgen holds it. Made once per story, it may be added to any number of
    feeds: it keeps the extensions it was made with (the same as every feed's, in the same
    order; see feed_generator), and its XML (see _SharedItem)."""
    item = _SharedItem()
    item.register_extension("entry_lang", _EntryLanguage)
    item.register_extension("dc", DcEntryExtension, atom=False, rss=True)  # RSS's <author> must be an e-mail address
    item.id(entry.id)
    item.title(entry.title)
    item.link(href=entry.link)  # feedgen 1.0.0 drops an entry link's other attributes
    item.published(entry.published)
    item.updated(entry.updated)
    item.summary(entry.summary, type="html")
    item.content(entry.content, type="html")
    for category in entry.categories:
        item.category(term=category.term, label=category.label, scheme=category.scheme)
    item.author(name=entry.author)
    item.dc.dc_creator(entry.author)
    item.entry_lang.lang = entry.lang
    return item


def feed_generator(
    ref: FeedRef, entries: list[Entry], settings: dict, form: str, item_of: Callable[[Entry], FeedEntry] = feed_item
) -> FeedGenerator:
    siteurl = settings["SITEURL"]
    site_name = settings["SITENAME"]
    feed = FeedGenerator()
    feed.register_extension("entry_lang", _NoFeedFields, _EntryLanguage)
    feed.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
    feed.id(f"tag:{settings['DIGEST_TAG_AUTHORITY']},{settings['DIGEST_TAG_DATE']}:{ref.base}")
    feed.title(ref.title)
    feed.subtitle(ref.subtitle)
    feed.author(name=site_name, uri=f"{siteurl}/")
    # The self link first: feedgen makes the last link the RSS channel's <link>, the listing page.
    feed.link(href=f"{siteurl}/{ref.base}{SUFFIXES[form]}", rel="self", type=MEDIA_TYPES[form])
    feed.link(href=f"{siteurl}/{ref.page}", rel="alternate", type="text/html")
    feed.language(ref.lang)
    feed.updated(max((entry.updated for entry in entries), default=NO_ENTRIES))
    for entry in entries:
        # feedgen prepends by default; the extensions the item has already are kept.
        feed.add_entry(item_of(entry), order="append")
    return feed


def render(
    ref: FeedRef, entries: list[Entry], settings: dict, form: str, item_of: Callable[[Entry], FeedEntry] = feed_item
) -> bytes:
    """One feed's bytes: pretty-printed, and the same for the same entries on any day."""
    feed = feed_generator(ref, entries, settings, form, item_of)
    if form == ATOM:
        return feed.atom_str(pretty=True)
    return feed.rss_str(pretty=True)


def all_ref(settings: dict) -> FeedRef:
    return FeedRef(
        "all", "all", "Everything", {}, ALL_BASE, "", settings["DEFAULT_LANG"],
        settings["SITENAME"], settings.get("SITESUBTITLE") or "All stories",
    )


def term_ref(term, settings: dict) -> FeedRef:
    # A language's feed is in that language; the others mix languages under English titles.
    lang = term.key if term.kind == "languages" else settings["DEFAULT_LANG"]
    return FeedRef(
        term.kind, term.slug, term.name, dict(term.native), term.feed_base, term.url, lang,
        f"{settings['SITENAME']}: {term.name}", SUBTITLES[term.kind].format(name=term.name),
    )


@dataclass(frozen=True)
class FeedFile:
    """One feed file of the site, and the posts it holds."""

    ref: FeedRef
    form: str  # ATOM or RSS
    articles: tuple  # newest first, at most DIGEST_FEED_LIMIT

    @property
    def path(self) -> str:
        return f"{self.ref.base}{SUFFIXES[self.form]}"


def feed_files(terms: dict[str, list], articles: list, settings: dict) -> list[FeedFile]:
    """The feeds of everything and of every listing: everything first, then each kind's
    listings by name."""
    limit = int(settings["DIGEST_FEED_LIMIT"])
    authority = settings["DIGEST_TAG_AUTHORITY"]
    orders = {id(article): (entry_dates(article), entry_id(article, authority)) for article in articles}
    # Every post is placed once in the feeds' order: a listing's latest posts are its first by place.
    ranked = newest(articles, len(articles), lambda article: orders[id(article)])
    place = {id(article): number for number, article in enumerate(ranked)}
    listings = [(all_ref(settings), articles)]
    for kind_terms in terms.values():
        for term in sorted(kind_terms, key=lambda term: term.name):
            listings.append((term_ref(term, settings), term.articles))
    files = []
    for ref, posts in listings:
        latest = tuple(sorted(posts, key=lambda article: place[id(article)])[:limit])
        files.extend(FeedFile(ref, form, latest) for form in (ATOM, RSS))
    return files


class FeedWriter:
    """Renders feed files; a story's entry is made once, though it is in many feeds."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        self._entries: dict[int, Entry] = {}
        self._items: dict[int, FeedEntry] = {}  # by the id of the entry

    def render(self, feed: FeedFile) -> bytes:
        entries = [self._entry(article) for article in feed.articles]
        return render(feed.ref, entries, self.settings, feed.form, self._item)

    def _item(self, entry: Entry) -> FeedEntry:
        found = self._items.get(id(entry))
        if found is None:
            found = self._items[id(entry)] = feed_item(entry)
        return found

    def _entry(self, article) -> Entry:
        found = self._entries.get(id(article))
        if found is None:
            settings = self.settings
            found = self._entries[id(article)] = entry_for(
                article, settings["SITEURL"], settings["DIGEST_TAG_AUTHORITY"], settings["SITENAME"]
            )
        return found


def refs_of(files: list[FeedFile]) -> list[FeedRef]:
    """Each listing's pair of feeds once, in the files' order."""
    return [feed.ref for feed in files if feed.form == ATOM]


def grouped(refs: list[FeedRef]) -> list[tuple[str, list[FeedRef]]]:
    """The feeds by kind, in the order the feeds page and the OPML show them."""
    return [
        (label, [ref for ref in refs if ref.kind == kind])
        for kind, label in KIND_LABELS.items()
        if any(ref.kind == kind for ref in refs)
    ]


def opml(refs: list[FeedRef], settings: dict) -> str:
    """One OPML 2.0 file listing every feed, Atom and RSS, in a folder per kind."""
    siteurl = settings["SITEURL"]
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = f"{settings['SITENAME']}: all feeds"
    etree.SubElement(head, "docs").text = "http://opml.org/spec2.opml"
    body = etree.SubElement(root, "body")
    for label, group in grouped(refs):
        folder = etree.SubElement(body, "outline", text=label, title=label)
        for ref in group:
            for form, path in ((ATOM, ref.atom), (RSS, ref.rss)):
                text = f"{ref.title} ({'Atom' if form == ATOM else 'RSS'})"
                etree.SubElement(
                    folder, "outline", type="rss", text=text, title=text,
                    xmlUrl=f"{siteurl}/{path}", htmlUrl=f"{siteurl}/{ref.page}", language=ref.lang,
                )
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True).decode("utf-8")


def write_opml(refs: list[FeedRef], settings: dict, output_path) -> None:
    path = Path(output_path) / OPML_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(opml(refs, settings), encoding="utf-8")
