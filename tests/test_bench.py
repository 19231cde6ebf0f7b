"""`invoke bench` keeps working: a small run prints every figure and a summary line of sane values
(no timing thresholds: speed is shown by the command's figures, never by a timed test)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import regex

from conftest import ROOT
from digest import bench, bench_corpus

SUMMARY = re.compile(
    r"^bench N=(?P<n>\d+) full_s=(?P<full_s>[\d.]+) pelican_s=(?P<pelican_s>[\d.]+) ratio=(?P<ratio>[\d.]+) "
    r"add_one_s=(?P<add_one_s>[\d.]+) add_one_ratio=(?P<add_one_ratio>[\d.]+) "
    r"report_seeds_per_s=(?P<report_seeds_per_s>\d+) peak_mb=(?P<peak_mb>\d+)$"
)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """`invoke bench --seeds 50 --runs 1`, as a person would type it; its output and folder."""
    keep = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "invoke", "bench", "--seeds", "50", "--runs", "1", "--keep", str(keep)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines(), keep


def test_the_summary_line_has_every_figure(small_run):
    lines, _ = small_run
    found = SUMMARY.match(lines[-1])
    assert found, lines[-1]
    figures = {key: float(value) for key, value in found.groupdict().items()}
    assert figures["n"] == 50
    assert all(figures[key] > 0 for key in ("full_s", "pelican_s", "add_one_s", "report_seeds_per_s"))
    # The ratios come from the unrounded times.
    assert figures["ratio"] == pytest.approx(figures["full_s"] / figures["pelican_s"], rel=0.02)
    assert figures["add_one_ratio"] == pytest.approx(figures["add_one_s"] / figures["full_s"], rel=0.02, abs=0.002)
    assert 10 < figures["peak_mb"] < 24 * 1024  # a whole Python process tree, less than the machine


def test_one_line_per_figure_before_the_summary(small_run):
    lines, _ = small_run
    for label in ("corpus:", "full build from seeds:", "plain Pelican on the same posts:",
                  "rebuild after adding one seed:", "report, no cache:", "report after a build:"):
        assert any(line.startswith(label) for line in lines[:-1]), label


def test_the_rebuild_added_a_story_and_plain_pelican_built_the_same_posts(small_run):
    _, keep = small_run
    ours = sorted(p.name for p in (keep / "site" / "content" / "stories").glob("*.md"))
    plain = sorted(p.name for p in (keep / "plain" / "content" / "stories").glob("*.md"))
    assert len(ours) == len(plain) + 1  # the posts before the rebuild, and the newcomer's
    assert set(plain) < set(ours)
    assert list((keep / "plain" / "output" / "tag").glob("*.html")), "plain Pelican wrote its tag pages"
    assert (keep / "plain" / "output" / "feeds" / "all.atom.xml").is_file()


def test_the_corpus_is_the_same_bytes_every_time_whatever_its_size():
    assert bench_corpus.seed_file(7) == bench_corpus.seed_file(7)
    assert [bench_corpus.seed_file(i)[0] for i in range(3)] != [bench_corpus.seed_file(i)[0] for i in range(1, 4)]


def language_of(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
    letters = {script: len(regex.findall(rf"\p{{{script}}}", text)) for script in ("Devanagari", "Cyrillic", "Latin")}
    return {"Devanagari": "hi", "Cyrillic": "ru", "Latin": "en"}[max(letters, key=letters.get)]


def test_the_corpus_looks_like_the_examples():
    seeds = [bench_corpus.seed_file(i)[1] for i in range(400)]
    stories = [raw for raw in seeds if len(raw.split()) > 20]
    shares = {lang: sum(language_of(raw) == lang for raw in stories) / len(stories) for lang in ("hi", "en", "ru")}
    assert 0.6 < shares["hi"] < 0.8 and 0.08 < shares["en"] < 0.25 and 0.08 < shares["ru"] < 0.25, shares
    words = sorted(len(raw.split()) for raw in stories)
    assert 150 < words[len(words) // 2] < 900 and words[-1] < 1200
    assert sum(b"\r\n" in raw for raw in seeds) > 0 and sum(raw.startswith(b"\xef\xbb\xbf") for raw in seeds) > 0
    junk = ("What's Your Reaction?", "Comments (0)", "टिप्पणियाँ (0)", "Комментарии (0)")
    assert sum(any(j.encode() in raw for j in junk) for raw in seeds) > 20


def test_plain_pelican_tags_a_post_with_its_listings():
    post = "Seed: a.txt\nTitle: T\nLang: hi\nCountries: RU, IN\nSectors: energy\n\nBody.\n"
    assert bench.with_tags(post) == (
        "Seed: a.txt\nTitle: T\nLang: hi\nCountries: RU, IN\nSectors: energy\nTags: IN, RU, energy, IN-RU, lang-hi\n\nBody.\n"
    )


def test_peak_memory_counts_the_whole_process_tree():
    assert bench.tree_rss_mb(os.getpid()) > 10
