"""Seals that lost their colour: photocopies, grey scans of stamped pages, scanner exports that
keep a few colours only. The ring is then found by shape alone (circles in the dark ink, Hough
transform) and held to stricter terms than a coloured seal: an unbroken ring, ink inside it round
the text band, not a solid disc. Whether it is a seal at all is settled when its ring is read (a
circle without Chinese round it is not reported).
"""

from __future__ import annotations

import numpy as np

from extractor.vision.seal_detect import SealShape, outline_coverage

GREY_RING_MIN_COVERAGE = 0.9  # of the circle itself (a thin band round it)
RADIUS_SHARE = (0.05, 0.2)  # of the page's short side
TEXT_BAND_MIN_SHARE = 0.35
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


def _interior_share(mask: np.ndarray, cx: float, cy: float, r: float) -> float:
    import cv2

    disc = np.zeros_like(mask)
    cv2.circle(disc, (round(cx), round(cy)), max(1, round(r * 0.85)), 255, -1)
    area = int((disc > 0).sum())
    return float(((mask > 0) & (disc > 0)).sum()) / area if area else 0.0


def find_grey_seals(work_bgr: np.ndarray, taken: list[SealShape]) -> list[SealShape]:
    """Ring-shaped seals in the dark ink of a (work-sized) page image, away from seals already
    found by colour."""
    import cv2

    grey = cv2.cvtColor(work_bgr, cv2.COLOR_BGR2GRAY)
    h, w = grey.shape
    side = min(h, w)
    r_min, r_max = int(side * RADIUS_SHARE[0]), int(side * RADIUS_SHARE[1])
    circles = cv2.HoughCircles(cv2.GaussianBlur(grey, (5, 5), 1.5), cv2.HOUGH_GRADIENT, dp=1.5,
                               minDist=r_min * 2, param1=120, param2=45, minRadius=r_min, maxRadius=r_max)
    if circles is None:
        return []
    mask = dark_mask(grey)
    found: list[SealShape] = []
    for cx, cy, r in circles[0]:
        if any(np.hypot(cx - s.cx, cy - s.cy) < max(s.rx, s.ry) for s in [*taken, *found]):
            continue
        coverage, cut = max(
            outline_coverage(mask, float(cx), float(cy), float(r) * k, float(r) * k, 0.0, 0.03)
            for k in (0.96, 0.98, 1.0, 1.02, 1.04)  # the transform's radius is a little off at times
        )
        if coverage < GREY_RING_MIN_COVERAGE:
            continue
        # a ring stands out from just outside it; a circle laid over a table or a block of text does not
        outside, _ = outline_coverage(mask, float(cx), float(cy), float(r) * 1.18, float(r) * 1.18, 0.0, 0.03)
        if coverage - outside < RING_CONTRAST:
            continue
        if _text_band_share(mask, cx, cy, r) < TEXT_BAND_MIN_SHARE:
            continue
        density = _interior_share(mask, cx, cy, r)
        if not 0.03 <= density <= 0.45:
            continue
        confidence = round(0.5 + 0.3 * (coverage - GREY_RING_MIN_COVERAGE) / (1 - GREY_RING_MIN_COVERAGE), 3)
        found.append(SealShape("grey", "round", float(cx), float(cy), float(r), float(r), 0.0,
                               round(coverage, 3), round(density, 3), cut, confidence))
    return found
