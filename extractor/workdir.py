"""Private temporary folders for a run's unpacked files, and the removal of those a killed run left.

Each folder is named for the process that made it (`precheck-[<kind>-]<pid>-…`) and removed when the run ends,
whether it ends well, by an error, Ctrl-C or SIGTERM. A run killed outright (SIGKILL, power cut) cannot
remove its own; the next run removes every folder whose process is gone, so applicants' files never
outlive the check for long (管理办法 第十九条).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PREFIX = "precheck-"
_OURS = re.compile(r"^precheck-(?:[a-z]+-?)?(\d+)-")  # `-?`: also the service's folders before 2026-12
_OLD_STYLE = re.compile(r"^precheck-(?:lo-)?[a-z0-9_]{8}$")  # before folders carried their pid
OLD_STYLE_AGE_S = 6 * 3600


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def sweep_stale(root: Path | None = None) -> list[Path]:
    """Remove the folders of runs whose process is gone; the paths removed."""
    base = Path(root or tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = list(base.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _OURS.match(entry.name)
        try:
            if not entry.is_dir() or entry.is_symlink() or entry.stat().st_uid != os.getuid():
                continue
            stale = (match is not None and not _alive(int(match.group(1)))) or (
                match is None and _OLD_STYLE.match(entry.name) is not None
                and now - entry.stat().st_mtime > OLD_STYLE_AGE_S)
        except OSError:
            continue
        if stale:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def folder_prefix(kind: str, pid: int) -> str:
    """`precheck-<kind>-<pid>-` (or `precheck-<pid>-`): the name `sweep_stale` knows a run's folder by."""
    kind = kind.strip("-").lower()
    if kind and not kind.isalpha():
        raise ValueError(f"a folder kind is letters only: {kind!r}")
    return f"{PREFIX}{kind}-{pid}-" if kind else f"{PREFIX}{pid}-"


@contextlib.contextmanager
def private_dir(kind: str = "", sweep: bool = False) -> Iterator[Path]:
    """A folder only this user can read, removed on exit; with `sweep` (where a bundle is opened, not
    for every conversion inside it), the stale folders of killed runs are removed first."""
    if sweep:
        sweep_stale()
    path = Path(tempfile.mkdtemp(prefix=folder_prefix(kind, os.getpid())))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
