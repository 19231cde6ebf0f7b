"""A rebuild updates output/ in place, file by file, behind a journal; a build that renders most
of the site swaps a whole new folder in. Either way the site is whole: the old one or the new."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import built_from_synthetic_seeds, settings_for

from digest import publish
from digest.bench_corpus import write_corpus
from digest.build import build_site

SEEDS = 12


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def empty_folders(site: Path) -> list[str]:
    return [str(folder) for folder, subfolders, names in os.walk(site) if not subfolders and not names]


def beside(tmp: Path) -> list[str]:
    """What builds left beside output/ once the background deletion is done."""
    deadline = time.monotonic() + 30
    while True:
        found = sorted(p.name for p in tmp.iterdir() if p.name.startswith(".output"))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    return built_from_synthetic_seeds(tmp_path_factory.mktemp("first"), SEEDS)


@pytest.fixture
def site(first_build, tmp_path) -> Path:
    shutil.copytree(first_build, tmp_path / "site", symlinks=True)
    return tmp_path / "site"


def fresh_build(site: Path, tmp: Path) -> Path:
    """The site built from nothing on the same seeds, on the same day."""
    fresh = tmp / "fresh"
    shutil.copytree(site / "seeds", fresh / "seeds", ignore=shutil.ignore_patterns("cache", "ledger.json"))
    build_site(settings_for(fresh, fresh / "seeds"))
    return fresh / "output"


def test_a_rebuild_after_one_new_seed_updates_output_in_place(site, tmp_path):
    output = site / "output"
    folder = output.stat().st_ino
    write_corpus(site / "seeds", 1, start=SEEDS)
    result = build_site(settings_for(site, site / "seeds"))
    assert output.stat().st_ino == folder  # the same folder, updated
    assert result.pages_reused > result.pages_rendered
    assert files(output) == files(fresh_build(site, tmp_path))
    assert beside(site) == []


def test_a_removed_story_leaves_no_empty_folder_behind(site, tmp_path):
    sorted((site / "seeds").glob("*.txt"))[3].unlink()
    build_site(settings_for(site, site / "seeds"))
    assert empty_folders(site / "output") == []
    assert files(site / "output") == files(fresh_build(site, tmp_path))


class Stop(BaseException):
    """Stands for the build being killed."""


def test_an_update_stopped_half_way_is_finished_by_the_next_build(site, tmp_path, monkeypatch):
    write_corpus(site / "seeds", 1, start=SEEDS)
    moved = []
    move = publish._move

    def killed_after_three(source, target):
        if len(moved) == 3:
            raise Stop
        moved.append(target)
        move(source, target)

    monkeypatch.setattr(publish, "_move", killed_after_three)
    with pytest.raises(Stop):
        build_site(settings_for(site, site / "seeds"))
    monkeypatch.setattr(publish, "_move", move)
    assert len(moved) == 3 and (site / ".output-update.json").is_file()

    build_site(settings_for(site, site / "seeds"))
    assert not (site / ".output-update.json").exists()
    assert files(site / "output") == files(fresh_build(site, tmp_path))
    assert beside(site) == []


def test_a_build_that_fails_before_its_journal_changes_nothing(site, monkeypatch):
    write_corpus(site / "seeds", 1, start=SEEDS)
    before = files(site / "output")

    def killed(path, journal):
        raise Stop

    monkeypatch.setattr(publish, "_write_journal", killed)
    with pytest.raises(Stop):
        build_site(settings_for(site, site / "seeds"))
    assert files(site / "output") == before
    assert beside(site) == []


def test_a_site_without_its_list_of_files_is_built_whole_and_swapped_in(site, tmp_path):
    output = site / "output"
    (output / publish.MANIFEST).unlink()
    folder = output.stat().st_ino
    write_corpus(site / "seeds", 1, start=SEEDS)
    build_site(settings_for(site, site / "seeds"))
    assert output.stat().st_ino != folder
    assert publish.manifest(output) == set(files(output))
    assert files(output) == files(fresh_build(site, tmp_path))


def test_when_most_of_the_site_changed_it_is_swapped_in_whole(site):
    output = site / "output"
    folder = output.stat().st_ino
    result = build_site(settings_for(site, site / "seeds", SITENAME="Another Digest"))
    assert result.pages_reused == 0
    assert output.stat().st_ino != folder
    assert publish.manifest(output) == set(files(output))


def test_the_list_of_files_is_the_site_after_an_update(site):
    write_corpus(site / "seeds", 1, start=SEEDS)
    build_site(settings_for(site, site / "seeds"))
    assert publish.manifest(site / "output") == set(files(site / "output"))
