"""The pictures' numbers: months on a continuous axis, undated stories stacked apart, matrix
cells with their stories and a shade that grows with them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from digest import charts
from digest.taxonomy import Term

MONTH_URL = "archives/{date:%Y}/{date:%m}/"


def story(day: str, date_source: str = "text", sectors=()):
    return SimpleNamespace(date=dt.date.fromisoformat(day), digest=SimpleNamespace(date_source=date_source, sectors=sectors))


@pytest.mark.parametrize("first, last, expected", [
    ((2025, 3), (2025, 3), [(2025, 3)]),
    ((2024, 11), (2025, 2), [(2024, 11), (2024, 12), (2025, 1), (2025, 2)]),
])
def test_months_between_crosses_the_new_year(first, last, expected):
    assert charts.months_between(first, last) == expected


def test_empty_months_keep_their_place_on_the_axis():
    timeline = charts.stories_per_month([story("2025-01-05"), story("2025-04-20"), story("2025-04-21")], MONTH_URL)
    assert [(c.month, c.count) for c in timeline.columns] == [(1, 1), (2, 0), (3, 0), (4, 2)]
    assert [c.url for c in timeline.columns] == ["archives/2025/01/", None, None, "archives/2025/04/"]
    assert timeline.columns[3].height == 2 * timeline.columns[0].height
    assert timeline.total == 3


def test_stories_filed_by_date_added_are_counted_apart():
    timeline = charts.stories_per_month([story("2026-11-24", "added"), story("2026-11-02")], MONTH_URL)
    (column,) = timeline.columns
    assert (column.count, column.added) == (2, 1)
    assert column.added_height == column.height / 2
    assert timeline.added == 1


def test_a_long_history_shows_the_latest_months_and_counts_the_rest():
    timeline = charts.stories_per_month([story("2010-05-01"), story("2025-06-01"), story("2025-07-01")], MONTH_URL,
                                        months_shown=12)
    assert len(timeline.columns) == 12
    assert (timeline.columns[-1].year, timeline.columns[-1].month) == (2025, 7)
    assert timeline.earlier == 1


def test_years_are_written_under_january_and_under_a_first_month_with_room():
    timeline = charts.stories_per_month([story("2024-12-01"), story("2026-02-01")], MONTH_URL)
    marked = [(c.year, c.month) for c in timeline.columns if c.year_mark]
    assert marked == [(2025, 1), (2026, 1)]  # December 2024 is too close to January to name 2024


def test_no_stories_no_timeline():
    assert charts.stories_per_month([], MONTH_URL) is None


@pytest.mark.parametrize("count, busiest, level", [(1, 1, 5), (1, 10, 1), (5, 10, 3), (10, 10, 5)])
def test_heat_grows_with_the_count(count, busiest, level):
    assert charts.heat(count, busiest) == level


def test_matrix_cells_hold_the_stories_of_their_country_and_sector():
    energy = Term("sectors", "energy", "energy", "Energy", {})
    trade = Term("sectors", "trade-investment", "trade-investment", "Trade & Investment", {})
    a, b = story("2025-01-01", sectors=(energy, trade)), story("2025-02-01", sectors=(energy,))
    india = Term("countries", "IN", "india", "India", {}, [a, b])
    china = Term("countries", "CN", "china", "China", {}, [b])
    unused = Term("sectors", "health", "health", "Health", {})
    matrix = charts.matrix({"countries": [india, china], "sectors": [energy, trade, unused]})
    assert [s.key for s in matrix.sectors] == ["energy", "trade-investment"]  # no empty column
    assert matrix.cell(india, energy).count == 2 and matrix.cell(india, energy).level == 5
    assert matrix.cell(china, trade) is None
    assert matrix.cell(india, energy).url == "countries/india/energy/"
    assert [c.key for c in matrix.top(1).countries] == ["IN"]


def test_bars_are_as_long_as_their_share_of_the_longest():
    terms = [Term("countries", code, code.lower(), code, {}, [None] * n) for code, n in [("RU", 8), ("IN", 2)]]
    assert [bar.percent for bar in charts.term_bars(terms)] == [100, 25]
