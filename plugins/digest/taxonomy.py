"""Posts -> the digest's listings: countries (parties), sectors, partnerships and languages.

Plain functions over Pelican articles' metadata, so they can be tested without a build.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, combinations

from babel import Locale
from slugify import slugify

from .countries import country_name, country_slug
from .parallel import start_forked
from .related import Ranking, related_positions
from .sectors import sectors

NATIVE_LANGS = ("hi", "ru")
KINDS = ("countries", "sectors", "partnerships", "languages")
ATOM_SUFFIX, RSS_SUFFIX = ".atom.xml", ".rss.xml"
WORDS_PER_MINUTE = 200
RELATED_LIMIT = 4
RELATED_IN_BACKGROUND = 500  # stories from which ranking them all in a worker pays for starting it
# Regional indicator symbol letter A: a pair of them spelling an ISO code shows as that country's flag.
REGIONAL_A = 0x1F1E6
_TAGS = re.compile(r"<[^>]*>")


@dataclass(eq=False)
class Term:
    """One listing: a country, a sector, a partnership or a language, with its stories. A build
    makes one object per listing, so listings are told apart (and counted) by identity."""

    kind: str  # one of KINDS
    key: str  # "IN", "energy", "IN-RU", "hi"
    slug: str
    name: str  # English
    native: dict[str, str]  # other languages' names, by language code
    articles: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{self.kind}/{self.slug}/"

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"

    @property
    def feed_base(self) -> str:
        return f"feeds/{self.kind}/{self.slug}"

    @property
    def atom_feed(self) -> str:
        return self.feed_base + ATOM_SUFFIX

    @property
    def rss_feed(self) -> str:
        return self.feed_base + RSS_SUFFIX

    @property
    def countries(self) -> tuple[str, ...]:
        """The ISO codes a country or partnership listing is about."""
        return tuple(self.key.split("-")) if self.kind in ("countries", "partnerships") else ()

    @cached_property
    def flags(self) -> str:
        """Worked out once: a listing's flags are shown beside every link to it."""
        return "".join(flag(code) for code in self.countries)


@dataclass(frozen=True)
class StoryView:
    """What the theme shows about one story beside its text."""

    parties: tuple[Term, ...]
    mentions: tuple[Term, ...]
    sectors: tuple[Term, ...]
    partnerships: tuple[Term, ...]
    language: Term
    date_source: str
    standfirst: str | None
    source: str | None
    body: str  # the story's HTML as read, for its reading time
    related: tuple = ()  # other stories sharing parties and sectors, closest first
    newer: object = None  # the neighbouring stories in time, for previous/next links
    older: object = None

    @cached_property
    def listings(self) -> tuple[Term, ...]:
        """The listings that hold the story (not those it only mentions), as facets count them."""
        return (*self.parties, *self.sectors, *self.partnerships, self.language)

    @cached_property
    def word_count(self) -> int:
        """The words of the story's text, as a reader counts them (a Hindi word with its vowel
        signs is one). Counted only where a page shows it: a rebuild renders few story pages, and
        counting the words of every story took a fifth of a second at 10,000 stories."""
        return len(_TAGS.sub(" ", self.body).split())

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))


def flag(code: str) -> str:
    """'IN' -> 🇮🇳: no image to ship, and a reader without a flag font sees the two letters."""
    return "".join(chr(REGIONAL_A + ord(letter) - ord("A")) for letter in code.upper() if "A" <= letter <= "Z")


def split_list(value) -> list[str]:
    if not value:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [item.strip() for item in str(value).split(",") if item.strip()]


@lru_cache(maxsize=256)
def language_names(code: str) -> tuple[str, dict[str, str]]:
    english = Locale("en").languages.get(code, code)
    native = {}
    for lang in (code, *NATIVE_LANGS):
        try:
            native[lang] = Locale(lang).languages.get(code, english)
        except Exception:
            continue
    return english, native


def country_term(code: str) -> Term:
    return Term("countries", code, country_slug(code), country_name(code, "en"),
                {lang: country_name(code, lang) for lang in NATIVE_LANGS})


def partnership_term(codes: tuple[str, ...]) -> Term:
    names = sorted(country_name(code, "en") for code in codes)
    by_name = sorted(codes, key=lambda code: country_name(code, "en"))
    native = {lang: "–".join(country_name(code, lang) for code in by_name) for lang in NATIVE_LANGS}
    return Term("partnerships", "-".join(by_name), slugify("-".join(names)), "–".join(names), native)


def sector_term(slug: str) -> Term:
    sector = sectors()[slug]
    return Term("sectors", slug, slug, sector.name, {lang: sector.names[lang] for lang in NATIVE_LANGS})


def language_term(code: str) -> Term:
    english, native = language_names(code)
    return Term("languages", code, slugify(english), english, native)


def build_terms(articles: list, ranked_before: Ranking | None = None) -> tuple[dict[str, list[Term]], Ranking]:
    """Every listing with its stories (newest first, as the articles come), by kind; and the
    ranking of related stories, from which the next build can start (see related.py)."""
    terms: dict[str, dict[str, Term]] = {kind: {} for kind in KINDS}
    mentioned: dict[str, Term] = {}  # countries only mentioned have no page: their terms stay apart

    def add(kind: str, key, make, article) -> Term:
        """The listing of this kind and key (made on first use: names come from CLDR), with the
        article added to it."""
        known = terms[kind].get(key)
        if known is None:
            known = terms[kind][key] = make(key)
        known.articles.append(article)
        return known

    def mention(code: str) -> Term:
        found = mentioned.get(code)
        if found is None:
            found = mentioned[code] = country_term(code)
        return found

    known_sectors = sectors()
    tagged = [
        (split_list(article.metadata.get("countries")),
         [slug for slug in split_list(article.metadata.get("sectors")) if slug in known_sectors])
        for article in articles
    ]
    # Ranking every story takes long enough to be done on another core while this one makes the
    # listings; starting from the previous build's ranking takes less than starting a worker.
    related = start_forked(
        related_positions, [story_tags(*tags) for tags in tagged], RELATED_LIMIT,
        [article.slug for article in articles], ranked_before,
        background=ranked_before is None and len(articles) >= RELATED_IN_BACKGROUND,
    )
    listed = [
        (
            tuple(add("countries", code, country_term, article) for code in parties),
            tuple(add("sectors", slug, sector_term, article) for slug in sector_slugs),
            tuple(add("partnerships", pair, partnership_term, article) for pair in combinations(sorted(parties), 2)),
            add("languages", article.lang, language_term, article),
        )
        for article, (parties, sector_slugs) in zip(articles, tagged)
    ]
    positions, ranking = related()
    countries = terms["countries"]
    last = len(articles) - 1
    for position, (article, (parties, sector_terms, partnerships, language)) in enumerate(zip(articles, listed)):
        meta = article.metadata
        article.digest = StoryView(
            parties=parties,
            # A mentioned country links to its page where it has one (it is a party elsewhere).
            mentions=tuple(countries.get(code) or mention(code) for code in split_list(meta.get("mentions"))),
            sectors=sector_terms,
            partnerships=partnerships,
            language=language,
            date_source=meta.get("date-source", "text"),
            standfirst=meta.get("standfirst"),
            source=meta.get("source"),
            # Pelican's `content` also rewrites links to other content, which a post never has.
            body=article._content,
            # Once every story is seen: related stories (by position, see `story_tags`), and the
            # previous and next in time (the articles come newest first).
            related=tuple(articles[other] for other in positions[position]),
            newer=articles[position - 1] if position > 0 else None,
            older=articles[position + 1] if position < last else None,
        )
    listings = {
        kind: sorted(found.values(), key=lambda term: (-len(term.articles), term.name))
        for kind, found in terms.items()
    }
    return listings, ranking


def story_tags(parties: list[str], sector_slugs: list[str]) -> frozenset[tuple]:
    """What related stories share: other stories rank by how many parties, sectors and
    partnerships they share with this one, newest first among equals. One shared tag is not
    enough: nearly every story shares a party with many."""
    return frozenset((
        *(("countries", code) for code in parties),
        *(("sectors", slug) for slug in sector_slugs),
        *(("partnerships", pair) for pair in combinations(sorted(parties), 2)),
    ))


def facets(term: Term) -> dict[str, list[tuple[Term, int]]]:
    """Where a listing's stories also belong, with counts: a country's partner countries, sectors
    and partnerships; a sector's countries; and so on. The listing itself (and a partnership's own
    two countries) is left out, and a country keeps only the partnerships it is part of."""
    own = {(term.kind, term.key)} | {("countries", code) for code in term.countries}
    counts = Counter(chain.from_iterable(article.digest.listings for article in term.articles))
    found = [
        (other, count) for other, count in counts.items()
        if (other.kind, other.key) not in own
        and not (term.kind == "countries" and other.kind == "partnerships" and term.key not in other.countries)
    ]
    return {
        kind: sorted(
            ((other, count) for other, count in found if other.kind == kind),
            key=lambda item: (-item[1], item[0].name),
        )
        for kind in KINDS
    }
