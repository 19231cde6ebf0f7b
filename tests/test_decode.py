"""Seed bytes in the encodings editors bring, and bytes that are not a seed at all."""

import codecs
import random
import unicodedata

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1251", how Windows tools misread)
import pytest
import regex
from ftfy.badness import is_bad

from digest.decode import MAX_LINE, DecodeError, _may_be_mojibake, break_long_line, decode_seed

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


@pytest.mark.parametrize(
    "raw",
    [b"", b"\n\n", " \t\u00a0\u2003\u3000\u200b\u202f\n\u2028\u2029\ufeff\n".encode(), "\u00a0\n \n".encode("utf-16")],
    ids=["no-bytes", "blank-lines", "unicode-spaces", "utf-16-spaces"],
)
def test_a_seed_of_nothing_but_spaces_is_empty(raw):
    with pytest.raises(DecodeError, match="^empty: "):
        decode_seed(raw)


def test_binary_is_told_by_its_control_characters_even_where_a_code_page_decodes_it():
    rng = random.Random(1)
    no_nul = bytes(b or 1 for b in rng.randbytes(4096))  # cp1251 and Latin-1 decode every byte of it
    with pytest.raises(DecodeError, match="not a text file: .* control characters"):
        decode_seed(no_nul)
    with pytest.raises(DecodeError, match="not a text file"):
        decode_seed(codecs.BOM_UTF16_LE + rng.randbytes(4096))


def test_too_large_is_refused_with_the_size_and_the_limit():
    with pytest.raises(DecodeError, match=r"^too large: 1,000,001 bytes, the limit is 1,000,000 bytes$"):
        decode_seed(b"x" * 1_000_001)


LONG = " ".join(["Copied text may carry a stray control character or two, and is still text."] * 3)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (f"A bell\x07 and an escape\x1b are dropped. {LONG}\n".encode(), f"A bell and an escape are dropped. {LONG}\n"),
        ("one\u2028two\u2029three\rfour\n".encode(), "one\ntwo\nthree\nfour\n"),
        ("one\r\r\ntwo\r\n\rthree".encode(), "one\n\ntwo\n\nthree\n"),  # CR LF is one line end, CR CR two
        ("a\u00a0b\t\tc  d \u2003 e \u200b\u00adf\n".encode(), "a b c d e f\n"),
        (b"\n\n  \nTitle: kept on line 4\n", "\n\n\nTitle: kept on line 4\n"),  # header errors count file lines
    ],
    ids=["controls", "separators", "carriage-returns", "space-runs", "leading-blank-lines"],
)
def test_stray_controls_go_and_line_breaks_are_unified(raw, expected):
    assert decode_seed(raw) == expected


# Every space that Unicode knows (its Zs characters, read off `regex`'s data), and tabs and feeds.
SPACES = regex.findall(r"[\p{Zs}\t\v\f]", "".join(map(chr, range(0x110000))))


@pytest.mark.parametrize("space", SPACES, ids=[f"U+{ord(s):04X}" for s in SPACES])
def test_any_space_between_words_becomes_one_plain_space(space):
    assert decode_seed(f"a{space}b and c {space} d\n".encode()) == "a b and c d\n"


# Letters that NFC composes, reorders or splits: a nukta after न (ऩ) or after ड (kept apart),
# the precomposed ड़ (split), marks out of order (virama before nukta), e + acute (é), Hangul
# jamo; each may stand at a line's or a word's start or end.
NFC_PIECES = ["न", "ड", "\u093c", "\u094d", "ड़", "e", "\u0301", "\u0323", "\u1100", "\u1161", "क", "a", "\n", " "]


@pytest.mark.parametrize("seed", range(200))
def test_text_comes_out_in_nfc_whatever_stands_at_its_line_breaks_and_spaces(seed):
    rng = random.Random(seed)
    text = "x" + "".join(rng.choice(NFC_PIECES) for _ in range(rng.randint(1, 40))) + "x"
    lines = unicodedata.normalize("NFC", text).split("\n")
    expected = "\n".join(" ".join(line.split()) for line in lines).rstrip("\n") + "\n"
    assert decode_seed(text.encode()) == expected


def test_a_page_run_together_on_one_line_is_broken_after_sentences():
    sentence = "India and Russia discussed trade and energy in Kazan. "
    line = sentence * (3 * MAX_LINE // len(sentence))
    lines = decode_seed(line.encode()).split("\n")[:-1]
    assert len(lines) >= 3 and all(len(piece) <= MAX_LINE for piece in lines)
    assert all(piece.endswith("Kazan.") for piece in lines)
    assert " ".join(lines) == line.strip()


def test_a_line_without_spaces_is_broken_between_letters():
    line = "भारतरूससहयोग" * (MAX_LINE // 4)
    pieces = list(break_long_line(line))
    assert "".join(pieces) == line and all(len(piece) <= MAX_LINE for piece in pieces)
    assert not any(unicodedata.category(piece[0]).startswith("M") for piece in pieces)


@pytest.mark.parametrize(
    "text",
    [
        "भारत और रूस ने “रणनीतिक साझेदारी” पर बात की —\u00a0नई दिल्ली, 16 अक्टूबर 2025…",
        "India’s ‘Make in India’ drive – talks in “New Delhi” · 2025",
        "В Москве «Росатом» и РЖД подписали договор № 12 — «Россия — Индия», при −5 °C…",
    ],
    ids=["hindi", "english", "russian"],
)
def test_text_with_no_sign_of_mojibake_skips_the_search_and_ftfy_agrees(text):
    assert not _may_be_mojibake(text) and not is_bad(text)


@pytest.mark.parametrize(
    "code_page",
    ["latin-1", "sloppy-windows-1252", "sloppy-windows-1251", "sloppy-windows-1250", "sloppy-windows-1253", "macroman", "cp437"],
)
@pytest.mark.parametrize("around", ["भारत {} रूस", "Россия «{}» № 5", "India {} Russia"], ids=["hindi", "russian", "english"])
def test_every_text_ftfy_takes_for_mojibake_is_searched(code_page, around):
    """UTF-8 misread with each code page ftfy knows, inside text of each language: the quick
    test never lets through what ftfy would fix."""
    rng = random.Random(code_page + around)
    letters = "àéüßçñœ€ЖжЯяΩω—“”’…«»№°\u00a0"
    bad = 0
    for _ in range(300):
        word = "".join(rng.choice(letters) for _ in range(rng.randint(1, 6)))
        text = around.format(word.encode("utf-8").decode(code_page, errors="replace"))
        if is_bad(text):
            bad += 1
            assert _may_be_mojibake(text), text
    assert bad > 100
