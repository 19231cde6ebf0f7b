"""The seeds' ledger: what each seed was when first seen, so dates, slugs and ids never move.

File times change on every clone, so the date a seed was added, the slug it was published
under, the date its post last changed and its number (seeds are numbered in the order they
were first seen: search bundles fill in that order) are recorded in `ledger.json` beside the
seeds and committed with them. Records are kept by seed file name: editing a seed keeps its record, and a
seed renamed (same article, new name) takes over the record of the name that disappeared.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

LEDGER_NAME = "ledger.json"


@dataclass(frozen=True)
class Record:
    added: dt.date
    slug: str
    fingerprint: str
    content_hash: str = ""
    updated: dt.date | None = None
    number: int = 0  # 1, 2, 3… in the order seeds were first seen; 0 until one is given

    def to_json(self) -> dict:
        # Field by field: dataclasses.asdict deep-copies, and a ledger holds thousands of records.
        return {
            "added": self.added.isoformat(),
            "slug": self.slug,
            "fingerprint": self.fingerprint,
            "content_hash": self.content_hash,
            "updated": self.updated.isoformat() if self.updated else None,
            "number": self.number,
        }

    @classmethod
    def from_json(cls, data: dict) -> Record:
        return cls(
            added=dt.date.fromisoformat(data["added"]),
            slug=data["slug"],
            fingerprint=data.get("fingerprint", ""),
            content_hash=data.get("content_hash", ""),
            updated=dt.date.fromisoformat(data["updated"]) if data.get("updated") else None,
            number=int(data.get("number") or 0),
        )


class LedgerError(ValueError):
    """The ledger file cannot be read; the build stops rather than lose the dates it holds."""


class Ledger:
    def __init__(self, path: Path, records: dict[str, Record]):
        self.path = path
        self.records = records
        self._saved = dict(records)
        self.retired: dict[str, Record] = {}  # records of seeds gone in this build
        # Kept up to date as seeds are admitted, so admitting N seeds costs O(N), not O(N²).
        self._taken: set[str] = {r.slug for r in records.values()}
        self._next_suffix: dict[str, int] = {}
        self._retired_by_fingerprint: dict[str, list[str]] = {}
        # A ledger from before numbers: its seeds are numbered by date added, then name, once
        # (the ledger then counts as changed, and is saved with them).
        self._next_number = 1 + max((r.number for r in records.values()), default=0)
        for seed in sorted((s for s, r in records.items() if not r.number), key=lambda s: (records[s].added, s)):
            records[seed] = replace(records[seed], number=self._next_number)
            self._next_number += 1

    @classmethod
    def load(cls, seeds_dir: Path) -> Ledger:
        path = seeds_dir / LEDGER_NAME
        if not path.exists():
            return cls(path, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, {seed: Record.from_json(value) for seed, value in data.items()})
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise LedgerError(
                f"{path} cannot be read ({type(error).__name__}: {error}); it holds the dates seeds were "
                "added and their slugs: repair it or restore it from version control, do not delete it"
            ) from None

    def admit(self, seed: str, fingerprint: str, new_slug: Callable[[], str], today: dt.date) -> Record:
        """The seed's record: kept when the seed was edited, taken over when it was renamed,
        else created with a slug no other seed has, from `new_slug()` (only a new seed pays
        for making one)."""
        record = self.records.get(seed)
        if record is None:
            candidates = self._retired_by_fingerprint.get(fingerprint, [])
            renamed = next((name for name in candidates if name in self.retired), None)
            record = self.retired.pop(renamed) if renamed else None
        if record is not None:
            if record.fingerprint != fingerprint:
                record = replace(record, fingerprint=fingerprint)
            self.records[seed] = record
            return record
        slug = new_slug()
        unique, number = slug, self._next_suffix.get(slug, 2)
        while unique in self._taken:
            unique, number = f"{slug}-{number}", number + 1
        self._next_suffix[slug] = number
        self._taken.add(unique)
        record = Record(added=today, slug=unique, fingerprint=fingerprint, number=self._next_number)
        self._next_number += 1
        self.records[seed] = record
        return record

    def note_content(self, seed: str, content_hash: str, today: dt.date) -> Record:
        """Move the updated date only when the post's content really changed."""
        record = self.records[seed]
        if record.content_hash != content_hash:
            record = replace(record, content_hash=content_hash, updated=today if record.content_hash else record.added)
            self.records[seed] = record
        return record

    def forget_missing(self, present: set[str]) -> list[str]:
        """Drop the records of seeds that are gone (kept aside for this build, for renames)."""
        gone = sorted(seed for seed in self.records if seed not in present)
        for seed in gone:
            self.retired[seed] = self.records.pop(seed)
            self._retired_by_fingerprint.setdefault(self.retired[seed].fingerprint, []).append(seed)
        return gone

    @property
    def changed(self) -> bool:
        return self.records != self._saved

    def save(self) -> None:
        if not self.changed:
            return
        data = {seed: self.records[seed].to_json() for seed in sorted(self.records)}
        text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        write_atomically(self.path, text)
        self._saved = dict(self.records)


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write text (as UTF-8) or bytes to `path` so that no reader ever sees half of them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
