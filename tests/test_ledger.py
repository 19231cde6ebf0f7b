"""The ledger keeps every field of every record, in the committed form, through a save and a load."""

import dataclasses
import datetime as dt
import json

import pytest

from digest.ledger import Ledger, Record


@pytest.mark.parametrize(
    "record",
    [
        Record(dt.date(2026, 1, 2), "india-russia-talks", "f1", "c1", dt.date(2026, 3, 4), 7),
        Record(dt.date(2026, 1, 2), "भारत-रूस", "f2", number=1),  # never updated: no content hash yet
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
    ledger.records["b.txt"] = Record(dt.date(2026, 1, 2), "b", "f", "c", None, 1)
    ledger.records["a.txt"] = Record(dt.date(2026, 1, 2), "a", "f", "c", dt.date(2026, 1, 3), 2)
    ledger.save()
    assert (tmp_path / "ledger.json").read_text(encoding="utf-8") == (
        '{\n'
        ' "a.txt": {\n  "added": "2026-01-02",\n  "content_hash": "c",\n  "fingerprint": "f",\n'
        '  "number": 2,\n  "slug": "a",\n  "updated": "2026-01-03"\n },\n'
        ' "b.txt": {\n  "added": "2026-01-02",\n  "content_hash": "c",\n  "fingerprint": "f",\n'
        '  "number": 1,\n  "slug": "b",\n  "updated": null\n }\n'
        '}\n'
    )


# Numbers: seeds in the order they were first seen (search bundles fill in that order)

DAY = dt.date(2026, 5, 1)


def slug(text):
    return lambda: text


def test_seeds_are_numbered_in_the_order_they_are_first_seen(tmp_path):
    ledger = Ledger.load(tmp_path)
    assert ledger.admit("zeta.txt", "f1", slug("zeta"), DAY).number == 1
    assert ledger.admit("alpha.txt", "f2", slug("alpha"), DAY).number == 2
    ledger.save()
    later = Ledger.load(tmp_path)
    assert later.admit("alpha.txt", "f2", slug("alpha"), DAY).number == 2  # seen before: its number
    assert later.admit("beta.txt", "f3", slug("beta"), DAY + dt.timedelta(days=1)).number == 3


def test_a_renamed_seed_keeps_its_number(tmp_path):
    ledger = Ledger.load(tmp_path)
    ledger.admit("first.txt", "f1", slug("first"), DAY)
    ledger.admit("second.txt", "f2", slug("second"), DAY)
    ledger.save()
    later = Ledger.load(tmp_path)
    later.forget_missing({"second.txt", "renamed.txt"})
    assert later.admit("renamed.txt", "f1", slug("other"), DAY).number == 1


def test_a_ledger_from_before_numbers_is_numbered_by_date_added_then_name_and_saved(tmp_path):
    old = {
        "b.txt": {"added": "2026-01-05", "slug": "b", "fingerprint": "f1"},
        "c.txt": {"added": "2026-01-02", "slug": "c", "fingerprint": "f2"},
        "a.txt": {"added": "2026-01-05", "slug": "a", "fingerprint": "f3"},
    }
    (tmp_path / "ledger.json").write_text(json.dumps(old), encoding="utf-8")
    ledger = Ledger.load(tmp_path)
    assert {seed: record.number for seed, record in ledger.records.items()} == {"c.txt": 1, "a.txt": 2, "b.txt": 3}
    assert ledger.changed
    assert ledger.admit("new.txt", "f4", slug("new"), DAY).number == 4
