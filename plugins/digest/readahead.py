"""Pelican's articles are ready before its articles generator asks for them: a post that did not
change since the previous build is the article that build made, and the others are read on
every core.

Pelican makes an article of every post in every build: even with its content cache, each post's
metadata was processed and its addresses worked out again, about 0.1 ms a post (1.4 s of a
one-seed rebuild at 10,000 stories), and the 77 MB cache was loaded and saved whole. Pelican's
own generator-level cache cannot keep articles: it pickles them whole, and each holds the
build's settings and context. Here they are pickled without those (the loading build's own
stand in for them), by a forked process once the generator has made them, and kept under the
version of the code, the theme and the settings (pages.site_version). A post is taken from them
when its file has the signature it had when it was read (see cache.signature). Each article's
addresses are worked out when it is made, and kept with it (`fix_addresses`), as is its stamp
(pages.story_stamp), which every page that shows the story needs for its key.

Both are handed to Pelican through its FileStampDataCacher, whose `_cache` maps a file to
(its stamp, what was made of it): the generator's for articles, its readers' for readings.
Pelican's content cache is off (pelican.conf), so neither is loaded, saved or filled by Pelican.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import pickle
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

# Pelican's own filter of a reader's metadata before caching it (values a reader marks as
# "leave out"); the marker exists per process, so a worker has to apply it before sending.
from pelican.readers import _filter_discardable_metadata

from . import cache
from .ledger import write_atomically
from .pages import site_version, story_stamp
from .parallel import in_background, map_forked

logger = logging.getLogger(__name__)

MIN_POSTS_PER_WORKER = 32
KEPT_FILE = "pelican-articles.pickle"  # beside the seed store, one per version (see _kept_path)

_saving: list[Callable[[], object]] = []  # each waits for a generator's articles to be kept


def prepare_articles(generator) -> None:
    """`article_generator_init`: offer Pelican the articles kept from the previous build, and
    read the other posts on every core."""
    settings = generator.settings
    names = list(generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"]))
    signatures = {name: cache.file_signature(os.path.join(generator.path, name)) for name in names}
    generator.digest_signatures = signatures
    # Pelican stamps a post when its article is offered and again when the article is asked
    # for, 20,000 looks at the disk in a rebuild of 10,000: the signature just taken stands for
    # both, and an article is offered only when its post has the signature it was kept with.
    known = {os.path.join(generator.path, name): signature for name, signature in signatures.items()}
    generator._filestamp_func = partial(_known_stamp, known)
    generator.digest_kept_path = _kept_path(generator)
    kept = load_kept(generator.digest_kept_path, generator)
    generator.digest_kept = set()  # the posts whose articles are the kept ones
    for name, signature in signatures.items():
        found = kept.get(name)
        if found is not None and signature is not None and found[0] == signature:
            _offer(generator, name, found[1])
            generator.digest_kept.add(name)
    to_read = len(names) - len(generator.digest_kept)
    logger.info("articles: %d kept from the previous build, %d to read", len(generator.digest_kept), to_read)
    _read_ahead(generator, [name for name in names if not _offered(generator, name)])


def _read_ahead(generator, names: list[str]) -> None:
    readers = generator.readers
    paths = [
        path for path in (os.path.abspath(os.path.join(generator.path, name)) for name in names)
        if os.path.splitext(path)[1][1:] in readers.readers
    ]
    for path, reading in zip(paths, map_forked(partial(read_post, readers), paths, MIN_POSTS_PER_WORKER)):
        _offer(readers, path, reading)


def read_post(readers, path: str) -> tuple:
    """What Pelican's Readers.read_file caches on a miss: the reader's content and metadata."""
    content, metadata = readers.readers[os.path.splitext(path)[1][1:]].read(path)
    return content, _filter_discardable_metadata(metadata)


def _offer(cacher, name: str, made) -> None:
    """Put `made` where Pelican's FileStampDataCacher.get_cached_data finds it for `name`."""
    cacher._cache[name] = (cacher._get_file_stamp(name), made)


def _known_stamp(known: dict[str, str | None], path: str):
    found = known.get(path)
    return found if found is not None else os.path.getmtime(path)


def _offered(generator, name: str) -> bool:
    return name in generator._cache


def fix_addresses(articles) -> None:
    """Pelican works out an article's address from the settings at every use, copying its
    metadata each time: some 80,000 times in a build of 10,000 stories. Each is worked out once,
    when the article is made, and kept with it."""
    for article in articles:  # a kept article answers from its own
        article.override_url, article.override_save_as = article.url, article.save_as


def keep_articles(generator) -> None:
    """`article_generator_finalized`: fix the articles' addresses, and keep the articles made
    for the next build, in a forked process, while this build goes on; nothing is written when
    they are all the kept ones."""
    fix_addresses(generator.articles)
    signatures = generator.digest_signatures
    now = time.time_ns()
    articles = [*generator.articles, *generator.hidden_articles]
    kept = generator.digest_kept
    if len(kept) == len(signatures) == len(articles):
        return
    by_path = {os.path.abspath(os.path.join(generator.path, name)): name for name in signatures}
    settled = {}
    for article in articles:
        path = os.path.abspath(article.source_path or "")
        name = by_path.get(path)
        if not name or not _lasting(article):
            continue
        # A kept article's post had settled when it was first kept, and has its signature still.
        if name in kept or cache.settled_signature(path, now) == signatures[name]:
            story_stamp(article)  # kept with it: the pages' keys need it in every build
            settled[name] = (signatures[name], article)
    _saving.append(in_background(partial(save_kept, generator.digest_kept_path, settled, _shared(generator))))


def wait_until_kept(pelican) -> None:
    """`finalized`: the articles are kept before the build ends."""
    while _saving:
        _saving.pop()()


def _lasting(article) -> bool:
    """Whether the same post makes the same article in a later build: not a future-dated one,
    which turns from draft to published as time passes."""
    date = getattr(article, "date", None)
    if date is None:
        return False
    now = dt.datetime.now(date.tzinfo) if date.tzinfo else dt.datetime.now()
    return date <= now


def _kept_path(generator) -> Path:
    """One file per version of what makes the articles: code, theme, settings (site_version), and
    the content folder, which site_version leaves out but an article names its post by."""
    settings = generator.settings
    version = hashlib.blake2b(f"{site_version(settings, [])}\0{settings['PATH']}".encode(), digest_size=8)
    return cache.articles_dir(settings) / cache.detection_version() / f"{version.hexdigest()}-{KEPT_FILE}"


def _shared(generator) -> dict[str, object]:
    """The build's objects that articles point to, kept by name: each build has its own."""
    return {"settings": generator.settings, "context": generator.context}


class _Pickler(pickle.Pickler):
    def __init__(self, stream, shared: dict[str, object]) -> None:
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._names = {id(value): name for name, value in shared.items()}

    def persistent_id(self, obj):
        return self._names.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream, shared: dict[str, object]) -> None:
        super().__init__(stream)
        self._shared = shared

    def persistent_load(self, name):
        try:
            return self._shared[name]
        except KeyError:
            raise pickle.UnpicklingError(f"no {name!r} in this build") from None


def save_kept(path: Path, articles: dict[str, tuple[str, object]], shared: dict[str, object]) -> None:
    """Best effort: articles not kept are only made again by the next build."""
    stream = io.BytesIO()
    try:
        _Pickler(stream, shared).dump(articles)
        write_atomically(path, stream.getvalue())
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as error:
        logger.debug("articles not kept for the next build: %s", error)


def load_kept(path: Path, generator) -> dict[str, tuple[str, object]]:
    """The articles the previous build of this version kept, by post; none if it kept none."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    with cache.no_collection():
        try:
            found = _Unpickler(io.BytesIO(data), _shared(generator)).load()
        except (EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError, IndexError):
            return {}
    return found if isinstance(found, dict) else {}
