"""Unpack what a bundle holds: archives (ZIP, RAR, 7z) and mails (.eml, .msg), nested to a bounded
depth, into a private working folder. Every file found becomes a `Source`; a member that cannot be
delivered (encrypted, unsafe path, over a limit, damaged) is still listed, with its error.

Bundle paths follow the contract: `outer.zip!/inner/file.pdf`, `申报.eml!/营业执照.pdf`.
"""

import re
from collections.abc import Iterator
from pathlib import Path

from extractor.intake.archive import ArchiveError, Member, MemberError, iter_libarchive, iter_rar, iter_zip
from extractor.intake.folder import error_source, file_sha256, is_junk
from extractor.intake.mail import Mail, parse_eml
from extractor.intake.msg import MsgError, parse_msg
from extractor.intake.names import safe_member_path
from extractor.parse import sniff
from extractor.settings import Settings
from extractor.units import format_size
from models import MailAttachment, MailInfo, Source

RATIO_FLOOR = 16 * 1024 * 1024  # below this, a high compression ratio is ordinary (blank scans, text)
_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


EMPTY_ARCHIVE = "压缩包内没有可检查的文件（空压缩包，或只有文件夹、系统文件如 __MACOSX、~$ 临时文件）"


def _too_deep(limit: int) -> str:
    return f"嵌套的压缩包或邮件超过 {limit} 层，未解包"


def _bundle_full(limit: int) -> str:
    return f"申报包解包后的总大小超过上限 {format_size(limit)}，其余文件未解包"


def _too_many(limit: int) -> str:
    return f"压缩包或邮件内的文件数超过上限 {limit}，其余文件未解包"


class _Overflow(Exception):
    def __init__(self, message: str, whole_bundle: bool) -> None:
        super().__init__(message)
        self.whole_bundle = whole_bundle


class Expander:
    """Collects the Sources of one bundle. Not thread-safe; one per bundle."""

    def __init__(self, workdir: Path, settings: Settings) -> None:
        self.workdir = workdir
        self.settings = settings
        self.sources: list[Source] = []
        self.mails: list[MailInfo] = []
        self.unpacked_bytes = 0
        self.packed_bytes = 0  # sizes of the archives opened, for the bundle-wide ratio guard
        self.listed = 0  # entries listed from inside archives and mails (delivered or not)
        self._used: set[str] = set()
        self._next: dict[str, int] = {}  # next " (n)" suffix per taken name
        self._serial = 0
        self._full: str | None = None  # why the bundle's unpacking budget is spent

    # -- entry points -------------------------------------------------------------------------

    def add_file(
        self, disk: Path, path: str, depth: int = 0, origin: str | None = None, sha256: str | None = None
    ) -> None:
        """A file on disk that the bundle calls `path`: unpacked when it is an archive or a mail."""
        try:
            media = sniff.sniff_media_type(disk)
        except OSError:
            media = sniff.UNKNOWN  # the parser lists the read error
        if media in sniff.ARCHIVE_TYPES or media in sniff.MAIL_TYPES:
            if depth >= self.settings.max_archive_depth:
                self._list(error_source(path, _too_deep(self.settings.max_archive_depth), origin))
                return
            if media in sniff.MAIL_TYPES:
                self._mail_file(disk, path, media, depth)
            else:
                self._archive(disk, path, media, depth)
            return
        self._list(Source(path=path, location=str(disk), size=disk.stat().st_size,
                          sha256=sha256 or file_sha256(disk), origin=origin))

    def add_mail(self, mail: Mail, path: str, depth: int = 0, origin: str | None = None) -> None:
        """A parsed mail whose attachments hang under `path` (`subject.eml`)."""
        info = MailInfo(path=path, subject=mail.subject, sender=mail.sender, date=mail.date,
                        message_id=mail.message_id)
        self.mails.append(info)
        if not mail.attachments:  # listed all the same, so the reviewer sees the mail came without files
            self._list(error_source(path, "邮件没有附件", origin))
        for index, att in enumerate(mail.attachments, start=1):
            if self._over_count(path):
                return
            name = flat_name(att.name) or f"附件{index}"
            member = self._unique(f"{path}!/{name}")
            before = len(self.sources)
            try:
                if att.error is not None:
                    self._list(error_source(member, att.error, path))
                elif att.message is not None:
                    if depth + 1 >= self.settings.max_archive_depth:
                        self._list(error_source(member, _too_deep(self.settings.max_archive_depth), path))
                    else:
                        self.add_mail(att.message, member, depth + 1, path)
                else:
                    self._deliver_bytes(att.data or b"", member, depth + 1, path)
            except Exception as exc:  # one attachment never sinks the bundle
                self._list(error_source(member, f"附件无法解包（{type(exc).__name__}: {exc}）", path))
            info.attachments.append(MailAttachment(name=att.name or name, paths=[
                s.path for s in self.sources[before:]]))

    # -- archives -----------------------------------------------------------------------------

    def _archive(self, disk: Path, path: str, media: str, depth: int) -> None:
        readers = {sniff.ZIP: iter_zip, sniff.RAR: iter_rar, sniff.SEVEN_Z: iter_libarchive}
        members = readers[media](disk)
        self.packed_bytes += disk.stat().st_size
        before = len(self.sources)
        try:
            self._members(members, path, depth)
        except ArchiveError as exc:
            self._list(error_source(path, str(exc)))
            return
        except Exception as exc:  # a reader's own failure on a hostile archive: listed, never fatal
            self._list(error_source(path, f"压缩包无法读取（{type(exc).__name__}）"))
            return
        if len(self.sources) == before:  # nothing to list: the archive itself is, so that nothing vanishes
            self._list(error_source(path, EMPTY_ARCHIVE))

    def _members(self, members: Iterator[Member], path: str, depth: int) -> None:
        """Each member unpacked and listed; one that fails is listed with its error, never lost."""
        for member in members:
            if member.kind == "dir":
                continue
            if self._full:
                self._list(error_source(path, self._full))
                return
            if self._over_count(path):
                return
            try:
                self._member(member, path, depth)
            except Exception as exc:  # one member never sinks the bundle
                shown = self._unique(f"{path}!/{flat_name(member.name) or '未命名'}")
                self._list(error_source(shown, f"压缩包成员无法解包（{type(exc).__name__}: {exc}）", path))

    def _member(self, member: Member, archive_path: str, depth: int) -> None:
        if not member.name.strip("/ "):
            shown = self._unique(f"{archive_path}!/未命名")
            self._list(error_source(shown, "压缩包成员没有文件名，未解包", archive_path))
            return
        safe = safe_member_path(member.name)
        if safe is None:
            shown = self._unique(f"{archive_path}!/{flat_name(member.name) or '未命名'}")
            self._list(error_source(shown, "压缩包成员路径越出申报包（../、绝对路径或盘符），未解包", archive_path))
            return
        path = self._unique(f"{archive_path}!/{safe}")
        if is_junk(safe.split("/")):
            return
        if member.kind == "link":
            self._list(error_source(path, "压缩包成员是符号链接，未解包", archive_path))
            return
        if member.encrypted:
            self._list(error_source(path, "压缩包成员已加密（需要密码），无法解包", archive_path))
            return
        disk = self._disk_path(safe)
        try:
            size = self._write(member, disk)
        except MemberError as exc:
            disk.unlink(missing_ok=True)
            self._list(error_source(path, str(exc), archive_path))
            return
        except _Overflow as exc:
            disk.unlink(missing_ok=True)
            if exc.whole_bundle:
                self._full = str(exc)
            self._list(error_source(path, str(exc), archive_path))
            return
        self.unpacked_bytes += size
        self.add_file(disk, path, depth + 1, archive_path)

    def _write(self, member: Member, disk: Path) -> int:
        settings = self.settings
        room = settings.max_bundle_bytes - self.unpacked_bytes
        cap = min(settings.max_file_bytes, room)
        written = 0
        with disk.open("wb") as fh:
            for chunk in member.blocks():
                written += len(chunk)
                if written > cap:
                    if cap == room:
                        raise _Overflow(_bundle_full(settings.max_bundle_bytes), True)
                    limit = format_size(settings.max_file_bytes)
                    raise _Overflow(f"文件过大（解包后超过 {limit} 上限），未解包", False)
                ratio = settings.max_compression_ratio
                if (member.compressed_size and written > RATIO_FLOOR
                        and written > member.compressed_size * ratio):
                    raise _Overflow(f"压缩比异常（超过 {ratio} 倍，疑似压缩炸弹），未解包", False)
                unpacked = self.unpacked_bytes + written  # many members, each under the floor, add up
                if unpacked > 4 * RATIO_FLOOR and unpacked > self.packed_bytes * ratio:
                    raise _Overflow(f"压缩包解包后超过原大小的 {ratio} 倍（疑似压缩炸弹），其余文件未解包", True)
                fh.write(chunk)
        return written

    # -- mails --------------------------------------------------------------------------------

    def _mail_file(self, disk: Path, path: str, media: str, depth: int) -> None:
        if disk.stat().st_size > self.settings.max_file_bytes:
            limit = format_size(self.settings.max_file_bytes)
            self._list(error_source(path, f"邮件文件过大（超过 {limit} 上限），未解包"))
            return
        data = disk.read_bytes()
        try:
            mail = parse_msg(data) if media == sniff.MSG else parse_eml(data)
        except MsgError as exc:
            self._list(error_source(path, str(exc)))
            return
        except Exception as exc:  # the email package on a mail broken beyond its own leniency
            self._list(error_source(path, f"邮件无法解析（{type(exc).__name__}: {exc}）"))
            return
        self.add_mail(mail, path, depth)

    def _deliver_bytes(self, data: bytes, path: str, depth: int, origin: str) -> None:
        if len(data) > self.settings.max_file_bytes:
            limit = format_size(self.settings.max_file_bytes)
            self._list(error_source(path, f"附件过大（超过 {limit} 上限），未解包", origin))
            return
        if self.unpacked_bytes + len(data) > self.settings.max_bundle_bytes:
            self._list(error_source(path, _bundle_full(self.settings.max_bundle_bytes), origin))
            return
        self.unpacked_bytes += len(data)
        disk = self._disk_path(path.rsplit("/", 1)[-1])
        disk.write_bytes(data)
        self.add_file(disk, path, depth, origin)

    # -- helpers ------------------------------------------------------------------------------

    def _list(self, source: Source) -> None:
        self._used.add(source.path)
        if source.origin is not None or "!/" in source.path:
            self.listed += 1
        self.sources.append(source)

    def _over_count(self, container: str) -> bool:
        """Every entry of an archive or mail counts, delivered or not: listing is work too."""
        if self.listed < self.settings.max_bundle_files:
            return False
        self._list(error_source(self._unique(container), _too_many(self.settings.max_bundle_files)))
        return True

    def _disk_path(self, name: str) -> Path:
        """Working files are numbered (the bundle's names never touch the file system), keeping only a
        plain extension for the converters that look at it."""
        self._serial += 1
        match = _SUFFIX.search(name)
        return self.workdir / f"{self._serial:06d}{match.group(0).lower() if match else ''}"

    def _unique(self, path: str) -> str:
        """Two members or attachments with the same name both stay listed: the second gets ` (2)`."""
        candidate, n = path, self._next.get(path, 1)
        stem, dot, ext = path.rpartition(".")
        while candidate in self._used:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if dot and "/" not in ext else f"{path} ({n})"
        self._next[path] = n
        self._used.add(candidate)
        return candidate


def flat_name(name: str) -> str:
    """An attachment or unsafe member name as one path segment."""
    return re.sub(r"[\\/\x00-\x1f]+", "_", name).strip(" .")
