"""What every OCR engine returns, whichever models it runs."""

from typing import Protocol

import numpy as np
from pydantic import BaseModel

Quad = list[list[float]]  # four (x, y) points in pixels, clockwise from top-left


class OcrWord(BaseModel):
    text: str
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels
    score: float


class OcrLine(BaseModel):
    text: str
    quad: Quad
    score: float
    words: list[OcrWord] = []


class OcrResult(BaseModel):
    """OCR of one page image, in the coordinates of the image after rotation and deskew."""

    width: int
    height: int
    lines: list[OcrLine]
    rotation: int = 0  # degrees clockwise applied to the input before recognition
    skew: float = 0.0  # degrees of rotation applied to straighten the text
    engine: str = ""


class OcrEngine(Protocol):
    """The three steps the pipeline needs from an engine. Images are BGR uint8 arrays."""

    name: str  # engine and model identity; part of the cache key

    def detect(self, image: np.ndarray) -> list[Quad]:
        """Text boxes only (used to find orientation and skew cheaply)."""
        ...

    def upside_down(self, crops: list[np.ndarray]) -> list[bool]:
        """For each text-line crop, whether it reads upside down."""
        ...

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """Full detection and recognition of an upright page."""
        ...
