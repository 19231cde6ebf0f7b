"""Posts are read and pages rendered by forked workers on every core: the site must be the one
a single core makes, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import settings_for

from digest import pages, parallel, readahead
from digest.bench_corpus import write_corpus
from digest.build import build_site


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.setattr(parallel, "available_cores", lambda: 2)


def test_results_come_back_in_order_from_other_processes(two_cores):
    found = parallel.map_forked(lambda number: (number * number, os.getpid()), list(range(100)), min_per_worker=1)
    assert [square for square, _ in found] == [number * number for number in range(100)]
    assert {pid for _, pid in found} - {os.getpid()}


def test_few_items_stay_in_this_process(two_cores):
    assert parallel.map_forked(lambda _: os.getpid(), [1, 2, 3], min_per_worker=64) == [os.getpid()] * 3


def test_a_site_built_on_two_cores_is_the_site_built_on_one(tmp_path, monkeypatch):
    for name in ("one", "two"):
        write_corpus(tmp_path / name / "seeds", 30)

    monkeypatch.setattr(parallel, "available_cores", lambda: 1)
    build_site(settings_for(tmp_path / "one", tmp_path / "one" / "seeds"))

    monkeypatch.setattr(parallel, "available_cores", lambda: 2)
    monkeypatch.setattr(readahead, "MIN_POSTS_PER_WORKER", 1)
    monkeypatch.setattr(pages, "MIN_PAGES_PER_WORKER", 1)
    handed_out = []

    def recorded(function, items, min_per_worker):
        handed_out.append(len(items))
        return parallel.map_forked(function, items, min_per_worker)

    monkeypatch.setattr(readahead, "map_forked", recorded)
    monkeypatch.setattr(pages, "map_forked", recorded)
    build_site(settings_for(tmp_path / "two", tmp_path / "two" / "seeds"))

    posts, rendered = handed_out
    assert posts == len(list((tmp_path / "two" / "content" / "stories").glob("*.md")))
    assert rendered > posts  # every story page, and the listings
    assert files(tmp_path / "one" / "output") == files(tmp_path / "two" / "output")


def _answer(numbers):
    return sum(numbers)


def _refuse(reason):
    raise ValueError(reason)


def _die():
    os._exit(3)


def test_a_forked_job_gives_its_result_to_the_waiting_caller(two_cores):
    assert parallel.start_forked(_answer, [1, 2, 3])() == 6


def test_a_forked_jobs_error_is_raised_where_it_is_waited_for(two_cores):
    waiting = parallel.start_forked(_refuse, "no stories")
    with pytest.raises(ValueError, match="no stories"):
        waiting()


def test_a_forked_job_that_dies_is_an_error_not_a_hang(two_cores):
    with pytest.raises(RuntimeError, match="exit code 3"):
        parallel.start_forked(_die)()
