"""The PP-OCR recogniser alone, on onnxruntime: for pages whose text comes from a text layer and
that only have a seal ring to read (an e-seal or a pasted scan on a Word-made PDF).

Importing rapidocr parses its YAML configurations through OmegaConf (about 1.4 s here), more than
reading a ring takes; this runs the same model file the same way without it: RapidOCR's own steps for
one line (its size bounds, its resize and normalisation to 48 px high, its greedy CTC decoding with
the dictionary stored in the model), so a ring reads exactly as through `RapidOcrEngine`
(tests/test_ocr_engines.py pins that). The full engine is used instead when it is loaded anyway.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from extractor.ocr.ctc import compact
from models.ring import RingProbs

HEIGHT = 48  # the model's input height
MIN_WIDTH_RATIO = 320 / 48  # RapidOCR pads a line to at least 320 px wide
MIN_SIDE, MAX_SIDE = 30, 2000  # RapidOCR's bounds on an input image's sides


def _resized(image: np.ndarray, ratio: float) -> np.ndarray:
    """Scaled by `ratio`, each side rounded to a multiple of 32 px, as RapidOCR resizes."""
    import cv2

    h, w = image.shape[:2]
    size = (int(round(int(w * ratio) / 32) * 32), int(round(int(h * ratio) / 32) * 32))
    if min(size) <= 0:
        raise ValueError(f"cannot bound an image of {w}x{h}")
    return cv2.resize(image, size)


def _bounded(image: np.ndarray) -> np.ndarray:
    """The image within RapidOCR's side bounds: the long side first, then the short one."""
    if max(image.shape[:2]) > MAX_SIDE:
        image = _resized(image, MAX_SIDE / max(image.shape[:2]))
    if min(image.shape[:2]) < MIN_SIDE:
        image = _resized(image, MIN_SIDE / min(image.shape[:2]))
    return image


def _normalised(image: np.ndarray) -> np.ndarray:
    """One line as the model's input (1 x 3 x 48 x W, in -1..1, right-padded with zeros)."""
    import cv2

    h, w = image.shape[:2]
    ratio = w / float(h)
    width = int(HEIGHT * max(MIN_WIDTH_RATIO, ratio))
    resized_w = min(width, math.ceil(HEIGHT * ratio))
    resized = cv2.resize(image, (resized_w, HEIGHT)).astype("float32").transpose((2, 0, 1)) / 255
    resized -= 0.5
    resized /= 0.5
    batch = np.zeros((1, 3, HEIGHT, width), dtype=np.float32)
    batch[0, :, :, :resized_w] = resized
    return batch


def greedy_decode(probs: np.ndarray, dictionary: list[str]) -> tuple[str, float]:
    """Best-path CTC decoding as RapidOCR's: repeats merged, blanks (class 0) dropped, the score the
    mean of the kept frames' probabilities (each rounded to 5 places), 0 for an empty line."""
    best = probs.argmax(axis=1)
    keep = np.ones(len(best), dtype=bool)
    keep[1:] = best[1:] != best[:-1]
    keep &= best != 0
    confidences = [round(float(c), 5) for c in probs.max(axis=1)[keep]] or [0.0]
    return "".join(dictionary[i] for i in best[keep]), float(np.mean(confidences).round(5))


class LineReader:
    """Recognition of single lines with the PP-OCR recognition model on onnxruntime."""

    def __init__(self, model: Path, threads: int = 0) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 4
        options.enable_cpu_mem_arena = False  # as RapidOCR sets it
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
        self._session = ort.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])
        stored = self._session.get_modelmeta().custom_metadata_map.get("character")
        if stored is None:
            raise ValueError(f"{model.name}: the model carries no dictionary")
        self.dictionary = ["blank", *stored.splitlines(), " "]
        self._input = self._session.get_inputs()[0].name

    def line_probs(self, image: np.ndarray) -> tuple[str, float, np.ndarray]:
        batch = _normalised(_bounded(image))
        probs = np.asarray(self._session.run(None, {self._input: batch})[0][0])
        text, score = greedy_decode(probs, self.dictionary)
        return text, score, probs

    def recognize_line(self, image: np.ndarray) -> tuple[str, float]:
        text, score, _ = self.line_probs(image)
        return text, score

    def recognize_line_probs(self, image: np.ndarray) -> tuple[str, float, RingProbs | None]:
        text, score, probs = self.line_probs(image)
        return text, score, compact(probs, self.dictionary)
