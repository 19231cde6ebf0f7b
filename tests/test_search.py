"""Search bundles: one Pagefind bundle per language, holding only the story pages."""

from __future__ import annotations

import json

from digest import search

PAGE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body lang="en"><nav>Countries Sectors</nav><article {marker} lang="{lang}"><h1>{title}</h1><p>{text}</p></article></body></html>"""


def write(site, path, lang, title, text, indexed=True):
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    marker = search.INDEXED if indexed else ""
    target.write_text(PAGE.format(lang=lang, title=title, text=text, marker=marker), encoding="utf-8")


def test_each_language_gets_a_bundle_of_its_own_stories(tmp_path):
    write(tmp_path, "stories/hi/index.html", "hi", "आगरा में बैठक", "रूस के प्रतिनिधि आगरा आए")
    write(tmp_path, "stories/ru/index.html", "ru", "Встреча в Казани", "Делегация Татарстана прибыла")
    write(tmp_path, "stories/en/index.html", "en", "Forum in Tashkent", "Delegates met in Tashkent")
    write(tmp_path, "countries/india/index.html", "en", "India", "a listing", indexed=False)

    assert search.index_site(tmp_path) == ["en", "hi", "ru"]

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
    assert {lang: len(pages) for lang, pages in found.items()} == {"hi": 2}


def test_a_site_without_stories_has_an_empty_language_list(tmp_path):
    assert search.index_site(tmp_path) == []
    assert json.loads((tmp_path / search.BUNDLES / "languages.json").read_text()) == []


def test_a_language_with_many_stories_is_split_into_several_bundles(tmp_path):
    for number in range(5):
        write(tmp_path, f"stories/hi-{number}/index.html", "hi", f"बैठक {number}", f"आगरा में बैठक संख्या {number}")
    write(tmp_path, "stories/en/index.html", "en", "Forum in Tashkent", "Delegates met in Tashkent")

    assert search.index_site(tmp_path, pages_per_bundle=2) == ["en", "hi"]

    bundles = tmp_path / search.BUNDLES
    listed = json.loads((bundles / "bundles.json").read_text())
    assert listed == [{"bundle": "en", "lang": "en"}, {"bundle": "hi", "lang": "hi"},
                      {"bundle": "hi-2", "lang": "hi"}, {"bundle": "hi-3", "lang": "hi"}]
    counts = [json.loads((bundles / b["bundle"] / "pagefind-entry.json").read_text())["languages"]["hi"]["page_count"]
              for b in listed if b["lang"] == "hi"]
    assert counts == [2, 2, 1]
