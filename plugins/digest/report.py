"""The detection report: what the digest read in each seed, for editors (text) and machines (JSON)."""

from __future__ import annotations

import json

from .countries import country_name
from .pipeline import SeedResult

REPORT_KEYS = (
    "seed", "status", "error", "title", "date", "date_source", "lang",
    "countries", "mentions", "sectors", "slug", "source", "warnings",
)


def report_entry(result: SeedResult) -> dict:
    article = result.article
    if article is None:
        return {key: None for key in REPORT_KEYS} | {
            "seed": result.seed, "status": "error", "error": result.error,
            "countries": [], "mentions": [], "sectors": [], "warnings": list(result.warnings),
        }
    return {
        "seed": result.seed,
        "status": "error" if result.error else "ok",
        "error": result.error,
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "date_source": article.date_source,
        "lang": article.lang,
        "countries": sorted(article.parties),
        "mentions": sorted(article.mentions),
        "sectors": sorted(article.sectors),
        "slug": result.slug,
        "source": article.source,
        "warnings": list(result.warnings),
    }


def report_json(results: list[SeedResult]) -> str:
    """One JSON array, a seed to a line: easy to read and to grep, and written by json's C encoder
    (an indented array is written by Python code: 0.17-0.20 s against 0.09-0.13 s for 10,000
    seeds)."""
    entries = [json.dumps(report_entry(result), ensure_ascii=False) for result in results]
    return "[\n" + ",\n".join(entries) + "\n]" if entries else "[]"


def _countries(codes: list[str]) -> str:
    return ", ".join(f"{country_name(c)} ({c})" for c in codes) or "—"


def report_text(results: list[SeedResult]) -> str:
    blocks = []
    for result in results:
        entry = report_entry(result)
        if entry["status"] == "error":
            blocks.append(f"✗ {entry['seed']}\n    error: {entry['error']}")
            continue
        added = result.added.isoformat() if result.added else "today"
        date = (
            f"{entry['date']} (from the {'editor' if entry['date_source'] == 'override' else 'text'})"
            if entry["date"] else f"none stated; date added {added}"
        )
        lines = [
            f"✓ {entry['seed']}",
            f"    title:     {entry['title']}",
            f"    date:      {date}",
            f"    language:  {entry['lang']}",
            f"    parties:   {_countries(entry['countries'])}",
            f"    mentions:  {_countries(entry['mentions'])}",
            f"    sectors:   {', '.join(entry['sectors']) or '—'}",
            f"    source:    {entry['source'] or '—'}",
            f"    slug:      {entry['slug']}",
        ]
        lines += [f"    warning:   {w}" for w in entry["warnings"]]
        blocks.append("\n".join(lines))
    ok = sum(1 for r in results if not r.error)
    blocks.append(f"{len(results)} seeds: {ok} ok, {len(results) - ok} with errors")
    return "\n\n".join(blocks)
