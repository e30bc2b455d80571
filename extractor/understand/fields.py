"""The contract's fields of one document, each with its evidence and a confidence that ranks.

Candidates come from labels (a label at the start of a cell; its value after the colon, in the next
cell of the row, or in the cell below) and from a few shapes that need no label (兹证明 …, the seal
line of a certification body, a lone date under the 盖章 line, tick boxes). Each candidate's value is
normalised and validated; candidates that agree add up, candidates that disagree lower the
confidence of the winner.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extractor.understand import credit_code, values
from extractor.understand.labels import compact, match_label
from extractor.understand.layout import Row, TextCell, document_rows
from extractor.understand.tick_boxes import tick_boxes
from models import DocType, Evidence, FieldValue, ParsedDocument

FIELDS_FOR: dict[DocType, tuple[str, ...]] = {
    DocType.APPLICATION_FORM: ("company_name", "credit_code", "legal_representative", "product_name", "grades",
                               "applied_level", "signed_date", "recommender", "team_name", "member_count"),
    DocType.BUSINESS_LICENSE: ("company_name", "credit_code", "legal_representative"),
    DocType.COMMITMENT_LETTER: ("company_name", "signed_date"),
    DocType.QMS_CERTIFICATE: ("company_name", "credit_code", "certificate_number", "standard", "issue_date",
                              "expiry_date", "certification_body", "scope"),
    DocType.LAB_ACCREDITATION: ("company_name", "certificate_number", "issue_date", "expiry_date"),
    DocType.PATENT_CERTIFICATE: ("company_name", "certificate_number", "issue_date"),
    DocType.RECOMMENDATION_FORM: ("company_name", "credit_code", "recommender", "signed_date"),
    DocType.SATISFACTION_REPORT: ("company_name", "report_number", "product_name", "satisfaction_score",
                                  "evaluation_agency", "issue_date"),
    DocType.STATISTICS_FORM: ("company_name", "team_name", "member_count"),
    DocType.SUMMARY_REPORT: ("company_name",),
    DocType.TEST_REPORT: ("company_name", "report_number", "product_name", "grades", "test_standard", "conclusion",
                          "testing_agency", "cma", "issue_date"),
    DocType.OTHER: (),
}
FIELDS_FOR[DocType.EMS_CERTIFICATE] = FIELDS_FOR[DocType.QMS_CERTIFICATE]
FIELDS_FOR[DocType.OHSMS_CERTIFICATE] = FIELDS_FOR[DocType.QMS_CERTIFICATE]

ORG_SUFFIX = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|（集团）|集团|公司|检验检测中心|检测中心|检验中心|测试分析中心|测试中心|认证中心|"
    r"研究院|研究所|协会|委员会|管理局|监督管理局|信息化厅|工业和信息化厅|厅|局|测评部|测评中心|中心|分会|联合会)"
)
_LEADING_JUNK = re.compile(r"^[\s:：,，;；.。、)）\]】（(]*(盖章|以公章为准|签章|公章)?[)）]?[\s:：]*")
_BRACKET_NOTE = re.compile(r"[（(](盖章|签章|公章|以公章为准)[)）]")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}")
_CERT_NO = re.compile(r"[A-Z0-9][A-Z0-9\-./]{5,}")
_CNAS = re.compile(r"CNAS\s*L\s*(\d{3,5})")
_CODE_TOKEN = re.compile(r"[0-9A-Z]{15,20}")
_CERT_BODY = re.compile(
    r"^(?P<name>[\u4e00-\u9fff（）()]{2,30}?(认证中心有限公司|认证集团有限公司|认证有限公司|认证中心|质量保证中心|认证集团|认证公司))"
    r"$"
)
_AGENCY = re.compile(r"^(?P<name>[\u4e00-\u9fff（）()]{4,40}?(质量监督检验中心|检验检测中心|检测中心|检验中心|"
                     r"测试分析中心|测试中心))")
_ANCHORS = ("盖章", "签字", "签章", "公章")


@dataclass(frozen=True)
class Candidate:
    field: str
    value: Any
    score: float  # 0..1: how much this single sighting is worth
    cell: TextCell
    text: str  # the words it rests on


# -- value parsers: text → (value, validity factor) or None -------------------------------------


def _clean(text: str) -> str:
    text = _BRACKET_NOTE.sub("", text)
    return _LEADING_JUNK.sub("", text).strip()


def parse_org(text: str) -> tuple[Any, float] | None:
    text = compact(_clean(text))
    text = text.split("\t")[0]
    head, colon, tail = text.rpartition(":")
    if colon and len(head) <= 6 and ORG_SUFFIX.search(tail):
        text = tail  # a label half under a seal (盖: …, 】: …): only the name after the colon counts
    matches = list(ORG_SUFFIX.finditer(text))
    if not matches:
        return None
    end = matches[-1].end()
    name = values.normalise_company(text[:end])
    if len(name) < 4:
        return None
    return name, 1.0


def parse_company(text: str) -> tuple[Any, float] | None:
    found = parse_org(text)
    if found is None:
        return None
    name = str(found[0])
    return name, 1.0 if re.search(r"公司|（集团）|集团|厂$", name) else 0.6


FORBIDDEN_IN_CODES = set("IOSZV")  # never printed in a credit code: only OCR puts them there


SURE_GLYPHS = 0.98  # OCR confidence at which a character read is taken as printed


def parse_code(text: str, ocr: bool = False, confidence: float = 0.0) -> tuple[Any, float] | None:
    """The code as printed. Read by OCR, look-alikes are repaired when exactly one reading passes the
    check and the repair is small: letters a code never contains (I O S Z V: only OCR puts them
    there), or one character the recogniser was unsure of (`confidence` of the line under
    SURE_GLYPHS). A code printed invalid must stay invalid, so that credit_code_invalid can report
    it: a reading the recogniser is sure of is what the paper says (DOMAIN §1.10, step 3)."""
    token = compact(_clean(text)).upper()
    match = _CODE_TOKEN.search(token)
    if not match:
        return None
    raw = match.group(0)
    if len(raw) != 18:
        return raw, 0.3  # cut or merged: a reviewer should look, the check rules will say why
    if credit_code.is_valid(raw):
        return raw, 1.0
    if ocr:
        repaired = credit_code.repair(raw)
        if repaired.code is not None and repaired.repaired:
            changed = [a for a, b in zip(raw, repaired.code, strict=True) if a != b]
            if all(ch in FORBIDDEN_IN_CODES for ch in changed) or (len(changed) <= 1 and confidence < SURE_GLYPHS):
                return repaired.code, 0.8
    return raw, 0.7  # printed so: the credit_code_invalid rule reports it as printed


def parse_person(text: str) -> tuple[Any, float] | None:
    match = _NAME.match(compact(_clean(text)))
    return (match.group(0), 1.0) if match else None


def parse_date_value(text: str) -> tuple[Any, float] | None:
    found = values.parse_date(_clean(text))
    return (found.value, 1.0) if found else None


def parse_cert_number(text: str) -> tuple[Any, float] | None:
    token = compact(_clean(text)).upper()
    cnas = _CNAS.search(token)
    if cnas:
        return f"CNAS L{cnas.group(1)}", 1.0
    match = _CERT_NO.search(token)
    return (match.group(0).rstrip("."), 1.0) if match else None


def parse_standard(text: str) -> tuple[Any, float] | None:
    found = values.find_standards(text)
    if not found:
        return None
    normal = values.normalise_standard(found[0].value)
    return (normal, 1.0) if normal else None


def parse_text(text: str) -> tuple[Any, float] | None:
    value = compact(_clean(text)).rstrip("。.;；")
    return (value, 1.0) if value else None


def parse_grades_value(text: str) -> tuple[Any, float] | None:
    found = values.parse_grades(_clean(text))
    return (found.value, 1.0) if found and found.value else None


def parse_test_standards(text: str) -> tuple[Any, float] | None:
    found = [values.normalise_standard(f.value) for f in values.find_standards(text)]
    standards = [s for s in dict.fromkeys(found) if s]
    return (standards, 1.0) if standards else None


def parse_conclusion_value(text: str) -> tuple[Any, float] | None:
    found = values.parse_conclusion(text)
    return (found.value, 1.0) if found else None


PLAUSIBLE_SCORE = 40.0  # a satisfaction index below this is far more likely digits lost under a seal


def parse_score_value(text: str) -> tuple[Any, float] | None:
    found = values.parse_score(text)
    if not found:
        return None
    return found.value, 1.0 if found.value >= PLAUSIBLE_SCORE else 0.4


def parse_count(text: str) -> tuple[Any, float] | None:
    found = values.parse_member_count(text)
    if found:
        return found.value, 1.0
    digits = re.match(r"^\s*(\d{1,3})", _clean(text))
    return (int(digits.group(1)), 1.0) if digits else None


def parse_level(text: str) -> tuple[Any, float] | None:
    levels = ("卓越品牌", "优质品牌", "培育品牌")
    boxes = [b for b in tick_boxes(text) if any(level in b.label for level in levels)]
    ticked = [b for b in boxes if b.checked]
    if len(ticked) == 1:
        return next(level for level in levels if level in ticked[0].label), 1.0
    # OCR may lose the ticked glyph but keep the empty ones: the one level without a box was ticked
    present = [level for level in levels if level in text]
    unticked = {level for level in levels for b in boxes if not b.checked and level in b.label}
    rest = [level for level in present if level not in unticked]
    if len(present) == len(levels) and len(rest) == 1:
        return rest[0], 0.7
    return None


PARSERS: dict[str, Callable[[str], tuple[Any, float] | None]] = {
    "company_name": parse_company,
    "credit_code": parse_code,
    "legal_representative": parse_person,
    "certificate_number": parse_cert_number,
    "standard": parse_standard,
    "issue_date": parse_date_value,
    "expiry_date": parse_date_value,
    "certification_body": parse_org,
    "scope": parse_text,
    "report_number": parse_cert_number,
    "product_name": parse_text,
    "grades": parse_grades_value,
    "test_standard": parse_test_standards,
    "conclusion": parse_conclusion_value,
    "testing_agency": parse_org,
    "satisfaction_score": parse_score_value,
    "evaluation_agency": parse_org,
    "applied_level": parse_level,
    "team_name": parse_text,
    "member_count": parse_count,
    "recommender": parse_org,
    "signed_date": parse_date_value,
}
WRAPPING = {"company_name", "scope", "certification_body", "testing_agency", "evaluation_agency", "recommender",
            "product_name", "credit_code"}


# -- candidates ----------------------------------------------------------------------------------


def _source_factor(cell: TextCell) -> float:
    return 0.97 * min(1.0, max(0.3, cell.confidence))


def _continuation(rows: list[Row], r: int, cell: TextCell, doc_type: DocType) -> TextCell | None:
    """The rest of a value that wrapped onto the next row of the same column (金昌东阳光铜业有 / 限责任公司)."""
    if r + 1 >= len(rows) or cell.bbox is None:
        return None
    nxt = rows[r + 1]
    if nxt.page != rows[r].page:
        return None
    below = [c for c in nxt.cells if c.bbox is not None and abs(c.bbox[0] - cell.bbox[0]) < 0.02]
    left = [c for c in nxt.cells if c.bbox is not None and c.bbox[2] <= cell.bbox[0] + 0.005]
    if len(below) != 1 or any(compact(c.text) for c in left) or below[0].bbox[1] - cell.bbox[3] >= 0.02:  # type: ignore[index]
        return None
    text = below[0].text
    if match_label(text, doc_type) is not None or re.search(r"[:：]", text):
        return None  # the next field, not the rest of this one
    return below[0]


def _join(cell: TextCell, more: TextCell) -> TextCell:
    bbox = None
    if cell.bbox and more.bbox:
        bbox = (min(cell.bbox[0], more.bbox[0]), min(cell.bbox[1], more.bbox[1]),
                max(cell.bbox[2], more.bbox[2]), max(cell.bbox[3], more.bbox[3]))
    return TextCell(cell.text + more.text, cell.page, bbox, min(cell.confidence, more.confidence), cell.ocr or more.ocr)


def _labelled(rows: list[Row], doc_type: DocType, wanted: set[str]) -> list[Candidate]:
    found: list[Candidate] = []
    for r, row in enumerate(rows):
        for i, cell in enumerate(row.cells):
            match = match_label(cell.text, doc_type)
            if match is None and len(compact(cell.text)) <= 2 and i + 1 < len(row.cells):
                # a spaced-out label OCR cut in two (名 | 称洛阳博威…): read the two cells as one
                joined = _join(cell, row.cells[i + 1])
                split = match_label(joined.text, doc_type)
                if split is not None and split.end > len(compact(cell.text)):
                    cell, match = joined, split
            if match is None:
                continue
            fields = ["issue_date", "expiry_date"] if match.field == "validity" else [match.field]
            if not wanted & set(fields):
                continue
            rest = compact(cell.text)[match.end:]
            targets: list[tuple[TextCell, str, float]] = []
            if _clean(rest):
                later = [c.text for c in row.cells[i + 1:]]
                text = rest if match.field != "applied_level" else "".join([rest, *later])
                targets.append((cell, text, 1.0))
            elif i + 1 < len(row.cells) and match_label(row.cells[i + 1].text, doc_type) is None:
                value_cell = row.cells[i + 1]
                text = value_cell.text
                if match.field == "applied_level":
                    text = "".join(c.text for c in row.cells[i + 1:])
                targets.append((value_cell, text, 0.97))
            elif r + 1 < len(rows) and rows[r + 1].cells and match_label(rows[r + 1].cells[0].text, doc_type) is None:
                below = rows[r + 1].cells[0]
                targets.append((below, below.text, 0.85))
            for value_cell, text, position in targets:
                if match.field in WRAPPING and values_incomplete(match.field, text):
                    more = _continuation(rows, r, value_cell, doc_type)
                    if more is not None:
                        value_cell, text = _join(value_cell, more), text + more.text
                for field in fields:
                    found.extend(_candidate(field, text, value_cell, match.score * position, match.field))
    return found


def values_incomplete(field: str, text: str) -> bool:
    if field == "credit_code":  # a narrow cell wraps the 18 characters (914103009TW0 / UWY74L)
        return 6 <= len(re.sub(r"[^0-9A-Z]", "", compact(text).upper())) < 18
    if field in ("product_name", "scope"):
        return not re.search(r"[。；;]$|服务$|材$|管$|箔$|棒$|线$|品$", compact(text))
    return parse_org(text) is None


def _candidate(field: str, text: str, cell: TextCell, weight: float, label_field: str) -> list[Candidate]:
    if label_field == "validity":
        found = values.parse_validity(_clean(text))
        if found is None:
            return []
        validity = found.value
        value = validity.start if field == "issue_date" else validity.end
        if value is None:
            return []
        return [Candidate(field, value, weight * _source_factor(cell), cell, cell.text)]
    parsed = parse_code(text, cell.ocr, cell.confidence) if field == "credit_code" else PARSERS[field](text)
    if parsed is None:
        return []
    value, validity_factor = parsed
    return [Candidate(field, value, weight * validity_factor * _source_factor(cell), cell, cell.text)]


def _unlabelled(rows: list[Row], doc_type: DocType, text: str, wanted: set[str]) -> list[Candidate]:
    """Shapes that carry a field without a label."""
    found: list[Candidate] = []
    for r, row in enumerate(rows):
        for cell in row.cells:
            flat = compact(cell.text)
            if "company_name" in wanted and flat.startswith("兹证明"):
                parsed = parse_company(flat[3:])
                if parsed:
                    found.append(Candidate("company_name", parsed[0], 0.9 * parsed[1] * _source_factor(cell), cell,
                                           cell.text))
                if doc_type == DocType.LAB_ACCREDITATION and r + 1 < len(rows):
                    # the laboratory's legal entity, in brackets on the next line
                    nxt = rows[r + 1].cells[0]
                    inner = re.match(r"^[(（](.+)[)）]$", compact(nxt.text))
                    owner = parse_company(inner.group(1)) if inner else None
                    if owner:
                        found.append(Candidate("company_name", owner[0], _source_factor(nxt), nxt, nxt.text))
            if "certification_body" in wanted and (m := _CERT_BODY.match(re.split(r"批准|CNCA", flat)[0])):
                found.append(Candidate("certification_body", values.normalise_company(m.group("name")),
                                       0.9 * _source_factor(cell), cell, cell.text))
            if "testing_agency" in wanted and (m := _AGENCY.match(flat)):
                found.append(Candidate("testing_agency", values.normalise_company(m.group("name")),
                                       0.85 * _source_factor(cell), cell, cell.text))
            if "standard" in wanted and ("符合" in flat or "标准" in flat):
                parsed = parse_standard(cell.text)
                if parsed:
                    found.append(Candidate("standard", parsed[0], 0.9 * _source_factor(cell), cell, cell.text))
            if "satisfaction_score" in wanted and re.search(r"满意度?(得分|指数)|综合满意度|满意度为", flat):
                score = parse_score_value(flat)
                if score is not None:
                    found.append(Candidate("satisfaction_score", score[0], 0.9 * score[1] * _source_factor(cell),
                                           cell, cell.text))
    if "cma" in wanted:
        anchor = next((c for row in rows for c in row.cells if re.search(r"CMA|资质认定", compact(c.text))), None)
        first = rows[0].cells[0] if rows and rows[0].cells else TextCell("", None, None)
        found.append(Candidate("cma", anchor is not None, 0.9 if anchor else 0.75, anchor or first,
                               anchor.text if anchor else "未见 CMA 标志或资质认定编号"))
    if "conclusion" in wanted:
        verdicts = [c for row in rows for c in row.cells if compact(c.text) in ("合格", "不合格")]
        if verdicts:
            worst = next((c for c in verdicts if compact(c.text) == "不合格"), verdicts[0])
            found.append(Candidate("conclusion", compact(worst.text), 0.6 * _source_factor(worst), worst, worst.text))
    if "signed_date" in wanted:
        found.extend(_signed_dates(rows))
    if "company_name" in wanted:
        found.extend(_lone_organisations(rows))
    if doc_type == DocType.STATISTICS_FORM and wanted & {"team_name", "member_count"}:
        found.extend(_team_rows(rows))
    del text
    return found


def _signed_dates(rows: list[Row]) -> list[Candidate]:
    """A date standing alone on its line, below a 盖章 / 签字 anchor (the later the better)."""
    found: list[Candidate] = []
    anchored = False
    for row in rows:
        for i, cell in enumerate(row.cells):
            flat = compact(cell.text)
            if any(a in flat for a in _ANCHORS):
                anchored = True
            if i > 0 and any(compact(c.text) for c in row.cells[:i]):
                continue  # the value of a label to its left (成立时间 …), not a date under a seal line
            date = values.parse_date(flat)
            if date is None or (date.end - date.start) < len(flat) * 0.6:
                continue
            found.append(Candidate("signed_date", date.value, (0.9 if anchored else 0.5) * _source_factor(cell),
                                   cell, cell.text))
    return found[-1:]


def _lone_organisations(rows: list[Row]) -> list[Candidate]:
    """An organisation name alone in its cell near the top (a summary's author, a label lost by OCR)."""
    found = []
    for row in rows[:8]:
        for cell in row.cells:
            flat = compact(_clean(cell.text))
            parsed = parse_company(flat)
            if parsed and parsed[0] == values.normalise_company(flat) and str(parsed[0]).endswith("公司"):
                found.append(Candidate("company_name", parsed[0], 0.5 * _source_factor(cell), cell, cell.text))
    return found[:1]


def _team_rows(rows: list[Row]) -> list[Candidate]:
    """附件1 汇总表: 序号 | 企业名称+小组名称 | 成员名单 (、-separated)."""
    company = next((parse_company(row.cells[1].text) for row in rows
                    if len(row.cells) > 1 and compact(row.cells[0].text) == "企业名称"), None)
    found = []
    for row in rows:
        if len(row.cells) < 3 or not compact(row.cells[0].text).isdigit():
            continue
        full = values.normalise_company(row.cells[1].text)
        if company and full.startswith(str(company[0])) and len(full) > len(str(company[0])):
            found.append(Candidate("team_name", full[len(str(company[0])):], 0.9, row.cells[1], row.cells[1].text))
        count = values.count_names(row.cells[2].text)
        if count:
            found.append(Candidate("member_count", count, 0.9, row.cells[2], row.cells[2].text))
    return found


# -- choosing ------------------------------------------------------------------------------------


def _key(value: Any) -> str:
    return repr(value)


def choose(candidates: list[Candidate], path: str) -> dict[str, FieldValue]:
    by_field: dict[str, list[Candidate]] = {}
    for cand in candidates:
        by_field.setdefault(cand.field, []).append(cand)
    result: dict[str, FieldValue] = {}
    for field, cands in by_field.items():
        groups: dict[str, list[Candidate]] = {}
        for cand in cands:
            groups.setdefault(_key(cand.value), []).append(cand)
        scored = []
        for group in groups.values():
            miss = 1.0
            for cand in group:
                miss *= 1.0 - min(cand.score, 0.99)
            scored.append((1.0 - miss, max(c.score for c in group), group))
        scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
        support, _, group = scored[0]
        confidence = support
        if len(scored) > 1:  # another reading disagrees: the winner is only as sure as its margin
            rival = scored[1][0]
            confidence = support * (1.0 - 0.6 * rival / max(support, 1e-6))
        evidence = [Evidence(path=path, page=c.cell.page, bbox=c.cell.bbox, text=c.text) for c in group[:3]]
        result[field] = FieldValue(value=group[0].value, confidence=round(max(0.0, min(confidence, 0.99)), 3),
                                   evidence=evidence)
    return result


def extract_fields(document: ParsedDocument, doc_type: DocType) -> dict[str, FieldValue]:
    wanted = set(FIELDS_FOR.get(doc_type, ()))
    if not wanted or not document.pages:
        return {}
    rows = document_rows(document)
    candidates = _labelled(rows, doc_type, wanted) + _unlabelled(rows, doc_type, document.text, wanted)
    return choose([c for c in candidates if c.field in wanted], document.path)
