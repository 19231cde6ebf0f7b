"""Reading many seeds fast: a seed read once is not read again while its bytes and the detection
code stay the same, and the seeds that must be read are shared out among the machine's cores.

The store is one SQLite file in a folder named after a version made from the plugin's code, its
data files and the libraries detection uses, so a changed table or rule starts it afresh; nothing
needs invalidating by hand. What a seed gave is kept under the SHA-256 of its bytes, so a renamed
or copied seed is a hit and a changed one a miss:
- its article, with the few fields planning needs beside it, so that a rebuild unpickles only the
  articles whose posts it writes (see Kept);
- or its error, when the bytes alone cause it (BytesError: empty, undecodable, a bad header, no
  words), kept for that file name since the reason may name the file. An error of the moment (a
  file that cannot be read now or is too large to read, a bug) is not kept.
Beside them: each seed's hash under the file's stat signature, so an unchanged seed is not read
only to be hashed; and what each post was made from, under the post's signature (see
pipeline.convert_seeds).

The detection tables (the gazetteer and the keyword tables, lemmatised) follow from the code's
version alone, and take seven times as long to build as to unpickle: they are kept once per
version for every seeds folder, in the user's cache folder (see tables_file).
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import pickle
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from . import matching
from .decode import MAX_SEED_BYTES
from .ledger import write_atomically
from .model import Article, SeedError
from .parallel import available_cores, collect_own_garbage
from .related import Ranking

CACHE_DIR = "cache"  # beside the seeds folder, unless CACHE_PATH says where
ARTICLES_DIR = "seeds"  # our articles, under the cache folder
PELICAN_DIR = "pelican"  # Pelican's CACHE_PATH, under the cache folder (its content cache is off: see readahead.py)
TEMPLATES_DIR = "templates"  # the theme's compiled templates, under the cache folder
# Below this many seeds to read, starting worker processes costs more than it saves.
MIN_SEEDS_PER_WORKER = 16
CHUNK_SEEDS = 32  # seeds handed to a worker at a time, at most
STORE_FILE = "articles.sqlite"  # in the folder of the detection code's version
RANKING_FILE = "related.pickle"  # beside it: the previous build's related stories (see related.py)
LOCK_TIMEOUT = 5  # seconds to wait for another build that is writing the store
# A file changed less than this before it was looked at may change again within the same tick of
# the clock that stamps it, keeping its signature: its signature is not recorded (see signature).
SETTLED_NS = 100_000_000
# Libraries whose upgrade may change what is detected.
DETECTION_LIBRARIES = ("babel", "charset-normalizer", "ftfy", "pymorphy3", "pymorphy3-dicts-ru", "regex")
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS articles"
    " (key TEXT PRIMARY KEY, title TEXT NOT NULL, fingerprint TEXT NOT NULL, warnings TEXT NOT NULL,"
    " article BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS errors (key TEXT, seed TEXT, reason TEXT NOT NULL, PRIMARY KEY (key, seed))",
    "CREATE TABLE IF NOT EXISTS seeds (path TEXT PRIMARY KEY, signature TEXT NOT NULL, key TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS posts (path TEXT PRIMARY KEY, signature TEXT NOT NULL, made_from TEXT NOT NULL)",
)
TABLES_FOLDER = "cooperation-digest"  # in the user's cache folder
TABLES_FILE = "detection-tables.pickle"  # in the folder of the detection code's version

Reader = Callable[[Path], Article]


class BytesError(SeedError):
    """An error the seed's bytes alone cause (undecodable, empty, a bad header, no words): the
    same bytes give it again, so the store keeps it as it keeps articles."""


def configure(settings: dict) -> None:
    """Put every cache, ours and Pelican's (CACHE_PATH), in one folder outside the output.

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
    # Jinja compiled the theme's templates anew in every build (0.3 s of a rebuild); its own
    # cache keys each by the template's source, so an edited template is compiled again.
    (path / TEMPLATES_DIR).mkdir(parents=True, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = dict(
        settings.get("JINJA_ENVIRONMENT") or {}, bytecode_cache=FileSystemBytecodeCache(str(path / TEMPLATES_DIR))
    )


def articles_dir(settings: dict) -> Path:
    return Path(settings["DIGEST_CACHE"]) / ARTICLES_DIR


def _ranking_path(settings: dict) -> Path:
    return articles_dir(settings) / detection_version() / RANKING_FILE


def load_ranking(settings: dict) -> Ranking | None:
    """The related stories the previous build ranked with this code; None if there are none."""
    try:
        data = _ranking_path(settings).read_bytes()
    except OSError:
        return None
    with no_collection():
        return _unpickle(data, Ranking)


def save_ranking(settings: dict, ranking: Ranking) -> None:
    """Best effort, as for the store: a ranking not kept only makes the next build rank them all."""
    with suppress(OSError):
        write_atomically(_ranking_path(settings), pickle.dumps(ranking, protocol=pickle.HIGHEST_PROTOCOL))


@dataclass(eq=False)
class Kept:
    """An article in the store: what planning needs of it at hand, the whole article unpickled
    when asked for. A rebuild writes few posts, so it needs few whole articles."""

    seed: str
    key: str  # the hash of the seed's bytes
    title: str
    fingerprint: str
    warnings: tuple[str, ...]
    path: Path  # read again, should the store have lost the article
    read: Reader
    store: ArticleStore
    loaded: Article | None = None

    @property
    def article(self) -> Article:
        """The article; SeedError in the odd case where the store lost it and the seed, read
        again, is now bad."""
        if self.loaded is None:
            found = self.store.article(self.key) or read_one(self.path, self.read)
            if isinstance(found, SeedError):
                raise found
            self.loaded = replace(found, seed=self.seed)
        return self.loaded


def read_seeds(
    paths: list[Path], read: Reader, store: ArticleStore | None = None
) -> dict[str, Article | Kept | SeedError]:
    """Every seed's article or error, by file name, in the order of `paths`. With a store, every
    article it holds comes back as a Kept, and only the seeds it knows nothing of are read."""
    if store is None:
        return {path.name: found for path, found in zip(paths, read_all(paths, read))}
    keys, hashed = _keys(paths, store.seed_keys())
    outlines, errors = store.outlines(), store.errors()
    found: dict[str, Article | Kept | SeedError] = {}
    to_read: list[tuple[Path, SeedKey]] = []
    for path, key in zip(paths, keys):
        if key.key in outlines:
            found[path.name] = Kept(path.name, key.key, *outlines[key.key], path=path, read=read, store=store)
        elif (key.key, path.name) in errors:
            found[path.name] = BytesError(path.name, errors[key.key, path.name])
        else:
            to_read.append((path, key))
    stored_tables = load_tables() if to_read else {}
    matching.adopt_tables(stored_tables)

    new_articles: list[tuple[str, str, str, str, bytes]] = []
    new_errors: list[tuple[str, str, str]] = []
    # Articles come back as they are read, so this work is done while the workers read on.
    for (path, key), packed in zip(to_read, _read_packed([path for path, _ in to_read], read)):
        article = _unpack(packed)
        found[path.name] = article
        # Kept only if it follows from the bytes, and the file did not change while it was read.
        if key.key is None or not isinstance(article, Article | BytesError) or not key.still_holds(path):
            continue
        if isinstance(article, BytesError):
            new_errors.append((key.key, path.name, article.reason))
            continue
        warnings = json.dumps(article.warnings, ensure_ascii=False)
        new_articles.append((key.key, article.title, article.fingerprint, warnings, packed))
        outline = (article.title, article.fingerprint, article.warnings)
        found[path.name] = Kept(path.name, key.key, *outline, path=path, read=read, store=store, loaded=article)
    store.write(articles=new_articles, errors=new_errors, seeds=hashed)
    if to_read and set(matching.built_tables()) - set(stored_tables):
        save_tables(matching.built_tables())
    return {path.name: found[path.name] for path in paths}


@dataclass(frozen=True)
class SeedKey:
    key: str | None  # the hash of the seed's bytes; None for a seed that cannot be hashed
    settled: str | None  # the file's signature while it held them, if it had settled (see _settled)

    def still_holds(self, path: Path) -> bool:
        """Whether the file still holds the bytes hashed: told by its signature when that was
        settled, else by hashing it again."""
        if self.settled is not None:
            return file_signature(path) == self.settled
        return _digest(path) == self.key


def _keys(paths: list[Path], known: dict[str, tuple[str, str]]) -> tuple[list[SeedKey], list[tuple[str, str, str]]]:
    """The hash of each seed's bytes, taken from `known` when the file kept its signature; and
    the (path, signature, hash) of the seeds hashed now."""
    now = time.time_ns()
    keys: list[SeedKey] = []
    hashed: list[tuple[str, str, str]] = []
    for path in paths:
        stat = _stat(path)
        seen = known.get(str(path))
        if stat is not None and seen is not None and seen[0] == signature(stat):
            keys.append(SeedKey(seen[1], seen[0]))  # recorded once it had settled
            continue
        key = _digest(path, stat)
        # The signature is taken before the bytes are hashed: if they changed in between, it
        # will not match the next build's, and the seed is hashed again then.
        settled = signature(stat) if key and _settled(stat, now) else None
        keys.append(SeedKey(key, settled))
        if settled:
            hashed.append((str(path), settled, key))
    return keys, hashed


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
    with ProcessPoolExecutor(workers, mp_context=context, initializer=collect_own_garbage) as pool:
        for packed in pool.map(partial(_read_portable, read=read), paths[1:], chunksize=chunk):
            if isinstance(packed, tuple):
                seed, reason, lasting = packed
                packed = (BytesError if lasting else SeedError)(seed, reason)
            yield packed


def _read_portable(path: Path, read: Reader) -> bytes | tuple[str, str, bool]:
    """In a worker: an article travels back pickled, an error as (seed, reason, lasting), since
    SeedError cannot be pickled."""
    packed = _pack(read_one(path, read))
    if isinstance(packed, SeedError):
        return packed.seed, packed.reason, isinstance(packed, BytesError)
    return packed


def _pack(article: Article | SeedError) -> bytes | SeedError:
    return article if isinstance(article, SeedError) else pickle.dumps(article, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(packed: bytes | SeedError) -> Article | SeedError:
    return packed if isinstance(packed, SeedError) else pickle.loads(packed)


def _stat(path: Path | str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def signature(stat: os.stat_result) -> str:
    """What tells a file from the one seen before without reading it: its size, inode, and times
    of modification and of change. Every write moves the change time, and only the system clock
    sets it (`touch -d` sets the modification time alone), so a file that kept its signature kept
    its bytes (git's index relies on the same), unless it was written again within one tick of
    the clock that stamps files: a signature is recorded only for a file that has settled."""
    return f"{stat.st_size}:{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


def _settled(stat: os.stat_result | None, now_ns: int) -> bool:
    """Whether the file last changed well before `now_ns` (taken before it was looked at), so
    that a later write must stamp it with another time. Linux stamps files from a clock that
    ticks every few milliseconds; file systems with coarser times (FAT, 2 s) are not covered."""
    return stat is not None and stat.st_ctime_ns < now_ns - SETTLED_NS


def settled_signatures(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """The signature of each of these files that has settled (see _settled)."""
    now = time.time_ns()
    for path in paths:
        found = settled_signature(path, now)
        if found is not None:
            yield path, found


def settled_signature(path: Path | str, now_ns: int) -> str | None:
    """The file's signature if it has settled by `now_ns` (see _settled), else None."""
    stat = _stat(path)
    return signature(stat) if _settled(stat, now_ns) else None


def file_signature(path: Path | str) -> str | None:
    stat = _stat(path)
    return signature(stat) if stat is not None else None


def _digest(path: Path, stat: os.stat_result | None = None) -> str | None:
    """The hash of a seed's bytes; None for a file the reader will refuse as too large, which
    is never read whole here (a multi-GB file named .txt must not fill memory)."""
    try:
        if (stat or path.stat()).st_size > MAX_SEED_BYTES:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None  # the reader reports it, with the seed's name


class ArticleStore:
    """The store (see the module's docstring), in one SQLite file: creating ten thousand small
    files costs more than all the rest of the report. Best effort throughout: a store that cannot
    be read or written only makes the next build slower. Used as a context manager, it keeps its
    reading connection open until the end of the block; otherwise each look-up opens one."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.folder = self.root / detection_version()
        self.path = self.folder / STORE_FILE
        self._db: sqlite3.Connection | None = None
        self._keep_open = False

    def __enter__(self) -> ArticleStore:
        self._keep_open = True
        return self

    def __exit__(self, *exc) -> None:
        self._keep_open = False
        self._close()

    def seed_keys(self) -> dict[str, tuple[str, str]]:
        """The hash of each seed file's bytes and the signature the file had, by path."""
        return {path: (sig, key) for path, sig, key in self._rows("SELECT path, signature, key FROM seeds")}

    def outlines(self) -> dict[str, tuple[str, str, tuple[str, ...]]]:
        """Title, fingerprint and warnings of every article kept, by key."""
        rows = self._rows("SELECT key, title, fingerprint, warnings FROM articles")
        return {key: (title, fingerprint, _warnings(warnings)) for key, title, fingerprint, warnings in rows}

    def errors(self) -> dict[tuple[str, str], str]:
        """Every error kept, by key and seed name."""
        return {(key, seed): reason for key, seed, reason in self._rows("SELECT key, seed, reason FROM errors")}

    def article(self, key: str) -> Article | None:
        rows = self._rows("SELECT article FROM articles WHERE key = ?", (key,))
        return _unpickle(rows[0][0]) if rows else None

    def posts(self) -> dict[str, tuple[str, str]]:
        """The signature each post file had when written or checked, and what it was made from, by path."""
        return {path: (sig, made) for path, sig, made in self._rows("SELECT path, signature, made_from FROM posts")}

    def write(
        self, *, articles: Sequence[tuple[str, str, str, str, bytes]] = (), errors: Sequence[tuple[str, str, str]] = (),
        seeds: Sequence[tuple[str, str, str]] = (), posts: Sequence[tuple[str, str, str]] = (),
    ) -> None:
        """Keep all these rows, in one transaction."""
        if not (articles or errors or seeds or posts):
            return
        self._forget_other_versions()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=LOCK_TIMEOUT)) as db, db:
                for statement in SCHEMA:
                    db.execute(statement)
                db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?)", articles)
                db.executemany("INSERT OR REPLACE INTO errors VALUES (?, ?, ?)", errors)
                db.executemany("INSERT OR REPLACE INTO seeds VALUES (?, ?, ?)", seeds)
                db.executemany("INSERT OR REPLACE INTO posts VALUES (?, ?, ?)", posts)
        except sqlite3.OperationalError:
            pass  # locked by another build for too long, or the disk is full
        except sqlite3.DatabaseError:
            self._forget_damaged()
        except OSError:
            pass

    def _rows(self, query: str, parameters: tuple = ()) -> list[tuple]:
        """The query's rows; none when the store is missing, held by another build for too long,
        or damaged (a damaged store is removed: this build writes it anew)."""
        if self._db is None and not self.path.is_file():
            return []
        try:
            if self._db is None:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_TIMEOUT)
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.OperationalError:
            return []  # unreadable, no such table yet, or held by another build
        except sqlite3.DatabaseError:
            self._forget_damaged()
            return []
        finally:
            if not self._keep_open:
                self._close()

    def _close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _forget_damaged(self) -> None:
        self._close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _forget_other_versions(self) -> None:
        _forget_other_versions(self.root, self.folder)


def _forget_other_versions(root: Path, kept: Path) -> None:
    if root.is_dir():
        for old in root.iterdir():
            if old.is_dir() and old != kept:
                shutil.rmtree(old, ignore_errors=True)


def tables_file() -> Path:
    """Where this version's detection tables are kept: under $XDG_CACHE_HOME (~/.cache when unset),
    as other programs keep what they can make again."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / TABLES_FOLDER / detection_version() / TABLES_FILE


def load_tables() -> dict[str, matching.PhraseTable]:
    """The detection tables an earlier build of this code made; none if they cannot be read."""
    try:
        data = tables_file().read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to find the cache in
        return {}
    with no_collection():
        found = _unpickle(data, dict)
    if found is None:
        return {}
    return {name: table for name, table in found.items() if isinstance(table, matching.PhraseTable)}


def save_tables(tables: dict[str, matching.PhraseTable]) -> None:
    """Best effort, as for the store: tables not kept are only built again by the next build."""
    try:
        path = tables_file()
        _forget_other_versions(path.parent.parent, path.parent)
        write_atomically(path, pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, RuntimeError):
        pass


@contextmanager
def no_collection() -> Iterator[None]:
    """Unpickling a table makes tens of thousands of objects, none of them garbage, and each few
    hundred of them start the cycle collector over everything in memory: it would take five times
    as long."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _warnings(kept: str) -> tuple[str, ...]:
    return () if kept == "[]" else tuple(json.loads(kept))  # most articles have none: no parsing


def _unpickle(data: bytes, kind: type = Article):
    """An object from the store, which another program may have written: None if it is not one."""
    try:
        found = pickle.loads(data)
    except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None
    return found if isinstance(found, kind) else None


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
