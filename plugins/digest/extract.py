"""Clean seed text to an Extracted article: headline, standfirst, date, language, source and body.

The editor's header block (Title:, Date:, …) is read here too, and validated, because it is
part of the seed's text; applying it over detection is the pipeline's job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache

import regex

from . import dates, junk
from .datafiles import read_table
from .model import Block, Extracted, Overrides
from .patterns import Pattern

TITLE_LIMIT = 100
_FINAL_PUNCTUATION = tuple(".!?।…;:,")
_SENTENCE_END = Pattern(r"(?<=[.!?।])\s+(?=[\p{Lu}\p{Lo}\"“«(\d])")
_BULLET = Pattern(r"^(?:[-•*–·▪►]|\d{1,2}[.)])\s+(?P<text>\S.*)$")
_LABELLED = Pattern(r"^(?P<label>[^:,;.!?।()\[\]]{1,50}?)\s*:\s+(?P<text>\S.*)$")
_SPEECH = Pattern(r"(?i)\b(?:said|says|told|according|added|noted|stated)\b")

HEADER_KEYS = ("title", "date", "countries", "sectors", "lang", "source")
_HEADER_LINE = Pattern(r"^(?P<key>[A-Za-z]+)\s*:\s*(?P<value>.*)$")


class HeaderError(ValueError):
    """A header block that cannot be trusted; the message names the line."""


def split_header(
    text: str, known_countries: Iterable[str], known_sectors: Iterable[str]
) -> tuple[Overrides, str]:
    """Separate the optional correction block at the top of a seed from the article text.

    The block is a run of `Key: value` lines with known keys, first in the seed (blank lines
    before it are allowed), ended by a blank line. Errors give the line's number in the file.
    A copied page may itself start with "Source: Reuters" and then its headline: one known line
    followed by plain text is no header, and the whole text is the article.
    """
    lines = text.split("\n")
    first = next((index for index, line in enumerate(lines) if line), len(lines))
    values: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines[first:], start=first + 1):
        if not line:
            end = number
            break
        match = _HEADER_LINE.match(line)
        key = match["key"].casefold() if match else None
        if key not in HEADER_KEYS:
            # Two header lines, or a header line and another `Key:` line, are meant as a header.
            if values and (match or len(values) >= 2):
                raise HeaderError(
                    f"header line {number}: expected one of "
                    f"{', '.join(k.title() + ':' for k in HEADER_KEYS)} or a blank line, got {line[:60]!r}"
                )
            return Overrides(), text
        if key in values:
            raise HeaderError(f"header line {number}: {match['key']}: is given twice")
        values[key] = (number, match["value"].strip())
        if not values[key][1]:
            raise HeaderError(f"header line {number}: {match['key']}: has no value")
    else:
        if not values:
            return Overrides(), text
        raise HeaderError(f"header line {number}: the header block must end with a blank line, then the article")
    overrides = _parse_overrides(values, set(known_countries), set(known_sectors))
    return overrides, "\n".join(lines[end:])


def _parse_overrides(values: dict[str, tuple[int, str]], countries: set[str], sectors: set[str]) -> Overrides:
    """The header's values checked and typed; `values` maps each key to (line number, text)."""

    def codes(key: str, noun: str, known: set[str], upper: bool, hint: str) -> tuple[str, ...] | None:
        if key not in values:
            return None
        number, text = values[key]
        items = [item.strip() for item in text.split(",") if item.strip()]
        items = [item.upper() if upper else item.casefold() for item in items]
        unknown = [item for item in items if item not in known]
        if unknown:
            raise HeaderError(f"header line {number}: unknown {noun} {', '.join(unknown)} ({hint})")
        return tuple(sorted(set(items)))

    title = values["title"][1] if "title" in values else None
    if title is not None and len(title) > TITLE_LIMIT:
        raise HeaderError(
            f"header line {values['title'][0]}: Title: has {len(title)} characters, the limit is {TITLE_LIMIT}"
        )
    date = None
    if "date" in values:
        number, text = values["date"]
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            date = dates.date_of_line(text)  # "16 October 2025", "16.10.2025" are as clear
        if date is None:
            raise HeaderError(
                f"header line {number}: Date: must be a full date such as 2025-10-16, got {text!r}"
            )
    lang = values["lang"][1].casefold() if "lang" in values else None
    if lang is not None and not regex.fullmatch(r"[a-z]{2}", lang):
        raise HeaderError(
            f"header line {values['lang'][0]}: Lang: must be a two-letter code like hi, en, ru, got {lang!r}"
        )
    return Overrides(
        title=title,
        date=date,
        countries=codes("countries", "country", countries, True, "Countries: takes ISO codes such as IN, RU, CN"),
        sectors=codes("sectors", "sector", sectors, False, f"Sectors: takes {', '.join(sorted(sectors))}"),
        lang=lang,
        source=values["source"][1] if "source" in values else None,
    )


def extract(text: str) -> Extracted:
    raw_lines = text.split("\n")
    source = find_source(raw_lines)
    lines = [line for line in junk.remove_junk(raw_lines) if line]
    if not lines:
        raise ValueError("no article text: the seed is empty or only junk")

    date, lines = _take_date(lines)
    head = lines[0]
    has_headline = is_headline(head)
    if has_headline:
        # A headline over the limit is cut like a made title: pages and feeds show at most 100.
        title, body = cut_at_word(head, TITLE_LIMIT), lines[1:]
        body = [line for line in body if line.casefold() != head.casefold()]
    else:
        title, body = short_title(title_sentence(head)), lines

    standfirst = None
    if has_headline and len(body) > 1 and _is_standfirst(body[0]):
        standfirst, body = body[0], body[1:]
    if date is None and body:
        date = next(filter(None, (dates.dateline_date(line) for line in body[:3])), None)

    blocks = tuple(_blocks(body))
    lang = detect_language(" ".join([title, *body]))
    warnings = () if blocks else ("the article has a headline but no body text",)
    return Extracted(title, standfirst, date, lang, source, blocks, warnings)


def is_headline(line: str) -> bool:
    words = len(line.split())
    return len(line) <= 160 and words <= 25 and not line.endswith(_FINAL_PUNCTUATION)


def _is_standfirst(line: str) -> bool:
    return (
        len(line) <= 200
        and not line.endswith(_FINAL_PUNCTUATION)
        and not _BULLET.match(line)
        and not _LABELLED.match(line)
    )


def title_sentence(paragraph: str) -> str:
    """The sentence a made title comes from: the first after any dateline ("नई दिल्ली।", "HARBIN —")."""
    sentences = _SENTENCE_END.split(paragraph[dates.dateline_length(paragraph) :])
    while len(sentences) > 1 and len(sentences[0].split()) <= 3:
        sentences.pop(0)  # a bare place such as "Москва." opening the story
    return sentences[0]


def short_title(sentence: str, limit: int = TITLE_LIMIT) -> str:
    """A headline made from a body sentence: whole if short, else its event phrase, else cut."""
    sentence = sentence.strip().rstrip(".।!;:, ")
    if len(sentence) <= limit:
        return sentence
    event = _event_phrase(sentence, limit)
    return event or cut_at_word(sentence, limit)


def _event_phrase(sentence: str, limit: int) -> str | None:
    """In "X, Y, Z, attended the III Forum of …", the capitalised object names the event."""
    last_clause = sentence.rsplit(", ", 1)[-1]
    if _SPEECH.search(last_clause):
        return None
    words = last_clause.split()
    lead_in = 0  # "attended the": a verb and an article, not a clause of its own
    while words and not words[0][:1].isupper():
        words.pop(0)
        lead_in += 1
    phrase = " ".join(words)
    if len(words) >= 5 and lead_in <= 3 and len(phrase) <= limit and phrase != sentence:
        return phrase
    return None


def cut_at_word(text: str, limit: int) -> str:
    """At most `limit` characters ending in "…", cut between words, never inside a letter cluster."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space >= limit // 2:
        return head[:space].rstrip(" ,;:-–—") + "…"
    return take_clusters(text, limit - 1) + "…"


_CLUSTER = Pattern(r"\X")


def take_clusters(text: str, limit: int) -> str:
    """The longest start of `text` of at most `limit` characters that ends between letter
    clusters, so a Devanagari consonant never loses its vowel sign or virama."""
    end = 0
    for cluster in _CLUSTER.finditer(text):
        if cluster.end() > limit:
            break
        end = cluster.end()
    return text[:end]


def _take_date(lines: list[str]) -> tuple[dt.date | None, list[str]]:
    """The publication date from a line that states only a date, near the top or the foot."""
    candidates = list(range(min(len(lines), 12))) + list(range(max(12, len(lines) - 4), len(lines)))
    for index in candidates:
        date = dates.date_of_line(lines[index])
        if date is not None:
            return date, lines[:index] + lines[index + 1 :]
    return None, lines


def _blocks(lines: list[str]) -> Iterable[Block]:
    for position, line in enumerate(lines):
        bullet = _BULLET.match(line)
        labelled = _LABELLED.match(line)
        if bullet:
            yield Block("item", bullet["text"])
        elif labelled and len(labelled["label"].split()) <= 5 and "http" not in labelled["label"]:
            yield Block("item", labelled["text"], label=labelled["label"].strip())
        elif _is_heading(line) and position + 1 < len(lines):
            yield Block("heading", line)
        else:
            yield Block("paragraph", line)


def _is_heading(line: str) -> bool:
    return (
        len(line) <= 100
        and len(line.split()) <= 12
        and not line.endswith(_FINAL_PUNCTUATION)
        and not line.endswith(("\"", "”", "»", ")"))
        and dates.date_of_line(line) is None
        and not line.isdigit()
    )


# A script's letters are counted by what is left when they are taken out: one new string,
# where listing their runs makes one for each word.
_SCRIPTS = {
    "hi": Pattern(r"\p{Devanagari}+"),
    "ru": Pattern(r"\p{Cyrillic}+"),
    "en": Pattern(r"\p{Latin}+"),
}
_UKRAINIAN = Pattern(r"[іїєґІЇЄҐ]")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the dominant script's language (Devanagari hi, Cyrillic ru, Latin en)."""
    counts: dict[str, int] = {}
    for lang, pattern in _SCRIPTS.items():
        counts[lang] = len(text) - len(pattern.sub("", text))
        if 2 * counts[lang] > len(text):  # more letters than all the others: no need to count them
            break
    lang = max(counts, key=lambda key: (counts[key], key == "en"))
    if lang == "ru" and len(_UKRAINIAN.findall(text)) * 50 > counts["ru"]:
        return "uk"
    return lang


@lru_cache(maxsize=1)
def _publishers() -> tuple[tuple[str, str, Pattern], ...]:
    """Each publisher's shown name, the form a text names it by, and that form as a whole word."""
    table = []
    for shown, form in read_table("publishers.tsv"):
        pattern = Pattern(rf"(?<![\p{{L}}\p{{M}}\p{{N}}]){regex.escape(form)}(?![\p{{L}}\p{{M}}])")
        table.append((shown, form, pattern))
    return tuple(table)


@lru_cache(maxsize=1)
def _any_publisher() -> re.Pattern:
    """Any publisher's form, anywhere: one scan of a text instead of one per publisher."""
    return re.compile("|".join(re.escape(form) for _, form, _ in _publishers()))


_SOURCE_LINE = Pattern(r"(?i)^(?:source|sources|источник|स्रोत|साभार)\s*:\s*(?P<name>.{2,60})$")
_FOLLOW = Pattern(r"(?i)^follow\s+(?P<name>[\p{L}\p{N}.]+?)(?:'s|’s)?\s+(?:official|on)\b")
_BRAND_IN_BYLINE = Pattern(r"(?<![\p{L}\p{M}])\p{Lu}{3,}(?:\.\p{L}{2,3})?(?![\p{L}\p{M}])")
_ATTRIBUTION = Pattern(
    r"(?P<name>[\p{Latin}\p{Cyrillic}][\p{Latin}\p{Cyrillic}\p{N}.\- ]{1,40}?)\s+के\s+(?:अनुसार|हवाले\s+से)"
)


def find_source(lines: list[str]) -> str | None:
    """The publisher, when the page names it: a Source: line, a byline, a follow prompt, a citation."""
    for line in lines:
        match = _SOURCE_LINE.match(line)
        if match:
            return match["name"].strip()
    for line in lines:
        if junk.is_byline(line):
            brands = [b for b in _BRAND_IN_BYLINE.findall(line) if b.casefold() not in _ROLE_WORDS]
            if brands:
                return brands[0]
        match = _FOLLOW.match(line)
        if match and junk.is_social_prompt(line):
            return match["name"]
    text = "\n".join(lines)
    # Looked for only in texts that hold its Hindi words: in others, every Latin or Cyrillic
    # letter would start a try, and in a Hindi text each of its few Latin words.
    match = _ATTRIBUTION.search(text) if _may_attribute(text) else None
    if match:
        return match["name"].strip()
    if not _any_publisher().search(text):  # most texts name no publisher
        return None
    for shown, form, pattern in _publishers():
        if form in text and _cited(pattern, text):
            return shown
    return None


def _may_attribute(text: str) -> bool:
    return "के" in text and ("अनुसार" in text or "हवाले" in text)


_ROLE_WORDS = frozenset({"editor", "reporter", "staff", "desk", "bureau"})
_CITATION_CUES = Pattern(
    r"(?i)(?:according\s+to|reported|reports|told|source|сообщает|сообщил[аи]?|по\s+данным|по\s+сообщению|передает|передаёт|пишет|के\s+अनुसार|ने\s+बताया|की\s+रिपोर्ट)"
)


def _cited(pattern: Pattern, text: str) -> bool:
    for match in pattern.finditer(text):
        window = text[max(0, match.start() - 40) : match.end() + 40]
        if _CITATION_CUES.search(window):
            return True
    return False
