"""Typed candidates found anywhere in a text, by what they are rather than where a template puts
them: organisations by their endings (有限公司, 中心, 研究院, 协会, 委员会, 厅, 局 …), credit codes,
dates, standards. Offsets are into the text, so each value maps back to its own words' boxes.

Anchors (an organisation's ending, a code's shape) are found by one compiled regular expression;
a name's left edge by what introduces it. spaCy was measured for the same job
(`benchmarks/bench_typed.py`: a blank Chinese pipeline, one token a character, a `Matcher` on the
same anchors): the same candidates on all 4,320 gold and notice texts, at 9.4x the time per text
(440 µs against 47 µs), plus 1.5 s to import it and make the pipeline in each process. A name's
own characters as a bounded quantifier ({2,40}) make the Matcher's states explode (2 s at {2,20},
std::bad_alloc at {2,30}). The regex backend stays; `spacy_anchors` is kept for that measurement
only (spaCy is not a runtime dependency).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
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


_ANCHOR = re.compile(
    "(?P<organisation>" + "|".join(re.escape(e) for e in sorted(ORG_ENDINGS, key=len, reverse=True)) + ")"
    + r"|(?P<credit_code>(?<![0-9A-Za-z])[0-9A-Z]{18}(?![0-9A-Za-z]))"
)


def regex_anchors(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) of every organisation ending and credit-code shape, left to right."""
    return [(m.lastgroup or "", m.start(), m.end()) for m in _ANCHOR.finditer(text)]


@functools.cache
def _spacy() -> Any:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("zh")  # the character segmenter: one token a character
    matcher = Matcher(nlp.vocab)
    matcher.add("organisation", [[{"TEXT": ch} for ch in ending] for ending in ORG_ENDINGS], greedy="LONGEST")
    matcher.add("credit_code", [[{"TEXT": {"REGEX": r"^[0-9A-Z]$"}, "OP": f"{{{CODE_LENGTH}}}"}]], greedy="LONGEST")
    return nlp, matcher


def spacy_anchors(text: str) -> list[tuple[str, int, int]]:
    """The same anchors through spaCy (for the benchmark's comparison)."""
    nlp, matcher = _spacy()
    doc = nlp.make_doc(text)
    out = []
    for match_id, start, end in sorted(matcher(doc), key=lambda m: m[1]):
        span = doc[start:end]
        s, e = span.start_char, span.end_char
        kind = nlp.vocab.strings[match_id]
        if kind == "credit_code" and ((s > 0 and text[s - 1].isascii() and text[s - 1].isalnum())
                                      or (e < len(text) and text[e].isascii() and text[e].isalnum())):
            continue  # part of a longer token
        out.append((kind, s, e))
    return out


def _name_start(text: str, end_of_ending: int, start_of_ending: int, floor: int) -> int:
    """Where the name ending at `start_of_ending` begins: the run of name characters to its left,
    not past `floor` (the end of the name before it), without a label or the words introducing it."""
    from extractor.understand.registry import all_label_texts

    start = start_of_ending
    while start > floor and start_of_ending - start < MAX_NAME and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    run = text[start:start_of_ending]

    def after_label(at: int) -> int:
        label = max((lab for lab in all_label_texts() if run.startswith(lab, at) and len(run) - at - len(lab) >= 2),
                    key=len, default="")
        return at + len(label)

    cut = after_label(0)
    for m in _INTRODUCERS.finditer(run, cut):
        if len(run) - m.end() >= 2:
            cut = max(cut, m.end())
    cut = after_label(cut)
    english = re.match(r"[A-Za-z][A-Za-z]{3,}(?=[\u4e00-\u9fff])", run[cut:])
    if english and len(run) - cut - english.end() >= 2:
        cut += english.end()  # an English label run together with the name (Thisistocertifythat…, Client…)
    depth, opened = 0, -1
    for k, ch in enumerate(run[cut:], start=cut):
        if ch in "（(":
            depth, opened = depth + 1, k if depth == 0 else opened
        elif ch in "）)":
            if depth == 0 and len(run) - k - 1 >= 2:
                cut = k + 1  # the end of a note before the name (…公章一致）XX有限公司): not part of it
            depth = max(0, depth - 1)
    if depth > 0 and opened >= 0 and len(run) - opened - 1 >= 2:
        cut = opened + 1  # the bracket a name is given in (本单位（XX有限公司）, 检测室（XX有限公司）), not part of it
    return start + cut


def find_typed(text: str, anchors: Callable[[str], list[tuple[str, int, int]]] = regex_anchors) -> list[Typed]:
    """Every typed candidate in `text` (offsets into `text`)."""
    found: list[Typed] = []
    floor = 0
    for kind, s, e in anchors(text):
        if kind == "credit_code":
            found.append(Typed(kind, text[s:e], s, e, text[s:e]))
            continue
        begin = _name_start(text, e, s, floor)
        previous = found[-1] if found and found[-1].kind == "organisation" and found[-1].end == floor else None
        if previous is not None and begin == floor and floor > 0:
            # a body within a body, run together (中国质量协会用户委员会, XX有限公司检测中心): one name
            found[-1] = Typed("organisation", values.normalise_company(text[previous.start:e]), previous.start, e,
                              text[previous.start:e])
            floor = e
            continue
        name = values.normalise_company(text[begin:e])
        floor = e
        if len(name) < 4 or name in ORG_ENDINGS:
            continue
        found.append(Typed("organisation", name, begin, e, text[begin:e]))
    for date in values.find_dates(text):
        found.append(Typed("date", date.value, date.start, date.end, text[date.start:date.end]))
    for std in values.find_standards(text):
        normal = values.normalise_standard(std.value)
        if normal:
            found.append(Typed("standard", normal, std.start, std.end, text[std.start:std.end]))
    return found


def organisations(text: str) -> list[Typed]:
    return [t for t in find_typed(text) if t.kind == "organisation"]
