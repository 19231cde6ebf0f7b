"""Countries: ISO codes, names in every language from CLDR (Babel), and the gazetteer of forms.

CLDR gives each country's name in hi, en, ru and every other locale; data/gazetteer/*.tsv adds
what CLDR lacks: demonyms, combining forms, abbreviations, places and organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
from babel import Locale
from slugify import slugify

from .datafiles import DATA_DIR, read_table
from .matching import Entry, PhraseTable, build_table, needs_exact_case, shared_table

NAME_LOCALES = ("en", "hi", "ru")
KINDS = frozenset({"name", "demonym", "prefix", "abbr", "place", "org", "none"})
BLOCKER = "-"
# CLDR regions that are not countries (EU, UN, the eurozone, pseudo-regions).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@dataclass(frozen=True)
class Mention:
    code: str  # ISO 3166-1 alpha-2, or "-" for a phrase that only blocks others
    kind: str
    weak: bool  # also a common word or a person's name: counts only when confirmed


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    territories = Locale("en").territories
    return frozenset(
        code for code in territories if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    )


@lru_cache(maxsize=4096)
def country_name(code: str, lang: str = "en") -> str:
    try:
        names = Locale(lang).territories
    except Exception:
        names = Locale("en").territories
    return names.get(code) or Locale("en").territories.get(code, code)


@lru_cache(maxsize=1024)
def country_slug(code: str) -> str:
    return slugify(country_name(code, "en"))


def _cldr_forms(name: str, other_names: frozenset[str] = frozenset()) -> list[str]:
    """'Myanmar (Burma)' -> both; 'Congo - Kinshasa' -> the full name only; '&' also as 'and'.

    A bracket is an alias only when it is one word and not another country: in "Виргинские о-ва
    (Великобритания)" or "Гонконг (САР)" it qualifies the name and must not stand for it.
    """
    if not name:
        return []
    forms = [name]
    bracket = regex.match(r"^(.+?)\s*\((.+)\)$", name)
    if bracket:
        alias = bracket[2]
        is_alias = " " not in alias and not alias.isupper() and alias not in other_names
        forms = [bracket[1], alias] if is_alias else [bracket[1]]
    forms += [form.replace("&", "and") for form in forms if "&" in form]
    return forms


@shared_table
def gazetteer() -> PhraseTable[Mention]:
    codes = country_codes()
    data_rows: dict[str, tuple[str, str, str, frozenset[str]]] = {}
    for path in sorted((DATA_DIR / "gazetteer").glob("*.tsv")):
        for fields in read_table(f"gazetteer/{path.name}"):
            code, kind, form = fields[:3]
            flags = frozenset(f.strip() for f in (fields[3] if len(fields) > 3 else "").split(",") if f.strip())
            _check_row(path, code, kind, codes)
            data_rows[form] = (code, kind, form, flags)

    rows = []
    for lang in NAME_LOCALES:
        names = Locale(lang).territories
        all_names = frozenset(names.get(code, "") for code in codes)
        for code in sorted(codes):
            for form in _cldr_forms(names.get(code, ""), all_names):
                if form in data_rows:
                    continue  # the data file says more about this form (weak, case, …)
                entry = Entry(Mention(code, "name", False), capitalised=True)
                rows.append((form, entry))
    for code, kind, form, flags in data_rows.values():
        entry = Entry(
            Mention(code, kind, "weak" in flags),
            exact=form if "case" in flags or needs_exact_case(form) else None,
            capitalised=form[:1].isupper(),  # "Того" the country, not "того"; "Turkey", not "turkey"
            hyphen_follows=kind == "prefix",
        )
        rows.append((form, entry))
    return build_table(rows)


def _check_row(path: Path, code: str, kind: str, codes: frozenset[str]) -> None:
    if kind not in KINDS:
        raise ValueError(f"{path.name}: unknown kind {kind!r}")
    if code != BLOCKER and code not in codes:
        raise ValueError(f"{path.name}: unknown country code {code!r}")
