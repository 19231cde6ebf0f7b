"""Reading many seeds fast: a seed read once is not read again while its bytes and the detection
code stay the same, and the seeds that must be read are shared out among the machine's cores.

The cache is content-addressed (SHA-256 of the seed's bytes, under a version made from the
plugin's code, its data files and the libraries detection uses), so a renamed or copied seed is a
hit and a changed seed, table or rule is a miss; nothing needs invalidating by hand. Only good
articles are kept: a bad seed is cheap to read again and its error may depend on the moment.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import multiprocessing
import os
import pickle
import shutil
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path

from .decode import MAX_SEED_BYTES
from .model import Article, SeedError

CACHE_DIR = "cache"  # beside the seeds folder, unless CACHE_PATH says where
ARTICLES_DIR = "seeds"  # our articles, under the cache folder
PELICAN_DIR = "pelican"  # Pelican's content cache, under the cache folder
# Below this many seeds to read, starting worker processes costs more than it saves.
MIN_SEEDS_PER_WORKER = 16
CHUNK_SEEDS = 32  # seeds handed to a worker at a time, at most
STORE_FILE = "articles.sqlite"  # in the folder of the detection code's version
LOCK_TIMEOUT = 5  # seconds to wait for another build that is writing the store
# Libraries whose upgrade may change what is detected.
DETECTION_LIBRARIES = ("babel", "charset-normalizer", "ftfy", "pymorphy3", "pymorphy3-dicts-ru", "regex")

Reader = Callable[[Path], Article]


def configure(settings: dict) -> None:
    """Put every cache, ours and Pelican's content cache, in one folder outside the output.

    Pelican's default CACHE_PATH is relative to the working directory; a relative one is taken
    here as beside the seeds folder, so that a build into scratch folders keeps its caches there.
    """
    if "DIGEST_CACHE" in settings:
        return
    path = Path(settings.get("CACHE_PATH") or CACHE_DIR)
    if not path.is_absolute():
        path = Path(settings["DIGEST_SEEDS"]).resolve().parent / path
    settings["DIGEST_CACHE"] = str(path)
    settings["CACHE_PATH"] = str(path / PELICAN_DIR)


def articles_dir(settings: dict) -> Path:
    return Path(settings["DIGEST_CACHE"]) / ARTICLES_DIR


def read_seeds(paths: list[Path], read: Reader, cache_dir: Path | None = None) -> dict[str, Article | SeedError]:
    """Every seed's article (or its error), by file name, in the order of `paths`."""
    store = ArticleStore(cache_dir) if cache_dir else None
    keys = [_digest(path) for path in paths] if store else [None] * len(paths)
    known = store.get_many(key for key in keys if key) if store else {}
    found: dict[str, Article | SeedError] = {}
    to_read: list[tuple[Path, str | None]] = []
    for path, key in zip(paths, keys):
        article = known.get(key) if key else None
        if article is not None:
            found[path.name] = replace(article, seed=path.name)
        else:
            to_read.append((path, key))
    to_keep: list[tuple[str, bytes]] = []
    # Articles come back as they are read, so this work is done while the workers read on.
    for (path, key), packed in zip(to_read, _read_packed([path for path, _ in to_read], read)):
        found[path.name] = _unpack(packed)
        # Kept only if the file did not change while it was read.
        if store and key and isinstance(packed, bytes) and _digest(path) == key:
            to_keep.append((key, packed))
    if store and to_keep:
        store.put_many(to_keep)
    return {path.name: found[path.name] for path in paths}


def read_one(path: Path, read: Reader) -> Article | SeedError:
    try:
        return read(path)
    except SeedError as error:
        return error
    except Exception as error:  # a bug must not cost the editor the other seeds
        return SeedError(path.name, f"could not be read ({type(error).__name__}: {error})")


def read_all(paths: Sequence[Path], read: Reader) -> list[Article | SeedError]:
    """Read the seeds on every available core when there are enough of them to pay off."""
    return [_unpack(packed) for packed in _read_packed(paths, read)]


def _read_packed(paths: Sequence[Path], read: Reader) -> Iterator[bytes | SeedError]:
    """Each seed's article pickled, as it comes back from a worker and as the store keeps it
    (so it is pickled once), or the seed's error; in the order of `paths`."""
    workers = min(available_cores(), len(paths) // MIN_SEEDS_PER_WORKER)
    if workers < 2:
        yield from (_pack(read_one(path, read)) for path in paths)
        return
    # The first seed loads the gazetteer, the phrase tables and the morphology dictionary into
    # this process; forked workers then start with them instead of loading them again.
    yield _pack(read_one(paths[0], read))
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    # Small chunks, so that no worker is left alone with a long last one.
    chunk = max(1, min(CHUNK_SEEDS, (len(paths) - 1) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for packed in pool.map(partial(_read_portable, read=read), paths[1:], chunksize=chunk):
            yield SeedError(*packed) if isinstance(packed, tuple) else packed


def _read_portable(path: Path, read: Reader) -> bytes | tuple[str, str]:
    """In a worker: an article travels back pickled, an error as (seed, reason), since SeedError
    cannot be pickled."""
    packed = _pack(read_one(path, read))
    return (packed.seed, packed.reason) if isinstance(packed, SeedError) else packed


def _pack(article: Article | SeedError) -> bytes | SeedError:
    return article if isinstance(article, SeedError) else pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(packed: bytes | SeedError) -> Article | SeedError:
    return packed if isinstance(packed, SeedError) else pickle.loads(packed)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _digest(path: Path) -> str | None:
    """The hash of a seed's bytes; None for a file the reader will refuse as too large, which
    is never read whole here (a multi-GB file named .txt must not fill memory)."""
    try:
        if path.stat().st_size > MAX_SEED_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader reports it, with the seed's name


class ArticleStore:
    """Articles by the hash of their seed's bytes, pickled, in one SQLite file under the code's
    version. One file, not one per article: creating ten thousand small files costs more than
    all the rest of the report. Best effort throughout: a cache that cannot be read or written
    only makes the next build slower."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / detection_version()
        self.path = self.folder / STORE_FILE

    def get_many(self, keys: Iterable[str]) -> dict[str, Article]:
        """The articles kept under these keys (the others are not in the result)."""
        found: dict[str, Article] = {}
        if not self.path.is_file():
            return found
        read_only = f"{self.path.resolve().as_uri()}?mode=ro"
        try:
            with closing(sqlite3.connect(read_only, uri=True, timeout=LOCK_TIMEOUT)) as db:
                for key in keys:
                    row = db.execute("SELECT article FROM articles WHERE key = ?", (key,)).fetchone()
                    article = _unpickle(row[0]) if row else None
                    if article is not None:
                        found[key] = article
        except sqlite3.OperationalError:
            pass  # unreadable, or held by another build: those seeds are read again
        except sqlite3.DatabaseError:
            shutil.rmtree(self.folder, ignore_errors=True)  # a damaged file: this build writes it anew
        return found

    def put_many(self, articles: Sequence[tuple[str, bytes]]) -> None:
        """Keep pickled articles under their keys, all in one transaction."""
        self._forget_other_versions()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=LOCK_TIMEOUT)) as db, db:
                db.execute("CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, article BLOB NOT NULL)")
                db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)", articles)
        except sqlite3.OperationalError:
            pass  # locked by another build for too long, or the disk is full
        except sqlite3.DatabaseError:
            shutil.rmtree(self.folder, ignore_errors=True)  # a damaged file: start afresh next time
        except OSError:
            pass

    def _forget_other_versions(self) -> None:
        if self.root.is_dir():
            for old in self.root.iterdir():
                if old.is_dir() and old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)


def _unpickle(data: bytes) -> Article | None:
    """An article from the store, which older code or another program may have written."""
    try:
        article = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None  # written by other code: read the seed again
    return article if isinstance(article, Article) else None


@lru_cache(maxsize=1)
def detection_version() -> str:
    """Changes whenever the plugin's code or data, Python or a detection library changes."""
    package = Path(__file__).parent
    digest = hashlib.sha256(sys.version.encode())
    for path in _version_files(package):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name in DETECTION_LIBRARIES:
        try:
            digest.update(f"{name}=={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} absent".encode())
    return digest.hexdigest()[:16]


def _version_files(package: Path) -> Iterable[Path]:
    yield from sorted(package.glob("*.py"))
    yield from sorted(p for p in (package / "data").rglob("*") if p.is_file())
