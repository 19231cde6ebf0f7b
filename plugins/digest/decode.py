"""Seed bytes to clean text: encoding, byte-order marks, mojibake, line endings and odd spaces."""

from __future__ import annotations

import codecs
import unicodedata

import ftfy
import regex
from charset_normalizer import from_bytes

MAX_SEED_BYTES = 1_000_000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Every Unicode space except the line break becomes a plain space; zero-width ones vanish.
_SPACES = regex.compile(r"[\p{Zs}\t\v\f]+")
_INVISIBLE = regex.compile(r"[\u200b\u2060\ufeff\u00ad]")
# Control characters that never occur in text an editor copied from a page.
_CONTROL = regex.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class DecodeError(ValueError):
    """The bytes are not a text seed; the message says why, for the editor."""


def decode_seed(raw: bytes, max_bytes: int = MAX_SEED_BYTES) -> str:
    """Return the seed as normalised text (NFC, LF line ends, single spaces, no trailing blanks)."""
    if len(raw) > max_bytes:
        raise DecodeError(
            f"too large: {len(raw):,} bytes, the limit is {max_bytes:,} bytes"
        )
    text = _to_unicode(raw)
    if _looks_binary(text):
        raise DecodeError("not a text file: it contains binary control characters")
    text = ftfy.fix_encoding(text)
    return normalise_text(text)


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _INVISIBLE.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip("\n") + "\n"


def _to_unicode(raw: bytes) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:
        raise DecodeError("not a text file: it contains NUL bytes and no UTF-16 byte-order mark")
    guess = from_bytes(raw, cp_isolation=["cp1251", "utf_16", "cp1252", "latin_1"]).best()
    if guess is None:
        raise DecodeError("unknown text encoding: neither UTF-8 nor a known legacy encoding")
    return str(guess)


def _looks_binary(text: str) -> bool:
    controls = len(_CONTROL.findall(text))
    return controls > 0 and controls * 100 > len(text) or "\x00" in text
