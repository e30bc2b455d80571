"""Outlook .msg files ([MS-OXMSG] properties inside an OLE2 compound file), read with olefile.

Our own small reader rather than extract-msg: that library is GPL-licensed and pulls in a dozen
packages, while the part we need (subject, sender, date, attachments, attached mails) is a handful of
documented streams.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from extractor.intake.mail import Attachment, Mail
from extractor.intake.names import decode_charset

PT_UNICODE = 0x001F
PT_STRING8 = 0x001E
PT_BINARY = 0x0102
PT_OBJECT = 0x000D
PT_SYSTIME = 0x0040
PT_LONG = 0x0003

PR_SUBJECT = 0x0037
PR_CLIENT_SUBMIT_TIME = 0x0039
PR_SENT_REPRESENTING_NAME = 0x0042
PR_SENT_REPRESENTING_EMAIL = 0x0065
PR_SENDER_NAME = 0x0C1A
PR_SENDER_EMAIL = 0x0C1F
PR_SENDER_SMTP = 0x5D01
PR_DELIVERY_TIME = 0x0E06
PR_INTERNET_MESSAGE_ID = 0x1035
PR_DISPLAY_NAME = 0x3001
PR_ATTACH_DATA = 0x3701
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_LONG_FILENAME = 0x3707
PR_ATTACH_METHOD = 0x3705
ATTACH_EMBEDDED_MSG = 5
PR_MESSAGE_CODEPAGE = 0x3FFD
PR_INTERNET_CPID = 0x3FDE

_ATTACH_PREFIX = "__attach_version1.0_#"
_PROPERTIES = "__properties_version1.0"
_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


class MsgError(Exception):
    """The .msg file cannot be read; the message is for the reviewer (Chinese)."""


class _Storage:
    def __init__(self, ole: Any, path: list[str], header: int, codepage: int | None = None) -> None:
        self.ole, self.path = ole, path
        self.fixed = self._fixed(header)
        cp = self.long(PR_MESSAGE_CODEPAGE) or self.long(PR_INTERNET_CPID)
        self.codepage = cp or codepage

    def _read(self, name: str) -> bytes | None:
        full = [*self.path, name]
        if not self.ole.exists("/".join(full)):
            return None
        data: bytes = self.ole.openstream(full).read()
        return data

    def _fixed(self, header: int) -> dict[tuple[int, int], bytes]:
        data = self._read(_PROPERTIES) or b""
        props = {}
        for i in range(header, len(data) - 15, 16):
            tag = int.from_bytes(data[i : i + 4], "little")
            props[(tag >> 16, tag & 0xFFFF)] = data[i + 8 : i + 16]
        return props

    def long(self, prop: int) -> int | None:
        value = self.fixed.get((prop, PT_LONG))
        return int.from_bytes(value[:4], "little") if value else None

    def time(self, prop: int) -> datetime | None:
        value = self.fixed.get((prop, PT_SYSTIME))
        if not value:
            return None
        ticks = int.from_bytes(value, "little")
        try:
            return _EPOCH + timedelta(microseconds=ticks // 10) if ticks else None
        except OverflowError:  # a damaged or "never" time
            return None

    def text(self, prop: int) -> str | None:
        raw = self._read(f"__substg1.0_{prop:04X}{PT_UNICODE:04X}")
        if raw is not None:
            return raw.decode("utf-16-le", errors="replace").rstrip("\x00").strip() or None
        raw = self._read(f"__substg1.0_{prop:04X}{PT_STRING8:04X}")
        if raw is not None:
            charset = f"cp{self.codepage}" if self.codepage else "gb18030"
            return decode_charset(raw.rstrip(b"\x00"), charset).strip() or None
        return None

    def binary(self, prop: int) -> bytes | None:
        return self._read(f"__substg1.0_{prop:04X}{PT_BINARY:04X}")

    def children(self, prefix: str) -> list[list[str]]:
        depth = len(self.path) + 1
        found = {
            tuple(entry[:depth])
            for entry in self.ole.listdir(streams=True, storages=True)
            if len(entry) >= depth and entry[: depth - 1] == self.path and entry[depth - 1].startswith(prefix)
        }
        return [list(p) for p in sorted(found)]

    def has_storage(self, name: str) -> bool:
        return bool(self.ole.exists("/".join([*self.path, name])))


def _message(ole: Any, path: list[str], top: bool, codepage: int | None = None) -> Mail:
    store = _Storage(ole, path, 32 if top else 24, codepage)
    name = store.text(PR_SENDER_NAME) or store.text(PR_SENT_REPRESENTING_NAME)
    address = (
        store.text(PR_SENDER_SMTP) or store.text(PR_SENDER_EMAIL) or store.text(PR_SENT_REPRESENTING_EMAIL)
    )
    if address and "@" not in address:
        address = None  # an Exchange X.500 address says nothing to a reviewer
    sender = f"{name} <{address}>" if name and address else (name or address or "")
    attachments = []
    for att_path in store.children(_ATTACH_PREFIX):
        att = _Storage(ole, att_path, 8, store.codepage)
        att_name = (
            att.text(PR_ATTACH_LONG_FILENAME) or att.text(PR_ATTACH_FILENAME) or att.text(PR_DISPLAY_NAME) or ""
        )
        embedded = f"__substg1.0_{PR_ATTACH_DATA:04X}{PT_OBJECT:04X}"
        method = att.long(PR_ATTACH_METHOD)
        if att.has_storage(embedded) and method not in (None, ATTACH_EMBEDDED_MSG):
            # an OLE object (method 6) lives in the same storage but is no mail and no file
            error = "邮件附件是嵌入的 OLE 对象，不能作为文件读取"
            attachments.append(Attachment(name=att_name or "嵌入对象", error=error))
        elif att.has_storage(embedded):
            inner = _message(ole, [*att_path, embedded], top=False, codepage=store.codepage)
            attachments.append(Attachment(name=att_name or f"{inner.subject or '附件邮件'}.msg", message=inner))
        else:
            attachments.append(Attachment(name=att_name, data=att.binary(PR_ATTACH_DATA) or b""))
    return Mail(
        subject=store.text(PR_SUBJECT) or "",
        sender=sender,
        date=store.time(PR_CLIENT_SUBMIT_TIME) or store.time(PR_DELIVERY_TIME),
        message_id=store.text(PR_INTERNET_MESSAGE_ID),
        attachments=attachments,
    )


def parse_msg(data: bytes) -> Mail:
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            if not ole.exists(_PROPERTIES):
                raise MsgError("Outlook 邮件文件损坏，无法读取（缺少属性流）")
            return _message(ole, [], top=True)
    except MsgError:
        raise
    except Exception as exc:  # olefile raises OSError, ValueError, IndexError, struct.error on damage
        # olefile's own words are for developers (and may quote the file's bytes): the kind of damage only
        raise MsgError(f"Outlook 邮件文件损坏，无法读取（{type(exc).__name__}）") from exc
