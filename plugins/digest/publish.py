"""How a finished build becomes the site in output/: all of it, or nothing of it.

A build writes into a staging folder beside output/. When it rendered the whole site there (the
first build, `invoke check`, a build after the code or settings changed), the staging folder is
swapped in with two renames and the retired site is deleted in the background.

A rebuild after a few seeds changed renders only the files that changed, and leaves the others
where they are: making 20,000 page folders anew and linking every unchanged page into them cost
about 3 s at 10,000 stories, more than all else the rebuild did. Its staging folder holds the
changed files alone, and they are applied to output/ in place:
1. a journal beside output/ lists the files to move in and the files to delete;
2. the files are moved in one by one (each `os.replace` is atomic) and the others deleted;
3. the journal is removed.
A build stopped during step 2 leaves its journal and staging folder behind; the next build
finishes the update first (every step can be done again), so output/ ends up as the new site.
While the files move, for a few milliseconds, a reader may see some pages new and some old, as
when a site is uploaded.

output/ lists its own files (MANIFEST), so that an update knows which files no build makes
any more. Without that list (a site from older code, or a manifest deleted), a build renders the
whole site again and swaps it in.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

MANIFEST = ".digest-files.json"


def staging_folder(output: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{output.name}-building-{os.getpid()}-", dir=output.parent))


def _journal(output: Path) -> Path:
    return output.parent / f".{output.name}-update.json"


@contextlib.contextmanager
def exclusive(output: Path) -> Iterator[None]:
    """One build at a time per output folder (`invoke serve` rebuilding while the editor runs
    `invoke build`): the lock is on the folder that holds output/, so it leaves no file behind."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: builds are not guarded against each other
        yield
        return
    handle = os.open(output.parent, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def manifest(site: Path) -> set[str] | None:
    """The files of a site (paths relative to it), as its last build listed them."""
    try:
        listed = json.loads((Path(site) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return set(listed) if isinstance(listed, list) else None


def files_in(folder: Path) -> set[str]:
    found = set()
    for parent, _, names in os.walk(folder):
        prefix = os.path.relpath(parent, folder)
        found.update(name if prefix == "." else f"{prefix}/{name}" for name in names)
    return found


def _write_manifest(site: Path, files: Iterable[str]) -> None:
    listed = sorted(set(files) | {MANIFEST})
    (site / MANIFEST).write_text(json.dumps(listed, ensure_ascii=False, indent=0), encoding="utf-8")


# --- A whole site --------------------------------------------------------------------------------

def swap_in(staging: Path, output: Path) -> None:
    """Put a complete site in output/'s place; the retired one is deleted in the background."""
    _write_manifest(staging, files_in(staging))
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
    the next build removes what is left (see clean_up_after_killed_builds)."""
    if not hasattr(os, "fork"):
        shutil.rmtree(folder, ignore_errors=True)
        return
    child = os.fork()
    if child == 0:
        try:
            if os.fork() == 0:
                os.setsid()
                # Hold nothing of the build's open: no pipe of whoever ran it, not its lock.
                os.closerange(3, os.sysconf("SC_OPEN_MAX"))
                quiet = os.open(os.devnull, os.O_RDWR)
                for stream in (0, 1, 2):
                    os.dup2(quiet, stream)
                mine = folder.with_name(f"{prefix}{os.getpid()}-{folder.name.rsplit('-', 1)[-1]}")
                os.replace(folder, mine)
                shutil.rmtree(mine, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


# --- Changed files only --------------------------------------------------------------------------

def update(staging: Path, output: Path, kept: set[str], before: set[str]) -> None:
    """Apply a rebuild's changed files to output/. `before` are output/'s files (its manifest),
    `kept` those that this build left where they are; the staging folder holds every other file
    of the new site.

    When most of the site changed, the kept files are linked into the staging folder instead,
    and the whole site swapped in: moving a file costs about as much as linking one."""
    staged = files_in(staging)
    if len(staged) > len(kept):
        for name in kept:
            take_over(output / name, staging / name)
        swap_in(staging, output)
        return
    _write_manifest(staging, kept | staged)
    staged.add(MANIFEST)
    journal = {
        "staging": staging.name,
        "move": sorted(staged),
        "delete": sorted(before - kept - staged),
    }
    _write_journal(_journal(output), journal)
    _apply(output, journal)


def pending(output: Path) -> bool:
    """True while an update of output/ is under way or was stopped half way."""
    return _journal(output).is_file()


def _write_journal(path: Path, journal: dict) -> None:
    temporary = path.with_name(path.name + ".new")
    with open(temporary, "w", encoding="utf-8") as stream:
        json.dump(journal, stream, ensure_ascii=False)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(temporary, path)


def _apply(output: Path, journal: dict) -> None:
    """Every step can be done again: a file already moved is no longer in the staging folder,
    a file already deleted is no longer in output/."""
    staging = output.parent / journal["staging"]
    for name in journal["move"]:
        if (staging / name).is_file():
            _move(staging / name, output / name)
    emptied = set()
    for name in journal["delete"]:
        with contextlib.suppress(FileNotFoundError):
            (output / name).unlink()
        emptied.add((output / name).parent)
    for folder in sorted(emptied, key=lambda f: len(f.parts), reverse=True):
        _remove_empty(folder, output)
    _journal(output).unlink()
    # Emptied of its files, the staging folder still holds the folders of every changed page.
    remove_in_background(staging, prefix=f".{output.name}-old-")


def take_over(source: Path, target: Path) -> None:
    """A file of the previous build taken into a new site folder: a hard link, or a copy where
    links cannot be made (another file system). The previous output is never changed: it stays
    the site if this build fails."""
    try:
        link_or_copy(source, target)
    except FileNotFoundError:  # the first file of its folder
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(source, target)


def link_or_copy(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _move(source: Path, target: Path) -> None:
    try:
        os.replace(source, target)
    except FileNotFoundError:  # the first file of a new folder
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)


def _remove_empty(folder: Path, output: Path) -> None:
    while folder != output and output in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty, or already gone
            return
        folder = folder.parent


# --- After a build was killed --------------------------------------------------------------------

def recover(output: Path) -> None:
    """Finish an update a killed build had started, then remove what killed builds left."""
    journal = _journal(output)
    if pending(output):
        try:
            steps = json.loads(journal.read_text(encoding="utf-8"))
        except ValueError:  # written only whole (os.replace): a damaged one is from elsewhere
            steps = None
        if steps is not None and output.is_dir():
            _apply(output, steps)
        else:
            journal.unlink()
    clean_up_after_killed_builds(output)


def clean_up_after_killed_builds(output: Path) -> None:
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
