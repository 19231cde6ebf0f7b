"""Seeds folder -> posts: goldens byte for byte, stable across builds, one bad seed isolated."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, TODAY
from digest import pipeline
from digest.report import REPORT_KEYS, report_entry

import datetime as dt

GOLDEN = ROOT / "tests" / "golden"
EXPECTED = json.loads((ROOT / "tests" / "expected_examples.json").read_text(encoding="utf-8"))
DAY = dt.date.fromisoformat(TODAY)


def convert(seeds: Path, content: Path):
    return pipeline.convert_seeds(seeds, content, DAY)


@pytest.mark.parametrize("seed", [e["seed"] for e in EXPECTED])
def test_posts_match_their_golden_files(example_seeds, tmp_path, seed):
    conversion = convert(example_seeds, tmp_path / "content")
    result = next(r for r in conversion.results if r.seed == seed)
    post = tmp_path / "content" / "stories" / f"{result.slug}.md"
    golden = GOLDEN / f"{Path(seed).stem}.md"
    assert post.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8"), (
        "post differs from its golden file; if the change is intended run `invoke update-goldens`"
    )


def test_two_builds_give_the_same_bytes(example_seeds, tmp_path):
    convert(example_seeds, tmp_path / "a")
    convert(example_seeds, tmp_path / "b")
    first = {p.name: p.read_bytes() for p in (tmp_path / "a" / "stories").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b" / "stories").iterdir()}
    assert first == second and len(first) == 5


def test_the_repository_ledger_records_every_example(example_seeds):
    ledger = json.loads((SEEDS / "ledger.json").read_text(encoding="utf-8"))
    assert {e["seed"] for e in EXPECTED} <= set(ledger)


def test_date_added_survives_a_fresh_clone(example_seeds, tmp_path):
    """File times change on clone; the ledger does not."""
    for path in example_seeds.glob("*.txt"):
        path.touch()
    results, _ = pipeline.plan(example_seeds, dt.date(2030, 1, 1))
    ledger = json.loads((SEEDS / "ledger.json").read_text(encoding="utf-8"))
    for result in results:
        assert result.added.isoformat() == ledger[result.seed]["added"]


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e["seed"])
def test_report_agrees_with_a_careful_reader(example_seeds, expected):
    results, _ = pipeline.plan(example_seeds, DAY)
    entry = report_entry(next(r for r in results if r.seed == expected["seed"]))
    assert tuple(entry) == REPORT_KEYS
    assert entry["status"] == "ok" and entry["error"] is None
    assert entry["date"] == expected["date"]
    assert entry["date_source"] == ("text" if expected["date"] else "added")
    assert entry["lang"] == expected["lang"]
    assert entry["countries"] == expected["countries"]
    assert entry["mentions"] == expected["mentions"]
    assert set(expected["sectors"]) <= set(entry["sectors"])
    assert set(entry["sectors"]) <= set(expected["sectors"]) | set(expected.get("sectors_optional", []))
    if expected.get("title"):
        assert entry["title"] == expected["title"]
    assert len(entry["title"]) <= 100


def test_a_bad_seed_is_reported_and_the_others_still_build(example_seeds, tmp_path):
    (example_seeds / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)
    conversion = convert(example_seeds, tmp_path / "content")
    broken = next(r for r in conversion.results if r.seed == "broken.txt")
    assert broken.error and "not a text file" in broken.error
    assert len(list((tmp_path / "content" / "stories").glob("*.md"))) == 5


def test_posts_without_a_seed_are_removed_and_pages_kept(example_seeds, tmp_path):
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "pages" / "about.md").write_text("Title: About\n\nHand-written.\n")
    convert(example_seeds, content)
    (example_seeds / "000_26a257bc879db21e.txt").unlink()
    conversion = convert(example_seeds, content)
    assert len(conversion.removed) == 1
    assert len(list((content / "stories").glob("*.md"))) == 4
    assert (content / "pages" / "about.md").exists()


def test_the_committed_ledger_matches_the_posts_the_code_writes(example_seeds, tmp_path):
    """Otherwise a fresh clone's first build moves every updated date (and dirties the tree)."""
    committed = json.loads((SEEDS / "ledger.json").read_text(encoding="utf-8"))
    convert(example_seeds, tmp_path / "content")
    rebuilt = json.loads((example_seeds / "ledger.json").read_text(encoding="utf-8"))
    stale = sorted(seed for seed in committed if committed[seed]["content_hash"] != rebuilt[seed]["content_hash"])
    assert not stale, f"seeds/ledger.json is out of date for {stale}: run `./run build` and commit seeds/ledger.json"
