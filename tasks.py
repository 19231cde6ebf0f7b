"""Cooperation Digest's commands (`invoke --list`). Each task calls one function of the plugin."""

import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "plugins"))

from digest import commands  # noqa: E402


def _exit(status: int) -> None:
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


@task(
    iterable=["also"],
    help={"path": "a seed file, or - for standard input", "also": "another seed file (repeatable)", "json": "JSON report"},
)
def add_seed(c, path, also=None, json=False, seeds=None, content=None, output=None):
    """Copy seed(s) into seeds/, build, and print what was detected."""
    paths = [path, *(also or [])]
    _exit(commands.add_seeds(paths, as_json=json, seeds=seeds, content=content, output=output))


@task
def check(c, seeds=None, content=None, output=None):
    """Strict build: any seed error, invalid feed or broken link fails."""
    _exit(commands.check(seeds, content, output))


@task(help={"args": "extra pytest arguments"})
def test(c, args=""):
    """The whole test suite."""
    c.run(f"{sys.executable} -m pytest {args}", pty=False)


@task
def update_goldens(c):
    """Rewrite tests/golden/ from the example seeds (after an intended change)."""
    _exit(commands.update_goldens(ROOT / "tests" / "golden"))
