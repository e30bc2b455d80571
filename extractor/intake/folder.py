"""Folders and single files → Sources. Archives and mail exports are unpacked elsewhere."""

import hashlib
import os
import stat
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


def display_name(name: str) -> str:
    """A file name as the reviewer should read it. Names the file system could not decode (a GBK
    archive unpacked on Linux leaves GBK bytes) come back from Python with surrogate escapes: their
    bytes are decoded as UTF-8 when valid, else as GB18030."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def not_regular(path: Path) -> str | None:
    """Why an entry is not read as a file, or None for a regular file (or a link to one inside)."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        return f"文件无法读取（{exc.strerror or type(exc).__name__}）"
    if stat.S_ISLNK(mode):
        try:
            target = path.stat().st_mode
        except OSError:
            return "失效的符号链接，未读取"
        return None if stat.S_ISREG(target) else "符号链接指向的不是普通文件，未读取"
    if stat.S_ISREG(mode):
        return None
    kind = ("命名管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字" if stat.S_ISSOCK(mode)
            else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "特殊文件")
    return f"不是普通文件（{kind}），未读取"


def leads_out(path: Path, base: Path) -> bool:
    """Whether a path (a link, or a link somewhere above it) resolves outside `base` (resolved)."""
    return not path.resolve().is_relative_to(base)


def collect_sources(root: Path) -> list[Source]:
    """Every file under `root` (or `root` itself), sorted by bundle path. Nothing given is lost:
    what cannot be read — a folder or file without permission, a FIFO or device, a dangling link, a
    link out of the bundle (never followed) — is listed with its error.
    """
    if not os.path.lexists(root):
        raise InputError(f"路径不存在：{display_name(str(root))}")
    if not root.is_dir():
        return [_source(root, display_name(root.name))]
    base = root.resolve()
    entries: list[tuple[str, Path | None, str | None]] = []  # (bundle path, file, error)

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        rel = display_name(where.relative_to(root).as_posix()) if where != root else display_name(root.name)
        entries.append((rel + "/", None, f"文件夹无法读取（{exc.strerror or type(exc).__name__}），其中的文件未检查"))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        here = Path(folder)
        for name in sorted(dirs):  # links to folders are not walked; listed when they are links
            if (here / name).is_symlink():
                files.append(name)
        for name in files:
            path = here / name
            rel = display_name(path.relative_to(root).as_posix())
            if is_junk(Path(rel).parts):
                continue
            why = not_regular(path)
            if why is None and leads_out(path, base):
                why = "符号链接指向申报包以外，未读取"
            entries.append((rel, path if why is None else None, why))
    sources = []
    for rel, file, why in sorted(entries, key=lambda e: e[0]):
        if file is None:
            sources.append(error_source(rel, why or "文件无法读取"))
            continue
        try:
            sources.append(_source(file, rel))
        except OSError as exc:
            sources.append(error_source(rel, f"文件无法读取（{exc.strerror or type(exc).__name__}）"))
    return sources


def error_source(path: str, message: str, origin: str | None = None) -> Source:
    """A file intake could not deliver: listed under its name, with why."""
    digest = hashlib.sha256(path.encode("utf-8", errors="surrogatepass")).hexdigest()
    return Source(path=path, location="", size=0, sha256=digest, origin=origin, error=message)


def _source(path: Path, rel: str) -> Source:
    return Source(path=rel, location=str(path), size=path.stat().st_size, sha256=file_sha256(path))
