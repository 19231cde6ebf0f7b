"""Seed bytes to clean text: encoding, byte-order marks, mojibake, line endings and odd spaces.

Whatever the bytes, the work is linear in their length: a seed over MAX_SEED_BYTES is refused
(by its size, before the file is read), and a line over MAX_LINE characters (a page's text run together, copied
without its line breaks) is broken at sentence ends, so no later stage, nor Markdown, ever
works on one huge paragraph.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterator

import ftfy
import regex
from charset_normalizer import from_bytes

MAX_SEED_BYTES = 1_000_000
# Longer than any paragraph of the example and development seeds (at most ~1,400 characters).
MAX_LINE = 2_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_LINE_BREAKS = regex.compile(r"\r\n?|[\u2028\u2029]")
# Every Unicode space except the line break becomes a plain space; zero-width ones vanish
# (but not the zero-width joiners, which Devanagari spelling needs).
_SPACES = regex.compile(r"[\p{Zs}\t\v\f]+")
_INVISIBLE = regex.compile(r"[\u200b\u2060\ufeff\u00ad]")
# Control characters that never occur in text an editor copied from a page.
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# What is left of them in a text seed is dropped: HTML shows nothing for them and XML
# (the feeds) cannot hold them at all.
_STRAY = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# A binary file is told by its share of control characters (and undecodable bytes).
BINARY_SHARE = 0.01
_SENTENCE_ENDS = (". ", "! ", "? ", "। ", "… ", "; ")


class DecodeError(ValueError):
    """The bytes are not a text seed; the message says why, for the editor."""


def decode_seed(raw: bytes, max_bytes: int = MAX_SEED_BYTES) -> str:
    """Return the seed as normalised text (NFC, LF line ends, single spaces, no trailing blanks)."""
    refuse_too_large(len(raw), max_bytes)
    if not raw:
        raise DecodeError("empty: the file has no bytes")
    text = _to_unicode(raw)
    _refuse_binary(text)
    text = normalise_text(ftfy.fix_encoding(text))
    if not text.strip():
        raise DecodeError("empty: the seed holds only spaces and blank lines")
    return text


def refuse_too_large(size: int, max_bytes: int = MAX_SEED_BYTES) -> None:
    """Called with the file's size before it is read, so a huge file never fills the memory."""
    if size > max_bytes:
        raise DecodeError(f"too large: {size:,} bytes, the limit is {max_bytes:,} bytes")


def normalise_text(text: str) -> str:
    """NFC, LF line ends, single plain spaces, no control characters, no line over MAX_LINE.

    Blank lines at the top are kept, so that line numbers (in header errors) are the file's.
    """
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _STRAY.sub("", _INVISIBLE.sub("", text))
    lines = [piece for line in text.split("\n") for piece in break_long_line(_SPACES.sub(" ", line).strip())]
    return "\n".join(lines).rstrip("\n") + "\n"


def break_long_line(line: str, limit: int = MAX_LINE) -> Iterator[str]:
    """The line in pieces of at most `limit` characters, ended after a sentence where one ends."""
    start = 0
    while len(line) - start > limit:
        end = _break_point(line, start, limit)
        yield line[start:end].rstrip()
        start = end
        while start < len(line) and line[start] == " ":
            start += 1
    yield line[start:]


def _break_point(line: str, start: int, limit: int) -> int:
    end, floor = start + limit, start + limit // 2
    sentence = max(line.rfind(mark, floor, end) for mark in _SENTENCE_ENDS)
    if sentence >= 0:
        return sentence + 1
    space = line.rfind(" ", floor, end)
    if space >= 0:
        return space
    # No space at all: cut between two letters, never before a vowel sign or a virama.
    while end > floor and (unicodedata.category(line[end]).startswith("M") or line[end] in "\u200c\u200d"):
        end -= 1
    return end


def _to_unicode(raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    # Legacy code pages (cp1251, Latin-1) decode any bytes at all, so a binary file is told
    # by its control bytes before any encoding is guessed; Latin-1 maps each byte to one character.
    _refuse_binary(raw.decode("latin-1"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(raw, cp_isolation=["cp1251", "utf_16", "cp1252", "latin_1"]).best()
    if guess is None:
        raise DecodeError("unknown text encoding: neither UTF-8 nor a known legacy encoding")
    return str(guess)


def _refuse_binary(text: str) -> None:
    if "\x00" in text:
        raise DecodeError(
            "not a text file: it contains NUL bytes (if it is UTF-16 text, save it with a byte-order mark or as UTF-8)"
        )
    odd = len(_CONTROL.findall(text)) + text.count("\ufffd")
    if odd > len(text) * BINARY_SHARE:
        raise DecodeError(
            f"not a text file: {odd:,} of its {len(text):,} characters are binary control characters "
            "or undecodable bytes"
        )
