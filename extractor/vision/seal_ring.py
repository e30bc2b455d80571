"""A seal's ring unwrapped into straight strips of text (polar transform), and its centre area.

The organisation's name runs clockwise round the upper arc with the tops of its characters facing
out; a seal number on the lower arc runs the other way with its tops facing in. Both are cut out of
the ring as separate arcs (the ink runs between gaps), and each arc is unwrapped both ways so the
recogniser can say which reading is upright. Only the seal's own colour is kept (black body text
beneath drops out), as dark ink on white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from extractor.vision.seal_detect import SealShape, colour_strength

ANGLE_STEPS = 720  # angular resolution of the unwrapped ring (half-degree)
MIN_ARC_DEG = 14.0  # shorter runs of ink are specks, not text
MAX_GAP_DEG = 10.0  # gaps shorter than this lie between characters of one arc
MIN_TEXT_GAP = 0.05  # share of the radius of paper between the border and the text that moves the band
BORDER_ROW_INK = 0.55  # a radius inked round most of the ring is a border line; text leaves gaps
SMOOTH_DEG = 6.0  # an inked column counts for its neighbours within this window


@dataclass(frozen=True)
class Arc:
    start: float  # degrees in the image (0 = right, 90 = down), clockwise
    span: float  # degrees

    @property
    def middle(self) -> float:
        return (self.start + self.span / 2.0) % 360.0


@dataclass(frozen=True)
class RingGeometry:
    ring_inner: float  # share of the radius where the outer border line ends inwards
    text_outer: float
    text_inner: float


def ink_image(bgr: np.ndarray, colour: str) -> np.ndarray:
    """The seal's colour as dark ink on white (uint8 grey): everything else, black text included,
    becomes paper. Meant for a seal's neighbourhood (its contrast is set by the ink there)."""
    if colour == "grey":  # no colour to tell the seal by: its darkness is all there is
        strength = 255.0 - bgr.mean(axis=2).astype(np.float32)
    else:
        strength = colour_strength(bgr, colour).astype(np.float32)
    inked = strength[strength > 20]
    strongest = float(np.percentile(inked, 90)) if inked.size else 120.0
    # stretched to this seal's own strongest ink, so a faded seal reads as well as a fresh one
    low = min(25.0, max(8.0, 0.15 * strongest))
    high = min(110.0, max(low + 10.0, 0.6 * strongest))
    ink = np.clip((strength - low) * (255.0 / (high - low)), 0, 255)
    return (255 - ink).astype(np.uint8)


def fill_under_text(bgr: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """The seal's ink view with the pixels black body text covers filled in from around them
    (inpainting): where a text line crosses the ring, the seal's strokes beneath are lost to the
    colour view and would read as gaps."""
    import cv2

    dark = (bgr.max(axis=2) < 130).astype(np.uint8) * 255
    if not dark.any():
        return ink
    return np.asarray(cv2.inpaint(ink, dark, 3, cv2.INPAINT_TELEA))


def polar(grey: np.ndarray, seal: SealShape, k_outer: float = 1.08, k_inner: float = 0.0,
          steps: int = ANGLE_STEPS, start_deg: float = 0.0, span_deg: float = 360.0) -> np.ndarray:
    """The ring sampled at `steps` angles (columns, clockwise from `start_deg`, 0 being the
    image's +x axis, over `span_deg`) and radii from k_outer to k_inner of the seal's half axes
    (rows, outside first). Outside the image is paper."""
    import cv2

    r_mean = (seal.rx + seal.ry) / 2.0
    rows = max(8, round(r_mean * (k_outer - k_inner)))
    phi = np.radians(start_deg + np.arange(steps) * span_deg / steps)
    rot = math.radians(seal.angle)
    t = phi - rot  # parametric angle on the ellipse for the image angle phi (exact for circles)
    ks = np.linspace(k_outer, k_inner, rows)
    ex = np.outer(ks, seal.rx * np.cos(t))
    ey = np.outer(ks, seal.ry * np.sin(t))
    map_x = (seal.cx + ex * math.cos(rot) - ey * math.sin(rot)).astype(np.float32)
    map_y = (seal.cy + ex * math.sin(rot) + ey * math.cos(rot)).astype(np.float32)
    return cv2.remap(grey, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def ring_geometry(unwrapped: np.ndarray, k_outer: float = 1.08) -> RingGeometry:
    """Where the border line and the text band lie, from the ink per radius of the unwrapped ring."""
    rows = unwrapped.shape[0]
    ink = (255 - unwrapped.astype(np.float32)).mean(axis=1) / 255.0
    ks = np.linspace(k_outer, 0.0, rows)
    border_zone = (ks >= 0.78) & (ks <= k_outer)
    if not border_zone.any() or ink[border_zone].max() <= 0.02:
        return RingGeometry(0.9, 0.88, 0.52)
    peak = int(np.argmax(np.where(border_zone, ink, -1)))
    level = ink[peak] * 0.45
    i = peak
    while i + 1 < rows and ink[i + 1] >= level and ks[i + 1] > 0.7:
        i += 1
    ring_inner = float(ks[min(i + 1, rows - 1)])
    text_outer = ring_inner - 0.015
    # some rings leave paper between the border and the text (double borders, the small ovals of
    # 监制章): the band then starts where the ink rises again below that gap
    band = np.flatnonzero((ks < ring_inner) & (ks >= 0.3))
    inner_border = band[(ks[band] >= 0.6) & (ink[band] >= BORDER_ROW_INK)]  # a second, inner border line
    if inner_border.size:
        band = band[band > inner_border[-1]]
    if band.size > 2:
        valley = int(band[0])
        while valley + 1 <= band[-1] and ink[valley + 1] <= ink[valley]:
            valley += 1  # down the inner side of the border
        after = np.arange(valley, band[-1] + 1)
        text_peak = float(ink[after].max())
        if text_peak > 0.05 and ink[valley] < 0.3 * text_peak:
            text_top = float(ks[valley + int(np.argmax(ink[after] >= 0.3 * text_peak))]) + 0.03
            if text_top < text_outer - MIN_TEXT_GAP:  # paper, not the border's ragged inner edge
                text_outer = text_top
    return RingGeometry(ring_inner, text_outer, max(0.3, text_outer - 0.385))


def arcs(unwrapped: np.ndarray, geometry: RingGeometry, k_outer: float = 1.08) -> list[Arc]:
    """Runs of ink round the text band, longest first (gaps between characters bridged)."""
    rows, steps = unwrapped.shape
    ks = np.linspace(k_outer, 0.0, rows)
    core = (ks <= geometry.text_outer - 0.03) & (ks >= geometry.text_outer - 0.16)  # clear of a centre line
    if not core.any():
        return []
    deg = 360.0 / steps
    half = max(1, round(SMOOTH_DEG / 2 / deg))
    inked = _inked_columns(unwrapped, core, half)
    # ring characters reach up to the border; a centre line's corners only touch the band's foot
    upper = (ks <= geometry.text_outer - 0.02) & (ks >= geometry.text_outer - 0.10)
    tall = _inked_columns(unwrapped, upper, half)
    if inked.all():
        return [Arc(0.0, 360.0)]
    if not inked.any():
        return []
    # bridge small gaps (circularly)
    gap_cols = int(MAX_GAP_DEG / deg)
    runs = _circular_runs(inked)
    following = runs[1:] + runs[:1]
    gaps = [(end, (nxt - end) % steps) for (_, end), (nxt, _) in zip(runs, following, strict=True)]
    bridged = inked.copy()
    for end, length in gaps:
        if 0 < length <= gap_cols:
            for j in range(length):
                bridged[(end + j) % steps] = True
    if bridged.all():
        # one gap at least must remain: open the ring at its widest gap
        end, length = max(gaps, key=lambda g: g[1])
        for j in range(length):
            bridged[(end + j) % steps] = False
        if bridged.all():
            return [Arc(0.0, 360.0)]
    found = []
    for start, end in _circular_runs(bridged):
        length = (end - start) % steps or steps
        while length > 0 and not tall[start % steps]:
            start, length = start + 1, length - 1
        while length > 0 and not tall[(start + length - 1) % steps]:
            length -= 1
        found.append(Arc((start % steps) * deg, length * deg))
    return sorted((a for a in found if a.span >= MIN_ARC_DEG), key=lambda a: -a.span)


UPPER_HALF_DEG = (165.0, 375.0)  # image angles of a seal's upper half (270 = top), a little past level


def upper_and_lower(arc: Arc) -> list[Arc]:
    """An arc cut where it crosses into the seal's upper half: on an oval seal the name over the top
    and a line along the foot (国家税务总局监制) lie at one radius and run together into one arc,
    which reads as neither. The pieces of at least MIN_ARC_DEG, upper first."""
    degrees = (np.arange(360) + 0.5)
    inside = ((degrees - arc.start) % 360.0) < arc.span
    lo, hi = UPPER_HALF_DEG
    upper = ((degrees - lo) % 360.0) < (hi - lo)
    pieces = []
    for flags in (inside & upper, inside & ~upper):
        if not flags.any():
            continue
        for start, end in _circular_runs(flags):
            span = float((end - start) % 360 or 360)
            if span >= MIN_ARC_DEG:
                pieces.append(Arc(float(start), span))
    return pieces


def _inked_columns(unwrapped: np.ndarray, rows: np.ndarray, half: int) -> np.ndarray:
    """Columns (angles) with ink among `rows`; a character's strokes leave empty columns, so each
    inked column counts for `half` columns either side."""
    ink = ((255 - unwrapped[rows].astype(np.float32)) / 255.0 > 0.4).mean(axis=0)
    spread = np.max([np.roll(ink, s) for s in range(-half, half + 1)], axis=0)
    return np.asarray(spread > 0.08)


def _circular_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(start, end exclusive) of each run of True in a circular array, in order of start."""
    n = len(flags)
    if flags.all():
        return [(0, n)]
    first_false = int(np.argmin(flags))  # counting from a gap, no run wraps round the end
    return [((s + first_false) % n, (e + first_false) % n) for s, e in _runs(np.roll(flags, -first_false))]


def arc_strip(grey: np.ndarray, seal: SealShape, arc: Arc, geometry: RingGeometry, clockwise: bool,
              margin_deg: float = 4.0) -> np.ndarray:
    """The arc's text band as a straight strip, read clockwise (tops outwards: the name) or
    anticlockwise (tops inwards: a number on the lower arc). Padded with paper."""
    import cv2

    r_mean = (seal.rx + seal.ry) / 2.0
    k_mid = (geometry.text_outer + geometry.text_inner) / 2.0
    span = min(360.0, arc.span + 2 * margin_deg)
    steps = max(16, round(2 * math.pi * r_mean * k_mid * span / 360.0))
    strip = polar(grey, seal, geometry.text_outer, geometry.text_inner, steps, arc.start - margin_deg, span)
    if not clockwise:
        strip = cv2.rotate(strip, cv2.ROTATE_180)
    pad = max(4, strip.shape[0] // 4)
    return cv2.copyMakeBorder(strip, pad // 2, pad // 2, pad, pad, cv2.BORDER_CONSTANT, value=255)


def centre_line(grey: np.ndarray, seal: SealShape, up_deg: float) -> np.ndarray | None:
    """The line written across the centre below the star (专用章 …), turned upright and cut to its
    ink, ready for recognition as one line: `up_deg` is the image angle at which the seal's top
    lies (270 for an upright seal). None when the centre holds no line."""
    import cv2

    r = (seal.rx + seal.ry) / 2.0
    turn = up_deg - 270.0  # the seal is turned clockwise by this much
    matrix = cv2.getRotationMatrix2D((seal.cx, seal.cy), turn, 1.0)
    h, w = grey.shape[:2]
    upright = cv2.warpAffine(grey, matrix, (w, h), borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    x0, x1 = int(max(0, seal.cx - 0.66 * r)), int(min(w, seal.cx + 0.66 * r))
    y0, y1 = int(max(0, seal.cy + 0.12 * r)), int(min(h, seal.cy + 0.62 * r))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return _widest_line(upright[y0:y1, x0:x1], min_height=max(4, int(r * 0.08)))


def _widest_line(area: np.ndarray, min_height: int) -> np.ndarray | None:
    """The band of rows whose ink spreads widest (a line of text, not the star's points nor a
    second, shorter line), cut to its ink and padded with paper; None when there is none. Long
    straight strokes (a frame drawn round the line) are not text and are ignored."""
    import cv2

    ink = (area < 128).astype(np.uint8)
    long_run = max(8, area.shape[1] // 3)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long_run, 1)))
    ink = (ink > 0) & (rules == 0)
    counts = ink.sum(axis=1).astype(np.float32)
    if counts.max() <= 0:
        return None
    rows = counts > max(2.0, counts.max() * 0.12)
    best: tuple[int, int, int, int, int] | None = None
    for start, end in _runs(rows, bridge=2):
        if end - start < min_height:
            continue
        inked_cols = ink[start:end].sum(axis=0) > 0
        spans = _runs(inked_cols, bridge=max(2, int((end - start) * 0.6)))
        c0, c1 = max(spans, key=lambda sp: sp[1] - sp[0])
        if best is None or c1 - c0 > best[0]:
            best = (c1 - c0, start, end, c0, c1)
    if best is None:
        return None
    _, start, end, c0, c1 = best
    line = np.where(ink[start:end, c0:c1], 0, 255).astype(np.uint8)
    pad = max(4, (end - start) // 4)
    return cv2.copyMakeBorder(line, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)


def _runs(flags: np.ndarray, bridge: int = 0) -> list[tuple[int, int]]:
    """(start, end exclusive) of each run of True, gaps of up to `bridge` False bridged."""
    runs: list[tuple[int, int]] = []
    for i in np.flatnonzero(flags):
        if runs and i - runs[-1][1] <= bridge:
            runs[-1] = (runs[-1][0], int(i) + 1)
        else:
            runs.append((int(i), int(i) + 1))
    return runs
