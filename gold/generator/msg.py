"""Outlook .msg files written from scratch: [MS-OXMSG] property streams inside an [MS-CFB] compound file.

No library we depend on writes .msg, and the gold corpus needs mails with Chinese attachment names, embedded
messages and attachments of every size. Two layers:

* ``cfb_bytes`` — a minimal compound-file writer (version 3, 512-byte sectors, FAT with its own sectors marked
  FATSECT, DIFAT in the header only, mini stream for streams under 4096 bytes, directory siblings as a balanced
  red-black tree in CFB name order). Zero CLSIDs, zero times: the same input always gives the same bytes.
* ``msg_bytes`` / ``message_bytes`` — an IPM.Note with Unicode string properties, a recipient table, attachments by
  value (method 1) and embedded messages (method 5, a ``__substg1.0_3701000D`` storage with its own attachments).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeAlias

# --- [MS-CFB] -------------------------------------------------------------------------------------------------

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096  # streams shorter than this live in the mini stream
HEADER_DIFAT = 109  # FAT sector slots in the header; more would need DIFAT sectors
FAT_PER_SECTOR = SECTOR // 4
ENTRIES_PER_SECTOR = SECTOR // 128

FREESECT = 0xFFFFFFFF
ENDOFCHAIN = 0xFFFFFFFE
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_ILLEGAL_NAME_CHARS = frozenset("/\\:!")

CfbTree: TypeAlias = Mapping[str, "bytes | CfbTree"]
"""A storage: child name → stream bytes, or → a nested storage."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    colour: int = _BLACK
    start: int = 0
    size: int = 0


def _units(name: str) -> int:
    return len(name.encode("utf-16-le")) // 2


def _sort_key(name: str) -> tuple[int, tuple[int, ...]]:
    """[MS-CFB] 2.6.4: shorter names first; equal lengths compare UTF-16 code points upper-cased (simple mapping)."""
    upper = "".join(c.upper() if len(c.upper()) == 1 else c for c in name)
    raw = upper.encode("utf-16-le")
    return _units(name), struct.unpack(f"<{len(raw) // 2}H", raw)


def _check_name(name: str) -> None:
    if not 1 <= _units(name) <= 31:
        raise ValueError(f"CFB names are 1 to 31 UTF-16 code units: {name!r}")
    if _ILLEGAL_NAME_CHARS & set(name):
        raise ValueError(f"CFB names may not contain / \\ : or !: {name!r}")


def _link_siblings(entries: list[_Entry], ids: list[int]) -> int:
    """Balanced tree over ``ids`` (already in CFB order); returns the top node's id.

    A median split puts every empty link at one of two adjacent depths, so colouring the deepest level red and
    everything else black keeps the red-black rules: no red node has a red child, every path has the same number
    of black nodes, and the top node is black.
    """
    depth: dict[int, int] = {}

    def build(lo: int, hi: int, level: int) -> int:
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = ids[mid]
        depth[node] = level
        entries[node].left = build(lo, mid, level + 1)
        entries[node].right = build(mid + 1, hi, level + 1)
        return node

    top = build(0, len(ids), 0)
    deepest = max(depth.values(), default=0)
    for node, level in depth.items():
        entries[node].colour = _RED if level == deepest and level > 0 else _BLACK
    return top


def _flatten(tree: CfbTree) -> list[_Entry]:
    entries = [_Entry("Root Entry", _ROOT)]

    def add(parent: int, children: CfbTree) -> None:
        ids: list[int] = []
        seen: set[tuple[int, tuple[int, ...]]] = set()
        for name, value in children.items():
            _check_name(name)
            key = _sort_key(name)
            if key in seen:
                raise ValueError(f"CFB sibling names must differ beyond letter case: {name!r}")
            seen.add(key)
            if isinstance(value, bytes | bytearray):
                entries.append(_Entry(name, _STREAM, data=bytes(value)))
                ids.append(len(entries) - 1)
            elif isinstance(value, Mapping):
                entries.append(_Entry(name, _STORAGE))
                ids.append(len(entries) - 1)
                add(ids[-1], value)
            else:
                raise TypeError(f"{name!r}: a stream is bytes, a storage is a mapping; got {type(value).__name__}")
        ids.sort(key=lambda i: _sort_key(entries[i].name))
        entries[parent].child = _link_siblings(entries, ids)

    add(0, tree)
    return entries


def _dir_entry(e: _Entry | None) -> bytes:
    if e is None:  # unused slot
        return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, bytes(16), 0, 0, 0, 0, 0)
    name = e.name.encode("utf-16-le") + b"\0\0"
    return struct.pack(
        "<64sHBBIII16sIQQIQ", name, len(name), e.kind, e.colour, e.left, e.right, e.child, bytes(16), 0, 0, 0,
        e.start, e.size,
    )


def _sectors(n_bytes: int, unit: int = SECTOR) -> int:
    return -(-n_bytes // unit)


def _pad(data: bytes | bytearray, unit: int = SECTOR) -> bytes:
    return bytes(data) + bytes(-len(data) % unit)


def _table(values: list[int], n_sectors: int) -> bytes:
    """A FAT or MiniFAT: ``values`` then FREESECT to the end of ``n_sectors`` sectors."""
    slots = n_sectors * FAT_PER_SECTOR
    return struct.pack(f"<{slots}I", *values, *[FREESECT] * (slots - len(values)))


def cfb_bytes(tree: CfbTree) -> bytes:
    """A version-3 compound file holding ``tree`` under its root storage.

    Raises ValueError for names CFB does not allow and for files that would need more than the header's 109 FAT
    sectors (about 7 MB).
    """
    entries = _flatten(tree)

    mini = bytearray()
    minifat: list[int] = []
    large: list[_Entry] = []
    for e in entries[1:]:
        if e.kind == _STORAGE:
            continue
        e.size = len(e.data)
        if e.size == 0:
            e.start = ENDOFCHAIN
        elif e.size < MINI_CUTOFF:
            e.start = len(minifat)
            count = _sectors(e.size, MINI_SECTOR)
            minifat.extend(range(e.start + 1, e.start + count))
            minifat.append(ENDOFCHAIN)
            mini += _pad(e.data, MINI_SECTOR)
        else:
            large.append(e)

    n_dir = _sectors(len(entries), ENTRIES_PER_SECTOR)
    n_minifat = _sectors(len(minifat) * 4)
    n_mini = _sectors(len(mini))
    n_data = n_dir + n_minifat + n_mini + sum(_sectors(e.size) for e in large)
    n_fat = _sectors(n_data, FAT_PER_SECTOR - 1)  # n_fat * 128 slots cover the data and the FAT sectors themselves
    if n_fat > HEADER_DIFAT:
        raise ValueError(f"{(n_fat + n_data) * SECTOR} bytes needs DIFAT sectors; this writer stops at ~7 MB")

    fat = [FATSECT] * n_fat

    def chain(count: int) -> int:
        if count == 0:
            return ENDOFCHAIN
        start = len(fat)
        fat.extend(range(start + 1, start + count))
        fat.append(ENDOFCHAIN)
        return start

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat)
    entries[0].start = chain(n_mini)
    entries[0].size = len(mini)
    for e in large:
        e.start = chain(_sectors(e.size))
    assert len(fat) == n_fat + n_data

    slots: list[_Entry | None] = [*entries, *[None] * (n_dir * ENTRIES_PER_SECTOR - len(entries))]
    body = bytearray(_table(fat, n_fat))
    body += b"".join(_dir_entry(e) for e in slots)
    body += _table(minifat, n_minifat)
    body += _pad(mini)
    for e in large:
        body += _pad(e.data)

    difat = list(range(n_fat)) + [FREESECT] * (HEADER_DIFAT - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6s9I109I",
        _SIGNATURE, bytes(16), 0x003E, 0x0003, 0xFFFE, 9, 6, bytes(6),
        0, n_fat, dir_start, 0, MINI_CUTOFF, minifat_start, n_minifat, ENDOFCHAIN, 0,
        *difat,
    )
    assert len(header) == SECTOR and len(body) == SECTOR * (n_fat + n_data)
    return header + bytes(body)


# --- [MS-OXMSG] -----------------------------------------------------------------------------------------------

PT_LONG = 0x0003
PT_OBJECT = 0x000D
PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PT_BINARY = 0x0102

PR_MESSAGE_CLASS = 0x001A
PR_SUBJECT = 0x0037
PR_CLIENT_SUBMIT_TIME = 0x0039
PR_SENT_REPRESENTING_NAME = 0x0042
PR_SENT_REPRESENTING_ADDRTYPE = 0x0064
PR_SENT_REPRESENTING_EMAIL_ADDRESS = 0x0065
PR_RECIPIENT_TYPE = 0x0C15
PR_SENDER_NAME = 0x0C1A
PR_SENDER_ADDRTYPE = 0x0C1E
PR_SENDER_EMAIL_ADDRESS = 0x0C1F
PR_DISPLAY_TO = 0x0E04
PR_MESSAGE_DELIVERY_TIME = 0x0E06
PR_MESSAGE_FLAGS = 0x0E07
PR_ATTACH_NUM = 0x0E21
PR_BODY = 0x1000
PR_ROWID = 0x3000
PR_DISPLAY_NAME = 0x3001
PR_ADDRTYPE = 0x3002
PR_EMAIL_ADDRESS = 0x3003
PR_STORE_SUPPORT_MASK = 0x340D
PR_ATTACH_DATA = 0x3701  # PT_BINARY for method 1, PT_OBJECT for method 5
PR_ATTACH_EXTENSION = 0x3703
PR_ATTACH_FILENAME = 0x3704
PR_ATTACH_METHOD = 0x3705
PR_ATTACH_LONG_FILENAME = 0x3707
PR_SMTP_ADDRESS = 0x39FE
PR_SENDER_SMTP_ADDRESS = 0x5D01
PR_SENT_REPRESENTING_SMTP_ADDRESS = 0x5D02

ATTACH_BY_VALUE = 1
ATTACH_EMBEDDED_MSG = 5
STORE_UNICODE_OK = 0x00040000
MSGFLAG_READ = 0x00000001
MAPI_TO = 1
_PROP_FLAGS = 0x00000006  # PROPATTR_READABLE | PROPATTR_WRITABLE
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)
_SHORT_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'()-@^_`{}~")


@dataclass(frozen=True)
class MsgAttachment:
    """A file attachment (give ``data``) or an attached e-mail (give ``embedded``), never both."""

    long_name: str
    data: bytes | None = None
    short_name: str | None = None
    embedded: MsgMessage | None = None


@dataclass(frozen=True)
class MsgMessage:
    """One message; naive ``date`` values are taken as UTC. ``recipients`` are (display name, address) pairs."""

    subject: str
    sender_name: str
    sender_email: str
    date: datetime
    body: str
    attachments: Sequence[MsgAttachment] = ()
    recipients: Sequence[tuple[str, str]] = ()


def filetime(moment: datetime) -> int:
    """100-ns ticks since 1601-01-01 UTC; naive datetimes count as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    delta = moment - _FILETIME_EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def short_name(long_name: str, index: int) -> str:
    """An 8.3 name: the long name upper-cased when it already fits, else ``STEM~n.EXT`` from its ASCII letters."""
    stem, dot, ext = long_name.rpartition(".")
    if not dot:
        stem, ext = long_name, ""
    stem, ext = stem.upper(), ext.upper()
    if stem and len(stem) <= 8 and len(ext) <= 3 and set(stem + ext) <= _SHORT_NAME_CHARS:
        return f"{stem}.{ext}" if ext else stem
    tail = f"~{index + 1}"
    prefix = "".join(c for c in stem if c in _SHORT_NAME_CHARS) or "ATTACH"
    clean_ext = "".join(c for c in ext if c in _SHORT_NAME_CHARS)[:3]
    base = prefix[: 8 - len(tail)] + tail
    return f"{base}.{clean_ext}" if clean_ext else base


class _Properties:
    """One object's ``__properties_version1.0`` entries plus the ``__substg1.0_*`` streams/storages they point to."""

    def __init__(self) -> None:
        self.entries: dict[int, bytes] = {}
        self.children: dict[str, bytes | CfbTree] = {}

    def _entry(self, pid: int, ptype: int, value: bytes) -> int:
        tag = pid << 16 | ptype
        self.entries[tag] = struct.pack("<II", tag, _PROP_FLAGS) + value
        return tag

    def long(self, pid: int, value: int) -> None:
        self._entry(pid, PT_LONG, struct.pack("<II", value & 0xFFFFFFFF, 0))

    def time(self, pid: int, moment: datetime) -> None:
        self._entry(pid, PT_SYSTIME, struct.pack("<Q", filetime(moment)))

    def string(self, pid: int, value: str) -> None:
        data = value.encode("utf-16-le")
        tag = self._entry(pid, PT_UNICODE, struct.pack("<II", len(data) + 2, 0))  # size counts the terminating null
        self.children[f"__substg1.0_{tag:08X}"] = data

    def binary(self, pid: int, data: bytes) -> None:
        tag = self._entry(pid, PT_BINARY, struct.pack("<II", len(data), 0))
        self.children[f"__substg1.0_{tag:08X}"] = data

    def storage(self, pid: int, tree: CfbTree) -> None:
        tag = self._entry(pid, PT_OBJECT, struct.pack("<II", 0xFFFFFFFF, 0))
        self.children[f"__substg1.0_{tag:08X}"] = tree

    def tree(self, header: bytes) -> dict[str, bytes | CfbTree]:
        stream = header + b"".join(self.entries[tag] for tag in sorted(self.entries))
        return {**self.children, "__properties_version1.0": stream}


def _recipient(index: int, name: str, address: str) -> dict[str, bytes | CfbTree]:
    props = _Properties()
    props.long(PR_ROWID, index)
    props.long(PR_RECIPIENT_TYPE, MAPI_TO)
    props.string(PR_DISPLAY_NAME, name)
    props.string(PR_ADDRTYPE, "SMTP")
    props.string(PR_EMAIL_ADDRESS, address)
    props.string(PR_SMTP_ADDRESS, address)
    return props.tree(bytes(8))


def _attachment(index: int, att: MsgAttachment) -> dict[str, bytes | CfbTree]:
    if (att.data is None) == (att.embedded is None):
        raise ValueError(f"attachment {att.long_name!r}: give exactly one of data or embedded")
    props = _Properties()
    props.long(PR_ATTACH_NUM, index)
    display = att.long_name
    if att.embedded is not None and display.lower().endswith(".msg"):
        display = display[:-4]  # readers add ".msg" to an embedded message's display name
    props.string(PR_DISPLAY_NAME, display)
    props.string(PR_ATTACH_LONG_FILENAME, att.long_name)
    props.string(PR_ATTACH_FILENAME, att.short_name or short_name(att.long_name, index))
    _, dot, ext = att.long_name.rpartition(".")
    if dot and ext:
        props.string(PR_ATTACH_EXTENSION, "." + ext)
    if att.embedded is not None:
        props.long(PR_ATTACH_METHOD, ATTACH_EMBEDDED_MSG)
        props.storage(PR_ATTACH_DATA, _message(att.embedded, top=False))
    else:
        assert att.data is not None
        props.long(PR_ATTACH_METHOD, ATTACH_BY_VALUE)
        props.binary(PR_ATTACH_DATA, att.data)
    return props.tree(bytes(8))


def _message(msg: MsgMessage, *, top: bool) -> dict[str, bytes | CfbTree]:
    props = _Properties()
    props.string(PR_MESSAGE_CLASS, "IPM.Note")
    props.string(PR_SUBJECT, msg.subject)
    props.string(PR_SENDER_NAME, msg.sender_name)
    props.string(PR_SENDER_ADDRTYPE, "SMTP")
    props.string(PR_SENDER_EMAIL_ADDRESS, msg.sender_email)
    props.string(PR_SENDER_SMTP_ADDRESS, msg.sender_email)
    props.string(PR_SENT_REPRESENTING_NAME, msg.sender_name)
    props.string(PR_SENT_REPRESENTING_ADDRTYPE, "SMTP")
    props.string(PR_SENT_REPRESENTING_EMAIL_ADDRESS, msg.sender_email)
    props.string(PR_SENT_REPRESENTING_SMTP_ADDRESS, msg.sender_email)
    props.time(PR_CLIENT_SUBMIT_TIME, msg.date)
    props.time(PR_MESSAGE_DELIVERY_TIME, msg.date)
    props.long(PR_MESSAGE_FLAGS, MSGFLAG_READ)  # received and read, not an unsent draft
    props.long(PR_STORE_SUPPORT_MASK, STORE_UNICODE_OK)
    props.string(PR_BODY, msg.body)
    if msg.recipients:
        props.string(PR_DISPLAY_TO, "; ".join(name for name, _ in msg.recipients))

    children: dict[str, bytes | CfbTree] = {}
    for i, (name, address) in enumerate(msg.recipients):
        children[f"__recip_version1.0_#{i:08X}"] = _recipient(i, name, address)
    for i, att in enumerate(msg.attachments):
        children[f"__attach_version1.0_#{i:08X}"] = _attachment(i, att)
    if top:  # named-property mapping: top level only, shared by embedded messages
        children["__nameid_version1.0"] = {f"__substg1.0_000{n}0102": b"" for n in (2, 3, 4)}

    n_recip, n_att = len(msg.recipients), len(msg.attachments)
    # reserved 8, next recipient id, next attachment id, recipient count, attachment count (+ reserved 8 at top)
    header = bytes(8) + struct.pack("<4I", n_recip, n_att, n_recip, n_att) + (bytes(8) if top else b"")
    return {**children, **props.tree(header)}


def message_bytes(msg: MsgMessage) -> bytes:
    """The .msg file for ``msg``."""
    return cfb_bytes(_message(msg, top=True))


def msg_bytes(
    subject: str,
    sender_name: str,
    sender_email: str,
    date: datetime,
    body: str,
    attachments: Sequence[MsgAttachment] = (),
    *,
    recipients: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The .msg file of one IPM.Note; see ``MsgMessage`` for the fields."""
    msg = MsgMessage(subject, sender_name, sender_email, date, body, tuple(attachments), tuple(recipients))
    return message_bytes(msg)
