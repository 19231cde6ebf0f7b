"""Links between stories and listings: flags, related stories, previous/next, and what a
listing's stories also cover."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from digest import charts, taxonomy


def post(slug: str, day: str, countries: str, sectors: str, lang: str = "en", mentions: str = "", words: int = 400):
    return SimpleNamespace(
        slug=slug, lang=lang, date=dt.date.fromisoformat(day), _content="<p>word</p> " * words,
        metadata={"countries": countries, "sectors": sectors, "mentions": mentions},
    )


@pytest.fixture
def posts():
    """Newest first, as Pelican hands them over."""
    return [
        post("in-ru-energy", "2025-05-01", "IN, RU", "energy, trade-investment"),
        post("cn-ru-energy", "2025-04-01", "CN, RU", "energy", lang="ru"),
        post("in-ru-defence", "2025-03-01", "IN, RU", "defence", mentions="CN"),
        post("uz-kr-industry", "2025-02-01", "KR, UZ", "industry", mentions="JP"),
    ]


@pytest.mark.parametrize("code, flag", [("IN", "🇮🇳"), ("ru", "🇷🇺"), ("", "")])
def test_a_flag_is_two_regional_indicator_letters(code, flag):
    assert taxonomy.flag(code) == flag


def test_a_partnership_shows_both_flags_and_a_sector_none():
    assert taxonomy.partnership_term(("RU", "IN")).flags == "🇮🇳🇷🇺"
    assert taxonomy.sector_term("energy").flags == ""


@pytest.mark.parametrize("words, minutes", [(0, 1), (250, 1), (400, 2), (1000, 5)])
def test_a_story_takes_a_minute_per_200_words_and_at_least_one(words, minutes):
    story = post("s", "2025-05-01", "IN, RU", "energy", words=words)
    taxonomy.build_terms([story])
    assert story.digest.reading_minutes == minutes


def by_slug(posts):
    return {p.slug: p for p in posts}


def test_related_stories_share_at_least_two_of_parties_sectors_and_partnerships(posts):
    taxonomy.build_terms(posts)
    found = {p.slug: [r.slug for r in p.digest.related] for p in posts}
    # Same partnership (India, Russia, India–Russia) ranks first; Russia and energy come next.
    assert found["in-ru-energy"] == ["in-ru-defence", "cn-ru-energy"]
    assert found["uz-kr-industry"] == []  # shares nothing with the others


def test_previous_and_next_follow_the_dates(posts):
    taxonomy.build_terms(posts)
    stories = by_slug(posts)
    assert stories["in-ru-energy"].digest.newer is None
    assert stories["in-ru-energy"].digest.older is stories["cn-ru-energy"]
    assert stories["uz-kr-industry"].digest.newer is stories["in-ru-defence"]


def test_a_mention_links_to_the_country_page_only_when_there_is_one(posts):
    taxonomy.build_terms(posts)
    stories = by_slug(posts)
    (china,) = stories["in-ru-defence"].digest.mentions
    (japan,) = stories["uz-kr-industry"].digest.mentions
    assert china.articles and not japan.articles  # China is a party elsewhere, Japan never


def test_a_country_page_counts_its_partners_sectors_and_own_partnerships(posts):
    terms, _ = taxonomy.build_terms(posts)
    russia = next(t for t in terms["countries"] if t.key == "RU")
    facets = {kind: [(term.key, count) for term, count in found] for kind, found in taxonomy.facets(russia).items()}
    assert facets["countries"] == [("IN", 2), ("CN", 1)]  # Russia itself is no partner
    assert facets["sectors"] == [("energy", 2), ("defence", 1), ("trade-investment", 1)]
    assert facets["partnerships"] == [("IN-RU", 2), ("CN-RU", 1)]
    assert facets["languages"] == [("en", 2), ("ru", 1)]


def test_a_listing_page_gets_its_facets_as_bars_counted_only_when_it_reads_them(posts, monkeypatch):
    """A rebuild takes most listing pages over unrendered: their facets are never counted."""
    terms, _ = taxonomy.build_terms(posts)
    russia = next(t for t in terms["countries"] if t.key == "RU")
    counted = []
    monkeypatch.setattr(charts, "facets", lambda term: counted.append(term) or taxonomy.facets(term))
    bars = charts.FacetBars(russia)
    assert counted == []
    assert [(bar.term.key, bar.count, bar.percent) for bar in bars["sectors"]] == [
        ("energy", 2, 100), ("defence", 1, 50), ("trade-investment", 1, 50),
    ]
    assert list(bars) == list(taxonomy.KINDS)
    assert counted == [russia]  # counted once, however often the page reads them


def test_a_partnership_page_leaves_out_its_own_two_countries(posts):
    terms, _ = taxonomy.build_terms(posts)
    india_russia = next(t for t in terms["partnerships"] if t.key == "IN-RU")
    assert taxonomy.facets(india_russia)["countries"] == []


def test_related_stories_ranked_in_a_worker_are_those_ranked_here(monkeypatch):
    """A large site ranks related stories on another core: the same stories as ranking them here."""
    codes = ["IN", "RU", "CN", "UZ", "KR", "JP", "BR"]
    slugs = ["energy", "defence", "trade-investment", "industry", "health"]
    count = taxonomy.RELATED_IN_BACKGROUND + 100

    def site():
        return [
            post(f"s{n}", f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
                 ", ".join(sorted({codes[n % 7], codes[(n * 3 + 1) % 7]})), ", ".join(sorted({slugs[n % 5], slugs[n * 7 % 5]})))
            for n in range(count)
        ]
    forked = site()
    taxonomy.build_terms(forked)
    monkeypatch.setattr(taxonomy, "RELATED_IN_BACKGROUND", 10**9)
    here = site()
    taxonomy.build_terms(here)
    related = [[r.slug for r in p.digest.related] for p in forked]
    assert related == [[r.slug for r in p.digest.related] for p in here]
    assert sum(map(len, related)) > 2 * len(related)
