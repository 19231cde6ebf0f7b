"""Listings are cut into pages where their stories' slugs say: one new story changes one page,
whatever its date, and a page keeps its number and stories as the listing grows."""

from __future__ import annotations

import random
import statistics

import pytest

from digest.pagination import listing_pages

PER_PAGE = 20


def pages_of(stories: list[str]) -> list:
    return listing_pages(stories, PER_PAGE, "countries/india/index.html", "countries/india/", key=str)


def newest_first(count: int) -> list[str]:
    return [f"story-{number}" for number in range(count, 0, -1)]


def shown(stories: list[str]) -> dict[str, list]:
    return {page.url: page.object_list for page in pages_of(stories)}


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 39, 40, 41, 59, 60, 333])
def test_every_story_is_on_one_page_newest_first(count):
    pages = pages_of(newest_first(count))
    assert [story for page in pages for story in page.object_list] == newest_first(count)


@pytest.mark.parametrize("count", [10, 21, 39, 40, 41, 333, 2000])
def test_pages_hold_half_a_page_to_two_pages_worth(count):
    front, *older = pages_of(newest_first(count))
    assert all(PER_PAGE // 2 <= len(page.object_list) <= 2 * PER_PAGE for page in older)
    assert PER_PAGE // 2 <= len(front.object_list) < PER_PAGE // 2 + 2 * PER_PAGE


def test_pages_hold_a_page_size_s_worth_on_average():
    sizes = [len(page.object_list) for page in pages_of(newest_first(5000))[1:]]
    assert 0.8 * PER_PAGE <= statistics.mean(sizes) <= 1.1 * PER_PAGE


def test_pages_are_numbered_from_the_oldest_and_the_front_is_the_listings_own_address():
    front, *older = pages_of(newest_first(200))
    assert (front.number, front.url, front.save_as, front.front) == (
        len(older) + 1, "countries/india/", "countries/india/index.html", True
    )
    assert [(page.number, page.url) for page in older] == [
        (number, f"countries/india/page/{number}/") for number in range(len(older), 0, -1)
    ]
    assert older[-1].object_list[-1] == "story-1"


def test_each_page_links_the_newer_and_the_older_one():
    front, middle, below, *_, oldest = pages_of(newest_first(200))
    assert (front.has_previous(), front.has_next(), front.older) == (False, True, middle)
    assert (middle.newer, middle.older, below.newer) == (front, below, middle)
    assert (oldest.has_previous(), oldest.has_next()) == (True, False)


@pytest.mark.parametrize("count", range(0, 90))
def test_a_new_story_changes_the_front_page_only_or_adds_one_page(count):
    before = {url: stories for url, stories in shown(newest_first(count)).items() if url != "countries/india/"}
    after = {url: stories for url, stories in shown(newest_first(count + 1)).items() if url != "countries/india/"}
    assert {url: stories for url, stories in after.items() if url in before} == before
    assert len(after) - len(before) in (0, 1)


def test_a_story_dated_among_older_ones_mostly_changes_only_the_page_it_joins():
    """Pages cut at fixed counts would move every page after it: half the listing on average."""
    rng = random.Random(7)
    changed = []
    for trial in range(300):
        stories = [f"story-{rng.random()}" for _ in range(rng.randrange(50, 800))]
        place = rng.randrange(len(stories) + 1)
        before, after = shown(stories), shown([*stories[:place], f"new-{trial}", *stories[place:]])
        changed.append(sum(after[url] != before.get(url) for url in after) + len(before.keys() - after.keys()))
    assert statistics.median(changed) == 1
    assert sum(count <= 2 for count in changed) >= 0.85 * len(changed)


def test_without_a_page_size_a_listing_is_one_page():
    (only,) = listing_pages(["b", "a"], None, "index.html", "", key=str)
    assert (only.object_list, only.url, only.number) == (["b", "a"], "", 1)


def test_the_home_page_s_older_pages_sit_under_page():
    pages = listing_pages(newest_first(200), PER_PAGE, "index.html", "", key=str)
    assert pages[0].url == "" and all(page.url.startswith("page/") for page in pages[1:])
