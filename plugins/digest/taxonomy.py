"""Posts -> the digest's listings: countries (parties), sectors, partnerships and languages.

Plain functions over Pelican articles' metadata, so they can be tested without a build.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from babel import Locale
from slugify import slugify

from .countries import country_name, country_slug
from .sectors import sectors

NATIVE_LANGS = ("hi", "ru")
KINDS = ("countries", "sectors", "partnerships", "languages")
WORDS_PER_MINUTE = 200


@dataclass
class Term:
    """One listing: a country, a sector, a partnership or a language, with its stories."""

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
    reading_minutes: int


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


def build_terms(articles: list) -> dict[str, list[Term]]:
    """Every listing with its stories (newest first, as the articles come), by kind."""
    terms: dict[str, dict[str, Term]] = {kind: {} for kind in KINDS}

    def add(term: Term, article) -> Term:
        known = terms[term.kind].setdefault(term.key, term)
        known.articles.append(article)
        return known

    for article in articles:
        meta = article.metadata
        parties = split_list(meta.get("countries"))
        views = dict(
            parties=tuple(add(country_term(code), article) for code in parties),
            mentions=tuple(country_term(code) for code in split_list(meta.get("mentions"))),
            sectors=tuple(add(sector_term(slug), article) for slug in split_list(meta.get("sectors")) if slug in sectors()),
            partnerships=tuple(
                add(partnership_term(pair), article) for pair in combinations(sorted(parties), 2)
            ),
            language=add(language_term(article.lang), article),
        )
        article.digest = StoryView(
            **views,
            date_source=meta.get("date-source", "text"),
            standfirst=meta.get("standfirst"),
            source=meta.get("source"),
            reading_minutes=max(1, round(len(article.content.split()) / WORDS_PER_MINUTE)),
        )
    return {
        kind: sorted(found.values(), key=lambda term: (-len(term.articles), term.name))
        for kind, found in terms.items()
    }


def matrix(terms: dict[str, list[Term]]) -> tuple[list[Term], list[Term], dict[tuple[str, str], int]]:
    """Country × sector counts of stories, for the home page's picture."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for country in terms["countries"]:
        for article in country.articles:
            for sector in article.digest.sectors:
                counts[(country.key, sector.key)] += 1
    return terms["countries"], terms["sectors"], dict(counts)
