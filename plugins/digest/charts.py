"""The digest's pictures, worked out at build time from the listings: the country × sector
matrix, bars of stories per country and stories per month.

Plain numbers and geometry only; the theme draws them as an HTML table, HTML bars and an SVG,
so the pictures need no script and no library in the reader's browser.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

from .taxonomy import Term, facets

HEAT_LEVELS = 5  # shades of a matrix cell, from a single story to the busiest cell
MONTHS_SHOWN = 36  # the month chart covers the latest three years; the archives keep the rest
CHART_WIDTH = 640  # CSS pixels the month chart aims at; its columns narrow down to MIN_STEP
MIN_STEP, MAX_STEP = 16.0, 28.0


@dataclass(frozen=True)
class Cell:
    """The stories where a country is a party and a sector is covered: one page of its own."""

    country: Term
    sector: Term
    articles: tuple
    level: int  # 1..HEAT_LEVELS

    @property
    def count(self) -> int:
        return len(self.articles)

    @property
    def url(self) -> str:
        return f"{self.country.url}{self.sector.slug}/"

    @property
    def save_as(self) -> str:
        return f"{self.url}index.html"


@dataclass(frozen=True)
class Matrix:
    countries: tuple[Term, ...]  # rows, busiest first
    sectors: tuple[Term, ...]  # columns: only sectors with stories
    cells: dict[tuple[str, str], Cell]  # (country key, sector key) -> cell; empty cells absent

    def cell(self, country: Term, sector: Term) -> Cell | None:
        return self.cells.get((country.key, sector.key))

    def top(self, rows: int) -> Matrix:
        """The busiest countries only, for the home page (the countries page shows them all)."""
        return Matrix(self.countries[:rows], self.sectors, self.cells)


def heat(count: int, busiest: int) -> int:
    return max(1, math.ceil(HEAT_LEVELS * count / busiest))


def matrix(terms: dict[str, list[Term]]) -> Matrix:
    """Country × sector: for each country (as a party) the stories covering each sector."""
    found: dict[tuple[str, str], list] = {}
    sectors: dict[str, Term] = {}
    for country in terms["countries"]:
        for article in country.articles:
            for sector in article.digest.sectors:
                sectors[sector.key] = sector
                found.setdefault((country.key, sector.key), []).append(article)
    busiest = max((len(articles) for articles in found.values()), default=1)
    rows = {country.key: country for country in terms["countries"]}
    cells = {
        key: Cell(rows[key[0]], sectors[key[1]], tuple(articles), heat(len(articles), busiest))
        for key, articles in found.items()
    }
    columns = tuple(sector for sector in terms["sectors"] if sector.key in sectors)
    return Matrix(tuple(terms["countries"]), columns, cells)


@dataclass(frozen=True)
class Bar:
    term: Term
    count: int
    percent: int  # length relative to the longest bar


def bars(counted: list[tuple[Term, int]]) -> list[Bar]:
    longest = max((count for _, count in counted), default=1)
    return [Bar(term, count, max(1, round(100 * count / longest))) for term, count in counted]


class FacetBars(Mapping):
    """A listing's facets (taxonomy.facets) as bars, by kind, counted on first use: only the
    listings whose front page is rendered need them, a few in a rebuild, and counting them for
    every listing took a fifth of a second at 10,000 stories."""

    def __init__(self, term: Term) -> None:
        self.term = term

    @cached_property
    def _bars(self) -> dict[str, list[Bar]]:
        return {kind: bars(counted) for kind, counted in facets(self.term).items()}

    def __getitem__(self, kind: str) -> list[Bar]:
        return self._bars[kind]

    def __iter__(self) -> Iterator[str]:
        return iter(self._bars)

    def __len__(self) -> int:
        return len(self._bars)


def term_bars(terms: list[Term]) -> list[Bar]:
    """One bar per listing, as long as its number of stories (partner countries, sectors, …)."""
    return bars([(term, len(term.articles)) for term in terms])


@dataclass(frozen=True)
class Column:
    year: int
    month: int
    count: int
    added: int  # of which filed under the day they were added, their text stating no date
    url: str | None  # the month's archive page; None for an empty month
    x: float
    y: float  # top of the bar
    height: float
    added_height: float  # the top part of the bar: the stories filed by date added
    year_mark: bool  # the year is written under this column: each January, and the first column

    @property
    def label(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def initial(self) -> str:
        return calendar.month_abbr[self.month][0]


@dataclass(frozen=True)
class Timeline:
    """Stories per month as SVG geometry: columns on a baseline, sized in CSS pixels."""

    columns: tuple[Column, ...]
    width: int
    height: int
    baseline: float
    step: float  # distance between columns
    bar_width: float
    earlier: int  # stories older than the first column (listed in the archives)

    @property
    def total(self) -> int:
        return sum(column.count for column in self.columns)

    @property
    def added(self) -> int:
        return sum(column.added for column in self.columns)


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    """(2024, 11), (2025, 2) -> Nov 2024, Dec 2024, Jan 2025, Feb 2025 as (year, month)."""
    start, end = first[0] * 12 + first[1] - 1, last[0] * 12 + last[1] - 1
    return [(index // 12, index % 12 + 1) for index in range(start, end + 1)]


def stories_per_month(articles: list, month_url: str, months_shown: int = MONTHS_SHOWN) -> Timeline | None:
    """Every month from the first story to the latest (at most `months_shown`), empty ones too,
    so that the picture keeps time's proportions. `month_url` is DIGEST_MONTH_URL."""
    if not articles:
        return None
    per_month = Counter((article.date.year, article.date.month) for article in articles)
    added = Counter(
        (article.date.year, article.date.month) for article in articles if article.digest.date_source == "added"
    )
    shown = months_between(min(per_month), max(per_month))[-months_shown:]
    step = max(MIN_STEP, min(MAX_STEP, CHART_WIDTH / len(shown)))
    bar_width, top, chart_height, axis = round(step * 0.7), 18.0, 110.0, 34.0
    busiest = max(per_month[month] for month in shown)
    baseline = top + chart_height
    columns = []
    for n, (year, month) in enumerate(shown):
        count, undated = per_month[(year, month)], added[(year, month)]
        height = chart_height * count / busiest
        url = month_url.format(date=dt.date(year, month, 1)) if count else None
        # The first column names its year unless a January follows too closely to leave room.
        year_mark = month == 1 or (n == 0 and month <= 10)
        columns.append(Column(
            year, month, count, undated, url, 8 + n * step, baseline - height, height,
            chart_height * undated / busiest, year_mark,
        ))
    earlier = sum(count for month, count in per_month.items() if month < shown[0])
    width = int(16 + len(shown) * step)
    return Timeline(tuple(columns), width, int(baseline + axis), baseline, step, bar_width, earlier)
