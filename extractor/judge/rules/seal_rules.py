"""Stamped documents (加盖公章): a document the notice wants sealed carries a seal, and the seal
names the party the document speaks for — the applicant on its forms and letters, the recommending
unit on the recommendation form. The Word version of a form is the editable copy and is never
expected to carry a seal; a scan, a photo or a PDF is.
"""

from __future__ import annotations

from extractor.judge.rules.facts import BundleFacts, finding
from extractor.understand.seals import seal_name_similarity
from models import DocumentReport, Evidence, Finding, Seal, Severity, TextSource

SAME_NAME = 0.8  # ring text this close to the expected name is that name (OCR of a seal is noisy)
SURE_READING = 0.95  # recogniser confidence of a ring reading that can be held against the bundle


def _owner_name(facts: BundleFacts, doc: DocumentReport, owner: str) -> str | None:
    if owner == "recommender":
        value = doc.fields.get("recommender")
        return value.value if value is not None and isinstance(value.value, str) else None
    return facts.applicant.company_name


def _stampable(doc: DocumentReport) -> bool:
    return doc.text_source != TextSource.DOCX and not doc.errors


def _seal_evidence(doc: DocumentReport, seal: Seal) -> Evidence:
    return Evidence(path=doc.path, page=seal.page, bbox=seal.bbox, text=seal.text or "")


def seal_missing(facts: BundleFacts) -> list[Finding]:
    found = []
    for duty in facts.profile.sealed:
        for doc in facts.of_type(duty.doc_type):
            if not _stampable(doc) or doc.seals:
                continue
            whose = "推荐单位" if duty.owner == "recommender" else "申报单位"
            found.append(finding(
                "seal_missing",
                f"“{doc.path}”应加盖{whose}公章，未发现印章（{duty.article}）",
                [doc.path], None, f"{whose}公章", None,
            ))
    return found


def seal_name_mismatch(facts: BundleFacts) -> list[Finding]:
    """A ring read surely (recogniser confidence ≥ SURE_READING) that names someone else is an error.
    A doubtful reading that does not match is left to the reviewer as a note (info), never counted
    against the bundle: a worn or half-covered ring reads badly more often than it names another
    company. A document that speaks for another company and carries that company's seal is told
    once, as a company-name mismatch."""
    found = []
    for duty in facts.profile.sealed:
        for doc in facts.of_type(duty.doc_type):
            expected = _owner_name(facts, doc, duty.owner)
            readable = [s for s in doc.seals if s.text]
            if not _stampable(doc) or not expected or not readable:
                continue
            best = max(readable, key=lambda s: seal_name_similarity(s.text or "", expected))
            similarity = seal_name_similarity(best.text or "", expected)
            if similarity >= SAME_NAME:
                continue
            own = doc.fields.get("company_name")
            if (duty.owner == "applicant" and own is not None and isinstance(own.value, str)
                    and seal_name_similarity(best.text or "", own.value) >= SAME_NAME):
                continue  # the document is the other company's, seal and all: company_name_mismatch
            sure = (best.text_confidence or 0.0) >= SURE_READING
            found.append(finding(
                "seal_name_mismatch",
                f"第 {best.page} 页印章文字为“{best.text}”，"
                + (f"与应盖章单位“{expected}”不符" if sure
                   else f"未能可靠识别，与应盖章单位“{expected}”不完全一致，请人工核对印章")
                + f"（{duty.article}）",
                [doc.path], "seal", expected, best.text, [_seal_evidence(doc, best)],
                severity=None if sure else Severity.INFO,
            ))
    return found
