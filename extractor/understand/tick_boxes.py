"""Tick boxes as they appear in text from any source: Word glyphs (normalised to ☑/☐ by the
parser), OCR'd glyphs (☑ ☒ ■ √ ✓ ✔ for ticked, ☐ □ for empty) before the label, or the mark in
brackets after it (卓越品牌（√）)."""

import re
from dataclasses import dataclass

CHECKED_GLYPHS = "☑☒■√✓✔▣"
UNCHECKED_GLYPHS = "☐□"
_BOX = re.compile(
    rf"([{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}])\s*([^\s（()）{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}][^\s{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}]{{0,19}})"
)
# the other way forms print it: the label, then its mark in brackets (卓越品牌（√） 优质品牌（ ）)
_BRACKET_MARK = re.compile(
    rf"([^\s（()）{CHECKED_GLYPHS}{UNCHECKED_GLYPHS}]{{1,20}})\s*[（(]\s*([{CHECKED_GLYPHS}]?)\s*[)）]"
)


@dataclass(frozen=True)
class TickBox:
    label: str
    checked: bool
    glyph: str


def tick_boxes(text: str) -> list[TickBox]:
    """Every box glyph followed by its label, in order: '☑优质品牌 ☐卓越品牌' → two boxes."""
    boxes = []
    for glyph, label in _BOX.findall(text):
        label = label.rstrip("，,;；、")
        if label:
            boxes.append(TickBox(label=label, checked=glyph in CHECKED_GLYPHS, glyph=glyph))
    if boxes:
        return boxes
    for label, glyph in _BRACKET_MARK.findall(text):
        label = label.lstrip("，,;；、:：")
        if label:
            boxes.append(TickBox(label=label, checked=bool(glyph), glyph=glyph or "（ ）"))
    return boxes


def checked_labels(text: str) -> list[str]:
    return [box.label for box in tick_boxes(text) if box.checked]
