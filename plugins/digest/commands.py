"""What each `invoke` task does, as plain functions returning an exit status (tasks.py stays thin)."""

from __future__ import annotations

import functools
import http.server
import shutil
import sys
import threading
import time
from pathlib import Path

import regex
from slugify import slugify

from . import pipeline, report
from .build import build_site, load_settings
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


def build(seeds=None, content=None, output=None, quiet=False) -> int:
    settings = settings_for(seeds, content, output)
    result = build_site(settings)
    conversion = result.conversion
    if not quiet:
        published = sum(1 for r in conversion.results if r.publishes)
        print(f"built {result.output}: {published} stories from {len(conversion.results)} seeds")
        for error in conversion.errors:
            print(f"  seed error: {error.seed}: {error.error}", file=sys.stderr)
        for path in conversion.removed:
            print(f"  removed {path.name}: its seed is gone")
    return 0


def report_seeds(seeds=None, as_json=False) -> int:
    settings = settings_for(seeds)
    results, _ = pipeline.plan(Path(settings["DIGEST_SEEDS"]), build_date(settings))
    print(report.report_json(results) if as_json else report.report_text(results))
    return 0


def safe_seed_name(name: str) -> str:
    """A file name that is safe everywhere: ASCII, no spaces, ending in .txt."""
    stem = regex.sub(r"\.txt$", "", Path(name).name, flags=regex.IGNORECASE)
    return (slugify(stem, max_length=60) or "seed") + pipeline.SEED_SUFFIX


def add_seeds(paths: list[str], as_json=False, seeds=None, content=None, output=None) -> int:
    settings = settings_for(seeds, content, output)
    seeds_dir = Path(settings["DIGEST_SEEDS"])
    seeds_dir.mkdir(parents=True, exist_ok=True)
    added = []
    for path in paths:
        if path != "-" and not Path(path).is_file():
            print(f"add-seed: {path}: no such file", file=sys.stderr)
            return 2
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        name = safe_seed_name("stdin" if path == "-" else path)
        target, number = seeds_dir / name, 2
        while target.exists() and target.read_bytes() != raw:
            target, number = seeds_dir / f"{Path(name).stem}-{number}{pipeline.SEED_SUFFIX}", number + 1
        target.write_bytes(raw)
        added.append(target.name)
    result = build_site(settings)
    chosen = [r for r in result.conversion.results if r.seed in added]
    print(report.report_json(chosen) if as_json else report.report_text(chosen))
    return 1 if any(r.error for r in chosen) else 0


def check(seeds=None, content=None, output=None) -> int:
    """Strict build: any seed error or build error fails, with a summary."""
    settings = settings_for(seeds, content, output)
    result = build_site(settings)
    problems = [f"seed {r.seed}: {r.error}" for r in result.conversion.errors]
    problems += [f"build: {message}" for message in result.errors]
    if result.conversion.ledger_warning:
        problems.append(result.conversion.ledger_warning)
    for problem in problems:
        print(f"✗ {problem}", file=sys.stderr)
    total = len(result.conversion.results)
    print(f"check: {total} seeds, {len(problems)} problems")
    return 1 if problems else 0


def serve(port=8000, seeds=None, content=None, output=None) -> int:
    """Serve output/ on 127.0.0.1 and rebuild when a seed, the theme or the settings change."""
    settings = settings_for(seeds, content, output)
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
