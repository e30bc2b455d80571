"""The 证实性材料 (certificates, test reports, satisfaction reports) against the notice: validity at
the reference date, the required standard editions, the test conclusion, the CMA qualification,
grades covered, and the satisfaction score the applied level needs."""

from __future__ import annotations

import re
import unicodedata

from extractor.judge.rules.facts import BundleFacts, cn_date, evidence_of, field_of, finding
from extractor.understand.values import normalise_standard
from models import DOC_TYPE_LABELS, DocType, FieldValue, Finding, TextSource

TRUST: dict[TextSource | None, int] = {
    TextSource.DOCX: 0, TextSource.TEXT_LAYER: 1, TextSource.MIXED: 2, TextSource.OCR: 2,
}
CERTIFICATES = (DocType.QMS_CERTIFICATE, DocType.EMS_CERTIFICATE, DocType.OHSMS_CERTIFICATE,
                DocType.LAB_ACCREDITATION)


def certificate_expired(facts: BundleFacts) -> list[Finding]:
    found = []
    as_of = facts.as_of.isoformat()
    basis = facts.profile.certificates_valid_article
    for doc in facts.of_type(*CERTIFICATES):
        value = field_of(doc, "expiry_date", str)
        if value is None or value.value >= as_of:
            continue
        label = DOC_TYPE_LABELS[doc.doc_type]
        found.append(finding(
            "certificate_expired",
            f"{label}已于{cn_date(value.value)}过期，早于截止日{cn_date(as_of)}"
            + (f"（{basis}）" if basis else ""),
            [doc.path], "expiry_date", f">= {as_of}", value.value, evidence_of(value),
        ))
    return found


def certificate_standard_mismatch(facts: BundleFacts) -> list[Finding]:
    found = []
    for duty in facts.profile.standards:
        for doc in facts.of_type(duty.doc_type):
            value = field_of(doc, "standard", str)
            if value is None:
                continue
            printed = normalise_standard(value.value) or value.value
            if printed.startswith(duty.standard):
                continue
            found.append(finding(
                "certificate_standard_mismatch",
                f"{DOC_TYPE_LABELS[duty.doc_type]}依据的标准为 {printed}，通知要求 {duty.standard}（{duty.article}）",
                [doc.path], "standard", duty.standard, printed, evidence_of(value),
            ))
    return found


def test_report_failed(facts: BundleFacts) -> list[Finding]:
    found = []
    for doc in facts.of_type(DocType.TEST_REPORT):
        value = doc.fields.get("conclusion")
        if value is None or value.value != "不合格":
            continue
        basis = facts.profile.conclusion_article
        found.append(finding(
            "test_report_failed",
            "检验检测报告的检验结论为“不合格”" + (f"，通知要求产品检验合格报告（{basis}）" if basis else ""),
            [doc.path], "conclusion", "合格", value.value, evidence_of(value),
        ))
    return found


def test_report_not_cma(facts: BundleFacts) -> list[Finding]:
    basis = facts.profile.cma_article
    if not basis:
        return []
    found = []
    for doc in facts.of_type(DocType.TEST_REPORT):
        value = doc.fields.get("cma")
        if value is not None and value.value is True:
            continue
        found.append(finding(
            "test_report_not_cma",
            f"检验检测报告上未见 CMA 标志或资质认定证书编号（{basis}）",
            [doc.path], "cma", True, value.value if value is not None else None, evidence_of(value),
        ))
    return found


def _grades(fields: dict[str, FieldValue]) -> set[str]:
    value = fields.get("grades")
    if value is None or not isinstance(value.value, list):
        return set()
    return {str(g).upper().replace(" ", "") for g in value.value}


def _prints(text: str, grade: str) -> bool:
    """Whether a text prints a grade as a token of its own (6061, not 16061 or GB/T 6061-2017's year)."""
    flat = re.sub(r"([-－])\s+", r"\1", unicodedata.normalize("NFKC", text)).upper()  # QSn6.5- / 0.1 rejoined
    return re.search(rf"(?<![0-9A-Z.\-]){re.escape(grade.upper())}(?![0-9A-Z])", flat) is not None


def test_report_grades_incomplete(facts: BundleFacts) -> list[Finding]:
    """The grades applied for are read from the most trustworthy form (Word before a text layer
    before a scan, whose OCR may misread a grade); every form listing a missing grade is named."""
    basis = facts.profile.grades_article
    reports = facts.of_type(DocType.TEST_REPORT)
    forms = [f for f in facts.of_type(DocType.APPLICATION_FORM) if _grades(f.fields)]
    if not basis or not reports or not forms:
        return []
    covered = set().union(*(_grades(r.fields) for r in reports))
    best = min(forms, key=lambda f: TRUST.get(f.text_source, 3))
    applied = _grades(best.fields)
    printed = [facts.texts.get(r.path, "") for r in reports]
    # a grade the report prints anywhere (a results table read in part, a line the field missed) is covered
    missing = sorted(g for g in applied - covered if not any(_prints(text, g) for text in printed))
    if not missing:
        return []
    naming = [f for f in forms if set(missing) & _grades(f.fields)]
    return [finding(
        "test_report_grades_incomplete",
        f"申报的牌号 {'、'.join(missing)} 未见于任何检验检测报告（{basis}）",
        [f.path for f in naming], "grades", sorted(applied), sorted(covered),
        [e for f in naming for e in evidence_of(f.fields.get("grades"))],
    )]


def satisfaction_below_threshold(facts: BundleFacts) -> list[Finding]:
    floors = facts.profile.score_floors
    if not floors:
        return []
    level = facts.applied_level()
    lowest = min(floors, key=lambda f: f.minimum)  # the level unread: only what every level needs
    floor = next((f for f in floors if f.level == level), lowest)
    found = []
    for doc in facts.of_type(DocType.SATISFACTION_REPORT):
        value = field_of(doc, "satisfaction_score", (int, float))
        if value is None or value.value >= floor.minimum:
            continue
        applied = f"申报“{level}”" if level else "（未读到申报类别，按最低要求）"
        found.append(finding(
            "satisfaction_below_threshold",
            f"用户满意度测评得分 {value.value:g} 分，{applied}须达到 {floor.minimum:g} 分（{floor.article}）",
            [doc.path], "satisfaction_score", floor.minimum, value.value, evidence_of(value),
        ))
    return found
