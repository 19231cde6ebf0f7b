"""A real Pelican build of the example seeds: the pages a reader opens are there, junk is not."""

import gc
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, built_from_synthetic_seeds

EXPECTED = json.loads((ROOT / "tests" / "expected_examples.json").read_text(encoding="utf-8"))
JUNK = ["What's Your Reaction?", "SP_Singh", "Follow Daryo", "Comments (0)"]


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / "output" / path).read_text(encoding="utf-8"), "html.parser")


def story_pages(site: Path) -> list[Path]:
    return sorted((site / "output" / "stories").glob("*/index.html"))


def test_home_lists_every_story(built_site):
    home = page(built_site, "index.html")
    links = {a["href"] for a in home.select(".card-title a")}
    assert len(links) == 5


def test_five_story_pages_with_their_facts(built_site):
    pages = story_pages(built_site)
    assert len(pages) == 5
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        story = soup.select_one("article.story")
        assert story["lang"] in {"hi", "en"}
        facts = soup.select_one("dl.facts").get_text(" ")
        assert "Date" in facts and "Countries" in facts and "Sectors" in facts


@pytest.mark.parametrize("path", ["countries/india/index.html", "countries/russia/index.html",
                                  "countries/china/index.html", "countries/uzbekistan/index.html",
                                  "sectors/trade-investment/index.html", "sectors/energy/index.html",
                                  "partnerships/india-russia/index.html", "languages/hindi/index.html",
                                  "countries/index.html", "sectors/index.html"])
def test_listing_pages_exist(built_site, path):
    assert (built_site / "output" / path).is_file()


def test_country_pages_list_parties_not_mentions(built_site):
    india = page(built_site, "countries/india/index.html")
    assert len(india.select(".card")) == 3
    assert not (built_site / "output" / "countries" / "taiwan").exists()


def test_date_added_is_said_on_the_page(built_site):
    texts = [p.read_text(encoding="utf-8") for p in story_pages(built_site)]
    assert sum("date added" in t for t in texts) == 3


@pytest.mark.parametrize("junk", JUNK)
def test_no_junk_line_on_any_page(built_site, junk):
    for path in (built_site / "output").rglob("*.html"):
        assert junk not in path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("collector_on", [True, False])
def test_a_build_leaves_the_cycle_collector_as_it_found_it(tmp_path, collector_on):
    """A build pauses and freezes the cycle collector for speed; `invoke serve` builds again and
    again in one process, so each build gives it back as it was: running or not, nothing frozen."""
    if not collector_on:
        gc.disable()
    try:
        built_from_synthetic_seeds(tmp_path, 3)
        assert (gc.isenabled(), gc.get_freeze_count()) == (collector_on, 0)
    finally:
        gc.enable()
