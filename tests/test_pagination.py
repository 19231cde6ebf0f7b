"""Listings are cut into pages from their oldest story: a new story changes only the front page."""

from __future__ import annotations

import pytest

from digest.pagination import listing_pages

PER_PAGE = 20


def pages_of(count: int) -> list:
    stories = [f"story-{number}" for number in range(count, 0, -1)]  # newest first
    return listing_pages(stories, PER_PAGE, "countries/india/index.html", "countries/india/")


@pytest.mark.parametrize("count", [0, 1, 19, 20, 21, 39, 40, 41, 59, 60, 333])
def test_every_story_is_on_one_page_newest_first(count):
    pages = pages_of(count)
    assert [story for page in pages for story in page.object_list] == [f"story-{n}" for n in range(count, 0, -1)]


@pytest.mark.parametrize("count", [20, 21, 39, 40, 41, 333])
def test_the_front_page_holds_one_to_two_pages_worth_and_the_others_one(count):
    front, *older = pages_of(count)
    assert PER_PAGE <= len(front.object_list) < 2 * PER_PAGE
    assert all(len(page.object_list) == PER_PAGE for page in older)


def test_pages_are_numbered_from_the_oldest_and_the_front_is_the_listings_own_address():
    front, *older = pages_of(65)
    assert (front.number, front.url, front.save_as, front.front) == (3, "countries/india/", "countries/india/index.html", True)
    assert [(page.number, page.url) for page in older] == [
        (2, "countries/india/page/2/"), (1, "countries/india/page/1/")
    ]
    assert older[-1].object_list[-1] == "story-1"


def test_each_page_links_the_newer_and_the_older_one():
    front, middle, oldest = pages_of(65)
    assert (front.has_previous(), front.has_next(), front.older) == (False, True, middle)
    assert (middle.newer, middle.older) == (front, oldest)
    assert (oldest.has_previous(), oldest.has_next()) == (True, False)


@pytest.mark.parametrize("count", range(0, 90))
def test_a_new_story_changes_the_front_page_only_or_adds_one_page(count):
    before = {page.url: page.object_list for page in pages_of(count) if not page.front}
    after = {page.url: page.object_list for page in pages_of(count + 1) if not page.front}
    assert {url: stories for url, stories in after.items() if url in before} == before
    assert len(after) - len(before) in (0, 1)


def test_without_a_page_size_a_listing_is_one_page():
    (only,) = listing_pages(["b", "a"], None, "index.html", "")
    assert (only.object_list, only.url, only.number) == (["b", "a"], "", 1)


def test_the_home_page_s_older_pages_sit_under_page():
    stories = [str(n) for n in range(45)]
    assert [page.url for page in listing_pages(stories, PER_PAGE, "index.html", "")] == ["", "page/1/"]
