"""Wires the stages: intake → parse → understand → judge → report. Plain functions over models."""

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from extractor.intake import Intake, open_bundle
from extractor.judge.engine import judge, text_chars
from extractor.judge.profiles import default_as_of, get_profile
from extractor.judge.readability import internal_error_findings, unreadable_findings
from extractor.judge.rules.facts import BundleFacts
from extractor.judge.rules.seal_rules import match_seals
from extractor.judge.verdict import verdict
from extractor.ocr.reader import PageReader
from extractor.parse import ParseContext
from extractor.parse.guarded import Parsed, guarded_parser, parse_counted
from extractor.settings import Settings
from extractor.understand.agreement import temper
from extractor.understand.applicant import settle_applicant
from extractor.understand.classify import classify
from extractor.understand.fields import extract_fields
from extractor.understand.parts import dominant, split_parts, sub_document
from extractor.understand.seals import document_seals
from models import BundleInfo, DocType, DocumentPart, DocumentReport, ParsedDocument, Report, Source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """Where a check is: its stage (parse, understand, judge, evidence, done), files and pages so far."""

    stage: str
    files_done: int
    files_total: int
    pages_done: int
    current: str | None = None  # the file being parsed (its name only)


@dataclass
class RunStats:
    seconds: float = 0.0
    counters: dict[str, int] = field(default_factory=dict)
    seconds_by_source: dict[str, float] = field(default_factory=dict)
    pages_by_source: dict[str, int] = field(default_factory=dict)
    on_progress: Callable[[Progress], None] | None = None  # told after each file and stage

    def tell(self, progress: Progress) -> None:
        if self.on_progress is not None:
            self.on_progress(progress)


def bundle_id(sources: list[Source]) -> str:
    """Stable for the same set of files (their bundle paths and contents), whatever the order."""
    h = hashlib.sha256()
    for s in sorted(sources, key=lambda s: s.path):
        h.update(f"{s.path}\0{s.sha256}\n".encode())
    return h.hexdigest()[:16]


def document_report(doc: ParsedDocument, origin: str | None = None) -> DocumentReport:
    try:
        return _document_report(doc, origin)
    except Exception as exc:  # an understanding bug: this file is not checked, the bundle still is
        log.error("内部错误：理解“%s”时 %s", doc.path, type(exc).__name__, exc_info=exc)
        failed = doc.model_copy(update={"internal_error": f"理解时程序内部错误（{type(exc).__name__}），已记录日志"})
        return _document_report(failed, origin)


def _document_report(doc: ParsedDocument, origin: str | None = None) -> DocumentReport:
    if doc.errors or doc.internal_error:
        doc_type, fields, parts = DocType.OTHER, {}, []
    elif found := split_parts(doc):  # several documents in one file: typed by the dominant one
        main = dominant(found)
        doc_type = main.doc_type
        fields = extract_fields(sub_document(doc, main), doc_type)
        parts = [DocumentPart(pages=(p.first, p.last), doc_type=p.doc_type,
                              fields=extract_fields(sub_document(doc, p), p.doc_type)) for p in found]
    else:
        doc_type = classify(doc).doc_type
        fields, parts = extract_fields(doc, doc_type), []
    return DocumentReport(
        path=doc.path,
        sha256=doc.sha256,
        media_type=doc.media_type,
        pages=doc.page_count,
        text_source=doc.text_source,
        doc_type=doc_type,
        fields=fields,
        seals=[] if doc.internal_error else document_seals(doc),
        parts=parts,
        errors=list(doc.errors),
        origin=origin,
        internal_error=doc.internal_error,
    )


def parse_bundle(
    sources: list[Source], settings: Settings, stats: RunStats | None = None
) -> list[ParsedDocument]:
    parse = _parser(settings)
    counters: dict[str, int] = {}
    pages_recognised = 0
    documents: list[ParsedDocument] = []
    pages_done = 0
    for source in sources:
        if stats is not None:
            stats.tell(Progress("parse", len(documents), len(sources), pages_done, source.path))
        started = time.perf_counter()
        parsed = parse(source)
        doc = parsed.doc
        for key, n in parsed.counters.items():
            counters[key] = counters.get(key, 0) + n
        pages_recognised += parsed.pages_recognised
        elapsed = time.perf_counter() - started
        # names and counts only: applicants' content never goes to the log (管理办法 第十九条)
        log.info("%s: %s, %s pages, %.2fs%s", source.path, doc.media_type, doc.page_count, elapsed,
                 " (unreadable)" if doc.errors else " (internal error)" if doc.internal_error else "")
        if stats is not None and doc.text_source is not None:
            key = doc.text_source.value
            stats.seconds_by_source[key] = stats.seconds_by_source.get(key, 0.0) + elapsed
            stats.pages_by_source[key] = stats.pages_by_source.get(key, 0) + (doc.page_count or 1)
        documents.append(doc)
        pages_done += doc.page_count or 1
    if stats is not None:
        stats.tell(Progress("understand", len(documents), len(sources), pages_done))
        stats.counters.update(counters)
        stats.counters["pages_recognised"] = pages_recognised
    return documents


def _parser(settings: Settings) -> Callable[[Source], Parsed]:
    """Each file parsed by the process's guarded worker (deadline, memory cap), or here when the
    settings say so."""
    if settings.isolate_files:
        return guarded_parser(settings).parse
    ctx = ParseContext(settings=settings, reader=PageReader(settings))
    return lambda source: parse_counted(source, ctx)


@dataclass
class CheckResult:
    """What one check gives every caller (CLI, batch, service): the report, the parsed documents, and
    the evidence crops cut from the originals while they were at hand (data URIs by evidence key; empty
    unless asked for). Writing JSON, HTML or storing is the caller's, after the originals are gone."""

    report: Report
    documents: list[ParsedDocument]
    crops: dict[str, str] = field(default_factory=dict)


def check(
    path: Path,
    settings: Settings,
    profile: str = "generic",
    as_of: date | None = None,
    stats: RunStats | None = None,
) -> Report:
    """One bundle as the user gives it (a folder, one file, an archive or a mail): its report."""
    return check_bundle(path, settings, profile, as_of, stats).report


def check_bundle(
    path: Path,
    settings: Settings,
    profile: str = "generic",
    as_of: date | None = None,
    stats: RunStats | None = None,
    evidence: bool = False,
    label: str | None = None,
) -> CheckResult:
    """One bundle as the user gives it; with `evidence`, the crops the HTML report and the pages show.
    `label` names the bundle in the report (default: the path given)."""
    with open_bundle(path, settings) as intake:
        return run_intake(intake, label or str(path), settings, profile, as_of, stats, evidence)


def run_intake(
    intake: Intake,
    source_label: str,
    settings: Settings,
    profile: str = "generic",
    as_of: date | None = None,
    stats: RunStats | None = None,
    evidence: bool = False,
) -> CheckResult:
    """The pipeline over an opened bundle: parse (guarded), understand, judge; and, with `evidence`,
    the crops cut from the originals while the intake still holds them."""
    started = time.perf_counter()
    chosen = get_profile(profile)
    sources = intake.sources
    documents = parse_bundle(sources, settings, stats)
    reports = [document_report(d, s.origin) for d, s in zip(documents, sources, strict=True)]
    applicant = settle_applicant(reports)
    reports = temper(reports, applicant)
    reference = as_of or default_as_of(chosen, date.today())
    facts = BundleFacts(reports, applicant, reference, chosen, {d.path: text_chars(d) for d in documents},
                        {d.path: d.text for d in documents})
    match_seals(facts)  # each seal's match confidence: does its ring say the name it must carry
    documents = [d.model_copy(update={"internal_error": r.internal_error}) if r.internal_error else d
                 for d, r in zip(documents, reports, strict=True)]
    findings = unreadable_findings(documents) + internal_error_findings(documents) + judge(facts)
    report = Report(
        bundle=BundleInfo(
            id=bundle_id(sources),
            source=source_label,
            profile=chosen.name,
            as_of=reference,
            mails=intake.mails,
            applicant=applicant,
        ),
        documents=reports,
        findings=findings,
        verdict=verdict(findings, unreadable=any(d.errors for d in documents)),
    )
    crops: dict[str, str] = {}
    pages = sum(d.page_count or 1 for d in documents)
    if evidence:
        if stats is not None:
            stats.tell(Progress("evidence", len(documents), len(documents), pages))
        from extractor.report.evidence_crops import evidence_images

        crops = evidence_images(report, documents, {s.path: Path(s.location) for s in sources}, settings)
    if stats is not None:
        stats.seconds = time.perf_counter() - started
        stats.tell(Progress("done", len(documents), len(documents), pages))
    return CheckResult(report, documents, crops)
