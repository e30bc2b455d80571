"""Seals of a document as the report gives them: page, box, ring text, what kind of seal, and the
line it sits on (the 盖章 / 单位公章 anchor, a signature, a date)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractor.ocr.ctc import ring_match
from extractor.understand.values import normalise_company
from models import Page, PageSeal, ParsedDocument, Seal
from models.geometry import BBox

# Words of a line a seal is meant to sit on or beside (落款).
_ANCHOR = re.compile(
    r"盖章|盖公章|公章|签章|（章）|\(章\)|专用章|签字|签名|法定代表人|负责人|登记机关|发证机关|测评机构|"
    r"推荐单位|申报单位|检验检测机构|批准人|日期|\d{4}\s*年\s*\d{0,2}\s*月|年\s+月\s+日"
)
ANCHOR_REACH = 0.6  # a line within this share of the seal's diameter of its box is its anchor
SPECIAL = "专用章"
PERSONAL_MAX_SIDE = 0.09  # a square seal smaller than this share of the page is a personal 名章


def seal_kind(seal: PageSeal) -> str:
    """official (公章) | special_purpose (专用章: contract, finance, invoice, inspection …) |
    personal (法定代表人名章, small and square) | unknown (nothing legible)."""
    if SPECIAL in (seal.centre_text or "") or (seal.text or "").endswith(SPECIAL):
        return "special_purpose"
    x0, y0, x1, y1 = seal.bbox
    if seal.shape == "square" and max(x1 - x0, y1 - y0) <= PERSONAL_MAX_SIDE:
        return "personal"
    if seal.shape == "oval":  # 发票专用章 and other oval seals are never the organisation seal
        return "special_purpose"
    return "official" if seal.text else "unknown"


def _gap(a: BBox, b: BBox) -> float:
    """Distance between two boxes (0 when they overlap)."""
    dx = max(0.0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0.0, max(a[1], b[1]) - min(a[3], b[3]))
    return float((dx * dx + dy * dy) ** 0.5)


def anchor_line(page: Page, seal: PageSeal) -> str | None:
    """The nearest line naming where a seal belongs (盖章, 公章, a signature, a date), if one lies
    under or beside the seal."""
    x0, y0, x1, y1 = seal.bbox
    reach = max(x1 - x0, y1 - y0) * ANCHOR_REACH
    best: tuple[float, str] | None = None
    for line in page.lines:
        if line.bbox is None or not _ANCHOR.search(line.text):
            continue
        gap = _gap(seal.bbox, line.bbox)
        if gap <= reach and (best is None or gap < best[0]):
            best = (gap, line.text.strip()[:60])
    return best[1] if best else None


def document_seals(doc: ParsedDocument) -> list[Seal]:
    return [
        Seal(
            page=page.number,
            bbox=seal.bbox,
            text=seal.text,
            confidence=seal.confidence,
            text_confidence=seal.text_confidence if seal.text else None,
            shape=seal.shape,
            colour=seal.colour,
            centre_text=seal.centre_text,
            code=seal.code,
            kind=seal_kind(seal),
            anchor=anchor_line(page, seal),
            cut=seal.cut,
            ring=seal.ring,
        )
        for page in doc.pages
        for seal in page.seals
    ]


def seal_name_similarity(seal_text: str, name: str) -> float:
    """0..1: how well a seal's ring text names an organisation (after name normalisation). A ring
    read partly (a character lost under a fold) still scores high; another organisation does not."""
    a, b = normalise_company(seal_text), normalise_company(name)
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


def seal_name_match(seal: Seal, name: str) -> float | None:
    """0..1: how surely the seal's ring says `name` — the CTC probability of the name on the ring's
    kept strip against the recogniser's own reading (extractor/ocr/ctc.py), simplified and
    traditional alike, brackets or none; None when no strip was kept (a text-layer seal, an engine
    that gives no per-frame output). Unlike `seal_name_similarity` it does not depend on the best
    reading: a worn ring read as 台潭金瑞有区 still says 鹰潭金瑞有色, and one that says 恒达 does not
    say 恒通."""
    if seal.ring is None:
        return None
    target = normalise_company(name)
    if not target:
        return 0.0
    bare = target.replace("（", "").replace("）", "")
    return round(max(ring_match(seal.ring, t) for t in dict.fromkeys((target, bare))), 4)
