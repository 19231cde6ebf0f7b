"""Feeds a feed reader can trust: valid Atom and RSS for everything and every listing, ids and
dates that never move, discovery on every listing page, a feeds page and one OPML file."""

from __future__ import annotations

import datetime as dt
import json
import os
import posixpath
import shutil
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from conftest import build_site, copy_seeds, settings_for
from digest import feeds, taxonomy

SITEURL = "https://digest.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
KIND_TITLES = ["Everything", "Countries", "Sectors", "Partnerships", "Languages"]
# Where Pelican's own feed writer would put its feeds: none of these may appear.
FEEDISH = ("*.xml", "*.atom", "*.rss", "*.opml")

# A sixth story, added a day after the examples: an English India–Japan cooperation report.
SIXTH_SEED = """India, Japan sign pact on semiconductor supply chains

NEW DELHI, Nov 25, 2026 — India and Japan on Tuesday signed a memorandum of cooperation on \
semiconductor supply chains, the Ministry of Electronics and Information Technology said.

The agreement covers joint research, training of engineers and investment by Japanese companies \
in chip plants in Gujarat and Uttar Pradesh. Officials from Tokyo and New Delhi will meet every \
six months to review progress.
"""

# A Russian story about India and Russia whose text carries raw HTML, which must stay text.
RUSSIAN_SEED = """Россия и Индия расширяют сотрудничество в области образования

МОСКВА, 20 ноября 2026 г. Российские и индийские университеты подписали соглашение об обмене \
студентами и совместных исследованиях. Министерство науки и высшего образования России \
сообщило, что первые студенты из Индии приедут в Казань и Новосибирск в следующем году.

На сайте университета появилась строка <script>alert("x")</script>, которую нужно показать как текст.
"""


# --- reading what the build wrote -----------------------------------------------------------

def feed_paths(output: Path) -> list[str]:
    return sorted(
        path.relative_to(output).as_posix()
        for path in (output / "feeds").rglob("*.xml")
    )


def feed_bytes(output: Path) -> dict[str, bytes]:
    return {path: (output / path).read_bytes() for path in [*feed_paths(output), feeds.OPML_PATH]}


def xml(output: Path, path: str):
    return etree.parse(str(output / path)).getroot()


def entries_of(output: Path, path: str) -> dict[str, tuple[str, str, str]]:
    """Entry id -> (link, published, updated) as written; RSS has one date, pubDate."""
    root = xml(output, path)
    if path.endswith(".atom.xml"):
        return {
            entry.findtext(f"{ATOM}id"): (
                entry.find(f"{ATOM}link").get("href"),
                entry.findtext(f"{ATOM}published"),
                entry.findtext(f"{ATOM}updated"),
            )
            for entry in root.iter(f"{ATOM}entry")
        }
    return {
        item.findtext("guid"): (item.findtext("link"), item.findtext("pubDate"), item.findtext("pubDate"))
        for item in root.iter("item")
    }


def snapshot(output: Path) -> dict[str, dict[str, tuple[str, str, str]]]:
    return {path: entries_of(output, path) for path in feed_paths(output)}


def posts(site: Path) -> list[dict[str, str]]:
    """The generated posts' metadata headers, as Pelican reads them."""
    found = []
    for path in sorted((site / "content" / "stories").glob("*.md")):
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        found.append(dict(line.split(": ", 1) for line in header.splitlines()))
    return found


def codes(value: str | None) -> list[str]:
    return [code.strip() for code in (value or "").split(",") if code.strip()]


def entry_id(post: dict) -> str:
    return f"tag:digest.example.org,{post['Added']}:{post['Slug']}"


def expected_feeds(site: Path) -> dict[str, set[str]]:
    """Which stories each feed must hold, worked out from the posts' metadata alone."""
    expected: dict[str, set[str]] = {}

    def put(base: str, post: dict) -> None:
        for suffix in feeds.SUFFIXES.values():
            expected.setdefault(base + suffix, set()).add(entry_id(post))

    for post in posts(site):
        parties = codes(post.get("Countries"))
        put(feeds.ALL_BASE, post)
        for code in parties:
            put(taxonomy.country_term(code).feed_base, post)
        for pair in combinations(sorted(parties), 2):
            put(taxonomy.partnership_term(pair).feed_base, post)
        for sector in codes(post.get("Sectors")):
            put(taxonomy.sector_term(sector).feed_base, post)
        put(taxonomy.language_term(post["Lang"]).feed_base, post)
    return expected


def resolve(page: str, href: str) -> str:
    """A relative link on a built page as a site-relative path."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def listing_pages(output: Path) -> list[str]:
    pages = ["index.html"]
    for kind in taxonomy.KINDS:
        pages += sorted(p.relative_to(output).as_posix() for p in (output / kind).glob("*/index.html"))
    return pages


def feeds_of_page(page: str) -> tuple[str, str]:
    if page == "index.html":
        base = feeds.ALL_BASE
    else:
        kind, slug, _ = page.split("/")
        base = f"feeds/{kind}/{slug}"
    return base + feeds.SUFFIXES["atom"], base + feeds.SUFFIXES["rss"]


def build(tmp: Path, seeds: Path, **extra) -> Path:
    build_site(settings_for(tmp, seeds, **extra))
    return tmp / "output"


# --- validity -----------------------------------------------------------------------------

def test_every_feed_parses_cleanly_with_feedparser(built_site):
    output = built_site / "output"
    paths = feed_paths(output)
    assert len(paths) >= 2 * (1 + 4 + 3 + 2)  # everything, 4 countries, 3 partnerships, 2 languages, sectors
    for path in paths:
        parsed = feedparser.parse((output / path).read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            for key in ("id", "link", "title", "published_parsed"):
                assert entry.get(key), (path, key)
            if path.endswith(".atom.xml"):
                assert entry.get("updated_parsed"), path
        ids = [entry.id for entry in parsed.entries]
        assert len(ids) == len(set(ids)), path


def test_atom_feeds_have_what_rfc_4287_requires(built_site):
    output = built_site / "output"
    for path in feed_paths(output):
        if not path.endswith(".atom.xml"):
            continue
        feed = xml(output, path)
        assert feed.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert len(feed.findall(f"{ATOM}{name}")) == 1 and feed.findtext(f"{ATOM}{name}"), (path, name)
        assert feed.findtext(f"{ATOM}id").startswith("tag:digest.example.org,")
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"] == f"{SITEURL}/{path}"
        assert links["alternate"].startswith(SITEURL + "/")
        assert feed.findtext(f"{ATOM}subtitle") and feed.get(XML_LANG)
        feed_author = feed.findtext(f"{ATOM}author/{ATOM}name")
        entries = feed.findall(f"{ATOM}entry")
        for entry in entries:
            for name in ("id", "title", "updated"):
                assert len(entry.findall(f"{ATOM}{name}")) == 1 and entry.findtext(f"{ATOM}{name}"), (path, name)
            assert feed_author or entry.findtext(f"{ATOM}author/{ATOM}name"), path
            assert entry.find(f"{ATOM}content").get("type") == "html"
            assert entry.find(f"{ATOM}summary").get("type") == "html"
            assert entry.get(XML_LANG), path
        # The feed changed when its newest entry did, not when the site was last built.
        assert feed.findtext(f"{ATOM}updated") == max(e.findtext(f"{ATOM}updated") for e in entries)


def test_rss_feeds_have_what_rss_2_requires(built_site):
    output = built_site / "output"
    for path in feed_paths(output):
        if not path.endswith(".rss.xml"):
            continue
        rss = xml(output, path)
        assert rss.tag == "rss" and rss.get("version") == "2.0"
        channel = rss.find("channel")
        for name in ("title", "link", "description"):
            assert channel.findtext(name), (path, name)
        assert channel.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITEURL}/{path}"
        for item in channel.findall("item"):
            assert item.findtext("guid") and item.find("guid").get("isPermaLink") == "false", path
            assert item.findtext("title") and item.findtext("link") and item.findtext("pubDate"), path
            assert item.get(XML_LANG), path


# --- completeness -------------------------------------------------------------------------

def test_every_listing_has_exactly_its_stories_in_both_formats(built_site):
    output = built_site / "output"
    expected = expected_feeds(built_site)
    assert {path: set(entries_of(output, path)) for path in feed_paths(output)} == expected


def test_no_other_feed_file_is_written(built_site):
    """Pelican's own feed writer is off: the only feeds are ours, plus the OPML and the sitemap."""
    output = built_site / "output"
    written = {p.relative_to(output).as_posix() for pattern in FEEDISH for p in output.rglob(pattern)}
    assert written == set(expected_feeds(built_site)) | {feeds.OPML_PATH, "sitemap.xml"}


def test_every_listing_page_has_a_feed(built_site):
    output = built_site / "output"
    for page in listing_pages(output):
        for path in feeds_of_page(page):
            assert (output / path).is_file(), (page, path)


# --- entries: ids, dates, language, categories --------------------------------------------

def test_entries_take_ids_and_dates_from_the_ledger_and_the_posts(built_site):
    output = built_site / "output"
    ledger = json.loads((built_site / "seeds" / "ledger.json").read_text(encoding="utf-8"))
    by_id = {entry_id(post): post for post in posts(built_site)}
    assert set(by_id) == {f"tag:digest.example.org,{r['added']}:{r['slug']}" for r in ledger.values()}
    for entry, (link, published, updated) in entries_of(output, "feeds/all.atom.xml").items():
        post = by_id[entry]
        assert link == f"{SITEURL}/stories/{post['Slug']}/"
        assert published == f"{post['Date']}T00:00:00+00:00"
        assert updated == f"{max(post['Date'], post['Modified'])}T00:00:00+00:00"


def test_entries_carry_language_categories_and_source(built_site):
    output = built_site / "output"
    by_id = {entry_id(post): post for post in posts(built_site)}
    for entry in xml(output, "feeds/all.atom.xml").iter(f"{ATOM}entry"):
        post = by_id[entry.findtext(f"{ATOM}id")]
        assert entry.get(XML_LANG) == post["Lang"]
        terms = {(c.get("scheme"), c.get("term")) for c in entry.findall(f"{ATOM}category")}
        assert terms == (
            {(f"{SITEURL}/countries/", taxonomy.country_term(code).slug) for code in codes(post.get("Countries"))}
            | {(f"{SITEURL}/sectors/", slug) for slug in codes(post.get("Sectors"))}
        )
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == post.get("Source", "Cooperation Digest")


def entry_at(day: str, name: str, updated: str | None = None) -> feeds.Entry:
    published = dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")
    return feeds.Entry(
        id=f"tag:digest.example.org,{day}:{name}", link="", title=name, published=published,
        updated=dt.datetime.fromisoformat(f"{updated or day}T00:00:00+00:00"),
        summary="", content="", categories=(), author="", lang="en",
    )


@pytest.mark.parametrize("entries, limit, expected", [
    ([entry_at("2026-01-01", "old"), entry_at("2026-03-01", "new")], 50, ["new", "old"]),
    # Same day: the id decides, whatever order the files were read in.
    ([entry_at("2026-03-01", "b"), entry_at("2026-03-01", "a"), entry_at("2026-03-01", "c")], 50, ["a", "b", "c"]),
    ([entry_at("2026-03-01", "a"), entry_at("2026-03-01", "b", updated="2026-04-01")], 50, ["b", "a"]),
    ([entry_at(f"2026-01-{day:02}", f"s{day}") for day in range(1, 10)], 3, ["s9", "s8", "s7"]),
])
def test_feeds_hold_the_newest_entries_first(entries, limit, expected):
    assert [entry.title for entry in feeds.newest(entries, limit)] == expected
    assert [entry.title for entry in feeds.newest(list(reversed(entries)), limit)] == expected


def story(slug: str, day: str, modified: str | None = None):
    date = dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")
    return SimpleNamespace(
        slug=slug, date=date, metadata={"added": day},
        modified=dt.datetime.fromisoformat(f"{modified}T00:00:00+00:00") if modified else None,
    )


def test_each_listing_feeds_its_own_latest_stories_in_feed_order():
    # As the site lists them: newest first, the same day by slug. A feed puts the later updated first.
    a, b = story("a", "2026-03-01"), story("b", "2026-03-01", modified="2026-04-01")
    c, d = story("c", "2026-02-01"), story("d", "2026-01-01")
    india = taxonomy.Term("countries", "IN", "india", "India", {}, [a, c, d])
    japan = taxonomy.Term("countries", "JP", "japan", "Japan", {}, [b, d])
    settings = {"DIGEST_FEED_LIMIT": 2, "DIGEST_TAG_AUTHORITY": "digest.example.org", "SITENAME": "Digest",
                "SITESUBTITLE": "", "DEFAULT_LANG": "en"}
    files = feeds.feed_files({"countries": [japan, india]}, [a, b, c, d], settings)
    chosen = {feed.ref.slug: [post.slug for post in feed.articles] for feed in files if feed.form == feeds.ATOM}
    assert chosen == {"all": ["b", "a"], "india": ["a", "c"], "japan": ["b", "d"]}


def test_the_feed_limit_is_a_setting(tmp_path):
    output = build(tmp_path, copy_seeds(tmp_path / "seeds"), DIGEST_FEED_LIMIT=2)
    parsed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert len(parsed.entries) == 2
    dates = [post["Date"] for post in posts(tmp_path)]
    assert [entry.published[:10] for entry in parsed.entries] == sorted(dates, reverse=True)[:2]


def test_a_russian_story_reads_as_russian_in_a_mixed_feed_and_its_html_stays_text(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds")
    (seeds / "india-russia-universities.txt").write_text(RUSSIAN_SEED, encoding="utf-8")
    output = build(tmp_path, seeds)
    india = feedparser.parse((output / "feeds/countries/india.atom.xml").read_bytes())
    assert india.feed.language == "en"
    russian = [entry for entry in india.entries if entry.title.startswith("Россия и Индия")]
    assert len(russian) == 1
    assert russian[0].title_detail.language == "ru" and russian[0].content[0].language == "ru"
    assert {entry.content[0].language for entry in india.entries} >= {"hi", "ru"}
    for path in ("feeds/countries/india.atom.xml", "feeds/countries/india.rss.xml"):
        raw = (output / path).read_text(encoding="utf-8")
        # The seed's <script> is text in the story's HTML, and that HTML is escaped in the XML.
        assert "&amp;lt;script&amp;gt;" in raw and "<script" not in raw and "&lt;script" not in raw


def test_a_stray_control_character_in_a_seed_does_not_break_the_feeds(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds")
    # A terminal colour code and a bell, as pasted from a console: XML 1.0 cannot hold either.
    (seeds / "india-japan.txt").write_text(SIXTH_SEED.replace("Tuesday", "Tues\x07day \x1b[0m"), encoding="utf-8")
    output = build(tmp_path, seeds)
    parsed = feedparser.parse((output / "feeds/all.atom.xml").read_bytes())
    assert not parsed.bozo
    assert any("Tuesday" in entry.content[0].value for entry in parsed.entries)


# --- stability ----------------------------------------------------------------------------

def test_a_new_seed_is_the_only_new_entry_and_nothing_else_moves(tmp_path):
    seeds = copy_seeds(tmp_path / "seeds")
    output = build(tmp_path, seeds)
    before, before_bytes = snapshot(output), feed_bytes(output)

    build(tmp_path, seeds)
    assert feed_bytes(output) == before_bytes, "building twice must give the same bytes"

    (seeds / "india-japan-semiconductors.txt").write_text(SIXTH_SEED, encoding="utf-8")
    build(tmp_path, seeds, DIGEST_TODAY="2026-11-25")
    after, after_bytes = snapshot(output), feed_bytes(output)

    for path, entries in before.items():
        for entry, facts in entries.items():
            assert after[path][entry] == facts, (path, entry)
    old_ids = {entry for entries in before.values() for entry in entries}
    new_ids = {entry for entries in after.values() for entry in entries} - old_ids
    assert len(new_ids) == 1
    (new_id,) = new_ids
    assert new_id.startswith("tag:digest.example.org,2026-11-25:")
    assert next(iter(after["feeds/all.atom.xml"])) == new_id, "the newest story comes first"
    assert new_id in after["feeds/countries/india.atom.xml"]
    for path, entries in before.items():
        if new_id not in after[path]:
            assert after_bytes[path] == before_bytes[path], f"{path} changed without a new entry"


def test_a_fresh_clone_on_another_day_builds_the_same_feeds(built_site, tmp_path):
    clone = tmp_path / "clone" / "seeds"
    clone.mkdir(parents=True)
    later = dt.datetime(2027, 3, 1).timestamp()
    for path in (built_site / "seeds").iterdir():
        shutil.copyfile(path, clone / path.name)  # a clone: same bytes, new file times
        os.utime(clone / path.name, (later, later))
    output = build(tmp_path / "clone", clone, DIGEST_TODAY="2027-03-01")
    assert feed_bytes(output) == feed_bytes(built_site / "output")


# --- discovery ----------------------------------------------------------------------------

def test_every_listing_page_links_its_feeds_in_head_and_visibly(built_site):
    output = built_site / "output"
    for page in listing_pages(output):
        soup = BeautifulSoup((output / page).read_text(encoding="utf-8"), "html.parser")
        atom, rss = feeds_of_page(page)
        for path, media_type in ((atom, "application/atom+xml"), (rss, "application/rss+xml")):
            heads = [resolve(page, link["href"]) for link in soup.head.select(f'link[rel="alternate"][type="{media_type}"]')]
            assert heads == [path], (page, media_type, heads)
            visible = {resolve(page, a["href"]) for a in soup.body.select("main a[href]")}
            assert path in visible, (page, path)


def test_the_feeds_page_lists_every_feed_by_kind_with_native_names(built_site):
    output = built_site / "output"
    soup = BeautifulSoup((output / "feeds/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [h2.get_text(strip=True) for h2 in soup.select("main h2")] == KIND_TITLES
    linked = {resolve("feeds/index.html", a["href"]) for a in soup.select("main a[href]")}
    assert set(feed_paths(output)) | {feeds.OPML_PATH} <= linked
    countries = soup.select_one("#feeds-countries").find_parent("section")
    for item in countries.select("li"):
        assert {span["lang"] for span in item.select("span.native")} == {"hi", "ru"}, item.get_text()
    home = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "feeds" in {resolve("index.html", a["href"]) for a in home.select("nav a[href]")}


def test_the_opml_file_lists_exactly_the_feeds_that_exist(built_site):
    output = built_site / "output"
    opml = xml(output, feeds.OPML_PATH)
    assert opml.tag == "opml" and opml.get("version") == "2.0" and opml.findtext("head/title")
    folders = opml.findall("body/outline")
    assert [folder.get("text") for folder in folders] == KIND_TITLES
    outlines = [outline for folder in folders for outline in folder.findall("outline")]
    assert all(outline.get("type") == "rss" and outline.get("text") for outline in outlines)
    listed = [outline.get("xmlUrl").removeprefix(SITEURL + "/") for outline in outlines]
    assert len(listed) == len(set(listed))
    assert set(listed) == set(feed_paths(output))
