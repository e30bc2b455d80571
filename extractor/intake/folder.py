"""Folders and single files → Sources. Archives and mail exports are unpacked elsewhere."""

import hashlib
from collections.abc import Iterable
from pathlib import Path

from extractor.errors import InputError
from models import Source

_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_junk(parts: Iterable[str]) -> bool:
    """OS litter: Office lock files (~$name.docx), macOS resource forks, thumbnails caches."""
    return any(
        part in _SKIP_NAMES or part.startswith("~$") or part.startswith("._") or part == "__MACOSX"
        for part in parts
    )


def collect_sources(root: Path) -> list[Source]:
    """Every regular file under `root` (or `root` itself), sorted by bundle path.

    Symbolic links are not followed out of the bundle: a link is listed only when it
    resolves inside the folder given.
    """
    if not root.exists():
        raise InputError(f"路径不存在：{root}")
    if root.is_file():
        return [_source(root, root.name)]
    base = root.resolve()
    sources: list[Source] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if is_junk(rel.parts) or not path.is_file():
            continue
        real = path.resolve()
        if not real.is_relative_to(base):
            continue
        sources.append(_source(path, rel.as_posix()))
    return sources


def _source(path: Path, rel: str) -> Source:
    return Source(path=rel, location=str(path), size=path.stat().st_size, sha256=file_sha256(path))
