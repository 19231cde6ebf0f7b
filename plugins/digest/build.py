"""Entry points for tasks.py: load pelican.conf, build into a staging folder, publish it.

Pelican 4.12 cannot load a settings file whose name does not end in .py, so pelican.conf is
executed here and its upper-case names handed to Pelican's own settings machinery.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import runpy
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican, signals
from pelican.settings import read_settings

from . import publish
from .pipeline import Conversion

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


@contextlib.contextmanager
def _long_lived_objects_frozen() -> Iterator[None]:
    """Objects that live until the build's end (the seeds' articles, Pelican's articles, the
    listings, every page's context) are put out of the cycle collector's sight once made: each
    full collection went through all of them again, 0.8-1.4 s of a one-seed rebuild at 10,000
    stories. The collector waits while the seeds are converted and while Pelican makes its
    articles (a rebuild loads them: a million objects, see readahead.py), which leave next to no
    garbage; what they made is put out of its sight before the listings are made. From then
    until the pages are recorded, cycles made and dropped are collected (switching the collector
    off for the whole build raised a full build's peak from 1.0 to 1.9 GB); after that, little
    is dropped, and the collector waits for the end of the build."""
    was_on = gc.isenabled()
    gc.disable()
    stages = (
        (signals.article_generator_init, _freeze_and_pause),
        (signals.article_generator_pretaxonomy, _freeze_and_resume),
        (signals.all_generators_finalized, _freeze_and_pause),
    )
    for signal, receiver in stages:
        signal.connect(receiver)
    try:
        yield
    finally:
        for signal, receiver in stages:
            signal.disconnect(receiver)
        gc.unfreeze()
        if was_on:
            gc.enable()


def _freeze_and_pause(*_args, **_kwargs) -> None:
    gc.freeze()
    gc.disable()


def _freeze_and_resume(*_args, **_kwargs) -> None:
    gc.freeze()
    gc.enable()


def build_site(settings: dict, verify: Verify | None = None) -> BuildResult:
    """Seeds -> content -> site, written beside output/ and put in its place only when it all
    worked (see publish.py).

    A build that raises or is interrupted, or whose site `verify` finds problems in, leaves the
    previous output/ as it was and no staging folder behind. `verify` needs the whole site in one
    folder, so a verified build always writes all of it.
    """
    output = Path(settings["OUTPUT_PATH"])
    output.parent.mkdir(parents=True, exist_ok=True)
    with publish.exclusive(output), _long_lived_objects_frozen():
        publish.recover(output)
        listed = publish.manifest(output) if verify is None else None  # output/'s files
        in_place = listed is not None
        staging = publish.staging_folder(output)
        counter = _ErrorCounter()
        logging.getLogger().addHandler(counter)
        try:
            # Pages that did not change are taken over from the previous output (see pages.py).
            settings = dict(
                settings, OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False,
                DIGEST_PREVIOUS_OUTPUT=str(output), DIGEST_IN_PLACE=in_place,
            )
            try:
                pelican = Pelican(settings)  # converts the seeds and starts indexing for search (site.py)
                pelican.run()
            except BaseException:
                _stop_search(settings)
                raise
            search = settings.pop("DIGEST_SEARCH")()  # its bundles are written once this returns
            conversion = pelican.settings["DIGEST_CONVERSION"]
            plan = pelican.settings["DIGEST_PAGES"]
            pelican_errors = counter.messages
            problems = verify(staging, conversion, pelican_errors) if verify else []
            if problems:
                shutil.rmtree(staging, ignore_errors=True)
            elif in_place:
                publish.update(staging, output, kept=plan.kept | search.kept_files, before=listed)
            else:
                publish.swap_in(staging, output)
        except BaseException:
            if not publish.pending(output):  # else the next build finishes the update with it
                shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            logging.getLogger().removeHandler(counter)
    return BuildResult(conversion, output, pelican_errors, problems, plan.rendered, plan.reused)


def _stop_search(settings: dict) -> None:
    """A failed build waits for its search process before its staging folder is removed; that
    process's own error would only hide the build's."""
    started = settings.pop("DIGEST_SEARCH", None)
    if started is not None:
        with contextlib.suppress(Exception):
            started()
