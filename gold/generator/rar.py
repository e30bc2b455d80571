"""A small, deterministic writer of RAR archives (RAR 1.5–4.x and RAR 5), stored members only.

No free RAR writer ships with Debian, yet applicants send RAR bundles, so the gold corpus and the tests
need archives that real readers (libarchive/bsdtar, unar/lsar) accept. This writer knows just enough of
the two formats for that: no compression (method "store"), no solid archives, no volumes, no recovery
record. Members may be flagged as encrypted; their data is then random-looking but deterministic bytes
of the size AES would produce, so readers list the member (and, if they understand RAR encryption,
report it as encrypted), but nobody can extract it.

RAR 1.5–4.x (``rar4``): every block starts with HEAD_CRC (2 bytes, low half of the CRC32 over the block
from HEAD_TYPE on), HEAD_TYPE (1), HEAD_FLAGS (2), HEAD_SIZE (2). A file block (0x74) carries PACK_SIZE,
UNP_SIZE, HOST_OS, FILE_CRC, FTIME (DOS time), UNP_VER, METHOD, NAME_SIZE, ATTR, the name and, when
encrypted, an 8-byte salt; the packed data follows the block. Names are either OEM bytes (GBK, as
WinRAR on Chinese Windows wrote them) or, with LHD_UNICODE and no NUL in the name field, UTF-8 (readers
tell this from the RAR 3 form "OEM name, NUL, compressed UTF-16" by the missing NUL). Folders are
separated by "\\", as Windows RAR wrote them; readers turn it into "/".

RAR 5 (``rar5``): headers are CRC32, a vint size, then vint type, flags and fields; names are UTF-8
with "/" as separator; encryption is announced per file by an extra record of type 0x01.
"""

import hashlib
import struct
import zlib
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Literal

RAR4_SIGNATURE = b"Rar!\x1a\x07\x00"
RAR5_SIGNATURE = b"Rar!\x1a\x07\x01\x00"

# The fixed timestamp of every member: 2024-01-01 08:00:00 (DOS time is local time, by the format).
_YEAR, _MONTH, _DAY, _HOUR, _MINUTE, _SECOND = 2024, 1, 1, 8, 0, 0
DOS_TIME = (_YEAR - 1980) << 25 | _MONTH << 21 | _DAY << 16 | _HOUR << 11 | _MINUTE << 5 | _SECOND // 2
UNIX_TIME = 1_704_096_000  # the same wall-clock time in UTC, for RAR 5 (which stores UTC)

# RAR 1.5–4.x block types and flags.
_MAIN_HEAD, _FILE_HEAD, _ENDARC_HEAD = 0x73, 0x74, 0x7B
_LONG_BLOCK = 0x8000  # ADD_SIZE (here: PACK_SIZE) follows the header
_SKIP_IF_UNKNOWN = 0x4000
_LHD_PASSWORD = 0x0004
_LHD_DIRECTORY = 0x00E0
_LHD_UNICODE = 0x0200
_LHD_SALT = 0x0400
_HOST_WIN32 = 2
_UNP_VER = 29  # "RAR 2.9", the format version WinRAR 3.x/4.x wrote (AES-128 encryption belongs to it)
_METHOD_STORE = 0x30
_ATTR_ARCHIVE = 0x20
_ATTR_DIRECTORY = 0x10

# RAR 5 header types and flags.
_R5_MAIN, _R5_FILE, _R5_END = 1, 2, 5
_R5_HAS_EXTRA, _R5_HAS_DATA = 0x0001, 0x0002
_R5_FILE_DIRECTORY, _R5_FILE_MTIME, _R5_FILE_CRC = 0x0001, 0x0002, 0x0004
_R5_EXTRA_CRYPT = 0x01
_R5_HOST_WINDOWS = 0
_R5_KDF_COUNT = 15  # binary logarithm of the PBKDF2 iteration count, as RAR 5 writes by default


@dataclass(frozen=True)
class RarMember:
    """One member of an archive.

    ``name`` uses "/" between folders; a name ending in "/" is a directory (``data`` must be empty).
    ``name_encoding`` chooses how RAR 1.5–4.x stores the name: ``"gbk"`` writes the GBK bytes with no
    Unicode flag, ``"unicode"`` sets LHD_UNICODE and writes the name as UTF-8 (no NUL in the field). RAR 5
    ignores it (names are always UTF-8). ``encrypted`` marks the member as password-protected and replaces its data
    by deterministic random-looking bytes of the encrypted size.
    """

    name: str
    data: bytes
    name_encoding: Literal["gbk", "unicode"] = "gbk"
    encrypted: bool = False

    def __post_init__(self) -> None:
        path = self.name.rstrip("/")
        if not path or path.startswith("/") or "\\" in self.name or "\x00" in self.name:
            raise ValueError(f"not a relative member name: {self.name!r}")
        if self.is_dir and (self.data or self.encrypted):
            raise ValueError(f"directory member {self.name!r} cannot have data or be encrypted")
        if self.name_encoding not in ("gbk", "unicode"):
            raise ValueError(f"unknown name encoding {self.name_encoding!r}")

    @property
    def is_dir(self) -> bool:
        """True for a directory member (a name ending in "/")."""
        return self.name.endswith("/")

    @property
    def path(self) -> str:
        """The name without the trailing "/" of a directory."""
        return self.name.rstrip("/")


def _keystream(seed: bytes, size: int) -> bytes:
    """``size`` random-looking bytes that depend only on ``seed`` (SHA-256 in counter mode)."""
    blocks = (hashlib.sha256(seed + struct.pack("<Q", i)).digest() for i in range((size + 31) // 32))
    return b"".join(blocks)[:size]


def _seed(member: RarMember, label: bytes) -> bytes:
    return label + b"\x00" + member.name.encode("utf-8") + b"\x00" + hashlib.sha256(member.data).digest()


def _ciphertext(member: RarMember) -> bytes:
    """Stand-in for AES-CBC output: as long as the data rounded up to whole 16-byte blocks (at least one)."""
    size = max(16, (len(member.data) + 15) // 16 * 16)
    return _keystream(_seed(member, b"ciphertext"), size)


# ------------------------------------------------------------------ RAR 1.5–4.x


def _rar4_block(head_type: int, flags: int, body: bytes) -> bytes:
    """A block header: HEAD_CRC, HEAD_TYPE, HEAD_FLAGS, HEAD_SIZE, then ``body``."""
    size = 7 + len(body)
    if size > 0xFFFF:
        raise ValueError("RAR 4 header too long")
    rest = struct.pack("<BHH", head_type, flags, size) + body
    return struct.pack("<H", zlib.crc32(rest) & 0xFFFF) + rest


def _rar4_name(member: RarMember) -> tuple[bytes, int]:
    """The FILE_NAME field and the flags it needs. Windows RAR writes "\\" between folders."""
    path = member.path.replace("/", "\\")
    if member.name_encoding == "gbk":
        try:
            return path.encode("gbk"), 0
        except UnicodeEncodeError as exc:
            raise ValueError(f"{member.name!r} cannot be written in GBK; use name_encoding='unicode'") from exc
    # LHD_UNICODE and no NUL in the field: readers take the whole field as UTF-8
    return path.encode("utf-8"), _LHD_UNICODE


def _rar4_file(member: RarMember) -> bytes:
    name, flags = _rar4_name(member)
    flags |= _LONG_BLOCK
    attributes = _ATTR_ARCHIVE
    packed = member.data
    salt = b""
    if member.is_dir:
        flags |= _LHD_DIRECTORY
        attributes = _ATTR_DIRECTORY
    if member.encrypted:
        flags |= _LHD_PASSWORD | _LHD_SALT
        packed = _ciphertext(member)
        salt = _keystream(_seed(member, b"rar4 salt"), 8)
    if len(packed) > 0xFFFFFFFF or len(member.data) > 0xFFFFFFFF:
        raise ValueError(f"member {member.name!r} too large for this writer")
    body = struct.pack(
        "<IIBIIBBHI",
        len(packed),  # PACK_SIZE (also the block's ADD_SIZE)
        len(member.data),  # UNP_SIZE
        _HOST_WIN32,
        zlib.crc32(member.data),  # FILE_CRC, of the unpacked data
        DOS_TIME,
        _UNP_VER,
        _METHOD_STORE,
        len(name),
        attributes,
    )
    return _rar4_block(_FILE_HEAD, flags, body + name + salt) + packed


def rar4(files: list[RarMember]) -> bytes:
    """A RAR 1.5–4.x archive holding ``files``, stored (method 0x30), in the given order.

    Layout: the marker block ``Rar!\\x1a\\x07\\x00``, MAIN_HEAD (0x73), one FILE_HEAD (0x74) plus data per
    member, ENDARC_HEAD (0x7b). Host OS is Windows, attributes 0x20, DOS time 2024-01-01 08:00:00.
    """
    parts = [RAR4_SIGNATURE, _rar4_block(_MAIN_HEAD, 0, bytes(6))]  # RESERVED1 (2) + RESERVED2 (4)
    parts += [_rar4_file(member) for member in files]
    parts.append(_rar4_block(_ENDARC_HEAD, _SKIP_IF_UNKNOWN, b""))
    return b"".join(parts)


# ------------------------------------------------------------------ RAR 5


def vint(value: int) -> bytes:
    """RAR 5 variable-length integer: 7 bits per byte, least significant first, high bit = more follow."""
    if value < 0:
        raise ValueError("vint cannot be negative")
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _rar5_header(
    header_type: int, flags: int, fields: bytes, extra: bytes = b"", data_size: int | None = None
) -> bytes:
    """A RAR 5 header: CRC32, size, type, flags, [extra area size], [data size], fields, extra area."""
    if extra:
        flags |= _R5_HAS_EXTRA
    if data_size is not None:
        flags |= _R5_HAS_DATA
    body = vint(header_type) + vint(flags)
    if extra:
        body += vint(len(extra))
    if data_size is not None:
        body += vint(data_size)
    body += fields + extra
    sized = vint(len(body)) + body
    return struct.pack("<I", zlib.crc32(sized)) + sized


def _rar5_extra_record(record_type: int, data: bytes) -> bytes:
    record = vint(record_type) + data
    return vint(len(record)) + record


def _rar5_file(member: RarMember) -> bytes:
    name = member.path.encode("utf-8")
    file_flags = _R5_FILE_MTIME
    attributes = _ATTR_ARCHIVE
    data = member.data
    extra = b""
    if member.is_dir:
        file_flags |= _R5_FILE_DIRECTORY
        attributes = _ATTR_DIRECTORY
    else:
        file_flags |= _R5_FILE_CRC
    if member.encrypted:
        data = _ciphertext(member)
        salt_iv = _keystream(_seed(member, b"rar5 salt and iv"), 32)
        # version 0 (AES-256), flags 0 (no password check value, plain checksums), KDF count, salt, IV
        extra = _rar5_extra_record(_R5_EXTRA_CRYPT, vint(0) + vint(0) + bytes([_R5_KDF_COUNT]) + salt_iv)
    fields = vint(file_flags) + vint(len(member.data)) + vint(attributes) + struct.pack("<I", UNIX_TIME)
    if not member.is_dir:
        fields += struct.pack("<I", zlib.crc32(member.data))
    compression = 0  # algorithm version 0, not solid, method 0 (store), dictionary 128 KB
    fields += vint(compression) + vint(_R5_HOST_WINDOWS) + vint(len(name)) + name
    # libarchive insists on a data area (possibly empty) in every file header, directories included
    return _rar5_header(_R5_FILE, 0, fields, extra, len(data)) + data


def rar5(files: list[RarMember]) -> bytes:
    """A RAR 5 archive holding ``files``, stored (compression method 0), in the given order.

    Layout: the signature ``Rar!\\x1a\\x07\\x01\\x00``, the main archive header (type 1), one file header
    (type 2) plus data per member, the end of archive header (type 5). Names are UTF-8 with "/", host OS
    Windows, attributes 0x20, mtime 2024-01-01 08:00:00 UTC in the file header, data CRC32 present.
    """
    parts = [RAR5_SIGNATURE, _rar5_header(_R5_MAIN, 0, vint(0))]  # archive flags: none
    parts += [_rar5_file(member) for member in files]
    parts.append(_rar5_header(_R5_END, 0, vint(0)))  # end of archive flags: last volume
    return b"".join(parts)


def write_rar(path: str | PathLike[str], files: list[RarMember], version: Literal[4, 5]) -> Path:
    """Write ``files`` as a RAR ``version`` archive to ``path`` and return the path."""
    if version == 4:
        content = rar4(files)
    elif version == 5:
        content = rar5(files)
    else:
        raise ValueError(f"unknown RAR version {version!r}")
    target = Path(path)
    target.write_bytes(content)
    return target
