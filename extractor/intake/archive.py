"""Archive readers: ZIP through the standard library (member names decided one by one), RAR 4/5 and
7z through libarchive (Debian's libarchive13, bound by libarchive-c). Both yield `Member`s in archive
order; a member's bytes must be read before the next member is asked for (libarchive streams)."""

import ctypes
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from extractor.intake.names import zip_member_name

CHUNK = 1 << 20


class ArchiveError(Exception):
    """The archive as a whole cannot be read; the message is for the reviewer (Chinese)."""


class MemberError(Exception):
    """One member cannot be read; the message is for the reviewer (Chinese)."""


@dataclass
class Member:
    name: str  # decoded, as the archive names it (may still be unsafe: checked by the caller)
    kind: Literal["file", "dir", "link"]
    encrypted: bool
    compressed_size: int | None  # for the compression-ratio guard, when the format tells
    blocks: Callable[[], Iterator[bytes]]  # the bytes, in chunks; raises MemberError


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == 0o120000


def iter_zip(path: Path) -> Iterator[Member]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveError(f"压缩包损坏，无法打开（{exc}）") from exc
    with zf:
        for info in zf.infolist():
            name = zip_member_name(info.filename, info.flag_bits, info.extra)
            kind: Literal["file", "dir", "link"] = (
                "dir" if info.is_dir() else "link" if _is_symlink(info) else "file"
            )

            def blocks(info: zipfile.ZipInfo = info) -> Iterator[bytes]:
                try:
                    with zf.open(info) as fh:
                        while chunk := fh.read(CHUNK):
                            yield chunk
                except zipfile.BadZipFile as exc:  # CRC mismatch, truncated data
                    raise MemberError(f"压缩包成员已损坏（{exc}）") from exc
                except NotImplementedError as exc:  # e.g. a compression method zipfile lacks
                    raise MemberError(f"压缩方式不受支持（{exc}）") from exc
                except (OSError, EOFError, ValueError) as exc:
                    raise MemberError(f"压缩包成员无法读取（{exc}）") from exc

            yield Member(name, kind, bool(info.flag_bits & 0x1), info.compress_size, blocks)


def _libarchive_name(entry: Any) -> str:
    """libarchive converts names it knows the charset of (RAR5, RAR4 Unicode names, 7z); a RAR4 name
    written in the archiver's code page comes back as bytes: UTF-8 when it decodes, else GB18030."""
    from libarchive import ffi

    name = entry.pathname
    if isinstance(name, str):
        return name
    raw = ffi.entry_pathname(entry._entry_p) or b""
    try:
        return bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(raw).decode("gb18030", errors="replace")


def _entry_encrypted(entry: Any) -> bool:
    from libarchive import ffi

    func = getattr(ffi.libarchive, "archive_entry_is_encrypted", None)
    if func is None:
        return False
    func.argtypes = [ctypes.c_void_p]
    func.restype = ctypes.c_int
    return bool(func(entry._entry_p))


def _archive_message(exc: Exception) -> str:
    text = str(exc)
    if "encrypt" in text.lower() or "passphrase" in text.lower():
        return "压缩包已加密（需要密码），无法解包"
    return f"压缩包损坏或格式不受支持（{text.strip() or type(exc).__name__}）"


def iter_libarchive(path: Path) -> Iterator[Member]:
    try:
        import libarchive
        from libarchive.exception import ArchiveError as LibArchiveError
    except (ImportError, OSError) as exc:  # the binding, or libarchive.so, is missing
        raise ArchiveError("无法解包 RAR/7z：缺少 libarchive（Debian 软件包 libarchive13）") from exc
    try:
        with libarchive.file_reader(str(path)) as archive:
            for entry in archive:
                kind: Literal["file", "dir", "link"] = (
                    "dir" if entry.isdir else "link" if (entry.issym or entry.islnk) else "file"
                )

                def blocks(entry: Any = entry) -> Iterator[bytes]:
                    try:
                        yield from entry.get_blocks(CHUNK)
                    except LibArchiveError as exc:
                        raise MemberError(_member_message(exc)) from exc

                # unread data is skipped by libarchive itself when the next header is read
                yield Member(_libarchive_name(entry), kind, _entry_encrypted(entry), None, blocks)
    except LibArchiveError as exc:
        raise ArchiveError(_archive_message(exc)) from exc


def _member_message(exc: Exception) -> str:
    text = str(exc)
    if "encrypt" in text.lower() or "passphrase" in text.lower():
        return "压缩包成员已加密（需要密码），无法解包"
    return f"压缩包成员已损坏（{text.strip() or type(exc).__name__}）"
