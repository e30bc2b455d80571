"""Archive readers: ZIP through the standard library (member names decided one by one), RAR 4/5 through
rarfile (its own header parser: encryption flags of both versions, raw RAR 4 names, CRC checks; Debian's
unar decompresses), 7z through libarchive (Debian's libarchive13, bound by libarchive-c). All yield
`Member`s in archive order; a member's bytes must be read before the next member is asked for.

Why not libarchive for RAR too: libarchive 3.6 reports no encryption on RAR 5 members and hands their
ciphertext over as content, does not check stored members' CRCs, and splits GBK names on a 0x5C trail
byte before they can be decoded."""

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
    except Exception as exc:  # BadZipFile, OSError, ValueError, UnicodeDecodeError of a mislabelled name
        raise ArchiveError(f"压缩包损坏，无法打开（{exc}）") from exc
    with zf:
        for info in zf.infolist():
            name = zip_member_name(info.filename, info.flag_bits, info.extra)
            kind: Literal["file", "dir", "link"] = (  # not info.is_dir(): it fails on an empty name
                "dir" if info.filename.endswith("/") else "link" if _is_symlink(info) else "file"
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
                except Exception as exc:  # zlib.error, lzma.LZMAError, EOFError, OSError, …: this member only
                    raise MemberError(f"压缩包成员已损坏，无法解压（{type(exc).__name__}: {exc}）") from exc

            yield Member(name, kind, bool(info.flag_bits & 0x1), info.compress_size, blocks)


def _rar_name(info: Any) -> str:
    """RAR 5 and RAR 4 Unicode names are decoded by rarfile; a RAR 4 name in the archiver's code page
    is decoded here from its raw bytes (UTF-8 when valid, else GB18030), then `\\` becomes `/`."""
    import rarfile

    if isinstance(info, rarfile.Rar3Info) and not info.flags & rarfile.RAR_FILE_UNICODE:
        raw = bytes(info.orig_filename or b"")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            name = raw.decode("gb18030", errors="replace")
        return name.replace("\\", "/")
    return str(info.filename)


def _rar_error(exc: Exception, member: bool) -> str:
    import rarfile

    what = "压缩包成员" if member else "压缩包"
    if isinstance(exc, rarfile.PasswordRequired):
        return f"{what}已加密（需要密码），无法解包"
    if isinstance(exc, rarfile.NeedFirstVolume):
        return "分卷压缩包缺少第一卷，无法解包"
    if isinstance(exc, rarfile.RarCannotExec):
        return "无法解压 RAR：缺少解压工具（Debian 软件包 unar）"
    return f"{what}已损坏（{exc}）"


def iter_rar(path: Path) -> Iterator[Member]:
    import rarfile

    try:
        rf = rarfile.RarFile(str(path))
        infos = rf.infolist()
    except Exception as exc:  # rarfile.Error, OSError, and whatever a damaged header provokes
        raise ArchiveError(_rar_error(exc, member=False)) from exc
    if not infos and rf.needs_password():
        raise ArchiveError("压缩包已加密（连文件名也已加密，需要密码），无法解包")
    if not infos:
        raise ArchiveError("压缩包已损坏或为空（未找到任何文件记录）")
    with rf:
        for info in infos:
            kind: Literal["file", "dir", "link"] = (
                "dir" if info.is_dir() else "link" if info.is_symlink() else "file"
            )

            def blocks(info: Any = info) -> Iterator[bytes]:
                try:
                    with rf.open(info) as fh:
                        while chunk := fh.read(CHUNK):
                            yield chunk
                except Exception as exc:  # CRC mismatch, missing tool, truncated data
                    raise MemberError(_rar_error(exc, member=True)) from exc

            yield Member(_rar_name(info), kind, info.needs_password(), info.compress_size, blocks)


def _libarchive_name(entry: Any) -> str:
    """libarchive converts the names of formats that store Unicode (7z); names it cannot convert come
    back as bytes: UTF-8 when they decode, else GB18030."""
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


def _libarchive_text(exc: Exception) -> str:
    """libarchive's own message, without the binding's errno/retcode/pointer tail."""
    message = exc.args[0] if exc.args else None
    if isinstance(message, bytes):
        message = message.decode("utf-8", errors="replace")
    return str(message).strip() if message not in (None, "None") else ""


def _archive_message(exc: Exception) -> str:
    text = _libarchive_text(exc)
    if "encrypt" in text.lower() or "passphrase" in text.lower():
        return "压缩包已加密（需要密码），无法解包"
    return f"压缩包损坏或格式不受支持（{text}）" if text else "压缩包损坏或格式不受支持"


def iter_libarchive(path: Path) -> Iterator[Member]:
    try:
        import libarchive
        from libarchive.exception import ArchiveError as LibArchiveError
    except (ImportError, OSError) as exc:  # the binding, or libarchive.so, is missing
        raise ArchiveError("无法解包 7z：缺少 libarchive（Debian 软件包 libarchive13）") from exc
    try:
        with libarchive.file_reader(str(path)) as archive:
            for entry in archive:
                kind: Literal["file", "dir", "link"] = (
                    "dir" if entry.isdir else "link" if (entry.issym or entry.islnk) else "file"
                )

                def blocks(entry: Any = entry) -> Iterator[bytes]:
                    try:
                        yield from entry.get_blocks(CHUNK)
                    except Exception as exc:
                        raise MemberError(_member_message(exc)) from exc

                # unread data is skipped by libarchive itself when the next header is read
                yield Member(_libarchive_name(entry), kind, _entry_encrypted(entry), None, blocks)
    except LibArchiveError as exc:
        raise ArchiveError(_archive_message(exc)) from exc


def _member_message(exc: Exception) -> str:
    text = _libarchive_text(exc)
    if "encrypt" in text.lower() or "passphrase" in text.lower():
        return "压缩包成员已加密（需要密码），无法解包"
    return f"压缩包成员已损坏（{text or type(exc).__name__}）"
