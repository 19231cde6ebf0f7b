"""Search bundles: Pagefind bundles per language, made from the stories' documents, and taken over
from the previous build where their stories did not change."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
from functools import partial

import pytest

from digest import search
from digest.model import Article, Block
from digest.reader import DigestReader, NotPlain, plain_html
from digest.post import render_body

SETTINGS = {
    "ARTICLE_SAVE_AS": "stories/{slug}/index.html",
    "DEFAULT_DATE_FORMAT": "%d %B %Y",
    "DATE_FORMATS": {},
    "MARKDOWN": {"extension_configs": {"markdown.extensions.meta": {}}, "output_format": "html5"},
    "FORMATTED_FIELDS": ["summary"],
    "READERS": {},
}
ADDED = dt.date(2025, 5, 2)


def article(lang, title, text, standfirst=None):
    return Article(
        seed="x.txt", title=title, standfirst=standfirst, date=dt.date(2025, 5, 1), date_source="text", lang=lang,
        source=None, blocks=(Block("paragraph", text),), parties=(), mentions=(), sectors=(), fingerprint="f", title_slug="t",
    )


class Loads:
    """The stories whose articles planning asked for."""

    def __init__(self):
        self.slugs = []

    def __call__(self, slug, found):
        self.slugs.append(slug)
        return found


def stories(table, loads=None):
    """Stories numbered in the order of `table` (slug -> lang, title, text)."""
    loads = loads or Loads()
    return [
        search.Story(slug, number, ADDED, f"{slug}|{lang}|{title}|{text}", partial(loads, slug, article(lang, title, text)))
        for number, (slug, (lang, title, text)) in enumerate(table.items(), start=1)
    ]


def index(site, table, previous=None, per_bundle=search.PAGES_PER_BUNDLE, loads=None):
    pages = search.plan_pages(stories(table, loads), SETTINGS, previous, per_bundle)
    return search.index_stories(pages, site, SETTINGS, previous, pages_per_bundle=per_bundle)


def files(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def fragments(bundle):
    """Each page of a Pagefind bundle by its URL: its fragment (gzip, then a marker, then JSON)."""
    found = {}
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])
        found[fragment["url"]] = fragment
    return found


def indexed_urls(bundle):
    return sorted(fragments(bundle))


def test_each_language_gets_a_bundle_of_its_own_stories(tmp_path):
    table = {
        "agra": ("hi", "आगरा में बैठक", "रूस के प्रतिनिधि आगरा आए"),
        "kazan": ("ru", "Встреча в Казани", "Делегация Татарстана прибыла"),
        "forum": ("en", "Forum in Tashkent", "Delegates met in Tashkent"),
    }
    assert index(tmp_path, table).languages == ["en", "hi", "ru"]

    bundles = tmp_path / search.BUNDLES
    assert json.loads((bundles / "languages.json").read_text()) == ["en", "hi", "ru"]
    for lang in ("en", "hi", "ru"):
        entry = json.loads((bundles / lang / "pagefind-entry.json").read_text())
        assert entry["languages"][lang]["page_count"] == 1
        assert (bundles / lang / "pagefind.js").is_file()
    assert indexed_urls(bundles / "ru") == ["/stories/kazan/"]


def test_a_site_without_stories_has_an_empty_language_list(tmp_path):
    assert index(tmp_path, {}).languages == []
    assert json.loads((tmp_path / search.BUNDLES / "languages.json").read_text()) == []


def test_a_language_with_many_stories_is_split_into_several_bundles(tmp_path):
    table = {f"hi-{n}": ("hi", f"बैठक {n}", f"आगरा में बैठक संख्या {n}") for n in range(5)}
    table["forum"] = ("en", "Forum in Tashkent", "Delegates met in Tashkent")

    assert index(tmp_path, table, per_bundle=2).languages == ["en", "hi"]

    bundles = tmp_path / search.BUNDLES
    listed = json.loads((bundles / "bundles.json").read_text())
    hindi = [entry for entry in listed if entry["lang"] == "hi"]
    assert len(hindi) >= 3 and all(entry["bundle"].startswith("hi") for entry in hindi)
    counts = [json.loads((bundles / e["bundle"] / "pagefind-entry.json").read_text())["languages"]["hi"]["page_count"]
              for e in hindi]
    assert counts == [entry["pages"] for entry in hindi]
    assert sum(counts) == 5 and max(counts) <= 2


def test_a_bundle_holds_exactly_its_own_stories_whatever_their_slugs(tmp_path):
    table = {slug: (lang, "Forum", "Delegates met") for slug, lang in
             [("a,b", "en"), ("a", "hi"), ("b", "hi"), ("s*t", "en"), ("sxt", "hi"), ("x{1}", "en")]}

    index(tmp_path, table)

    assert indexed_urls(tmp_path / search.BUNDLES / "en") == ["/stories/a,b/", "/stories/s*t/", "/stories/x{1}/"]
    assert indexed_urls(tmp_path / search.BUNDLES / "hi") == ["/stories/a/", "/stories/b/", "/stories/sxt/"]


# A story's document stands for its page


def test_pagefind_reads_from_each_story_document_what_it_reads_from_the_story_page(built_site, tmp_path):
    """The bundles are made from documents (search.document); Pagefind, given the rendered story
    pages themselves, finds the same text, title, date and address in each."""
    output = built_site / "output"
    pages = tmp_path / "pages"
    for page in (output / "stories").glob("*/index.html"):
        target = pages / page.relative_to(output)
        target.parent.mkdir(parents=True)
        shutil.copy(page, target)
    from_pages = {}
    for lang in json.loads((output / search.BUNDLES / "languages.json").read_text()):
        bundle = tmp_path / "bundles" / lang
        lang_pages = tmp_path / f"pages-{lang}"
        for page in pages.rglob("index.html"):
            if f'<html lang="{lang}"'.encode() in page.read_bytes():
                target = lang_pages / page.relative_to(pages)
                target.parent.mkdir(parents=True)
                shutil.copy(page, target)
        search.run_pagefind(lang_pages, bundle, tmp_path)
        from_pages.update(fragments(bundle))
    from_documents = {}
    for entry in json.loads((output / search.BUNDLES / "bundles.json").read_text()):
        from_documents.update(fragments(output / search.BUNDLES / entry["bundle"]))

    assert len(from_documents) == 5
    assert from_documents == from_pages


def test_a_post_the_digest_reader_leaves_to_python_markdown_has_its_html_in_the_document(tmp_path):
    # A tab is more than the Markdown post.py writes: Pelican reads such a post with Python-Markdown.
    odd = article("en", "Forum in Tashkent", "Delegates\tmet in *Tashkent*")
    with pytest.raises(NotPlain):
        plain_html(render_body(odd.blocks))
    from digest.post import render_post

    post = tmp_path / "post.md"
    post.write_text(render_post(odd, slug="forum", added=ADDED, updated=None), encoding="utf-8")
    pelicans = DigestReader(dict(SETTINGS)).read(str(post))[0]

    assert pelicans.encode() in search.document(odd, "forum", ADDED, SETTINGS)


@pytest.mark.parametrize("changed", [
    article("en", "Forum in Tashkent", "Delegates met again"),  # the story's text
    article("en", "Forum in Fergana", "Delegates met"),  # its headline, the result's title
    article("ru", "Forum in Tashkent", "Delegates met"),  # the language whose stemming Pagefind uses
    article("en", "Forum in Tashkent", "Delegates met", standfirst="Talks went on"),
])
def test_what_search_shows_of_a_story_changes_its_document(changed):
    plain = article("en", "Forum in Tashkent", "Delegates met")
    assert search.document(changed, "forum", ADDED, SETTINGS) != search.document(plain, "forum", ADDED, SETTINGS)


def test_a_story_without_a_date_of_its_own_shows_its_date_added():
    undated = article("en", "Forum", "Delegates met")
    undated = Article(**{**undated.__dict__, "date": None, "date_source": "added"})
    assert b'data-pagefind-meta="date:02 May 2025"' in search.document(undated, "forum", ADDED, SETTINGS)


# Stable bundles: pages fill bundles in the order their stories were first seen


def pages(count, numbers=None):
    numbers = numbers or range(count)
    return [search.Page(f"stories/story-{n:04}/index.html", f"story-{n:04}", "hi", number, None)
            for n, number in zip(range(count), numbers)]


def test_pages_fill_full_bundles_in_the_order_of_their_stories_and_the_newest_small_ones():
    buckets = search.split_language(pages(250, range(250, 0, -1)), 100)  # against path order
    assert [len(bucket) for bucket in buckets] == [100, 100, 20, 20, 10]
    assert buckets[0][0].path == "stories/story-0249/index.html"  # number 1
    assert buckets[-1][-1].path == "stories/story-0000/index.html"  # number 250


@pytest.mark.parametrize(
    "added, sizes",
    [(1, [20, 20, 11]), (9, [20, 20, 19]), (10, [20, 20, 20]), (11, [20, 20, 20, 1]), (50, [100]), (120, [100, 20, 20, 20, 10])],
)
def test_new_stories_change_only_the_last_small_bundle_or_make_a_full_one(added, sizes):
    old = pages(250, range(1, 251))
    before = search.split_language(old, 100)
    # New stories' paths sort before every old one, and their numbers come after.
    new = [search.Page(f"stories/a-new-story-{n:03}/index.html", "x", "hi", 251 + n, None) for n in range(added)]
    after = search.split_language(old + new, 100)
    assert after[:2] == before[:2]
    assert [len(bucket) for bucket in after[2:]] == sizes
    if added < 50:  # the small bundles before the last one are as they were
        assert after[2 : len(before) - 1] == before[2 : len(before) - 1]


# Taking bundles over from the previous build. A small site: with 4 stories a bundle, the five
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


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """The previous build's site, indexed from scratch."""
    site = tmp_path_factory.mktemp("previous")
    done = index(site, STORIES, per_bundle=PER_BUNDLE)
    assert sorted(done.indexed) == ["en", "hi", "hi-2"] and done.reused == []
    return site


def bundle_files(site):
    return {folder.name: files(folder) for folder in sorted((site / search.BUNDLES).iterdir()) if folder.is_dir()}


def test_an_unchanged_site_takes_over_every_bundle_without_making_a_document(tmp_path, previous):
    before = bundle_files(previous)
    loads = Loads()

    done = index(tmp_path, STORIES, previous, PER_BUNDLE, loads)

    assert done.indexed == [] and sorted(done.reused) == ["en", "hi", "hi-2"]
    assert loads.slugs == []  # a rebuild loads no article of an unchanged story
    assert bundle_files(tmp_path) == before
    assert bundle_files(previous) == before  # the previous site is still whole
    for name in ("bundles.json", search.PAGES_FILE):
        assert (tmp_path / search.BUNDLES / name).read_bytes() == (previous / search.BUNDLES / name).read_bytes()


def test_a_changed_story_re_indexes_only_its_bundle(tmp_path, previous):
    loads = Loads()
    done = index(tmp_path, STORIES | {"kazan": ("hi", "कज़ान में मंच", "तातारस्तान के साथ ऊर्जा")}, previous, PER_BUNDLE, loads)
    assert done.indexed == ["hi"] and sorted(done.reused) == ["en", "hi-2"]
    assert sorted(loads.slugs) == ["agra", "kazan", "lucknow", "tashkent"]  # the documents of its bundle


def test_a_story_made_anew_but_alike_re_indexes_nothing(tmp_path, previous):
    """A story whose seed or code changed, but whose document did not, leaves its bundle as it was."""
    remade = [search.Story(s.slug, s.number, s.added, s.made_from + "|again", s.load) for s in stories(STORIES)]
    done = search.index_stories(search.plan_pages(remade, SETTINGS, previous, PER_BUNDLE), tmp_path, SETTINGS,
                                previous, pages_per_bundle=PER_BUNDLE)
    assert done.indexed == [] and sorted(done.reused) == ["en", "hi", "hi-2"]


def test_a_new_story_re_indexes_only_the_bundle_it_lands_in(tmp_path, previous):
    loads = Loads()
    done = index(tmp_path, STORIES | {"delhi": ("hi", "दिल्ली में बैठक", "रक्षा सहयोग पर समझौता")}, previous, PER_BUNDLE, loads)

    assert len(done.indexed) == 1 and done.indexed[0].startswith("hi")
    assert sorted(done.reused) == ["en", "hi", "hi-2"]  # Delhi, the newest, opens a small bundle of its own
    assert loads.slugs == ["delhi"]
    assert "/stories/delhi/" in indexed_urls(tmp_path / search.BUNDLES / done.indexed[0])
    listed = json.loads((tmp_path / search.BUNDLES / "bundles.json").read_text())
    assert sum(entry["pages"] for entry in listed if entry["lang"] == "hi") == 6


def test_an_incomplete_previous_bundle_is_indexed_again(tmp_path, previous):
    broken = tmp_path / "previous"
    shutil.copytree(previous, broken)
    (broken / search.BUNDLES / "hi-2" / "pagefind.js").unlink()

    done = index(tmp_path / "site", STORIES, broken, PER_BUNDLE)

    assert done.indexed == ["hi-2"] and sorted(done.reused) == ["en", "hi"]
    assert (tmp_path / "site" / search.BUNDLES / "hi-2" / "pagefind.js").is_file()


def test_an_updated_site_keeps_its_unchanged_bundles_where_they_are(tmp_path, previous):
    site = tmp_path / "previous"
    shutil.copytree(previous, site)
    staging = tmp_path / "staging"
    pages_ = search.plan_pages(stories(STORIES), SETTINGS, site, PER_BUNDLE)

    done = search.index_stories(pages_, staging, SETTINGS, site, in_place=True, pages_per_bundle=PER_BUNDLE)

    assert done.indexed == [] and f"{search.BUNDLES}/hi/pagefind.js" in done.kept_files
    assert not (staging / search.BUNDLES / "hi").exists()


def test_a_previous_site_from_older_code_or_none_offers_nothing_to_take_over(tmp_path):
    old = tmp_path / "old"
    (old / search.BUNDLES).mkdir(parents=True)
    (old / search.BUNDLES / "bundles.json").write_text(json.dumps([{"bundle": "hi", "lang": "hi"}]))
    (old / search.BUNDLES / search.PAGES_FILE).write_text(json.dumps({"stories/a/index.html": ["hi", "abc"]}))
    assert search.previous_fingerprints(old) == {}
    assert search.previous_records(old) == {}
    assert search.previous_fingerprints(tmp_path / "missing") == search.previous_records(tmp_path / "missing") == {}
    assert search.previous_fingerprints(None) == search.previous_records(None) == {}


def test_a_story_whose_article_is_lost_is_left_out_as_its_post_is(tmp_path):
    from digest.model import SeedError

    def lost():
        raise SeedError("x.txt", "the store lost it and the seed is now empty")

    kept = stories({"forum": ("en", "Forum in Tashkent", "Delegates met")})
    planned = search.plan_pages([*kept, search.Story("gone", 2, ADDED, None, lost)], SETTINGS, None, PER_BUNDLE)
    assert [page.slug for page in planned] == ["forum"]
