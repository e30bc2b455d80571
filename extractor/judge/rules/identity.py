"""Who the documents speak for: credit codes that fail their check, and documents whose holder's
code or name is not the applicant's (形式审查: 申报单位名称一致, 统一社会信用代码一致).

Only holder fields (`company_name`, `credit_code`) are compared: a certification body, laboratory or
recommending unit is never taken for the applicant. Benign variants are accepted (width, spaces,
brackets; 有限公司 / 有限责任公司 when the codes agree). An OCR reading a character or two from the
applicant (made doubtful by the agreement step) is not a mismatch.
"""

from __future__ import annotations

from extractor.judge.rules.facts import BundleFacts, evidence_of, field_of, finding, is_scan
from extractor.understand.applicant import witnesses
from extractor.understand.credit_code import CodeStatus, status
from extractor.understand.values import CompanyMatch, same_company
from models import DocumentReport, Doubt, FieldValue, Finding, Severity

# what makes a scanned reading too doubtful to hold against the applicant as a sure error
MISREAD = frozenset({Doubt.NEAR_APPLICANT})
UNSURE_CODE = frozenset({Doubt.NEAR_APPLICANT, Doubt.OCR_UNSURE, Doubt.OCR_DISAGREES})


def _doubted(doc: DocumentReport, value: FieldValue, reasons: frozenset[Doubt]) -> bool:
    return is_scan(doc) and bool(reasons.intersection(value.doubt))


def _code(doc: DocumentReport) -> str | None:
    value = doc.fields.get("credit_code")
    return value.value if value is not None and isinstance(value.value, str) else None


def _other_entity(facts: BundleFacts, doc: DocumentReport) -> bool:
    """The document surely carries another valid credit code than the applicant's."""
    value = doc.fields.get("credit_code")
    code = _code(doc)
    return (value is not None and code is not None and code != facts.applicant.credit_code
            and not _doubted(doc, value, MISREAD) and status(code) == CodeStatus.VALID)


def credit_code_invalid(facts: BundleFacts) -> list[Finding]:
    found = []
    for doc in facts.documents:
        code = _code(doc)
        if code is None:
            continue
        state = status(code)
        if state in (CodeStatus.VALID, CodeStatus.KNOWN_EXCEPTION):
            continue
        value = doc.fields["credit_code"]
        doubtful = _doubted(doc, value, UNSURE_CODE)
        found.append(finding(
            "credit_code_invalid",
            f"统一社会信用代码 {code} 未通过 GB 32100-2015 校验"
            + ("（识别结果存疑，请核对原件）" if doubtful else "，请核对是否填写有误"),
            [doc.path], "credit_code", "符合 GB 32100-2015 校验的 18 位代码", code, evidence_of(value),
            severity=Severity.WARNING if doubtful else None,
        ))
    return found


def credit_code_mismatch(facts: BundleFacts) -> list[Finding]:
    settled = facts.applicant.credit_code
    if not settled:
        return []
    found = []
    for doc in filter(witnesses, facts.documents):
        code = _code(doc)
        if code is None or code == settled:
            continue
        value = doc.fields["credit_code"]
        if _doubted(doc, value, MISREAD):
            continue  # a misreading of the applicant's code, not another code
        found.append(finding(
            "credit_code_mismatch",
            f"统一社会信用代码 {code} 与申报单位的代码 {settled} 不一致",
            [doc.path], "credit_code", settled, code, evidence_of(value),
        ))
    return found


def company_name_mismatch(facts: BundleFacts) -> list[Finding]:
    settled = facts.applicant.company_name
    if not settled:
        return []
    found = []
    for doc in filter(witnesses, facts.documents):
        value = field_of(doc, "company_name", str)
        if value is None:
            continue
        match = same_company(value.value, settled)
        if match == CompanyMatch.EXACT:
            continue
        code = _code(doc)
        if match == CompanyMatch.LEGAL_FORM and (code is None or code == facts.applicant.credit_code):
            continue  # 有限公司 / 有限责任公司 of the same company: the code says so
        if _doubted(doc, value, MISREAD) and not _other_entity(facts, doc):
            continue  # a misreading of the applicant's name; a sure, different code would say otherwise
        found.append(finding(
            "company_name_mismatch",
            f"所载单位名称“{value.value}”与申报单位“{settled}”不一致",
            [doc.path], "company_name", settled, value.value, evidence_of(value),
        ))
    return found
