"""Reading seeds fast: a seed read once is not read again (nor hashed again while its file keeps
its signature), an article is unpickled only when asked for, the detection tables are built once
per code version, parallel reading gives what serial reading gives, and the caches live beside
the seeds, outside the output."""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from digest import bench_corpus, cache, countries, matching, pipeline, readahead, tagging
from digest.model import Article, SeedError

SETTLE = cache.SETTLED_NS / 1e9 + 0.05  # seconds after which a file written now has settled


class CountingReader:
    """Stands for pipeline.read_article and counts the seeds it is asked to read. An empty seed
    fails as read_article fails on one: because of its bytes."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, path: Path) -> Article:
        self.read.append(path.name)
        text = path.read_text(encoding="utf-8")
        if not text.strip():
            raise cache.BytesError(path.name, "empty: the seed has no text")
        return Article(
            seed=path.name, title=text.splitlines()[0], standfirst=None, date=None, date_source="added",
            lang="en", source=None, blocks=(), parties=(), mentions=(), sectors=(), fingerprint="f", title_slug="t",
        )


@pytest.fixture
def seeds(tmp_path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, text in (("a.txt", "India and Russia\n"), ("b.txt", "China and Brazil\n"), ("bad.txt", " \n")):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def read(folder: Path, store: Path, reader: CountingReader) -> dict:
    return cache.read_seeds(sorted(folder.glob("*.txt")), reader, cache.ArticleStore(store))


def article_of(found):
    return found.article if isinstance(found, cache.Kept) else found


def test_a_seed_read_once_is_not_read_again(seeds, tmp_path):
    reader = CountingReader()
    first = read(seeds, tmp_path / "cache", reader)
    assert sorted(reader.read) == ["a.txt", "b.txt", "bad.txt"]
    reader.read.clear()
    second = read(seeds, tmp_path / "cache", reader)
    assert reader.read == []  # the empty seed's error is kept too: the same bytes fail the same way
    assert second["a.txt"].article == first["a.txt"].article
    assert isinstance(second["bad.txt"], SeedError) and second["bad.txt"].reason == first["bad.txt"].reason


class FailingReader(CountingReader):
    """Fails on bad.txt with the given exception."""

    def __init__(self, failure: Exception) -> None:
        super().__init__()
        self.failure = failure

    def __call__(self, path: Path) -> Article:
        if path.name == "bad.txt":
            self.read.append(path.name)
            raise self.failure
        return super().__call__(path)


@pytest.mark.parametrize(
    "failure, read_again",
    [
        (cache.BytesError("bad.txt", "bad header block in bad.txt, header line 1: …"), False),
        (SeedError("bad.txt", "[Errno 5] Input/output error"), True),
        (RuntimeError("a bug"), True),
    ],
    ids=["an error of the bytes is kept", "an error of the moment is not", "nor is a bug"],
)
def test_only_errors_that_follow_from_the_bytes_are_kept(seeds, tmp_path, failure, read_again):
    read(seeds, tmp_path / "cache", FailingReader(failure))
    reader = FailingReader(failure)
    again = read(seeds, tmp_path / "cache", reader)
    assert reader.read == (["bad.txt"] if read_again else [])
    assert isinstance(again["bad.txt"], SeedError)


def test_a_kept_error_names_the_file_it_was_found_in(tmp_path):
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "first.txt").write_text("Countries: XX\n\nIndia and Russia signed a treaty.\n", encoding="utf-8")
    store = cache.ArticleStore(tmp_path / "cache")
    cache.read_seeds([folder / "first.txt"], pipeline.read_article, store)
    shutil.copy(folder / "first.txt", folder / "copy.txt")  # the same bytes under another name
    found = cache.read_seeds([folder / "first.txt", folder / "copy.txt"], pipeline.read_article, store)
    assert "bad header block in first.txt" in found["first.txt"].reason
    assert "bad header block in copy.txt" in found["copy.txt"].reason


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
    assert reader.read == read_again
    assert all(article_of(article).seed == name for name, article in found.items())  # each under its own name


def test_an_article_is_unpickled_only_when_asked_for(seeds, tmp_path, monkeypatch):
    first = read(seeds, tmp_path / "cache", CountingReader())
    unpickled, unpickle = [], cache._unpickle
    monkeypatch.setattr(cache, "_unpickle", lambda data, kind=Article: unpickled.append(kind) or unpickle(data, kind))
    second = read(seeds, tmp_path / "cache", CountingReader())
    assert (second["a.txt"].title, second["a.txt"].fingerprint) == ("India and Russia", "f") and unpickled == []
    assert second["a.txt"].article == first["a.txt"].article and unpickled == [Article]


def test_an_article_the_store_lost_is_read_again(seeds, tmp_path):
    read(seeds, tmp_path / "cache", CountingReader())
    reader = CountingReader()
    found = read(seeds, tmp_path / "cache", reader)
    [store] = (tmp_path / "cache").glob(f"*/{cache.STORE_FILE}")
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM articles")
    assert reader.read == [] and found["a.txt"].article.title == "India and Russia"
    assert reader.read == ["a.txt"]


class CountingHashes:
    def __init__(self, monkeypatch) -> None:
        self.hashed: list[str] = []
        digest = cache._digest
        count = lambda path, stat=None: self.hashed.append(path.name) or digest(path, stat)  # noqa: E731
        monkeypatch.setattr(cache, "_digest", count)


def test_a_seed_whose_file_kept_its_signature_is_not_read_to_be_hashed(seeds, tmp_path, monkeypatch):
    time.sleep(SETTLE)
    read(seeds, tmp_path / "cache", CountingReader())
    counter = CountingHashes(monkeypatch)
    read(seeds, tmp_path / "cache", CountingReader())
    assert counter.hashed == []


def test_a_seed_rewritten_with_its_old_size_and_time_is_read_again(seeds, tmp_path):
    """A tool that puts the modification time back cannot put back the change time."""
    time.sleep(SETTLE)
    read(seeds, tmp_path / "cache", CountingReader())
    seed = seeds / "a.txt"
    before = seed.stat()
    seed.write_text("India and Norway\n", encoding="utf-8")  # as long as "India and Russia"
    os.utime(seed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (seed.stat().st_size, seed.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    reader = CountingReader()
    assert article_of(read(seeds, tmp_path / "cache", reader)["a.txt"]).title == "India and Norway"
    assert reader.read == ["a.txt"]


def test_a_seed_changed_just_before_it_was_looked_at_is_hashed_again(seeds, tmp_path, monkeypatch):
    """It could change again within the same tick of the file system's clock, keeping its signature."""
    monkeypatch.setattr(cache, "SETTLED_NS", 60 * 10**9)  # a moment: a minute, however slow the machine
    read(seeds, tmp_path / "cache", CountingReader())  # the seeds were written a moment ago
    counter = CountingHashes(monkeypatch)
    read(seeds, tmp_path / "cache", CountingReader())
    assert sorted(counter.hashed) == ["a.txt", "b.txt", "bad.txt"]


def test_new_detection_code_reads_every_seed_again(seeds, tmp_path, monkeypatch):
    reader = CountingReader()
    read(seeds, tmp_path / "cache", reader)
    monkeypatch.setattr(cache, "detection_version", lambda: "another-version")
    reader.read.clear()
    read(seeds, tmp_path / "cache", reader)
    assert sorted(reader.read) == ["a.txt", "b.txt", "bad.txt"]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["another-version"]  # the old one is gone


def test_the_store_is_one_file(seeds, tmp_path):
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
    assert sorted(reader.read) == ["a.txt", "b.txt", "bad.txt"] and again["a.txt"].article == first["a.txt"].article
    reader.read.clear()
    read(seeds, tmp_path / "cache", reader)  # the first read after the damage made it anew
    assert reader.read == []


class EditedJustBeforeReading(CountingReader):
    """An editor saves a new version of each seed after the build hashed it, before it is read."""

    def __call__(self, path: Path) -> Article:
        path.write_text("India and Japan\n", encoding="utf-8")
        return super().__call__(path)


@pytest.mark.parametrize("settled", [False, True], ids=["seeds-just-written", "seeds-settled"])
def test_an_article_is_kept_only_under_the_bytes_it_was_read_from(seeds, tmp_path, settled):
    # A settled seed is told unchanged by its signature, one just written by hashing it again.
    if settled:
        time.sleep(SETTLE)
    original = (seeds / "a.txt").read_bytes()
    assert read(seeds, tmp_path / "cache", EditedJustBeforeReading())["a.txt"].title == "India and Japan"
    (seeds / "a.txt").write_bytes(original)  # the editor undoes the edit
    assert article_of(read(seeds, tmp_path / "cache", CountingReader())["a.txt"]).title == "India and Russia"


@pytest.fixture
def fresh_process(monkeypatch):
    """This process as a new build's: no detection tables yet, and none may be built."""

    def refuse(*args, **kwargs):
        raise AssertionError("a detection table was built again")

    monkeypatch.setattr(matching, "_TABLES", {})
    monkeypatch.setattr(countries, "build_table", refuse)
    monkeypatch.setattr(tagging, "build_table", refuse)


@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache"


def test_the_detection_tables_are_built_once_per_version_of_the_code(example_seeds, tmp_path, user_cache, request):
    paths = pipeline.list_seeds(example_seeds)
    first = cache.read_seeds(paths[:1], pipeline.read_article, cache.ArticleStore(tmp_path / "cache"))
    assert cache.tables_file().is_relative_to(user_cache)
    request.getfixturevalue("fresh_process")
    # Another seeds folder, with a store of its own, uses them too.
    later = cache.read_seeds(paths, pipeline.read_article, cache.ArticleStore(tmp_path / "other-cache"))
    assert [article_of(later[p.name]) for p in paths] == cache.read_all(paths, pipeline.read_article)
    assert later[paths[0].name].article == first[paths[0].name].article


def test_damaged_detection_tables_are_built_again(example_seeds, tmp_path, user_cache, monkeypatch):
    paths = pipeline.list_seeds(example_seeds)
    cache.read_seeds(paths[:1], pipeline.read_article, cache.ArticleStore(tmp_path / "cache"))
    cache.tables_file().write_bytes(b"not a pickle")
    monkeypatch.setattr(matching, "_TABLES", {})
    later = cache.read_seeds(paths, pipeline.read_article, cache.ArticleStore(tmp_path / "other-cache"))
    assert [article_of(later[p.name]) for p in paths] == cache.read_all(paths, pipeline.read_article)
    kept = pickle.loads(cache.tables_file().read_bytes())  # written anew
    assert set(kept) == set(matching.built_tables()) and all(isinstance(t, matching.PhraseTable) for t in kept.values())


def test_tables_of_an_older_version_of_the_code_are_forgotten(example_seeds, tmp_path, user_cache):
    older = user_cache / cache.TABLES_FOLDER / "0123456789abcdef" / cache.TABLES_FILE
    older.parent.mkdir(parents=True)
    older.write_bytes(b"old")
    cache.read_seeds(pipeline.list_seeds(example_seeds)[:1], pipeline.read_article, cache.ArticleStore(tmp_path / "cache"))
    assert [p.parent.name for p in user_cache.glob(f"*/*/{cache.TABLES_FILE}")] == [cache.detection_version()]


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
    assert isinstance(parallel[-1], cache.BytesError)  # and stays an error of the bytes, to be kept


def test_the_examples_read_from_the_cache_as_they_read_fresh(example_seeds, tmp_path):
    paths = pipeline.list_seeds(example_seeds)
    fresh = cache.read_seeds(paths, pipeline.read_article, None)
    cache.read_seeds(paths, pipeline.read_article, cache.ArticleStore(tmp_path / "cache"))
    cached = cache.read_seeds(paths, pipeline.read_article, cache.ArticleStore(tmp_path / "cache"))
    assert all(isinstance(found, cache.Kept) for found in cached.values())
    assert {name: found.article for name, found in cached.items()} == fresh


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
    assert list((built_site / "cache" / cache.ARTICLES_DIR).glob(f"*/*{readahead.KEPT_FILE}"))
    assert not (built_site / "output" / "cache").exists()


def test_a_kept_table_does_not_grow_with_the_texts_it_read():
    table = matching.build_table([("India", matching.Entry("IN")), ("Russian Federation", matching.Entry("RU"))])
    before = len(pickle.dumps(table))
    table.find("India and the Russian Federation met Brazil, China and South Africa in Kazan.")
    assert len(pickle.dumps(table)) == before
