"""Pelican's articles are kept between builds: a rebuild takes the article of every post whose
file did not change from the previous build, and reads only the others."""

from __future__ import annotations

import datetime as dt
import io
import shutil

import pytest
from conftest import settings_for

from digest import cache, readahead
from digest.bench_corpus import write_corpus
from digest.build import build_site

SEEDS = 12


@pytest.fixture
def builds(monkeypatch):
    """What each build kept and read: (articles kept from the previous build, posts read)."""
    seen = []
    read_ahead = readahead._read_ahead

    def recorded(generator, names):
        seen.append((len(generator.digest_kept), len(names)))
        read_ahead(generator, names)

    monkeypatch.setattr(readahead, "_read_ahead", recorded)
    return seen


@pytest.fixture
def site(tmp_path, monkeypatch, builds):
    monkeypatch.setattr(cache, "SETTLED_NS", 0)  # posts written a moment ago count as settled
    write_corpus(tmp_path / "seeds", SEEDS)
    build_site(settings_for(tmp_path, tmp_path / "seeds"))
    return tmp_path


def test_a_first_build_reads_every_post_and_a_rebuild_none(site, builds):
    assert builds == [(0, SEEDS)]
    build_site(settings_for(site, site / "seeds"))
    assert builds[-1] == (SEEDS, 0)


def test_the_post_of_an_edited_seed_is_read_again_and_shows_the_edit(site, builds):
    seed = sorted((site / "seeds").glob("*.txt"))[3]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nThe two sides will meet again in the spring.\n", encoding="utf-8")
    build_site(settings_for(site, site / "seeds"))
    assert builds[-1] == (SEEDS - 1, 1)
    pages = [p.read_text(encoding="utf-8") for p in (site / "output" / "stories").glob("*/index.html")]
    assert sum("The two sides will meet again in the spring." in page for page in pages) == 1


def test_other_settings_make_their_own_articles(site, builds):
    addresses = {f"ARTICLE{lang}_{key}": "story/{slug}.html" for lang in ("", "_LANG") for key in ("URL", "SAVE_AS")}
    build_site(settings_for(site, site / "seeds", **addresses))
    assert builds[-1] == (0, SEEDS)
    assert len(list((site / "output" / "story").glob("*.html"))) == SEEDS


def test_a_rebuild_from_kept_articles_gives_the_same_site(site, tmp_path_factory, builds):
    again = tmp_path_factory.mktemp("again")
    shutil.copytree(site / "seeds", again / "seeds")
    build_site(settings_for(again, again / "seeds"))  # from nothing, in another folder
    build_site(settings_for(site, site / "seeds"))
    assert builds[-1] == (SEEDS, 0)
    assert files(site / "output") == files(again / "output")


def files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("days", "lasting"), [(-1, True), (0, True), (3, False)])
def test_only_articles_dated_up_to_now_are_kept(days, lasting):
    class Dated:
        date = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days, seconds=-1 if days == 0 else 0)

    assert readahead._lasting(Dated()) is lasting


def test_kept_articles_point_to_the_loading_builds_own_settings_and_context():
    then = {"settings": {"SITENAME": "then"}, "context": {"articles": []}}
    article = {"settings": then["settings"], "context": then["context"], "title": "Kazan forum"}
    stream = io.BytesIO()
    readahead._Pickler(stream, then).dump({"stories/kazan.md": ("signature", article)})
    now = {"settings": {"SITENAME": "now"}, "context": {"articles": []}}
    loaded = readahead._Unpickler(io.BytesIO(stream.getvalue()), now).load()["stories/kazan.md"][1]
    assert loaded["settings"] is now["settings"] and loaded["context"] is now["context"]
    assert loaded["title"] == "Kazan forum"


def test_another_content_folder_keeps_its_articles_apart(site):
    """An article names its post by its absolute path, which site_version leaves out."""
    class Generator:
        def __init__(self, content):
            self.settings = dict(settings_for(site, site / "seeds"), PATH=str(content))
            cache.configure(self.settings)

    here, there = Generator(site / "content"), Generator(site / "other-content")
    assert readahead._kept_path(here) != readahead._kept_path(there)
    assert readahead._kept_path(here) == readahead._kept_path(Generator(site / "content"))
