"""`precheck batch`: many bundles from an inbox, in parallel, resumable, with a summary.

An INBOX is an .mbox, a folder of .eml/.msg (both grouped into applications by subject and sender),
or a folder whose entries are bundles (sub-folders, archives, single files); one archive or mail file
is one bundle. Each bundle is checked in a worker process; its report goes to `OUT/<bundle id>/`,
with `input.json` saying which input it answers, so a re-run skips what is already done (by content
hash, profile and reference date). One bundle failing never stops the others: its row in
`summary.xlsx` says why.
"""

import hashlib
import json
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal, TextIO

from extractor.errors import InputError, PrecheckError
from extractor.intake import open_mails
from extractor.intake.folder import collect_sources, display_name, is_junk, leads_out, not_regular
from extractor.intake.inbox import Application, InboxMail, group_applications, read_mbox
from extractor.intake.mail import Mail, parse_eml, parse_headers
from extractor.intake.msg import MsgError, parse_msg
from extractor.judge.verdict import severity_counts
from extractor.parse import sniff
from extractor.report.summary_xlsx import finding_rules, key_values
from extractor.settings import Settings
from models import BatchRow, Report

log = logging.getLogger(__name__)
STATE_FILE = "input.json"
STATE_VERSION = 1  # raise when a change of the pipeline makes earlier reports stale


@dataclass(frozen=True)
class BatchItem:
    """One bundle of the batch: a path on disk, or the mails of one application of an inbox."""

    label: str
    key: str  # content hash of the input
    size: int  # bytes of input, for the time-left estimate
    path: str | None = None
    mails: tuple[InboxMail, ...] = ()  # by reference: bytes are read by the worker
    paths: tuple[str, ...] = ()  # the bundle path each mail's attachments hang under (`subject.eml`)
    refusal: str | None = None  # an entry of the inbox that is not read (a link out of it, a FIFO), and why


# -- what is in the inbox ------------------------------------------------------------------------


def _digest(parts: list[bytes]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _mail_path(mail: Mail, used: set[str]) -> str:
    from extractor.intake.expand import flat_name

    stem = flat_name(mail.subject) or "无主题邮件"
    path, n = f"{stem}.eml", 1
    while path in used:
        n += 1
        path = f"{stem} ({n}).eml"
    used.add(path)
    return path


def _application_item(app: Application) -> BatchItem:
    used: set[str] = set()
    return BatchItem(
        label=app.title,
        key=_digest([m.digest.encode() for m in app.mails]),
        size=sum(m.stop - m.start for m in app.mails),
        mails=tuple(app.mails),
        paths=tuple(_mail_path(m.mail, used) for m in app.mails),
    )


def _path_item(path: Path) -> BatchItem:
    # the name is part of the key: report paths carry it (`申报.zip!/营业执照.pdf`)
    sources = collect_sources(path)
    key = _digest([path.name.encode(), *(f"{s.path}\0{s.sha256}".encode() for s in sources)])
    return BatchItem(label=path.name, key=key, size=sum(s.size for s in sources), path=str(path))


def _read_mail_file(path: Path, media: str) -> InboxMail | None:
    raw = path.read_bytes()
    try:
        mail = parse_msg(raw) if media == sniff.MSG else parse_headers(raw)
    except MsgError:
        return None  # checked as a bundle of its own, where the damage is reported
    mail.attachments = []  # only the headers are kept until a worker checks the application
    return InboxMail(ref=path.name, mail=mail, location=str(path), start=0, stop=len(raw),
                     digest=hashlib.sha256(raw).hexdigest(), kind="msg" if media == sniff.MSG else "eml")


def discover(inbox: Path) -> list[BatchItem]:
    """The bundles an INBOX holds, in a stable order."""
    if not inbox.exists():
        raise InputError(f"路径不存在：{inbox}")
    if inbox.is_file():
        if sniff.sniff_media_type(inbox) == sniff.MBOX:
            return [_application_item(a) for a in group_applications(read_mbox(inbox))]
        return [_path_item(inbox)]
    mails: list[InboxMail] = []
    items: list[BatchItem] = []
    base = inbox.resolve()
    for entry in sorted(inbox.iterdir()):
        if is_junk([entry.name]) or entry.name.startswith("."):
            continue
        if (refusal := _refusal(entry, base)) is not None:  # never followed out of the inbox, never opened
            label = display_name(entry.name)
            items.append(BatchItem(label=label, key=_digest([label.encode()]), size=0, refusal=refusal))
            continue
        if entry.is_dir():
            items.append(_path_item(entry))
            continue
        media = sniff.sniff_media_type(entry)
        if media == sniff.MBOX:
            mails.extend(read_mbox(entry))
        elif media in sniff.MAIL_TYPES and (found := _read_mail_file(entry, media)) is not None:
            mails.append(found)
        else:
            items.append(_path_item(entry))
    return [_application_item(a) for a in group_applications(mails)] + items


def _refusal(entry: Path, base: Path) -> str | None:
    """Why an entry at the top of the inbox is not checked: a link leading out of the inbox, or
    something that is neither a regular file nor a folder."""
    if entry.is_symlink() and leads_out(entry, base):
        return "符号链接指向收件箱以外，未读取"
    if entry.is_dir():
        return None
    return not_regular(entry)


# -- one bundle, in a worker ---------------------------------------------------------------------


def _state(item: BatchItem, profile: str, as_of: date | None) -> dict[str, object]:
    return {"key": item.key, "label": item.label, "profile": profile,
            "as_of": as_of.isoformat() if as_of else None, "version": STATE_VERSION,
            "mails": [m.ref for m in item.mails]}


def batch_row(label: str, report: Report, report_ref: str, status: Literal["done", "skipped", "failed"],
              seconds: float) -> BatchRow:
    """The summary row of one checked bundle (batch, service): what summary.xlsx lists."""
    return BatchRow(
        label=label, status=status, bundle_id=report.bundle.id, report=report_ref,
        seconds=seconds, pages=sum(d.pages or 0 for d in report.documents), documents=len(report.documents),
        unreadable=sum(1 for d in report.documents if d.errors), verdict=report.verdict.value,
        company_name=report.bundle.applicant.company_name, credit_code=report.bundle.applicant.credit_code,
        counts=severity_counts(report.findings), mails=[m.model_dump(mode="json") for m in report.bundle.mails],
        key_values=key_values(report), rules=finding_rules(report),
    )


def check_item(item: BatchItem, profile: str, as_of: date | None, out: Path, settings: Settings) -> BatchRow:
    """Check one bundle and write its report. Never raises: a failure is a row that says why."""
    from extractor.pipeline import check_bundle, run_intake
    from extractor.report.html_writer import write_html
    from extractor.report.json_writer import write_json

    started = time.perf_counter()
    if item.refusal is not None:
        return BatchRow(label=item.label, status="failed", error=item.refusal, seconds=0.0)
    html = out / f".{os.getpid()}.report.html"  # moved beside report.json once the bundle id is known
    try:
        if item.path is not None:
            result = check_bundle(Path(item.path), settings, profile=profile, as_of=as_of, evidence=True)
        else:
            parsed = [(path, parse_msg(m.read()) if m.kind == "msg" else parse_eml(m.read()))
                      for path, m in zip(item.paths, item.mails, strict=True)]
            with open_mails(parsed, settings) as intake:
                result = run_intake(intake, item.label, settings, profile=profile, as_of=as_of, evidence=True)
        report = result.report
        write_html(report, result.crops, html)
        folder = out / report.bundle.id
        folder.mkdir(parents=True, exist_ok=True)
        write_json(report, folder / "report.json")
        html.replace(folder / "report.html")
        (folder / STATE_FILE).write_text(
            json.dumps(_state(item, profile, as_of), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return batch_row(item.label, report, str(folder / "report.json"), "done", time.perf_counter() - started)
    except (PrecheckError, MsgError) as exc:
        return BatchRow(label=item.label, status="failed", error=str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug on one bundle must not sink the batch
        log.exception("bundle %s failed", item.label)
        return BatchRow(label=item.label, status="failed", error=f"{type(exc).__name__}: {exc}",
                        seconds=time.perf_counter() - started)
    finally:
        html.unlink(missing_ok=True)  # a report cut short leaves no half-written page behind


def _done_before(out: Path) -> dict[str, Path]:
    """Key of each input already checked → its output folder."""
    done = {}
    for state_path in out.glob(f"*/{STATE_FILE}"):
        try:
            state = json.loads(state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if (state_path.parent / "report.json").is_file():
            done[json.dumps([state.get("key"), state.get("profile"), state.get("as_of"), state.get("version")])] = (
                state_path.parent)
    return done


def _skipped(item: BatchItem, folder: Path) -> BatchRow | None:
    try:
        report = Report.model_validate_json((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return batch_row(item.label, report, str(folder / "report.json"), "skipped", 0.0)


# -- the batch -----------------------------------------------------------------------------------


@dataclass
class Progress:
    """Bundles, pages and time left on one status line (stderr)."""

    total: int
    total_bytes: int
    stream: TextIO | None = None  # default: sys.stderr at the time of printing
    started: float = field(default_factory=time.perf_counter)
    done: int = 0
    done_bytes: int = 0
    pages: int = 0

    def update(self, item: BatchItem, row: BatchRow) -> None:
        self.done += 1
        self.done_bytes += item.size
        self.pages += row.pages
        elapsed = time.perf_counter() - self.started
        left = elapsed * (self.total_bytes - self.done_bytes) / self.done_bytes if self.done_bytes else 0.0
        state = {"done": "完成", "skipped": "已有结果，跳过", "failed": "失败"}[row.status]
        line = (f"[{self.done}/{self.total}] {self.pages} 页 | 已用 {_clock(elapsed)} | "
                f"预计剩余 {_clock(left)} | {state}：{item.label}")
        print(line, file=self.stream or sys.stderr, flush=True)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def _worker_settings(settings: Settings, workers: int) -> Settings:
    """Share the cores: each worker's OCR gets its part instead of every worker taking them all."""
    if workers > 1 and settings.ocr_threads == 0:
        return settings.model_copy(update={"ocr_threads": max(1, (os.cpu_count() or 1) // workers)})
    return settings


def run_batch(
    items: list[BatchItem],
    profile: str,
    as_of: date | None,
    out: Path,
    settings: Settings,
    workers: int = 1,
    progress: Callable[[BatchItem, BatchRow], None] | None = None,
) -> list[BatchRow]:
    """Rows in the order of `items`."""
    from extractor.judge.profiles import default_as_of, get_profile

    # resolved now, so a re-run on another day does not reuse reports made for another date
    as_of = as_of or default_as_of(get_profile(profile), date.today())
    out.mkdir(parents=True, exist_ok=True)
    done = _done_before(out)
    rows: dict[int, BatchRow] = {}
    todo: list[tuple[int, BatchItem]] = []
    for index, item in enumerate(items):
        key = json.dumps([item.key, profile, as_of.isoformat() if as_of else None, STATE_VERSION])
        row = _skipped(item, done[key]) if key in done else None
        if row is not None:
            rows[index] = row
            if progress:
                progress(item, row)
        else:
            todo.append((index, item))
    worker_settings = _worker_settings(settings, workers)
    for index, item, row in _execute(todo, profile, as_of, out, worker_settings, workers):
        rows[index] = row
        if progress:
            progress(item, row)
    return [rows[i] for i in range(len(items))]


def _execute(
    todo: list[tuple[int, BatchItem]], profile: str, as_of: date | None, out: Path, settings: Settings, workers: int
) -> Iterator[tuple[int, BatchItem, BatchRow]]:
    if workers <= 1 or len(todo) <= 1:
        for index, item in todo:
            yield index, item, check_item(item, profile, as_of, out, settings)
        return
    # spawn, not fork: a worker must not inherit a half-initialised OCR runtime from its parent
    context = multiprocessing.get_context("spawn")
    unfinished: list[tuple[int, BatchItem]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures: dict[Future[BatchRow], tuple[int, BatchItem]] = {
            pool.submit(check_item, item, profile, as_of, out, settings): (index, item)
            for index, item in sorted(todo, key=lambda t: -t[1].size)  # big bundles first: better balance
        }
        for future in as_completed(futures):
            index, item = futures[future]
            try:
                row = future.result()
            except BrokenProcessPool:  # a worker died (memory, signal): every pending bundle fails with it
                unfinished.append((index, item))
                continue
            yield index, item, row
    # retried one by one, each in a process of its own, so only the bundle that kills its process fails
    for index, item in sorted(unfinished):
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as single:
            try:
                row = single.submit(check_item, item, profile, as_of, out, settings).result()
            except BrokenProcessPool as exc:
                row = BatchRow(label=item.label, status="failed", error=f"检查进程异常退出（{exc}）")
        yield index, item, row


def manifest(items: list[BatchItem], rows: list[BatchRow], inbox: Path) -> dict[str, object]:
    """Which mail and attachment each bundle's files came from, for the whole inbox. A bundle that
    failed still lists the mails it was made of."""
    applications = []
    for item, row in zip(items, rows, strict=True):
        entry: dict[str, object] = {"application": item.label, "bundle_id": row.bundle_id, "status": row.status,
                                    "report": row.report, "error": row.error}
        if item.path is not None:
            entry["path"] = item.path
        refs = {path: m.ref for path, m in zip(item.paths, item.mails, strict=True)}
        if row.mails:
            entry["mails"] = [{**info, "ref": refs.get(str(info["path"]))} for info in row.mails]
        elif item.mails:
            entry["mails"] = [
                {"path": path, "subject": m.mail.subject, "sender": m.mail.sender, "ref": m.ref,
                 "date": m.mail.date.isoformat() if m.mail.date else None, "message_id": m.mail.message_id}
                for path, m in zip(item.paths, item.mails, strict=True)
            ]
        applications.append(entry)
    return {"inbox": str(inbox), "applications": applications}
