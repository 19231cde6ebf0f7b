"""A synthetic, deterministic corpus of seeds for the benchmark: news about cooperation in
Hindi, English and Russian, with junk lines, datelines and other encodings, as editors bring them.

Seed number i is the same bytes whatever the corpus size, so the corpus of 1,000 seeds is the
first part of the corpus of 10,000, and the seed added in a one-seed rebuild is simply the next one.
The sentences are in data/bench/; nothing here is used by detection.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .datafiles import read_table

LANG_SHARES = {"hi": 70, "en": 15, "ru": 15}  # about the examples' 4 Hindi : 1 English, plus Russian
WORDS = (200, 800)
FIRST_DAY = dt.date(2019, 1, 1)
DAYS = 2500  # stories dated over about seven years
NO_DATE = 0.1  # share of seeds that state no date
DUPLICATE = 0.01  # share of seeds that repeat an earlier seed with other junk
EMPTY = 0.002  # share of seeds with no text (seed errors)
NBSP_LINE = "\u00a0 \u00a0"


@dataclass(frozen=True)
class City:
    names: dict[str, str]  # by language; "ru_prep" is the Russian prepositional case


@dataclass(frozen=True)
class Country:
    code: str
    weight: int
    names: dict[str, str]  # "en", "hi", "ru_nom", "ru_gen", "ru_ins"
    cities: tuple[City, ...]


@dataclass(frozen=True)
class Vocabulary:
    countries: tuple[Country, ...]
    topics: dict[tuple[str, str], tuple[str, ...]]  # (sector, lang) -> phrases
    sectors: tuple[str, ...]
    phrases: dict[tuple[str, str], tuple[str, ...]]  # (lang, kind) -> templates


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    cities = defaultdict(list)
    for code, en, hi, ru, ru_prep in read_table("bench/cities.tsv"):
        cities[code].append(City({"en": en, "hi": hi, "ru": ru, "ru_prep": ru_prep}))
    countries = tuple(
        Country(code, int(weight), {"en": en, "hi": hi, "ru_nom": nom, "ru_gen": gen, "ru_ins": ins}, tuple(cities[code]))
        for code, weight, en, hi, nom, gen, ins in read_table("bench/countries.tsv")
    )
    topics = defaultdict(list)
    for sector, lang, phrase in read_table("bench/topics.tsv"):
        topics[(sector, lang)].append(phrase)
    phrases = defaultdict(list)
    for lang, kind, template in read_table("bench/phrases.tsv"):
        phrases[(lang, kind)].append(template)
    return Vocabulary(
        countries,
        {key: tuple(values) for key, values in topics.items()},
        tuple(dict.fromkeys(sector for sector, _ in topics)),
        {key: tuple(values) for key, values in phrases.items()},
    )


def seed_file(index: int) -> tuple[str, bytes]:
    """Seed number `index` of the corpus: its file name and bytes."""
    raw = seed_bytes(index)
    return f"{index:05d}_{hashlib.sha256(raw).hexdigest()[:16]}.txt", raw


def write_corpus(target: Path, count: int, start: int = 0) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(start, start + count):
        name, raw = seed_file(index)
        (target / name).write_bytes(raw)
        written.append(target / name)
    return written


def seed_bytes(index: int) -> bytes:
    rng = random.Random(f"digest-bench-{index}")
    if rng.random() < EMPTY:
        return f"{NBSP_LINE}\n\n".encode()
    if index > 0 and rng.random() < DUPLICATE:
        # The same article copied again from another page: other junk around the same text.
        original = seed_bytes(rng.randrange(max(0, index - 100), index))
        return original + b"\n\n" + rng.choice((b"Comments (0)", b"0", "Поделиться".encode())) + b"\n"
    lang = rng.choices(list(LANG_SHARES), weights=list(LANG_SHARES.values()))[0]
    text = _story(rng, lang)
    return _encode(rng, lang, text)


def _story(rng: random.Random, lang: str) -> str:
    words = vocabulary()
    party_a, party_b = _two_parties(rng, words.countries)
    others = rng.sample([c for c in words.countries if c not in (party_a, party_b)], 2)
    sectors = rng.sample(words.sectors, rng.choice((1, 2, 2, 3)))
    base = _slots(rng, lang, party_a, party_b, others)
    day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))

    def say(kind: str) -> str:
        topics = [rng.choice(words.topics[(sector, lang)]) for sector in sectors]
        slots = dict(
            base,
            topic=topics[0],
            topic2=rng.choice(topics),
            n=rng.randint(2, 60),
            money=rng.randint(10, 5000),
            year=rng.randint(2025, 2035),
            person=rng.choice(words.phrases[(lang, "person")]),
            org=rng.choice(words.phrases[(lang, "org")]),
            source=rng.choice(words.phrases[(lang, "source")]),
        )
        return rng.choice(words.phrases[(lang, kind)]).format_map(slots)

    base["dateline"], date_line = _date_forms(rng, lang, day, base["cityA_ru"] if lang == "ru" else base["cityA"])
    lines = [say("title")]
    if rng.random() < 0.5:
        lines.append(say("standfirst"))
    if rng.random() < 0.3:
        lines.append(say("junk"))
    if date_line:
        lines.append(date_line)
    lines.append(say("lead"))
    target = rng.randint(*WORDS)
    count = sum(len(line.split()) for line in lines)
    while count < target:
        roll = rng.random()
        if roll < 0.08:
            block = say("heading")
        elif roll < 0.13:
            block = "\n".join(say("item") for _ in range(rng.randint(2, 4)))
        elif roll < 0.2:
            block = rng.choice((say("junk"), NBSP_LINE))
        else:
            block = " ".join(say(rng.choice(("body", "body", "filler"))) for _ in range(rng.randint(2, 5)))
        lines.append(block)
        count += len(block.split())
    if rng.random() < 0.4:
        lines.append(rng.choice(words.phrases[("en", "junk")][:2]))
    return "\n\n".join(lines) + "\n"


def _two_parties(rng: random.Random, countries: tuple[Country, ...]) -> tuple[Country, Country]:
    weights = [c.weight for c in countries]
    first = rng.choices(countries, weights=weights)[0]
    while (second := rng.choices(countries, weights=weights)[0]) is first:
        pass
    return first, second


def _slots(rng: random.Random, lang: str, a: Country, b: Country, others: list[Country]) -> dict[str, str]:
    city_a = rng.choice(a.cities)
    city_b = rng.choice(b.cities)
    if lang != "ru":
        return {
            "A": a.names[lang], "B": b.names[lang], "C": others[0].names[lang], "D": others[1].names[lang],
            "cityA": city_a.names[lang], "cityB": city_b.names[lang], "cityA_ru": city_a.names["ru"],
        }
    slots = {"cityA_ru": city_a.names["ru"], "cityA_prep": city_a.names["ru_prep"], "cityB_prep": city_b.names["ru_prep"]}
    for slot, country in (("A", a), ("B", b), ("C", others[0]), ("D", others[1])):
        for case in ("nom", "gen", "ins"):
            slots[f"{slot}_{case}"] = country.names[f"ru_{case}"]
    slots["cityA"] = city_a.names["ru"]
    return slots


def _date_forms(rng: random.Random, lang: str, day: dt.date, city: str) -> tuple[str, str | None]:
    """A dateline to open the lead and/or a date line of its own, in the forms editors meet."""
    if rng.random() < NO_DATE:
        return "", None
    months = vocabulary().phrases[(lang, "month")]
    english = vocabulary().phrases[("en", "month")]
    month = months[day.month - 1]
    form = rng.randrange(3)
    if lang == "hi":
        if form == 0:
            return f"{city}, {day.day} {month} {day.year}: ", None
        if form == 1:
            return f"{city}। ", f"{english[day.month - 1][:3]} {day.day}, {day.year} - {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        return "", f"{day.day} {month} {day.year}"
    if lang == "en":
        if form == 0:
            return f"{city.upper()}, {month} {day.day}, {day.year} — ", None
        if form == 1:
            return "", f"{month[:3]} {day.day}, {day.year} - {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        return "", f"{day.day} {month} {day.year}"
    if form == 0:
        return f"{city.upper()}, {day.day} {month} {day.year} г. — ", None
    if form == 1:
        return "", f"{day.day:02d}.{day.month:02d}.{day.year}"
    return "", f"{day.day} {month} {day.year} г."


def _encode(rng: random.Random, lang: str, text: str) -> bytes:
    roll = rng.random()
    if lang == "ru" and roll < 0.05:
        return text.encode("cp1251", errors="replace")
    if roll < 0.08:
        return text.replace("\n", "\r\n").encode()
    if roll < 0.1:
        return codecs.BOM_UTF8 + text.encode()
    return text.encode()
