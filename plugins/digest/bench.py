"""`invoke bench`: what a full build, a rebuild after one new seed and the report cost on a corpus
of N synthetic seeds, against plain Pelican rendering the same posts.

Every measured command runs in a fresh process, as an editor would run it, so that its time
includes starting up and its caches are only those on disk; its peak memory is that of its whole
process tree (worker processes included). Timings are medians of several runs.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from .bench_corpus import LANG_SHARES, write_corpus
from .parallel import available_cores
from .site import DEFAULTS

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "pelican.conf"
SAMPLE_EVERY_S = 0.1
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# Plain Pelican's own tag pages and feeds stand for the digest's listings and feeds. Its "simple"
# theme, because ours needs the plugin's context and "notmyidea" needs categories, which ours
# switch off.
PLAIN_PELICAN = {
    "THEME": "simple",
    "PLUGINS": [],
    "PLUGIN_PATHS": [],
    "DIRECT_TEMPLATES": ["index", "archives", "tags"],
    "PAGINATED_TEMPLATES": {"index": None, "tag": None, "period_archives": None},
    "FEED_ALL_ATOM": "feeds/all.atom.xml",
    "FEED_ALL_RSS": "feeds/all.rss.xml",
    "TAG_FEED_ATOM": "feeds/{slug}.atom.xml",
    "TAG_FEED_RSS": "feeds/{slug}.rss.xml",
    "FEED_MAX_ITEMS": DEFAULTS["DIGEST_FEED_LIMIT"],
    # The digest makes its month pages itself; plain Pelican makes the same ones with its own.
    "MONTH_ARCHIVE_URL": DEFAULTS["DIGEST_MONTH_URL"],
    "MONTH_ARCHIVE_SAVE_AS": DEFAULTS["DIGEST_MONTH_SAVE_AS"],
}
# Settings of ours that switch Pelican's own tag pages off.
NOT_PLAIN = ("TAG_SAVE_AS", "TAGS_SAVE_AS", "TAG_URL", "TAGS_URL")


class BenchError(RuntimeError):
    pass


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class Figure:
    name: str
    runs: tuple[Run, ...]

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    def line(self, extra: str = "") -> str:
        each = ", ".join(f"{run.seconds:.2f}" for run in self.runs)
        return f"{self.name}: {self.seconds:.2f} s (median of {len(self.runs)}: {each}){extra}, peak {self.peak_mb:.0f} MB"


def run(count: int, runs: int = 3, workdir: str | None = None, out: Callable[[str], None] = print) -> int:
    """Measure everything on `count` seeds and print one line per figure, then the summary."""
    if count < 1 or runs < 1:
        raise BenchError("bench needs at least one seed and one run")
    scratch = Path(workdir).resolve() if workdir else Path(tempfile.mkdtemp(prefix="digest-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        summary = measure_all(count, runs, scratch, out)
    finally:
        if not workdir:
            shutil.rmtree(scratch, ignore_errors=True)
    out(summary)
    return 0


def measure_all(count: int, runs: int, scratch: Path, out: Callable[[str], None]) -> str:
    corpus = scratch / "corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    seeds = write_corpus(corpus, count)
    newcomers = write_corpus(scratch / "newcomers", runs, start=count)
    size = sum(p.stat().st_size for p in seeds)
    shares = ", ".join(f"{lang} {share}%" for lang, share in LANG_SHARES.items())
    out(f"corpus: {count} seeds ({shares}), {size / 1e6:.1f} MB, in {corpus}; {available_cores()} cores")

    # Full builds and plain Pelican take turns, so that both meet the machine at the same time:
    # its speed changes by tens of percent within minutes.
    site = scratch / "site"  # the last full build, kept for the rebuilds below
    fulls, plains = [], []
    for number in range(runs):
        fulls.append(_full_build(scratch, corpus, number))
        if number == 0:  # the posts are the same in every full build
            plain_content = _plain_pelican_content(site / "content", scratch / "plain" / "content")
        plains.append(_plain_pelican(scratch / "plain", plain_content, number))
    full = Figure("full build from seeds", tuple(fulls))
    out(full.line())
    plain = Figure("plain Pelican on the same posts", tuple(plains))
    pairs = ", ".join(f"{ours.seconds / theirs.seconds:.2f}" for ours, theirs in zip(fulls, plains))
    out(plain.line(f", full build / plain Pelican by turn: {pairs}"))
    add_one = Figure("rebuild after adding one seed", tuple(_add_one(site, newcomer) for newcomer in newcomers))
    out(add_one.line(f", {add_one.seconds / full.seconds:.1%} of the full build"))
    cold = Figure("report, no cache", tuple(_report(scratch, corpus, r) for r in range(runs)))
    out(cold.line(f", {count / cold.seconds:.0f} seeds/s"))
    warm = Figure("report after a build", tuple(_report(scratch, site / "seeds", None) for _ in range(runs)))
    out(warm.line(f", {(count + runs) / warm.seconds:.0f} seeds/s"))

    peak = max(figure.peak_mb for figure in (full, add_one, cold, warm))
    return (
        f"bench N={count} full_s={full.seconds:.2f} pelican_s={plain.seconds:.2f} "
        f"ratio={full.seconds / plain.seconds:.2f} add_one_s={add_one.seconds:.2f} "
        f"add_one_ratio={add_one.seconds / full.seconds:.3f} report_seeds_per_s={count / cold.seconds:.0f} "
        f"peak_mb={peak:.0f}"
    )


def _full_build(scratch: Path, corpus: Path, number: int) -> Run:
    """A build from seeds alone: no posts, no caches, no site yet."""
    site = scratch / "site"
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(corpus, site / "seeds")
    return _invoke(scratch, f"full-{number}", "build", *_folders(site))


def _add_one(site: Path, newcomer: Path) -> Run:
    shutil.copy2(newcomer, site / "seeds" / newcomer.name)
    return _invoke(site.parent, f"add-one-{newcomer.stem}", "build", *_folders(site))


def _report(scratch: Path, seeds: Path, number: int | None) -> Run:
    """The report of every seed; `number` gives it a fresh copy of the seeds, so no cache."""
    if number is not None:
        fresh = scratch / "report" / "seeds"
        shutil.rmtree(fresh.parent, ignore_errors=True)
        shutil.copytree(seeds, fresh)
        seeds = fresh
    label = f"report-{number}" if number is not None else "report-warm"
    return _invoke(scratch, label, "report", "--seeds", str(seeds), "--json")


def _folders(site: Path) -> list[str]:
    return ["--seeds", str(site / "seeds"), "--content", str(site / "content"), "--output", str(site / "output")]


def _invoke(scratch: Path, label: str, *task: str) -> Run:
    return measure([sys.executable, "-m", "invoke", *task], scratch / "logs" / f"{label}.log")


def _plain_pelican(folder: Path, content: Path, number: int) -> Run:
    """Pelican itself, from its own command line, with our settings less the plugin and theme."""
    output, cache = folder / "output", folder / "cache"
    for old in (output, cache):
        shutil.rmtree(old, ignore_errors=True)
    conf = folder / "plainconf.py"
    conf.write_text(plain_pelican_conf(content, output, cache), encoding="utf-8")
    return measure([sys.executable, "-m", "pelican", "-q", "-s", str(conf)], folder.parent / "logs" / f"pelican-{number}.log")


def plain_pelican_conf(content: Path, output: Path, cache: Path) -> str:
    """A settings file for Pelican's own command line: pelican.conf (which may hold functions, so
    it is run rather than copied), less the plugin, our theme and our switching off of tag pages."""
    overrides = dict(PLAIN_PELICAN, PATH=str(content), OUTPUT_PATH=str(output), CACHE_PATH=str(cache))
    return (
        "import runpy\n"
        f"globals().update((k, v) for k, v in runpy.run_path({str(CONF)!r}).items() if k.isupper())\n"
        f"for _key in {NOT_PLAIN!r}:\n"
        "    globals().pop(_key, None)\n"
        + "".join(f"{key} = {value!r}\n" for key, value in overrides.items())
    )


def _plain_pelican_content(ours: Path, target: Path) -> Path:
    """Our generated posts and pages, each post tagged with its listings (countries, sectors,
    partnerships, language), so that Pelican's tag pages and feeds do the listings' work."""
    shutil.rmtree(target, ignore_errors=True)
    if (ours / "pages").is_dir():
        shutil.copytree(ours / "pages", target / "pages")
    stories = target / "stories"
    stories.mkdir(parents=True)
    for post in sorted((ours / "stories").glob("*.md")):
        (stories / post.name).write_text(with_tags(post.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def with_tags(post: str) -> str:
    header, _, body = post.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
    parties = sorted(code.strip() for code in fields.get("Countries", "").split(",") if code.strip())
    sectors = [slug.strip() for slug in fields.get("Sectors", "").split(",") if slug.strip()]
    tags = [*parties, *sectors, *("-".join(pair) for pair in combinations(parties, 2)), f"lang-{fields.get('Lang', 'und')}"]
    return f"{header}\nTags: {', '.join(tags)}\n\n{body}"


def measure(command: list[str], log: Path) -> Run:
    """Run a command in a fresh process; its wall time and the peak memory of its process tree."""
    log.parent.mkdir(parents=True, exist_ok=True)
    # No bytecode written: every run pays the same start-up, not only the first after a change.
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # What preparing the run wrote or deleted (a copy of the seeds, the previous run's site of a
    # gigabyte) reaches the disk now, not while the command is timed.
    os.sync()
    with open(log, "wb") as stream:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT, env=env)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise BenchError(f"{' '.join(command[1:4])} failed with status {child.returncode}; {log}:\n{tail}")
    # ru_maxrss (KiB on Linux) is the largest single process; the sampler adds up the tree, and
    # may miss a peak shorter than its interval.
    return Run(seconds, max(usage.ru_maxrss / 1024, sampler.peak_mb))


class TreeSampler(threading.Thread):
    """The largest memory in use by a process and its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_mb = 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY_S):
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))

    def stop(self) -> None:
        self._done.set()
        self.join()


def tree_rss_mb(root: int) -> float:
    """Memory in use by a process and its descendants. Forked workers share most of their pages
    with their parent, so each process counts its proportional share (Pss) where Linux gives it,
    and its whole resident set otherwise."""
    total = sum(_process_kib(pid) for pid in _descendants(root)) * 1024
    return total / 2**20


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                # The command name in (…) may hold spaces: the parent id follows its last ')'.
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return tree


def _process_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES // 1024
    except (OSError, ValueError, IndexError):
        return 0
