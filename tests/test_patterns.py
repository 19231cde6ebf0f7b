"""A Pattern finds what the same `regex` pattern finds; it only keeps the lock while it does.
ClassRuns find what `regex` finds, by `re` where it can."""

import random
import re

import pytest
import regex

from digest.patterns import ClassRuns, Pattern, bmp_class

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


def test_a_class_of_the_basic_plane_holds_what_regex_finds_there():
    plane = "".join(map(chr, range(0x10000)))
    for char_class in (r"[\p{L}\p{M}\p{N}]", r"[\p{P}\p{S}\s]"):
        assert re.findall(bmp_class(char_class), plane) == regex.findall(char_class, plane)


# Letters, marks, digits, punctuation, symbols and spaces of the three languages, joiners and
# controls, and characters beyond the Basic Multilingual Plane (emoji, maths letters).
MIXED = "aZ9 भारत्‍ ०१ Ёж\u00a0\u2009,.;:!?«»—-_/@#₹%°\u200c\u200d\u00ad\x1c\t\n😀𝐀𝟗\U00011b00"


@pytest.mark.parametrize("seed", range(200))
def test_class_runs_split_and_replace_as_regex_does(seed):
    draw = random.Random(seed)
    text = "".join(draw.choice(MIXED) for _ in range(draw.randint(0, 40)))
    if seed % 2:  # half of the texts within the basic plane, where `re` finds the runs
        text = "".join(c for c in text if c <= "\uffff")
    words = ClassRuns(r"[\p{L}\p{M}\p{N}]", capture=True)
    noise = ClassRuns(r"[\p{P}\p{S}\s]")
    assert words.split(text) == regex.split(r"([\p{L}\p{M}\p{N}]+)", text)
    assert noise.sub(" ", text) == regex.sub(r"[\p{P}\p{S}\s]+", " ", text)
