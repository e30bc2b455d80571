"""Is everything there and legible: documents the notice requires (材料齐全性), and the fields a
required document exists for (a licence whose name and code could not be read is there in name
only)."""

from __future__ import annotations

from extractor.judge.rules.facts import BundleFacts, finding
from models import DocType, Finding, TextSource

# The fields a reviewer opens each document for: when none of them can be read, the document is
# as good as missing.
KEY_FIELDS: dict[DocType, tuple[str, ...]] = {
    DocType.BUSINESS_LICENSE: ("company_name", "credit_code"),
    DocType.QMS_CERTIFICATE: ("certificate_number", "expiry_date"),
    DocType.EMS_CERTIFICATE: ("certificate_number", "expiry_date"),
    DocType.OHSMS_CERTIFICATE: ("certificate_number", "expiry_date"),
    DocType.LAB_ACCREDITATION: ("certificate_number", "expiry_date"),
    DocType.TEST_REPORT: ("conclusion",),
    DocType.SATISFACTION_REPORT: ("satisfaction_score",),
}
LOW_CONFIDENCE = 0.5


def missing_document(facts: BundleFacts) -> list[Finding]:
    level = facts.applied_level()
    found = []
    for need in facts.profile.required:
        if need.levels and level not in need.levels:
            continue
        present = facts.of_type(*need.doc_types)
        if need.word:
            present = [d for d in present if d.text_source == TextSource.DOCX]
        if present:
            continue
        found.append(finding(
            "missing_document",
            f"缺少{need.label}（{need.article}）",
            [], None, need.doc_type.value, None,
        ))
    return found


def field_unreadable(facts: BundleFacts) -> list[Finding]:
    """A scanned document of a key type whose key fields are all missing or doubtful."""
    found = []
    for doc in facts.documents:
        keys = KEY_FIELDS.get(doc.doc_type)
        if not keys or doc.errors or doc.text_source not in (TextSource.OCR, TextSource.MIXED):
            continue
        values = [doc.fields.get(k) for k in keys]
        if any(v is not None and v.confidence >= LOW_CONFIDENCE for v in values):
            continue
        unread = [k for k, v in zip(keys, values, strict=True) if v is None or v.confidence < LOW_CONFIDENCE]
        found.append(finding(
            "field_unreadable",
            f"“{doc.path}”的关键信息（{'、'.join(unread)}）无法可靠识别，请核对原件或要求重新扫描",
            [doc.path], unread[0], None, None,
        ))
    return found
