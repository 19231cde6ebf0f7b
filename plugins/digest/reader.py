"""Posts in the plain Markdown that post.py writes are read without running Python-Markdown.

Python-Markdown spends about 1.6 ms on a post (its inline patterns try every position of every
line): at 10,000 new posts that was a fifth of a full build. post.py writes a small, fixed part
of Markdown: one `Key: value` line per field, a blank line, then paragraphs, `## ` headings and
`- ` lists, each block on its own lines, with every character Markdown would act on escaped.
For that part the HTML follows from the text alone: a block's text is unescaped and written as
HTML. A post or a summary holding anything else (emphasis, a tab, raw HTML, a hand-written page
in fuller Markdown) is read by Python-Markdown exactly as before, so Pelican gets the same
content and metadata either way (tests/test_reader.py compares the two readers).
"""

from __future__ import annotations

import re
from html import escape

from pelican.readers import MarkdownReader
from pelican.utils import SafeDatetime, pelican_open

# A header line as the meta extension reads it, in the one form post.py writes.
FIELD = re.compile(r"([A-Za-z0-9_-]+): (\S.*)")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
ORDERED_ITEM = re.compile(r"\d+[.)]\s")
LABELLED_ITEM = re.compile(r"\*\*([^*]+):\*\* (.+)")  # "- **label:** text", as post.py writes it
# Characters that start something in Markdown or that its whitespace normalisation changes.
ACTIVE = re.compile(r"[*_`<>\[\]\t\r\x02\x03]")
# Markdown's backslash escapes (Markdown.ESCAPED_CHARS), and the entities post.py writes.
ESCAPED_CHARS = frozenset("\\`*_{}[]()>#+-.!")
INLINE_TOKEN = re.compile(r"\\(.?)|&(amp|lt|gt);|&")
ENTITIES = {"amp": "&amp;", "lt": "&lt;", "gt": "&gt;"}


class NotPlain(Exception):
    """The text uses more Markdown than post.py writes: Python-Markdown reads it."""


class DigestReader(MarkdownReader):
    """Pelican's Markdown reader, with a direct path for the posts the digest writes."""

    def read(self, source_path):
        with pelican_open(source_path) as text:
            pass
        try:
            return self._read_plain(text)
        except NotPlain:
            return super().read(source_path)

    def _read_plain(self, text: str) -> tuple[str, dict]:
        header, separator, body = text.partition("\n\n")
        if not separator:
            raise NotPlain
        fields: dict[str, str] = {}
        for line in header.split("\n"):
            found = FIELD.fullmatch(line)
            if not found or found.group(1).lower() in fields:
                raise NotPlain
            fields[found.group(1).lower()] = found.group(2).strip()
        content = plain_html(body)
        return content, {name: self._field(name, value) for name, value in fields.items()}

    def _field(self, name: str, value: str):
        if name in self.settings["FORMATTED_FIELDS"]:
            return self.process_metadata(name, plain_html(value))
        if name in ("date", "modified"):
            iso = ISO_DATE.fullmatch(value)
            if iso:  # what Pelican's get_date makes of a plain ISO date, without dateutil
                return SafeDatetime(*map(int, iso.groups()))
        return self.process_metadata(name, value)


def plain_html(markdown: str) -> str:
    """The HTML Python-Markdown makes of `markdown`, which must be blocks as post.py writes them;
    NotPlain otherwise."""
    blocks = markdown.strip("\n").split("\n\n")
    parts = []
    previous_list = False
    for block in blocks:
        lines = block.split("\n")
        if block.startswith("- "):
            if previous_list:  # two lists with a blank line between are one loose list
                raise NotPlain
            items = [_item(line) for line in lines]
            parts.append("<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>")
        elif len(lines) != 1:
            raise NotPlain
        elif block.startswith("## "):
            title = block[3:]
            if title.endswith("#"):  # closing hashes are dropped by Markdown
                raise NotPlain
            parts.append(f"<h2>{_inline(title)}</h2>")
        elif block[:1] in ("#", "=", "-", "+", "|") or ORDERED_ITEM.match(block):
            raise NotPlain  # post.py escapes what would start another block: not its text
        else:
            parts.append(f"<p>{_inline(block)}</p>")
        previous_list = block.startswith("- ")
    return "\n".join(parts)


def _item(line: str) -> str:
    """A list item's HTML: its text, after its label in bold when it has one."""
    if not line.startswith("- "):
        raise NotPlain
    labelled = LABELLED_ITEM.fullmatch(line, 2)
    if labelled:
        return f"<strong>{_inline(labelled.group(1))}:</strong> {_inline(labelled.group(2))}"
    return _inline(line[2:])


def _inline(text: str) -> str:
    if not text or text != text.strip() or "  " in text:
        raise NotPlain
    pieces, start = [], 0
    for token in INLINE_TOKEN.finditer(text):
        pieces.append(_plain(text[start : token.start()]))
        escaped, entity = token.group(1), token.group(2)
        if entity:
            pieces.append(ENTITIES[entity])
        elif escaped in ESCAPED_CHARS:
            pieces.append(escape(escaped, quote=False))
        else:  # a bare '&', or a backslash Markdown keeps
            raise NotPlain
        start = token.end()
    pieces.append(_plain(text[start:]))
    return "".join(pieces)


def _plain(text: str) -> str:
    if ACTIVE.search(text):
        raise NotPlain
    return text


def use_digest_reader(readers) -> None:
    """`readers_init`: Markdown files are read by DigestReader."""
    for extension in DigestReader.file_extensions:
        readers.reader_classes[extension] = DigestReader
