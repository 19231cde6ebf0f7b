"""Reading seeds fast: a seed read once is not read again, parallel reading gives what serial
reading gives, and the caches live beside the seeds, outside the output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest import bench_corpus, cache, pipeline
from digest.model import Article, SeedError


class CountingReader:
    """Stands for pipeline.read_article and counts the seeds it is asked to read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, path: Path) -> Article:
        self.read.append(path.name)
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise SeedError(path.name, "empty: the seed has no text")
        return Article(
            seed=path.name, title=text.splitlines()[0], standfirst=None, date=None, date_source="added",
            lang="en", source=None, blocks=(), parties=(), mentions=(), sectors=(), fingerprint="f",
        )


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, text in (("a.txt", "India and Russia\n"), ("b.txt", "China and Brazil\n"), ("bad.txt", " \n")):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def read(folder: Path, store: Path, reader: CountingReader) -> dict:
    return cache.read_seeds(sorted(folder.glob("*.txt")), reader, store)


def test_a_seed_read_once_is_not_read_again(seeds, tmp_path):
    reader = CountingReader()
    first = read(seeds, tmp_path / "cache", reader)
    assert sorted(reader.read) == ["a.txt", "b.txt", "bad.txt"]
    reader.read.clear()
    second = read(seeds, tmp_path / "cache", reader)
    assert reader.read == ["bad.txt"]  # errors are not kept: a bad seed is read every time
    assert second["a.txt"] == first["a.txt"] and isinstance(second["bad.txt"], SeedError)


@pytest.mark.parametrize(
    "change, read_again",
    [
        (lambda folder: (folder / "a.txt").write_text("India and Japan\n", encoding="utf-8"), ["a.txt"]),
        (lambda folder: (folder / "a.txt").rename(folder / "renamed.txt"), []),
        (lambda folder: shutil.copy(folder / "b.txt", folder / "copy.txt"), []),
    ],
    ids=["changed bytes are read again", "a renamed seed is not", "nor is a copy"],
)
def test_the_cache_follows_the_bytes_not_the_name(seeds, tmp_path, change, read_again):
    reader = CountingReader()
    read(seeds, tmp_path / "cache", reader)
    change(seeds)
    reader.read.clear()
    found = read(seeds, tmp_path / "cache", reader)
    assert [name for name in reader.read if name != "bad.txt"] == read_again
    assert all(article.seed == name for name, article in found.items())  # each under its own name


def test_new_detection_code_reads_every_seed_again(seeds, tmp_path, monkeypatch):
    reader = CountingReader()
    read(seeds, tmp_path / "cache", reader)
    monkeypatch.setattr(cache, "detection_version", lambda: "another-version")
    reader.read.clear()
    read(seeds, tmp_path / "cache", reader)
    assert sorted(reader.read) == ["a.txt", "b.txt", "bad.txt"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["another-version"]  # the old one is gone


def test_the_articles_are_kept_in_one_file(seeds, tmp_path):
    """Creating a small file per article costs more than reading the seeds did."""
    read(seeds, tmp_path / "cache", CountingReader())
    [version] = (tmp_path / "cache").iterdir()
    assert [p.name for p in version.iterdir()] == [cache.STORE_FILE]


def test_a_damaged_store_is_read_as_empty_and_made_anew(seeds, tmp_path):
    reader = CountingReader()
    first = read(seeds, tmp_path / "cache", reader)
    [store] = (tmp_path / "cache").glob(f"*/{cache.STORE_FILE}")
    store.write_bytes(b"not a database " * 100)
    reader.read.clear()
    again = read(seeds, tmp_path / "cache", reader)
    assert sorted(reader.read) == ["a.txt", "b.txt", "bad.txt"] and again["a.txt"] == first["a.txt"]
    reader.read.clear()
    read(seeds, tmp_path / "cache", reader)  # the first read after the damage made it anew
    assert reader.read == ["bad.txt"]


class EditedJustBeforeReading(CountingReader):
    """An editor saves a new version of each seed after the build hashed it, before it is read."""

    def __call__(self, path: Path) -> Article:
        path.write_text("India and Japan\n", encoding="utf-8")
        return super().__call__(path)


def test_an_article_is_kept_only_under_the_bytes_it_was_read_from(seeds, tmp_path):
    original = (seeds / "a.txt").read_bytes()
    assert read(seeds, tmp_path / "cache", EditedJustBeforeReading())["a.txt"].title == "India and Japan"
    (seeds / "a.txt").write_bytes(original)  # the editor undoes the edit
    assert read(seeds, tmp_path / "cache", CountingReader())["a.txt"].title == "India and Russia"


def test_reading_in_parallel_gives_what_reading_one_by_one_gives(tmp_path):
    paths = bench_corpus.write_corpus(tmp_path / "seeds", 2 * cache.MIN_SEEDS_PER_WORKER + 4)
    (tmp_path / "seeds" / "empty.txt").write_bytes(b"\xc2\xa0\n")  # an error must cross back too
    paths.append(tmp_path / "seeds" / "empty.txt")
    serial = [cache.read_one(path, pipeline.read_article) for path in paths]
    parallel = cache.read_all(paths, pipeline.read_article)
    assert [type(a) for a in parallel] == [type(a) for a in serial]
    assert [a for a in parallel if isinstance(a, Article)] == [a for a in serial if isinstance(a, Article)]
    errors = [[(e.seed, e.reason) for e in found if isinstance(e, SeedError)] for found in (parallel, serial)]
    assert errors[0] == errors[1] and [seed for seed, _ in errors[0]] == ["empty.txt"]


def test_the_examples_read_from_the_cache_as_they_read_fresh(example_seeds, tmp_path):
    paths = pipeline.list_seeds(example_seeds)
    fresh = cache.read_seeds(paths, pipeline.read_article, None)
    cache.read_seeds(paths, pipeline.read_article, tmp_path / "cache")
    cached = cache.read_seeds(paths, pipeline.read_article, tmp_path / "cache")
    assert cached == fresh


@pytest.mark.parametrize(
    "configured, expected",
    [(None, "{seeds_parent}/cache"), ("cache", "{seeds_parent}/cache"), ("/srv/digest-cache", "/srv/digest-cache")],
)
def test_caches_live_beside_the_seeds_unless_placed_elsewhere(tmp_path, configured, expected):
    settings = {"DIGEST_SEEDS": str(tmp_path / "seeds")}
    if configured:
        settings["CACHE_PATH"] = configured
    cache.configure(settings)
    cache.configure(settings)  # a second call changes nothing
    base = Path(expected.format(seeds_parent=tmp_path))
    assert Path(settings["DIGEST_CACHE"]) == base
    assert Path(settings["CACHE_PATH"]) == base / cache.PELICAN_DIR
    assert cache.articles_dir(settings) == base / cache.ARTICLES_DIR


def test_a_build_keeps_its_caches_outside_its_output(built_site):
    assert (built_site / "cache" / cache.ARTICLES_DIR).is_dir()
    assert (built_site / "cache" / cache.PELICAN_DIR / "ArticlesGenerator-Readers").is_file()
    assert not (built_site / "output" / "cache").exists()
