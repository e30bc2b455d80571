"""Red (and blue) official seals on a page image, found by colour and shape, not by the text detector.

A seal is ink of one colour whose outline is a closed ring (round or oval) or a square frame, with
sparse ink inside (the name, a star, a centre line). The ring is what tells a seal from red text, a
red heading or a logo: the share of the outline that carries ink (its coverage) is measured only
over the part of the outline inside the image, so a seal cut by the page edge is still a seal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

WORK_SIDE = 1200  # colour and shape are judged on a copy this large (long side), boxes scaled back
MIN_DIAMETER_SHARE = 0.045  # of the page's short side: smaller red blobs are not seals
MIN_DIAMETER_PX = 28  # on the work copy
RING_MIN_COVERAGE = 0.62  # share of the (visible) outline that must carry ink
INTERIOR_DENSITY = (0.02, 0.62)  # ink share inside the ring: sparse, not empty, not solid
# A seal's border is a thin line (1-1.5 mm round a 38-42 mm seal: 0.06-0.08 of the radius; 0.15 on
# small blurred invoice ovals); a ring drawn this thick is artwork (a logo's letter), not a border.
MAX_BORDER_STROKE = 0.22  # median ink run inward from the outline, as a share of the mean half axis
COLOURS = ("red", "blue")
SQUARE_MAX_SHARE = 0.45  # square seals (名章, 财务章) are small; a larger square is a border or frame
# a stamp pad's hue (OpenCV's 0..180 scale) and lightness: printed red or blue is darker or browner
PURE_HUE = {"red": (172, 8), "blue": (100, 130)}
PURE_MIN_VALUE = 170
LETTER_SIZE = (0.06, 0.4)  # a ring character's size as a share of the seal's mean half axis
TEXT_LINE_NEIGHBOURS = 2  # blobs of like height beside a candidate that make it a glyph in a line of text


Rect = tuple[int, int, int, int]  # x, y, width, height


@dataclass(frozen=True)
class SealShape:
    """A seal found on a page, in pixels of the image it was found on."""

    colour: str  # red | blue
    shape: str  # round | oval | square
    cx: float
    cy: float
    rx: float  # half axes (round: equal); square: half sides
    ry: float
    angle: float  # degrees, the ellipse's or square's rotation
    coverage: float  # share of the visible outline carrying ink
    density: float  # share of ink inside
    cut: bool  # part of the outline lies outside the image
    confidence: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        r = max(self.rx, self.ry)
        return (self.cx - r, self.cy - r, self.cx + r, self.cy + r)


def colour_strength(bgr: np.ndarray, colour: str) -> np.ndarray:
    """How much a pixel leans to the seal colour: red - max(green, blue) (or blue - max(red, green)),
    0..255. Black text, grey paper and white are near 0; seal ink, even faded, is well above."""
    b = bgr[:, :, 0].astype(np.int16)
    g = bgr[:, :, 1].astype(np.int16)
    r = bgr[:, :, 2].astype(np.int16)
    lean = r - np.maximum(g, b) if colour == "red" else b - np.maximum(r, g)
    return np.clip(lean, 0, 255).astype(np.uint8)


def ink_mask(bgr: np.ndarray, colour: str, threshold: int = 45) -> np.ndarray:
    """Seal-coloured pixels (uint8 0/255)."""
    strength = colour_strength(bgr, colour)
    bright = bgr.max(axis=2) >= 90  # very dark pixels are text, whatever their hue
    return ((strength >= threshold) & bright).astype(np.uint8) * 255


def has_seal_colour(bgr: np.ndarray) -> bool:
    """Whether enough seal-coloured ink is on the page to look further (numpy only, on a sparse
    sample: a grey or black-and-white page costs next to nothing and loads no OpenCV)."""
    step = max(1, min(bgr.shape[:2]) // 400)
    sample = bgr[::step, ::step]
    needed = max(20, int(sample.shape[0] * sample.shape[1] * 0.0004))
    return any(int((ink_mask(sample, colour) > 0).sum()) >= needed for colour in COLOURS)


def _work_copy(bgr: np.ndarray) -> tuple[np.ndarray, float]:
    import cv2

    h, w = bgr.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h, w))
    if scale < 1.0:
        bgr = cv2.resize(bgr, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    return bgr, scale


def _ink_on_ellipses(
    mask: np.ndarray, cx: float, cy: float, rx: float, ry: float, angle: float, degrees: np.ndarray, ks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Ink at the points of the ellipse scaled by each of `ks` (rows) at each of `degrees` (columns),
    and which of those points lie inside the image."""
    h, w = mask.shape
    t = np.radians(degrees)
    rad = math.radians(angle)
    ex, ey = rx * np.cos(t), ry * np.sin(t)
    xi = np.round(cx + np.outer(ks, ex * math.cos(rad) - ey * math.sin(rad))).astype(int)
    yi = np.round(cy + np.outer(ks, ex * math.sin(rad) + ey * math.cos(rad))).astype(int)
    valid = (xi >= 0) & (xi < w) & (yi >= 0) & (yi < h)
    ink = np.zeros_like(valid)
    ink[valid] = mask[yi[valid], xi[valid]] > 0
    return ink, valid


def outline_coverage(
    mask: np.ndarray, cx: float, cy: float, rx: float, ry: float, angle: float, band: float
) -> tuple[float, bool]:
    """Share of the ellipse outline (sampled at 360 angles, inside the image) with ink within
    `band` (a share of the radius) of it; and whether part of the outline lies outside the image."""
    ks = np.linspace(1.0 - band, 1.0 + band * 0.4, 7)
    hit, valid = _ink_on_ellipses(mask, cx, cy, rx, ry, angle, np.arange(360), ks)
    visible = valid[-1] | valid[len(ks) // 2]  # the outline itself is inside the image
    per_angle = hit.any(axis=0)
    inside = int(visible.sum())
    inked = int((per_angle & visible).sum())
    cut = inside < 340
    return (inked / inside if inside else 0.0), cut


def border_stroke(mask: np.ndarray, cx: float, cy: float, rx: float, ry: float, angle: float) -> float:
    """How thick the ring's outer line is, as a share of the ring's radius: along 72 rays from the
    centre, the run of ink met first coming in from just outside the outline; the median of the
    rays that meet ink near the outline."""
    ks = np.linspace(1.15, 0.3, 171)  # from outside the outline inwards, 0.005 of the radius a step
    ink, _ = _ink_on_ellipses(mask, cx, cy, rx, ry, angle, np.arange(0, 360, 5), ks)
    runs = []
    for ray in ink.T:
        first = int(np.argmax(ray))
        if not ray[first] or ks[first] < 0.8:  # no ink near the outline on this ray (a gap, a cut)
            continue
        gap = np.flatnonzero(~ray[first:])
        runs.append((ks[first] - ks[first + int(gap[0])]) if gap.size else ks[first] - ks[-1])
    return float(np.median(runs)) if runs else 0.0


def _square_coverage(mask: np.ndarray, rect: tuple, band_px: float) -> float:
    """Share of a rotated rectangle's border (sampled) with ink near it."""
    import cv2

    corners = cv2.boxPoints(rect)
    h, w = mask.shape
    samples = 0
    inked = 0
    centre = np.mean(corners, axis=0)
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        for s in np.linspace(0, 1, 60, endpoint=False):
            p = a + (b - a) * s
            inward = centre - p
            inward = inward / (np.linalg.norm(inward) or 1.0)
            hit = False
            any_inside = False
            for d in np.linspace(-band_px * 0.3, band_px, 6):
                x, y = round(p[0] + inward[0] * d), round(p[1] + inward[1] * d)
                if 0 <= x < w and 0 <= y < h:
                    any_inside = True
                    if mask[y, x]:
                        hit = True
                        break
            if any_inside:
                samples += 1
                inked += hit
    return inked / samples if samples else 0.0


def _as_square(
    outline: np.ndarray, mask: np.ndarray, min_diameter: float
) -> tuple[tuple[float, float], tuple[float, float], float, float, bool] | None:
    """A square frame: the outline fills its rotated bounding rectangle (a circle fills π/4 of
    it) and ink runs along the rectangle's border. (centre, half sides, angle, coverage, cut)."""
    import cv2

    points = outline.astype(np.float32)
    rect = cv2.minAreaRect(points)
    sw, sh = rect[1]
    if min(sw, sh) < min_diameter * 0.6 or min(sw, sh) / max(sw, sh) < 0.6:
        return None
    if max(sw, sh) > SQUARE_MAX_SHARE * min(mask.shape):  # a coloured page frame, not a 名章
        return None
    if cv2.contourArea(cv2.convexHull(points)) < 0.9 * sw * sh:
        return None
    coverage = _square_coverage(mask, rect, min(sw, sh) * 0.12)
    if coverage < RING_MIN_COVERAGE:
        return None
    h, w = mask.shape
    corners = cv2.boxPoints(rect)
    cut = bool((corners[:, 0] < 0).any() or (corners[:, 0] > w - 1).any()
               or (corners[:, 1] < 0).any() or (corners[:, 1] > h - 1).any())
    return (float(rect[0][0]), float(rect[0][1])), (sw / 2.0, sh / 2.0), float(rect[2]), coverage, cut


def interior_density(mask: np.ndarray, cx: float, cy: float, rx: float, ry: float, angle: float) -> float:
    """Share of ink inside the ring (within 0.85 of its half axes)."""
    import cv2

    inner = np.zeros_like(mask)
    cv2.ellipse(inner, ((cx, cy), (rx * 1.7, ry * 1.7), angle), 255, -1)
    area = int((inner > 0).sum())
    if area == 0:
        return 0.0
    return float(((mask > 0) & (inner > 0)).sum()) / area


def _candidate(contour: np.ndarray, mask: np.ndarray, colour: str, min_diameter: float) -> SealShape | None:
    import cv2

    _x, _y, bw, bh = cv2.boundingRect(contour)
    if max(bw, bh) < min_diameter:
        return None
    h, w = mask.shape
    pts = contour.reshape(-1, 2)
    # points on the image border belong to the cut, not to the seal's outline
    keep = (pts[:, 0] > 1) & (pts[:, 0] < w - 2) & (pts[:, 1] > 1) & (pts[:, 1] < h - 2)
    outline = pts[keep] if keep.sum() >= 12 else pts
    if len(outline) < 5:
        return None
    square = _as_square(outline, mask, min_diameter)
    if square is not None:
        shape, (cx, cy), (rx, ry), angle, coverage, cut = "square", *square
    else:
        (cx, cy), (ax1, ax2), angle = cv2.fitEllipse(outline.astype(np.float32))
        rx, ry = ax1 / 2.0, ax2 / 2.0
        if not (math.isfinite(rx) and math.isfinite(ry)) or min(rx, ry) <= 2:
            return None
        if max(rx, ry) * 2 < min_diameter or max(rx, ry) > max(h, w):
            return None
        ratio = min(rx, ry) / max(rx, ry)
        if ratio < 0.45:
            return None
        shape = "round" if ratio >= 0.86 else "oval"
        coverage, cut = outline_coverage(mask, cx, cy, rx, ry, angle, 0.12)
        if coverage < RING_MIN_COVERAGE:
            return None
        if border_stroke(mask, cx, cy, rx, ry, angle) > MAX_BORDER_STROKE:
            return None
    density = interior_density(mask, cx, cy, rx, ry, angle)
    if not (INTERIOR_DENSITY[0] <= density <= INTERIOR_DENSITY[1]):
        return None
    confidence = 0.6 + 0.4 * (coverage - RING_MIN_COVERAGE) / (1.0 - RING_MIN_COVERAGE)
    if cut:
        confidence *= 0.9
    return SealShape(colour, shape, float(cx), float(cy), float(rx), float(ry), float(angle),
                     round(coverage, 3), round(density, 3), cut, round(max(0.0, min(1.0, confidence)), 3))


def find_seals(bgr: np.ndarray) -> list[SealShape]:
    """Every seal on a page image (BGR), largest first, in the image's own pixels: by colour, and
    rings that lost their colour (colour "grey", to be confirmed by reading their ring)."""
    import cv2

    from extractor.vision.seal_grey import find_grey_seals

    if bgr.ndim != 3 or bgr.shape[2] != 3:
        return []
    coloured = has_seal_colour(bgr)
    work, scale = _work_copy(bgr)
    h, w = work.shape[:2]
    min_diameter = max(MIN_DIAMETER_PX, MIN_DIAMETER_SHARE * min(h, w))
    found: list[SealShape] = []
    for colour in COLOURS if coloured else ():
        base = ink_mask(work, colour)
        if int((base > 0).sum()) < min_diameter * 4:
            continue
        k = max(3, round(min(h, w) / 160) | 1)
        kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
        glyphs: list[Rect] = []  # the blobs of the ink as it is (the first view)
        for view, mask in enumerate(_mask_views(work, base, colour)):
            contours, _ = cv2.findContours(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel), cv2.RETR_EXTERNAL,
                                           cv2.CHAIN_APPROX_NONE)
            rects: list[Rect] = [tuple(int(v) for v in cv2.boundingRect(c)) for c in contours]  # type: ignore[misc]
            if view == 0:
                glyphs = rects
            for contour, rect in zip(contours, rects, strict=True):
                seal = _candidate(contour, mask, colour, min_diameter)
                # a piece of a glyph (its frame taken away with the rules) is judged by the whole glyph
                if seal is not None and not _in_text_line(rect, rects) and not _in_text_line(
                        _blob_at(glyphs, seal.cx, seal.cy) or rect, glyphs):
                    found.append(seal)
    found = _drop_nested(found)
    found += find_grey_seals(work, found)
    if scale < 1.0:
        found = [_rescale(s, 1.0 / scale) for s in found]
    return sorted(found, key=lambda s: -(s.rx * s.ry))


def lettered_band(bgr: np.ndarray, seal: SealShape) -> tuple[int, float]:
    """Marks of a character's size inside the ring's text band (between 0.4 and 0.88 of its half
    axes), and the degrees of the ring they cover: a seal's ring carries a row of characters even
    where they are too small or worn to read; an emblem's ring (CNAS, IAF, CNAB) carries a few large
    letters or a solid field."""
    import cv2

    r = (seal.rx + seal.ry) / 2.0
    if r <= 0:
        return 0, 0.0
    x0, y0 = max(0, int(seal.cx - r * 1.1)), max(0, int(seal.cy - r * 1.1))
    x1, y1 = int(seal.cx + r * 1.1) + 1, int(seal.cy + r * 1.1) + 1
    colour = seal.colour if seal.colour in COLOURS else "red"
    mask = ink_mask(bgr[y0:y1, x0:x1], colour)
    count, _, stats, centres = cv2.connectedComponentsWithStats(mask, connectivity=8)
    rot = math.radians(seal.angle)
    sectors: set[int] = set()
    marks = 0
    for i in range(1, count):
        _x, _y, w, h, area = stats[i]
        if area < 4 or not LETTER_SIZE[0] <= max(w, h) / r <= LETTER_SIZE[1]:
            continue
        dx, dy = centres[i][0] + x0 - seal.cx, centres[i][1] + y0 - seal.cy
        u = dx * math.cos(rot) + dy * math.sin(rot)
        v = -dx * math.sin(rot) + dy * math.cos(rot)
        if 0.4 <= math.hypot(u / seal.rx, v / seal.ry) <= 0.88:
            marks += 1
            sectors.add(int((math.degrees(math.atan2(dy, dx)) % 360.0) // 15))
    return marks, len(sectors) * 15.0


def _mask_views(work: np.ndarray, base: np.ndarray, colour: str) -> list[np.ndarray]:
    """The seal-coloured ink seen four ways, since stamps overlap what is printed in a like colour
    (the red rules, headings and labels of an invoice): as it is; without long straight strokes
    (table rules, underlines: a seal has none); only the ink of a stamp pad's pure, light hue (printed
    red is darker or browner); and that without straight strokes. A seal found in any view is a
    candidate; the same seal found twice is kept once."""
    import cv2

    hsv = cv2.cvtColor(work, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    lo, hi = PURE_HUE[colour]
    pure_hue = ((hue >= lo) & (hue <= hi)) if lo <= hi else ((hue >= lo) | (hue <= hi))
    pure = np.where(pure_hue & (sat >= 60) & (val >= PURE_MIN_VALUE), base, 0).astype(np.uint8)
    return [base, _without_rules(base), pure, _without_rules(pure)]


def _without_rules(mask: np.ndarray) -> np.ndarray:
    """The mask without long horizontal or vertical strokes (table rules, underlines, frames)."""
    import cv2

    length = max(15, int(min(mask.shape) * 0.06))
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length)))
    return np.asarray(cv2.subtract(mask, cv2.bitwise_or(horizontal, vertical)))


def _in_text_line(rect: Rect, rects: list[Rect]) -> bool:
    """Whether a blob is one glyph of a line of large coloured characters (a red letterhead): two or
    more blobs of about its height stand beside it on the same line. Seals side by side differ in size
    or stand apart."""
    x, y, w, h = rect
    cy = y + h / 2.0
    cx = x + w / 2.0
    beside = 0
    for ox, oy, ow, oh in rects:
        if (ox, oy, ow, oh) == rect or not 0.8 <= oh / h <= 1.25:
            continue
        if abs(oy + oh / 2.0 - cy) <= 0.3 * h and abs(ox + ow / 2.0 - cx) <= 3.0 * h:
            beside += 1
    return beside >= TEXT_LINE_NEIGHBOURS


def _blob_at(rects: list[Rect], x: float, y: float) -> Rect | None:
    """The smallest blob whose box holds the point."""
    holding = [r for r in rects if r[0] <= x <= r[0] + r[2] and r[1] <= y <= r[1] + r[3]]
    return min(holding, key=lambda r: r[2] * r[3], default=None)


def _drop_nested(seals: list[SealShape]) -> list[SealShape]:
    """A ring inside a larger seal (a double ring, the centre star's outline) is not a second seal."""
    kept: list[SealShape] = []
    for seal in sorted(seals, key=lambda s: -(s.rx * s.ry)):
        if any(math.hypot(seal.cx - k.cx, seal.cy - k.cy) < max(k.rx, k.ry) * 0.8 for k in kept):
            continue
        kept.append(seal)
    return kept


def _rescale(seal: SealShape, factor: float) -> SealShape:
    return replace(seal, cx=seal.cx * factor, cy=seal.cy * factor, rx=seal.rx * factor, ry=seal.ry * factor)
