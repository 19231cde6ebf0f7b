"""The Markdown post: seed text stays text, structure becomes Markdown, bytes are stable."""

import datetime as dt

import markdown
import pytest

from digest.model import Article, Block
from digest.post import escape_markdown, render_body, render_post


def html(text: str) -> str:
    return markdown.markdown(text, output_format="html5")


@pytest.mark.parametrize(
    "text, shown",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[click](javascript:alert(1))", "[click](javascript:alert(1))"),
        ("# not a heading", "# not a heading"),
        ("2010. not a list", "2010. not a list"),
        ("AT&amp;T", "AT&amp;amp;T"),
        ("**bold** stays", "<strong>bold</strong> stays"),
    ],
)
def test_seed_text_renders_as_the_same_text(text, shown):
    out = html(escape_markdown(text))
    assert out == f"<p>{shown}</p>"


def test_structure_becomes_markdown():
    body = render_body((
        Block("paragraph", "First."),
        Block("heading", "A heading"),
        Block("item", "text one", label="2010"),
        Block("item", "text two", label="2014"),
    ))
    assert body == "First.\n\n## A heading\n\n- **2010:** text one\n- **2014:** text two\n"


def test_post_header_names_its_seed_first_and_is_stable():
    article = Article(
        seed="x.txt", title="T", standfirst=None, date=None, date_source="added", lang="en", source=None,
        blocks=(Block("paragraph", "Body."),), parties=("IN", "RU"), mentions=(), sectors=("energy",),
        fingerprint="f", title_slug="t",
    )
    first = render_post(article, slug="t", added=dt.date(2026, 1, 2), updated=dt.date(2026, 1, 2))
    assert first.startswith("Seed: x.txt\nTitle: T\nDate: 2026-01-02\nDate-Source: added\n")
    assert first == render_post(article, slug="t", added=dt.date(2026, 1, 2), updated=dt.date(2026, 1, 2))
