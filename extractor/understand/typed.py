"""Typed candidates found anywhere in a text, by what they are rather than where a template puts
them: organisations by their endings (有限公司, 中心, 研究院, 协会, 委员会, 厅, 局 …), credit codes,
certificate and report numbers of many shapes, dates, standards, scores.

Each text is a spaCy `Doc` of a blank Chinese pipeline (one token a character, nothing to
download), so every span's character offsets map back to the words and boxes it was read from.
Token patterns of a `Matcher` mark organisations, codes and numbers; dates and standards come from
the finders in values.py (regular expressions over the text, each made a span of the same Doc).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from extractor.understand import values

ORG_ENDINGS = (
    "有限责任公司", "股份有限公司", "有限公司", "集团公司", "（集团）公司", "总公司", "分公司", "公司", "厂",
    "研究总院", "研究院", "研究所", "设计院", "中心", "协会", "学会", "委员会", "联合会", "促进会", "商会", "厅", "局",
    "测评部", "分会", "大学", "学院", "事务所",
)
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z（）()·]")
MAX_NAME = 40
# words that introduce a name but are not part of it (a run of Chinese swallows them): the name
# starts after the last of them
_INTRODUCERS = re.compile(
    r"(?:兹证明|特此证明|证明|经(?:审核|评审|认证|检验|检测|测评|评价|调查)|兹确认|本单位|我单位|本公司|我公司|本企业|我企业|"
    r"委托|授权|推荐|同意|申报|申请|签发|颁发|出具|批准|经(?!济)|的|由|向|被|受|系|是|在|于|对|为|及|与)"
)
CODE_LENGTH = 18


@dataclass(frozen=True)
class Typed:
    kind: str  # organisation | credit_code | identifier | date | standard | score
    value: Any
    start: int  # character offsets in the text
    end: int
    text: str


@functools.cache
def _nlp() -> Any:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("zh")  # the character segmenter: one token a character
    matcher = Matcher(nlp.vocab)
    # Anchors only: an organisation by its ending, a credit code by its shape. (A name's own
    # characters as a bounded quantifier {2,40} make the Matcher's states explode — 2 s at {2,20},
    # std::bad_alloc at {2,30} — and `+` with LONGEST runs across two names: the left edge of a
    # name is found below, by what introduces it.)
    matcher.add("organisation", [[{"TEXT": ch} for ch in ending] for ending in ORG_ENDINGS], greedy="LONGEST")
    matcher.add("credit_code", [[{"TEXT": {"REGEX": r"^[0-9A-Z]$"}, "OP": f"{{{CODE_LENGTH}}}"}]], greedy="LONGEST")
    return nlp, matcher


def doc_of(text: str) -> Any:
    nlp, _ = _nlp()
    return nlp.make_doc(text)


def _name_start(text: str, end_of_ending: int, start_of_ending: int, floor: int) -> int:
    """Where the name ending at `start_of_ending` begins: the run of name characters to its left,
    not past `floor` (the end of the name before it), without a label or the words introducing it."""
    from extractor.understand.registry import all_label_texts

    start = start_of_ending
    while start > floor and start_of_ending - start < MAX_NAME and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    run = text[start:start_of_ending]
    cut = 0
    for m in _INTRODUCERS.finditer(run):
        if len(run) - m.end() >= 2:
            cut = max(cut, m.end())
    for label in all_label_texts():
        if run.startswith(label, cut) and len(run) - cut - len(label) >= 2:
            cut = cut + len(label)
    rest = run[cut:]
    if rest[:1] in ("（", "(") and rest.count("（") + rest.count("(") > rest.count("）") + rest.count(")"):
        cut += 1  # the bracket a name is given in (本单位（XX有限公司）), not part of it
    return start + cut


def find_typed(text: str) -> list[Typed]:
    """Every typed candidate in `text`, as spans of one Doc (offsets into `text`)."""
    nlp, matcher = _nlp()
    doc = nlp.make_doc(text)
    found: list[Typed] = []
    floor = 0
    for match_id, start, end in sorted(matcher(doc), key=lambda m: m[1]):
        kind = nlp.vocab.strings[match_id]
        span = doc[start:end]
        s, e = span.start_char, span.end_char
        if kind == "credit_code":
            if (s > 0 and text[s - 1].isalnum() and text[s - 1].isascii()) or (
                    e < len(text) and text[e].isalnum() and text[e].isascii()):
                continue  # part of a longer token
            found.append(Typed(kind, span.text, s, e, span.text))
            continue
        # a bracketed ending closes the name: （集团）有限公司 is one ending run
        begin = _name_start(text, e, s, floor)
        name = values.normalise_company(text[begin:e])
        floor = e
        if len(name) < 4 or name in ORG_ENDINGS:
            continue
        found.append(Typed("organisation", name, begin, e, text[begin:e]))
    for date in values.find_dates(text):
        span = doc.char_span(date.start, date.end, alignment_mode="expand")
        if span is not None:
            found.append(Typed("date", date.value, span.start_char, span.end_char, span.text))
    for std in values.find_standards(text):
        normal = values.normalise_standard(std.value)
        span = doc.char_span(std.start, std.end, alignment_mode="expand")
        if normal and span is not None:
            found.append(Typed("standard", normal, span.start_char, span.end_char, span.text))
    return found


def organisations(text: str) -> list[Typed]:
    return [t for t in find_typed(text) if t.kind == "organisation"]
