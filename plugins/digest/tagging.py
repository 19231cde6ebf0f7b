"""Extracted article -> parties, mentions and sectors.

Parties are the countries whose cooperation the story reports; the evidence is where a country
appears (headline, standfirst, lead), how often, and how (a "between A and B" sentence, an
"Indo-Russian" compound), while a country met only inside a list of examples is a mention.
Sectors are tagged when their cues add up to real coverage, not for one passing word.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import regex

from .countries import BLOCKER, Mention, gazetteer
from .datafiles import read_table
from .matching import Entry, PhraseTable, build_table, needs_exact_case, tokenize
from .model import Extracted, Tags

ZONE_WEIGHTS = {"title": 5.0, "standfirst": 3.0, "lead": 2.0, "body": 0.0}
SECTOR_ZONE_FACTORS = {"title": 3.0, "standfirst": 2.0, "lead": 1.5, "body": 1.0}
SECTOR_THRESHOLD = 4.0
MAX_PARTIES = 4
_SENTENCES = regex.compile(r"(?<=[.!?।;])\s+")
_LIST_GAP = regex.compile(r"^(?:[\s,;/]|and|or|&|और|तथा|एवं|व|या|и|или)*$", regex.IGNORECASE)
_COMPOUND_GAP = regex.compile(r"^\s*[-‐–—]\s*$")


@dataclass(frozen=True)
class Sighting:
    code: str
    zone: str
    sentence: int
    weak: bool
    listed: bool  # one of a list of three or more countries
    compound: bool  # joined to another country by a hyphen: "भारत-रूस", "Sino-Russian"


@lru_cache(maxsize=1)
def cue_table() -> PhraseTable[str]:
    return build_table((form, Entry(kind)) for kind, form in read_table("cues.tsv"))


@lru_cache(maxsize=1)
def sector_table() -> PhraseTable[tuple[str, float]]:
    rows = []
    for lang in ("en", "hi", "ru"):
        for sector, term, *weight in read_table(f"sectors/{lang}.tsv"):
            value = float(weight[0]) if weight else 1.0
            exact = term if needs_exact_case(term) else None
            rows.append((term, Entry((sector, value), exact=exact)))
    return build_table(rows)


def _zones(article: Extracted) -> Iterable[tuple[str, str]]:
    yield "title", article.title
    if article.standfirst:
        yield "standfirst", article.standfirst
    paragraphs = [block for block in article.blocks if block.kind != "heading"]
    for position, block in enumerate(article.blocks):
        text = f"{block.label}: {block.text}" if block.label else block.text
        yield ("lead" if paragraphs and block is paragraphs[0] else "body"), text


def tag(article: Extracted) -> Tags:
    sightings: list[Sighting] = []
    cooperative_sentences: list[set[str]] = []
    sector_scores: Counter[str] = Counter()
    term_counts: Counter[tuple[str, int]] = Counter()
    sentence_number = 0
    for zone, text in _zones(article):
        for sentence in _SENTENCES.split(text):
            tokens = tokenize(sentence)
            found = _countries_in(sentence, tokens, zone, sentence_number)
            sightings.extend(found)
            codes = {s.code for s in found if not s.listed}
            if len(codes) >= 2 and any(
                m.entry.payload == "cooperation" for m in cue_table().find(sentence, tokens)
            ):
                cooperative_sentences.append(codes)
            for match in sector_table().find(sentence, tokens):
                sector, weight = match.entry.payload
                key = (sector, id(match.entry))
                term_counts[key] += 1
                if term_counts[key] <= 3:
                    sector_scores[sector] += weight * SECTOR_ZONE_FACTORS[zone]
            sentence_number += 1

    parties, mentions = _parties_and_mentions(sightings, cooperative_sentences)
    sectors = sorted(s for s, score in sector_scores.items() if score >= SECTOR_THRESHOLD)
    return Tags(tuple(sorted(parties)), tuple(sorted(mentions)), tuple(sectors))


def _countries_in(sentence: str, tokens, zone: str, number: int) -> list[Sighting]:
    matches = [m for m in gazetteer().find(sentence, tokens) if m.entry.payload.code != BLOCKER]
    # One phrase may name one country only; a phrase claimed by several codes is not evidence.
    by_span: dict[tuple[int, int], list] = defaultdict(list)
    for match in matches:
        by_span[(match.start, match.end)].append(match)
    unique = [group[0] for group in by_span.values() if len({m.entry.payload.code for m in group}) == 1]
    unique.sort(key=lambda m: m.start)

    listed: set[int] = set()
    compound: set[int] = set()
    run = [0] if unique else []
    for i in range(1, len(unique) + 1):
        gap = sentence[unique[i - 1].end : unique[i].start] if i < len(unique) else None
        if gap is not None and _COMPOUND_GAP.match(gap) and unique[i].entry.payload.code != unique[i - 1].entry.payload.code:
            compound.update({i - 1, i})
        if gap is not None and _LIST_GAP.match(gap):
            run.append(i)
            continue
        if len({unique[j].entry.payload.code for j in run}) >= 3:
            listed.update(run)
        run = [i]
    return [
        Sighting(m.entry.payload.code, zone, number, m.entry.payload.weak, i in listed, i in compound)
        for i, m in enumerate(unique)
    ]


def _parties_and_mentions(
    sightings: list[Sighting], cooperative_sentences: list[set[str]]
) -> tuple[list[str], list[str]]:
    confirmed = {s.code for s in sightings if not s.weak}
    sightings = [s for s in sightings if s.code in confirmed]
    scores: Counter[str] = Counter()
    zones_seen: dict[str, set[str]] = defaultdict(set)
    for s in sightings:
        scores[s.code] += 0.25 if s.listed else 1.0
        if s.compound:
            scores[s.code] += 3.0
        if not s.listed:
            zones_seen[s.code].add(s.zone)
    for code, zones in zones_seen.items():
        scores[code] += sum(ZONE_WEIGHTS[zone] for zone in zones)
    for codes in cooperative_sentences:
        for code in codes:
            scores[code] += 1.5
    if not scores:
        return [], []
    ranked = sorted(scores, key=lambda code: (-scores[code], code))
    top = scores[ranked[0]]
    parties = [code for code in ranked if scores[code] >= max(3.0, 0.35 * top)][:MAX_PARTIES]
    if len(parties) == 1 and len(ranked) > 1 and scores[ranked[1]] >= 2.0:
        parties.append(ranked[1])
    if not parties:
        parties = ranked[:1]
    mentions = [code for code in ranked if code not in parties]
    return parties, mentions
