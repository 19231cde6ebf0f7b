"""Pelican glue: convert seeds when a build starts, and write the digest's listing pages.

All the work is in the plain modules; this file only connects them to Pelican's objects.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pelican.generators import Generator

from . import pipeline, taxonomy

logger = logging.getLogger(__name__)

DEFAULTS = {
    "DIGEST_SEEDS": "seeds",
    "DIGEST_TODAY": None,  # a fixed date for tests; None means the build's own date
}


def configure(settings: dict) -> None:
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def build_date(settings: dict) -> dt.date:
    fixed = settings.get("DIGEST_TODAY")
    return dt.date.fromisoformat(str(fixed)) if fixed else dt.date.today()


def convert_seeds_at_start(pelican) -> None:
    """`initialized`: turn every seed into a post in content/ before Pelican reads content/."""
    settings = pelican.settings
    configure(settings)
    seeds = Path(settings["DIGEST_SEEDS"])
    conversion = pipeline.convert_seeds(seeds, Path(settings["PATH"]), build_date(settings))
    for result in conversion.errors:
        logger.error("seed %s: %s", result.seed, result.error)
    if conversion.ledger_warning:
        logger.warning(conversion.ledger_warning)
    settings["DIGEST_CONVERSION"] = conversion


class DigestGenerator(Generator):
    """Writes one page per country, sector, partnership and language, and their indexes."""

    def generate_context(self) -> None:
        articles = self.context.get("articles", [])
        self.terms = taxonomy.build_terms(articles)
        self.context["digest_terms"] = self.terms
        self.context["digest_matrix"] = taxonomy.matrix(self.terms)
        self.context["DIGEST_KINDS"] = taxonomy.KINDS

    def generate_output(self, writer) -> None:
        for kind, terms in self.terms.items():
            writer.write_file(
                f"{kind}/index.html", self.get_template("terms"), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], kind=kind, terms=terms, url=f"{kind}/",
            )
            for term in terms:
                writer.write_file(
                    term.save_as, self.get_template("term"), self.context,
                    relative_urls=self.settings["RELATIVE_URLS"],
                    paginated={"articles": term.articles}, template_name="term",
                    url=term.url, term=term, articles=term.articles,
                )


def get_generators(pelican):
    return DigestGenerator
