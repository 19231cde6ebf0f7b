"""Search bundles: Pagefind bundles per language, holding only the story pages, and taken over
from the previous build where their pages did not change."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest

from digest import search

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body lang="en"><nav>Countries Sectors</nav><article {marker} lang="{lang}"><h1>{title}</h1><p>{text}</p></article>
<section class="related"><h2>Related stories</h2>{related}</section></body></html>"""


def write(site, path, lang, title, text, indexed=True, related=""):
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    marker = search.INDEXED if indexed else ""
    target.write_text(PAGE.format(lang=lang, title=title, text=text, marker=marker, related=related), encoding="utf-8")


def files(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_each_language_gets_a_bundle_of_its_own_stories(tmp_path):
    write(tmp_path, "stories/hi/index.html", "hi", "आगरा में बैठक", "रूस के प्रतिनिधि आगरा आए")
    write(tmp_path, "stories/ru/index.html", "ru", "Встреча в Казани", "Делегация Татарстана прибыла")
    write(tmp_path, "stories/en/index.html", "en", "Forum in Tashkent", "Delegates met in Tashkent")
    write(tmp_path, "countries/india/index.html", "en", "India", "a listing", indexed=False)

    assert search.index_site(tmp_path).languages == ["en", "hi", "ru"]

    bundles = tmp_path / search.BUNDLES
    assert json.loads((bundles / "languages.json").read_text()) == ["en", "hi", "ru"]
    for lang in ("en", "hi", "ru"):
        entry = json.loads((bundles / lang / "pagefind-entry.json").read_text())
        assert entry["languages"][lang]["page_count"] == 1  # the listing page is left out
        assert (bundles / lang / "pagefind.js").is_file()


def test_pages_are_grouped_by_the_language_of_their_html_element(tmp_path):
    write(tmp_path, "stories/a/index.html", "hi", "शीर्षक", "पाठ")
    write(tmp_path, "stories/b/index.html", "HI", "शीर्षक", "पाठ")
    write(tmp_path, "about/index.html", "en", "About", "text", indexed=False)
    found = search.pages_by_language(tmp_path)
    assert {lang: [page.path for page in pages] for lang, pages in found.items()} == {
        "hi": ["stories/a/index.html", "stories/b/index.html"]
    }


def test_a_site_without_stories_has_an_empty_language_list(tmp_path):
    assert search.index_site(tmp_path).languages == []
    assert json.loads((tmp_path / search.BUNDLES / "languages.json").read_text()) == []


def test_a_language_with_many_stories_is_split_into_several_bundles(tmp_path):
    for number in range(5):
        write(tmp_path, f"stories/hi-{number}/index.html", "hi", f"बैठक {number}", f"आगरा में बैठक संख्या {number}")
    write(tmp_path, "stories/en/index.html", "en", "Forum in Tashkent", "Delegates met in Tashkent")

    assert search.index_site(tmp_path, pages_per_bundle=2).languages == ["en", "hi"]

    bundles = tmp_path / search.BUNDLES
    listed = json.loads((bundles / "bundles.json").read_text())
    hindi = [entry for entry in listed if entry["lang"] == "hi"]
    assert len(hindi) >= 3 and all(entry["bundle"].startswith("hi") for entry in hindi)
    counts = [json.loads((bundles / e["bundle"] / "pagefind-entry.json").read_text())["languages"]["hi"]["page_count"]
              for e in hindi]
    assert counts == [entry["pages"] for entry in hindi]
    assert sum(counts) == 5 and max(counts) <= 2


def indexed_urls(bundle):
    """The URLs of the pages in a Pagefind bundle, from its fragments (gzip, then a marker, then JSON)."""
    fragments = (gzip.decompress(path.read_bytes()) for path in (bundle / "fragment").iterdir())
    return sorted(json.loads(fragment[fragment.index(b"{"):])["url"] for fragment in fragments)


def test_a_bundle_holds_exactly_its_own_pages_whatever_their_names(tmp_path):
    # Pagefind is given each bundle's pages in a glob, where these characters have meanings.
    for name, lang in [("a,b", "en"), ("a", "hi"), ("b", "hi"), ("s*t", "en"), ("sxt", "hi"), ("x{1}", "en")]:
        write(tmp_path, f"stories/{name}/index.html", lang, "Forum", "Delegates met")

    search.index_site(tmp_path)

    assert indexed_urls(tmp_path / search.BUNDLES / "en") == ["/stories/a,b/", "/stories/s*t/", "/stories/x{1}/"]
    assert indexed_urls(tmp_path / search.BUNDLES / "hi") == ["/stories/a/", "/stories/b/", "/stories/sxt/"]



@pytest.mark.parametrize("paths, glob", [
    (["stories/a/index.html", "stories/b/index.html"], "stories/{a/index.html,b/index.html}"),
    (["stories/a/index.html"], "stories/a/{index.html}"),
    (["stories/a/index.html", "about/index.html"], "{stories/a/index.html,about/index.html}"),
    (["x/a.html", "x/a.html/b.html"], "x/{a.html,a.html/b.html}"),
    (["s{1}/a/index.html", "s{1}/b/index.html"], "s\\{1\\}/{a/index.html,b/index.html}"),
])
def test_a_bundles_glob_starts_at_its_pages_common_folder(paths, glob):
    # Pagefind walks only the folder a glob's fixed start names: not the listings' folders.
    assert search.pages_glob(paths) == glob


def test_pages_in_several_folders_share_one_bundle(tmp_path):
    write(tmp_path, "stories/a/index.html", "en", "Forum", "Delegates met")
    write(tmp_path, "news/b/index.html", "en", "Summit", "Leaders met")
    write(tmp_path, "stories/c/index.html", "en", "Talks", "Ministers met")

    search.index_site(tmp_path)

    assert indexed_urls(tmp_path / search.BUNDLES / "en") == ["/news/b/", "/stories/a/", "/stories/c/"]


# Reading what Pagefind reads from a page


def page(title="Forum in Tashkent", text="Delegates met", related="", lang="en"):
    return PAGE.format(lang=lang, title=title, text=text, marker=search.INDEXED, related=related).encode()


@pytest.mark.parametrize("changed", [
    page(text="Delegates met again"),  # the story's text
    page(title="Forum in Fergana"),  # its headline, the result's title
    page(lang="ru"),  # the language whose stemming Pagefind uses
    page().replace(b"data-pagefind-body", b'data-pagefind-body data-pagefind-meta="date:1 May 2025"'),
])
def test_a_change_to_the_indexed_body_changes_the_indexed_content(changed):
    assert search.indexed_content(changed) != search.indexed_content(page())


def test_related_stories_outside_the_body_are_not_indexed_content():
    linked = page(related='<a href="/stories/x/">Another story</a>')
    assert search.indexed_content(linked) == search.indexed_content(page())


def test_pagefind_metadata_outside_the_body_makes_the_whole_page_count():
    tagged = page(related='<span data-pagefind-filter="author">Daryo</span>')
    assert search.indexed_content(tagged) == tagged


@pytest.mark.parametrize("text", ["Delegates met", "a story quoting the attribute data-pagefind-body"])
def test_a_page_without_the_body_marker_is_not_indexed(text):
    listing = PAGE.format(lang="en", title="India", text=text, marker="", related="").encode()
    assert search.indexed_content(listing) is None


# Stable bundles: pages fill bundles in the order their stories were first seen


def pages(count):
    return [search.Page(f"stories/story-{number:04}/index.html", "hi", b"") for number in range(count)]


def numbered(pages, numbers):
    return {page.path: number for page, number in zip(pages, numbers)}


def test_pages_fill_full_bundles_in_the_order_of_their_stories_and_the_newest_small_ones():
    some = pages(250)
    buckets = search.split_language(some, 100, numbered(some, range(250, 0, -1)))  # against path order
    assert [len(bucket) for bucket in buckets] == [100, 100, 20, 20, 10]
    assert buckets[0][0].path == "stories/story-0249/index.html"  # number 1
    assert buckets[-1][-1].path == "stories/story-0000/index.html"  # number 250


@pytest.mark.parametrize(
    "added, sizes",
    [(1, [20, 20, 11]), (9, [20, 20, 19]), (10, [20, 20, 20]), (11, [20, 20, 20, 1]), (50, [100]), (120, [100, 20, 20, 20, 10])],
)
def test_new_stories_change_only_the_last_small_bundle_or_make_a_full_one(added, sizes):
    old = pages(250)
    order = numbered(old, range(1, 251))
    before = search.split_language(old, 100, order)
    # New stories' paths sort before every old one, and their numbers come after.
    new = [search.Page(f"stories/a-new-story-{n:03}/index.html", "hi", b"") for n in range(added)]
    after = search.split_language(old + new, 100, order | numbered(new, range(251, 251 + added)))
    assert after[:2] == before[:2]
    assert [len(bucket) for bucket in after[2:]] == sizes
    if added < 50:  # the small bundles before the last one are as they were
        assert after[2 : len(before) - 1] == before[2 : len(before) - 1]


def test_pages_without_a_number_come_last_by_path():
    some = pages(5)
    buckets = search.split_language(some, 2, numbered(some[3:], [1, 2]))  # small bundles of one page
    assert [[page.path[14:18] for page in bucket] for bucket in buckets] == [["0003", "0004"], ["0000", "0001"], ["0002"]]


# Taking bundles over from the previous build. A small site: with 4 pages a bundle, the five
# Hindi stories make two bundles (hi, hi-2) and the English one a third.

PER_BUNDLE = 4
STORIES = {
    "agra": ("hi", "आगरा में बैठक", "रूस के प्रतिनिधि आगरा आए"),
    "kazan": ("hi", "कज़ान में मंच", "तातारस्तान के साथ व्यापार"),
    "tashkent": ("hi", "ताशकंद में सम्मेलन", "उज़्बेकिस्तान के साथ शिक्षा"),
    "lucknow": ("hi", "लखनऊ में रोडशो", "उत्तर प्रदेश में निवेश"),
    "moscow": ("hi", "मॉस्को में वार्ता", "ऊर्जा सहयोग पर चर्चा"),
    "forum": ("en", "Forum in Tashkent", "Delegates met in Tashkent"),
}


# Stories are numbered in the order they were first seen: as listed, then Delhi.
ORDER = {f"stories/{slug}/index.html": number for number, slug in enumerate([*STORIES, "delhi"], start=1)}


def write_site(site, stories, related=""):
    for slug, (lang, title, text) in stories.items():
        write(site, f"stories/{slug}/index.html", lang, title, text, related=related)
    write(site, "countries/india/index.html", "en", "India", "a listing", indexed=False)
    return site


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """The previous build's site, indexed from scratch."""
    site = write_site(tmp_path_factory.mktemp("previous"), STORIES)
    done = search.index_site(site, pages_per_bundle=PER_BUNDLE, order=ORDER)
    assert sorted(done.indexed) == ["en", "hi", "hi-2"] and done.reused == []
    return site


def bundle_files(site):
    return {folder.name: files(folder) for folder in sorted((site / search.BUNDLES).iterdir()) if folder.is_dir()}


def test_an_unchanged_site_takes_over_every_bundle_as_it_was(tmp_path, previous):
    before = bundle_files(previous)
    site = write_site(tmp_path, STORIES)

    done = search.index_site(site, previous=previous, pages_per_bundle=PER_BUNDLE, order=ORDER)

    assert done.indexed == [] and sorted(done.reused) == ["en", "hi", "hi-2"]
    assert bundle_files(site) == before
    assert bundle_files(previous) == before  # the previous site is still whole
    listed = search.BUNDLES + "/bundles.json"
    assert (site / listed).read_bytes() == (previous / listed).read_bytes()


def test_a_changed_story_re_indexes_only_its_bundle(tmp_path, previous):
    site = write_site(tmp_path, STORIES | {"kazan": ("hi", "कज़ान में मंच", "तातारस्तान के साथ ऊर्जा")})
    done = search.index_site(site, previous=previous, pages_per_bundle=PER_BUNDLE, order=ORDER)
    assert done.indexed == ["hi"] and sorted(done.reused) == ["en", "hi-2"]


def test_new_related_links_outside_the_body_re_index_nothing(tmp_path, previous):
    site = write_site(tmp_path, STORIES, related='<a href="../delhi/">दिल्ली में बैठक</a>')
    done = search.index_site(site, previous=previous, pages_per_bundle=PER_BUNDLE, order=ORDER)
    assert done.indexed == []


def test_a_new_story_re_indexes_only_the_bundle_it_lands_in(tmp_path, previous):
    site = write_site(tmp_path, STORIES | {"delhi": ("hi", "दिल्ली में बैठक", "रक्षा सहयोग पर समझौता")})

    done = search.index_site(site, previous=previous, pages_per_bundle=PER_BUNDLE, order=ORDER)

    assert len(done.indexed) == 1 and done.indexed[0].startswith("hi")
    assert sorted(done.reused) == ["en", "hi", "hi-2"]  # Delhi, the newest, opens a small bundle of its own
    assert "/stories/delhi/" in indexed_urls(site / search.BUNDLES / done.indexed[0])
    listed = json.loads((site / search.BUNDLES / "bundles.json").read_text())
    assert sum(entry["pages"] for entry in listed if entry["lang"] == "hi") == 6


def test_an_incomplete_previous_bundle_is_indexed_again(tmp_path, previous):
    broken = tmp_path / "previous"
    shutil.copytree(previous, broken)
    (broken / search.BUNDLES / "hi-2" / "pagefind.js").unlink()
    site = write_site(tmp_path / "site", STORIES)

    done = search.index_site(site, previous=broken, pages_per_bundle=PER_BUNDLE, order=ORDER)

    assert done.indexed == ["hi-2"] and sorted(done.reused) == ["en", "hi"]
    assert (site / search.BUNDLES / "hi-2" / "pagefind.js").is_file()


def test_a_previous_site_from_older_code_or_none_offers_nothing_to_take_over(tmp_path):
    old = tmp_path / "old"
    (old / search.BUNDLES).mkdir(parents=True)
    (old / search.BUNDLES / "bundles.json").write_text(json.dumps([{"bundle": "hi", "lang": "hi"}]))
    assert search.previous_fingerprints(old) == {}
    assert search.previous_fingerprints(tmp_path / "missing") == {}
    assert search.previous_fingerprints(None) == {}


def test_a_build_notes_what_search_reads_of_each_page_as_it_writes_it(tmp_path):
    """The records a build takes while rendering (pages.render_pages) are those of the pages on disk."""
    from conftest import built_from_synthetic_seeds

    output = built_from_synthetic_seeds(tmp_path, 40) / "output"
    noted = json.loads((output / search.BUNDLES / search.PAGES_FILE).read_text(encoding="utf-8"))
    read_back = search.page_records(output)
    assert noted == read_back
    assert sum(record is not None for record in noted.values()) >= 30  # the stories
