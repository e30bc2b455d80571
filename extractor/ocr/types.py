"""What every OCR engine returns, whichever models it runs."""

from typing import Protocol

import numpy as np
from pydantic import BaseModel

from models.ring import RingProbs

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


class SealRead(BaseModel):
    """A seal on the page image and what its ring says, in pixels of the upright image."""

    box: tuple[float, float, float, float]
    colour: str
    shape: str
    confidence: float
    cut: bool = False
    text: str | None = None
    text_score: float = 0.0
    centre_text: str | None = None
    code: str | None = None
    ring: RingProbs | None = None  # the recogniser's output along the name arcs, to score any name on


class OcrResult(BaseModel):
    """OCR of one page image, in the coordinates of the image after rotation and deskew."""

    width: int
    height: int
    lines: list[OcrLine]
    rotation: int = 0  # degrees clockwise applied to the input before recognition
    skew: float = 0.0  # degrees of rotation applied to straighten the text
    engine: str = ""
    seals: list[SealRead] = []  # found by colour and shape; lines were read with their ink removed
    seal_version: str = ""  # cache.SEAL_VERSION the seals were found and read with


class OcrEngine(Protocol):
    """The three steps the pipeline needs from an engine. Images are BGR uint8 arrays."""

    name: str  # engine and model identity; part of the cache key

    def detect(self, image: np.ndarray) -> list[Quad]:
        """Text boxes only, in the image's pixels."""
        ...

    def upside_down(self, crops: list[np.ndarray]) -> list[bool]:
        """For each text-line crop, whether it reads upside down."""
        ...

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """Full detection and recognition of an upright page."""
        ...

    def recognize_boxes(self, image: np.ndarray, quads: list[Quad]) -> list[OcrLine]:
        """Recognition of the lines at these quadrilaterals of an upright page (found by `detect`):
        the lines read with text, in the order given."""
        ...

    def recognize_line(self, image: np.ndarray) -> tuple[str, float]:
        """Recognition only, of an image that is one line of text (an unwrapped seal ring)."""
        ...


class LineEngine(Protocol):
    """What reading a seal needs: recognition of one line (a full OcrEngine, or the recogniser alone)."""

    def recognize_line(self, image: np.ndarray) -> tuple[str, float]:
        ...


class LineProbsEngine(Protocol):
    """An engine that can also give a line's per-frame output (compact, extractor/ocr/ctc.py)."""

    def recognize_line_probs(self, image: np.ndarray) -> tuple[str, float, RingProbs | None]:
        ...
