"""Files of the service under the data folder: originals content-addressed by sha256 (written before
the job that reads them is committed), rendered pages per report version. Names live in the database."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import BinaryIO

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The upload passed the request size limit."""


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, stream: BinaryIO, budget: int) -> tuple[str, int]:
        """Stores the stream; its sha256 and size. Raises TooLarge past `budget` bytes (nothing kept)."""
        self.root.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > budget:
                        raise TooLarge()
                    h.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = h.hexdigest()
            target = self.path(sha)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)  # the same content twice is one file
            return sha, size
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> None:
    """The file appears whole or not at all, however many requests write it at once (each through a
    temporary name of its own: a shared one would be taken from under another writer)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def safe_name(given: str, taken: set[str]) -> str:
    """The file name as given (NFC), reduced to its last part (no folders, no ..), unique in `taken`."""
    name = unicodedata.normalize("NFC", given).replace("\\", "/")
    name = PurePosixPath(name).name.strip().lstrip(".") or "未命名文件"
    name = "".join(ch for ch in name if ch >= " " and ch != "\x7f")[:200] or "未命名文件"
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 2
    while candidate in taken:
        candidate = f"{stem} ({n}).{ext}" if dot and stem else f"{name} ({n})"
        n += 1
    taken.add(candidate)
    return candidate


def materialise(blobs: BlobStore, files: Iterable[tuple[str, str]], folder: Path) -> list[Path]:
    """The bundle's originals under their names in a private folder (links where possible)."""
    out = []
    for name, sha in files:
        target = folder / name
        try:
            os.link(blobs.path(sha), target)
        except OSError:
            shutil.copyfile(blobs.path(sha), target)
        out.append(target)
    return out
