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
_TAG = re.compile(r"^[【\[(（]([^】\])）]{1,12})[】\])）]")
_WORDS = r"(补充材料|补充说明|补交材料|补充|补交|更正|修改|修订|重新提交|重发|再次提交)"
_LEADING = re.compile(rf"^{_WORDS}[:：\-—_,，\s]*")
_TRAILING = re.compile(rf"[\-—_,，\s]*{_WORDS}(材料|说明|件)?[\W\d第次一二三四五六七八九十]*$")
_WORD = re.compile(_WORDS)
# 申报编号 first, its number a year and a serial (GB2021-001); ISO9001-2015 is a standard, not a code
_CODE = re.compile(r"^([A-Z]{1,8}(?:19|20)\d{2})-?(\d{2,4})(?!\d)")
_GENERIC_TAIL = re.compile(r"(的)?(申报材料|申报书|申报表|申报|材料)$")
_SEPARATOR = re.compile(rb"^From \S+ .*\d{1,2}:\d{2}")
_TITLE_MATCH = 92  # rapidfuzz ratio for the same application written slightly differently
_CONTAINED = 96  # partial ratio when one title holds the other (same sender only)


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


def _untagged(subject: str) -> tuple[str, bool]:
    """The subject without reply prefixes and a leading 【…】 tag; whether the tag said follow-up."""
    text = _normal(subject)
    tag = _TAG.match(text)
    if tag:
        return _PREFIX.sub("", text[tag.end():]), bool(_WORD.search(tag.group(1)))
    return text, False


def application_code(subject: str) -> str | None:
    match = _CODE.match(_untagged(subject)[0].upper())
    return f"{match.group(1)}{match.group(2)}" if match else None


def is_follow_up(subject: str) -> bool:
    """【补充材料】…, 补充材料：…, …更正（第二次）: follow-up words as a tag, at the start or at the end,
    never inside a name (深圳市城市更新开发有限公司 is not a correction)."""
    text, tagged = _untagged(subject)
    return tagged or bool(_LEADING.match(text) or _TRAILING.search(text))


def base_title(subject: str) -> str:
    """The subject without reply/forward prefixes, tags and follow-up words."""
    text, _ = _untagged(subject)
    text = _TRAILING.sub("", _LEADING.sub("", text))
    return text.strip("-_—:：，,（(【[ ")


def _core(title: str) -> str:
    """What names the applicant: no code, no generic tail (申报材料)."""
    text = _CODE.sub("", base_title(title).upper()).strip("-_—:：，, ")
    return _GENERIC_TAIL.sub("", text)


def same_title(a: str, b: str, same_sender: bool) -> bool:
    """The same application. From another sender only when the applicant's name agrees nearly whole;
    from the same sender also when one title contains the other (a company name plus 申报材料)."""
    core_a, core_b = _core(a), _core(b)
    if core_a and core_b and fuzz.ratio(core_a, core_b) >= _TITLE_MATCH:
        return True
    return same_sender and min(len(core_a), len(core_b)) >= 6 and fuzz.partial_ratio(core_a, core_b) >= _CONTAINED


def group_applications(mails: list[InboxMail]) -> list[Application]:
    """First mails open applications (never merged across senders unless the 申报编号 agrees);
    follow-ups join by code, then by title, then the one application of their sender."""
    apps: list[Application] = []

    def senders(app: Application) -> set[str]:
        return {address(s) for s in app.senders}

    def by_code(mail: Mail) -> Application | None:
        code = application_code(mail.subject)
        return next((a for a in apps if a.code == code), None) if code else None

    pending: list[InboxMail] = []
    for item in mails:
        if is_follow_up(item.mail.subject):
            pending.append(item)
            continue
        sender = address(item.mail.sender)
        app = by_code(item.mail)
        if app is None and application_code(item.mail.subject) is None:
            title = base_title(item.mail.subject)
            app = next((a for a in apps if a.code is None and sender in senders(a)
                        and base_title(a.title) == title), None)  # the same mail sent again
        if app is None:
            subject = item.mail.subject
            app = Application(title=_PREFIX.sub("", subject).strip(), code=application_code(subject))
            apps.append(app)
        _join(app, item)
    for item in pending:
        sender = address(item.mail.sender)
        app = by_code(item.mail)
        if app is None:
            matches = [a for a in apps if same_title(item.mail.subject, a.title, sender in senders(a))]
            app = matches[0] if len(matches) == 1 else None
        if app is None:
            own = [a for a in apps if sender in senders(a)]
            app = own[0] if len(own) == 1 else None
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
    """Byte spans of the messages of an mbox: each follows a `From sender date` line that opens the file
    or follows a blank line (stricter than Python's mailbox, so an unescaped "From the office…" line in
    a body does not split a mail); the separator and the blank line before the next are excluded."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    position, previous_blank, blank = 0, False, b""
    with path.open("rb") as fh:
        for line in fh:
            if _SEPARATOR.match(line) and (start is None or previous_blank):
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
