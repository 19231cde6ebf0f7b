"""The editor's workflow: add a seed and see what was detected, correct it, rebuild, and lose nothing.

Dates added and slugs never move (rebuilds, fresh clones, edits, renames); duplicates give one
post; a build that fails leaves the previous site as it was; two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, SEEDS, copy_seeds, settings_for
from digest import commands, pipeline, site
from digest.build import build_site
from digest.report import REPORT_KEYS

DAY = dt.date(2026, 11, 24)
EXAMPLE = "001_be0249584214852d.txt"
NO_DATE = "Russia and India to build a fertiliser plant\n\nThe two governments agreed on a joint fertiliser plant in Uttar Pradesh.\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(tmp: Path) -> dict:
    return {"seeds": tmp / "seeds", "content": tmp / "content", "output": tmp / "output"}


def by_seed(results) -> dict:
    return {result.seed: result for result in results}


# add-seed


def test_add_seed_copies_under_readable_names_builds_and_reports(tmp_path, capsys):
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    (incoming / "моя статья.txt").write_text("Россия и Индия: энергетика\n\nМосква и Дели подписали соглашение об энергетике.\n")
    (incoming / "भारत रूस.txt").write_text("भारत और रूस के बीच व्यापार\n\nदिल्ली और मॉस्को के बीच व्यापार बढ़ा।\n")
    paths = [str(incoming / "моя статья.txt"), str(incoming / "भारत रूस.txt")]
    assert commands.add_seeds(paths, **folders(tmp_path)) == 0
    out = capsys.readouterr().out
    assert {p.name for p in (tmp_path / "seeds").glob("*.txt")} == {"моя-статья.txt", "भारत-रूस.txt"}
    for label in ("title:", "date:", "language:", "parties:", "mentions:", "sectors:", "source:", "slug:"):
        assert out.count(label) == 2
    assert "Россия и Индия: энергетика" in out and "none stated; date added" in out
    assert "India (IN), Russia (RU)" in out
    assert out.index("моя-статья.txt") < out.index("भारत-रूस.txt")  # in the order given
    assert len(list((tmp_path / "output" / "stories").iterdir())) == 2


def test_add_seed_never_overwrites_a_different_file(tmp_path, capsys):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "story.txt").write_bytes(b"India and Russia talk trade\n\nFirst story.\n")
    incoming = tmp_path / "incoming" / "story.txt"
    incoming.parent.mkdir()
    incoming.write_bytes(b"China and Russia talk gas\n\nSecond story.\n")
    assert commands.add_seeds([str(incoming)], **folders(tmp_path)) == 0
    assert commands.add_seeds([str(incoming)], **folders(tmp_path)) == 0  # the same file again
    assert (seeds / "story.txt").read_bytes() == b"India and Russia talk trade\n\nFirst story.\n"
    assert (seeds / "story-2.txt").read_bytes() == incoming.read_bytes()
    assert not (seeds / "story-3.txt").exists()
    assert "already in the seeds folder as" in capsys.readouterr().out


@pytest.mark.parametrize(
    "command", [commands.build, commands.check, lambda **f: commands.report_seeds(f["seeds"]), commands.serve]
)
def test_a_missing_seeds_folder_is_named_and_nothing_is_built(tmp_path, capsys, command):
    where = folders(tmp_path) | {"seeds": str(tmp_path / "seeds-typo")}
    assert command(**where) == 2
    assert f"failed: no seeds folder at {tmp_path / 'seeds-typo'}" in capsys.readouterr().err
    assert not Path(where["output"]).exists()


def test_add_seed_reads_standard_input_and_prints_pure_json(tmp_path, capsys, monkeypatch):
    text = "Uzbekistan and Russia open a technopark\n\nTashkent and Kazan opened a technopark for industry.\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    assert commands.add_seeds(["-"], as_json=True, **folders(tmp_path)) == 0
    out = capsys.readouterr().out
    entries = json.loads(out)  # Pelican's progress went elsewhere
    assert len(entries) == 1 and tuple(entries[0]) == REPORT_KEYS
    assert out.splitlines()[1].startswith('{"seed": "Uzbekistan')  # a seed to a line
    assert entries[0]["seed"] == "Uzbekistan-and-Russia-open-a-technopark.txt"
    assert entries[0]["status"] == "ok" and entries[0]["countries"] == ["RU", "UZ"]


def test_add_seed_of_a_bad_seed_exits_1_and_says_where_to_fix_it(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Countries: IN, XX\n\nIndia and Russia.\n")
    assert commands.add_seeds([str(bad)], **folders(tmp_path)) == 1
    out = capsys.readouterr().out
    assert "✗ bad.txt" in out and "bad.txt, header line 1: unknown country XX" in out
    assert "cannot be published: fix it there" in out


@pytest.mark.parametrize(
    "size, reason",
    [(None, "no such file"), (2_000_000, "too large: 2,000,000 bytes, the limit is 1,000,000 bytes")],
    ids=["missing", "too-large"],
)
def test_add_seed_copies_nothing_when_a_path_cannot_be_a_seed(tmp_path, capsys, size, reason):
    good, other = tmp_path / "good.txt", tmp_path / "other.txt"
    good.write_text(NO_DATE)
    if size:
        other.write_bytes(b"a" * size)
    assert commands.add_seeds([str(good), str(other)], **folders(tmp_path)) == 2
    assert f"other.txt: {reason}; nothing was copied" in capsys.readouterr().err
    assert not (tmp_path / "seeds").exists()


@pytest.mark.parametrize(
    "given, name",
    [
        ("моя статья.txt", "моя-статья.txt"),
        ("भारत रूस सहयोग.TXT", "भारत-रूस-सहयोग.txt"),
        ("/somewhere/else/Story (1).txt", "Story-1.txt"),
        ('what? "now": yes.txt', "what-now-yes.txt"),
        (".hidden.txt", "hidden.txt"),  # a dot file would be ignored as an editor's temporary file
        ("-rf.txt", "rf.txt"),  # a leading dash reads as an option in a shell
        ("notes.md", "notes.md.txt"),
        ("???.txt", "seed.txt"),
        ("e\u0301te\u0301.txt", "\u00e9t\u00e9.txt"),  # NFC, as typed on macOS
    ],
)
def test_safe_seed_names_stay_readable(given, name):
    assert commands.safe_seed_name(given) == name


def test_a_long_hindi_name_is_cut_between_letters():
    name = commands.safe_seed_name("अंतर्राष्ट्रीय सहयोग " * 10 + ".txt")
    stem = name[: -len(".txt")]
    assert len(stem) <= commands.MAX_NAME and not stem.endswith("-")
    next_char = ("अंतर्राष्ट्रीय-सहयोग-" * 10)[len(stem)]
    assert not unicodedata.category(next_char).startswith("M")  # no vowel sign left behind


# Corrections


CORRECTED = (
    "Title: Россия и Индия: атомная энергетика\nDate: 2025-10-16\nCountries: IN, RU\nSectors: energy, science\n"
    "Lang: ru\nSource: ТАСС\n\nКуданкулам получит новое топливо от Росатома, сообщили в компании.\n"
)


def test_the_header_block_wins_over_detection_and_survives_rebuilds(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "corrected.txt").write_text(CORRECTED)
    for day in (DAY, DAY + dt.timedelta(days=30)):
        conversion = pipeline.convert_seeds(seeds, tmp_path / "content", day)
        article = conversion.results[0].article
        assert article.title == "Россия и Индия: атомная энергетика"
        assert (article.date, article.date_source) == (dt.date(2025, 10, 16), "override")
        assert (article.parties, article.sectors) == (("IN", "RU"), ("energy", "science"))
        assert (article.lang, article.source) == ("ru", "ТАСС")
        assert not article.blocks[0].text.startswith("Title:")
    assert conversion.written == []  # the second build changed nothing


# The date added


def test_the_date_added_never_changes(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    seed = seeds / "no-date.txt"
    seed.write_text(NO_DATE)

    def added(folder: Path, day: dt.date) -> tuple[dt.date, str]:
        result = pipeline.convert_seeds(folder, tmp_path / "content", day).results[0]
        return result.added, result.slug

    first = added(seeds, DAY)
    assert first[0] == DAY
    assert added(seeds, DAY + dt.timedelta(days=1)) == first  # a rebuild

    clone = tmp_path / "clone" / "seeds"  # a fresh clone: new file times, the ledger travels
    shutil.copytree(seeds, clone, copy_function=shutil.copy)
    assert added(clone, DAY + dt.timedelta(days=2)) == first

    seed.write_text(NO_DATE + "\nThe plant will open in 2027.\n")  # edited
    assert added(seeds, DAY + dt.timedelta(days=3)) == first
    post = (tmp_path / "content" / "stories" / f"{first[1]}.md").read_text(encoding="utf-8")
    assert f"Added: {DAY}" in post and f"Modified: {DAY + dt.timedelta(days=3)}" in post

    seed.rename(seeds / "renamed.txt")  # renamed: the same article under a new name
    assert added(seeds, DAY + dt.timedelta(days=4)) == first
    assert list(json.loads((seeds / "ledger.json").read_text())) == ["renamed.txt"]


# Duplicates and slugs


def variant_of_the_example() -> str:
    """Example 001 with its reaction widget gone and blank and non-breaking-space lines added."""
    text = (SEEDS / EXAMPLE).read_text(encoding="utf-8")
    text = text[: text.index("What's Your Reaction?")]
    return text.replace("\n\n", "\n\u00a0\n \u00a0 \n\n\t\n")


@pytest.mark.parametrize("copy", ["identical", "other junk and spacing"])
def test_the_same_article_twice_gives_one_post_and_a_warning_naming_both(tmp_path, copy):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEEDS / EXAMPLE, seeds / EXAMPLE)
    text = (SEEDS / EXAMPLE).read_text(encoding="utf-8") if copy == "identical" else variant_of_the_example()
    (seeds / "zz-copy.txt").write_text(text, encoding="utf-8")
    conversion = pipeline.convert_seeds(seeds, tmp_path / "content", DAY)
    results = by_seed(conversion.results)
    assert results["zz-copy.txt"].duplicate_of == EXAMPLE
    assert any(EXAMPLE in w and "zz-copy.txt" in w for w in results["zz-copy.txt"].warnings)
    assert any("zz-copy.txt" in w for w in results[EXAMPLE].warnings)
    assert [r.seed for r in conversion.results if r.publishes] == [EXAMPLE]
    assert len(list((tmp_path / "content" / "stories").glob("*.md"))) == 1


def same_headline(n: int) -> str:
    return f"India and Russia sign an agreement\n\nStory number {n} with its own text about trade.\n"


def test_the_same_headline_gives_distinct_slugs_that_never_move(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "b.txt").write_text(same_headline(1))
    (seeds / "c.txt").write_text(same_headline(2))
    slugs = {r.seed: r.slug for r in pipeline.convert_seeds(seeds, tmp_path / "content", DAY).results}
    assert slugs == {"b.txt": "india-and-russia-sign-an-agreement", "c.txt": "india-and-russia-sign-an-agreement-2"}

    reordered = tmp_path / "reordered"  # the folder listed the other way round: the same slugs
    reordered.mkdir()
    for name in ("c.txt", "b.txt"):
        shutil.copy(seeds / name, reordered / name)
    listing = pipeline.list_seeds
    monkeypatch.setattr(pipeline, "list_seeds", lambda folder: listing(folder)[::-1])
    assert {r.seed: r.slug for r in pipeline.plan(reordered, DAY)[0]} == slugs

    (seeds / "a.txt").write_text(same_headline(3))  # a newcomer sorting first takes the next slug
    later = pipeline.convert_seeds(seeds, tmp_path / "content", DAY + dt.timedelta(days=1)).results
    assert {r.seed: r.slug for r in later} == slugs | {"a.txt": "india-and-russia-sign-an-agreement-3"}


# Nothing lost


@pytest.fixture
def built_once(tmp_path, example_seeds):
    settings = settings_for(tmp_path, example_seeds)
    build_site(settings)
    return tmp_path, settings


def leftovers(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith(".output"))


@pytest.mark.parametrize("failure", [RuntimeError("a template broke"), KeyboardInterrupt()], ids=["error", "interrupt"])
def test_a_failed_build_leaves_the_previous_site_intact(built_once, monkeypatch, failure):
    tmp, settings = built_once
    before = snapshot(tmp / "output")

    def broken(self, writer):
        raise failure

    monkeypatch.setattr(site.DigestGenerator, "generate_output", broken)
    with pytest.raises(type(failure)):
        build_site(settings)
    assert snapshot(tmp / "output") == before
    assert leftovers(tmp) == []


def test_a_site_with_problems_is_not_moved_in(built_once):
    tmp, settings = built_once
    before = snapshot(tmp / "output")
    result = build_site(settings, verify=lambda site, conversion, errors: ["a broken link"])
    assert result.problems == ["a broken link"]
    assert snapshot(tmp / "output") == before and leftovers(tmp) == []


def test_the_previous_site_is_gone_soon_after_a_rebuild(built_once):
    tmp, settings = built_once
    result = build_site(settings)  # returns while the retired site is deleted in the background
    assert (result.output / "index.html").is_file()
    deadline = time.monotonic() + 30
    while leftovers(tmp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(tmp) == []


def test_folders_of_a_killed_build_are_cleaned_and_a_half_swapped_site_put_back(built_once):
    tmp, settings = built_once
    before = snapshot(tmp / "output")
    dead = 999_999_999  # no such process
    (tmp / f".output-building-{dead}-x1").mkdir()
    retired = tmp / f".output-old-{dead}-x2"
    retired.mkdir()
    (tmp / "output").rename(retired / "output")  # killed between the two renames of a swap
    build_site(settings, verify=lambda site, conversion, errors: ["keep what is there"])
    assert snapshot(tmp / "output") == before
    assert leftovers(tmp) == []


# Builds in fresh processes: Python's string hashing, and so the order of sets, changes per process.
# Not through conftest, whose import would give the process a user cache folder of its own, left
# behind with no test session to remove it; it shares the session's (XDG_CACHE_HOME).
BUILD_ELSEWHERE = """
import sys
from pathlib import Path
sys.path[:0] = [sys.argv[2]]
from digest.build import build_site
from digest.commands import settings_for
tmp = Path(sys.argv[1])
settings = settings_for(tmp / "seeds", tmp / "content", tmp / "output")
settings["DIGEST_TODAY"] = "2027-03-01"
build_site(settings)
"""


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_two_builds_and_a_fresh_clone_give_the_same_bytes(built_once, tmp_path_factory, hash_seed):
    tmp, settings = built_once
    first = snapshot(tmp / "output"), snapshot(tmp / "content")
    build_site(settings)
    assert (snapshot(tmp / "output"), snapshot(tmp / "content")) == first

    clone = tmp_path_factory.mktemp("clone")  # the seeds and their ledger, checked out later
    shutil.copytree(tmp / "seeds", clone / "seeds", copy_function=shutil.copy)
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    subprocess.run([sys.executable, "-c", BUILD_ELSEWHERE, str(clone), str(ROOT / "plugins")], env=env, check=True, capture_output=True)
    assert snapshot(clone / "output") == first[0]
    assert snapshot(clone / "content") == first[1]


def test_posts_without_a_seed_are_removed_and_said_so_but_hand_written_ones_kept(tmp_path, capsys):
    seeds = copy_seeds(tmp_path / "seeds")
    pages, stories = tmp_path / "content" / "pages", tmp_path / "content" / "stories"
    pages.mkdir(parents=True)
    stories.mkdir()
    (pages / "about.md").write_text("Title: About\n\nHand-written.\n")
    (stories / "by-hand.md").write_text("Title: By hand\nDate: 2025-01-01\n\nA story written here.\n")
    hand_written = snapshot(tmp_path / "content" / "pages"), (stories / "by-hand.md").read_bytes()
    assert commands.build(**folders(tmp_path)) == 0
    gone = by_seed(pipeline.plan(seeds, DAY)[0])[EXAMPLE]
    (seeds / EXAMPLE).unlink()
    capsys.readouterr()
    assert commands.build(**folders(tmp_path)) == 0
    assert f"removed stories/{gone.slug}.md: its seed {EXAMPLE} is gone" in capsys.readouterr().out
    assert not (stories / f"{gone.slug}.md").exists()
    assert not (tmp_path / "output" / "stories" / gone.slug).exists()
    assert (snapshot(tmp_path / "content" / "pages"), (stories / "by-hand.md").read_bytes()) == hand_written


def test_a_published_story_whose_seed_breaks_stays_online_until_it_is_fixed(tmp_path, capsys):
    seeds = copy_seeds(tmp_path / "seeds")
    assert commands.build(**folders(tmp_path)) == 0
    slug = by_seed(pipeline.plan(seeds, DAY)[0])[EXAMPLE].slug
    post = (tmp_path / "content" / "stories" / f"{slug}.md").read_bytes()
    text = (seeds / EXAMPLE).read_text(encoding="utf-8")
    (seeds / EXAMPLE).write_text("Countries: IN, RUS\n\n" + text, encoding="utf-8")  # a typo
    capsys.readouterr()
    assert commands.build(**folders(tmp_path)) == 0
    out, err = capsys.readouterr()
    assert f"seed error: {EXAMPLE}: bad header block in {EXAMPLE}, header line 1: unknown country RUS" in err
    assert f"kept stories/{slug}.md: its seed {EXAMPLE} has an error" in out
    assert (tmp_path / "content" / "stories" / f"{slug}.md").read_bytes() == post
    assert (tmp_path / "output" / "stories" / slug / "index.html").is_file()


# invoke check


def test_check_passes_on_the_examples_and_prints_a_summary(tmp_path, example_seeds, capsys):
    assert commands.check(example_seeds, tmp_path / "content", tmp_path / "output") == 0
    out = capsys.readouterr().out
    assert "check: 5 seeds (5 published), " in out and " feeds: 0 problems" in out


@pytest.fixture
def with_duplicate(tmp_path, example_seeds):
    (example_seeds / "zz-copy.txt").write_text(variant_of_the_example(), encoding="utf-8")
    return example_seeds


def test_warnings_fail_check_only_when_marked_as_errors(tmp_path, with_duplicate, capsys, monkeypatch):
    run = dict(seeds=with_duplicate, content=tmp_path / "content", output=tmp_path / "output")
    assert commands.check(**run) == 0
    assert commands.check(**run, strict_warnings=True) == 1
    assert "warning: duplicate of" in capsys.readouterr().err

    settings_for = commands.settings_for
    monkeypatch.setattr(commands, "settings_for", lambda *a: settings_for(*a) | {"DIGEST_STRICT_WARNINGS": ["duplicate"]})
    assert commands.check(**run) == 1
    out, err = capsys.readouterr()
    assert "✗ seed zz-copy.txt: warning: duplicate of 001" in err
    assert "output/ was left as it was" in out
