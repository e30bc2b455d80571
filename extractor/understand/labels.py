"""Field labels as the forms, certificates and reports of the four notices print them.

The labels are the field registry's (registry.py), plus the labels of what the contract does not
read (field `other`: a label is never a value). A label is recognised at the start of a cell (after
whitespace is removed): exactly, or — for OCR, where a character may be lost or misread — by
rapidfuzz on the cell's first characters. The longest
matching label wins (统一社会信用代码 before 代码; 申报企业名称 before 名称).
"""

from dataclasses import dataclass

from rapidfuzz import fuzz

from extractor.understand.registry import labels_for
from extractor.understand.textnorm import compact
from models import DocType

__all__ = ["LabelMatch", "compact", "match_label"]

FUZZY_LABEL_MIN = 85.0
MIN_FUZZY_LEN = 4  # two-character labels are matched exactly only


@dataclass(frozen=True)
class LabelMatch:
    field: str
    label: str
    end: int  # index in the compact text where the value starts
    score: float  # 1.0 exact, less when matched fuzzily


def match_label(text: str, doc_type: DocType) -> LabelMatch | None:
    """The label a cell begins with, if any (text is compacted first)."""
    head = compact(text)
    best: LabelMatch | None = None
    for field, label in labels_for(doc_type):
        if head.startswith(label):
            match = LabelMatch(field, label, len(label), 1.0)
        elif len(label) >= MIN_FUZZY_LEN and len(head) >= len(label) - 1:
            # a character lost (k=-1), misread (0) or added (+1) by OCR
            score, end = max((fuzz.ratio(label, head[: len(label) + k]), len(label) + k) for k in (-1, 0, 1))
            if score < FUZZY_LABEL_MIN:
                continue
            match = LabelMatch(field, label, end, round(score / 100.0, 3))
        else:
            continue
        if best is None or (match.score, len(match.label)) > (best.score, len(best.label)):
            best = match
    return best
