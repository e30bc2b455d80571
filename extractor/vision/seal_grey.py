"""Seals that lost their colour: photocopies, grey scans of stamped pages, scanner exports that
keep a few colours only. The ring is then found by shape alone (circles in the dark ink, Hough
transform) and held to stricter terms than a coloured seal: an unbroken ring, ink inside it round
the text band, not a solid disc. Whether it is a seal at all is settled when its ring is read (a
circle without Chinese round it is not reported).
"""

from __future__ import annotations

import numpy as np

from extractor.vision.seal_detect import SealShape, interior_density, outline_coverage

GREY_RING_MIN_COVERAGE = 0.9  # of the circle itself (a thin band round it)
RADIUS_SHARE = (0.05, 0.2)  # of the page's short side
TEXT_BAND_MIN_SHARE = 0.35
SEARCH_SIDE = 400  # long side of the copy circles are sought on
RING_CONTRAST = 0.45  # ring coverage minus the coverage of a circle just outside it


def dark_mask(grey: np.ndarray) -> np.ndarray:
    """Ink of any colour on paper (uint8 0/255), by Otsu's threshold on the page."""
    import cv2

    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(mask)


def _text_band_share(mask: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of 180 angles with ink between 0.55 and 0.85 of the radius (the ring's text)."""
    h, w = mask.shape
    t = np.radians(np.arange(0, 360, 2))
    ks = np.linspace(0.55, 0.85, 8)
    xs = np.round(cx + np.outer(ks, r * np.cos(t))).astype(int)
    ys = np.round(cy + np.outer(ks, r * np.sin(t))).astype(int)
    valid = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    hit = np.zeros_like(valid)
    hit[valid] = mask[ys[valid], xs[valid]] > 0
    return float(hit.any(axis=0).mean())


def _ring_fit(mask: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float, float, bool]:
    """The circle near (cx, cy, r) whose thin outline carries the most ink: the transform's circle is
    found on a small copy and is off by a pixel or two here. (coverage, cx, cy, r, cut)."""
    step = max(1.0, r * 0.02)
    best = (-1.0, cx, cy, r, False)
    for dx in (-step, 0.0, step):
        for dy in (-step, 0.0, step):
            for k in (0.96, 0.98, 1.0, 1.02, 1.04):
                coverage, cut = outline_coverage(mask, cx + dx, cy + dy, r * k, r * k, 0.0, 0.03)
                if coverage > best[0]:
                    best = (coverage, cx + dx, cy + dy, r * k, cut)
    return best


def find_grey_seals(work_bgr: np.ndarray, taken: list[SealShape]) -> list[SealShape]:
    """Ring-shaped seals in the dark ink of a (work-sized) page image, away from seals already
    found by colour. Circles are sought on a small copy (the transform costs seconds on a full page
    of text), screened there, and only the survivors are fitted and judged at full size. A ring in
    the seal colours was judged by colour already (a coloured ring with nothing coloured inside is
    not a seal) and is not looked at again."""
    import cv2

    from extractor.vision.seal_detect import colour_strength

    h, w = work_bgr.shape[:2]
    scale = min(1.0, SEARCH_SIDE / max(h, w))
    small = cv2.resize(work_bgr, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    grey_small = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    side = min(grey_small.shape)
    r_min, r_max = int(side * RADIUS_SHARE[0]), int(side * RADIUS_SHARE[1])
    circles = cv2.HoughCircles(cv2.GaussianBlur(grey_small, (3, 3), 1), cv2.HOUGH_GRADIENT, dp=1.5,
                               minDist=max(1, r_min * 2), param1=120, param2=30, minRadius=r_min, maxRadius=r_max)
    if circles is None:
        return []
    mask_small = dark_mask(grey_small)
    mask = dark_mask(cv2.cvtColor(work_bgr, cv2.COLOR_BGR2GRAY))
    colour = np.maximum(colour_strength(work_bgr, "red"), colour_strength(work_bgr, "blue"))
    found: list[SealShape] = []
    for sx, sy, sr in circles[0]:
        rough, _ = outline_coverage(mask_small, float(sx), float(sy), float(sr), float(sr), 0.0, 0.1)
        if rough < 0.8:
            continue
        cx, cy, r0 = sx / scale, sy / scale, sr / scale
        if any(np.hypot(cx - s.cx, cy - s.cy) < max(s.rx, s.ry) for s in [*taken, *found]):
            continue
        coverage, cx, cy, r, cut = _ring_fit(mask, float(cx), float(cy), float(r0))
        if coverage < GREY_RING_MIN_COVERAGE:
            continue
        if _ring_colour(colour, cx, cy, r) > 40:
            continue
        # a ring stands out from just outside it; a circle laid over a table or a block of text does not
        outside, _ = outline_coverage(mask, cx, cy, r * 1.18, r * 1.18, 0.0, 0.03)
        if coverage - outside < RING_CONTRAST:
            continue
        if _text_band_share(mask, cx, cy, r) < TEXT_BAND_MIN_SHARE:
            continue
        density = interior_density(mask, cx, cy, r, r, 0.0)
        if not 0.03 <= density <= 0.45:
            continue
        confidence = round(0.5 + 0.3 * (coverage - GREY_RING_MIN_COVERAGE) / (1 - GREY_RING_MIN_COVERAGE), 3)
        found.append(SealShape("grey", "round", cx, cy, r, r, 0.0, round(coverage, 3), round(density, 3), cut,
                               confidence))
    return found


def _ring_colour(strength: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Median seal-colour strength along the circle: high for a red or blue ring."""
    h, w = strength.shape
    t = np.radians(np.arange(0, 360, 2))
    xs = np.clip(np.round(cx + r * np.cos(t)).astype(int), 0, w - 1)
    ys = np.clip(np.round(cy + r * np.sin(t)).astype(int), 0, h - 1)
    return float(np.median(strength[ys, xs]))
