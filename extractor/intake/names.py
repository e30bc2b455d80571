"""Member and attachment names as archivers and mail programs really write them. Pure functions."""

import re
import zlib
from email.errors import HeaderParseError
from email.header import decode_header

# Labels that are in practice GBK (a superset) whatever they say.
_GB_LABELS = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "euc-cn", "cp936", "gb18030"}
_BIG5_LABELS = {"big5", "x-big5", "big-5", "cn-big5"}
UNICODE_PATH_EXTRA = 0x7075


def decode_charset(data: bytes, charset: str | None) -> str:
    label = (charset or "utf-8").lower().strip("\x00 ")
    if label in _GB_LABELS:
        label = "gb18030"
    elif label in _BIG5_LABELS:
        label = "cp950"  # Microsoft's Big5, a superset of what clients label big5
    try:
        return data.decode(label)
    except (LookupError, UnicodeDecodeError, ValueError):
        for fallback in ("utf-8", "gb18030"):
            try:
                return data.decode(fallback)
            except UnicodeDecodeError:
                continue
        return data.decode("utf-8", errors="replace")


def decode_words(text: str) -> str:
    """RFC 2047 encoded words anywhere in `text` (also inside quotes, as some clients write them)."""
    if "=?" not in text:
        return text
    try:
        chunks = decode_header(text)
    except (HeaderParseError, ValueError):  # a malformed word: the text as written beats nothing
        return text
    parts = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            parts.append(chunk)
        elif charset is None:  # the unencoded stretches come back as raw-unicode-escape bytes
            parts.append(chunk.decode("raw-unicode-escape", errors="replace"))
        else:
            parts.append(decode_charset(chunk, charset))
    return "".join(parts)


def _unicode_path(extra: bytes, raw: bytes) -> str | None:
    """The Info-ZIP Unicode Path extra field, when its CRC matches the raw name."""
    i = 0
    while i + 4 <= len(extra):
        tag = int.from_bytes(extra[i : i + 2], "little")
        size = int.from_bytes(extra[i + 2 : i + 4], "little")
        body = extra[i + 4 : i + 4 + size]
        if tag == UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            crc = int.from_bytes(body[1:5], "little")
            if crc == zlib.crc32(raw):
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
        i += 4 + size
    return None


def zip_member_name(name: str, flag_bits: int, extra: bytes) -> str:
    """Decide per member: UTF-8 flag, Unicode Path extra field, UTF-8 without flag, else GB18030."""
    if flag_bits & 0x800:
        return name
    raw = name.encode("cp437")
    from_extra = _unicode_path(extra, raw)
    if from_extra is not None:
        return from_extra
    if raw.isascii():
        return name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def safe_member_path(name: str) -> str | None:
    """A bundle-relative path for an archive member, or None when it would escape the bundle
    (`..`, absolute paths, drive letters)."""
    path = name.replace("\\", "/")
    if re.match(r"^[A-Za-z]:", path) or path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)
