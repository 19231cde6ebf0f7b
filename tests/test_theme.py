"""What the theme puts on the built example site besides the text: languages on every title,
story metadata for search engines and link previews, the sitemap, neighbours and pictures."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

SITEURL = "https://digest.example.org"  # pelican.conf
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def url_of(output: Path, path: Path) -> str:
    """`stories/x/index.html` -> `stories/x/`, the address a page is linked by."""
    return path.relative_to(output).as_posix().removesuffix("index.html")


def resolve(page_url: str, href: str) -> str:
    """A relative link on a page -> the site-relative address it leads to."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname("/" + page_url + "x"), href))
    return target.lstrip("/") + ("/" if href.endswith("/") and target != "/" else "")


@pytest.fixture(scope="module")
def site(built_site):
    output = built_site / "output"
    pages = {url_of(output, path): soup(path) for path in sorted(output.rglob("*.html"))}
    stories = {url: page for url, page in pages.items() if url.startswith("stories/")}
    return output, pages, stories


def closest_lang(node) -> str | None:
    for element in [node, *node.parents]:
        if getattr(element, "get", None) and element.get("lang"):
            return element["lang"]
    return None


def test_every_story_title_on_every_page_carries_the_story_language(site):
    output, pages, stories = site
    titles = {url: (page.h1.get_text(strip=True), page.select_one("article.story")["lang"])
              for url, page in stories.items()}
    checked = 0
    for url, page in pages.items():
        if url == "404.html":
            continue
        for link in page.find_all("a", href=True):
            target = resolve(url, link["href"])
            if target not in titles:
                continue
            title, lang = titles[target]
            for text in link.find_all(string=True):
                if text.strip() == title:
                    assert closest_lang(text.parent) == lang, (url, title)
                    checked += 1
    assert checked > 20


def test_story_pages_are_in_their_language_and_the_chrome_in_english(site):
    _, _, stories = site
    for page in stories.values():
        lang = page.select_one("article.story")["lang"]
        assert page.html["lang"] == lang  # Pagefind indexes each story in its own language
        assert page.body["lang"] == "en"


def test_story_pages_describe_the_news_article(site):
    _, _, stories = site
    for url, page in stories.items():
        canonical = page.find("link", rel="canonical")["href"]
        assert canonical == f"{SITEURL}/{url}"
        assert page.find("meta", property="og:url")["content"] == canonical
        assert page.find("meta", property="og:type")["content"] == "article"
        data = json.loads(page.find("script", type="application/ld+json").string)
        assert data["@type"] == "NewsArticle"
        assert data["url"] == canonical
        assert data["inLanguage"] == page.html["lang"]
        assert page.h1.get_text(strip=True).startswith(data["headline"].rstrip("."))
        assert data["datePublished"] == page.select_one(".facts time")["datetime"]
        published = page.find("meta", property="article:published_time")["content"]
        assert dt.date.fromisoformat(data["datePublished"]).isoformat() == published[:10]
        countries = page.find("dt", string="Countries").find_next_sibling("dd").select("a")
        assert data["about"] == [a.contents[-1].strip() for a in countries]  # the name after the flag
        # Words as a reader counts them: a Hindi word with its vowel signs is one.
        assert data["wordCount"] == len(page.select_one("article.story .body").get_text(" ").split())


def test_raw_html_in_a_title_cannot_end_the_json_ld_script():
    # Jinja's tojson escapes <, > and &: a headline "</script><script>" stays inside the data.
    from jinja2 import Environment

    rendered = Environment(autoescape=True).from_string("{{ d|tojson }}").render(d={"headline": "</script><b>"})
    assert "</script>" not in rendered and json.loads(rendered)["headline"] == "</script><b>"


def test_every_page_but_the_not_found_one_names_its_canonical_address(site):
    _, pages, _ = site
    for url, page in pages.items():
        canonical = page.find("link", rel="canonical")
        if url == "404.html":
            assert canonical is None
        else:
            assert canonical["href"] == f"{SITEURL}/{url}", url


def test_the_not_found_page_links_absolutely(site):
    _, pages, _ = site
    links = [a["href"] for a in pages["404.html"].find_all("a", href=True)]
    assert links and all(href.startswith(SITEURL) or href.startswith("#") for href in links)


def test_the_sitemap_lists_every_page_a_reader_can_land_on(site):
    output, pages, _ = site
    listed = {loc.text for loc in ET.parse(output / "sitemap.xml").getroot().iter(f"{SITEMAP}loc")}
    expected = {f"{SITEURL}/{url}" for url in pages if url not in ("404.html", "search/")}
    assert listed == expected
    assert f"Sitemap: {SITEURL}/sitemap.xml" in (output / "robots.txt").read_text(encoding="utf-8")


def test_previous_and_next_walk_through_every_story_once(site):
    _, pages, stories = site
    newest = resolve("", pages[""].select_one(".card-title a")["href"])
    seen, url = [], newest
    while url:
        seen.append(url)
        older = stories[url].select_one(".neighbours a.older")
        url = resolve(url, older["href"]) if older else None
    assert sorted(seen) == sorted(stories)


def test_related_stories_share_a_country_and_more(site):
    _, _, stories = site
    def tags(page):
        return {a.get_text(strip=True) for a in page.select(".facts a.tag-countries, .facts a.tag-sectors")}
    for url, page in stories.items():
        for link in page.select(".related a"):
            other = stories[resolve(url, link["href"])]
            assert len(tags(page) & tags(other)) >= 2


def test_each_matrix_cell_opens_a_page_with_as_many_stories(site):
    _, pages, _ = site
    cells = pages[""].select("table.matrix td a")
    assert cells
    for cell in cells:
        target = pages[resolve("", cell["href"])]
        assert len(target.select(".card")) == int(cell.get_text())


def test_the_pictures_can_be_read_without_seeing_them(site):
    _, pages, _ = site
    home = pages[""]
    table = home.select_one("table.matrix")
    assert table.caption.get_text(strip=True)
    assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    chart = home.select_one("svg.months")
    title = chart.find("title")
    assert chart["aria-labelledby"] == title["id"] and "stories" in title.get_text()
    assert all(a.get("aria-label") for a in chart.find_all("a"))


def test_one_search_bundle_per_story_language(built_site, site):
    output, _, stories = site
    languages = sorted({page.html["lang"] for page in stories.values()})
    assert json.loads((output / "pagefind" / "languages.json").read_text()) == languages
    for lang in languages:
        entry = json.loads((output / "pagefind" / lang / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == [lang]
