"""The ledger keeps every field of every record, in the committed form, through a save and a load."""

import dataclasses
import datetime as dt
import json

import pytest

from digest.ledger import Ledger, Record


@pytest.mark.parametrize(
    "record",
    [
        Record(dt.date(2026, 1, 2), "india-russia-talks", "f1", "c1", dt.date(2026, 3, 4)),
        Record(dt.date(2026, 1, 2), "भारत-रूस", "f2"),  # never updated: no content hash yet
    ],
    ids=["updated", "new"],
)
def test_a_saved_record_loads_as_it_was_with_every_field(tmp_path, record):
    ledger = Ledger(tmp_path / "ledger.json", {})
    ledger.records["seed.txt"] = record
    ledger.save()
    saved = json.loads((tmp_path / "ledger.json").read_text(encoding="utf-8"))["seed.txt"]
    assert set(saved) == {field.name for field in dataclasses.fields(Record)}
    assert Ledger.load(tmp_path).records == {"seed.txt": record}


def test_the_saved_form_does_not_move(tmp_path):
    """Committed with the seeds: a new form would dirty every clone's tree."""
    ledger = Ledger(tmp_path / "ledger.json", {})
    ledger.records["b.txt"] = Record(dt.date(2026, 1, 2), "b", "f", "c", None)
    ledger.records["a.txt"] = Record(dt.date(2026, 1, 2), "a", "f", "c", dt.date(2026, 1, 3))
    ledger.save()
    assert (tmp_path / "ledger.json").read_text(encoding="utf-8") == (
        '{\n'
        ' "a.txt": {\n  "added": "2026-01-02",\n  "content_hash": "c",\n  "fingerprint": "f",\n'
        '  "slug": "a",\n  "updated": "2026-01-03"\n },\n'
        ' "b.txt": {\n  "added": "2026-01-02",\n  "content_hash": "c",\n  "fingerprint": "f",\n'
        '  "slug": "b",\n  "updated": null\n }\n'
        '}\n'
    )
