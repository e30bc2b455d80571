"""An exported inbox (an .mbox, or a folder of .eml/.msg) grouped into applications.

Notices ask applicants to send one mail whose subject is 申报编号+申报单位全称; follow-ups (补充材料,
更正, 重新提交) belong to the same application. Grouping, a pure function over parsed mails:
the application code when the subject carries one (GB2021-002), else the subject with reply/forward
prefixes and follow-up words removed, matched exactly or nearly (rapidfuzz); a follow-up naming
neither joins the one application its sender already has.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

from extractor.intake.mail import Mail, parse_headers

_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|答复|回复|转发)\s*[:：]\s*)+", re.I)
_FOLLOW_UP = re.compile(r"(补充材料|补充说明|补充|补交|更正|更新|修改|修订|重新提交|重发|再次提交)")
_CODE = re.compile(r"(?<![A-Z0-9])([A-Z]{1,8}\d{4}-?\d{2,4})(?!\d)")  # Chinese follows without a word break
_BRACKETS = re.compile(r"^[【\[(（](.*?)[】\])）]")
_TITLE_MATCH = 92  # rapidfuzz ratio for the same application written slightly differently
_CONTAINED = 96  # partial ratio when one title holds the other


@dataclass
class InboxMail:
    """A mail of an inbox, by reference: its bytes stay on disk until a worker checks its application."""

    ref: str  # where it is in the inbox: `名称.mbox#3`, or the .eml/.msg file name
    mail: Mail  # headers only (no attachments)
    location: str = ""  # the file holding it, and the byte span within
    start: int = 0
    stop: int = 0
    digest: str = ""  # sha256 of its bytes
    kind: str = "eml"  # "eml" or "msg"

    def read(self) -> bytes:
        with open(self.location, "rb") as fh:
            fh.seek(self.start)
            return fh.read(self.stop - self.start)


@dataclass
class Application:
    title: str  # 申报编号+申报单位全称 as the first mail wrote it
    code: str | None
    senders: list[str] = field(default_factory=list)
    mails: list[InboxMail] = field(default_factory=list)


def address(sender: str) -> str:
    match = re.search(r"<([^>]+)>", sender)
    return (match.group(1) if match else sender).strip().lower()


def _normal(subject: str) -> str:
    text = unicodedata.normalize("NFKC", subject)
    text = _PREFIX.sub("", text)
    return re.sub(r"\s+", "", text)


def application_code(subject: str) -> str | None:
    match = _CODE.search(_normal(subject).upper())
    return match.group(1).replace("-", "") if match else None


def is_follow_up(subject: str) -> bool:
    return bool(_FOLLOW_UP.search(_normal(subject)))


def base_title(subject: str) -> str:
    """The subject without reply/forward prefixes, 【补充材料】-style tags and follow-up words."""
    text = _normal(subject)
    tag = _BRACKETS.match(text)
    if tag and _FOLLOW_UP.search(tag.group(1)):
        text = text[tag.end():]
    text = _FOLLOW_UP.split(text)[0] if _FOLLOW_UP.search(text) else text
    return text.strip("-_—:：，,（(【[ ")


def same_title(a: str, b: str) -> bool:
    """The same application: nearly equal, or one contains the other (a company name plus 申报材料)."""
    if fuzz.ratio(a, b) >= _TITLE_MATCH:
        return True
    return min(len(a), len(b)) >= 8 and fuzz.partial_ratio(a, b) >= _CONTAINED


def group_applications(mails: list[InboxMail]) -> list[Application]:
    """First mails open applications, follow-ups join them; inbox order is kept."""
    apps: list[Application] = []

    def find(mail: Mail) -> Application | None:
        code = application_code(mail.subject)
        if code:
            return next((a for a in apps if a.code == code), None)
        title = base_title(mail.subject)
        return next((a for a in apps if title and same_title(title, base_title(a.title))), None)

    pending: list[InboxMail] = []
    for item in mails:
        if is_follow_up(item.mail.subject):
            pending.append(item)
            continue
        app = find(item.mail)
        if app is None:
            subject = item.mail.subject
            app = Application(title=_PREFIX.sub("", subject).strip(), code=application_code(subject))
            apps.append(app)
        _join(app, item)
    for item in pending:
        app = find(item.mail)
        if app is None:
            by_sender = [a for a in apps if address(item.mail.sender) in map(address, a.senders)]
            app = by_sender[0] if len(by_sender) == 1 else None
        if app is None:
            app = Application(title=base_title(item.mail.subject) or item.mail.subject,
                              code=application_code(item.mail.subject))
            apps.append(app)
        _join(app, item)
    for app in apps:  # mails in the order they were sent
        app.mails.sort(key=lambda m: (m.mail.date is None, m.mail.date.timestamp() if m.mail.date else 0))
    return apps


def _join(app: Application, item: InboxMail) -> None:
    app.mails.append(item)
    if item.mail.sender and item.mail.sender not in app.senders:
        app.senders.append(item.mail.sender)


def mbox_spans(path: Path) -> list[tuple[int, int]]:
    """Byte spans of the messages of an mbox: each follows a line starting with `From ` (as Python's
    mailbox module reads it; the separator line itself and the blank line before the next excluded)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    position, previous_blank, blank = 0, False, b""
    with path.open("rb") as fh:
        for line in fh:
            if line.startswith(b"From "):
                if start is not None:
                    spans.append((start, position - (len(blank) if previous_blank else 0)))
                start = position + len(line)
            previous_blank, blank = line in (b"\n", b"\r\n"), line
            position += len(line)
    if start is not None:
        spans.append((start, position - (len(blank) if previous_blank else 0)))
    return spans


def read_mbox(path: Path) -> list[InboxMail]:
    """The mails of an mbox by reference, headers parsed; one message in memory at a time."""
    found = []
    with path.open("rb") as fh:
        for index, (start, stop) in enumerate(mbox_spans(path), start=1):
            fh.seek(start)
            raw = fh.read(stop - start)
            found.append(InboxMail(ref=f"{path.name}#{index}", mail=parse_headers(raw), location=str(path),
                                   start=start, stop=stop, digest=hashlib.sha256(raw).hexdigest()))
    return found
