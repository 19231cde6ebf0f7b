"""Seed bytes in the encodings editors bring, and bytes that are not a seed at all."""

import codecs

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1251", how Windows tools misread)
import pytest

from digest.decode import DecodeError, decode_seed

TEXT = "Сотрудничество России и Индии\n\nभारत और रूस के बीच सहयोग\n"
RUSSIAN = "Сотрудничество России и Индии\n\nМосква и Дели подписали соглашение.\n"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (TEXT.encode("utf-8"), TEXT),
        (codecs.BOM_UTF8 + TEXT.replace("\n", "\r\n").encode("utf-8"), TEXT),
        (TEXT.encode("utf-16"), TEXT),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
        (RUSSIAN.encode("utf-8").decode("sloppy-windows-1251").encode("utf-8"), None),
        ("A\u00a0line\u2003with spaces \n\u00a0\u00a0\nnext\n".encode("utf-8"), "A line with spaces\n\nnext\n"),
    ],
    ids=["utf-8", "bom-crlf", "utf-16", "cp1251", "mojibake", "odd-spaces"],
)
def test_encodings_come_out_as_clean_text(raw, expected):
    text = decode_seed(raw)
    if expected is None:  # mojibake: the Russian words are back
        assert "России" in text and "Москва" in text
    else:
        assert text == expected


@pytest.mark.parametrize(
    "raw, reason",
    [
        (bytes(range(256)) * 20, "not a text file"),
        (b"\x00\x01\x02binary\x00" * 100, "not a text file"),
        (b"x" * 2_000_001, "too large"),
    ],
    ids=["all-bytes", "nul-bytes", "too-large"],
)
def test_bytes_that_are_no_seed_are_refused_with_a_reason(raw, reason):
    with pytest.raises(DecodeError, match=reason):
        decode_seed(raw)
