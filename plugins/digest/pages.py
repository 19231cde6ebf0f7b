"""Pages are rendered once the whole site is planned: a page whose inputs did not change since
the previous build is taken over from it, and the rest are rendered on every core.

Pelican renders each page where a generator asks for it, on one core, and every build renders
every page again. Here Pelican's writer only records what each page needs (its template and
context); once Pelican has asked for every page, each page gets a key made of what it shows (the
story and its related stories, or a listing's header and the stories on that page), plus the
code, theme and settings. A page whose key is the previous build's, and whose file is still in
the previous output, is linked from there; the others are rendered by forked workers that
inherit the recorded contexts. The keys are kept in the output folder (KEYS_FILE), so they are
always those of the files beside them.

A template with no entry in PAGE_INPUTS (the home page's charts, the indexes, the feeds page) is
rendered every time: what it shows is spread over the whole site.

When the build updates output/ in place (DIGEST_IN_PLACE, see publish.py), an unchanged page is
not linked anywhere: it stays in the previous output, which is the site being updated.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from pathlib import Path

from pelican.writers import FileOverwriteFailedError, Writer

from .cache import detection_version
from .pagination import Paginator, listing_pages
from .parallel import map_forked
from .publish import take_over

logger = logging.getLogger(__name__)

KEYS_FILE = ".digest-pages.json"
THEME_LIBRARIES = ("pelican", "jinja2", "markdown", "markupsafe")
# Settings no page shows: folders (what they hold, the stories and the theme, is hashed apart,
# so a clone elsewhere keeps its keys), the build's date (it reaches pages only as the posts'
# dates added) and this build's own objects.
NOT_SHOWN_SETTINGS = (
    "PATH", "OUTPUT_PATH", "THEME", "CACHE_PATH", "PLUGIN_PATHS", "DIGEST_SEEDS", "DIGEST_CACHE",
    "DIGEST_TODAY", "DIGEST_PREVIOUS_OUTPUT", "DIGEST_IN_PLACE", "DIGEST_CONVERSION", "DIGEST_PAGES",
    "DIGEST_SEARCH",
)
MIN_PAGES_PER_WORKER = 64
STAMP_ATTRIBUTE = "digest_stamp"  # a story's own stamp, on its Pelican article (see story_stamp)
_own_stamp = attrgetter(STAMP_ATTRIBUTE)


@dataclass
class Page:
    """A page Pelican asked for."""

    name: str  # path in the output folder
    template: object  # a Jinja template
    context: dict  # what the template is rendered with
    shared: dict  # the generator's context, which Pelican tells the page's address while rendering

    def shown(self, stamps: Stamps) -> list | None:
        inputs = PAGE_INPUTS.get(self.template.name)
        return inputs(stamps, self.context) if inputs else None

    def render(self) -> bytes:
        # As Pelican does: a story's links to other content follow the address of the page it is on.
        if self.context.get("localsiteurl"):
            self.shared["localsiteurl"] = self.context["localsiteurl"]
        return self.template.render(self.context).encode("utf-8")


@dataclass
class File:
    """Any other file made from the stories, such as a feed."""

    name: str
    inputs: Callable[[Stamps], list]  # what the file shows, as stamps
    make: Callable[[], bytes]

    def shown(self, stamps: Stamps) -> list:
        return self.inputs(stamps)

    def render(self) -> bytes:
        return self.make()


class PagePlan:
    """The pages of one build: a page Pelican asks for is either found unchanged at once (see
    `keep_if_unchanged`) or recorded, and the recorded ones are written by `write_all`."""

    def __init__(self, output: Path, previous: Path | None, settings: dict) -> None:
        self.output = Path(output)
        self.previous = Path(previous) if previous else None
        self.in_place = bool(settings.get("DIGEST_IN_PLACE"))
        self.settings = settings
        self.pages: dict[str, Page | File] = {}  # recorded, to be keyed and maybe rendered
        self.keys: dict[str, str | None] = {}  # of every page, kept or recorded
        self.kept: set[str] = set()  # unchanged pages, taken over from the previous output
        self.rendered = 0
        self._previous_keys = previous_keys(self.previous)
        self._previous_folder = str(self.previous)
        self._stamps: Stamps | None = None

    @property
    def reused(self) -> int:
        return len(self.kept)

    @property
    def names(self) -> list[str]:
        """Every page and file of the site the plan makes, kept or rendered."""
        return [*self.kept, *self.pages]

    def stamps(self, shared: dict) -> Stamps:
        """The build's stamps, made once the site's menu (Pelican's pages in `shared`) is known."""
        if self._stamps is None:
            self._stamps = Stamps(site_version(self.settings, shared.get("pages") or []), shared.get("articles") or [])
        return self._stamps

    def add(self, page: Page | File) -> None:
        if page.name in self.pages or page.name in self.kept:
            raise FileOverwriteFailedError(f"two pages would be written to {page.name}")
        self.pages[page.name] = page

    def keep_if_unchanged(self, name: str, template, context: Mapping, shared: dict) -> bool:
        """Take the page over from the previous build, and say so, when what it would show is
        what it showed then: Pelican then need not make its context at all (most of a one-seed
        rebuild's pages). `context` needs only what the page's PAGE_INPUTS read."""
        stamps = self.stamps(shared)
        inputs = PAGE_INPUTS.get(template.name)
        if not self._previous_keys or inputs is None or name in self.keys:
            return False
        key = stamps.page_key(name, inputs(stamps, context))
        if key is None or self._previous_keys.get(name) != key or not self._take_over(name):
            return False
        self.keys[name] = key
        self.kept.add(name)
        return True

    def write_all(self) -> None:
        """Take over the recorded pages that did not change from the previous build and render the others."""
        stamps = self._stamps or Stamps(site_version(self.settings, []))  # no page asked for
        to_render, unchanged = [], []
        for name, page in self.pages.items():
            key = self.keys[name] = stamps.page_key(name, page.shown(stamps))
            if key is not None and self._previous_keys.get(name) == key and self._take_over(name):
                unchanged.append(name)
            else:
                to_render.append(name)
        for name in unchanged:
            self.kept.add(name)
            del self.pages[name]
        render_pages([self.pages[name] for name in to_render], self.output)
        self.rendered = len(to_render)
        found = {name: key for name, key in sorted(self.keys.items()) if key is not None}
        (self.output / KEYS_FILE).write_text(json.dumps(found, indent=0), encoding="utf-8")
        logger.info("pages: %d rendered, %d unchanged since the previous build", self.rendered, self.reused)

    def _take_over(self, name: str) -> bool:
        # A string path: a rebuild looks for some 20,000 unchanged pages, and making a Path for
        # each cost nearly half of the look-up (0.22 s against 0.12 s).
        old = os.path.join(self._previous_folder, name)
        if not os.path.isfile(old):
            return False
        if not self.in_place:  # else the unchanged page stays where it is, in the site being updated
            take_over(Path(old), self.output / name)
        return True


class PageWriter(Writer):
    """Pelican's writer, except that a page is recorded in the build's PagePlan instead of being
    rendered on the spot. Pelican's own feeds (switched off here) would still be written at once."""

    def __init__(self, output_path, settings=None) -> None:
        super().__init__(output_path, settings)
        previous = self.settings.get("DIGEST_PREVIOUS_OUTPUT")
        self.plan = PagePlan(Path(output_path), previous, self.settings)
        self.settings["DIGEST_PAGES"] = self.plan

    def write_file(
        self, name, template, context, relative_urls=False, paginated=None, template_name=None, url=None, **kwargs
    ):
        recorder = _Recorder(template, self.plan, context)
        stories = (paginated or kwargs).get("articles")
        per_page = self.settings["PAGINATED_TEMPLATES"].get(template_name, False)
        if stories is None or per_page is False or not name:
            if name and self.plan.keep_if_unchanged(name, template, ChainMap(kwargs, context), context):
                return None
            return self._record(name, recorder, context, relative_urls, paginated, template_name, url=url, **kwargs)
        # A listing: cut into pages from its oldest story (see pagination.py), not by Pelican.
        pages = listing_pages(list(stories), per_page or self.settings["DEFAULT_PAGINATION"], name, url or "")
        for page in pages:
            shown = ChainMap({"articles_page": page}, kwargs, context)
            if self.plan.keep_if_unchanged(page.save_as, template, shown, context):
                continue
            self._record(
                page.save_as, recorder, context, relative_urls, url=page.url,
                articles_page=page, articles_paginator=Paginator(len(pages)),
                articles_previous_page=page.newer, articles_next_page=page.older, **kwargs,
            )

    def _record(self, *args, **kwargs) -> None:
        """Pelican's write_file, which makes the page's context and then its folder: recording
        stops before the folder, which only a page rendered in this build needs."""
        try:
            super().write_file(*args, **kwargs)
        except _Recorded:
            pass


class _Recorded(Exception):
    """Raised by _Recorder once the page is in the plan: Pelican's writer has nothing left to do."""


class _Recorder:
    """Stands in for a template in Pelican's writer: records the page instead of rendering it."""

    def __init__(self, template, plan: PagePlan, shared: dict) -> None:
        self.template, self.plan, self.shared = template, plan, shared

    def render(self, context: dict) -> str:
        self.plan.add(Page(context["output_file"], self.template, context, self.shared))
        raise _Recorded


def page_writer(pelican) -> type[Writer]:
    """`get_writer`: Pelican writes through the page plan."""
    return PageWriter


# --- What each page shows -------------------------------------------------------------------

class Stamps:
    """Short hashes of what pages show. A story's own stamp covers everything read from its post
    (title, text, date, tags, address); the site's version covers code, theme and settings."""

    def __init__(self, version: str, articles: Iterable = ()) -> None:
        self.version = version
        for article in articles:  # each stamped once here, so that `stories` reads them in C
            story_stamp(article)

    def story(self, article) -> str:
        return "-" if article is None else story_stamp(article)

    def stories(self, articles: Sequence) -> list[str]:
        """The stamps of many stories (a listing's, a feed's): some 250,000 stamps in a build of
        10,000 stories, read without a line of Python each when every story has its own."""
        try:
            return list(map(_own_stamp, articles))
        except AttributeError:  # a story the build's articles do not hold
            return [story_stamp(article) for article in articles]

    def digest(self, articles: Sequence) -> str:
        """One stamp for many stories: what a listing's facets are counted from."""
        return hashlib.blake2b("".join(self.stories(articles)).encode(), digest_size=16).hexdigest()

    def listing(self, context: dict) -> list:
        """The stories on one page of a listing, and its links to the pages beside it."""
        page = context["articles_page"]
        beside = [other.url if other else None for other in (page.newer, page.older)]
        return [page.number, page.front, beside, self.stories(page.object_list)]

    def page_key(self, name: str, shown: list | None) -> str | None:
        """The key of the page at `name` that shows `shown`; None for a page rendered every time."""
        if shown is None:
            return None
        digest = hashlib.blake2b(json.dumps([self.version, name, shown]).encode(), digest_size=16)
        return digest.hexdigest()


def story_stamp(article) -> str:
    """A story's own stamp, made once and kept on the article: an article kept from the previous
    build (see readahead.py) comes with it, so a rebuild stamps only the stories that changed."""
    found = getattr(article, STAMP_ATTRIBUTE, None)
    if found is None:
        digest = hashlib.blake2b(digest_size=12)
        digest.update(article.slug.encode())  # its address, given the settings in the version
        digest.update(repr(sorted((key, str(value)) for key, value in article.metadata.items())).encode())
        digest.update(article._content.encode())  # the body as read, before any page's links
        found = digest.hexdigest()
        setattr(article, STAMP_ATTRIBUTE, found)
    return found


def term_stamp(term) -> list:
    """A listing as a link or a heading shows it (its stories are stamped where they are shown)."""
    return [term.kind, term.key, term.name]


def _story_page(stamps: Stamps, context: dict) -> list:
    article = context["article"]
    view = article.digest
    return [
        stamps.story(article),
        stamps.stories(view.related),
        stamps.story(view.newer),
        stamps.story(view.older),
        [[term.key, bool(term.articles)] for term in view.mentions],  # a link only to a country with a page
    ]


def _term_page(stamps: Stamps, context: dict) -> list:
    term = context["term"]
    # Only the front page shows the listing's counts and facets; they follow from its stories.
    counts = [len(term.articles), stamps.digest(term.articles)] if context["articles_page"].front else []
    return [term_stamp(term), counts, stamps.listing(context)]


def _cell_page(stamps: Stamps, context: dict) -> list:
    cell = context["cell"]
    count = cell.count if context["articles_page"].front else None
    return [term_stamp(cell.country), term_stamp(cell.sector), count, stamps.listing(context)]


def _month_page(stamps: Stamps, context: dict) -> list:
    months = [month["period_num"] for month in context["period_archives"]["month"]]  # for earlier/later
    return [context["period_num"], len(context["dates"]), months, stamps.listing(context)]


def _home_page(stamps: Stamps, context: dict) -> list | None:
    """The home page's older pages hold only stories; its front holds the site's charts."""
    return None if context["articles_page"].front else stamps.listing(context)


PAGE_INPUTS: dict[str, Callable[[Stamps, dict], list | None]] = {
    "article.html": _story_page,
    "term.html": _term_page,
    "cell.html": _cell_page,
    "period_archives.html": _month_page,
    "index.html": _home_page,
}


def site_version(settings: dict, menu: list) -> str:
    """What every page depends on: the plugin's code and data, the theme, the libraries that
    render it, the settings, and the pages named in every page's menu (Pelican's pages)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(_code_version(settings["THEME"]).encode())
    plain = {key: _plain(value) for key, value in sorted(settings.items()) if key not in NOT_SHOWN_SETTINGS}
    digest.update(json.dumps(plain, sort_keys=True).encode())
    digest.update(json.dumps([[p.url, p.title, p.slug] for p in menu]).encode())
    return digest.hexdigest()


def _code_version(theme: str) -> str:
    # Not cached: `invoke serve` rebuilds in one process, and a template may change between builds.
    digest = hashlib.blake2b(detection_version().encode(), digest_size=16)
    for path in sorted(p for p in (Path(theme) / "templates").rglob("*") if p.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for name in THEME_LIBRARIES:
        digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
    return digest.hexdigest()


def _plain(value):
    """Settings as data: a function or other object stands in by its name, never its address."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return getattr(value, "__qualname__", type(value).__qualname__)


def previous_keys(previous: Path | None) -> dict[str, str]:
    if previous is None:
        return {}
    try:
        return json.loads((previous / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --- Rendering --------------------------------------------------------------------------------

def render_pages(pages: list[Page | File], output: Path) -> None:
    """Write the pages, on every core."""
    map_forked(partial(_render, output=output), pages, MIN_PAGES_PER_WORKER)


def _render(page: Page | File, output: Path) -> None:
    path = output / page.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(page.render())
