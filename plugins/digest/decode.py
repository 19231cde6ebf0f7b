"""Seed bytes to clean text: encoding, byte-order marks, mojibake, line endings and odd spaces.

Whatever the bytes, the work is linear in their length: a seed over MAX_SEED_BYTES is refused
(by its size, before the file is read), and a line over MAX_LINE characters (a page's text run together, copied
without its line breaks) is broken at sentence ends, so no later stage, nor Markdown, ever
works on one huge paragraph.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import repeat
from re import _constants as re_constants  # to read ftfy's regex (see _mojibake_signs)
from re import _parser as re_parser
from typing import NamedTuple

import ftfy
import ftfy.badness
from charset_normalizer import from_bytes

from .patterns import Pattern

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

_NUKTA = "\u093c"
# Line ends other than LF; a CR LF pair is one line end.
_LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029")
# Every run of Unicode spaces except the line break becomes one plain space. The pattern skips
# the runs that are one plain space already, most of them, so that they need no rewriting.
_SPACES = Pattern(r" [\p{Zs}\t\v\f]+|(?! )[\p{Zs}\t\v\f]+")
# A quicker search that tells whether _SPACES has anything to rewrite (most seeds are spaced
# plainly): two spaces in a row, or a space other than the plain one. `re`'s \s holds every
# \p{Zs}; the line breaks and control characters it also holds are gone by then.
_ODD_SPACE = re.compile(r"[^\S \n]")
# Control characters that never occur in text an editor copied from a page. This class and
# _DROPPED name code points only, so they are the standard library's: `re` looks for a class of
# code points through a whole text several times faster than `regex`.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# Dropped: the zero-width characters (but not the zero-width joiners, which Devanagari spelling
# needs), and what is left of the control characters in a text seed (HTML shows nothing for
# them and XML, the feeds, cannot hold them at all).
_DROPPED = re.compile(r"[\u200b\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# A binary file is told by its share of control characters (and undecodable bytes).
BINARY_SHARE = 0.01
_SENTENCE_ENDS = (". ", "! ", "? ", "। ", "… ", "; ")
# Characters that good seeds hold often: the letters of Russian and Hindi, punctuation (quotes,
# «»), and the signs news texts write numbers with.
_COMMON_IN_SEEDS = Pattern(r"[А-яЁё\p{Devanagari}\p{P}№°]")


class DecodeError(ValueError):
    """The bytes are not a text seed; the message says why, for the editor."""


def decode_seed(raw: bytes, max_bytes: int = MAX_SEED_BYTES) -> str:
    """Return the seed as normalised text (NFC, LF line ends, single spaces, no trailing blanks)."""
    refuse_too_large(len(raw), max_bytes)
    if not raw:
        raise DecodeError("empty: the file has no bytes")
    text = _to_unicode(raw)
    _refuse_binary(text)
    if _may_be_mojibake(text):
        text = ftfy.fix_encoding(text)
    text = normalise_text(text)
    if not text.strip():
        raise DecodeError("empty: the seed holds only spaces and blank lines")
    return text


def _may_be_mojibake(text: str) -> bool:
    """False only for a text that ftfy.fix_encoding would return unchanged, told cheaply.

    ftfy searches the whole text for any of its mojibake patterns, which costs more than all
    the rest of decoding (0.66 ms for a Russian seed of the bench corpus). Each pattern needs,
    at some place, one of a few characters of the code pages that UTF-8 is misread with (Ã, Ð,
    €, Ђ, …), or two such places in a row; a text with none of them (most seeds in any of the
    three languages) matches none of the patterns, and is left as it is.
    """
    signs = _mojibake_signs()
    if signs is None:
        return True
    # One search for a character that every sign needs; then each sign, in the few texts left.
    return signs.needed.search(text) is not None and any(sign.search(text) for sign in signs.each)


class _Signs(NamedTuple):
    needed: re.Pattern  # a character class: every sign holds one of its characters
    each: tuple[re.Pattern, ...]  # a match of any of ftfy's patterns holds a match of one of these


@lru_cache(maxsize=1)
def _mojibake_signs() -> _Signs | None:
    """What every pattern of ftfy's badness regex needs somewhere: for each alternative, its
    rarest place, or a pair of places when even the rarest one is common in good seeds (the
    Windows-1251 patterns: their places are Russian letters or quotes). Read from the regex
    itself, so an upgrade of ftfy cannot make it wrong; None (search every text) if the regex
    is not a list of alternatives that each have such a place."""
    pattern = ftfy.badness.BADNESS_RE
    try:
        if pattern.flags & re.IGNORECASE:
            return None
        [(operation, (_, alternatives))] = list(re_parser.parse(pattern.pattern, pattern.flags))
        if operation is not re_constants.BRANCH:
            return None
        signs = [_sign([_place_chars(item) for item in alternative]) for alternative in alternatives]
    except (ValueError, TypeError, AttributeError):  # another Python's regex internals
        return None
    if None in signs:
        return None
    alone = set().union(*(sign[0] for sign in signs if len(sign) == 1))
    pairs = {tuple(sign) for sign in signs if len(sign) == 2}
    # Each pattern on its own, starting with a character class: `re` then skips through the
    # text to that class's characters, where one pattern of alternatives tries each at every place.
    each = [_char_class(alone), *sorted(_char_class(first) + _char_class(second) for first, second in pairs)]
    needed = alone.union(*(min(pair, key=_commonness) for pair in pairs))
    return _Signs(re.compile(_char_class(needed)), tuple(map(re.compile, each)))


def _sign(places: list[set[str] | None]) -> tuple[frozenset[str], ...] | None:
    """The places of one alternative that any match needs: its rarest non-ASCII place, joined
    by its rarer neighbour when that place is common in good seeds."""
    rare = [i for i, chars in enumerate(places) if chars and min(map(ord, chars)) > 0x7F]
    if not rare:
        return None
    best = min(rare, key=lambda i: _commonness(places[i]))
    neighbours = [i for i in (best - 1, best + 1) if 0 <= i < len(places) and places[i]]
    if not _commonness(places[best])[0] or not neighbours:
        return (frozenset(places[best]),)
    other = min(neighbours, key=lambda i: _commonness(places[i]))
    return frozenset(places[min(best, other)]), frozenset(places[max(best, other)])


def _char_class(chars: Iterable[str]) -> str:
    return "[" + "".join(map(re.escape, sorted(chars))) + "]"


def _commonness(chars: frozenset[str]) -> tuple[int, int]:
    """How many of a place's characters good seeds hold often; of equals, a small set is the rarer."""
    return len(_COMMON_IN_SEEDS.findall("".join(chars))), len(chars)


def _place_chars(item: tuple) -> set[str] | None:
    """The characters a place of a parsed regex may hold: a literal or a plain character class;
    None for anything else (a repeat, a group, a negated class, \\w)."""
    operation, argument = item
    if operation is re_constants.LITERAL:
        return {chr(argument)}
    if operation is not re_constants.IN:
        return None
    chars: set[str] = set()
    for kind, value in argument:
        if kind is re_constants.LITERAL:
            chars.add(chr(value))
        elif kind is re_constants.RANGE:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return chars


def refuse_too_large(size: int, max_bytes: int = MAX_SEED_BYTES) -> None:
    """Called with the file's size before it is read, so a huge file never fills the memory."""
    if size > max_bytes:
        raise DecodeError(f"too large: {size:,} bytes, the limit is {max_bytes:,} bytes")


def normalise_text(text: str) -> str:
    """NFC, LF line ends, single plain spaces, no control characters, no line over MAX_LINE.

    Blank lines at the top are kept, so that line numbers (in header errors) are the file's.
    """
    text = "\n".join(map(_nfc, text.split("\n")))
    for line_break in _LINE_BREAKS:
        text = text.replace(line_break, "\n")
    # No run of spaces spans a line break, so the whole text is done at once.
    text = _DROPPED.sub("", text)
    if "  " in text or _ODD_SPACE.search(text):
        text = _SPACES.sub(" ", text)
    lines = [piece for line in text.split("\n") for piece in break_long_line(line.strip())]
    return "\n".join(lines).rstrip("\n") + "\n"


def _nfc(line: str) -> str:
    """The line in NFC. Asking first is quicker for most lines: the answer is read off their
    characters. Normalising line by line gives the whole text's NFC, since nothing combines
    across a line break (Hindi seeds: 0.11 against 0.22 ms).

    Where a Hindi nukta stands, the answer is not read off the characters: `is_normalized`
    normalises the text it is asked about to compare. Nothing combines across a space either,
    so each word is asked alone, and only the words with a nukta are normalised to be compared
    (the bench seeds: 0.06 against 0.15 ms a seed)."""
    if _NUKTA in line:
        normal = all(map(unicodedata.is_normalized, repeat("NFC"), line.split(" ")))
    else:
        normal = unicodedata.is_normalized("NFC", line)
    return line if normal else unicodedata.normalize("NFC", line)


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
    # by its control bytes before any encoding is guessed.
    _refuse_binary_bytes(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(raw, cp_isolation=["cp1251", "utf_16", "cp1252", "latin_1"]).best()
    if guess is None:
        raise DecodeError("unknown text encoding: neither UTF-8 nor a known legacy encoding")
    return str(guess)


def _refuse_binary(text: str) -> None:
    _refuse_odd("\x00" in text, len(_CONTROL.findall(text)) + text.count("\ufffd"), len(text))


def _refuse_binary_bytes(raw: bytes) -> None:
    """As _refuse_binary on the bytes read as Latin-1 (one character per byte), without decoding."""
    _refuse_odd(b"\x00" in raw, len(raw) - len(raw.translate(None, _CONTROL_BYTES)), len(raw))


def _refuse_odd(has_nul: bool, odd: int, size: int) -> None:
    if has_nul:
        raise DecodeError(
            "not a text file: it contains NUL bytes (if it is UTF-16 text, save it with a byte-order mark or as UTF-8)"
        )
    if odd > size * BINARY_SHARE:
        raise DecodeError(
            f"not a text file: {odd:,} of its {size:,} characters are binary control characters "
            "or undecodable bytes"
        )
