"""Article -> the Markdown post Pelican reads: metadata header, then the body, byte-stable.

Seed text is text: everything that Markdown or HTML would act on (tags, links, headings,
entities) is escaped here, so a `<script>` in a seed shows as text wherever the post goes.
Only the seed's own **bold** and *italic* survive as Markdown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re


from .extract import cut_at_word
from .model import Article, Block
from .patterns import Pattern

SUMMARY_LIMIT = 280
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# ASCII characters, found by the standard library's `re` quicker than by `regex`: escaping a
# paragraph of the bench seeds took 2.7-3.3 against 4.7 µs, and a full build escapes each twice.
_INLINE_SPECIALS = re.compile(r"[\\`\[\]&<>]")
_LINE_START = Pattern(r"^(\s*)([#>+\-=|]|\d+(?=[.)]\s))")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders to the same text (emphasis markers kept)."""
    text = _INLINE_SPECIALS.sub(lambda m: _HTML.get(m.group(), "\\" + m.group()), text)
    return _escape_line_start(text)


def _escape_line_start(text: str) -> str:
    match = _LINE_START.match(text)
    if not match:
        return text
    marker = match.group(2)
    if marker.isdigit():
        # "2010. …" would become an ordered list item: escape the dot after the number.
        after = match.end()
        return text[:after] + "\\" + text[after:]
    return text[: match.start(2)] + "\\" + text[match.start(2) :]


def _metadata_value(text: str) -> str:
    return " ".join(text.split())


def render_body(blocks: tuple[Block, ...]) -> str:
    parts: list[str] = []
    previous = None
    for block in blocks:
        text = escape_markdown(block.text)
        if block.kind == "heading":
            parts.append(f"## {text}")
        elif block.kind == "item":
            label = f"**{escape_markdown(block.label)}:** " if block.label else ""
            line = f"- {label}{text}"
            if previous == "item":
                parts[-1] += "\n" + line
            else:
                parts.append(line)
        else:
            parts.append(text)
        previous = block.kind
    return "\n\n".join(parts) + "\n"


def summary_of(article: Article) -> str:
    if article.standfirst:
        return article.standfirst
    first = next((b.text for b in article.blocks if b.kind == "paragraph"), article.title)
    return cut_at_word(first, SUMMARY_LIMIT)


def render_post(
    article: Article, *, slug: str, added: dt.date, updated: dt.date | None, body: str | None = None
) -> str:
    """The post's Markdown. `updated` is None when computing the content hash; `body` is the
    already rendered body, so that hashing and writing a post render it once."""
    date = article.date or added
    fields = [
        ("Seed", article.seed),
        ("Title", article.title),
        ("Date", date.isoformat()),
        ("Date-Source", article.date_source),
        ("Added", added.isoformat()),
        ("Modified", updated.isoformat() if updated else None),
        ("Lang", article.lang),
        ("Slug", slug),
        ("Countries", ", ".join(article.parties)),
        ("Mentions", ", ".join(article.mentions)),
        ("Sectors", ", ".join(article.sectors)),
        ("Source", article.source),
        ("Standfirst", article.standfirst),
        ("Summary", escape_markdown(summary_of(article))),
        ("Fingerprint", article.fingerprint),
    ]
    header = "".join(f"{key}: {_metadata_value(value)}\n" for key, value in fields if value)
    return f"{header}\n{render_body(article.blocks) if body is None else body}"


def content_hash(article: Article, *, slug: str, added: dt.date, body: str | None = None) -> str:
    text = render_post(article, slug=slug, added=added, updated=None, body=body)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
