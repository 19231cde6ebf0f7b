"""Entry points for tasks.py: load pelican.conf, build into a staging folder, swap it in.

Pelican 4.12 cannot load a settings file whose name does not end in .py, so pelican.conf is
executed here and its upper-case names handed to Pelican's own settings machinery.
"""

from __future__ import annotations

import glob
import logging
import os
import runpy
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

from .pipeline import Conversion
from .search import index_site

PATH_SETTINGS = ("PATH", "OUTPUT_PATH", "THEME", "CACHE_PATH", "DIGEST_SEEDS")


def load_settings(conf: Path, **overrides) -> dict:
    """Pelican settings from pelican.conf, relative paths resolved against its folder."""
    conf = Path(conf).resolve()
    namespace = runpy.run_path(str(conf))
    values = {key: value for key, value in namespace.items() if key.isupper()}
    values.update({key: value for key, value in overrides.items() if value is not None})
    for key in PATH_SETTINGS:
        if values.get(key) is not None:
            values[key] = str((conf.parent / values[key]).resolve())
    # Posts are generated into PATH, so a fresh --content folder need not exist yet.
    Path(values["PATH"]).mkdir(parents=True, exist_ok=True)
    values["PLUGIN_PATHS"] = [str((conf.parent / p).resolve()) for p in values.get("PLUGIN_PATHS", [])]
    return read_settings(path=None, override=values)


class _ErrorCounter(logging.Handler):
    """Pelican's own errors (templates, content); the digest's seed errors reach the report
    through the conversion, so the plugin's own log records are not counted twice."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(__package__):
            self.messages.append(record.getMessage())


@dataclass
class BuildResult:
    conversion: Conversion
    output: Path
    errors: list[str] = field(default_factory=list)  # Pelican's own errors (templates, links)
    problems: list[str] = field(default_factory=list)  # what `verify` found; output/ was kept
    pages_rendered: int = 0
    pages_reused: int = 0  # unchanged since the previous build, taken over from it


# Looks at the finished site before it replaces output/ and returns its problems.
Verify = Callable[[Path, Conversion, list[str]], list[str]]


def build_site(settings: dict, verify: Verify | None = None) -> BuildResult:
    """Seeds -> content -> site, written beside output/ and moved in only when it all worked.

    A build that raises or is interrupted, or whose site `verify` finds problems in, leaves the
    previous output/ as it was and no staging folder behind.
    """
    output = Path(settings["OUTPUT_PATH"])
    output.parent.mkdir(parents=True, exist_ok=True)
    _clean_up_after_killed_builds(output)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-building-{os.getpid()}-", dir=output.parent))
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    try:
        # Pages that did not change are taken over from the previous output (see pages.py).
        settings = dict(
            settings, OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False, DIGEST_PREVIOUS_OUTPUT=str(output)
        )
        pelican = Pelican(settings)
        pelican.run()
        index_site(staging, previous=output)  # the search bundles index the finished pages
        conversion = pelican.settings["DIGEST_CONVERSION"]
        plan = pelican.settings["DIGEST_PAGES"]
        pelican_errors = counter.messages
        problems = verify(staging, conversion, pelican_errors) if verify else []
        if problems:
            shutil.rmtree(staging, ignore_errors=True)
        else:
            _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger().removeHandler(counter)
    return BuildResult(conversion, output, pelican_errors, problems, plan.rendered, plan.reused)


def _swap_in(staging: Path, output: Path) -> None:
    os.chmod(staging, 0o755)
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-{os.getpid()}-", dir=output.parent))
        os.replace(output, retired / output.name)
        os.replace(staging, output)
        remove_in_background(retired, prefix=f".{output.name}-old-")
    else:
        os.replace(staging, output)


def remove_in_background(folder: Path, prefix: str) -> None:
    """Delete a retired site after the build has returned: the new site is already in place,
    and at 10,000 stories removing 20,000 folders takes seconds the editor need not wait for.
    A process of its own (adopted by init, so no one waits for it) does it, under a name with
    its own process id (`prefix` + pid), so that the next build leaves it to it; should it die,
    the next build removes what is left (see _clean_up_after_killed_builds)."""
    if not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                quiet = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):  # hold no pipe of whoever ran the build open
                    os.dup2(quiet, stream)
                mine = folder.with_name(f"{prefix}{os.getpid()}-{folder.name.rsplit('-', 1)[-1]}")
                os.replace(folder, mine)
                shutil.rmtree(mine, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _clean_up_after_killed_builds(output: Path) -> None:
    """A build killed outright leaves its folders beside output/: remove them, and put back an
    output/ caught between the two renames of a swap. Folders of running builds are left alone."""
    if os.name != "posix":  # os.kill(pid, 0) only asks about a process on POSIX
        return
    for kind in ("old", "building"):
        prefix = f".{output.name}-{kind}-"
        for folder in sorted(output.parent.glob(glob.escape(prefix) + "*")):
            pid = folder.name[len(prefix):].split("-")[0]
            if not pid.isdigit() or _running(int(pid)):
                continue
            if kind == "old" and not output.exists() and (folder / output.name).is_dir():
                os.replace(folder / output.name, output)
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours
        return True
    return True
