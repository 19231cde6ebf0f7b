"""Posts that Pelican's content cache lacks are read on every core before Pelican asks for them.

Pelican reads posts one by one on one core, and a post's Markdown (its text and its summary)
costs about a millisecond: at 10,000 new posts that is most of a full build. When the articles
generator is set up, the posts whose cached reading is missing or stale are read by forked
workers with the generator's own readers, and their readings put in its cache, exactly as
Pelican would have put them there on a miss; Pelican then finds every post cached.
"""

from __future__ import annotations

import os
from functools import partial

# Pelican's own filter of a reader's metadata before caching it (values a reader marks as
# "leave out"); the marker exists per process, so a worker has to apply it before sending.
from pelican.readers import _filter_discardable_metadata

from .parallel import map_forked

MIN_POSTS_PER_WORKER = 32


def read_posts_ahead(generator) -> None:
    """`article_generator_init`: fill the generator's reader cache on every core."""
    readers, settings = generator.readers, generator.settings
    if not (settings.get("CACHE_CONTENT") and settings.get("CONTENT_CACHING_LAYER") == "reader"):
        return  # no reader cache to fill: Pelican reads every post itself
    paths = [
        os.path.abspath(os.path.join(generator.path, name))
        for name in generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    ]
    missing = [
        path for path in paths
        if os.path.splitext(path)[1][1:] in readers.readers and readers.get_cached_data(path, None) is None
    ]
    for path, reading in zip(missing, map_forked(partial(read_post, readers), missing, MIN_POSTS_PER_WORKER)):
        readers.cache_data(path, reading)


def read_post(readers, path: str) -> tuple:
    """What Pelican's Readers.read_file caches on a miss: the reader's content and metadata."""
    content, metadata = readers.readers[os.path.splitext(path)[1][1:]].read(path)
    return content, _filter_discardable_metadata(metadata)
