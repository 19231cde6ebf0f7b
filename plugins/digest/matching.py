"""Unicode-correct words and phrase look-up for Hindi, English and Russian.

Python's `re` splits Devanagari words at vowel signs and the virama, so words here are runs of
letters, marks and digits (`regex` with \\p{M}). Russian words are compared by their pymorphy3
lemmas, so России, Россией and Россия are one word; Hindi spelling variants (nukta, chandrabindu,
candra-o) are folded so that कज़ान and कजान, मॉस्को and मास्को meet, and keyword tables may also
compare Hindi words by a light stem (इकाई, इकाइयां).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial, wraps
from itertools import accumulate, compress, count
from typing import Generic, NamedTuple, TypeVar

from .patterns import ClassRuns, Pattern

_WORD_CLASS = r"[\p{L}\p{M}\p{N}]"
_WORD = Pattern(f"{_WORD_CLASS}+")
_CYRILLIC = Pattern(r"\p{Cyrillic}")
_DEVANAGARI = Pattern(r"\p{Devanagari}")
# Hindi inflections after folding (chandrabindu -> anusvara), longest first: plural and oblique
# endings of nouns (-ों, -ें, -ियां, -इयों, -ाओं) and of adjectives (-ा, -े, -ी).
_HINDI_SUFFIXES = (
    "ियां", "ियों", "इयां", "इयों", "ाएं", "ाओं", "ुओं", "ूओं",
    "ों", "ें", "ां", "ीं", "ाए", "ए", "ई", "े", "ा", "ी",
)
STEM_MARK = "~"  # marks a Hindi stem among a word's forms, so only stemmed tables compare it
# Spelling variants that meet: nukta, chandrabindu and candra-o in Hindi, ё in Russian, and the dot
# that casefold leaves on a Turkish İ ("İzmir" -> "i̇zmir").
_FOLDS = str.maketrans(
    {"\u093c": None, "\u0901": "\u0902", "\u0949": "\u093e", "\u0911": "\u0906", "ё": "е", "\u0307": None}
)
WILDCARD = "*"
MIN_LEMMA_SCORE = 0.02  # pymorphy3's probability below which a reading is too rare to count

Payload = TypeVar("Payload")
Key = TypeVar("Key")
Value = TypeVar("Value")


class Words(NamedTuple):
    """A text's words, as lists side by side: the i-th word is texts[i], at starts[i]:ends[i].
    Lists rather than an object per word: a seed has hundreds of words, and making an object
    for each was about a fifth of tagging's time."""

    texts: list[str]  # as written
    forms: list[frozenset[str]]  # folded form, plausible Russian lemmas, or marked Hindi stem
    starts: list[int]  # character offsets in the text
    ends: list[int]


def fold(word: str) -> str:
    # NFC splits precomposed nukta letters (U+095B ज़ -> ज + ़), so the fold can drop the nukta.
    return unicodedata.normalize("NFC", word).casefold().translate(_FOLDS)


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def word_forms(key: str) -> frozenset[str]:
    """The folded word and its plausible lemmas: pymorphy3's first guess is often odd ("парке" ->
    "парка", "газу" -> "газа"), so every normal form it proposes counts, except the far-fetched
    ones ("после" as a form of "посол", "того" as the country Того)."""
    if not _CYRILLIC.search(key):
        return frozenset(filter(None, (key, hindi_stem(key))))
    weights: dict[str, float] = defaultdict(float)
    for parse in _morph().parse(key):
        weights[fold(parse.normal_form)] += parse.score
    return frozenset({key, *(form for form, weight in weights.items() if weight >= MIN_LEMMA_SCORE)})


@lru_cache(maxsize=200_000)
def hindi_stem(key: str) -> str:
    """A Hindi word without its inflection (कंपनियां, कंपनियों -> कंपन), marked with STEM_MARK.

    Hindi has no lemmatiser here; the gazetteer lists its inflected forms, but keyword tables are
    matched on these stems, so उत्पादन इकाइयां meets उत्पादन इकाई. Only Devanagari words have one.
    """
    if not _DEVANAGARI.search(key):
        return ""
    for suffix in _HINDI_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return STEM_MARK + key[: -len(suffix)]
    return STEM_MARK + key


@lru_cache(maxsize=200_000)
def lemma(key: str) -> str:
    """The dictionary form of a table's word (tables write nominatives, so the first guess)."""
    if not _CYRILLIC.search(key):
        return key
    return fold(_morph().parse(key)[0].normal_form)


class Memo(dict[Key, Value]):
    """work_out(key) for each key, worked out the first time the key is met. A look-up is then
    one dictionary access, where calling an `lru_cache` function also packs its argument and
    reorders its entries. With a `limit`, it is emptied when full, so that it cannot grow
    without end."""

    __slots__ = ("_work_out", "_limit")

    def __init__(self, work_out: Callable[[Key], Value], limit: int | None = None) -> None:
        super().__init__()
        self._work_out = work_out
        self._limit = limit

    def __missing__(self, key: Key) -> Value:
        if self._limit is not None and len(self) >= self._limit:
            self.clear()
        found = self[key] = self._work_out(key)
        return found


def _forms_of(word: str) -> frozenset[str]:
    return word_forms(fold(word))


# A written word's forms by spelling, worked out once: texts repeat their words.
_FORMS_BY_SPELLING: Memo[str, frozenset[str]] = Memo(_forms_of, limit=200_000)


_WORDS_AND_GAPS = ClassRuns(_WORD_CLASS, capture=True)


def tokenize(text: str) -> Words:
    """The text's words and their offsets, without a line of Python per word (text and gaps
    split apart, offsets added up, forms looked up by `map`): a per-word loop was a fifth of
    detection's time."""
    parts = _WORDS_AND_GAPS.split(text)  # gap, word, gap, word, …, gap
    ends = list(accumulate(map(len, parts)))
    texts = parts[1::2]
    return Words(texts, list(map(_FORMS_BY_SPELLING.__getitem__, texts)), ends[0::2], ends[1::2])


@dataclass(frozen=True)
class Entry(Generic[Payload]):
    payload: Payload
    exact: str | None = None  # the form must be written exactly so ("US", "IT")
    capitalised: bool = False  # a proper name: must start with a capital in Latin or Cyrillic
    hyphen_follows: bool = False  # a combining form: "Sino" in "Sino-Russian"


class Match(NamedTuple, Generic[Payload]):
    entry: Entry[Payload]
    first: int  # word index
    last: int  # word index, inclusive
    start: int  # character offsets in the text
    end: int


# Match's own constructor is Python code; tuple's, given the fields in order, is not, and a
# long text has thousands of matches.
_new_match = partial(tuple.__new__, Match)


@dataclass(frozen=True)
class _Phrase(Generic[Payload]):
    words: tuple[frozenset[str], ...]  # the forms each word may take
    stem: str | None  # a last word given as "stem*"
    entry: Entry[Payload]
    size: int  # in words, the stem included

    def fits(self, forms: frozenset[str]) -> bool:
        """Whether a one-word phrase is this word: its forms, or a form that starts with the stem."""
        if self.stem is None:
            return not self.words[0].isdisjoint(forms)
        return any(form.startswith(self.stem) for form in forms)

    def follows(self, forms: list[frozenset[str]], index: int) -> bool:
        """Whether the words after the first one, which is known to fit, come next."""
        if index + self.size > len(forms):
            return False
        for offset in range(1, len(self.words)):
            if self.words[offset].isdisjoint(forms[index + offset]):
                return False
        if self.stem is not None:
            return any(form.startswith(self.stem) for form in forms[index + len(self.words)])
        return True


class _Start(NamedTuple, Generic[Payload]):
    """The phrases that may start at a word with given forms, longest first."""

    phrases: tuple[_Phrase[Payload], ...]
    # The forms one of which the next word must have for a phrase of several words to fit; None
    # when one may fit without checking them (a word and a stem). Most words that start phrases
    # start longer ones ("के" starts "के रास्ते" and a dozen others), or are a name of one word
    # that also starts longer names ("भारत", "भारत सरकार"): the next word rules the longer ones
    # out at once.
    seconds: frozenset[str] | None
    singles: tuple[_Phrase[Payload], ...]  # the phrases of this one word
    # The singles' entries, found with no look at the text when none asks how it is written
    # (most Hindi names and keywords; none when there are no singles); None otherwise.
    entries: tuple[Entry[Payload], ...] | None


class PhraseTable(Generic[Payload]):
    """Phrases of one or more words, found longest first; a final `*` matches any word ending.

    Phrases are indexed by the forms of their first word (or the first letters of a lone stem).
    What may start at a word depends only on its forms, and texts repeat their words, so it is
    worked out once per set of forms: on most words a look-up is then one dictionary access.
    """

    def __init__(self, hindi_stems: bool = False) -> None:
        self._by_first: dict[str, list[_Phrase[Payload]]] = defaultdict(list)
        self._lone_stems: dict[str, list[_Phrase[Payload]]] = defaultdict(list)
        # What may start at each set of forms; an empty tuple (falsy) where nothing does.
        self._starting = Memo(self._phrases_starting)
        # Keywords may meet Hindi words by stem; names may not (चीनी "sugar" has the stem of चीन).
        self.hindi_stems = hindi_stems

    def __getstate__(self) -> dict:
        # What starts at each set of forms is worked out again as texts are read: kept, it would
        # only make a saved table larger.
        return {**self.__dict__, "_starting": None}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._starting = Memo(self._phrases_starting)

    def add(self, form: str, entry: Entry[Payload]) -> None:
        words = [fold(word) for word in _WORD.findall(form)]
        if not words:
            return
        stem = words.pop() if form.rstrip().endswith(WILDCARD) else None
        phrase = _Phrase(tuple(self._forms(w) for w in words), stem, entry, len(words) + (stem is not None))
        if words:
            for first in phrase.words[0]:
                self._by_first[first].append(phrase)
        else:
            self._lone_stems[stem[:2]].append(phrase)
        self._starting.clear()

    def _forms(self, word: str) -> frozenset[str]:
        forms = {word, lemma(word)}
        if self.hindi_stems and hindi_stem(word):
            forms.add(hindi_stem(word))
        return frozenset(forms)

    def find(self, text: str, words: Words | None = None) -> list[Match[Payload]]:
        """Non-overlapping matches, left to right, the longest phrase winning at each word."""
        words = tokenize(text) if words is None else words
        forms, starts, ends = words.forms, words.starts, words.ends
        starting = list(map(self._starting.__getitem__, forms))
        found: list[Match[Payload]] = []
        free = 0  # the first word not inside a phrase found already
        last = len(forms) - 1
        # Most words start no phrase: only those that may are visited.
        for index in compress(count(), starting):
            if index < free:
                continue
            start = starting[index]
            seconds = start.seconds
            if seconds is None or (seconds and index < last and not seconds.isdisjoint(forms[index + 1])):
                phrases = start.phrases
            elif start.entries is not None:
                found += [_new_match((entry, index, index, starts[index], ends[index])) for entry in start.entries]
                free = index + 1
                continue
            else:
                phrases = start.singles
            matches = self._longest_at(text, words, index, phrases)
            if matches:
                found += matches
                free = matches[0].last + 1
        return found

    def _phrases_starting(self, forms: frozenset[str]) -> _Start[Payload] | tuple[()]:
        """The phrases that may start at a word with these forms, longest first, each once; a
        one-word phrase only if it is this word. Among equals, the order of the index is kept."""
        candidates = [phrase for form in forms for phrase in self._by_first.get(form, ())]
        for prefix in {form[:2] for form in forms}:
            candidates += self._lone_stems.get(prefix, ())
        candidates = [phrase for phrase in candidates if phrase.size > 1 or phrase.fits(forms)]
        if not candidates:
            return ()
        phrases = tuple(sorted(dict.fromkeys(candidates), key=lambda phrase: -phrase.size))
        longer = [phrase for phrase in phrases if phrase.size > 1]
        singles = tuple(phrase for phrase in phrases if phrase.size == 1)
        seconds = (
            None if any(len(phrase.words) < 2 for phrase in longer)
            else frozenset().union(*(phrase.words[1] for phrase in longer))
        )
        entries = None
        if all(_unconditional(phrase.entry) for phrase in singles):
            entries = tuple(dict.fromkeys(phrase.entry for phrase in singles))
        return _Start(phrases, seconds, singles, entries)

    def _longest_at(
        self, text: str, words: Words, index: int, phrases: tuple[_Phrase[Payload], ...]
    ) -> list[Match[Payload]]:
        entries: list[Entry[Payload]] = []
        size = 0
        for phrase in phrases:
            if phrase.size < size:
                break
            if phrase.size > 1 and not phrase.follows(words.forms, index):
                continue
            if _acceptable(phrase.entry, text, words, index, index + phrase.size - 1):
                entries.append(phrase.entry)
                size = phrase.size
        if not entries:
            return []
        if len(entries) > 1:  # each entry once; most words find one, and hashing an entry is slow
            entries = list(dict.fromkeys(entries))
        last = index + size - 1
        start, end = words.starts[index], words.ends[last]
        return [_new_match((entry, index, last, start, end)) for entry in entries]


def _unconditional(entry: Entry) -> bool:
    """Whether the entry is found whatever the case of its words and whatever follows them."""
    return entry.exact is None and not entry.capitalised and not entry.hyphen_follows


def _acceptable(entry: Entry, text: str, words: Words, first: int, last: int) -> bool:
    """Whether the words first to last (indexes) are written as the entry needs."""
    if entry.exact is not None and text[words.starts[first] : words.ends[last]] != entry.exact:
        return False
    if entry.capitalised and words.texts[first][:1].islower():
        return False
    end = words.ends[last]
    if entry.hyphen_follows and text[end : end + 1] not in ("-", "‐", "–"):
        return False
    return True


def needs_exact_case(form: str) -> bool:
    """Short all-capital abbreviations (US, UK, IT, LNG) differ from the words they spell."""
    letters = form.replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper() and letters.isascii()


def build_table(rows: Iterable[tuple[str, Entry[Payload]]], hindi_stems: bool = False) -> PhraseTable[Payload]:
    table: PhraseTable[Payload] = PhraseTable(hindi_stems)
    for form, entry in rows:
        table.add(form, entry)
    return table


# This process's detection tables, by the name of the function that builds each.
_TABLES: dict[str, PhraseTable] = {}


def shared_table(build: Callable[[], PhraseTable[Payload]]) -> Callable[[], PhraseTable[Payload]]:
    """A table built once per process, unless an earlier build's copy was adopted (see
    adopt_tables): the gazetteer alone means lemmatising thousands of names."""
    name = f"{build.__module__}.{build.__qualname__}"

    @wraps(build)
    def table() -> PhraseTable[Payload]:
        found = _TABLES.get(name)
        if found is None:
            found = _TABLES[name] = build()
        return found

    return table


def built_tables() -> dict[str, PhraseTable]:
    """The tables this process has, to be kept for the next build of the same code."""
    return dict(_TABLES)


def adopt_tables(tables: dict[str, PhraseTable]) -> None:
    """Use tables an earlier build of the same code made, where this process has none yet."""
    for name, table in tables.items():
        if isinstance(table, PhraseTable):
            _TABLES.setdefault(name, table)
