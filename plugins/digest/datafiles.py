"""Reading the editor-maintained tables in data/ (tab-separated, '#' starts a comment)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_table(relative_path: str) -> Iterator[list[str]]:
    """Yield the fields of each non-blank, non-comment line of a data file."""
    path = DATA_DIR / relative_path
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [field.strip() for field in line.split("\t")]
            if len(fields) < 2:
                raise ValueError(f"{path.name}:{number}: expected tab-separated fields")
            yield fields
