"""Mails as mail programs really write them (.eml; the messages of an .mbox). Pure functions over bytes.

Attachment names are decided by `attachment_name`: RFC 2231 `filename*` first (charset labels
gb2312/gbk read as GB18030; a charset Python has no codec for, such as iso-2022-cn, falls back),
then RFC 2047 words (also inside quotes, the common non-standard way), then raw 8-bit names (UTF-8,
else GB18030); placeholder names such as `_____.txt` lose to any real one.
"""

import base64
import binascii
import email
import email.errors
import email.utils
import quopri
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime

from extractor.intake.names import decode_charset, decode_words

_PLACEHOLDER = re.compile(r"^[\s_\-.=?~]*(\.[A-Za-z0-9]{1,5})?$")
_BODY_TYPES = {"text/plain", "text/html"}


@dataclass
class Attachment:
    name: str
    data: bytes | None = None
    message: "Mail | None" = None  # a mail attached to this one (message/rfc822, embedded .msg)
    error: str | None = None  # why it cannot be delivered as a file (Chinese)


@dataclass
class Mail:
    subject: str
    sender: str
    date: datetime | None
    message_id: str | None
    attachments: list[Attachment] = field(default_factory=list)


def _unescape(text: str) -> str:
    """Headers holding raw 8-bit bytes come back surrogate-escaped: decode those bytes as UTF-8, else GB18030."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", errors="surrogateescape")
    return decode_charset(raw, "utf-8" if _is_utf8(raw) else "gb18030")


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def raw_header(msg: Message, name: str) -> str | None:
    """A header's value as written (compat32 would hand 8-bit headers over as lossy Header objects)."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None


def header_text(value: object) -> str:
    """A header as a reader would see it: encoded words decoded (gb2312 as GB18030), folding removed."""
    if value is None:
        return ""
    text = _unescape(str(value))
    text = re.sub(r"\r?\n[ \t]+", " ", text)
    return decode_words(text).strip()


def _rfc2231(value: tuple[str | None, str | None, str]) -> str | None:
    charset, _language, text = value
    label = (charset or "us-ascii").lower().strip("\x00 ")
    try:
        "".encode(label)
    except (LookupError, ValueError):
        return None  # e.g. iso-2022-cn: no codec; another form of the name must serve
    try:
        raw = text.encode("latin-1", errors="surrogateescape")
    except UnicodeEncodeError:
        return text  # written unencoded in UTF-8 or GBK (already decoded from the raw header)
    return decode_charset(raw, label)


def _params(part: Message, name: str, header: str) -> tuple[list[str | None], list[str]]:
    """RFC 2231 values (None when their charset has no codec) and plain values of one parameter."""
    extended: list[str | None] = []
    plain: list[str] = []
    raw = raw_header(part, header)
    if raw is None:
        return extended, plain
    holder = Message()  # the header with raw 8-bit names already decoded, so parameters parse losslessly
    holder[header] = _unescape(raw)
    for key, value in holder.get_params(header=header, failobj=[]):
        if key.lower().rstrip("*") != name:
            continue
        if isinstance(value, tuple):
            extended.append(_rfc2231(value))
        elif value:
            plain.append(header_text(email.utils.unquote(value)))
    return extended, plain


def attachment_name(part: Message) -> str | None:
    """`filename*`, `name*` (RFC 2231) before `filename`, `name`; a placeholder loses to a real name."""
    ext_file, plain_file = _params(part, "filename", "content-disposition")
    ext_name, plain_name = _params(part, "name", "content-type")
    names = [c.strip() for c in [*ext_file, *ext_name, *plain_file, *plain_name] if c and c.strip()]
    real = [n for n in names if not _PLACEHOLDER.match(n)]
    chosen = real or names
    return chosen[0] if chosen else None


def _is_body(part: Message) -> bool:
    disposition = (raw_header(part, "Content-Disposition") or "").split(";")[0].strip().lower()
    return (
        part.get_content_type() in _BODY_TYPES
        and disposition != "attachment"
        and attachment_name(part) is None
    )


def _leaves(part: Message) -> Iterator[Message]:
    """The parts that carry content, not descending into attached mails (they are mails of their own)."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for sub in part.get_payload():
        if isinstance(sub, Message):
            yield from _leaves(sub)


def _attached_mail(part: Message) -> Mail:
    """An attached mail: parsed in place, or (sent base64 or quoted-printable, which the parser leaves
    as text) decoded and parsed from its bytes."""
    inner = part.get_payload(0) if part.is_multipart() else None
    encoding = (raw_header(part, "Content-Transfer-Encoding") or "").strip().lower()
    if encoding in ("base64", "quoted-printable"):
        # the parser took the encoded text for a mail without headers: decode it, then parse
        body = inner.as_bytes() if isinstance(inner, Message) else str(part.get_payload()).encode("ascii", "replace")
        decoded = base64.b64decode(body) if encoding == "base64" else quopri.decodestring(body)
        return parse_eml(decoded)
    if isinstance(inner, Message):
        return mail_from_message(inner)
    data = part.get_payload(decode=True)
    return parse_eml(data if isinstance(data, bytes) else b"")


def _attachments(msg: Message) -> list[Attachment]:
    found: list[Attachment] = []
    children = [sub for sub in msg.get_payload() if isinstance(sub, Message)] if msg.is_multipart() else []
    leaves = [p for sub in children for p in _leaves(sub)] if msg.is_multipart() else [msg]
    for part in leaves:
        if part.get_content_type() == "message/rfc822":
            try:
                nested = _attached_mail(part)
            except (ValueError, binascii.Error) as exc:  # bad base64 padding and the like
                error = f"附件邮件无法解码（{exc}）"
                found.append(Attachment(name=attachment_name(part) or "转发邮件.eml", error=error))
                continue
            name = attachment_name(part) or f"{nested.subject or '转发邮件'}.eml"
            found.append(Attachment(name=name, message=nested))
            continue
        if _is_body(part):
            continue
        data = part.get_payload(decode=True)
        found.append(Attachment(name=attachment_name(part) or "", data=data if isinstance(data, bytes) else b""))
    return found


def mail_from_message(msg: Message, with_attachments: bool = True) -> Mail:
    date = None
    raw_date = raw_header(msg, "Date")
    if raw_date:
        try:
            date = parsedate_to_datetime(str(raw_date))
        except (TypeError, ValueError, IndexError):
            date = None
    message_id = raw_header(msg, "Message-ID")
    return Mail(
        subject=header_text(raw_header(msg, "Subject")),
        sender=header_text(raw_header(msg, "From")),
        date=date,
        message_id=str(message_id).strip() if message_id else None,
        attachments=(_attachments(msg) + _damage(msg)) if with_attachments else [],
    )


_BOUNDARY_DEFECTS = (email.errors.StartBoundaryNotFoundDefect, email.errors.CloseBoundaryNotFoundDefect,
                     email.errors.NoBoundaryInMultipartDefect, email.errors.MultipartInvariantViolationDefect)
DAMAGED_MAIL = "邮件结构损坏（MIME 分隔符缺失或不完整），其中的附件可能未能取出，请核对或请申报单位重新发送"


def _damage(msg: Message) -> list[Attachment]:
    """A mail whose multipart structure is broken loses attachments without a trace: it is listed as a
    damaged entry so the reviewer knows."""
    for part in msg.walk():
        if any(isinstance(d, _BOUNDARY_DEFECTS) for d in getattr(part, "defects", [])):
            return [Attachment(name="邮件结构", error=DAMAGED_MAIL)]
    return []


def parse_headers(data: bytes) -> Mail:
    """Subject, sender, date and Message-ID only (grouping an inbox needs no attachment in memory)."""
    from email.parser import BytesHeaderParser

    return mail_from_message(BytesHeaderParser().parsebytes(data), with_attachments=False)


def parse_eml(data: bytes) -> Mail:
    """One mail from its bytes. compat32 keeps parameters raw, so every name form can be tried."""
    return mail_from_message(email.message_from_bytes(data))
