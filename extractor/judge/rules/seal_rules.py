"""Stamped documents (加盖公章): a document the notice wants sealed carries a seal, and the seal
names the party the document speaks for — the applicant on its forms and letters, the recommending
unit on the recommendation form. The Word version of a form is the editable copy and is never
expected to carry a seal; a scan, a photo or a PDF is.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from extractor.judge.rules.facts import BundleFacts, finding
from extractor.understand.seals import seal_name_match, seal_name_similarity
from models import DocumentReport, Evidence, Finding, Seal, Severity, TextSource

SAME_NAME = 0.8  # ring text this close to the expected name is that name (OCR of a seal is noisy)
# CTC match confidence at or above which the ring says the expected name, whatever its best reading.
# benchmarks/bench_seal_verify.py over the 189 gold seals: true names ≥ 0.3 on 175 (similarity ≥ 0.8:
# 172), other companies at most 0.147, look-alikes (two characters replaced) at most 0.283; at 0.4 two
# true rings read surely (0.953, 0.954) would fall below it and become errors.
MATCHED = 0.3
SURE_READING = 0.95  # recogniser confidence of a ring reading that can be held against the bundle
# a ring read fairly surely whose output clearly does not say the expected name (CTC match under
# DENIED) and whose reading is far from it too (under FAR) names someone else as surely
FAIR_READING = 0.9
DENIED = 0.1
FAR = 0.6


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


def _expected(facts: BundleFacts) -> list[tuple[DocumentReport, str, str, str]]:
    """(document, the name its seal must carry, whose name it is, the article) for every stamped
    document the profile wants sealed."""
    out = []
    for duty in facts.profile.sealed:
        for doc in facts.of_type(duty.doc_type):
            expected = _owner_name(facts, doc, duty.owner)
            if _stampable(doc) and expected:
                out.append((doc, expected, duty.owner, duty.article))
    return out


def match_seals(facts: BundleFacts) -> None:
    """Each seal of a document that must be sealed gets its match confidence: how surely its ring
    says the name of the party that must seal it (the `match_confidence` extension of the report)."""
    for doc, expected, _, _ in _expected(facts):
        for seal in doc.seals:
            seal.match_confidence = seal_name_match(seal, expected)


def _says(seal: Seal, name: str) -> bool:
    """The ring says the name: by its CTC match confidence when its strip was kept, else by the
    similarity of its reading."""
    match = seal_name_match(seal, name)
    if match is not None:
        return match >= MATCHED
    return seal_name_similarity(seal.text or "", name) >= SAME_NAME


NEAR_MIN_LENGTH = 8  # names this long that a reading misses by one character are the same name misread


def seal_name_mismatch(facts: BundleFacts) -> list[Finding]:
    """A seal whose ring does not say the expected name — neither its CTC match confidence reaches
    MATCHED (or, with no strip kept, its reading SAME_NAME similarity) — is reported. A ring read
    surely (recogniser confidence ≥ SURE_READING, or ≥ FAIR_READING when its CTC match and its reading
    both clearly deny the name) is an error, unless it is one glyph from the name (a misread glyph);
    a doubtful reading is left to the
    reviewer as a note (info), never counted against the bundle: a worn or half-covered ring reads
    badly more often than it names another company. A seal confirmed by CTC is no finding even when
    its best reading is garbled. A document that speaks for another company and carries that
    company's seal is told once, as a company-name mismatch."""
    found = []
    for doc, expected, owner, article in _expected(facts):
        readable = [s for s in doc.seals if s.text]
        if not readable or any(_says(s, expected) for s in doc.seals):
            continue
        best = max(readable, key=lambda s: (seal_name_match(s, expected) or 0.0,
                                            seal_name_similarity(s.text or "", expected)))
        own = doc.fields.get("company_name")
        if owner == "applicant" and own is not None and isinstance(own.value, str) and _says(best, own.value):
            continue  # the document is the other company's, seal and all: company_name_mismatch
        # a ring one character from the expected name (宁波永兴锅材 for 宁波永兴铜材) is a glyph the
        # recogniser got wrong far more often than another company: doubtful, never an error
        near = len(expected) >= NEAR_MIN_LENGTH and Levenshtein.distance(best.text or "", expected) <= 1
        reading = best.text_confidence or 0.0
        match = seal_name_match(best, expected)
        denied = (match is not None and match < DENIED and reading >= FAIR_READING
                  and seal_name_similarity(best.text or "", expected) < FAR)
        sure = (reading >= SURE_READING or denied) and not near
        found.append(finding(
            "seal_name_mismatch",
            f"第 {best.page} 页印章文字为“{best.text}”，"
            + (f"与应盖章单位“{expected}”不符" if sure
               else f"未能可靠识别，与应盖章单位“{expected}”不完全一致，请人工核对印章")
            + f"（{article}）",
            [doc.path], "seal", expected, best.text, [_seal_evidence(doc, best)],
            severity=None if sure else Severity.INFO,
        ))
    return found
