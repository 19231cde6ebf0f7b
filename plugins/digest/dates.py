"""Full dates in Hindi, English and Russian text: which line states when the article appeared."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import regex

from .datafiles import read_table

# A date line may carry a time, a zone, a weekday and words like "Updated:"; nothing else.
_DATE_LINE_NOISE = regex.compile(
    r"""(?ix)
    \b\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|ist|msk|utc|gmt))?\b
    | \b(?:updated|published|posted|last\s+updated|on|ist|msk|utc|gmt|am|pm)\b
    | \b(?:опубликовано|обновлено|г|года)\b
    | (?:प्रकाशित|अपडेट|तारीख|दिनांक)
    | \b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b
    | \b(?:понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)\b
    | (?:सोमवार|मंगलवार|बुधवार|गुरुवार|शुक्रवार|शनिवार|रविवार)
    | [\p{P}\p{S}\s|]+
    """
)

# "लखनऊ, 16 अक्टूबर 2025:" / "NEW DELHI, March 3, 2025 —": a place, a date, then the story.
_DATELINE_PLACE = regex.compile(r"^[\p{L}\p{M} .'-]{2,40},\s*$")


@lru_cache(maxsize=1)
def _patterns() -> tuple[regex.Pattern, regex.Pattern, dict[str, int]]:
    months: dict[str, int] = {}
    for number, form in read_table("months.tsv"):
        months[form.casefold()] = int(number)
    names = "|".join(sorted(map(regex.escape, months), key=len, reverse=True))
    day_first = regex.compile(
        rf"(?i)(?<![\p{{L}}\p{{N}}])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<month>{names})\.?,?\s+(?P<year>\d{{4}})(?!\d)"
    )
    month_first = regex.compile(
        rf"(?i)(?<![\p{{L}}\p{{N}}])(?P<month>{names})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)"
    )
    return day_first, month_first, months


_NUMERIC = regex.compile(
    r"(?<![\d.])(?:(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})|(?P<day2>\d{1,2})[./](?P<month2>\d{1,2})[./](?P<year2>\d{4}))(?![\d])"
)


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every full date (day, month and year) in the text, with its span, in order."""
    day_first, month_first, months = _patterns()
    found: list[tuple[dt.date, int, int]] = []
    for pattern in (day_first, month_first):
        for match in pattern.finditer(text):
            month = months[match["month"].casefold()]
            _append(found, match["year"], month, match["day"], match.span())
    for match in _NUMERIC.finditer(text):
        if match["year"]:
            _append(found, match["year"], match["month"], match["day"], match.span())
        else:
            _append(found, match["year2"], match["month2"], match["day2"], match.span())
    found.sort(key=lambda item: item[1])
    return found


def _append(found: list, year, month, day, span: tuple[int, int]) -> None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return
    if 1900 <= date.year <= 2200:
        found.append((date, *span))


def date_of_line(line: str) -> dt.date | None:
    """The date of a line that states only a date (with perhaps a time and a label)."""
    dates = find_dates(line)
    if len(dates) != 1:
        return None
    date, start, end = dates[0]
    rest = line[:start] + " " + line[end:]
    return date if not _DATE_LINE_NOISE.sub("", rest) else None


def dateline_date(paragraph: str) -> dt.date | None:
    """The date of a dateline opening a paragraph: "लखनऊ, 16 अक्टूबर 2025: …"."""
    dates = find_dates(paragraph[:80])
    if not dates:
        return None
    date, start, end = dates[0]
    before, after = paragraph[:start], paragraph[end:]
    opens_story = regex.match(r"^\s*(?:г\.|года)?\s*(?:\([^)]{1,40}\))?\s*[:—–-]", after)
    if opens_story and (not before.strip() or _DATELINE_PLACE.match(before)):
        return date
    return None
