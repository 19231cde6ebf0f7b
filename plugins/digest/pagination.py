"""Listings cut into pages where their stories say, so that one new story changes one page.

Pelican cuts a listing into pages of a fixed size from its newest story: one new story moves
every story of every page down by one, and every page of every listing it is in must be written
again (about 3,000 pages for one story on a site of 10,000). Cutting fixed pages from the oldest
story helps only the newest story: one dated among older ones still moves every page after it.

Here a page ends after a story that its own slug marks (a stable hash: one slug in
`per_page - per_page // 2` is a mark), once the page holds at least half a page's worth; and
after two pages' worth at most. Pages average `per_page` stories. A story added anywhere joins
the page its date falls in and moves no other page, unless it is itself a mark (one time in
ten), which splits its page in two and renumbers the newer pages. Pages are numbered from the
oldest, so a number stays with its stories. The listing's own address (its front page) holds
the newest stories: those after the last mark, with the page before them when they are fewer
than half a page's worth.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter


@dataclass
class ListingPage:
    """One page of a listing, with the names of Pelican's pages that the theme uses."""

    number: int  # counted from the oldest page, which is 1; the front page has the highest
    object_list: list  # its stories, newest first
    url: str
    save_as: str
    front: bool  # the listing's own address, with its newest stories
    newer: ListingPage | None = None
    older: ListingPage | None = None

    # Pelican's names: the "previous" page of a listing holds newer stories.
    def has_previous(self) -> bool:
        return self.newer is not None

    def has_next(self) -> bool:
        return self.older is not None


@dataclass(frozen=True)
class Paginator:
    num_pages: int


def listing_pages(
    stories: list, per_page: int | None, save_as: str, url: str, key: Callable[[object], str] = attrgetter("slug")
) -> list[ListingPage]:
    """The pages of a listing whose stories come newest first, the front page first. Without a
    page size (`per_page` None or 0) the whole listing is one page. `key` names a story."""
    oldest_first = stories[::-1]
    ends = page_ends(list(map(key, oldest_first)), per_page) if per_page else []
    starts = [0, *ends]
    if len(oldest_first) - starts[-1] < (per_page or 0) // 2 and len(starts) > 1:
        starts.pop()  # too few after the last mark: the front takes the page before them too
    base = save_as.removesuffix("index.html") if save_as.endswith("index.html") else save_as.rsplit(".", 1)[0] + "/"
    pages = [ListingPage(len(starts), oldest_first[starts[-1]:][::-1], url, save_as, True)]
    for number in range(len(starts) - 1, 0, -1):
        address = f"{base}page/{number}/"
        stories_on_page = oldest_first[starts[number - 1] : starts[number]][::-1]
        pages.append(ListingPage(number, stories_on_page, address, f"{address}index.html", False))
    for newer, older in zip(pages, pages[1:]):
        newer.older, older.newer = older, newer
    return pages


def page_ends(keys: list[str], per_page: int) -> list[int]:
    """Where pages end in a listing's stories from the oldest (each end is the index after a
    page's last story); the stories after the last end are not a page yet."""
    least, most = max(1, per_page // 2), max(1, 2 * per_page)
    odds = max(1, per_page - least)  # after `least` stories, one in `odds` ends a page: pages average per_page
    ends, start = [], 0
    for index, key in enumerate(keys):
        size = index + 1 - start
        if size >= most or (size >= least and _marked(key, odds)):
            ends.append(index + 1)
            start = index + 1
    return ends


def _marked(key: str, odds: int) -> bool:
    return _hash(key) % odds == 0


@lru_cache(maxsize=200_000)
def _hash(key: str) -> int:
    """Worked out once per story: a story is in a dozen listings (and all of them in every build)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")
