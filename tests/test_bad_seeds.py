"""Seeds that fight back: every kind of bad seed, built together with the examples.

For each: the build finishes, every other seed still builds, the report names the file and the
reason (status "error" where the seed cannot be used), and `invoke check` fails where one was
rejected. Raw HTML in a seed is text wherever it goes: pages, listings and feeds.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1251", how Windows tools misread)
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import copy_seeds, settings_for
from digest import commands
from digest.build import build_site
from digest.decode import MAX_SEED_BYTES

RNG = random.Random(6)  # the binary seeds are the same bytes on every run
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[click](javascript:alert(1))")


def russian(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n"


CP1251 = russian(
    "Россия и Индия расширят сотрудничество в энергетике",
    "Москва и Нью-Дели договорились о поставках нефти и строительстве электростанций.",
)
UTF16 = russian(
    "Россия и Китай обсудили транспортный коридор",
    "Делегации России и Китая обсудили железнодорожные перевозки и логистику на Дальнем Востоке.",
)
MOJIBAKE = russian(
    "Узбекистан и Россия подписали торговые соглашения",
    "Ташкент и Москва подписали соглашения о торговле и инвестициях на межрегиональном форуме.",
)
BOM_CRLF = "India and Russia open a joint research centre\n\nScientists from India and Russia will work on space research, the two governments said.\n"
WHITESPACE = " \t\u00a0\u2003\u3000\u200b\n\u00a0\u202f\u2009\n\u2028\u2029\ufeff\n\t\t\n"
# A first line of 600 characters: one long sentence, no headline above it.
LONG_FIRST_LINE = ("India and Russia agreed to deepen cooperation" + ", including joint work on energy and trade" * 14)[:599] + "."
# A page's text run together: ~900 KB on one line (under the limit), ordinary sentences.
ONE_LINE = "".join(
    f"Delegation {i} from India and Russia discussed trade, energy and transport projects in Kazan. "
    for i in range(10_000)
)[:900_000]
XSS_TITLE = "".join(XSS) + " India–Russia pact"
XSS_BODY = (
    f"Moscow and New Delhi signed an energy pact. {XSS[0]} The text {XSS[1]} shows {XSS[2]} as typed.\n\n"
    "Trade between India and Russia grew, the ministers said.\n"
)


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    reason: str | None = None  # what the error says; None: the seed is published

    def __str__(self) -> str:
        return self.name


def header(text: str) -> bytes:
    return (text + "\n\nIndia and Russia agreed to cooperate on energy.\n").encode()


CASES = [
    Case("empty.txt", b"", "empty"),
    Case("whitespace.txt", WHITESPACE.encode(), "empty"),
    Case("whitespace-utf16.txt", WHITESPACE.encode("utf-16"), "empty"),
    Case("cp1251-russian.txt", CP1251.encode("cp1251")),
    Case("utf16-bom.txt", UTF16.encode("utf-16")),
    Case("utf8-bom-crlf.txt", codecs.BOM_UTF8 + BOM_CRLF.replace("\n", "\r\n").encode()),
    Case("mojibake.txt", MOJIBAKE.encode().decode("sloppy-windows-1251").encode()),
    Case("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + zlib.compress(RNG.randbytes(3000)), "not a text file"),
    # Any byte but NUL: cp1251 and Latin-1 would decode it; its control characters give it away.
    Case("random-bytes.txt", bytes(b or 1 for b in RNG.randbytes(4096)), "not a text file"),
    Case("utf16-garbage.txt", codecs.BOM_UTF16_LE + RNG.randbytes(4096), "not a text file"),
    Case("two-megabytes.txt", b"a" * 2_000_000, f"too large: 2,000,000 bytes, the limit is {MAX_SEED_BYTES:,} bytes"),
    Case("one-line-900kb.txt", ONE_LINE.encode()),
    Case("first-line-600.txt", f"{LONG_FIRST_LINE}\n\nThe ministers met in Moscow.\n".encode()),
    Case("raw-html.txt", f"{XSS_TITLE}\n\n{XSS_BODY}".encode()),
    Case("only-symbols.txt", "<<< >>> !!! ***\n\n### --- …\n\nSP_Singh AURGURU Editor\n".encode(), "no words"),
    Case("header-unknown-key.txt", header("Title: A title\nCountry: IN"), "header line 2: expected one of"),
    Case("header-twice.txt", header("Title: A\nTitle: B"), "header line 2: Title: is given twice"),
    Case("header-no-value.txt", header("Countries:"), "header line 1: Countries: has no value"),
    Case("header-no-blank-line.txt", b"Title: A title\nCountries: IN\nIndia and Russia met.\n", "header line 3: expected"),
    Case("header-unknown-country.txt", header("Countries: IN, XX"), "header line 1: unknown country XX"),
    Case("header-unknown-sector.txt", header("Title: A title\nSectors: energy, mining"), "header line 2: unknown sector mining"),
    Case("header-bad-date.txt", header("Date: in the autumn"), "header line 1: Date: must be a full date"),
    Case("header-bad-lang.txt", header("Lang: hindi"), "header line 1: Lang: must be a two-letter code"),
    Case("header-long-title.txt", header("Title: " + "x" * 150), "Title: has 150 characters, the limit is 100"),
    Case("header-after-blank-lines.txt", b"\n\n" + header("Title: A title\nSectors: bogus"), "header line 4: unknown sector"),
    Case("header-only.txt", b"Title: A title\n\n", "followed by no article text"),
    Case("seed with spaces.txt", b"Uzbekistan and Russia sign textile deals\n\nTashkent and Kazan firms signed contracts.\n"),
    Case("भारत रूस सहयोग.txt", "भारत और रूस के बीच शिक्षा सहयोग\n\nदोनों देशों के विश्वविद्यालयों ने समझौता किया।\n".encode()),
    Case("Россия и Индия.txt", russian("Индия и Россия обсудили фармацевтику", "Компании двух стран обсудили поставки лекарств.").encode()),
    Case("Upper-Case.TXT", b"China and Russia discuss gas supplies\n\nGazprom and CNPC met in Beijing.\n"),
]
ERRORS = [case for case in CASES if case.reason]
PUBLISHED = [case for case in CASES if not case.reason]


def write_cases(seeds: Path, cases: list[Case]) -> None:
    for case in cases:
        (seeds / case.name).write_bytes(case.raw)


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory):
    """The examples and every case in one folder, built once; with its JSON report."""
    tmp = tmp_path_factory.mktemp("bad-seeds")
    seeds = copy_seeds(tmp / "seeds")
    write_cases(seeds, CASES)
    result = build_site(settings_for(tmp, seeds))
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert commands.report_seeds(seeds, as_json=True) == 0
    report = {entry["seed"]: entry for entry in json.loads(stdout.getvalue())}
    return tmp, result, report


def test_the_build_finishes_and_every_good_seed_is_published(bad_site):
    tmp, result, _ = bad_site
    published = [r for r in result.conversion.results if r.publishes]
    assert {r.seed for r in published} >= {case.name for case in PUBLISHED}
    assert len(published) == len(PUBLISHED) + 5  # and the five examples
    for r in published:
        assert (tmp / "output" / "stories" / r.slug / "index.html").is_file(), r.seed


@pytest.mark.parametrize("case", ERRORS, ids=str)
def test_a_rejected_seed_is_reported_by_name_with_its_reason(bad_site, case):
    _, _, report = bad_site
    entry = report[case.name]
    assert entry["status"] == "error"
    assert case.reason in entry["error"]
    if "header line" in case.reason:  # the message stands alone: it names the file and the line
        assert case.name in entry["error"]


@pytest.mark.parametrize("case", PUBLISHED, ids=str)
def test_a_usable_seed_is_ok_with_a_short_clean_title(bad_site, case):
    _, _, report = bad_site
    entry = report[case.name]
    assert entry["status"] == "ok" and entry["error"] is None
    assert 0 < len(entry["title"]) <= 100
    assert not any(c in entry["title"] for c in "\r\ufeff\ufffd")


@pytest.mark.parametrize(
    "name, title, lang",
    [
        ("cp1251-russian.txt", CP1251.split("\n")[0], "ru"),
        ("utf16-bom.txt", UTF16.split("\n")[0], "ru"),
        ("mojibake.txt", MOJIBAKE.split("\n")[0], "ru"),
        ("utf8-bom-crlf.txt", BOM_CRLF.split("\n")[0], "en"),
    ],
)
def test_encodings_are_read_back_to_the_original_text(bad_site, name, title, lang):
    _, _, report = bad_site
    assert report[name]["title"] == title
    assert report[name]["lang"] == lang


def test_a_600_character_first_line_is_not_the_title(bad_site):
    _, _, report = bad_site
    title = report["first-line-600.txt"]["title"]
    assert title != LONG_FIRST_LINE and len(title) <= 100


def test_the_report_names_seeds_with_spaces_devanagari_and_cyrillic_names(bad_site):
    tmp, _, report = bad_site
    for name in ("seed with spaces.txt", "भारत रूस सहयोग.txt", "Россия и Индия.txt"):
        post = tmp / "content" / "stories" / f"{report[name]['slug']}.md"
        assert post.read_text(encoding="utf-8").startswith(f"Seed: {name}\n")


def test_the_build_log_names_each_rejected_seed(tmp_path, capsys):
    seeds = copy_seeds(tmp_path / "seeds")
    write_cases(seeds, ERRORS)
    assert commands.build(seeds, tmp_path / "content", tmp_path / "output") == 0
    log = capsys.readouterr().err
    for case in ERRORS:
        assert f"seed error: {case.name}: " in log


def test_check_fails_when_a_seed_was_rejected(tmp_path, capsys):
    seeds = copy_seeds(tmp_path / "seeds")
    write_cases(seeds, ERRORS)
    assert commands.check(seeds, tmp_path / "content", tmp_path / "output") == 1
    out, err = capsys.readouterr()
    assert f"{len(ERRORS)} problems" in out
    for case in ERRORS:
        assert f"✗ seed {case.name}: " in err


# Raw HTML and script in a seed: text on every page, never live markup.


def live_markup(html: str) -> list[str]:
    """What a browser would run from a seed: its script, event handlers, javascript: links."""
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            json.loads(script.string)  # a seed's "</script>" must not end it early
        elif "alert(1)" in script.get_text():
            found.append(str(script))
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower() == "onerror" or name.lower().startswith("on") and "alert" in str(value):
                found.append(f"{element.name} {name}={value}")
            if any(str(v).strip().lower().startswith("javascript:") for v in values):
                found.append(f"{element.name} {name}={value}")
    return found


def test_raw_html_is_never_live_on_any_page(bad_site):
    tmp, _, _ = bad_site
    pages = sorted((tmp / "output").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        assert live_markup(page.read_text(encoding="utf-8")) == [], page


@pytest.mark.parametrize("page", ["story", "index.html", "countries/india/index.html"])
def test_raw_html_shows_as_text_on_story_home_and_listing(bad_site, page):
    tmp, _, report = bad_site
    if page == "story":
        page = f"stories/{report['raw-html.txt']['slug']}/index.html"
    text = BeautifulSoup((tmp / "output" / page).read_text(encoding="utf-8"), "html.parser").get_text()
    for snippet in XSS:
        assert snippet in text


def test_raw_html_is_escaped_in_every_feed(bad_site):
    tmp, _, _ = bad_site
    feeds = sorted((tmp / "output" / "feeds").rglob("*.xml"))
    if not feeds:
        pytest.skip("this build writes no feeds")
    titles = []
    for feed in feeds:
        for element in etree.parse(str(feed)).iter():
            if not isinstance(element.tag, str) or not element.text:
                continue
            local = etree.QName(element).localname
            html_payload = local in ("description", "encoded") or element.get("type") in ("html", "xhtml")
            if html_payload:
                assert live_markup(element.text) == [], (feed, local)
            if local == "title":
                titles.append(element.text)
    assert any(XSS[0] in title for title in titles)  # shown as the literal text
