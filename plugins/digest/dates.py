"""Full dates in Hindi, English and Russian text: which line states when the article appeared.

A date counts only with its day, month and year. A day and month alone ("11 जुलाई",
"CAIRO, Sept. 18 (Xinhua)") never borrows a year from the build; it takes one only from the
same short line ("Thursday 16 October | 2025").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import regex

from .datafiles import read_table
from .patterns import Pattern

_LETTER = r"[\p{L}\p{M}]"
_TIME = Pattern(r"(?<!\d)\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?!\d)")
_WORDS = Pattern(r"[\p{L}\p{M}]+(?:\.[\p{L}\p{M}]+)*|\d+")
_DIGIT = Pattern(r"\d")  # every date has one: a line without any is no date, and is not scanned for one
_YEAR = Pattern(r"(?<![\p{L}\p{M}\p{N}])(?:19|20|21)\d\d(?![\p{L}\p{M}\p{N}])")
_NUMERIC = Pattern(
    r"""(?x)(?<![\d.])
    (?: (?P<y1>\d{4})(?P<s1>[-./])(?P<m1>\d{1,2})(?P=s1)(?P<d1>\d{1,2})
        (?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?  # an ISO 8601 time
      | (?P<d2>\d{1,2})(?P<s2>[-./])(?P<m2>\d{1,2})(?P=s2)(?P<y2>\d{4}) )
    (?![\d])"""
)
# The place of a dateline or a date line: "लखनऊ, ", "BAKU, Azerbaijan, ", "CAIRO (Reuters), ".
_PLACE = Pattern(r"^(?:[\p{L}\p{M} .'/-]{2,40}(?:\s*\([^)]{1,30}\))?\s*[,|]\s*){1,2}$")
# What may follow a dateline's date before the story starts: "года", then an agency ("(Xinhua)",
# "/ТАСС/") or a colon, a dash, a full stop or the Hindi danda, or both.
_OPENS_STORY = Pattern(
    r"^\s*(?:г\.?|года)?\s*(?:(?:\([^)]{1,40}\)|/[^/]{1,30}/)\s*(?:--|[:—–\-.।])?|--|[:—–\-.।])\s*"
)
# An agency-style dateline in capitals, dated or not: "HARBIN — ", "CAIRO, Sept. 18 (Xinhua) -- ".
_CAPITAL_DATELINE = Pattern(
    r"^(?=\p{Lu}{2})[\p{Lu}\p{M} .'/-]{2,40}(?:,[^.!?।—–:\n]{1,50}?)?\s*(?:—|–|--|:)\s+"
)


@dataclass(frozen=True)
class _Tables:
    full: tuple[Pattern, ...]
    partial: tuple[Pattern, ...]
    months: dict[str, int]
    noise: frozenset[str]  # labels, prepositions, time zones, weekdays
    bylines: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    months = {form.casefold(): int(number) for number, form in read_table("months.tsv")}
    names = "|".join(sorted(map(regex.escape, months), key=len, reverse=True))
    month = rf"(?P<month>{names})\.?(?!{_LETTER})"
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
    year = r"(?P<year>\d{4})(?!\d)"
    start = r"(?<![\p{L}\p{M}\p{N}])"
    full = (
        Pattern(rf"(?i){start}{day}(?:\s+of)?[\s\-]*{month},?[\s\-]+{year}"),
        Pattern(rf"(?i){start}{month}\s+{day},?\s+{year}"),
    )
    partial = (
        Pattern(rf"(?i){start}{day}(?:\s+of)?[\s\-]*{month}"),
        Pattern(rf"(?i){start}{month}\s+{day}(?!\d)"),
    )
    noise, bylines = set(), []
    for kind, form in read_table("date_words.tsv"):
        if kind == "byline":
            bylines.append(tuple(form.casefold().split()))
        else:
            noise.add(form.casefold().rstrip("."))
    return _Tables(full, partial, months, frozenset(noise), tuple(bylines))


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every full date (day, month and year) in the text, with its span, in order."""
    if not _DIGIT.search(text):
        return []
    tables = _tables()
    found: list[tuple[dt.date, int, int]] = []
    for pattern in tables.full:
        for match in pattern.finditer(text):
            _append(found, match["year"], tables.months[match["month"].casefold()], match["day"], match.span())
    for match in _NUMERIC.finditer(text):
        if match["y1"]:
            _append(found, match["y1"], match["m1"], match["d1"], match.span())
        else:
            day, month = int(match["d2"]), int(match["m2"])
            if month > 12 >= day:  # 03/14/2025: only the American order makes sense
                day, month = month, day
            _append(found, match["y2"], month, day, match.span())
    found.sort(key=lambda item: item[1])
    return _without_overlaps(found)


def _append(found: list, year, month, day, span: tuple[int, int]) -> None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return
    if 1900 <= date.year <= 2200:
        found.append((date, *span))


def _without_overlaps(found: list[tuple[dt.date, int, int]]) -> list[tuple[dt.date, int, int]]:
    kept: list[tuple[dt.date, int, int]] = []
    for item in found:
        if not kept or item[1] >= kept[-1][2]:
            kept.append(item)
    return kept


def _partial_with_year(line: str) -> list[tuple[dt.date, int, int]]:
    """A day and month plus a year elsewhere on the same short line: the date, at both spans."""
    tables = _tables()
    partials = [m for pattern in tables.partial for m in pattern.finditer(line)]
    years = list(_YEAR.finditer(line))
    if len(partials) != 1 or len(years) != 1:
        return []
    match, year = partials[0], years[0]
    found: list[tuple[dt.date, int, int]] = []
    _append(found, year.group(), tables.months[match["month"].casefold()], match["day"], match.span())
    if found:
        found.append((found[0][0], *year.span()))
    return sorted(found, key=lambda item: item[1])


def _is_noise(text: str) -> bool:
    """Only labels, weekdays, times, time zones and punctuation: nothing that a sentence needs."""
    words = _WORDS.findall(_TIME.sub(" ", text))
    return all(word.casefold().rstrip(".") in _tables().noise for word in words)


def _is_byline(text: str) -> bool:
    words = [w.casefold() for w in _WORDS.findall(text)]
    for form in _tables().bylines:
        if tuple(words[: len(form)]) == form and len(words) - len(form) <= 4:
            return True
    return False


def date_of_line(line: str) -> dt.date | None:
    """The date of a line that states only a date, with perhaps a time, labels, a place or a byline."""
    if len(line) > 120 or not _DIGIT.search(line):
        return None
    found = find_dates(line) or _partial_with_year(line)
    if not found or len({date for date, _, _ in found}) > 2:  # "Published: … | Updated: …" at most
        return None
    before = line[: found[0][1]]
    ends = [end for _, _, end in found]
    starts = [start for _, start, _ in found[1:]] + [len(line)]
    after = " ".join(line[end:start] for end, start in zip(ends, starts))
    if not _is_noise(after):
        return None
    if _is_noise(before) or _PLACE.match(before) or _is_byline(before.rstrip(" |,·—–-")):
        return found[0][0]
    return None


def dateline_date(paragraph: str) -> dt.date | None:
    """The date of a dateline opening a paragraph: "लखनऊ, 16 अक्टूबर 2025: …"."""
    dates = find_dates(paragraph[:100])
    if not dates:
        return None
    date, start, end = dates[0]
    before, after = paragraph[:start], paragraph[end:]
    if _OPENS_STORY.match(after) and (not before.strip() or _PLACE.match(before)):
        return date
    return None


def dateline_length(paragraph: str) -> int:
    """How many characters of a paragraph's start are its dateline (place, date, agency), or 0."""
    capital = _CAPITAL_DATELINE.match(paragraph)
    if capital:
        return capital.end()
    for pattern in (*_tables().full, *_tables().partial):
        match = pattern.search(paragraph[:100])
        opens = match and _OPENS_STORY.match(paragraph[match.end() :])
        if opens and _PLACE.match(paragraph[: match.start()]):
            return match.end() + opens.end()
    return 0
