"""A Pattern finds what the same `regex` pattern finds; it only keeps the lock while it does."""

import pytest
import regex

from digest.patterns import Pattern

TEXT = "भारत और रूस ने ऊर्जा, व्यापार में सहयोग बढ़ाया। India and Russia: 2,5 bn. Россия и Индия — партнёры!"
WORDS = r"[\p{L}\p{M}\p{N}]+"


@pytest.mark.parametrize(
    "call",
    [
        lambda p: p.search(TEXT).span(),
        lambda p: p.search(TEXT, 20).span(),
        lambda p: p.match(TEXT).group(),
        lambda p: p.fullmatch("सहयोग") is not None,
        lambda p: p.findall(TEXT),
        lambda p: [m.span() for m in p.finditer(TEXT)],
        lambda p: p.split(TEXT),
        lambda p: p.split(TEXT, 3),
        lambda p: p.sub("_", TEXT),
        lambda p: p.sub(lambda m: m.group().upper(), TEXT, 2),
    ],
)
def test_pattern_matches_as_regex_does(call):
    assert call(Pattern(WORDS)) == call(regex.compile(WORDS))


def test_pattern_keeps_source_and_flags():
    pattern = Pattern(r"(?:and|и)\s+", regex.IGNORECASE)
    assert pattern.pattern == r"(?:and|и)\s+"
    assert pattern.flags & regex.IGNORECASE
    assert pattern.findall("India AND Russia, Индия И Россия") == ["AND ", "И "]
