"""What every rule reads: the documents as understood, the applicant, the reference date, the
profile, and what only the parsed files know (how long each text is)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from extractor.judge.profiles import Profile
from models import Applicant, DocType, DocumentReport, Evidence, FieldValue, Finding, Severity, TextSource

DEFAULT_SEVERITY: dict[str, Severity] = {
    "file_unreadable": Severity.WARNING,
    "field_unreadable": Severity.WARNING,
    "text_too_short": Severity.WARNING,
}


@dataclass(frozen=True)
class BundleFacts:
    documents: list[DocumentReport]
    applicant: Applicant
    as_of: date
    profile: Profile
    text_chars: dict[str, int] = field(default_factory=dict)  # path → characters of text
    texts: dict[str, str] = field(default_factory=dict)  # path → the document's text (what it prints anywhere)

    def of_type(self, *types: DocType) -> list[DocumentReport]:
        """Readable documents of these types (a file holding several documents counts for each)."""
        return [d for d in self.documents if not d.errors and (d.doc_type in types
                                                              or any(p.doc_type in types for p in d.parts))]

    def applied_level(self) -> str | None:
        for doc in self.of_type(DocType.APPLICATION_FORM):
            value = doc.fields.get("applied_level")
            if value is not None and isinstance(value.value, str):
                return value.value
        return None


def cn_date(iso: str) -> str:
    """2024-05-10 → 2024年5月10日, as reviewers write dates."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.year}年{d.month}月{d.day}日"


def is_scan(doc: DocumentReport) -> bool:
    return doc.text_source in (TextSource.OCR, TextSource.MIXED)


def finding(rule: str, message: str, documents: list[str], field_name: str | None = None,
            expected: object = None, actual: object = None, evidence: list[Evidence] | None = None,
            severity: Severity | None = None) -> Finding:
    return Finding(
        rule=rule,
        severity=severity or DEFAULT_SEVERITY.get(rule, Severity.ERROR),
        message=message,
        documents=documents,
        field=field_name,
        expected=expected,
        actual=actual,
        evidence=_distinct(evidence or []),
    )


def _distinct(evidence: list[Evidence]) -> list[Evidence]:
    """Each place once (the same value read twice on one page is one place to look at)."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for e in evidence:
        key = (e.path, e.page, e.bbox, e.text)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def evidence_of(value: FieldValue | None) -> list[Evidence]:
    return list(value.evidence) if value is not None else []


_DELIVERY_NOTE = re.compile(r"[（(【\[][^）)】\]]*(盖章|扫描|签字|签章|(?i:pdf|word)|电子版|原件)[^）)】\]]*[）)】\]]")
_DELIVERY_TAIL = re.compile(r"(盖章扫描件|扫描件|盖章版|盖章|(?i:pdf|word)版|电子版)$")


def document_stem(path: str) -> str:
    """The document a file is a delivery of: its name without folder, extension and the notes that
    tell one delivery from another (附件5 申报表（盖章）.pdf and 附件5 申报表.docx are one document)."""
    name = re.split(r"[/\\]|!/", path)[-1]
    name = name.rsplit(".", 1)[0] if "." in name else name
    name = unicodedata.normalize("NFKC", _DELIVERY_NOTE.sub("", unicodedata.normalize("NFC", name)))
    return _DELIVERY_TAIL.sub("", re.sub(r"[\s_\-]+", "", name))


def _same_discrepancy(a: Finding, b: Finding) -> bool:
    """Same rule and value, or the same rule and field in two deliveries of one document (a Word file
    and its stamped scan whose counts differ by what OCR read)."""
    if a.rule != b.rule:
        return False
    if _value_key(a) == _value_key(b):
        return True
    stems_a, stems_b = {document_stem(p) for p in a.documents}, {document_stem(p) for p in b.documents}
    return a.field == b.field and bool(stems_a & stems_b) and set(a.documents).isdisjoint(b.documents)


def _value_key(f: Finding) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", repr((f.expected, f.actual))))


def merge_same(findings: list[Finding]) -> list[Finding]:
    """One finding per discrepancy: the same wrong code printed on the Word form and on its stamped
    scan is one discrepancy found in two files, so it is told once, naming both; so is a summary too
    short in its Word file and in its PDF."""
    merged: list[Finding] = []
    for f in findings:
        at = next((i for i, m in enumerate(merged) if _same_discrepancy(m, f)), None)
        if at is None:
            merged.append(f)
            continue
        first = merged[at]
        severity = first.severity if first.severity == Severity.ERROR else f.severity
        merged[at] = first.model_copy(update={
            "documents": first.documents + [d for d in f.documents if d not in first.documents],
            "evidence": first.evidence + f.evidence,
            "severity": severity,
        })
    return merged


def field_of(doc: DocumentReport, key: str, kind: type | tuple[type, ...] = str) -> FieldValue | None:
    """The document's field when it holds a value of this kind (a date string, a score, a count)."""
    value = doc.fields.get(key)
    return value if value is not None and isinstance(value.value, kind) else None
