"""Listings paginated from their oldest story, so that a new story changes only the first page.

Pelican cuts a listing into pages from its newest story: one new story moves every story of
every page down by one, and every page of every listing it is in must be written again (about
3,000 pages for one story on a site of 10,000). Here pages are cut from the oldest story: page 1
holds the oldest stories, each page a fixed set, and the listing's own address (its front page)
holds the newest ones, between one and two pages' worth. A new story (news is mostly new) lands
on the front page; once the front holds two pages' worth, its older half becomes a new page. A
page's number and stories stay as they are, so its address can be linked and kept.
"""

from __future__ import annotations

from dataclasses import dataclass


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


def listing_pages(stories: list, per_page: int | None, save_as: str, url: str) -> list[ListingPage]:
    """The pages of a listing whose stories come newest first, the front page first. Without a
    page size (`per_page` None or 0) the whole listing is one page."""
    oldest_first = stories[::-1]
    full = len(stories) // per_page if per_page else 0
    # The front keeps the newest full page and whatever is over: one to two pages' worth.
    cuts = [(number, number * per_page) for number in range(1, full)]
    base = save_as.removesuffix("index.html") if save_as.endswith("index.html") else save_as.rsplit(".", 1)[0] + "/"
    pages = [ListingPage(max(full, 1), oldest_first[(full - 1) * per_page if full else 0 :][::-1], url, save_as, True)]
    for number, end in reversed(cuts):
        address = f"{base}page/{number}/"
        pages.append(ListingPage(number, oldest_first[end - per_page : end][::-1], address, f"{address}index.html", False))
    for newer, older in zip(pages, pages[1:]):
        newer.older, older.newer = older, newer
    return pages
