"""Seeds folder -> Articles -> Markdown posts in content/, one bad seed never stopping the others."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path


from . import extract, post
from .cache import ArticleStore, BytesError, Kept, file_signature, no_collection, read_seeds, settled_signatures
from .countries import country_codes
from .decode import DecodeError, decode_seed, refuse_too_large
from .ledger import Ledger, Record, write_atomically
from .model import Article, Extracted, Overrides, SeedError
from .patterns import ClassRuns, Pattern
from .sectors import sector_slugs
from .slugs import make_slug
from .tagging import tag

SEED_SUFFIX = ".txt"
STORIES_DIR = "stories"
# Punctuation and symbols: their runs become spaces, and then every run of spaces one space.
_PUNCTUATION = ClassRuns(r"[\p{P}\p{S}]")
_WORD = Pattern(r"[\p{L}\p{N}]")


@dataclass(frozen=True)
class SeedResult:
    """One seed's outcome: its article, or the reason it could not be used."""

    seed: str
    found: Article | Kept | None = None  # a Kept: read by an earlier build, unpickled when asked for
    error: str | None = None
    slug: str | None = None
    added: dt.date | None = None
    warnings: tuple[str, ...] = ()
    duplicate_of: str | None = None

    @property
    def article(self) -> Article | None:
        return self.found.article if isinstance(self.found, Kept) else self.found

    @property
    def seed_key(self) -> str | None:
        """The hash of the seed's bytes, when the store keeps its article (see cache.py)."""
        return self.found.key if isinstance(self.found, Kept) else None

    @property
    def publishes(self) -> bool:
        """True for the seeds that become posts (not errors, not duplicates)."""
        return self.found is not None and self.error is None and self.duplicate_of is None


@dataclass(frozen=True)
class PostNote:
    """What happened to a generated post that no seed publishes in this build, and why."""

    action: str  # "removed", or "kept" (the last good post of a seed that now has an error)
    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.action} {self.path.parent.name}/{self.path.name}: {self.reason}"


@dataclass
class Conversion:
    results: list[SeedResult]
    written: list[Path] = field(default_factory=list)
    removed: list[PostNote] = field(default_factory=list)
    kept: list[PostNote] = field(default_factory=list)
    ledger_warning: str | None = None

    @property
    def errors(self) -> list[SeedResult]:
        return [r for r in self.results if r.error]


def list_seeds(seeds_dir: Path) -> list[Path]:
    """The seed files: *.txt in any case ("Story.TXT" too), not hidden editor files."""
    # Names, not paths, are sorted: ten thousand Path comparisons cost a rebuild a tenth of a second.
    with os.scandir(seeds_dir) as entries:
        names = sorted(
            entry.name for entry in entries
            if entry.name.lower().endswith(SEED_SUFFIX) and not entry.name.startswith(".") and entry.is_file()
        )
    return [seeds_dir / name for name in names]


def read_article(path: Path) -> Article:
    """Decode, read and tag one seed; every failure becomes a SeedError naming the file, a
    BytesError when the seed's bytes alone cause it (the same bytes fail the same way)."""
    name = path.name
    try:
        refuse_too_large(path.stat().st_size)
        raw = path.read_bytes()
    except (DecodeError, OSError) as error:
        raise SeedError(name, str(error)) from None
    try:
        text = decode_seed(raw)
    except DecodeError as error:
        raise BytesError(name, str(error)) from None
    try:
        overrides, text = extract.split_header(text, country_codes(), sector_slugs())
    except extract.HeaderError as error:
        # The message must stand alone (build log, `invoke check`): it names the file and the line.
        raise BytesError(name, f"bad header block in {name}, {error}") from None
    if not text.strip():
        raise BytesError(name, "empty: the header block is followed by no article text")
    try:
        extracted = extract.extract(text)
    except ValueError as error:
        raise BytesError(name, str(error)) from None
    shown = (overrides.title or extracted.title, *(block.text for block in extracted.blocks))
    if not any(_WORD.search(text) for text in shown):  # no story, and nothing search could index
        raise BytesError(name, "no words: the seed holds only punctuation and symbols")
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
        title_slug=make_slug(overrides.title or found.title),
        warnings=found.warnings,
    )


def fingerprint(found: Extracted) -> str:
    """The same article with other junk, punctuation or spacing has the same fingerprint. A
    decoded text's only spaces are the plain one and the line break, which `str.split` drops
    quicker than a pattern would rewrite the space between each two words."""
    text = " ".join(block.text for block in found.blocks) or found.title
    canonical = " ".join(_PUNCTUATION.sub(" ", text.casefold()).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def plan(seeds_dir: Path, today: dt.date, cache: Path | None = None) -> tuple[list[SeedResult], Ledger]:
    """Read every seed and give each a stable slug and date added; nothing is written but the
    store of what seeds gave (`cache`, see cache.py). Every article is at hand: the report shows
    them all."""
    with _open_store(cache) as store:
        results, ledger = _plan(seeds_dir, today, store)
        return [_with_article(result) for result in results], ledger


def _open_store(cache: Path | None) -> ArticleStore | nullcontext:
    return ArticleStore(cache) if cache else nullcontext()


def _with_article(result: SeedResult) -> SeedResult:
    """The result with its article loaded while the store is open (a Kept keeps it once loaded)."""
    if isinstance(result.found, Kept):
        try:
            result.found.article
        except SeedError as error:  # the store lost the article, and the seed is now bad
            return SeedResult(result.seed, error=error.reason)
    return result


def _plan(seeds_dir: Path, today: dt.date, store: ArticleStore | None) -> tuple[list[SeedResult], Ledger]:
    """`plan`, with the articles the store holds left in it until they are asked for. The cycle
    collector waits meanwhile: planning makes tens of thousands of objects that live on (records,
    articles, results) and next to no garbage, and every few hundred objects made would start a
    collection over all in memory, the detection tables too (0.5 s of a report's 10,000 seeds)."""
    with no_collection():
        ledger = Ledger.load(seeds_dir)
        seeds = list_seeds(seeds_dir)
        ledger.forget_missing({p.name for p in seeds})
        articles = read_seeds(seeds, read_article, store)

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
                note = f"duplicate: {name} holds the same article as {original}; only {original} is published"
                results[original] = replace(first, warnings=(*first.warnings, note))
                continue
            record = ledger.admit(name, article.fingerprint, partial(_title_slug, article), today)
            results[name] = SeedResult(name, article, slug=record.slug, added=record.added, warnings=article.warnings)
        return [results[p.name] for p in seeds], ledger


def _title_slug(found: Article | Kept) -> str:
    """The slug made when the seed was read; made now for an article the store only outlines."""
    article = found.loaded if isinstance(found, Kept) else found
    return article.title_slug if article is not None else make_slug(found.title)


def convert_seeds(
    seeds_dir: Path, content_dir: Path, today: dt.date, cache: Path | None = None,
    planned: Callable[[list[SeedResult], Ledger], None] | None = None,
) -> Conversion:
    """Write one post per good seed into content/stories/, remove posts whose seed is gone.
    `planned` is called with the seeds' results and ledger once every published seed has its
    slug and number, before the posts are written (search starts there, see search.py).

    With a store (`cache`), a post is neither rendered nor read when the file is the one written
    or checked by an earlier build (same stat signature) and was made from what would make it
    now: the same seed bytes and name, the same ledger record and, the store being per version,
    the same code. A post edited or deleted by hand has another signature, and is written again.
    """
    with _open_store(cache) as store:
        results, ledger = _plan(seeds_dir, today, store)
        if planned:
            planned(results, ledger)
        made = store.posts() if store else {}
        stories = content_dir / STORIES_DIR
        stories.mkdir(parents=True, exist_ok=True)
        conversion = Conversion(results)
        wanted: set[str] = set()
        checked: dict[Path, str] = {}  # posts now holding what they were made from
        for index, result in enumerate(results):
            if not result.publishes:
                continue
            name = f"{result.slug}.md"
            wanted.add(name)
            where = os.path.join(stories, name)  # not a Path yet: most posts need only this look-up
            made_from = _made_from(result, ledger.records[result.seed])
            if made_from and made.get(where) == (file_signature(where), made_from):
                continue
            target = stories / name
            try:
                article = result.article
            except SeedError as error:  # the store lost the article, and the seed is now bad
                results[index] = SeedResult(result.seed, error=error.reason)
                wanted.discard(name)
                continue
            body = post.render_body(article.blocks)
            digest = post.content_hash(article, slug=result.slug, added=result.added, body=body)
            record = ledger.note_content(result.seed, digest, today)
            text = post.render_post(article, slug=result.slug, added=record.added, updated=record.updated, body=body)
            if write_post(target, text.encode("utf-8")):
                conversion.written.append(target)
            if made_from:
                checked[target] = _made_from(result, record)
        _remove_stale_posts(stories, wanted, results, conversion)
        try:
            ledger.save()
        except OSError as error:
            conversion.ledger_warning = (
                f"dates added were not recorded: cannot write {ledger.path.name} in {seeds_dir} ({error.strerror})"
            )
        if store:
            # Last, so that as many posts as possible have settled (see cache.signature).
            store.write(posts=[(str(path), sig, checked[path]) for path, sig in settled_signatures(checked)])
    return conversion


def write_post(path: Path, data: bytes) -> bool:
    """Write the post unless it already holds `data`; True when it was written.

    A new post is created in place: creating a file and renaming it into place cost twice as
    much here as creating it (5,000 posts: 0.07-0.12 against 0.03-0.08 ms each), and a full
    build creates every post. A new post cut short by an interrupted build has no record in the
    store, so the next build compares it with what it should hold and writes it again. A post
    that exists is replaced whole: an interrupted build leaves it as it was."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        try:
            with open(path, "xb") as stream:
                stream.write(data)
            return True
        except FileExistsError:  # made meanwhile: replaced whole below
            pass
    write_atomically(path, data)
    return True


def _made_from(result: SeedResult, record: Record) -> str | None:
    """All a post is made from besides the code: its seed's bytes and name, and its ledger
    record; None when the seed's article is not in the store (its bytes are not known)."""
    if not isinstance(result.found, Kept):
        return None
    return repr((result.found.key, result.seed, record))


def _remove_stale_posts(stories: Path, wanted: set[str], results: list[SeedResult], conversion: Conversion) -> None:
    by_name = {result.seed: result for result in results}
    with os.scandir(stories) as entries:
        posts = sorted(entry.name for entry in entries if entry.name.endswith(".md"))
    for stale in (stories / name for name in posts if name not in wanted):
        seed = _seed_of(stale)
        result = by_name.get(seed)
        if seed is None:  # hand-written posts are never touched
            continue
        if result is not None and result.error:
            # A published story whose seed was spoilt (say, a typo in its header) stays online
            # as it was until the seed is fixed; `invoke check` fails meanwhile.
            conversion.kept.append(PostNote("kept", stale, f"its seed {seed} has an error; this is its last good post"))
            continue
        stale.unlink()
        conversion.removed.append(PostNote("removed", stale, _removal_reason(result, seed)))


def _seed_of(path: Path) -> str | None:
    """The seed a generated post was made from; None for a hand-written post."""
    with path.open(encoding="utf-8", errors="replace") as stream:
        first = stream.readline()
    return first[len("Seed: "):].strip() if first.startswith("Seed: ") else None


def _removal_reason(result: SeedResult | None, seed: str) -> str:
    if result is None:
        return f"its seed {seed} is gone"
    if result.duplicate_of:
        return f"its seed {seed} is a duplicate of {result.duplicate_of}"
    return f"its seed {seed} is now published as {result.slug}"
