"""Boxes normalised to 0..1 of the page, origin top-left: (x0, y0, x1, y1)."""

from collections.abc import Iterable
from typing import Annotated

from pydantic import Field

Unit = Annotated[float, Field(ge=0.0, le=1.0)]
BBox = tuple[Unit, Unit, Unit, Unit]


def _clamp(v: float) -> float:
    return 0.0 if v < 0.0 else 1.0 if v > 1.0 else v


def normalise_box(x0: float, y0: float, x1: float, y1: float, width: float, height: float) -> BBox:
    """Absolute box on a page of `width` x `height` to a normalised, clamped, ordered box."""
    if width <= 0 or height <= 0:
        raise ValueError("page size must be positive")
    ax0, ax1 = sorted((x0 / width, x1 / width))
    ay0, ay1 = sorted((y0 / height, y1 / height))
    return (round(_clamp(ax0), 5), round(_clamp(ay0), 5), round(_clamp(ax1), 5), round(_clamp(ay1), 5))


def union_box(boxes: Iterable[BBox | None]) -> BBox | None:
    """Smallest box holding every given box; None when there is none."""
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    return (
        min(b[0] for b in real),
        min(b[1] for b in real),
        max(b[2] for b in real),
        max(b[3] for b in real),
    )
