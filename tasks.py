"""Cooperation Digest's commands (`invoke --list`). Each task calls one function of the plugin."""

import gc
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from digest import commands  # noqa: E402
from digest import evaluate as evaluation  # noqa: E402


def _exit(status: int) -> None:
    # The command is done: what it made is freed with the process rather than by Python's last
    # cycle collection, which went through all of it once more (0.8 s after 10,000 stories).
    gc.freeze()
    if status:
        sys.exit(status)


@task(help={"seeds": "folder of seeds (seeds/)", "content": "folder for posts (content/)", "output": "site folder (output/)"})
def build(c, seeds=None, content=None, output=None):
    """Seeds -> Markdown posts -> site."""
    _exit(commands.build(seeds, content, output))


@task(help={"port": "port on 127.0.0.1 (8000)"})
def serve(c, port=8000, seeds=None, content=None, output=None):
    """Serve output/ on 127.0.0.1 and rebuild on change."""
    _exit(commands.serve(int(port), seeds, content, output))


@task(help={"seeds": "folder of seeds (seeds/)", "json": "one JSON array instead of text"})
def report(c, seeds=None, json=False):
    """The detection report of every seed, without building the site."""
    _exit(commands.report_seeds(seeds, as_json=json))


@task(help={"seeds": "folder of labelled seeds (default: tests/devset/seeds and seeds/)", "labels": "their labels JSON"})
def evaluate(c, seeds=None, labels=None):
    """Score detection against labels: per-field precision, recall, F1 or accuracy, and every error."""
    _exit(evaluation.run(seeds, labels))


@task(
    iterable=["also"],
    help={
        "path": "a seed file, or - for standard input",
        "also": "another seed file (repeat: --also a.txt --also b.txt)",
        "json": "the report as one JSON array (notes go to stderr)",
        "seeds": "folder of seeds (seeds/)", "content": "folder for posts (content/)", "output": "site folder (output/)",
    },
)
def add_seed(c, path, also=None, json=False, seeds=None, content=None, output=None):
    """Copy seed(s) into seeds/ under a safe, readable name (never over another file), build, and
    print what was detected. Exit 1 when an added seed cannot be published, 2 when a path is missing."""
    paths = [path, *(also or [])]
    _exit(commands.add_seeds(paths, as_json=json, seeds=seeds, content=content, output=output))


@task(
    help={
        "seeds": "folder of seeds (seeds/)", "content": "folder for posts (content/)", "output": "site folder (output/)",
        "strict_warnings": "fail on every seed warning too (by default only on warnings starting with "
        "a prefix listed in DIGEST_STRICT_WARNINGS in pelican.conf, e.g. [\"duplicate\"])",
    },
)
def check(c, seeds=None, content=None, output=None, strict_warnings=False):
    """Strict build for CI and before publishing: a seed error, a build error, a broken internal
    link, an invalid feed or a warning marked as an error fails (exit 1) and output/ is left as it was."""
    _exit(commands.check(seeds, content, output, strict_warnings=strict_warnings))


@task(help={"seeds": "how many synthetic seeds (1000)", "runs": "runs per figure; the median is shown (3)", "keep": "folder to keep the corpus, sites and logs in"})
def bench(c, seeds=1000, runs=3, keep=None):
    """Time a full build, plain Pelican, a one-seed rebuild and the report on N synthetic seeds."""
    from digest import bench as benchmark  # only this task needs it

    _exit(benchmark.run(int(seeds), int(runs), keep))


@task(help={"args": "extra pytest arguments"})
def test(c, args=""):
    """The whole test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task
def update_goldens(c):
    """Rewrite tests/golden/ from the example seeds (after an intended change)."""
    _exit(commands.update_goldens(ROOT / "tests" / "golden"))
