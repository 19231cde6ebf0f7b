"""What each `invoke` task does, as plain functions returning an exit status (tasks.py stays thin)."""

from __future__ import annotations

import contextlib
import functools
import gc
import http.server
import itertools
import os
import shutil
import sys
import tempfile
import threading
import time
import unicodedata
from pathlib import Path

import regex

from . import checks, pipeline, report
from .build import BuildResult, build_site, load_settings
from .cache import articles_dir, no_collection
from .decode import MAX_SEED_BYTES, DecodeError, decode_seed, refuse_too_large
from .extract import take_clusters
from .ledger import LedgerError
from .site import build_date, configure

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "pelican.conf"


def settings_for(seeds=None, content=None, output=None) -> dict:
    def absolute(path):
        return str(Path(path).resolve()) if path else None

    settings = load_settings(
        CONF, DIGEST_SEEDS=absolute(seeds), PATH=absolute(content), OUTPUT_PATH=absolute(output)
    )
    configure(settings)
    return settings


def _no_seeds_folder(settings: dict, command: str) -> bool:
    """True, once it has said so, when the seeds folder is not there (say, a typo in --seeds)."""
    folder = Path(settings["DIGEST_SEEDS"])
    if folder.is_dir():
        return False
    print(f"{command} failed: no seeds folder at {folder}", file=sys.stderr)
    return True


def build(seeds=None, content=None, output=None, quiet=False) -> int:
    """Build the site; seed errors are reported and the other seeds still published."""
    settings = settings_for(seeds, content, output)
    if _no_seeds_folder(settings, "build"):
        return 2
    try:
        result = build_site(settings)
    except LedgerError as error:
        print(f"build failed, output/ was left as it was: {error}", file=sys.stderr)
        return 1
    if not quiet:
        conversion = result.conversion
        published = sum(1 for r in conversion.results if r.publishes)
        print(
            f"built {result.output}: {published} stories from {len(conversion.results)} seeds "
            f"({result.pages_rendered} pages rendered, {result.pages_reused} unchanged)"
        )
        _print_build_notes(result)
    return 0


def _print_build_notes(result: BuildResult, stream=None) -> None:
    """Errors to standard error; removed and kept posts to `stream` (standard output by default)."""
    for error in result.conversion.errors:
        print(f"  seed error: {error.seed}: {error.error}", file=sys.stderr)
    for message in result.errors:
        print(f"  build error: {message}", file=sys.stderr)
    if result.conversion.ledger_warning:
        print(f"  warning: {result.conversion.ledger_warning}", file=sys.stderr)
    for note in result.conversion.removed + result.conversion.kept:
        print(f"  {note}", file=stream or sys.stdout)


def report_seeds(seeds=None, as_json=False) -> int:
    settings = settings_for(seeds)
    if _no_seeds_folder(settings, "report"):
        return 2
    # What the report reads lives until it is printed, and holds no garbage: the cycle collector
    # would only walk it, again and again as the report is made (0.3 s of 10,000 seeds).
    with no_collection():
        try:
            results, _ = pipeline.plan(Path(settings["DIGEST_SEEDS"]), build_date(settings), articles_dir(settings))
        except LedgerError as error:
            print(f"report failed: {error}", file=sys.stderr)
            return 1
        print(report.report_json(results) if as_json else report.report_text(results))
        # Done with: what the report made is kept out of the collector's sight, which would
        # otherwise go through all of it once more as it resumed (0.14 s of 10,000 seeds).
        gc.freeze()
    return 0


# Kept in seed names: letters and marks of any script (readable Hindi and Russian names),
# digits, "_", "." and "-", and the joiners Devanagari spelling needs; anything else is a gap.
_NAME_GAPS = regex.compile(r"[^\p{L}\p{M}\p{N}_.\u200c\u200d-]+")
MAX_NAME = 60  # characters: 180 bytes of UTF-8 Devanagari at most, well under any file system's 255


def safe_seed_name(name: str) -> str:
    """A readable file name, safe in any shell and file system: the original words (any script),
    dashes for spaces and punctuation, no leading dot (hidden) or dash (an option), ending in .txt."""
    stem = regex.sub(r"(?i)\.txt$", "", unicodedata.normalize("NFC", Path(name).name))
    stem = regex.sub(r"-*\.-*", ".", regex.sub(r"-{2,}", "-", "-".join(_NAME_GAPS.split(stem))))
    kept = take_clusters(stem.strip("-._"), MAX_NAME)
    return (kept.rstrip("-._") or "seed") + pipeline.SEED_SUFFIX


def _stdin_name(raw: bytes) -> str:
    """A seed read from standard input is named after its first line, when it has one."""
    try:
        text = decode_seed(raw)
    except DecodeError:
        return "stdin.txt"
    return safe_seed_name(next(line for line in text.split("\n") if line)[:MAX_NAME])


def place_seed(seeds_dir: Path, name: str, raw: bytes) -> tuple[Path, bool]:
    """Write the seed under `name`, or `name-2`, `name-3`… : never over a different file.

    Returns the path and whether it is new (False: the same bytes were already there).
    The file appears whole or not at all (a hard link is created only if the name is free).
    """
    stem = name[: -len(pipeline.SEED_SUFFIX)]
    handle, temporary = tempfile.mkstemp(dir=seeds_dir, prefix=".adding-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(raw)
        for number in itertools.count(1):
            target = seeds_dir / (name if number == 1 else f"{stem}-{number}{pipeline.SEED_SUFFIX}")
            try:
                os.link(temporary, target)
                return target, True
            except FileExistsError:
                if target.is_file() and target.read_bytes() == raw:
                    return target, False
    finally:
        os.unlink(temporary)


def _refusal(path: str) -> str | None:
    """Why a path cannot be added at all, or None."""
    if not Path(path).is_file():
        return "no such file"
    try:
        refuse_too_large(Path(path).stat().st_size)
    except DecodeError as error:
        return str(error)
    return None


def _read_stdin() -> bytes | None:
    """Standard input's bytes, or None when there are more than a seed may have."""
    raw = sys.stdin.buffer.read(MAX_SEED_BYTES + 1)
    return raw if len(raw) <= MAX_SEED_BYTES else None


def add_seeds(paths: list[str], as_json=False, seeds=None, content=None, output=None) -> int:
    """Copy seeds into the seeds folder, build, and print what was detected in each.

    Exit status 2 when a path is not a file or is too large (nothing is copied), 1 when an
    added seed cannot be published (it stays in the seeds folder, to be fixed there), else 0.
    """
    if paths.count("-") > 1:
        print("add-seed: standard input (-) can be read only once", file=sys.stderr)
        return 2
    refused = {path: reason for path in paths if path != "-" and (reason := _refusal(path))}
    raws = {path: _read_stdin() if path == "-" else Path(path).read_bytes() for path in paths if path not in refused}
    if "-" in raws and raws["-"] is None:
        refused["-"] = f"too large: more than {MAX_SEED_BYTES:,} bytes, the limit is {MAX_SEED_BYTES:,} bytes"
    for path, reason in refused.items():
        print(f"add-seed: {'standard input' if path == '-' else path}: {reason}; nothing was copied", file=sys.stderr)
    if refused:
        return 2
    settings = settings_for(seeds, content, output)
    seeds_dir = Path(settings["DIGEST_SEEDS"])
    seeds_dir.mkdir(parents=True, exist_ok=True)
    notes = sys.stderr if as_json else sys.stdout
    added: list[str] = []
    for path, raw in raws.items():
        target, new = place_seed(seeds_dir, _stdin_name(raw) if path == "-" else safe_seed_name(path), raw)
        source = "standard input" if path == "-" else path
        if new:
            print(f"added {source} as {target}", file=notes)
        else:
            print(f"{source} is already in the seeds folder as {target} (same bytes): not copied again", file=notes)
        added.append(target.name)
    try:
        # Pelican prints its progress: with --json, standard output is the JSON alone.
        with contextlib.redirect_stdout(notes):
            result = build_site(settings)
    except LedgerError as error:
        print(f"build failed, output/ was left as it was: {error}", file=sys.stderr)
        return 1
    by_name = {r.seed: r for r in result.conversion.results}
    chosen = [by_name[name] for name in dict.fromkeys(added)]
    print(report.report_json(chosen) if as_json else report.report_text(chosen))
    for r in chosen:
        if r.error:
            print(f"{seeds_dir / r.seed} cannot be published: fix it there, or delete it", file=notes)
        elif r.publishes:
            print(f"story page: {result.output / 'stories' / r.slug / 'index.html'}", file=notes)
    _print_build_notes(result, notes)
    return 1 if any(r.error for r in chosen) else 0


def check(seeds=None, content=None, output=None, strict_warnings=False) -> int:
    """Strict build for CI and before publishing.

    Fails (exit 1) on a seed error, a Pelican error, an unrecorded date added, a broken
    internal link, an invalid feed, or a warning marked as an error: every warning with
    `strict_warnings`, else those starting with a prefix listed in DIGEST_STRICT_WARNINGS.
    A failed check leaves output/ as it was.
    """
    settings = settings_for(seeds, content, output)
    if _no_seeds_folder(settings, "check"):
        return 2
    marked = settings.get("DIGEST_STRICT_WARNINGS") or ()
    strict = ("",) if strict_warnings else (marked,) if isinstance(marked, str) else tuple(marked)
    counts: dict[str, int] = {}

    def verify(site: Path, conversion: pipeline.Conversion, pelican_errors: list[str]) -> list[str]:
        problems = [f"seed {r.seed}: {r.error}" for r in conversion.errors]
        problems += [f"seed {r.seed}: warning: {w}" for r in conversion.results for w in r.warnings if w.startswith(strict)]
        problems += [f"build: {message}" for message in pelican_errors]
        if conversion.ledger_warning:
            problems.append(conversion.ledger_warning)
        problems += [f"broken link: {line}" for line in checks.broken_internal_links(site, settings.get("SITEURL"))]
        problems += [f"invalid feed: {line}" for line in checks.invalid_feeds(site)]
        counts.update(pages=len(checks.html_pages(site)), feeds=len(checks.feed_files(site)))
        return problems

    try:
        result = build_site(settings, verify)
    except LedgerError as error:
        print(f"✗ {error}", file=sys.stderr)
        print("check: failed before building: the ledger cannot be read")
        return 1
    for problem in result.problems:
        print(f"✗ {problem}", file=sys.stderr)
    for note in result.conversion.removed + result.conversion.kept:
        print(f"  {note}")
    results = result.conversion.results
    published = sum(1 for r in results if r.publishes)
    summary = (
        f"check: {len(results)} seeds ({published} published), {counts['pages']} pages, "
        f"{counts['feeds']} feeds: {len(result.problems)} problems"
    )
    print(summary + ("; output/ was left as it was" if result.problems else ""))
    return 1 if result.problems else 0


def serve(port=8000, seeds=None, content=None, output=None) -> int:
    """Serve output/ on 127.0.0.1 and rebuild when a seed, the theme or the settings change."""
    settings = settings_for(seeds, content, output)
    if _no_seeds_folder(settings, "serve"):
        return 2
    build_site(settings)
    watched = [Path(settings["DIGEST_SEEDS"]), Path(settings["THEME"]), CONF, Path(settings["PATH"]) / "pages"]

    def snapshot():
        return {
            p: p.stat().st_mtime_ns
            for root in watched if root.exists()
            for p in ([root] if root.is_file() else root.rglob("*")) if p.is_file()
        }

    def watch():
        seen = snapshot()
        while True:
            time.sleep(1)
            now = snapshot()
            if now != seen:
                seen = now
                print("change seen: rebuilding")
                try:
                    build_site(settings_for(seeds, content, output))
                except Exception as error:  # keep serving the last good site
                    print(f"rebuild failed: {error}", file=sys.stderr)

    threading.Thread(target=watch, daemon=True).start()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=settings["OUTPUT_PATH"])
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"serving {settings['OUTPUT_PATH']} at http://127.0.0.1:{port}/")
        server.serve_forever()
    return 0


def copy_seeds(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for path in pipeline.list_seeds(source):
        shutil.copy2(path, target / path.name)


def update_goldens(golden_dir: Path) -> int:
    """Rewrite the expected post of each example seed after an intended change."""
    import datetime as dt
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        seeds = Path(scratch) / "seeds"
        copy_seeds(ROOT / "seeds", seeds)
        shutil.copy2(ROOT / "seeds" / "ledger.json", seeds / "ledger.json")
        conversion = pipeline.convert_seeds(seeds, Path(scratch) / "content", dt.date.fromisoformat(GOLDEN_DAY))
        golden_dir.mkdir(parents=True, exist_ok=True)
        for result in conversion.results:
            if result.publishes:
                post = Path(scratch) / "content" / pipeline.STORIES_DIR / f"{result.slug}.md"
                shutil.copy2(post, golden_dir / f"{Path(result.seed).stem}.md")
                print(f"updated {golden_dir.name}/{Path(result.seed).stem}.md")
    return 0


# The build date the goldens and tests assume, so they hold on any day.
GOLDEN_DAY = "2026-11-24"
