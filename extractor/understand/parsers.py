"""Value parsers: the text a label points at (or a sentence holds) → the value in the contract's
normal form and a validity factor (1.0: a clean value of the field's type; less: a value a reviewer
should look at). Pure functions; the field registry (registry.py) says which field uses which."""

import re
from typing import Any

from extractor.understand import credit_code, values
from extractor.understand.textnorm import compact
from extractor.understand.tick_boxes import tick_boxes
from extractor.understand.typed import ORG_ENDINGS, find_typed

# an organisation ends with one of typed.ORG_ENDINGS (有限公司, 中心, 厅, 局 …) or with its group mark
ORG_SUFFIX = re.compile(
    "|".join(re.escape(e) for e in sorted((*ORG_ENDINGS, "（集团）", "集团"), key=len, reverse=True))
)
_LEADING_JUNK = re.compile(r"^[\s:：,，;；.。、)）\]】（(]*(盖章|以公章为准|签章|公章)?[)）]?[\s:：]*")
# notes a form prints in brackets after a label: （须与公章一致）, （全称）
_BRACKET_NOTE = re.compile(r"[（(][^）)（(]{0,12}(?:盖章|签章|公章|签字|全称|简称)[^）)（(]{0,12}[)）]")
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}")
_CERT_NO = re.compile(r"[A-Z0-9][A-Z0-9\-./]{5,}")
_NO_PREFIX = re.compile(r"^(?:NO|№|N0)\s*[.:：]?\s*")  # No. 00123Q… : the prefix is no part of the number
_CN_DOC_NO = re.compile(r"[（(]\d{4}[)）][\u4e00-\u9fff]{1,8}第?[A-Z0-9\-]{2,12}号")
_CNAS = re.compile(r"CNAS\s*L\s*(\d{3,5})")
_CODE_TOKEN = re.compile(r"[0-9A-Z]{15,20}")


def clean(text: str) -> str:
    """The text without seal notes ((盖章), 以公章为准) and the colon or punctuation before a value."""
    text = _BRACKET_NOTE.sub("", text)
    return _LEADING_JUNK.sub("", text).strip()


def parse_org(text: str) -> tuple[Any, float] | None:
    text = compact(clean(text))
    text = text.split("\t")[0]
    head, colon, tail = text.rpartition(":")
    if colon and len(head) <= 6 and ORG_SUFFIX.search(tail):
        text = tail  # a label half under a seal (盖: …, 】: …): only the name after the colon counts
    matches = list(ORG_SUFFIX.finditer(text))
    if not matches:
        return None
    end = matches[-1].end()
    name = values.normalise_company(text[:end])
    typed = [t for t in find_typed(text[:end]) if t.kind == "organisation" and t.end == end]
    if typed and len(typed[-1].value) >= 4:
        name = typed[-1].value  # without a label or an English run in front (委托单位…, Client…)
    if len(name) < 4:
        return None
    return name, 1.0


_LAB_UNIT = re.compile(
    r"(?<=公司)(?:技术中心|检测中心|检验中心|中心实验室|中心化验室|实验室|检测室|化验室|研究院|研究所|质检中心)"
)


def parse_company(text: str) -> tuple[Any, float] | None:
    found = parse_org(text)
    if found is None:
        return None
    name = str(found[0])
    unit = _LAB_UNIT.search(name)
    if unit and not name.endswith("公司"):
        return name[:unit.start()], 0.9  # XX有限公司技术中心 (a lab's name): the company is its legal entity
    return name, 1.0 if re.search(r"公司|（集团）|集团|厂$", name) else 0.6


FORBIDDEN_IN_CODES = set("IOSZV")  # never printed in a credit code: only OCR puts them there


SURE_GLYPHS = 0.98  # OCR confidence at which a character read is taken as printed


def parse_code(text: str, ocr: bool = False, confidence: float = 0.0) -> tuple[Any, float] | None:
    """The code as printed. Read by OCR, look-alikes are repaired when exactly one reading passes the
    check and the repair is small: letters a code never contains (I O S Z V: only OCR puts them
    there), or one character the recogniser was unsure of (`confidence` of the line under
    SURE_GLYPHS). A code printed invalid must stay invalid, so that credit_code_invalid can report
    it: a reading the recogniser is sure of is what the paper says (DOMAIN §1.10, step 3)."""
    token = compact(clean(text)).upper()
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
    match = _NAME.match(compact(clean(text)))
    return (match.group(0), 1.0) if match else None


# a date printed as three spaced numbers (开票日期: 2019 05 08): a date only where a label asks for one
_SPACED_DATE = re.compile(r"^\s*(\d{4})\s+(\d{1,2})\s+(\d{1,2})\s*$")


def parse_date_value(text: str) -> tuple[Any, float] | None:
    text = clean(text)
    spaced = _SPACED_DATE.match(text)
    found = values.parse_date("-".join(spaced.groups()) if spaced else text)
    return (found.value, 1.0 if not spaced else 0.9) if found else None


def parse_cert_number(text: str) -> tuple[Any, float] | None:
    token = compact(clean(text)).upper()
    cnas = _CNAS.search(token)
    if cnas:
        return f"CNAS L{cnas.group(1)}", 1.0
    issued = _CN_DOC_NO.search(compact(text))
    if issued:  # （2024）国色检字第0123号
        return issued.group(0).replace("(", "（").replace(")", "）"), 1.0
    token = _NO_PREFIX.sub("", token)
    # a number has digits: CERTIFICATENO (an English label run together) is none
    match = next((m for m in _CERT_NO.finditer(token) if any(ch.isdigit() for ch in m.group(0))), None)
    if match is None:
        return None
    number = re.sub(r"^(?:CERTIFICATE)?NO[.:]", "", match.group(0))  # No.00622S…: the prefix is no part of it
    return number.rstrip("."), 1.0


def parse_standard(text: str) -> tuple[Any, float] | None:
    """The standard in a text, the Chinese one first (ISO 9001:2015 / GB/T 19001-2016 → GB/T 19001-2016)."""
    found = [values.normalise_standard(f.value) for f in values.find_standards(text)]
    normal = next((s for s in found if s and s.startswith("GB")), None) or next((s for s in found if s), None)
    return (normal, 1.0) if normal else None


_ENGLISH_LABEL = re.compile(r"^[A-Za-z][A-Za-z .:/&'-]{3,}?[:：]?\s*(?=[\u4e00-\u9fff])")


_TRAILING_NOTE = re.compile(r"[（(][^（()）]*(?:附件|详见|见证书|附页)[^（()）]*[)）]$")  # （详见证书附件）


def parse_text(text: str) -> tuple[Any, float] | None:
    value = _TRAILING_NOTE.sub("", compact(_ENGLISH_LABEL.sub("", clean(text))).rstrip("。.;；")).rstrip("。.;；")
    return (value, 1.0) if value else None


def parse_grades_value(text: str) -> tuple[Any, float] | None:
    found = values.parse_grades(clean(text))
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
    digits = re.match(r"^\s*(\d{1,3})", clean(text))
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


