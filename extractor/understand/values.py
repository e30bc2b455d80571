"""Pure value normalisers for field extraction: dates, validity ranges, scores, grades, standards,
company names, member counts and test conclusions, as Chinese documents print them and OCR damages them.

Every parser returns the value together with the character span of the input it came from
(`Found`), so the caller can map the span back to word boxes for evidence. Spans always index the
text as passed in: normalisation is done character by character (`fold`), never by a rewrite that
changes the length.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """A parsed value and the span `text[start:end]` of the input it was read from."""

    value: T
    start: int
    end: int


# -- character folding ---------------------------------------------------------------------------

_DASHES = "‐‑‒–—―−－﹣"
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def fold(text: str) -> str:
    """NFKC per character (full-width digits, letters, ／ ： ． → ASCII) and dashes → '-'.

    The result has exactly the length of the input, so a span found in it is a span of the input;
    a character whose NFKC form is longer than one character is kept as it is.
    """
    out = []
    for ch in text:
        if ch in _DASHES:
            out.append("-")
            continue
        nf = unicodedata.normalize("NFKC", ch)
        out.append(nf if len(nf) == 1 else ch)
    return "".join(out)


# -- Chinese numerals ----------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(text: str) -> int | None:
    """A whole number written in ASCII/full-width digits or Chinese numerals, else None.

    Without a unit character the numerals are read digit by digit (二〇二四 → 2024); with units they
    are read positionally (三十一 → 31, 十二 → 12, 一百零五 → 105, colloquial 一百五 → 150).
    """
    s = re.sub(r"\s+", "", fold(text))
    if not s:
        return None
    if s.isascii() and s.isdigit():
        return int(s)
    if any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    if not any(ch in _CN_UNITS for ch in s):
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total = 0
    pending: int | None = None
    last_unit = 10_000
    zero_gap = False
    for ch in s:
        if ch in _CN_DIGITS:
            value = _CN_DIGITS[ch]
            if pending is not None:
                return None  # two digits in a row: 三四十
            if value == 0:
                zero_gap = True
            else:
                pending = value
            continue
        unit = _CN_UNITS[ch]
        if unit >= last_unit:
            return None
        if pending is None:
            if unit != 10 or total or zero_gap:
                return None  # 百 alone, 一百十
            pending = 1  # 十二 = 12
        total += pending * unit
        pending = None
        last_unit = unit
        zero_gap = False
    if pending is not None:
        total += pending if (zero_gap or last_unit == 10) else pending * last_unit // 10
    return total


# -- dates ---------------------------------------------------------------------------------------

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "〇": "0", "○": "0", "I": "1", "l": "1", "|": "1"})
_DIGITISH = "0-9OoIl|〇○"
_CN_NUMERALS = "零一二两三四五六七八九十"
_YEAR_CHARS = f"[{_DIGITISH}零一二三四五六七八九]"
_MD_CHARS = f"[{_DIGITISH}{_CN_NUMERALS}]"
_CJK_DATE = re.compile(
    rf"(?<![0-9A-Za-z])(?P<y>{_YEAR_CHARS}{{4}})\s*年\s*(?P<m>{_MD_CHARS}{{1,3}})\s*月\s*"
    rf"(?P<d>{_MD_CHARS}{{1,3}})(?:\s*[日曰号]|(?![0-9{_CN_NUMERALS}]))"
)
_SEP_DATE = re.compile(
    r"(?<![0-9A-Za-z./])(?P<y>[0-9OoIl|]{4})\s*(?P<s>[.\-/])\s*(?P<m>[0-9OoIl|]{1,2})\s*(?P=s)\s*"
    r"(?P<d>[0-9OoIl|]{1,2})(?![0-9])"
)
_COMPACT_DATE = re.compile(r"(?<![0-9A-Za-z\-/.])(?P<c>\d{8})(?![0-9A-Za-z]|[\-/.]\d)")
YEAR_RANGE = (1900, 2099)
COMPACT_YEAR_RANGE = (1990, 2099)


def _real_digits(group: str) -> int:
    """How many ASCII digits (not look-alikes) a date part has."""
    return sum(ch.isascii() and ch.isdigit() for ch in group)


def _group_number(group: str) -> int | None:
    """A date part: Chinese numerals, or digits with OCR look-alikes (O→0, l/I/|→1)."""
    if any(ch in _CN_NUMERALS for ch in group):
        return cn_number(group.replace("O", "〇").replace("o", "〇"))
    mapped = group.translate(_OCR_DIGITS)
    return int(mapped) if mapped.isascii() and mapped.isdigit() else None


def _iso(year: int | None, month: int | None, day: int | None, years: tuple[int, int] = YEAR_RANGE) -> str | None:
    """YYYY-MM-DD for a real calendar date with the year in range, else None."""
    if year is None or month is None or day is None or not years[0] <= year <= years[1]:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[Found[str]]:
    """Every full date (year, month and day) in the text as ISO YYYY-MM-DD, in reading order.

    Accepts 2024年8月31日 (also with spaces, 08, 曰/号 for 日), 二〇二四年八月三十一日, 2024.08.31,
    2024-8-31, 2024/8/31, full-width digits and a bare 20240831 (a valid date in 1990–2099 that is
    not part of a longer digit or letter run). O/o/〇→0 and l/I/|→1 are read as digits inside a date
    pattern only. A year and month alone (2024年8月) or an impossible day (2024-02-30) is no date.
    """
    folded = fold(text)
    found: list[Found[str]] = []
    for m in _CJK_DATE.finditer(folded):
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        year_is_cn = any(ch in _CN_NUMERALS for ch in y)
        if not year_is_cn and _real_digits(y) < 2:
            continue
        iso = _iso(_group_number(y), _group_number(mo), _group_number(d))
        if iso:
            found.append(Found(iso, m.start(), m.end()))
    for m in _SEP_DATE.finditer(folded):
        y, mo, d = m.group("y"), m.group("m"), m.group("d")
        if _real_digits(y) < 2 or not _real_digits(mo) or not _real_digits(d):
            continue
        iso = _iso(_group_number(y), _group_number(mo), _group_number(d))
        if iso:
            found.append(Found(iso, m.start(), m.end()))
    for m in _COMPACT_DATE.finditer(folded):
        c = m.group("c")
        iso = _iso(int(c[:4]), int(c[4:6]), int(c[6:]), COMPACT_YEAR_RANGE)
        if iso:
            found.append(Found(iso, m.start(), m.end()))
    found.sort(key=lambda f: (f.start, -f.end))
    result: list[Found[str]] = []
    for f in found:
        if result and f.start < result[-1].end:
            continue
        result.append(f)
    return result


def parse_date(text: str) -> Found[str] | None:
    """The first full date in the text (see `find_dates`), or None."""
    dates = find_dates(text)
    return dates[0] if dates else None


# -- validity ranges -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Validity:
    """A validity period; `open_ended` when the end is printed as 长期 (no end date)."""

    start: str | None
    end: str | None
    open_ended: bool


_RANGE_JOIN = re.compile(r"^\s*(?:起)?\s*(?:至|到|止|-|~|〜|～|一|—)?\s*$")
_OPEN_END = re.compile(r"\s*(?:起)?\s*(?:至|到|-|~|〜|～|一)?\s*(?P<word>长期有效|长期|永久有效|永久|无固定期限)")
_END_CUE = re.compile(r"(?:至|到|止|截止|有效期|until|expiry)\s*[:：]?\s*$", re.IGNORECASE)
_START_CUE = re.compile(r"(?:自|从)\s*$")


def parse_validity(text: str) -> Found[Validity] | None:
    """A validity period as certificates print it, or None.

    "2021年3月1日至2024年2月28日", "2021.03.01-2024.02.28", "自…起至…止" → start and end;
    "2010年1月1日至长期" / "长期有效" → start, end None, open_ended; "有效期至2026年10月29日" and a single
    date without a start cue (the caller has consumed a 有效期 label) → start None, end; "自2021年3月1日起"
    → start only. Two dates are returned as printed even if the end is before the start.
    """
    folded = fold(text)
    dates = find_dates(text)
    for first, second in itertools.pairwise(dates):
        if _RANGE_JOIN.match(folded[first.end:second.start]):
            return Found(Validity(first.value, second.value, False), first.start, second.end)
    for d in dates:
        open_end = _OPEN_END.match(folded, d.end)
        if open_end:
            return Found(Validity(d.value, None, True), d.start, open_end.end())
    if len(dates) == 2:
        first, second = dates
        return Found(Validity(first.value, second.value, False), first.start, second.end)
    if dates:
        d = dates[-1]
        before = folded[max(0, d.start - 6):d.start]
        after = folded[d.end:d.end + 3]
        if (_START_CUE.search(before) or re.match(r"^\s*起", after)) and not _END_CUE.search(before):
            return Found(Validity(d.value, None, False), d.start, d.end)
        return Found(Validity(None, d.value, False), d.start, d.end)
    word = re.search(r"长期有效|长期|永久有效|永久|无固定期限", folded)
    if word:
        return Found(Validity(None, None, True), word.start(), word.end())
    return None


# -- satisfaction scores -------------------------------------------------------------------------

_SCORE_KEYWORD = re.compile(r"满意度(?:指数|得分|分值|评分)?|满意指数|指数|得分|分值|评分|CSI", re.IGNORECASE)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT_AFTER = re.compile(r"\s*[年月日号人名份个家项次户位天周条元万亿只台套件批张页章节]")
_NOT_A_SCORE_BEFORE = re.compile(r"样本|问卷|回收|率|编号|No|第|电话|邮编|序号|比例|占比", re.IGNORECASE)
_SCORE_SUFFIX = re.compile(r"\s*(?:分|[（(]百分制[)）])")
_SENTENCE_BREAK = re.compile(r"[。；;\n]")
SCORE_RANGE = (0.0, 100.0)


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Spans of dates and standards, whose numbers are never scores."""
    return [(f.start, f.end) for f in find_dates(text)] + [(f.start, f.end) for f in find_standards(text)]


def _score_tokens(text: str) -> list[Found[float]]:
    """Numbers that may be a score: not part of a date, standard, code, sample size or count; 0..100."""
    folded = fold(text)
    blocked = _blocked_spans(text)
    tokens: list[Found[float]] = []
    for m in _NUMBER.finditer(folded):
        s, e = m.start(), m.end()
        if any(bs < e and s < be for bs, be in blocked):
            continue
        after = folded[e:e + 2]
        if (after[:1].isascii() and after[:1].isalnum()) or re.match(r"^[\-/:.]\d", after):
            continue  # 2024-26084, 10:30, a code
        prev = folded[s - 1] if s else ""
        prev2 = folded[s - 2] if s > 1 else ""
        if prev.isascii() and prev.isalpha() and not folded[:s].upper().endswith("CSI"):
            continue  # YS2024, L1842
        if (prev in "-/." and prev2.isascii() and prev2.isalnum()) or (prev == ":" and prev2.isdigit()):
            continue
        if _UNIT_AFTER.match(folded, e):
            continue
        head = re.split(r"[，,。；;、\s]", folded[max(0, s - 10):s].rstrip(" \t:：=为是"))[-1]
        if _NOT_A_SCORE_BEFORE.search(head):
            continue
        value = float(m.group(0))
        if not SCORE_RANGE[0] <= value <= SCORE_RANGE[1]:
            continue
        tokens.append(Found(value, s, e))
    return tokens


def parse_score(text: str) -> Found[float] | None:
    """A satisfaction score 0..100, or None.

    Prefers the number nearest after a score keyword (满意度, 指数, 得分, 分值, CSI) in the same
    sentence; without one, a number followed by 分 or （百分制）, or a number that is the whole text.
    Never a year or date part, a standard's number, a report number, a sample size (样本量 1200),
    a respondent rate (满意率 92%) or a count (312 份). A lost decimal point (865) gives None.
    """
    folded = fold(text)
    tokens = _score_tokens(text)
    if not tokens:
        return None
    keywords = list(_SCORE_KEYWORD.finditer(folded))
    best: tuple[int, Found[float]] | None = None
    for token in tokens:
        for kw in keywords:
            if kw.end() > token.start or _SENTENCE_BREAK.search(folded, kw.end(), token.start):
                continue
            distance = token.start - kw.end()
            if best is None or distance < best[0]:
                best = (distance, token)
    if best is not None:
        return best[1]
    for token in tokens:
        if _SCORE_SUFFIX.match(folded, token.end):
            return token
    if len(tokens) == 1:
        rest = folded[: tokens[0].start] + folded[tokens[0].end:]
        if not re.sub(r"[\s:：,，。.%％分()（）百分制]", "", rest):
            return tokens[0]
    return None


# -- grades (牌号) -------------------------------------------------------------------------------

_GRADE = re.compile(r"(?<![0-9A-Za-z.\-])[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*")
_SIZE = re.compile(r"\d+(?:\.\d+)?(?:MM|CM|UM|KG|M)")
_ELEMENT = re.compile(r"^([HQBT])(SN|PB|ZN|AL|MN|NI|SI|FE|BE|CD|CR|ZR|AG|TE|MG|AS)(?=\d)")
_TAIL_OCR = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "Z": "2", "z": "2", "S": "5", "s": "5"})


def _repair_grade(token: str) -> str:
    """OCR look-alikes in a grade: SA06 → 5A06, 6O63 → 6063, H6Z → H62, TUl → TU1; case canonical."""
    if re.fullmatch(r"(?:TU|TP|T|H)[lI]", token):
        token = token[:-1] + "1"
    if re.fullmatch(r"[Ss][Aa]\d\d", token):  # Chinese aluminium grades are digit, A, two digits
        token = "5" + token[1:]
    first_digit = next((i for i, ch in enumerate(token) if ch.isdigit()), len(token))
    chars = list(token)
    for i in range(first_digit, len(chars)):
        ch = chars[i]
        if ch not in "OolIZzSs":
            continue
        left = chars[i - 1] if i > 0 else ""
        right = chars[i + 1] if i + 1 < len(chars) else ""
        if left.isdigit() or right.isdigit():
            chars[i] = ch.translate(_TAIL_OCR)
    token = "".join(chars).upper()
    token = _ELEMENT.sub(lambda m: m.group(1) + m.group(2).capitalize(), token)
    return re.sub(r"^AL(?=\d)", "Al", token)


def parse_grades(text: str) -> Found[list[str]] | None:
    """The grades (牌号) listed in a text, or None.

    Separators: 、，, / ; ； and spaces. A grade is letters and digits with inner '-' or '.'
    (5A06, TU1, HPb59-1, QSn6.5-0.1, Al99.70, C19400); a digits-only grade has 4 digits (1060).
    Latin letters are upper-cased except the element symbols of copper-alloy and aluminium-ingot
    designations (HPb, QSn, BZn, QAl, Al99.70), which keep GB/T 5231 / GB/T 1196 case.
    Duplicates are dropped, order kept. Tokens inside a standard (GB/T 3880.1-2023) or followed by
    年/月/日 are not grades. The span runs from the first to the last grade.
    """
    folded = fold(text)
    blocked = [(f.start, f.end) for f in find_standards(text)]
    grades: list[str] = []
    first = last = -1
    for m in _GRADE.finditer(folded):
        s, e = m.start(), m.end()
        if any(bs < e and s < be for bs, be in blocked):
            continue
        if re.match(r"^\s*[年月日号]", folded[e:e + 2]):
            continue
        grade = _repair_grade(m.group(0))
        if not re.search(r"\d", grade) or len(grade) < 2:
            continue
        if (grade.isdigit() and len(grade) != 4) or _SIZE.fullmatch(grade):
            continue
        if not re.fullmatch(r"[0-9A-Za-z]+(?:[.\-][0-9A-Za-z]+)*", grade):
            continue
        if grade not in grades:
            grades.append(grade)
        if first < 0:
            first = s
        last = e
    return Found(grades, first, last) if grades else None


# -- standards -----------------------------------------------------------------------------------

_CN_STD = r"(?P<pre>GB\s*/\s*[TZ]|GB|[A-Z]{2}\s*/\s*T|T\s*/\s*[A-Z]{2,10}|DB\d{2}\s*/\s*T)"
_CN_NUM = r"\s*(?P<num>\d+(?:\.\d+)*)(?:\s*[-:]\s*(?P<year>(?:19|20)\d{2})(?!\d))?"
_EQUIV = (r"(?:\s*(?P<join>/|IDT|EQV|MOD|NEQ|[(（]\s*IDT)\s*"
          r"(?P<eqpre>ISO\s*/\s*IEC|ISO|OHSAS|IEC)\s*(?P<eqnum>\d+(?:-\d{1,2})*)"
          r"(?:\s*[:\-]\s*(?P<eqyear>(?:19|20)\d{2})(?!\d))?\s*[)）]?)?")
_STANDARD = re.compile(
    rf"(?<![A-Za-z]){_CN_STD}{_CN_NUM}{_EQUIV}"
    r"|(?<![A-Za-z/])(?P<ipre>ISO\s*/\s*IEC|ISO|OHSAS|IEC)\s*(?P<inum>\d+(?:-\d{1,2})*)"
    r"(?:\s*[:\-]\s*(?P<iyear>(?:19|20)\d{2})(?!\d))?",
)


def _standard_from(m: re.Match[str]) -> str:
    """The canonical form of one `_STANDARD` match."""
    if m.group("ipre"):
        pre = re.sub(r"\s+", "", m.group("ipre"))
        year = m.group("iyear")
        return f"{pre} {m.group('inum')}" + (f":{year}" if year else "")
    pre = re.sub(r"\s+", "", m.group("pre"))
    return f"{pre} {m.group('num')}" + (f"-{m.group('year')}" if m.group("year") else "")


def find_standards(text: str) -> list[Found[str]]:
    """Every standard cited in a text, normalised (see `normalise_standard`), in reading order."""
    folded = fold(text).translate(_ASCII_UPPER)
    return [Found(_standard_from(m), m.start(), m.end()) for m in _STANDARD.finditer(folded)]


def normalise_standard(text: str) -> str | None:
    """The first standard in a text in canonical form, or None. Idempotent.

    "GB/T19001-2016 idt ISO9001:2015" → "GB/T 19001-2016"; em dashes and full-width slashes are
    folded; part numbers kept (GB/T 3880.1-2023, GB 5009.3-2016, YS/T 455.1-2014); an ISO equivalent
    after a Chinese standard is dropped (ISO or OHSAS: the contract's `standard` is the Chinese
    standard, GB/T 28001-2011/OHSAS 18001:2007 → GB/T 28001-2011); ISO alone → "ISO 9001:2015".
    """
    found = find_standards(text)
    return found[0].value if found else None


# -- company names -------------------------------------------------------------------------------


class CompanyMatch(Enum):
    """How two company names compare. Compare with `is`/`==`; truth testing is refused on purpose."""

    EXACT = "exact"  # equal after normalise_company
    LEGAL_FORM = "legal_form"  # equal except 有限公司 ↔ 有限责任公司: accept only when the credit codes agree
    DIFFERENT = "different"

    def __bool__(self) -> bool:
        raise TypeError("compare a CompanyMatch with CompanyMatch.EXACT / LEGAL_FORM, not as a bool")


_EDGE_PUNCT = " \t\r\n,，.。;；:：、!！?？·•\"'“”‘’"


def normalise_company(text: str) -> str:
    """NFKC, whitespace removed, brackets written full-width （）, punctuation at either end stripped."""
    name = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    name = name.replace("(", "（").replace(")", "）")
    return name.strip(_EDGE_PUNCT)


def same_company(a: str, b: str) -> CompanyMatch:
    """EXACT when equal after `normalise_company`; LEGAL_FORM when they differ only by
    有限公司 ↔ 有限责任公司; else DIFFERENT. Nothing fuzzy: a branch (分公司) or 股份有限公司 differs."""
    na, nb = normalise_company(a), normalise_company(b)
    if not na or not nb:
        return CompanyMatch.DIFFERENT
    if na == nb:
        return CompanyMatch.EXACT
    if na.replace("有限责任公司", "有限公司") == nb.replace("有限责任公司", "有限公司"):
        return CompanyMatch.LEGAL_FORM
    return CompanyMatch.DIFFERENT


# -- member counts -------------------------------------------------------------------------------

_COUNT_NUM = r"(?P<n>\d{1,3}(?!\d)|[零〇两一二三四五六七八九十百]{1,4})"
_COUNT_LABELLED = re.compile(rf"(?:成员人数|小组人数|班组人数|人数|成员数|共计|合计|共)\s*[:：为]?\s*{_COUNT_NUM}")
_COUNT_UNIT = re.compile(rf"{_COUNT_NUM}\s*(?:人|名)(?![民员称单])")
_COUNT_LIMIT = re.compile(r"(?:限|不超过|不多于|最多|至多|≤|<|以内)\s*$")
MAX_MEMBERS = 999


def parse_member_count(text: str) -> Found[int] | None:
    """A number of people: "小组成员：5人", "共 9 人", "成员人数 11", "十一人"; not a limit ("限 10 人")."""
    folded = fold(text)
    found: list[Found[int]] = []
    for pattern in (_COUNT_LABELLED, _COUNT_UNIT):
        for m in pattern.finditer(folded):
            if _COUNT_LIMIT.search(folded[max(0, m.start("n") - 4):m.start("n")]):
                continue
            if pattern is _COUNT_UNIT and m.start() > 0 and folded[m.start() - 1].isdigit():
                continue
            n = cn_number(m.group("n"))
            if n is not None and 0 < n <= MAX_MEMBERS:
                found.append(Found(n, m.start(), m.end()))
    return min(found, key=lambda f: (f.start, -f.end)) if found else None


_NAME_SEPARATORS = re.compile(r"[、，,；;/|]+")
_NAME_NOTE = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def count_names(text: str) -> int:
    """How many names a list holds: "张三、李四、王五" → 3.

    Separators 、，, ；; /; whitespace separates names only when none of those is present (a
    two-character name is often padded as "张  三"). Notes in brackets ("（组长）") are ignored.
    """
    text = _NAME_NOTE.sub("", unicodedata.normalize("NFKC", text))
    if _NAME_SEPARATORS.search(text):
        parts = [re.sub(r"\s+", "", p) for p in _NAME_SEPARATORS.split(text)]
    else:
        parts = text.split()
    parts = [p.strip(_EDGE_PUNCT + "等") for p in parts]
    return sum(1 for p in parts if re.search(r"[\u4e00-\u9fffA-Za-z]", p))


# -- test conclusions ----------------------------------------------------------------------------

_DOUBLE_NEGATIVE = re.compile(r"(?:无|未见|未发现|没有|未出现)\s*不\s*(?:[合台]\s*格|符\s*合)")
_NEGATIVE = re.compile(r"不\s*[合台]\s*格|不\s*符\s*合|不\s*满\s*足")  # 台 for 合: a common OCR misread
_PASS_WORD = re.compile(r"[合台]\s*格(?!\s*[率证品])")
_COMPLIES = re.compile(r"(?:符\s*合|满\s*足)(?:[^。；;，,]{0,60}?要\s*求)?")
_NO_VERDICT = re.compile(r"不\s*[作做予]\s*判\s*定|仅\s*提\s*供\s*检\s*[测验]\s*数\s*据")


def parse_conclusion(text: str) -> Found[str] | None:
    """"合格" or "不合格" for a test report's conclusion, or None.

    Negatives win (不合格, 不符合, 不满足 anywhere → 不合格), except when negated themselves (无不合格项 is a
    pass). Otherwise 合格 (not 合格率/合格证) or 符合/满足…要求 → 合格. "不作判定" and "仅提供检测数据" → None.
    """
    if _NO_VERDICT.search(text):
        return None
    masked = _DOUBLE_NEGATIVE.sub(lambda m: "無" * len(m.group(0)), text)
    negative = _NEGATIVE.search(masked)
    if negative:
        return Found("不合格", negative.start(), negative.end())
    double = _DOUBLE_NEGATIVE.search(text)
    passed = _PASS_WORD.search(masked) or _COMPLIES.search(masked)
    if passed:
        return Found("合格", passed.start(), passed.end())
    if double:
        return Found("合格", double.start(), double.end())
    return None
