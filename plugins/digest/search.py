"""Offline search: Pagefind indexes the built stories into one bundle per language.

Pagefind splits its index by each page's `<html lang>` but loads only the index of the page it
runs on, so one bundle could not answer a Russian word on an English search page. One bundle per
language (`pagefind/hi/`, `pagefind/ru/`, …), each stemmed by its own language's rules, lets the
search page ask every bundle; `pagefind/bundles.json` lists them for it. A language with many
stories is split into several bundles of at most PAGES_PER_BUNDLE pages (`hi`, `hi-2`, …):
Pagefind holds a whole bundle in memory while indexing (about 1.5 GB for 7,000 Hindi pages).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import regex

BUNDLES = "pagefind"
PAGES_PER_BUNDLE = 2000
INDEXED = "data-pagefind-body"  # the theme marks story pages with it; listings stay out
HTML_LANG = regex.compile(r"<html\b[^>]*\blang=\"([^\"]+)\"", regex.IGNORECASE)


class SearchIndexError(RuntimeError):
    pass


def pages_by_language(site: Path) -> dict[str, list[Path]]:
    """The indexed pages of a built site, by the language of their `<html>` element."""
    found: dict[str, list[Path]] = {}
    for path in sorted(site.rglob("*.html")):
        if path.is_relative_to(site / BUNDLES):
            continue
        text = path.read_text(encoding="utf-8")
        match = HTML_LANG.search(text)
        if INDEXED in text and match:
            found.setdefault(match.group(1).lower(), []).append(path)
    return found


def index_site(site: Path, pages_per_bundle: int = PAGES_PER_BUNDLE) -> list[str]:
    """Write Pagefind bundles, per language, into `site/pagefind/`; return the languages."""
    site = Path(site)
    bundles = site / BUNDLES
    shutil.rmtree(bundles, ignore_errors=True)
    languages = pages_by_language(site)
    written = []
    for lang, pages in sorted(languages.items()):
        for number, start in enumerate(range(0, len(pages), pages_per_bundle), start=1):
            name = lang if number == 1 else f"{lang}-{number}"
            # Pagefind indexes a folder: give it one holding only these pages, at the same
            # relative paths, so that the URLs it records are the site's own.
            with tempfile.TemporaryDirectory(prefix=f"pagefind-{name}-") as scratch:
                for page in pages[start : start + pages_per_bundle]:
                    target = Path(scratch) / page.relative_to(site)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(page, target)
                run_pagefind(Path(scratch), bundles / name)
            written.append({"bundle": name, "lang": lang})
    bundles.mkdir(exist_ok=True)
    (bundles / "languages.json").write_text(json.dumps(sorted(languages)), encoding="utf-8")
    (bundles / "bundles.json").write_text(json.dumps(written), encoding="utf-8")
    return sorted(languages)


def run_pagefind(pages: Path, bundle: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(pages), "--output-path", str(bundle), "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"pagefind failed on {pages}: {(done.stderr or done.stdout).strip()}")
