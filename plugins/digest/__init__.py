"""Cooperation Digest's Pelican plugin: seeds in, digest out."""

from pelican import signals

from . import site


def register() -> None:
    signals.initialized.connect(site.convert_seeds_at_start)
    signals.get_generators.connect(site.get_generators)
