"""Seal ink taken out of a page image before its body text is recognised.

Stamped ink lies over the text (on paper as in a multiply-blended scan), so a pixel under a seal is
dark where the text is, whatever the ink does. Inside each seal the brightest channel is kept and
the seal's colour is lifted to paper: red or blue ink turns white, black text beneath stays black.
Only the seals' own areas are touched; red headings and coloured logos elsewhere stay as they are.
"""

from __future__ import annotations

import numpy as np

from extractor.vision.seal_detect import SealShape, colour_strength

MARGIN = 1.12  # the area cleaned: the seal's ellipse grown by this much (ink spreads past the ring)


def seal_area_mask(shape: tuple[int, int], seals: list[SealShape]) -> np.ndarray:
    import cv2

    mask = np.zeros(shape, np.uint8)
    for seal in seals:
        if seal.shape == "square":
            rect = ((seal.cx, seal.cy), (seal.rx * 2 * MARGIN, seal.ry * 2 * MARGIN), seal.angle)
            cv2.fillPoly(mask, [cv2.boxPoints(rect).astype(np.int32)], 255)
        else:
            axes = (max(1, round(seal.rx * MARGIN)), max(1, round(seal.ry * MARGIN)))
            cv2.ellipse(mask, (round(seal.cx), round(seal.cy)), axes, seal.angle, 0, 360, 255, -1)
    return mask


def remove_seal_ink(bgr: np.ndarray, seals: list[SealShape]) -> np.ndarray:
    """A copy of the page with the seals' ink lifted to paper; the image itself is left alone."""
    seals = [s for s in seals if s.colour != "grey"]  # a seal without its colour cannot be told from text
    if not seals:
        return bgr
    area = seal_area_mask(bgr.shape[:2], seals) > 0
    out = bgr.copy()
    brightest = bgr.max(axis=2).astype(np.int16)
    lift = np.zeros(bgr.shape[:2], np.int16)
    for colour in {s.colour for s in seals}:
        lift = np.maximum(lift, colour_strength(bgr, colour).astype(np.int16))
    clean = np.clip(brightest + lift, 0, 255).astype(np.uint8)
    out[area] = clean[area][:, None]
    return out
