"""Extracted article -> parties, mentions and sectors.

Parties are the countries whose cooperation the story reports; the evidence is where a country
appears (headline, standfirst, lead), how often, and how (a "between A and B" sentence, an
"Indo-Russian" compound). A country met only as an example in a list ("countries like A, B and
C") or as a route ("via Iran") is a mention. A weak form (चीनी "sugar", "Jordan" the surname)
counts only when a strong form confirms the country elsewhere in the story.
Sectors are tagged when their cues add up to real coverage, not for one passing word: cues are
counted by sentence and weighted by zone, and a sentence that lists the fields of cooperation
("cooperation in energy, health and farming") covers each field it names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import NamedTuple

import regex

from .countries import BLOCKER, gazetteer
from .datafiles import read_table
from .matching import Entry, Match, PhraseTable, Words, build_table, needs_exact_case, shared_table, tokenize
from .model import Extracted, Tags
from .patterns import Pattern

# Countries: a sighting counts 1 (an example or a route 0.25), plus the weight of each zone where
# the country acts, plus bonuses for a hyphen compound and for each cooperation sentence it shares.
ZONE_WEIGHTS = {"title": 5.0, "standfirst": 3.0, "lead": 2.0, "heading": 0.0, "body": 0.0}
ASIDE_COUNT = 0.25
COMPOUND_BONUS = 3.0
COOPERATION_BONUS = 1.5
PARTY_MINIMUM = 3.0  # a party needs at least this score,
PARTY_SHARE = 0.35  # and this share of the leading country's,
THIRD_PARTY_SHARE = 0.6  # and a third this share of the second's: cooperation usually has two sides
MAX_PARTIES = 4
CUE_REACH = 4  # words between a cue ("such as", "via") and the country it governs

# Sectors: per sentence, the strongest cue's weight, plus EXTRA_TERM per unit of weight of the
# sector's other cues (at most EXTRA_TERMS_CAP), plus FIELD_BONUS when the sentence names it as the
# field of cooperation; times the zone's factor; summed over sentences.
SECTOR_ZONE_FACTORS = {"title": 3.0, "standfirst": 2.0, "heading": 2.0, "lead": 1.5, "body": 1.0}
SECTOR_THRESHOLD = 3.0  # a strong cue in the lead, any specific cue in the headline, or several cues
EXTRA_TERM = 0.5
EXTRA_TERMS_CAP = 1.0
FIELD_BONUS = 1.0
TERM_REPEATS = 3  # a sector term counts in this many sentences at most: repetition is not breadth
# Code points only, so the standard library's, which splits a story's texts in two thirds of
# `regex`'s time (its \s differs only on four control characters that decoding drops).
_SENTENCES = re.compile(r"(?<=[.!?।;])\s+")
_LIST_GAP = Pattern(r"^(?:[\s,;/]|and|or|&|और|तथा|एवं|व|या|и|или)*$", regex.IGNORECASE)
_COMPOUND_GAP = Pattern(r"^\s*[-‐–—]\s*$")
_SEPARATOR = Pattern(r"[,;]|(?<![\p{L}\p{M}])(?:and|or|और|तथा|एवं|व|या|и|или)(?![\p{L}\p{M}])", regex.IGNORECASE)
_CASED = Pattern(r"^[\p{Latin}\p{Cyrillic}]")


class Sighting(NamedTuple):
    """A country named in a sentence (a tuple: a story has dozens, and tuples are quick to make)."""

    code: str
    zone: str
    weak: bool
    aside: bool  # an example in a list, or a route: the country is named, it does not act
    compound: bool  # joined to another country by a hyphen: "भारत-रूस", "Sino-Russian"
    venue: bool  # a city or region where something takes place: "in Dubai", "दुबई में"


@shared_table
def cue_table() -> PhraseTable[str]:
    return build_table(((form, Entry(kind)) for kind, form in read_table("cues.tsv")), hindi_stems=True)


@shared_table
def sector_table() -> PhraseTable[tuple[str, float]]:
    rows = []
    for lang in ("en", "hi", "ru"):
        for sector, term, *weight in read_table(f"sectors/{lang}.tsv"):
            value = float(weight[0]) if weight else 1.0
            exact = term if needs_exact_case(term) else None
            rows.append((term, Entry((sector, value), exact=exact)))
    return build_table(rows, hindi_stems=True)


def _zones(article: Extracted) -> Iterable[tuple[str, str]]:
    """The article's texts by where they stand; a heading or an item's label names its section."""
    yield "title", article.title
    if article.standfirst:
        yield "standfirst", article.standfirst
    paragraphs = [block for block in article.blocks if block.kind != "heading"]
    for block in article.blocks:
        if block.kind == "heading":
            yield "heading", block.text
            continue
        if block.label:
            yield "heading", block.label
        yield ("lead" if paragraphs and block is paragraphs[0] else "body"), block.text


def tag(article: Extracted) -> Tags:
    sightings: list[Sighting] = []
    cooperative_sentences: list[list[Sighting]] = []
    sector_scores: Counter[str] = Counter()
    term_counts: dict[int, int] = {}  # by sector term (entry), the sentences it counted in
    places_table, terms_table, cues_table = gazetteer(), sector_table(), cue_table()
    for zone, text in _zones(article):
        for sentence in _SENTENCES.split(text):
            words = tokenize(sentence)
            places = [m for m in places_table.find(sentence, words) if m.entry.payload.code != BLOCKER]
            terms = terms_table.find(sentence, words)
            if not places and not terms:  # most sentences: their cues would qualify nothing
                continue
            cues = cues_table.find(sentence, words)
            found = _countries_in(sentence, words, places, cues, zone)
            sightings.extend(found)
            if found and any(cue.entry.payload == "cooperation" for cue in cues):
                cooperative_sentences.append([s for s in found if not s.aside])
            for sector, score in _sector_scores(sentence, terms, cues, zone, term_counts).items():
                sector_scores[sector] += score

    parties, mentions = _parties_and_mentions(sightings, cooperative_sentences)
    sectors = sorted(s for s, score in sector_scores.items() if score >= SECTOR_THRESHOLD)
    return Tags(tuple(sorted(parties)), tuple(sorted(mentions)), tuple(sectors))


def _countries_in(
    sentence: str, words: Words, matches: list[Match], cues: list[Match[str]], zone: str
) -> list[Sighting]:
    """The countries named in a sentence (`matches`, the gazetteer's, left to right), and how."""
    if not matches:
        return []
    unique = _one_code_each(matches)
    starts = {m.first for m in unique}
    unique = [m for m in unique if not _part_of_a_name(m, words, cues, starts)]

    aside: set[int] = set()
    compound: set[int] = set()
    for run in _runs(sentence, unique):
        first, last = unique[run[0]], unique[run[-1]]
        # A headline naming three countries names the parties; elsewhere three or more are a list.
        if (
            zone != "title" and len(run) >= 3 and len({unique[i].entry.payload.code for i in run}) >= 3
        ) or _cued("enumeration", first, last, cues):
            aside.update(run)
        for i, j in zip(run, run[1:]):
            gap = sentence[unique[i].end : unique[j].start]
            if _COMPOUND_GAP.match(gap) and unique[i].entry.payload.code != unique[j].entry.payload.code:
                compound.update({i, j})
    for i, match in enumerate(unique):
        if _cued("transit", match, match, cues):
            aside.add(i)
    return [
        Sighting(m.entry.payload.code, zone, m.entry.payload.weak, i in aside, i in compound, _is_venue(m, cues))
        for i, m in enumerate(unique)
    ]


def _one_code_each(matches: list[Match]) -> list[Match]:
    """One match per phrase, and none for a phrase claimed by several codes: it is not evidence.
    The matches of one phrase stand side by side (see PhraseTable.find); most phrases have one."""
    if len({m.start for m in matches}) == len(matches):
        return matches
    by_span: dict[int, list[Match]] = defaultdict(list)
    for match in matches:
        by_span[match.start].append(match)
    return [group[0] for group in by_span.values() if len({m.entry.payload.code for m in group}) == 1]


def _runs(sentence: str, matches: list[Match]) -> list[list[int]]:
    """Groups of countries written one after another: "A, B and C", "भारत-रूस"."""
    runs: list[list[int]] = []
    for i, match in enumerate(matches):
        gap = sentence[matches[i - 1].end : match.start] if i else None
        if gap is not None and (_LIST_GAP.match(gap) or _COMPOUND_GAP.match(gap)):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _cued(kind: str, first: Match, last: Match, cues: list[Match[str]]) -> bool:
    """A cue of this kind just before the phrase ("such as A and B", "via Iran", "таких как A")
    or its "-after" form just after it ("A, B जैसे देशों", "ईरान के रास्ते")."""
    kind_after = f"{kind}-after"
    for cue in cues:
        cue_kind = cue.entry.payload
        if cue_kind == kind and 0 < first.first - cue.last <= CUE_REACH:
            return True
        if cue_kind == kind_after and 0 < cue.first - last.last <= 2:
            return True
    return False


def _is_venue(match: Match, cues: list[Match[str]]) -> bool:
    """A place where something happens: "held in Dubai", "दुबई में", "в Йоханнесбурге"."""
    if match.entry.payload.kind != "place":
        return False
    return any(
        (cue.entry.payload == "venue" and match.first - cue.last == 1)
        or (cue.entry.payload == "venue-after" and cue.first - match.last == 1)
        for cue in cues
    )


def _part_of_a_name(match: Match, words: Words, cues: list[Match[str]], country_starts: set[int]) -> bool:
    """A country form inside another name: a company's initials ("UK Group GMS"), or a weak
    name beside another capitalised word, which makes it a person's ("Chad Whitaker",
    "Rebecca Jordan")."""
    mention = match.entry.payload
    if mention.kind == "abbr" and any(c.entry.payload == "company" and c.first == match.last + 1 for c in cues):
        return True
    texts = words.texts
    if not mention.weak or not _CASED.match(texts[match.first]):
        return False
    # The sentence's first word is capitalised anyway, so it says nothing about its neighbour.
    neighbours = [i for i in (match.first - 1, match.last + 1) if 0 < i < len(texts)]
    return any(texts[i][:1].isupper() and not texts[i].isupper() and i not in country_starts for i in neighbours)


def _parties_and_mentions(
    sightings: list[Sighting], cooperative_sentences: list[list[Sighting]]
) -> tuple[list[str], list[str]]:
    confirmed = {s.code for s in sightings if not s.weak}
    sightings = [s for s in sightings if s.code in confirmed]
    scores: Counter[str] = Counter()
    zones_seen: dict[str, set[str]] = defaultdict(set)
    for s in sightings:
        scores[s.code] += ASIDE_COUNT if s.aside else 1.0
        if s.compound:
            scores[s.code] += COMPOUND_BONUS
        if not s.aside and not s.venue:
            zones_seen[s.code].add(s.zone)
    for code, zones in zones_seen.items():
        scores[code] += sum(ZONE_WEIGHTS[zone] for zone in zones)
    for found in cooperative_sentences:
        codes = {s.code for s in found if s.code in confirmed}
        if len(codes) >= 2:
            for code in codes:
                scores[code] += COOPERATION_BONUS
    if not scores:
        return [], []
    ranked = sorted(scores, key=lambda code: (-scores[code], code))
    top = scores[ranked[0]]
    candidates = [code for code in ranked if scores[code] >= max(PARTY_MINIMUM, PARTY_SHARE * top)]
    parties = candidates[:2]
    if len(parties) == 2:
        second = scores[parties[1]]
        parties += [code for code in candidates[2:] if scores[code] >= THIRD_PARTY_SHARE * second]
    parties = parties[:MAX_PARTIES]
    # A cooperation story has a second side even when the text says little about it.
    if len(parties) == 1 and len(ranked) > 1 and scores[ranked[1]] >= PARTY_MINIMUM - 1:
        parties.append(ranked[1])
    if not parties:
        parties = ranked[:1]
    mentions = [code for code in ranked if code not in parties]
    return parties, mentions


def _sector_scores(
    sentence: str, terms: list[Match], cues: list[Match[str]], zone: str, term_counts: dict[int, int]
) -> dict[str, float]:
    """One sentence's evidence per sector, weighted by where the sentence stands: its strongest
    cue, more for several different cues, more when the sector is named as the field of
    cooperation ("cooperation in health", "स्वास्थ्य क्षेत्र में सहयोग", "в сфере энергетики").

    An enumeration is read by what introduces it: "exports of tea, medicines and rice" lists
    goods, each named in passing, while "cooperation in energy, pharmaceuticals and IT" lists
    the fields the story covers.
    """
    matches = []
    for match in terms:
        key = id(match.entry)
        seen = term_counts[key] = term_counts.get(key, 0) + 1
        if seen <= TERM_REPEATS:
            matches.append(match)
    if not matches:  # most sentences
        return {}
    areas = [cue for cue in cues if cue.entry.payload == "area"]
    specific = [m for m in matches if m.entry.payload[1] >= 1.0]  # broad words need other cues
    enumerations = [chain for chain in _chains(sentence, specific) if len(chain) >= 3] if len(specific) >= 3 else []
    enumerated = {(m.start, m.end) for chain in enumerations for m in chain}
    fields = {m.entry.payload[0] for m in specific if any(_beside(m, cue) for cue in areas)} if areas else set()
    covered: set[str] = set()
    if areas:
        for chain in enumerations:
            if len(_sectors(chain)) >= 3:
                covered |= _sectors(chain)

    by_sector: dict[str, list[Match]] = defaultdict(list)
    for match in matches:
        by_sector[match.entry.payload[0]].append(match)
    scores: dict[str, float] = {}
    for sector, own in by_sector.items():
        strongest = max(own, key=lambda m: m.entry.payload[1]).entry
        # Entries are compared by identity: two terms with the same sector and weight are two cues.
        others = {id(m.entry): m.entry.payload[1] for m in own if (m.start, m.end) not in enumerated}
        others.pop(id(strongest), None)
        value = strongest.payload[1] + min(EXTRA_TERMS_CAP, EXTRA_TERM * sum(others.values()))
        if sector in fields:
            value += FIELD_BONUS
        scores[sector] = value * SECTOR_ZONE_FACTORS[zone]
        if sector in covered:
            scores[sector] = max(scores[sector], SECTOR_THRESHOLD)
    return scores


def _beside(match: Match, cue: Match) -> bool:
    return 0 < match.first - cue.last <= 2 or 0 < cue.first - match.last <= 2


def _chains(sentence: str, matches: list[Match]) -> list[list[Match]]:
    """Cues written as one enumeration: "A, B and C", with at most a few words between items."""
    chains: list[list[Match]] = []
    for match in sorted(matches, key=lambda m: m.start):
        gap = sentence[chains[-1][-1].end : match.start] if chains else ""
        if chains and _SEPARATOR.search(gap) and len(gap.split()) <= 3:
            chains[-1].append(match)
        else:
            chains.append([match])
    return chains


def _sectors(matches: list[Match]) -> set[str]:
    return {match.entry.payload[0] for match in matches}
