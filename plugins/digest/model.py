"""Plain data passed between the digest's stages: what a seed says, and what went wrong."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class SeedError(Exception):
    """A seed that cannot become a post; the build reports it and goes on with the others."""

    def __init__(self, seed: str, reason: str):
        super().__init__(f"{seed}: {reason}")
        self.seed = seed
        self.reason = reason


@dataclass(frozen=True)
class Block:
    """One piece of a story's body, in reading order."""

    kind: str  # "paragraph", "heading" or "item"
    text: str
    label: str = ""  # the "सामरिक साझेदारी" of an item "सामरिक साझेदारी: …"


@dataclass(frozen=True)
class Overrides:
    """An editor's corrections from the seed's header block; None means 'detect it'."""

    title: str | None = None
    date: dt.date | None = None
    countries: tuple[str, ...] | None = None
    sectors: tuple[str, ...] | None = None
    lang: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Extracted:
    """What the text itself says, before tagging."""

    title: str
    standfirst: str | None
    date: dt.date | None
    lang: str
    source: str | None
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tags:
    parties: tuple[str, ...]
    mentions: tuple[str, ...]
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A seed fully read: the input of the post writer and of the report."""

    seed: str
    title: str
    standfirst: str | None
    date: dt.date | None  # stated by the text or the editor; None when only the date added is known
    date_source: str  # "text", "override" or "added"
    lang: str
    source: str | None
    blocks: tuple[Block, ...]
    parties: tuple[str, ...]
    mentions: tuple[str, ...]
    sectors: tuple[str, ...]
    fingerprint: str  # identifies the article's text whatever its junk and spacing
    # The title as an address; the ledger makes it unique when the story is new. Made while the
    # seed is read, on every core, rather than by the build for ten thousand new seeds at once.
    title_slug: str
    warnings: tuple[str, ...] = field(default=())
