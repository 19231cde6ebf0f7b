"""Unicode-correct words and phrase look-up for Hindi, English and Russian.

Python's `re` splits Devanagari words at vowel signs and the virama, so words here are runs of
letters, marks and digits (`regex` with \\p{M}). Russian words are compared by their pymorphy3
lemma, so России, Россией and Россия are one word; Hindi spelling variants (nukta, chandrabindu,
candra-o) are folded so that कज़ान and कजान, मॉस्को and मास्को meet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

import regex

_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_CYRILLIC = regex.compile(r"\p{Cyrillic}")
_HINDI_FOLDS = str.maketrans({"\u093c": None, "\u0901": "\u0902", "\u0949": "\u093e", "\u0911": "\u0906", "ё": "е"})
WILDCARD = "*"

Payload = TypeVar("Payload")


@dataclass(frozen=True)
class Token:
    text: str  # as written
    key: str  # folded surface form
    lemma: str  # folded dictionary form (Russian), else the key
    start: int
    end: int


def fold(word: str) -> str:
    return word.casefold().translate(_HINDI_FOLDS)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemma(key: str) -> str:
    if not _CYRILLIC.search(key):
        return key
    return fold(_morph().parse(key)[0].normal_form)


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _WORD.finditer(text):
        key = fold(match.group())
        tokens.append(Token(match.group(), key, lemma(key), match.start(), match.end()))
    return tokens


@dataclass(frozen=True)
class Entry(Generic[Payload]):
    payload: Payload
    exact: str | None = None  # the form must be written exactly so ("US", "IT")
    capitalised: bool = False  # a proper name: must start with a capital in Latin or Cyrillic
    hyphen_follows: bool = False  # a combining form: "Sino" in "Sino-Russian"


@dataclass(frozen=True)
class Match(Generic[Payload]):
    entry: Entry[Payload]
    first: int  # token index
    last: int  # token index, inclusive
    start: int  # character offsets in the text
    end: int


class PhraseTable(Generic[Payload]):
    """Phrases of one or more words, found longest first; a final `*` matches any word ending."""

    def __init__(self) -> None:
        self._exact: dict[tuple[str, ...], list[Entry[Payload]]] = defaultdict(list)
        self._stems: dict[str, list[tuple[tuple[str, ...], str, Entry[Payload]]]] = defaultdict(list)
        self.longest = 1

    def add(self, form: str, entry: Entry[Payload]) -> None:
        words = [fold(word) for word in _WORD.findall(form)]
        if not words:
            return
        wildcard = form.rstrip().endswith(WILDCARD)
        self.longest = max(self.longest, len(words))
        if wildcard:
            *head, stem = [lemma(w) for w in words[:-1]] + [words[-1]]
            self._stems[(head[0] if head else stem)[:2]].append((tuple(head), stem, entry))
        else:
            self._exact[tuple(lemma(w) for w in words)].append(entry)
            surface = tuple(words)
            if surface != tuple(lemma(w) for w in words):
                self._exact[surface].append(entry)

    def find(self, text: str, tokens: list[Token] | None = None) -> Iterator[Match[Payload]]:
        """Non-overlapping matches, left to right, the longest phrase winning at each word."""
        tokens = tokenize(text) if tokens is None else tokens
        index = 0
        while index < len(tokens):
            found = self._longest_at(text, tokens, index)
            if found:
                yield from found
                index = found[0].last + 1
            else:
                index += 1

    def _longest_at(self, text: str, tokens: list[Token], index: int) -> list[Match[Payload]]:
        for size in range(min(self.longest, len(tokens) - index), 0, -1):
            span = tokens[index : index + size]
            candidates = self._exact.get(tuple(t.lemma for t in span), []) + (
                self._exact.get(tuple(t.key for t in span), []) if any(t.key != t.lemma for t in span) else []
            )
            candidates += self._stem_candidates(span)
            matches = [
                Match(entry, index, index + size - 1, span[0].start, span[-1].end)
                for entry in dict.fromkeys(candidates)
                if _acceptable(entry, text, span)
            ]
            if matches:
                return matches
        return []

    def _stem_candidates(self, span: list[Token]) -> list[Entry[Payload]]:
        head, last = span[:-1], span[-1]
        first = (head[0].lemma if head else last.key)[:2]
        found = []
        for stem_head, stem, entry in self._stems.get(first, ()):
            if len(stem_head) == len(head) and all(t.lemma == w for t, w in zip(head, stem_head)):
                if last.key.startswith(stem) or last.lemma.startswith(stem):
                    found.append(entry)
        return found


def _acceptable(entry: Entry, text: str, span: list[Token]) -> bool:
    written = text[span[0].start : span[-1].end]
    if entry.exact is not None and written != entry.exact:
        return False
    if entry.capitalised and span[0].text[:1].islower():
        return False
    if entry.hyphen_follows and text[span[-1].end : span[-1].end + 1] not in ("-", "‐", "–"):
        return False
    return True


def needs_exact_case(form: str) -> bool:
    """Short all-capital abbreviations (US, UK, IT, LNG) differ from the words they spell."""
    letters = form.replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper() and letters.isascii()


def build_table(rows: Iterable[tuple[str, Entry[Payload]]]) -> PhraseTable[Payload]:
    table: PhraseTable[Payload] = PhraseTable()
    for form, entry in rows:
        table.add(form, entry)
    return table
