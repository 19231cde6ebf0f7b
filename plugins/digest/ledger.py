"""The seeds' ledger: what each seed was when first seen, so dates, slugs and ids never move.

File times change on every clone, so the date a seed was added, the slug it was published
under and the date its post last changed are recorded in `ledger.json` beside the seeds and
committed with them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

LEDGER_NAME = "ledger.json"


@dataclass(frozen=True)
class Record:
    added: dt.date
    slug: str
    fingerprint: str
    content_hash: str = ""
    updated: dt.date | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["added"] = self.added.isoformat()
        data["updated"] = self.updated.isoformat() if self.updated else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> Record:
        return cls(
            added=dt.date.fromisoformat(data["added"]),
            slug=data["slug"],
            fingerprint=data.get("fingerprint", ""),
            content_hash=data.get("content_hash", ""),
            updated=dt.date.fromisoformat(data["updated"]) if data.get("updated") else None,
        )


class Ledger:
    def __init__(self, path: Path, records: dict[str, Record]):
        self.path = path
        self.records = records
        self._saved = dict(records)

    @classmethod
    def load(cls, seeds_dir: Path) -> Ledger:
        path = seeds_dir / LEDGER_NAME
        if not path.exists():
            return cls(path, {})
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(path, {seed: Record.from_json(value) for seed, value in data.items()})

    def slugs_taken(self, except_seed: str | None = None) -> set[str]:
        return {r.slug for seed, r in self.records.items() if seed != except_seed}

    def admit(self, seed: str, fingerprint: str, slug: str, today: dt.date) -> Record:
        """The seed's record, created on first sight with a slug no other seed has."""
        record = self.records.get(seed)
        if record is not None:
            if record.fingerprint != fingerprint:
                record = replace(record, fingerprint=fingerprint)
                self.records[seed] = record
            return record
        taken = self.slugs_taken()
        unique, number = slug, 2
        while unique in taken:
            unique, number = f"{slug}-{number}", number + 1
        record = Record(added=today, slug=unique, fingerprint=fingerprint)
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
        gone = sorted(seed for seed in self.records if seed not in present)
        for seed in gone:
            del self.records[seed]
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


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
