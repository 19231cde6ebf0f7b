"""Month archives: every month with stories, newest first, each with its stories as the site lists
them, shaped as Pelican's own month archives so that the theme reads them unchanged."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter
from types import SimpleNamespace

from bs4 import BeautifulSoup

from digest.archives import month_archives

URL, SAVE_AS = "archives/{date:%Y}/{date:%m}/", "archives/{date:%Y}/{date:%m}/index.html"


def story(slug: str, day: str):
    return SimpleNamespace(slug=slug, date=dt.datetime.fromisoformat(f"{day}T00:00:00+00:00"))


def slugs(stories) -> list[str]:
    return [story.slug for story in stories]


def test_each_month_holds_its_stories_in_the_sites_order():
    site = [story("b", "2025-03-02"), story("a", "2025-03-02"), story("c", "2025-03-01"), story("d", "2025-01-31")]
    march, january = month_archives(site, URL, SAVE_AS)
    assert (march["period"], march["period_num"]) == ((2025, "March"), (2025, 3))
    assert slugs(march["articles"]) == slugs(march["dates"]) == ["b", "a", "c"]
    assert (march["url"], march["save_as"]) == ("archives/2025/03/", "archives/2025/03/index.html")
    assert (january["period"], slugs(january["articles"])) == ((2025, "January"), ["d"])


def test_months_come_newest_first_across_years_and_empty_months_have_no_archive():
    site = [story("new", "2026-01-05"), story("old", "2024-12-31"), story("older", "2024-02-29")]
    months = month_archives(site, URL, SAVE_AS)
    assert [month["period_num"] for month in months] == [(2026, 1), (2024, 12), (2024, 2)]
    assert month_archives([], URL, SAVE_AS) == []


def test_the_archives_page_lists_every_month_with_its_page_and_count(built_site):
    output = built_site / "output"
    posts = [post.read_text(encoding="utf-8") for post in (built_site / "content" / "stories").glob("*.md")]
    per_month = Counter(re.search(r"^Date: (\d{4})-(\d{2})", post, re.M).groups() for post in posts)
    index = BeautifulSoup((output / "archives/index.html").read_text(encoding="utf-8"), "html.parser")
    listed = {}
    for item in index.select(".months-list li"):
        page = posixpath.normpath(posixpath.join("archives", item.a["href"]))  # "archives/2025/10"
        month_page = BeautifulSoup((output / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert len(month_page.select(".stories article")) == int(item.select_one(".count").text)
        listed[tuple(page.split("/")[1:])] = int(item.select_one(".count").text)
    assert listed == per_month
