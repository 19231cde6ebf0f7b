"""A rebuild renders only the pages whose inputs changed and takes the others over from the
previous output: its site must be, byte for byte, the site a build from nothing gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, built_from_synthetic_seeds, settings_for

from digest.bench_corpus import write_corpus
from digest.build import build_site
from digest.pages import KEYS_FILE

SEEDS = 45  # enough for listings of several pages (20 stories a page) and related stories


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def add_one(seeds: Path) -> None:
    write_corpus(seeds, 1, start=SEEDS)


def edit_one(seeds: Path) -> None:
    seed = sorted(seeds.glob("*.txt"))[7]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe two sides will meet again in the spring.\n", encoding="utf-8")


def remove_one(seeds: Path) -> None:
    sorted(seeds.glob("*.txt"))[3].unlink()


def nothing(seeds: Path) -> None:
    pass


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> Path:
    """A site of SEEDS synthetic seeds, built once; each test works on a copy."""
    return built_from_synthetic_seeds(tmp_path_factory.mktemp("first"), SEEDS)


def rebuilt_and_fresh(first: Path, tmp: Path, change, **settings) -> tuple:
    """The site rebuilt after `change`, and a site built from nothing on the same seeds."""
    again = tmp / "again"
    shutil.copytree(first, again, symlinks=True)
    change(again / "seeds")
    result = build_site(settings_for(again, again / "seeds", **settings))
    fresh = tmp / "fresh"
    shutil.copytree(again / "seeds", fresh / "seeds")
    (fresh / "seeds" / "ledger.json").unlink()  # the same day: the same dates added
    shutil.rmtree(fresh / "seeds" / "cache", ignore_errors=True)
    build_site(settings_for(fresh, fresh / "seeds", **settings))
    return result, again / "output", fresh / "output"


@pytest.mark.parametrize("change", [nothing, add_one, edit_one, remove_one])
def test_a_rebuild_gives_the_site_a_build_from_nothing_gives(first_build, tmp_path, change):
    result, rebuilt, fresh = rebuilt_and_fresh(first_build, tmp_path, change)
    assert files(rebuilt) == files(fresh)
    assert result.pages_reused > 0


def test_a_rebuild_with_no_change_renders_only_the_pages_made_of_the_whole_site(first_build, tmp_path):
    result, _, _ = rebuilt_and_fresh(first_build, tmp_path, nothing)
    # The home page, the archives, the search and feeds pages, the not-found page and the
    # indexes of countries, sectors, partnerships and languages.
    assert result.pages_rendered <= 10
    assert result.pages_reused > 100


def test_one_new_story_leaves_most_pages_alone(first_build, tmp_path):
    result, _, _ = rebuilt_and_fresh(first_build, tmp_path, add_one)
    assert result.pages_reused > result.pages_rendered


def test_a_changed_setting_renders_every_page_again(first_build, tmp_path):
    result, rebuilt, fresh = rebuilt_and_fresh(first_build, tmp_path, nothing, SITENAME="Another Digest")
    assert result.pages_reused == 0
    assert files(rebuilt) == files(fresh)
    assert b"Another Digest" in (rebuilt / "index.html").read_bytes()


def test_a_page_whose_previous_file_is_gone_is_rendered_again(first_build, tmp_path):
    unchanged, _, _ = rebuilt_and_fresh(first_build, tmp_path / "unchanged", nothing)
    again = tmp_path / "again"
    shutil.copytree(first_build, again, symlinks=True)
    story = next((again / "output" / "stories").iterdir()) / "index.html"
    story.unlink()
    result = build_site(settings_for(again, again / "seeds"))
    assert story.is_file()
    assert result.pages_rendered == unchanged.pages_rendered + 1


def test_a_missing_or_broken_key_file_means_every_page_is_rendered(first_build, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(first_build, again, symlinks=True)
    (again / "output" / KEYS_FILE).write_text("{not json", encoding="utf-8")
    result = build_site(settings_for(again, again / "seeds"))
    assert result.pages_reused == 0
    assert (again / "output" / KEYS_FILE).read_text(encoding="utf-8").startswith("{")


def test_a_changed_template_renders_every_page_again_in_the_same_process(first_build, tmp_path):
    """As `invoke serve` does: rebuild in one process after a template changed."""
    again = tmp_path / "again"
    shutil.copytree(first_build, again, symlinks=True)
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    build_site(settings_for(again, again / "seeds", THEME=str(theme)))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("</footer>", "<p>Edited.</p></footer>"), encoding="utf-8")
    result = build_site(settings_for(again, again / "seeds", THEME=str(theme)))
    assert result.pages_reused == 0
    story = next((again / "output" / "stories").iterdir()) / "index.html"
    assert "<p>Edited.</p>" in story.read_text(encoding="utf-8")
