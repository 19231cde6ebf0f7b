"""The fixed list of sectors, with their names in English, Hindi and Russian (data/sectors.tsv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .datafiles import read_table


@dataclass(frozen=True)
class Sector:
    slug: str
    names: dict[str, str]  # language code -> display name

    @property
    def name(self) -> str:
        return self.names["en"]


@lru_cache(maxsize=1)
def sectors() -> dict[str, Sector]:
    return {slug: Sector(slug, {"en": en, "hi": hi, "ru": ru}) for slug, en, hi, ru in read_table("sectors.tsv")}


def sector_slugs() -> frozenset[str]:
    return frozenset(sectors())
