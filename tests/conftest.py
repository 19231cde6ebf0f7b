"""Shared fixtures: the example seeds in a scratch folder, and one site built from them."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))

from digest import commands  # noqa: E402
from digest.bench_corpus import write_corpus  # noqa: E402
from digest.build import build_site  # noqa: E402

SEEDS = ROOT / "seeds"
# The detection tables are kept in the user's cache folder (see cache.tables_file): tests, and the
# commands they run, keep theirs in a folder of the session's.
USER_CACHE = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="digest-tests-cache-")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(USER_CACHE, ignore_errors=True)
# A fixed build date, so that tests give the same bytes on any day (the goldens' date).
TODAY = commands.GOLDEN_DAY


def copy_seeds(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in SEEDS.iterdir():
        if path.is_file():
            shutil.copy2(path, target / path.name)
    return target


def settings_for(tmp: Path, seeds: Path, **extra) -> dict:
    settings = commands.settings_for(seeds, tmp / "content", tmp / "output")
    settings["DIGEST_TODAY"] = TODAY
    settings.update(extra)
    return settings


def built_from_synthetic_seeds(tmp: Path, count: int) -> Path:
    """A site built in `tmp` from the bench's first `count` synthetic seeds: returns `tmp`."""
    write_corpus(tmp / "seeds", count)
    build_site(settings_for(tmp, tmp / "seeds"))
    return tmp


@pytest.fixture
def example_seeds(tmp_path) -> Path:
    return copy_seeds(tmp_path / "seeds")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The example seeds built once into a scratch folder: returns that folder."""
    tmp = tmp_path_factory.mktemp("site")
    seeds = copy_seeds(tmp / "seeds")
    build_site(settings_for(tmp, seeds))
    return tmp
