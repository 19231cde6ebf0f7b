"""Readable ASCII slugs: Hindi is transliterated the way Hindi is read, not letter by letter."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify, smart_truncate
from unidecode import unidecode

from .patterns import Pattern

MAX_SLUG = 64
_DEVANAGARI = Pattern(r"\p{Devanagari}")
# Anusvara sounds as the nasal of the consonant after it; at a word's end it is a nasal "n".
_ANUSVARA_LABIAL = Pattern(r"ṃ(?=[pbm])")
# Hindi drops the inherent vowel at the end of a word (schwa deletion): "eka" is read "ek".
_IAST_C = Pattern(r"ch|c")
_FINAL_SCHWA = Pattern(r"(?<=[^aāiīuūeoṛṝ\W][^aāiīuūeo\W]?)a\b")


def hindi_to_latin(text: str) -> str:
    """Word by word, each word once: titles share their words, and every rule below stays
    within a word, so a text reads as its words read one by one."""
    return " ".join(map(_word_to_latin, text.split(" ")))


@lru_cache(maxsize=100_000)
def _word_to_latin(word: str) -> str:
    # Imported here: loading its schemes took 0.07 s of every build, and only new Hindi seeds need it.
    from indic_transliteration import sanscript

    latin = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.IAST)
    latin = _ANUSVARA_LABIAL.sub("m", latin).replace("ṃ", "n").replace("ṁ", "n")
    latin = _FINAL_SCHWA.sub("", latin)
    # IAST c/ch are च/छ; English readers expect ch/chh, and sh for श and ष.
    latin = _IAST_C.sub(lambda m: "chh" if m.group() == "ch" else "ch", latin)
    latin = latin.replace("ś", "sh").replace("ṣ", "sh")
    return unidecode(latin)


# A slug cut to length should not end on a word that leads nowhere ("…-uzbekistan-and").
_DANGLING = frozenset(
    "a an and as at between by for from in of on or the to with "
    "aur ka ke ki ko men ne par se tak evam tatha "
    "i v na s so po dlya iz k o ob ot".split()
)


def make_slug(title: str, limit: int = MAX_SLUG) -> str:
    text = hindi_to_latin(title) if _DEVANAGARI.search(title) else title
    full = slugify(text, save_order=True)
    # What slugify(text, max_length=limit, word_boundary=True, save_order=True) gives, without
    # making the slug a second time.
    slug = smart_truncate(full, limit, word_boundary=True, separator="-", save_order=True)
    if slug != full:
        words = slug.split("-")
        while len(words) > 2 and words[-1] in _DANGLING:
            words.pop()
        slug = "-".join(words)
    return slug or "story"
