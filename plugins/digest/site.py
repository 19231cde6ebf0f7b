"""Pelican glue: convert seeds when a build starts, and write the digest's listing pages.

All the work is in the plain modules; this file only connects them to Pelican's objects.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from pathlib import Path

from pelican.generators import Generator

from . import archives, cache, charts, feeds, pages, pipeline, reader, search, sitemap, taxonomy
from .parallel import start_forked

logger = logging.getLogger(__name__)

DEFAULTS = {
    "DIGEST_SEEDS": "seeds",
    "DIGEST_TODAY": None,  # a fixed date for tests; None means the build's own date
    "DIGEST_FEED_LIMIT": 50,  # entries per feed, newest first
    # Feed and entry ids are tag: URIs under this name and date, not under SITEURL, so that
    # moving the site never changes an id.
    "DIGEST_TAG_AUTHORITY": "digest.example.org",
    "DIGEST_TAG_DATE": "2026",
    # The month archives, which the digest writes instead of Pelican (see archives.py).
    "DIGEST_MONTH_URL": "archives/{date:%Y}/{date:%m}/",
    "DIGEST_MONTH_SAVE_AS": "archives/{date:%Y}/{date:%m}/index.html",
}


def configure(settings: dict) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    cache.configure(settings)


def build_date(settings: dict) -> dt.date:
    fixed = settings.get("DIGEST_TODAY")
    return dt.date.fromisoformat(str(fixed)) if fixed else dt.date.today()


def convert_seeds_at_start(pelican) -> None:
    """`initialized`: turn every seed into a post in content/ before Pelican reads content/, and
    start indexing the stories for search as soon as they are planned (see search.py)."""
    settings = pelican.settings
    configure(settings)
    seeds = Path(settings["DIGEST_SEEDS"])
    conversion = pipeline.convert_seeds(
        seeds, Path(settings["PATH"]), build_date(settings), cache.articles_dir(settings),
        planned=partial(start_search, settings),
    )
    for result in conversion.errors:
        logger.error("seed %s: %s", result.seed, result.error)
    if conversion.ledger_warning:
        logger.warning(conversion.ledger_warning)
    settings["DIGEST_CONVERSION"] = conversion


def start_search(settings: dict, results: list[pipeline.SeedResult], ledger) -> None:
    """Index the published stories in a forked process while the build goes on; the build
    waits for it with `settings["DIGEST_SEARCH"]()`, which gives the search.SearchIndex."""
    # Pelican's Markdown reader completes the MARKDOWN setting in place when it is made: made
    # here first, it does so before what documents are made from is read (search.made_from).
    reader.DigestReader(settings)
    scheme = search.document_scheme(settings)
    stories = [
        search.Story(
            result.slug, ledger.records[result.seed].number, result.added,
            search.made_from(scheme, result.seed_key, result.slug, result.added),
            partial(getattr, result, "article"),
        )
        for result in results if result.publishes
    ]
    previous = settings.get("DIGEST_PREVIOUS_OUTPUT")
    previous = Path(previous) if previous else None
    pages = search.plan_pages(stories, settings, previous, search.PAGES_PER_BUNDLE)
    settings["DIGEST_SEARCH"] = start_forked(
        search.index_stories, pages, Path(settings["OUTPUT_PATH"]), settings, previous,
        bool(settings.get("DIGEST_IN_PLACE")),
    )


class DigestGenerator(Generator):
    """Writes one page per country, sector, partnership and language, their indexes, one page per
    cell of the country × sector matrix, one per month, and the not-found page."""

    def generate_context(self) -> None:
        articles = self.context.get("articles", [])
        self.terms, ranking = taxonomy.build_terms(articles, cache.load_ranking(self.settings))
        cache.save_ranking(self.settings, ranking)
        self.matrix = charts.matrix(self.terms)
        self.context["digest_terms"] = self.terms
        self.context["digest_matrix"] = self.matrix
        self.context["digest_bars"] = {kind: charts.term_bars(terms) for kind, terms in self.terms.items()}
        self.context["digest_timeline"] = charts.stories_per_month(articles, self.settings["DIGEST_MONTH_URL"])
        self.months = archives.month_archives(
            articles, self.settings["DIGEST_MONTH_URL"], self.settings["DIGEST_MONTH_SAVE_AS"]
        )
        # Where the theme looks for Pelican's own month archives, which pelican.conf switches off.
        self.context["period_archives"] = {"month": self.months}
        self.context["DIGEST_KINDS"] = taxonomy.KINDS
        # Pages link relatively (SITEURL becomes "../.." in each page); canonical links and
        # OpenGraph need the public address itself.
        self.context["SITE_ADDRESS"] = self.settings["SITEURL"]
        self.context["DIGEST_ALL_FEEDS"] = feeds.all_ref(self.settings)

    def generate_output(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        for kind, terms in self.terms.items():
            writer.write_file(
                f"{kind}/index.html", self.get_template("terms"), self.context,
                relative_urls=relative, kind=kind, terms=terms, url=f"{kind}/",
            )
            for term in terms:
                writer.write_file(
                    term.save_as, self.get_template("term"), self.context,
                    relative_urls=relative,
                    paginated={"articles": term.articles}, template_name="term",
                    url=term.url, term=term, articles=term.articles, facets=charts.FacetBars(term),
                )
        for cell in self.matrix.cells.values():
            writer.write_file(
                cell.save_as, self.get_template("cell"), self.context, relative_urls=relative,
                paginated={"articles": list(cell.articles)}, template_name="cell",
                url=cell.url, cell=cell, articles=list(cell.articles),
            )
        for month in self.months:
            writer.write_file(
                month["save_as"], self.get_template("period_archives"), self.context, relative_urls=relative,
                paginated={"articles": month["articles"]}, template_name="period_archives", url=month["url"],
                articles=month["articles"], dates=month["dates"],
                period=month["period"], period_num=month["period_num"],
            )
        files = feeds.feed_files(self.terms, self.context.get("articles", []), self.settings)
        render_feed = feeds.FeedWriter(self.settings).render
        for feed in files:
            writer.plan.add(pages.File(feed.path, partial(_feed_shown, feed), partial(render_feed, feed)))
        refs = feeds.refs_of(files)
        feeds.write_opml(refs, self.settings, self.output_path)
        writer.write_file(
            f"{feeds.FEEDS_PAGE_URL}index.html", self.get_template("feeds"), self.context,
            relative_urls=relative, url=feeds.FEEDS_PAGE_URL, feed_groups=feeds.grouped(refs),
            opml=feeds.OPML_PATH,
        )
        # Served for any missing address, at any depth: only absolute links work there.
        writer.write_file("404.html", self.get_template("404"), self.context, relative_urls=False, url="404.html")


def _feed_shown(feed: feeds.FeedFile, stamps: pages.Stamps) -> list:
    return [repr(feed.ref), feed.form, stamps.stories(feed.articles)]


def get_generators(pelican):
    return DigestGenerator


def finish(pelican) -> None:
    """`finalized`: write the pages Pelican asked for, then the sitemap of them all."""
    plan = pelican.settings["DIGEST_PAGES"]
    plan.write_all()
    sitemap.write_at_end(pelican, plan.names)
