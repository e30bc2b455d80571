"""The contract's fields of one document, each with its evidence and a confidence that ranks.

Candidates come from labels (a label at the start of a cell; its value after the colon, in the next
cell of the row, or in the cell below) and from a few shapes that need no label (兹证明 …, the seal
line of a certification body, a lone date under the 盖章 line, tick boxes). Each candidate's value is
normalised and validated; candidates that agree add up, candidates that disagree lower the
confidence of the winner.
"""

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Any

from extractor.understand import meaning, values
from extractor.understand.labels import compact, match_label
from extractor.understand.layout import Row, TextCell, document_rows
from extractor.understand.parsers import clean as _clean
from extractor.understand.parsers import parse_company, parse_org, parse_score_value, parse_standard
from extractor.understand.registry import BY_KEY, fields_for, is_label
from extractor.understand.typed import find_typed
from models import DocType, Doubt, Evidence, FieldValue, ParsedDocument

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
    bbox: tuple[float, float, float, float] | None = None  # the value's own words (None: the cell's box)
    how: str = "label"  # label | fuzzy_label (a label OCR damaged) | shape (no label) | meaning (meaning.py)
    validity: float = 1.0  # the parser's validity factor: under 1, a value of the wrong shape or range


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
    return TextCell(cell.text + more.text, cell.page, bbox, min(cell.confidence, more.confidence), cell.ocr or more.ocr,
                    cell.words + more.words)


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
            if match is None or match.field == "other":
                continue
            fields = ["issue_date", "expiry_date"] if match.field == "validity" else [match.field]
            if not wanted & set(fields):
                continue
            rest = compact(cell.text)[match.end:]
            if _clean(rest) and not _separated(cell, match.label, match.field):
                continue  # 申报产品基本信息表, 获证组织必须…: a heading or sentence that begins with a label
            # where the value may be, nearest first; the first place holding a value of the field's type wins
            targets: list[tuple[TextCell, str, float, int]] = []
            if _clean(rest) and not _ENGLISH_ONLY.match(_clean(rest)) and _starts_with_value(match.field, rest):
                later = [c.text for c in row.cells[i + 1:]]
                text = rest if match.field != "applied_level" else "".join([rest, *later])
                targets.append((cell, text, 1.0, r))
            if header_row(row, doc_type):  # a row of column headers: each label's value is in its column below
                value_cell = _below(rows, r, i) if r + 1 < len(rows) and not header_row(rows[r + 1], doc_type) else None
                if value_cell is not None and _in_parts(match.field):
                    value_cell = _column(rows, r, i, doc_type)  # a results table lists every grade down its column
                if value_cell is not None:
                    targets.append((value_cell, value_cell.text, 0.95, r + 1))
            else:  # the cells to its right, nearest first, up to the next label (总体满意度 | — | 88.7)
                for k in range(i + 1, len(row.cells)):
                    if match_label(row.cells[k].text, doc_type) is not None:
                        break
                    value_cell = row.cells[k]
                    text = value_cell.text
                    if match.field == "applied_level":
                        text = "".join(c.text for c in row.cells[k:])
                    targets.append((value_cell, text, 0.97 if k == i + 1 else 0.9, r))
            if _clean(rest) and i + 1 < len(row.cells) and match_label(row.cells[i + 1].text, doc_type) is None:
                # a value a wide gap cut in two (开票日期：2019 | 05 08): tried when neither part reads alone
                targets.append((_join(cell, row.cells[i + 1]), f"{rest} {row.cells[i + 1].text}", 0.9, r))
            if r + 1 < len(rows) and rows[r + 1].cells and match_label(rows[r + 1].cells[0].text, doc_type) is None:
                nxt = rows[r + 1].cells
                below = nxt[0]
                if is_label(below.text) and len(nxt) > 1:
                    below = nxt[1]  # 申报产品 over 名称 | X: the heading names what 名称 is of
                targets.append((below, below.text, 0.85, r + 1))
                # else the other cells of the line below, nearest the label first (a logo before the number)
                for other in sorted(nxt, key=lambda c: abs(c.bbox[0] - cell.bbox[0]) if c.bbox and cell.bbox else 0):
                    if other is not below and match_label(other.text, doc_type) is None:
                        targets.append((other, other.text, 0.8, r + 1))
            for value_cell, text, position, at in targets:
                if match.field in BY_KEY and BY_KEY[match.field].wraps and values_incomplete(match.field, text):
                    more = _continuation(rows, at, value_cell, doc_type)
                    if more is not None:
                        value_cell, text = _join(value_cell, more), text + more.text
                sighted = [c for field in fields
                           for c in _candidate(field, text, value_cell, match.score * position, match.field,
                                               "label" if match.score >= 1.0 else "fuzzy_label")]
                if sighted:
                    found.extend(sighted)
                    break
    return found


_SHORT_WORD = re.compile(r"^[\u4e00-\u9fff]{1,6}$")
_UNIT_HEADER = re.compile(r"^[\u4e00-\u9fffA-Za-z/、]{1,12}[（(][^）)]{1,12}[)）]$")  # 年产量（吨）


def _label_like(text: str, doc_type: DocType) -> bool:
    """A column header: a known label alone (the registry's, or one the contract does not read), or
    a heading with its unit (年产量（吨））. A short word of unknown meaning is not enough: 马娟 beside
    法定代表人 is its value."""
    flat = compact(text)
    if not flat:
        return False
    match = match_label(text, doc_type)
    if match is not None and not _clean(flat[match.end:]):
        return True
    return bool(_UNIT_HEADER.match(flat)) and not values.find_dates(flat)


def header_row(row: Row, doc_type: DocType) -> bool:
    """A row of column headers (产品名称 | 年产量（吨） | 近三年销售收入（万元））: two or more cells, every
    one label-like (or, in a row of three or more, three in four, the rest short words: 单位), at least
    one a label of the contract's fields."""
    if len(row.cells) < 2:
        return False
    known = sum(_label_like(c.text, doc_type) for c in row.cells)
    short = all(_label_like(c.text, doc_type) or _SHORT_WORD.match(compact(c.text)) for c in row.cells)
    if not (known == len(row.cells) or (len(row.cells) >= 3 and known >= 0.75 * len(row.cells) and short)):
        return False
    return any((m := match_label(c.text, doc_type)) is not None and m.field != "other" for c in row.cells)


def _below(rows: list[Row], r: int, i: int) -> TextCell | None:
    """The cell under cell i of row r: by geometry on a page, by column index in a Word table."""
    label, nxt = rows[r].cells[i], rows[r + 1]
    if label.bbox is not None and all(c.bbox is not None for c in nxt.cells):
        return _under(label, nxt)
    return nxt.cells[i] if len(nxt.cells) == len(rows[r].cells) else None


def _in_parts(field: str) -> bool:
    """A list field a document may print in parts (registry: FieldSpec.in_parts)."""
    return field in BY_KEY and BY_KEY[field].in_parts


def _starts_with_value(field: str, rest: str) -> bool:
    """A name after its label starts right there: in 获证组织必须定期接受监督审核…国家认证认可监督管理委员会
    the organisation at the end is not what the label names."""
    if field not in BY_KEY or BY_KEY[field].kind not in ("company", "organisation"):
        return True
    orgs = [t for t in find_typed(_clean(rest)) if t.kind == "organisation"]
    return not orgs or orgs[0].start <= 3


def _column(rows: list[Row], r: int, i: int, doc_type: DocType) -> TextCell | None:
    """The cells under header cell i of row r down to the table's end, read as one value (a grade
    broken over two lines, QSn6.5- / 0.1, joined)."""
    header = rows[r].cells[i]
    parts: list[TextCell] = []
    for k in range(r + 1, len(rows)):
        if rows[k].page != rows[r].page or header_row(rows[k], doc_type):
            break
        if header.bbox is None:  # a Word table: the same column while the rows keep the header's width
            if len(rows[k].cells) != len(rows[r].cells):
                break
            cell: TextCell | None = rows[k].cells[i]
        else:
            cell = _under(header, rows[k])
        if cell is None or not compact(cell.text):
            continue
        if re.search(r"[。；]$", cell.text):
            break  # a sentence under the table: the table has ended
        if parts and parts[-1].text.endswith(("-", "－")):
            parts[-1] = _join(parts[-1], cell)
        else:
            parts.append(cell)
    if not parts:
        return None
    joined = parts[0]
    for more in parts[1:]:
        joined = _join(joined, TextCell("、" + more.text, more.page, more.bbox, more.confidence, more.ocr, more.words))
    return joined


def _under(header: TextCell, row: Row) -> TextCell | None:
    """The cell of a row standing under a header cell (by geometry)."""
    if header.bbox is None:
        return None
    hx0, hx1 = header.bbox[0], header.bbox[2]
    best = max(((min(hx1, c.bbox[2]) - max(hx0, c.bbox[0]), c) for c in row.cells if c.bbox is not None),
               key=lambda o: o[0], default=None)
    return best[1] if best is not None and best[0] > 0 else None


_RUN_ON = {"company", "organisation", "text", "person"}  # value kinds a heading or a sentence can look like
_ENGLISH_ONLY = re.compile(r"^[/A-Za-z .:&'()-]+$")  # 证书编号 Certificate No.: the English label, no value


def _separated(cell: TextCell, label: str, field: str) -> bool:
    """Whether the value after a label is set apart from it (a colon, a space, a bracketed note, a
    cell boundary): free text or a name run on from a label is a heading (申报产品基本信息表) or a
    sentence (获证组织必须定期接受…), not a value. OCR may lose the space."""
    if field not in BY_KEY or BY_KEY[field].kind not in _RUN_ON:
        return True
    if cell.ocr and BY_KEY[field].kind != "text":
        return True  # OCR may run a name into its label; free text run on is a heading on a scan too
    spaced = r"\s*".join(re.escape(ch) for ch in label)
    text = unicodedata.normalize("NFKC", cell.text)
    m = re.match(rf"^\s*{spaced}", text)
    return m is None or re.match(r"[\s:：(（/]", text[m.end():m.end() + 1]) is not None


def values_incomplete(field: str, text: str) -> bool:
    if field == "credit_code":  # a narrow cell wraps the 18 characters (914103009TW0 / UWY74L)
        return 6 <= len(re.sub(r"[^0-9A-Z]", "", compact(text).upper())) < 18
    if field in ("product_name", "scope"):
        return not re.search(r"[。；;]$|服务$|材$|管$|箔$|棒$|线$|品$", compact(text))
    return parse_org(text) is None


def _candidate(field: str, text: str, cell: TextCell, weight: float, label_field: str,
               how: str = "label") -> list[Candidate]:
    if label_field == "validity":
        found = values.parse_validity(_clean(text))
        if found is None:
            return []
        validity = found.value
        value = validity.start if field == "issue_date" else validity.end
        if value is None:
            return []
        return [Candidate(field, value, weight * _source_factor(cell), cell, cell.text, how=how)]
    if is_label(_clean(text)):
        return []  # 产品名称 under 申报产品: a label is never a value
    parsed = BY_KEY[field].parse(text, cell.ocr, cell.confidence)
    if parsed is None:
        return []
    value, validity_factor = parsed
    return [Candidate(field, value, weight * validity_factor * _source_factor(cell), cell, cell.text, how=how,
                      validity=validity_factor)]


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
    if "issue_date" in wanted and doc_type in (DocType.TEST_REPORT, DocType.SATISFACTION_REPORT):
        found.extend(replace(c, score=c.score * 0.7) for c in _signed_dates(rows, "issue_date"))
    if "signed_date" in wanted:
        found.extend(_signed_dates(rows))
    if "company_name" in wanted:
        # a document of no contract type names its owner only in its title: a lone name there may be
        # anyone's (an invoice's buyer beside its lost 名称 label)
        found.extend(_title_owner(rows) if doc_type == DocType.OTHER else _lone_organisations(rows))
    if doc_type == DocType.STATISTICS_FORM and wanted & {"team_name", "member_count"}:
        found.extend(_team_rows(rows))
    del text
    return found


def _signed_dates(rows: list[Row], key: str = "signed_date") -> list[Candidate]:
    """A date standing alone on its line, below a 盖章 / 签字 anchor (the later the better): a form's
    signing date, or (key issue_date) the date a report is issued on, under its issuer at the foot."""
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
            found.append(Candidate(key, date.value, (0.9 if anchored else 0.5) * _source_factor(cell), cell, cell.text))
    return found[-1:]


def _lone_organisations(rows: list[Row]) -> list[Candidate]:
    """An organisation name alone in its cell near the top (a summary's author, a label lost by OCR),
    else a company that opens a sentence there (XX有限公司（以下简称“公司”）位于…): the writer."""
    found, opening = [], []
    for row in rows[:8]:
        for cell in row.cells:
            flat = compact(_clean(cell.text))
            parsed = parse_company(flat)
            if parsed and parsed[0] == values.normalise_company(flat) and str(parsed[0]).endswith("公司"):
                found.append(Candidate("company_name", parsed[0], 0.5 * _source_factor(cell), cell, cell.text))
                continue
            first = next((t for t in find_typed(flat) if t.kind == "organisation"), None)
            if first is not None and first.start == 0 and first.value.endswith("公司") and len(flat) > first.end:
                opening.append(Candidate("company_name", first.value, 0.45 * _source_factor(cell), cell, cell.text,
                                         bbox=cell.span_bbox(0, first.end)))
    return found[:1] or opening[:1]


# what a document's title ends with (2025 年第一季度报告, 关于…的通知, 审计报告, 情况说明, 承诺函)
_TITLE = re.compile(r"(?:报告|年报|公告|通知|通报|决定|证明|说明|声明|函|书|章程|方案|总结|报表|表)$")


def _title_owner(rows: list[Row]) -> list[Candidate]:
    """The company a document's title names (比亚迪股份有限公司 / 2025 年第一季度报告, on one line or
    the name above the title), near the top of its first page."""
    top = [row for row in rows[:10] if row.page in (None, rows[0].page) and row.cells]
    for r, row in enumerate(top):
        cell = row.cells[0]
        flat = compact(_clean(cell.text))
        first = next((t for t in find_typed(flat) if t.kind == "organisation"), None)
        if first is None or first.start != 0 or not first.value.endswith("公司"):
            continue
        rest = flat[first.end:]
        below = compact(top[r + 1].cells[0].text) if r + 1 < len(top) else ""
        if (rest and _TITLE.search(rest)) or (not rest and _TITLE.search(below)):
            return [Candidate("company_name", first.value, 0.6 * _source_factor(cell), cell, cell.text,
                              bbox=cell.span_bbox(0, first.end))]
    return []


_COUNT_CELL = re.compile(r"^(\d{1,3})\s*[人名]?$")


def _team_rows(rows: list[Row]) -> list[Candidate]:
    """A 汇总表's numbered rows: 序号 | 企业名称+小组名称 | 成员 — the members listed in one cell
    (、-separated), counted in a cell (8 / 8人), or one per row under the same team (counted)."""
    found: list[Candidate] = []
    teams: dict[str, list[Row]] = {}
    for row in rows:
        if len(row.cells) < 3 or not compact(row.cells[0].text).isdigit():
            continue
        full = values.normalise_company(row.cells[1].text)
        orgs = [t for t in find_typed(full) if t.kind == "organisation" and t.start == 0 and t.end < len(full)]
        if not orgs:
            continue
        company, team = orgs[0].value, full[orgs[0].end:]
        found.append(Candidate("company_name", company, 0.6, row.cells[1], row.cells[1].text, how="shape"))
        found.append(Candidate("team_name", team, 0.9, row.cells[1], row.cells[1].text, how="shape"))
        teams.setdefault(full, []).append(row)
    for team_rows in teams.values():
        cells = [row.cells[2] for row in team_rows]
        counted = [_COUNT_CELL.match(compact(c.text)) for c in cells]
        if len(team_rows) == 1 and counted[0]:
            count = int(counted[0].group(1))
        elif len(team_rows) > 1 and all(values.count_names(c.text) == 1 for c in cells):
            count = len(team_rows)  # one member a row
        else:
            count = max(values.count_names(c.text) for c in cells)
        if count:
            found.append(Candidate("member_count", count, 0.9, cells[0], cells[0].text, how="shape"))
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
        if _in_parts(field) and len(scored) > 1:
            scored = [_union(scored)]  # 牌号：BZn18-26 … 牌号：H68 … 牌号：TP2 over a results table: all three
        support, _, group = scored[0]
        confidence = support
        if len(scored) > 1:  # another reading disagrees: the winner is only as sure as its margin
            rival = scored[1][0]
            confidence = support * (1.0 - 0.6 * rival / max(support, 1e-6))
        evidence = [Evidence(path=path, page=c.cell.page, bbox=c.bbox or c.cell.bbox, text=c.text) for c in group[:3]]
        rival_share = scored[1][0] / max(support, 1e-6) if len(scored) > 1 else 0.0
        result[field] = FieldValue(value=group[0].value, confidence=round(max(0.0, min(confidence, 0.99)), 3),
                                   evidence=evidence, doubt=doubts(group, rival_share))
    return result


def _union(scored: list[tuple[float, float, list[Candidate]]]) -> tuple[float, float, list[Candidate]]:
    """The sightings of a list field as one: every item, in the order first seen, as sure as the best."""
    items: list[Any] = []
    for _, _, group in scored:
        for item in group[0].value:
            if item not in items:
                items.append(item)
    group = [replace(c, value=items) for _, _, g in scored for c in g]
    return max(s[0] for s in scored), max(s[1] for s in scored), group


UNSURE_GLYPHS = 0.85  # recogniser confidence of a line under which its characters are in doubt
RIVAL_SHARE = 0.5  # a disagreeing reading with half the winner's support puts it in doubt


def doubts(group: list[Candidate], rival_share: float) -> list[Doubt]:
    """Why the chosen value may be wrong, from the sightings that carry it and the one against it."""
    found: list[Doubt] = []
    if rival_share >= RIVAL_SHARE:
        found.append(Doubt.OCR_DISAGREES)
    if all(c.cell.ocr and c.cell.confidence < UNSURE_GLYPHS for c in group):
        found.append(Doubt.OCR_UNSURE)
    hows = {c.how for c in group}
    if "label" not in hows and "fuzzy_label" in hows:
        found.append(Doubt.WEAK_LABEL)
    if not hows & {"label", "fuzzy_label"}:
        found.append(Doubt.INFERRED)
    if max(c.validity for c in group) < 1.0:
        found.append(Doubt.IMPLAUSIBLE)
    return found


def extract_fields(document: ParsedDocument, doc_type: DocType) -> dict[str, FieldValue]:
    wanted = set(fields_for(doc_type))
    if not wanted or not document.pages:
        return {}
    rows = document_rows(document)
    candidates = _labelled(rows, doc_type, wanted)
    candidates += [replace(c, how="shape") for c in _unlabelled(rows, doc_type, document.text, wanted)]
    sightings = meaning.sentence_values(rows, wanted)
    holders = {str(c.value) for c in candidates if c.field == "company_name"}
    holders |= {str(s.value) for s in sightings if s.field == "company_name"}
    sightings += meaning.issuers(rows, document, doc_type, wanted, holders)
    if "credit_code" in wanted:
        sightings += meaning.loose_codes(rows)
    if "standard" in wanted:
        sightings += meaning.system_standards(rows, doc_type)
    sightings += meaning.shaped_numbers(rows, doc_type, wanted)
    sightings += meaning.lone_certificate_numbers(rows, doc_type, wanted)
    candidates += [Candidate(s.field, s.value, s.score, s.cell, s.cell.text, s.bbox, "meaning") for s in sightings]
    return choose([c for c in candidates if c.field in wanted], document.path)
