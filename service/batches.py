"""A batch upload split into bundles the way `precheck batch` splits an inbox: an .mbox into one
bundle per application (the mails grouped by 申报编号, follow-ups joined), a ZIP of bundles into
one bundle per top-level folder or file. Each bundle's files are returned as (name, bytes-reader)
pairs for the blob store; the ZIP is unpacked within the intake's limits (size, count, no path out)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from extractor.batch import discover
from extractor.errors import InputError
from extractor.parse import sniff
from extractor.settings import Settings

ARCHIVES = (".zip", ".rar", ".7z", ".eml", ".msg")


@dataclass
class Part:
    """One bundle of a batch: its label (申报编号+单位, or the folder's name) and its files."""

    label: str
    files: list[tuple[str, Callable[[], BinaryIO]]] = field(default_factory=list)
    refusal: str | None = None


def _unzip(archive: Path, folder: Path, settings: Settings) -> None:
    total, count = 0, 0
    with zipfile.ZipFile(archive) as z:
        for info in z.infolist():
            if info.is_dir():
                continue
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or (info.external_attr >> 16) & 0o170000 == 0o120000:
                continue  # a path out of the batch, or a link: not unpacked
            count += 1
            total += info.file_size
            if count > settings.max_bundle_files or total > settings.max_bundle_bytes:
                raise InputError(f"批量压缩包超过上限（{settings.max_bundle_files} 个文件或 "
                                 f"{settings.max_bundle_bytes // 1024**2} MB）")
            target = folder.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, target.open("wb") as out:
                read = 0
                while chunk := src.read(1024 * 1024):
                    read += len(chunk)
                    if read > info.file_size:  # a member that unpacks to more than it declares
                        raise InputError(f"批量压缩包成员大小与声明不符：{info.filename}")
                    out.write(chunk)


def split(upload: Path, work: Path, settings: Settings) -> Iterator[Part]:
    """The bundles of a batch file (an .mbox or a ZIP of bundles); InputError when it is neither."""
    media = sniff.sniff_media_type(upload)
    if media == sniff.MBOX:
        inbox = upload
    elif media == sniff.ZIP:
        inbox = work / "batch"
        inbox.mkdir()
        try:
            _unzip(upload, inbox, settings)
        except zipfile.BadZipFile:
            raise InputError("批量上传的 ZIP 已损坏，无法打开") from None
        while len(entries := [e for e in inbox.iterdir() if not e.name.startswith((".", "__MACOSX"))]) == 1 \
                and entries[0].is_dir() and any(e.is_dir() or sniff.sniff_media_type(e) != sniff.MBOX
                                                for e in entries[0].iterdir()) \
                and sum(1 for e in entries[0].iterdir() if e.is_dir() or e.suffix.lower() in ARCHIVES) > 1:
            inbox = entries[0]  # 批量.zip/全部申报/<bundles>: the bundles are one level down
    else:
        raise InputError("批量上传应为一个 .mbox 邮箱导出或一个装有多个申报材料包的 ZIP")
    for item in discover(inbox):
        part = Part(item.label, refusal=item.refusal)
        if item.mails:
            for path, mail in zip(item.paths, item.mails, strict=True):
                part.files.append((path, lambda m=mail: io.BytesIO(m.read())))  # type: ignore[misc]
        elif item.path is not None:
            root = Path(item.path)
            members = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
            for member in members:
                part.files.append((member.name, lambda m=member: m.open("rb")))  # type: ignore[misc]
        yield part
