"""Fields found by meaning where no label sits before them.

- **Sentences**: a value inside a sentence after the words that introduce it (满意度指数为 88.3 分；
  检验结论：合格；本单位（XX有限公司）自愿申报；我单位XX郑重承诺). The cues are the registry's;
  a sentence wrapped over lines is read joined.
- **Roles**: the body that issued a certificate or report is an organisation that is not the
  holder, printed at the foot beside its seal, usually without a label; the seal's ring names the
  same body and confirms it (or stands for it when the print is lost under the ink).
- **Types**: a credit code anywhere on a document that carries one, when no label points at it.

Each candidate's evidence is the box of its own words (TextCell.span_bbox), not of the whole line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from extractor.understand.labels import compact, match_label
from extractor.understand.layout import Row, TextCell
from extractor.understand.parsers import parse_code
from extractor.understand.registry import BY_KEY
from extractor.understand.typed import Typed, find_typed
from models import DocType, PageSeal, ParsedDocument

FOOT = 0.62  # share of the page height below which the issuer's block sits
SEAL_AGREES = 75.0  # rapidfuzz ratio of an organisation to a seal's ring text that confirms it

# what an issuing body's name says it does, per field
ISSUER_WORDS: dict[str, re.Pattern[str]] = {
    "certification_body": re.compile(r"认证|质量保证中心|评审|检验检疫|标准技术|审核"),
    "testing_agency": re.compile(r"检验|检测|测试|分析|计量|研究院|研究所|质检|试验"),
    "evaluation_agency": re.compile(r"测评|满意|用户委员会|质量协会|评价|调查|咨询|研究|协会|中心"),
    "recommender": re.compile(r"厅|局|委员会|协会|联合会|促进会|联盟|商会"),
}
ISSUER_FIELDS: dict[DocType, tuple[str, ...]] = {  # whose name the document's foot and seal carry
    DocType.QMS_CERTIFICATE: ("certification_body",), DocType.EMS_CERTIFICATE: ("certification_body",),
    DocType.OHSMS_CERTIFICATE: ("certification_body",), DocType.TEST_REPORT: ("testing_agency",),
    DocType.SATISFACTION_REPORT: ("evaluation_agency",), DocType.RECOMMENDATION_FORM: ("recommender",),
}


@dataclass(frozen=True)
class Sighting:
    """A value found by meaning: the field, its value, the worth of this one sighting, the cell and
    the box of the value's own words."""

    field: str
    value: object
    score: float
    cell: TextCell
    bbox: tuple[float, float, float, float] | None


def _source(cell: TextCell) -> float:
    return 0.97 * min(1.0, max(0.3, cell.confidence))


def paragraphs(rows: list[Row]) -> Iterator[tuple[str, list[tuple[TextCell, int]]]]:
    """Each cell, and each run of up to three consecutive one-cell rows read as one text (a sentence
    wrapped over lines), with where each cell starts in the joined text."""
    for i, row in enumerate(rows):
        for cell in row.cells:
            yield cell.text, [(cell, 0)]
        if len(row.cells) != 1:
            continue
        joined, parts = row.cells[0].text, [(row.cells[0], 0)]
        for nxt in rows[i + 1:i + 3]:
            if len(nxt.cells) != 1 or nxt.page != row.page or re.search(r"[。；;]$", joined):
                break
            parts.append((nxt.cells[0], len(joined)))
            joined += nxt.cells[0].text
            yield joined, list(parts)


def _locate(parts: list[tuple[TextCell, int]], start: int, end: int) -> tuple[TextCell, tuple | None]:
    """The cell a span of a joined text lies in (the first it touches) and its words' box."""
    for cell, offset in reversed(parts):
        if start >= offset:
            return cell, cell.span_bbox(start - offset, min(end - offset, len(cell.text)))
    cell = parts[0][0]
    return cell, cell.bbox


def sentence_values(rows: list[Row], wanted: set[str]) -> list[Sighting]:
    found: list[Sighting] = []
    seen: set[tuple[str, str, int]] = set()
    for text, parts in paragraphs(rows):
        for key in wanted:
            spec = BY_KEY[key]
            for cue in spec.cues:
                for m in cue.finditer(text):
                    start, end = m.span("v")
                    cell, bbox = _locate(parts, start, end)
                    parsed = spec.parse(m.group("v"), cell.ocr, cell.confidence)
                    if parsed is None:
                        continue
                    value, validity = parsed
                    mark = (key, repr(value), id(cell))
                    if mark in seen:
                        continue
                    seen.add(mark)
                    found.append(Sighting(key, value, 0.8 * validity * _source(cell), cell, bbox))
    return found


def _holder_names(rows: list[Row], doc_type: DocType) -> set[str]:
    """Organisations a holder label points at (委托单位, 被测评单位, 兹证明 …): never the issuer."""
    names: set[str] = set()
    for row in rows:
        for i, cell in enumerate(row.cells):
            match = match_label(cell.text, doc_type)
            texts = [cell.text]
            if match is not None and match.field == "company_name" and i + 1 < len(row.cells):
                texts.append(row.cells[i + 1].text)
            if (match is not None and match.field in ("company_name", "recommender")) or "证明" in cell.text:
                names.update(t.value for text in texts for t in find_typed(text) if t.kind == "organisation")
    return names


def _near(seal: PageSeal, cell: TextCell) -> bool:
    if cell.bbox is None:
        return False
    sx0, sy0, sx1, sy1 = seal.bbox
    x0, y0, x1, y1 = cell.bbox
    pad = 0.08
    return x0 < sx1 + pad and x1 > sx0 - pad and y0 < sy1 + pad and y1 > sy0 - pad


def issuers(rows: list[Row], document: ParsedDocument, doc_type: DocType, wanted: set[str],
            holders: set[str]) -> list[Sighting]:
    """The issuing body by its role: an organisation that is not the holder, doing what the field's
    body does (认证 / 检验检测 / 测评), at the foot or beside a seal whose ring names it."""
    fields: list[str] = [k for k in ISSUER_FIELDS.get(doc_type, ()) if k in wanted]
    if not fields:
        return []
    holders = holders | _holder_names(rows, doc_type)
    seals = {page.number: page.seals for page in document.pages}
    flow = not any(page.paged for page in document.pages)
    found: list[Sighting] = []
    for r, row in enumerate(rows):
        for cell in row.cells:
            label = match_label(cell.text, doc_type)
            if label is not None and label.field not in ("other", *fields):
                continue  # the value of another field (委托单位, 推荐单位 …)
            for org in find_typed(cell.text):
                if org.kind != "organisation" or _is_holder(org.value, holders):
                    continue
                for key in fields:
                    if not ISSUER_WORDS[key].search(org.value):
                        continue
                    score = 0.5
                    at_foot = (cell.bbox is not None and cell.bbox[1] >= FOOT) or (flow and r >= len(rows) * 0.6)
                    if at_foot:
                        score += 0.15
                    ring = [s for s in seals.get(cell.page or 0, []) if s.text]
                    if any(fuzz.ratio(org.value, s.text or "") >= SEAL_AGREES for s in ring):
                        score += 0.3  # the seal's ring names the same body
                    elif any(_near(s, cell) for s in ring):
                        score += 0.1
                    found.append(Sighting(key, org.value, score * _source(cell), cell,
                                          cell.span_bbox(org.start, org.end)))
    found += _issuers_from_seals(document, fields, holders, found)
    return found


def _issuers_from_seals(document: ParsedDocument, fields: list[str], holders: set[str],
                        printed: list[Sighting]) -> list[Sighting]:
    """A seal whose ring names a body of the field's kind, when no printed name was found."""
    found: list[Sighting] = []
    for page in document.pages:
        for seal in page.seals:
            text = seal.text or ""
            if len(text) < 6 or seal.text_confidence < 0.8 or _is_holder(text, holders):
                continue
            for key in fields:
                if any(s.field == key for s in printed) or not ISSUER_WORDS[key].search(text):
                    continue
                cell = TextCell(text, page.number, seal.bbox, seal.text_confidence, True)
                found.append(Sighting(key, text, 0.45 * seal.text_confidence, cell, seal.bbox))
    return found


def _is_holder(name: str, holders: set[str]) -> bool:
    return any(name == h or fuzz.ratio(name, h) >= 90 for h in holders)


# the management-system standard a certificate type is issued against (DOMAIN: the three systems;
# GB/T 28001 the OHS standard 45001 replaced)
SYSTEM_STANDARDS: dict[DocType, re.Pattern[str]] = {
    DocType.QMS_CERTIFICATE: re.compile(r"(?:GB/T|ISO) 19001|ISO 9001"),
    DocType.EMS_CERTIFICATE: re.compile(r"(?:GB/T|ISO) 24001|ISO 14001"),
    DocType.OHSMS_CERTIFICATE: re.compile(r"(?:GB/T|ISO) (?:45001|28001)|OHSAS 18001"),
}


def system_standards(rows: list[Row], doc_type: DocType) -> list[Sighting]:
    """The standard of the certificate's own system wherever it is printed (符合 … on one line, the
    number two lines below under an English line), when no label or sentence points at it."""
    family = SYSTEM_STANDARDS.get(doc_type)
    if family is None:
        return []
    found: list[Sighting] = []
    for row in rows:
        for cell in row.cells:
            typed = [t for t in find_typed(cell.text) if t.kind == "standard" and family.match(t.value)]
            chinese = [t for t in typed if t.value.startswith("GB")]
            for t in chinese or typed:  # the contract's standard is the Chinese one where both are printed
                found.append(Sighting("standard", t.value, 0.6 * _source(cell), cell, cell.span_bbox(t.start, t.end)))
    return found


# numbers whose shape alone says what they are, on the document type that carries them
SHAPED: tuple[tuple[frozenset[DocType], str, re.Pattern[str]], ...] = (
    (frozenset({DocType.LAB_ACCREDITATION}), "certificate_number", re.compile(r"CNAS\s*L\s*\d{3,5}")),
    (frozenset({DocType.PATENT_CERTIFICATE}), "certificate_number",
     re.compile(r"ZL\s*\d{4}\s*\d\s*\d{7}\s*\.\s*[\dX]")),
)


def shaped_numbers(rows: list[Row], doc_type: DocType, wanted: set[str]) -> list[Sighting]:
    """A CNAS registration number or a patent number wherever it stands (No. CNAS L6960 in a corner)."""
    found: list[Sighting] = []
    for types, key, shape in SHAPED:
        if doc_type not in types or key not in wanted:
            continue
        for row in rows:
            for cell in row.cells:
                for m in shape.finditer(unicodedata.normalize("NFKC", cell.text)):
                    parsed = BY_KEY[key].parse(m.group(0), cell.ocr, cell.confidence)
                    if parsed is not None:
                        found.append(Sighting(key, parsed[0], 0.7 * _source(cell), cell, cell.span_bbox(*m.span())))
    return found


_LONE_NUMBER = re.compile(r"^(?:NO\.?|№)?\s*(?P<n>[A-Z0-9][A-Z0-9\-/.]{7,24})$")
CERTIFICATE_TYPES = frozenset({DocType.QMS_CERTIFICATE, DocType.EMS_CERTIFICATE, DocType.OHSMS_CERTIFICATE})


def lone_certificate_numbers(rows: list[Row], doc_type: DocType, wanted: set[str]) -> list[Sighting]:
    """A certificate's number printed alone on its line near the top, without a label (under the
    title: 02011QU922ROS-1): letters and digits, not a credit code."""
    if doc_type not in CERTIFICATE_TYPES or "certificate_number" not in wanted:
        return []
    found: list[Sighting] = []
    for row in rows[:12]:
        if len(row.cells) != 1:
            continue
        cell = row.cells[0]
        m = _LONE_NUMBER.match(unicodedata.normalize("NFKC", cell.text).strip().upper())
        if m is None or (cell.bbox is not None and cell.bbox[1] > 0.5):
            continue
        number = m.group("n")
        digits, letters = sum(ch.isdigit() for ch in number), sum(ch.isalpha() for ch in number)
        if digits < 3 or letters < 1 or (len(number) == 18 and number.isalnum()):
            continue
        found.append(Sighting("certificate_number", number, 0.5 * _source(cell), cell, cell.bbox))
    return found[:1]


def loose_codes(rows: list[Row]) -> list[Sighting]:
    """An 18-character code standing anywhere (a licence prints it above the title, its label on
    the line before or lost): a weak sighting that a labelled one outweighs."""
    found: list[Sighting] = []
    for row in rows:
        for cell in row.cells:
            for t in find_typed(compact(cell.text)) if cell.ocr else find_typed(cell.text):
                if t.kind != "credit_code":
                    continue
                parsed = parse_code(t.value, cell.ocr, cell.confidence)
                if parsed is None:
                    continue
                found.append(Sighting("credit_code", parsed[0], 0.5 * parsed[1] * _source(cell), cell,
                                      cell.span_bbox(t.start, t.end) if not cell.ocr else cell.bbox))
    return found


__all__ = ["Sighting", "Typed", "issuers", "loose_codes", "paragraphs", "sentence_values"]
