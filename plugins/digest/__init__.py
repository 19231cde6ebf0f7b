"""Cooperation Digest's Pelican plugin: seeds in, digest out."""

from pelican import signals

from . import fragments, pages, readahead, reader, site


def register() -> None:
    signals.initialized.connect(site.convert_seeds_at_start)
    signals.get_generators.connect(site.get_generators)
    signals.readers_init.connect(reader.use_digest_reader)
    signals.generator_init.connect(fragments.add_memo)
    signals.article_generator_init.connect(readahead.prepare_articles)
    signals.article_generator_finalized.connect(readahead.keep_articles)
    signals.get_writer.connect(pages.page_writer)
    signals.finalized.connect(site.finish)
    signals.finalized.connect(readahead.wait_until_kept)
