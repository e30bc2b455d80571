"""Reading a seal: the name round its upper arc, the number on its lower arc, the centre line.

Each run of ink round the ring is unwrapped both ways and recognised as one line; the reading the
recogniser is surer of says which way it runs. Clockwise runs of Chinese are the name (joined in
reading order when the ring breaks between characters), an anticlockwise run of digits is the seal
number, and the horizontal line below the star (专用章 …) is read separately so that it never
becomes part of the name.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from extractor.ocr.ctc import join
from extractor.ocr.types import LineEngine, LineProbsEngine, SealRead
from extractor.vision.seal_detect import SealShape, lettered_band
from extractor.vision.seal_ring import (
    Arc,
    RingGeometry,
    arc_strip,
    arcs,
    centre_line,
    fill_under_text,
    ink_image,
    polar,
    ring_geometry,
    upper_and_lower,
)
from models.ring import RingProbs

MAX_ARCS = 4
LONG_ARC_DEG = 200.0  # an arc longer than this that reads badly may hold the name and a lower line joined
MIN_NAME_SCORE = 0.5
MIN_BAND_MARKS = 8  # character-sized marks round a blue ring's text band that make it a seal unread
MIN_BAND_DEGREES = 120.0
MIN_CODE_SCORE = 0.5
CROP_MARGIN = 1.15
MIN_READ_RADIUS = 110.0  # px: smaller seals are enlarged to this mean half axis before their ring is read

_CJK = re.compile(r"[\u4e00-\u9fff]")
_KEEP = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z（）()]")
_NAME_KEEP = re.compile(r"[^\u4e00-\u9fff（）()]")  # a seal's name is Chinese (国发〔1999〕25号): Latin is noise
_MIN_NAME = {"blue": 2, "grey": 4}  # Chinese characters a ring must read to count as a seal
NAME_JOIN_GAP = 30.0  # degrees: a one-character arc this close to the name is part of it


@dataclass(frozen=True)
class ArcReading:
    arc: Arc
    clockwise: bool
    text: str
    score: float
    probs: RingProbs | None = None  # the recogniser's output on the strip read (extractor/ocr/ctc.py)


def _recognise(engine: LineEngine, image: np.ndarray) -> tuple[str, float, RingProbs | None]:
    """The line's reading, and its per-frame output when the engine gives it."""
    if hasattr(engine, "recognize_line_probs"):
        probs_engine: LineProbsEngine = engine  # type: ignore[assignment]
        return probs_engine.recognize_line_probs(image)
    text, score = engine.recognize_line(image)
    return text, score, None


@functools.cache
def _t2s() -> Any:
    from opencc_purepy import OpenCC

    return OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional forms in simplified ones (廈門 → 厦门, 協 → 协): the recogniser reads some seal
    glyphs as traditional, and some seals are cut in traditional characters. OpenCC's tables ship
    inside the opencc-purepy wheel."""
    return str(_t2s().convert(text)) if text else text


def clean_seal_text(text: str) -> str:
    """Only what a seal says: CJK, digits, Latin letters and brackets; stars and specks dropped."""
    return _KEEP.sub("", text)


def _crop(image: np.ndarray, seal: SealShape) -> tuple[np.ndarray, SealShape]:
    """The seal's neighbourhood, and the seal in its coordinates (less work than the whole page). A
    small seal (an invoice's 监制章, a stamp on a phone photo of a whole page) is enlarged so that its
    characters are as tall as the recogniser's lines: a ring unwrapped from a few pixels of text
    reads as specks."""
    import cv2

    h, w = image.shape[:2]
    r = max(seal.rx, seal.ry) * CROP_MARGIN
    x0, y0 = int(max(0, seal.cx - r)), int(max(0, seal.cy - r))
    x1, y1 = int(min(w, seal.cx + r + 1)), int(min(h, seal.cy + r + 1))
    crop, local = image[y0:y1, x0:x1], replace(seal, cx=seal.cx - x0, cy=seal.cy - y0)
    r_mean = (seal.rx + seal.ry) / 2.0
    if 0 < r_mean < MIN_READ_RADIUS and crop.size:
        f = MIN_READ_RADIUS / r_mean
        crop = cv2.resize(crop, (round(crop.shape[1] * f), round(crop.shape[0] * f)), interpolation=cv2.INTER_CUBIC)
        local = replace(local, cx=local.cx * f, cy=local.cy * f, rx=local.rx * f, ry=local.ry * f)
    return crop, local


def _bgr(grey: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))


def _read_arc(
    engine: LineEngine, grey: np.ndarray, filled: np.ndarray, seal: SealShape, arc: Arc, geometry: RingGeometry
) -> ArcReading:
    """The arc read both ways; the way with the surer reading wins. The upright way is read a
    second time on a tighter band (less of what lies inside the ring, less fan-shaped distortion)
    and the surer of the two readings kept."""
    readings = []
    for clockwise in (True, False):
        strip = arc_strip(grey, seal, arc, geometry, clockwise)
        text, score, probs = _recognise(engine, _bgr(strip))
        readings.append(ArcReading(arc, clockwise, clean_seal_text(text), score, probs))
    best = max(readings, key=lambda r: (r.score * min(len(r.text), 4), r.score))
    tight = RingGeometry(geometry.ring_inner, geometry.text_outer + 0.01, geometry.text_inner + 0.06)
    for image, geo in ((grey, tight), (filled, geometry)):
        text, score, probs = _recognise(engine, _bgr(arc_strip(image, seal, arc, geo, best.clockwise)))
        again = ArcReading(arc, best.clockwise, clean_seal_text(text), score, probs)
        if again.score > best.score and len(again.text) >= len(best.text) - 1:
            best = again
    return best


def _name_arcs(readings: list[ArcReading]) -> list[ArcReading]:
    """Clockwise readings of Chinese: the name's arcs. An arc of one character (the ring broke
    before the last character) joins them when it lies right beside one."""
    chinese = [r for r in readings if r.clockwise and r.score >= MIN_NAME_SCORE and _CJK.search(r.text)]
    main = [r for r in chinese if len(_CJK.findall(r.text)) >= 2]

    def beside(r: ArcReading) -> bool:
        for m in main:
            after = (r.arc.start - (m.arc.start + m.arc.span)) % 360.0
            before = (m.arc.start - (r.arc.start + r.arc.span)) % 360.0
            if min(after, before) <= NAME_JOIN_GAP:
                return True
        return False

    return main + [r for r in chinese if r not in main and beside(r)]


def _name_order(parts: list[ArcReading]) -> list[ArcReading]:
    """Name arcs in reading order: clockwise, starting after the widest gap between them."""
    ordered = sorted(parts, key=lambda p: p.arc.start)
    if len(ordered) < 2:
        return ordered
    gaps = []
    for i, part in enumerate(ordered):
        nxt = ordered[(i + 1) % len(ordered)]
        gaps.append(((nxt.arc.start - (part.arc.start + part.arc.span)) % 360.0, (i + 1) % len(ordered)))
    _, first = max(gaps)
    return ordered[first:] + ordered[:first]


def _up_angle(parts: list[ArcReading]) -> float:
    """Where the seal's top lies: the middle of the name's extent."""
    if not parts:
        return 270.0
    first, last = parts[0].arc, parts[-1].arc
    extent = (last.start + last.span - first.start) % 360.0 or 360.0
    return (first.start + extent / 2.0) % 360.0


def _inside_frame(square: np.ndarray) -> np.ndarray:
    """What a square seal's frame encloses: from each side inwards past the rows (columns) that
    are mostly ink (the frame) and the paper after them."""
    ink = square < 128
    h, w = ink.shape
    if h < 8 or w < 8:
        return square

    def inward(share: np.ndarray) -> int:
        limit = len(share) // 3
        i = 0
        while i < limit and share[i] < 0.5:
            i += 1  # paper outside the frame
        while i < limit and share[i] >= 0.5:
            i += 1  # the frame itself
        return i if i < limit else 0

    rows, cols = ink.mean(axis=1), ink.mean(axis=0)
    top, bottom = inward(rows), h - inward(rows[::-1])
    left, right = inward(cols), w - inward(cols[::-1])
    return square[top:bottom, left:right]


def _square_name(engine: LineEngine, crop: np.ndarray, seal: SealShape) -> tuple[str | None, float]:
    """A square seal's characters (a 名章: 李庆国印), two by two inside the frame, read in columns from
    the right as seals are cut; the cells laid side by side make one line for the recogniser. The
    row order (left to right) is tried too and the surer reading kept."""
    import cv2

    grey = ink_image(crop, seal.colour)
    if abs(seal.angle) % 90 > 3:
        turn = cv2.getRotationMatrix2D((seal.cx, seal.cy), seal.angle % 90 if seal.angle % 90 < 45
                                       else seal.angle % 90 - 90, 1.0)
        grey = cv2.warpAffine(grey, turn, grey.shape[::-1], borderValue=255)
    half = min(seal.rx, seal.ry) * 1.05
    x0, y0 = max(0, round(seal.cx - half)), max(0, round(seal.cy - half))
    inner = _inside_frame(grey[y0:round(seal.cy + half), x0:round(seal.cx + half)])
    if min(inner.shape[:2]) < 8:
        return None, 0.0
    h, w = inner.shape[:2]
    cells = {(r, c): inner[r * h // 2:(r + 1) * h // 2, c * w // 2:(c + 1) * w // 2] for r in (0, 1) for c in (0, 1)}
    height = min(cell.shape[0] for cell in cells.values())
    best: tuple[str | None, float] = (None, 0.0)
    for order in (((0, 1), (1, 1), (0, 0), (1, 0)), ((0, 0), (0, 1), (1, 0), (1, 1))):
        line = np.hstack([cv2.resize(cells[k], (cells[k].shape[1], height)) for k in order])
        pad = max(4, height // 6)
        line = cv2.copyMakeBorder(line, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
        text, score = engine.recognize_line(_bgr(line))
        text = _NAME_KEEP.sub("", simplified(text))
        if len(text) >= 2 and score > best[1] + 0.05:
            best = (text, score)
    return best


def read_seal(engine: LineEngine, image: np.ndarray, seal: SealShape) -> SealRead:
    crop, local = _crop(image, seal)
    if seal.shape == "square":
        name, score = _square_name(engine, crop, local)
        return _read(image, seal, text=name if score >= MIN_NAME_SCORE else None, text_score=round(score, 3))
    grey = ink_image(crop, seal.colour)
    unwrapped = polar(grey, local)
    geometry = ring_geometry(unwrapped)
    found = arcs(unwrapped, geometry)[:MAX_ARCS]
    filled = fill_under_text(crop, grey)
    readings: list[ArcReading] = []
    for arc in found:
        whole = _read_arc(engine, grey, filled, local, arc, geometry)
        if arc.span > LONG_ARC_DEG and whole.score < MIN_NAME_SCORE:
            halves = [_read_arc(engine, grey, filled, local, half, geometry) for half in upper_and_lower(arc)]
            if halves and max(h.score for h in halves) > whole.score:
                readings.extend(halves)
                continue
        readings.append(whole)
    names = _name_arcs(readings)
    codes = [r for r in readings if not r.clockwise and sum(c.isdigit() for c in r.text) >= 6
             and r.score >= MIN_CODE_SCORE]
    parts = _name_order(names)
    name = _NAME_KEEP.sub("", simplified("".join(p.text for p in parts))) or None
    name_score = float(np.mean([p.score for p in parts])) if parts else 0.0
    centre = None
    strip = centre_line(grey, local, _up_angle(parts)) if found else None
    if strip is not None:
        text, score = engine.recognize_line(_bgr(strip))
        text = clean_seal_text(text)
        centre = text if score >= 0.5 and len(_CJK.findall(text)) >= 2 else None
    code = max(codes, key=lambda r: r.score).text if codes else None
    ring = join([r.probs for r in _name_order([r for r in readings if r.clockwise]) if r.probs is not None])
    return _read(image, seal, text=name, text_score=round(min(1.0, max(0.0, name_score)), 3), centre_text=centre,
                 code=code, ring=ring)


def _read(image: np.ndarray, seal: SealShape, **reading: Any) -> SealRead:
    """What was read of a seal, with its box clipped to the page image."""
    x0, y0, x1, y1 = seal.box
    h, w = image.shape[:2]
    return SealRead(box=(max(0.0, x0), max(0.0, y0), min(float(w), x1), min(float(h), y1)), colour=seal.colour,
                    shape=seal.shape, confidence=seal.confidence, cut=seal.cut, **reading)


def read_seals(engine: LineEngine, image: np.ndarray, seals: list[SealShape]) -> list[SealRead]:
    """The seals read. A red one counts even when unreadable. A blue ring counts when Chinese is read
    on it, or when a row of character-sized marks runs round its text band (a small or faded stamp,
    an invoice's 监制章): a blue emblem (CNAS, IAF, CNAB) has neither. A colourless ring counts only when
    its name is read (else it is a drawn circle)."""
    kept = []
    for shape in seals:
        read = read_seal(engine, image, shape)
        named = bool(read.text) and len(_CJK.findall(read.text or "")) >= _MIN_NAME.get(read.colour, 0)
        if read.colour == "red" or named or (read.colour == "blue" and _lettered(image, shape)):
            kept.append(read)
    return kept


def _lettered(image: np.ndarray, seal: SealShape) -> bool:
    marks, degrees = lettered_band(image, seal)
    return marks >= MIN_BAND_MARKS and degrees >= MIN_BAND_DEGREES
