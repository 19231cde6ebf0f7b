"""Seeds folder -> Articles -> Markdown posts in content/, one bad seed never stopping the others."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import regex

from . import extract, post
from .countries import country_codes
from .decode import DecodeError, decode_seed
from .ledger import Ledger, write_atomically
from .model import Article, Extracted, Overrides, SeedError
from .sectors import sector_slugs
from .slugs import make_slug
from .tagging import tag

SEED_SUFFIX = ".txt"
STORIES_DIR = "stories"
_FINGERPRINT_NOISE = regex.compile(r"[\p{P}\p{S}\s]+")


@dataclass(frozen=True)
class SeedResult:
    """One seed's outcome: its article, or the reason it could not be used."""

    seed: str
    article: Article | None = None
    error: str | None = None
    slug: str | None = None
    added: dt.date | None = None
    warnings: tuple[str, ...] = ()
    duplicate_of: str | None = None

    @property
    def publishes(self) -> bool:
        """True for the seeds that become posts (not errors, not duplicates)."""
        return self.article is not None and self.error is None and self.duplicate_of is None


@dataclass
class Conversion:
    results: list[SeedResult]
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    ledger_warning: str | None = None

    @property
    def errors(self) -> list[SeedResult]:
        return [r for r in self.results if r.error]


def list_seeds(seeds_dir: Path) -> list[Path]:
    return sorted(p for p in seeds_dir.iterdir() if p.is_file() and p.suffix == SEED_SUFFIX and not p.name.startswith("."))


def read_article(path: Path) -> Article:
    """Decode, read and tag one seed; every failure becomes a SeedError naming the file."""
    name = path.name
    try:
        text = decode_seed(path.read_bytes())
    except (DecodeError, OSError) as error:
        raise SeedError(name, str(error)) from None
    try:
        overrides, text = extract.split_header(text, country_codes(), sector_slugs())
    except extract.HeaderError as error:
        raise SeedError(name, str(error)) from None
    if not text.strip():
        raise SeedError(name, "empty: the seed has no text")
    try:
        extracted = extract.extract(text)
    except ValueError as error:
        raise SeedError(name, str(error)) from None
    return _article(name, extracted, overrides)


def _article(seed: str, found: Extracted, overrides: Overrides) -> Article:
    tags = tag(found)
    parties = overrides.countries if overrides.countries is not None else tags.parties
    mentions = tuple(code for code in tags.mentions if code not in parties)
    if overrides.date:
        date, date_source = overrides.date, "override"
    elif found.date:
        date, date_source = found.date, "text"
    else:
        date, date_source = None, "added"
    return Article(
        seed=seed,
        title=overrides.title or found.title,
        standfirst=found.standfirst,
        date=date,
        date_source=date_source,
        lang=overrides.lang or found.lang,
        source=overrides.source or found.source,
        blocks=found.blocks,
        parties=parties,
        mentions=mentions,
        sectors=overrides.sectors if overrides.sectors is not None else tags.sectors,
        fingerprint=fingerprint(found),
        warnings=found.warnings,
    )


def fingerprint(found: Extracted) -> str:
    """The same article with other junk or spacing has the same fingerprint."""
    text = " ".join(block.text for block in found.blocks) or found.title
    canonical = _FINGERPRINT_NOISE.sub(" ", text.casefold()).strip()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def plan(seeds_dir: Path, today: dt.date) -> tuple[list[SeedResult], Ledger]:
    """Read every seed and give each a stable slug and date added; nothing is written."""
    ledger = Ledger.load(seeds_dir)
    seeds = list_seeds(seeds_dir)
    ledger.forget_missing({p.name for p in seeds})
    articles: dict[str, Article | SeedError] = {}
    for path in seeds:
        try:
            articles[path.name] = read_article(path)
        except SeedError as error:
            articles[path.name] = error
        except Exception as error:  # a bug must not cost the editor the other seeds
            articles[path.name] = SeedError(path.name, f"could not be read ({type(error).__name__}: {error})")

    # Older records first, so a seed keeps its slug when a newcomer wants the same one.
    def seniority(name: str) -> tuple:
        record = ledger.records.get(name)
        return (record is None, record.added if record else today, name)

    results: dict[str, SeedResult] = {}
    first_with: dict[str, str] = {}
    for name in sorted(articles, key=seniority):
        article = articles[name]
        if isinstance(article, SeedError):
            results[name] = SeedResult(name, error=article.reason)
            continue
        original = first_with.setdefault(article.fingerprint, name)
        if original != name:
            first = results[original]
            warning = f"duplicate of {original}: {name} and {original} hold the same article; one post is published"
            results[name] = SeedResult(
                name, article, slug=first.slug, added=first.added, warnings=(warning,), duplicate_of=original
            )
            continue
        record = ledger.admit(name, article.fingerprint, make_slug(article.title), today)
        results[name] = SeedResult(name, article, slug=record.slug, added=record.added, warnings=article.warnings)
    return [results[p.name] for p in seeds], ledger


def convert_seeds(seeds_dir: Path, content_dir: Path, today: dt.date) -> Conversion:
    """Write one post per good seed into content/stories/, remove posts whose seed is gone."""
    results, ledger = plan(seeds_dir, today)
    stories = content_dir / STORIES_DIR
    stories.mkdir(parents=True, exist_ok=True)
    conversion = Conversion(results)
    wanted: set[Path] = set()
    for result in results:
        if not result.publishes:
            continue
        article = result.article
        digest = post.content_hash(article, slug=result.slug, added=result.added)
        record = ledger.note_content(result.seed, digest, today)
        text = post.render_post(article, slug=result.slug, added=record.added, updated=record.updated)
        target = stories / f"{result.slug}.md"
        wanted.add(target)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            write_atomically(target, text)
            conversion.written.append(target)
    for stale in sorted(stories.glob("*.md")):
        if stale not in wanted and _is_generated(stale):
            stale.unlink()
            conversion.removed.append(stale)
    try:
        ledger.save()
    except OSError as error:
        conversion.ledger_warning = (
            f"dates added were not recorded: cannot write {ledger.path.name} in {seeds_dir} ({error.strerror})"
        )
    return conversion


def _is_generated(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as stream:
        return stream.readline().startswith("Seed: ")
