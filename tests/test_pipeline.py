"""Seeds folder -> posts: goldens byte for byte, stable across builds, one bad seed isolated."""

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, TODAY
from digest import cache, pipeline, post
from digest.model import Block, Extracted
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


def story(*paragraphs: str) -> Extracted:
    return Extracted("Title", None, None, "en", None, tuple(Block("paragraph", p) for p in paragraphs))


ARTICLE = story("India and Russia signed a deal in Kazan.", "Экспорт вырос на 5 %.")


@pytest.mark.parametrize(
    "variant",
    [
        story("india and russia signed a deal in kazan", "экспорт вырос на 5"),
        story("India, and Russia — signed a deal in “Kazan”!", "Экспорт вырос на 5 % …"),
        story("India and Russia signed", "a deal in Kazan. Экспорт вырос на 5 %."),
        story("India and\nRussia  signed a deal in Kazan.", "  Экспорт вырос на 5 %.  "),
    ],
    ids=["case", "punctuation", "paragraphs", "spacing"],
)
def test_the_fingerprint_ignores_case_punctuation_and_spacing(variant):
    assert pipeline.fingerprint(variant) == pipeline.fingerprint(ARTICLE)


@pytest.mark.parametrize(
    "other",
    [
        story("India and Russia signed a deal in Kazan.", "Экспорт вырос на 6 %."),
        story("India and Russia signed a deal in Kazan.", "Экспорт вырос на 5 % в 2025 году."),
        story("India and Russia signeda deal in Kazan.", "Экспорт вырос на 5 %."),
    ],
    ids=["a number", "more words", "two words run together"],
)
def test_other_words_give_another_fingerprint(other):
    assert pipeline.fingerprint(other) != pipeline.fingerprint(ARTICLE)


def test_seeds_are_the_txt_files_in_any_case_but_not_hidden_ones_or_folders(tmp_path):
    for name in ("b.txt", "A Story.TXT", ".draft.txt", "notes.md", "c.Txt"):
        (tmp_path / name).write_text("India and Russia\n", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    assert pipeline.list_seeds(tmp_path) == [tmp_path / "A Story.TXT", tmp_path / "b.txt", tmp_path / "c.Txt"]


# Rebuilds: what an earlier build made is not made again


SETTLE = cache.SETTLED_NS / 1e9 + 0.05  # seconds after which a file written now has settled


def convert_with_store(seeds: Path, content: Path, day: dt.date = DAY):
    return pipeline.convert_seeds(seeds, content, day, seeds.parent / "cache")


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The seeds whose posts the next conversions render."""
    seeds: list[str] = []
    content_hash = post.content_hash
    count = lambda article, **kw: seeds.append(article.seed) or content_hash(article, **kw)  # noqa: E731
    monkeypatch.setattr(post, "content_hash", count)
    return seeds


def rewrite_keeping_size_and_time(path: Path, old: str, new: str) -> None:
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def edit_post(seeds: Path, content: Path) -> None:
    rewrite_keeping_size_and_time(content / "stories" / f"{slug_of(seeds, EXAMPLE)}.md", "a", "e")


def cut_post(seeds: Path, content: Path) -> None:
    """A post left half written by an interrupted build, cut inside a character where it has one."""
    path = content / "stories" / f"{slug_of(seeds, EXAMPLE)}.md"
    data = path.read_bytes()
    inside = [at for at in range(len(data) // 2, len(data)) if data[at] & 0xC0 == 0x80]
    path.write_bytes(data[: inside[0] if inside else len(data) // 2])


def delete_post(seeds: Path, content: Path) -> None:
    (content / "stories" / f"{slug_of(seeds, EXAMPLE)}.md").unlink()


def edit_ledger(seeds: Path, content: Path) -> None:
    ledger = json.loads((seeds / "ledger.json").read_text(encoding="utf-8"))
    ledger[EXAMPLE]["updated"] = "2026-01-02"
    (seeds / "ledger.json").write_text(json.dumps(ledger, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


def edit_seed(seeds: Path, content: Path) -> None:
    rewrite_keeping_size_and_time(seeds / EXAMPLE, "Russia", "Rassia")


def rename_seed(seeds: Path, content: Path) -> None:
    (seeds / EXAMPLE).rename(seeds / f"renamed-{EXAMPLE}")


def slug_of(seeds: Path, seed: str) -> str:
    return json.loads((seeds / "ledger.json").read_text(encoding="utf-8"))[seed]["slug"]


EXAMPLE = "003_8167059eeef70516.txt"


@pytest.mark.parametrize(
    "change, again",
    [
        (lambda seeds, content: None, []),
        (edit_post, [EXAMPLE]),
        (cut_post, [EXAMPLE]),
        (delete_post, [EXAMPLE]),
        (edit_ledger, [EXAMPLE]),
        (edit_seed, [EXAMPLE]),
        (rename_seed, [f"renamed-{EXAMPLE}"]),
    ],
    ids=[
        "nothing changed", "a post edited by hand", "a post cut short", "a post deleted",
        "the ledger edited", "a seed edited", "a seed renamed",
    ],
)
def test_a_rebuild_renders_only_the_posts_whose_making_changed(example_seeds, tmp_path, rendered, change, again):
    content = tmp_path / "content"
    convert_with_store(example_seeds, content)
    time.sleep(SETTLE)
    convert_with_store(example_seeds, content)  # finds every post as it would make it, and says so
    change(example_seeds, content)
    rendered.clear()
    convert_with_store(example_seeds, content)
    assert rendered == again
    # The posts are those a build without any store makes from the same seeds and ledger.
    fresh = tmp_path / "fresh"
    shutil.copytree(example_seeds, fresh / "seeds")
    pipeline.convert_seeds(fresh / "seeds", fresh / "content", DAY)
    made = {p.name: p.read_bytes() for p in (content / "stories").iterdir()}
    assert made == {p.name: p.read_bytes() for p in (fresh / "content" / "stories").iterdir()}


def test_new_detection_code_renders_every_post_again(example_seeds, tmp_path, rendered, monkeypatch):
    content = tmp_path / "content"
    convert_with_store(example_seeds, content)
    time.sleep(SETTLE)
    convert_with_store(example_seeds, content)
    monkeypatch.setattr(cache, "detection_version", lambda: "another-version")
    rendered.clear()
    convert_with_store(example_seeds, content)
    assert sorted(rendered) == sorted(r.seed for r in convert(example_seeds, tmp_path / "other").results if r.publishes)


def test_a_post_written_a_moment_before_the_build_ended_is_checked_again(
    example_seeds, tmp_path, rendered, monkeypatch
):
    """It could be rewritten within the same tick of the file system's clock, keeping its signature."""
    monkeypatch.setattr(cache, "SETTLED_NS", 60 * 10**9)  # a moment: a minute, however slow the machine
    content = tmp_path / "content"
    convert_with_store(example_seeds, content)
    rendered.clear()
    convert_with_store(example_seeds, content)
    assert len(rendered) == 5


@pytest.mark.parametrize(
    "name, raw, read_again",
    [
        ("empty.txt", b" \n\n", False),
        ("bad-header.txt", "Countries: XX\n\nIndia and Russia signed a treaty.\n".encode(), False),
        ("huge.txt", b"India and Russia. " * 60_000, True),
    ],
    ids=["an empty seed is not read again", "nor a bad header", "a seed too large to read is"],
)
def test_a_bad_seed_is_read_again_only_if_its_error_may_not_last(
    example_seeds, tmp_path, monkeypatch, name, raw, read_again
):
    (example_seeds / name).write_bytes(raw)
    first = convert_with_store(example_seeds, tmp_path / "content")
    reads: list[str] = []
    read_article = pipeline.read_article
    monkeypatch.setattr(pipeline, "read_article", lambda path: reads.append(path.name) or read_article(path))
    second = convert_with_store(example_seeds, tmp_path / "content")
    assert reads == ([name] if read_again else [])
    assert [(r.seed, r.error) for r in second.errors] == [(r.seed, r.error) for r in first.errors] != []


def test_a_seed_the_store_lost_and_that_is_now_bad_is_reported_not_a_crash(example_seeds, tmp_path, monkeypatch):
    content = tmp_path / "content"
    convert_with_store(example_seeds, content)
    time.sleep(SETTLE)
    convert_with_store(example_seeds, content)  # the posts are known: only a missing one needs its article
    [store] = (tmp_path / "cache").glob(f"*/{cache.STORE_FILE}")
    with sqlite3.connect(store) as db:
        db.execute("UPDATE articles SET article = ?", (b"damaged",))
    delete_post(example_seeds, content)  # to be written again: its article is needed

    reason = "empty: the seed holds only spaces and blank lines"

    def now_bad(path: Path):
        raise cache.BytesError(path.name, reason)

    monkeypatch.setattr(pipeline, "read_article", now_bad)
    conversion = convert_with_store(example_seeds, content)
    assert [(r.seed, r.error) for r in conversion.errors] == [(EXAMPLE, reason)]
    assert len(list((content / "stories").glob("*.md"))) == 4
