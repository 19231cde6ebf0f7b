"""Reading a seed's text: headline, standfirst, date, language, source, body structure, junk."""

import json
from pathlib import Path

import pytest

from digest.decode import decode_seed
from digest.extract import HeaderError, cut_at_word, detect_language, extract, find_source, short_title, split_header

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {e["seed"]: e for e in json.loads((ROOT / "tests/expected_examples.json").read_text())}


def read(seed: str):
    return extract(decode_seed((ROOT / "seeds" / seed).read_bytes()))


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_examples_read_as_a_careful_reader_does(seed):
    expected, article = EXPECTED[seed], read(seed)
    if expected.get("title"):
        assert article.title == expected["title"]
    assert len(article.title) <= 100
    assert article.date == (expected["date"] and __import__("datetime").date.fromisoformat(expected["date"]))
    assert article.lang == expected["lang"]
    assert article.source == expected["source"]
    if "standfirst" in expected:
        assert article.standfirst == expected["standfirst"]
    headings = [b.text for b in article.blocks if b.kind == "heading"]
    for heading in expected.get("headings", []):
        assert heading in headings


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_no_junk_survives(seed):
    text = " \n".join(b.text for b in read(seed).blocks)
    for junk in ("What's Your Reaction?", "SP_Singh", "Follow Daryo", "Comments (0)"):
        assert junk not in text
    lines = [b.text for b in read(seed).blocks]
    assert read(seed).title not in lines, "the repeated headline stays in the body"
    assert all(line.strip() and line != "0" for line in lines)


def test_headline_less_seed_gets_a_short_title_naming_the_event():
    article = read("003_8167059eeef70516.txt")
    assert article.title == "III Forum of Interregional Cooperation between Uzbekistan and Russia"


def test_list_items_keep_their_labels():
    items = [b for b in read("004_e9ce27afdd3d7ab4.txt").blocks if b.kind == "item"]
    assert ("सामरिक साझेदारी", "2010") == (items[0].label, items[-4].label)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A short sentence.", "A short sentence"),
        ("word " * 60, None),
    ],
)
def test_short_title_never_exceeds_the_limit(text, expected):
    title = short_title(text)
    assert len(title) <= 100
    if expected:
        assert title == expected


def test_a_headline_over_the_limit_is_cut_at_a_word():
    headline = (
        "Российско-индийская межправкомиссия: стороны договорились о подготовке индийских моряков "
        "для Севморпути и совместном судостроении"
    )
    title = extract(f"{headline}\n\nМосква. Заседание комиссии завершилось.\n").title
    assert len(title) <= 100 and title.endswith("…")
    assert headline.startswith(title[:-1]) and headline[len(title) - 1] == " "


@pytest.mark.parametrize(
    "paragraph, start",
    [
        ("NEW DELHI, March 3 — India and Japan agreed on Monday to fast-track the purchase of trains for the "
         "Mumbai–Ahmedabad corridor, officials said after a meeting of the joint committee in the capital.", "India and Japan"),
        ("नई दिल्ली। टोक्यो की एक प्रमुख इलेक्ट्रॉनिक्स कंपनी और नोएडा की एक भारतीय कंपनी ने सेमीकंडक्टर इकाई लगाने "
         "के लिए संयुक्त उद्यम बनाने का समझौता किया है, जिसमें कुल 3,700 करोड़ रुपये का निवेश होगा।", "टोक्यो"),
        ("Москва. В Москве завершилось заседание межправительственной комиссии по торгово-экономическому, "
         "научно-техническому и культурному сотрудничеству, на котором стороны подписали протокол.", "В Москве"),
    ],
)
def test_a_made_title_starts_after_the_dateline(paragraph, start):
    title = extract(paragraph + "\n\nMore text.\n").title
    assert title.startswith(start) and len(title) <= 100


def test_cut_never_splits_a_devanagari_cluster():
    text = "क्षेत्र" * 40  # no spaces at all
    cut = cut_at_word(text, 100)
    assert len(cut) <= 100 and cut.endswith("…")
    assert not cut[:-1].endswith("\u094d"), "cut after a virama"


@pytest.mark.parametrize(
    "text, lang",
    [("भारत और रूस के बीच सहयोग", "hi"), ("Сотрудничество России и Индии", "ru"), ("India and Japan", "en"),
     ("Ореанда-Новости के अनुसार, यह पहल न केवल आर्थिक लाभों के बारे में है", "hi"),
     ("Україна та Індія підписали угоду про співпрацю", "uk"),
     ("Talks in Moscow: «Россия и Индия»", "en"),
     ("ab вг", "en")],  # a tie goes to English
)
def test_language_follows_the_dominant_script(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    "lines, source",
    [
        (["Source: The Hindu", "India and Russia met."], "The Hindu"),
        (["Talks", "By PTI", "India and Russia met."], "PTI"),
        (["वार्ता", "Ореанда-Новости के अनुसार, यह पहल न केवल आर्थिक लाभों के बारे में है"], "Ореанда-Новости"),
        (["वार्ता", "Daily Pioneer के हवाले से खबर है कि भारत और रूस मिले"], "Daily Pioneer"),
        (["वार्ता", "Daily Pioneer के संवाददाता ने बताया कि भारत और रूस मिले"], None),
        (["Talks", "India and Russia met on Monday, Reuters reported."], "Reuters"),
        (["Talks", "India and Russia met on Monday."], None),
        # A sentence that begins the way a byline does is text, and its capitals name no publisher.
        (["Talks", "By the end of the year NATO had grown"], None),
    ],
    ids=[
        "source-line", "byline", "hindi-attribution", "hindi-attribution-havale", "hindi-no-attribution",
        "citation", "none", "sentence-not-byline",
    ],
)
def test_the_source_is_the_publisher_the_page_names(lines, source):
    assert find_source(lines) == source


def test_header_block_overrides_are_read_and_validated():
    overrides, rest = split_header("Title: Corrected\nCountries: in, RU\nSectors: energy\n\nBody text.\n", {"IN", "RU"}, {"energy"})
    assert overrides.title == "Corrected" and overrides.countries == ("IN", "RU") and overrides.sectors == ("energy",)
    assert rest.strip() == "Body text."


@pytest.mark.parametrize(
    "header, reason",
    [
        ("Countries: XX\n\nBody", "unknown country XX"),
        ("Sectors: mining\n\nBody", "unknown sector mining"),
        ("Date: in the autumn\n\nBody", "Date: must be a full date"),
        ("Title: A\nTitel: B\n\nBody", "header line 2"),
        ("Title:\n\nBody", "has no value"),
    ],
)
def test_a_malformed_header_names_the_line_and_the_reason(header, reason):
    with pytest.raises(HeaderError, match=reason):
        split_header(header, {"IN", "RU"}, {"energy"})


def test_a_body_line_with_a_colon_is_not_a_header():
    overrides, rest = split_header("सामरिक साझेदारी: भारत और रूस\n", {"IN"}, set())
    assert overrides.title is None and rest.startswith("सामरिक")


def test_a_copied_page_starting_with_a_source_line_is_an_article_not_a_header():
    overrides, rest = split_header("Source: Reuters\nIndia and Russia sign an energy pact\n\nBody.\n", {"IN"}, set())
    assert overrides.source is None and rest.startswith("Source: Reuters")


@pytest.mark.parametrize("value", ["2025-10-16", "16 October 2025", "16.10.2025", "16 अक्टूबर 2025"])
def test_a_header_date_may_be_written_as_news_writes_dates(value):
    overrides, _ = split_header(f"Date: {value}\n\nBody.\n", set(), set())
    assert overrides.date.isoformat() == "2025-10-16"
