"""Entry points for tasks.py: load pelican.conf, build into a staging folder, swap it in.

Pelican 4.12 cannot load a settings file whose name does not end in .py, so pelican.conf is
executed here and its upper-case names handed to Pelican's own settings machinery.
"""

from __future__ import annotations

import logging
import os
import runpy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings

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
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class BuildResult:
    conversion: Conversion
    output: Path
    errors: list[str] = field(default_factory=list)  # Pelican's own errors (templates, links)


def build_site(settings: dict) -> BuildResult:
    """Seeds -> content -> site, written beside output/ and moved in only when it all worked."""
    output = Path(settings["OUTPUT_PATH"])
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-building-", dir=output.parent))
    counter = _ErrorCounter()
    logging.getLogger().addHandler(counter)
    try:
        settings = dict(settings, OUTPUT_PATH=str(staging), DELETE_OUTPUT_DIRECTORY=False)
        pelican = Pelican(settings)
        pelican.run()
        conversion = pelican.settings["DIGEST_CONVERSION"]
        _swap_in(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logging.getLogger().removeHandler(counter)
    pelican_errors = [m for m in counter.messages if not m.startswith("seed ")]
    return BuildResult(conversion, output, pelican_errors)


def _swap_in(staging: Path, output: Path) -> None:
    os.chmod(staging, 0o755)
    if output.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
        os.replace(output, retired / output.name)
        os.replace(staging, output)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, output)
