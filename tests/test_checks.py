"""The strict checks of a built site: every internal link resolves, every feed is valid, and
`invoke check` fails (keeping the previous output/) when either is not so."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican import signals

from digest import checks, commands

SITE_URL = "https://digest.example.org"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def page(*hrefs: str, src: str = "") -> str:
    links = "".join(f'<a href="{href}">x</a>' for href in hrefs)
    return f'<!doctype html><html><head><link rel="stylesheet" href="/theme/site.css"></head><body>{links}{src}</body></html>'


@pytest.fixture
def small_site(tmp_path) -> Path:
    return write(tmp_path, {
        "index.html": page("stories/a/", "stories/a/index.html#top", "countries/", "search/?q=x", "feeds/all.atom.xml"),
        "theme/site.css": "",
        "feeds/all.atom.xml": "",
        "countries/index.html": page("../", "россия/"),
        "countries/россия/index.html": page(),
        "stories/a/index.html": page(
            "../../", "#top", "", "mailto:editor@example.org", "https://elsewhere.org/x", "//cdn.example.com/y",
            "data:text/plain,hi", "tel:+100", "../../stories/a", f"{SITE_URL}/countries/", "%D1%80%D0%BE%D1%81%D1%81%D0%B8%D1%8F/",
            src='<img src="pic.png" srcset="pic.png 1x, pic@2x.png 2x">',
        ),
        "stories/a/россия/index.html": page(),
        "stories/a/pic.png": "",
        "stories/a/pic@2x.png": "",
        "search/index.html": page("../index.html"),
    })


def test_a_site_whose_links_all_resolve_has_no_broken_link(small_site):
    assert checks.broken_internal_links(small_site, SITE_URL) == []


@pytest.mark.parametrize(
    "href, target",
    [
        ("../missing/", "stories/missing/index.html"),
        ("/countries/china/", "countries/china/index.html"),
        ("nothing.html#part", "stories/b/nothing.html"),
        (f"{SITE_URL}/stories/gone/", "stories/gone/index.html"),
        ("../../../../../etc/passwd", "etc/passwd"),  # never above the site's root
    ],
)
def test_a_link_to_nothing_is_reported_with_its_page(small_site, href, target):
    write(small_site, {"stories/b/index.html": page(href)})
    assert checks.broken_internal_links(small_site, SITE_URL) == [
        f"stories/b/index.html: {href} -> {target} does not exist"
    ]


def test_a_missing_image_of_a_srcset_is_reported(small_site):
    (small_site / "stories" / "a" / "pic@2x.png").unlink()
    broken = checks.broken_internal_links(small_site)
    assert broken and all("pic@2x.png" in line for line in broken)


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>All</title><id>tag:digest.example.org,2026:all</id>
<updated>2026-11-24T00:00:00Z</updated><link href="https://digest.example.org/"/>
<entry><title>&lt;script&gt; as text</title><id>tag:digest.example.org,2026:a</id><updated>2026-11-24T00:00:00Z</updated>
<link href="https://digest.example.org/stories/a/"/><content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>
"""


@pytest.mark.parametrize(
    "text, reason",
    [
        (ATOM.replace("</feed>", ""), "not well-formed XML"),
        (ATOM.replace("&lt;script&gt;", "<b>"), "not well-formed XML"),
        (ATOM.replace("Body", "\x01"), "not well-formed XML"),  # a control character from a seed
        ('<?xml version="1.0"?><opml version="2.0"><body/></opml>', "neither an Atom nor an RSS feed"),
        ("<rss version='2.0'><channel><title>x</title><item><title>t</title></item></chanel></rss>", "not well-formed"),
    ],
    ids=["unclosed", "markup", "control-character", "not-a-feed", "mismatched-tag"],
)
def test_an_invalid_feed_is_reported_with_the_reason(tmp_path, text, reason):
    write(tmp_path, {"feeds/all.atom.xml": ATOM, "feeds/countries/india.atom.xml": text})
    problems = checks.invalid_feeds(tmp_path)
    assert len(problems) == 1
    assert problems[0].startswith("feeds/countries/india.atom.xml: ") and reason in problems[0]


def test_a_valid_atom_feed_passes(tmp_path):
    write(tmp_path, {"feeds/all.atom.xml": ATOM})
    assert checks.invalid_feeds(tmp_path) == []


def test_the_example_site_has_no_broken_link_and_only_valid_feeds(built_site):
    output = built_site / "output"
    assert checks.broken_internal_links(output, SITE_URL) == []
    assert checks.invalid_feeds(output) == []


# invoke check on real builds


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def checked_once(tmp_path, example_seeds):
    """The examples after one passing check: its output/ is what a failing check must keep."""
    run = dict(seeds=example_seeds, content=tmp_path / "content", output=tmp_path / "output")
    assert commands.check(**run) == 0
    return run, snapshot(tmp_path / "output")


def test_check_fails_on_a_broken_link_and_keeps_the_last_good_site(checked_once, capsys):
    run, before = checked_once
    write(run["content"], {"pages/help.md": "Title: Help\n\nSee [the guide](../guide/).\n"})
    capsys.readouterr()
    assert commands.check(**run) == 1
    out, err = capsys.readouterr()
    assert "✗ broken link: help/index.html: ../guide/ -> guide/index.html does not exist" in err
    assert "1 problems; output/ was left as it was" in out
    assert snapshot(run["output"]) == before


def test_check_fails_on_an_invalid_feed(checked_once, capsys):
    run, before = checked_once

    def spoil_a_feed(pelican):
        write(Path(pelican.output_path), {"feeds/spoiled.atom.xml": ATOM.replace("</feed>", "")})

    signals.finalized.connect(spoil_a_feed)
    try:
        assert commands.check(**run) == 1
    finally:
        signals.finalized.disconnect(spoil_a_feed)
    assert "✗ invalid feed: feeds/spoiled.atom.xml: not well-formed XML" in capsys.readouterr().err
    assert snapshot(run["output"]) == before
