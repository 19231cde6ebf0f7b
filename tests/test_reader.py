"""The digest's reader gives Pelican what Python-Markdown would, and reads our own posts directly."""

from __future__ import annotations

import copy
import datetime as dt
import random
from pathlib import Path

import pytest
from pelican.readers import MarkdownReader
from pelican.settings import DEFAULT_CONFIG

from conftest import ROOT
from digest import pipeline, post
from digest.bench_corpus import write_corpus
from digest.model import SeedError
from digest.reader import DigestReader, NotPlain

SEED_FOLDERS = [ROOT / "seeds", ROOT / "tests" / "devset" / "seeds", ROOT / "tests" / "holdout" / "seeds"]
HEADER = "Title: A story\nDate: 2025-10-16\nLang: en\nSummary: A summary\n\n"


@pytest.fixture(scope="module")
def readers() -> tuple[MarkdownReader, DigestReader]:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["MARKDOWN"] = {"extension_configs": {"markdown.extensions.meta": {}}, "output_format": "html5"}
    return MarkdownReader(settings), DigestReader(settings)


def written_posts() -> list[str]:
    """The posts post.py writes for the example, development and held-out seeds, and 300 synthetic ones."""
    texts = []
    for seed in sorted(p for folder in SEED_FOLDERS for p in folder.glob("*.txt")):
        try:
            article = pipeline.read_article(seed)
        except SeedError:
            continue
        texts.append(post.render_post(article, slug="a-story", added=dt.date(2025, 1, 2), updated=dt.date(2025, 1, 3)))
    return texts


def read_both(readers, tmp_path: Path, text: str) -> tuple[tuple, tuple]:
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    markdown, ours = readers
    return markdown.read(str(path)), ours.read(str(path))


def test_every_post_we_write_is_read_directly_and_as_markdown_reads_it(readers, tmp_path):
    write_corpus(tmp_path / "synthetic", 300)
    texts = written_posts() + [
        post.render_post(pipeline.read_article(seed), slug="s", added=dt.date(2025, 1, 2), updated=None)
        for seed in sorted((tmp_path / "synthetic").glob("*.txt")) if seed.stat().st_size > 200
    ]
    assert len(texts) > 400
    direct = 0
    for text in texts:
        markdown, ours = read_both(readers, tmp_path, text)
        assert ours == markdown
        try:
            readers[1]._read_plain(text)
            direct += 1
        except NotPlain:
            pass
    # Only a seed's own emphasis sends a post to Python-Markdown.
    assert direct >= 0.95 * len(texts)


@pytest.mark.parametrize(
    "body",
    [
        "Plain words, with (brackets), dots... and a #hash.\n",
        "Ampersands &amp; angles &lt;b&gt; as post.py writes them.\n",
        "Escapes: \\[link\\] \\`code\\` \\\\ back \\# \\! \\.\n",
        "2010\\. A year, not a list.\n\n\\- not an item\n\n\\## not a heading\n",
        "## A heading\n\nText.\n\n- one\n- **Label:** two\n\nAfter the list.\n",
        "हिन्दी में एक वाक्य। Русский текст.\n",
    ],
)
def test_plain_posts_are_read_directly(readers, tmp_path, body):
    markdown, ours = read_both(readers, tmp_path, HEADER + body)
    assert ours == markdown
    readers[1]._read_plain(HEADER + body)  # no NotPlain


@pytest.mark.parametrize(
    "body",
    [
        "Some *emphasis* and **strong** words.\n",
        "snake_case_words and _underscores_\n",
        "## Heading with closing hashes ##\n",
        "### A third-level heading\n",
        "1. an ordered item\n2. another\n",
        "- one\n\n- two, a loose list\n",
        "A\ttab.\n",
        "Raw <b>HTML</b> & a bare ampersand.\n",
        "An &copy; entity and a \\q backslash.\n",
        "Two lines\nin one paragraph.\n",
        "    indented code\n",
        "Trailing spaces  \n",
        "> a quote\n",
        "Text\n\n\n\nwith many blank lines.\n",
        "[a link](https://example.org)\n",
        "Header\n======\n",
    ],
)
def test_other_markdown_is_left_to_python_markdown(readers, tmp_path, body):
    with pytest.raises(NotPlain):
        readers[1]._read_plain(HEADER + body)
    markdown, ours = read_both(readers, tmp_path, HEADER + body)
    assert ours == markdown


@pytest.mark.parametrize(
    "header",
    [
        "Title: A\nTitle: B\n",  # a field twice
        "Title:  two spaces\n",
        "---\nTitle: A\n---\n",
        "Title: A\n    continued\n",
        "Tags: one, two\n",
        "Date: 16 October 2025\n",
    ],
)
def test_headers_outside_our_form_read_as_pelican_reads_them(readers, tmp_path, header):
    markdown, ours = read_both(readers, tmp_path, header + "\nText.\n")
    assert ours == markdown


def test_dates_are_pelicans_own(readers, tmp_path):
    markdown, ours = read_both(readers, tmp_path, "Date: 2025-10-16\nModified: 2025-11-01\n\nText.\n")
    assert ours == markdown
    assert type(ours[1]["date"]) is type(markdown[1]["date"])


# Pieces that Markdown acts on, alone or together, and plain text around them (more often).
PIECES = 6 * ["word ", "शब्द ", "слово "] + [
    "word", " ", "  ", "*", "**", "_", "\\", "\\*", "\\\\", "`", "#", "## ", "- ",
    "1. ", "2) ", "&amp;", "&lt;", "&gt;", "&", "&copy;", "<", ">", "[", "]", "(", ")", "!", ".", ":",
    "\n", "\n\n", "\t", "=", "|", "+", "\u00a0", "**Label:** ",
]


def test_random_text_is_read_as_markdown_reads_it(readers, tmp_path):
    """Whatever the body, either the direct path gives Markdown's result or it steps aside."""
    chosen = random.Random(20261202)
    direct = 0
    for _ in range(3000):
        body = "".join(chosen.choice(PIECES) for _ in range(chosen.randint(1, 14)))
        markdown, ours = read_both(readers, tmp_path, HEADER + body)
        assert ours == markdown, repr(body)
        try:
            readers[1]._read_plain(HEADER + body)
            direct += 1
        except NotPlain:
            pass
    assert direct > 100  # the direct path was tried, not only the fallback
