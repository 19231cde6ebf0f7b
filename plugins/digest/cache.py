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
import sys
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
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
    found: dict[str, Article | SeedError] = {}
    to_read: list[tuple[Path, str | None]] = []
    for path in paths:
        key = _digest(path)
        article = store.get(key) if store and key else None
        if article is not None:
            found[path.name] = replace(article, seed=path.name)
        else:
            to_read.append((path, key))
    for (path, key), article in zip(to_read, read_all([path for path, _ in to_read], read)):
        found[path.name] = article
        # Kept only if the file did not change while it was read.
        if store and key and isinstance(article, Article) and _digest(path) == key:
            store.put(key, article)
    return {path.name: found[path.name] for path in paths}


def read_one(path: Path, read: Reader) -> Article | SeedError:
    try:
        return read(path)
    except SeedError as error:
        return error
    except Exception as error:  # a bug must not cost the editor the other seeds
        return SeedError(path.name, f"could not be read ({type(error).__name__}: {error})")


def read_all(paths: list[Path], read: Reader) -> list[Article | SeedError]:
    """Read the seeds on every available core when there are enough of them to pay off."""
    workers = min(available_cores(), len(paths) // MIN_SEEDS_PER_WORKER)
    if workers < 2:
        return [read_one(path, read) for path in paths]
    # The first seed loads the gazetteer, the phrase tables and the morphology dictionary into
    # this process; forked workers then start with them instead of loading them again.
    first = read_one(paths[0], read)
    rest = paths[1:]
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, len(rest) // (workers * 8))
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        found = pool.map(partial(_read_portable, read=read), rest, chunksize=chunk)
        return [first, *(SeedError(*item) if isinstance(item, tuple) else item for item in found)]


def _read_portable(path: Path, read: Reader) -> Article | tuple[str, str]:
    """In a worker: an error travels back as (seed, reason), since SeedError cannot be pickled."""
    article = read_one(path, read)
    return (article.seed, article.reason) if isinstance(article, SeedError) else article


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
    """Articles by the hash of their seed's bytes, one small file each, under the code's version."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / detection_version()
        self._cleaned = False

    def get(self, key: str) -> Article | None:
        try:
            with open(self._path(key), "rb") as stream:
                article = pickle.load(stream)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
            return None  # absent or unreadable: read the seed again
        return article if isinstance(article, Article) else None

    def put(self, key: str, article: Article) -> None:
        """Best effort: a cache that cannot be written only makes the next build slower."""
        try:
            self._forget_other_versions()
            target = self._path(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False) as stream:
                pickle.dump(replace(article, seed=""), stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(stream.name, target)
        except OSError:
            pass

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def _forget_other_versions(self) -> None:
        if self._cleaned:
            return
        self._cleaned = True
        if self.root.is_dir():
            for old in self.root.iterdir():
                if old.is_dir() and old != self.folder:
                    shutil.rmtree(old, ignore_errors=True)


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
