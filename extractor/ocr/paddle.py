"""Native PaddleOCR (optional extra `[paddle]`), run on model folders the user gives.

Nothing is downloaded: every model folder must be set in settings, or the engine refuses to start.
"""

from pathlib import Path
from typing import Any

import numpy as np

from extractor.errors import ConfigError, EngineError
from extractor.ocr.types import OcrLine, Quad
from extractor.settings import Settings


def _require_dirs(settings: Settings) -> dict[str, Path]:
    dirs = {
        "det": settings.paddle_det_model_dir,
        "rec": settings.paddle_rec_model_dir,
        "cls": settings.paddle_cls_model_dir,
    }
    missing = [k for k, v in dirs.items() if v is None or not Path(v).is_dir()]
    if missing:
        raise ConfigError(
            "PaddleOCR 引擎需要本地模型目录（不会联网下载），请设置 "
            + "、".join(f"PRECHECK_PADDLE_{k.upper()}_MODEL_DIR" for k in missing)
        )
    return {k: Path(v) for k, v in dirs.items() if v is not None}


def lines_from_paddle(result: Any) -> list[OcrLine]:
    """PaddleOCR 2.x output `[[ [quad, (text, score)], ... ]]` (one list per image) → lines."""
    page = result[0] if result else None
    lines: list[OcrLine] = []
    for item in page or []:
        quad, (text, score) = item[0], item[1]
        lines.append(
            OcrLine(text=str(text), score=float(score), quad=[[float(x), float(y)] for x, y in quad])
        )
    return lines


def line_from_paddle_rec(result: Any) -> tuple[str, float]:
    """PaddleOCR 2.x recognition-only output `[[(text, score)]]` → (text, score)."""
    try:
        text, score = result[0][0]
    except (IndexError, TypeError, ValueError):
        return "", 0.0
    return str(text), float(score)


class PaddleOcrEngine:
    def __init__(self, settings: Settings) -> None:
        dirs = _require_dirs(settings)
        try:
            from paddleocr import PaddleOCR
        except ImportError as exc:  # the extra is not installed
            raise EngineError("未安装 PaddleOCR：pip install 'precheck[paddle]'") from exc
        self._ocr = PaddleOCR(
            det_model_dir=str(dirs["det"]),
            rec_model_dir=str(dirs["rec"]),
            cls_model_dir=str(dirs["cls"]),
            use_angle_cls=True,
            lang="ch",
            show_log=False,
        )
        self.name = "paddleocr:" + ":".join(p.name for p in dirs.values())

    def detect(self, image: np.ndarray) -> list[Quad]:
        result = self._ocr.ocr(image, det=True, rec=False, cls=False)
        page = result[0] if result else None
        return [[[float(x), float(y)] for x, y in quad] for quad in page or []]

    def upside_down(self, crops: list[np.ndarray]) -> list[bool]:
        flags = []
        for crop in crops:
            result = self._ocr.ocr(crop, det=False, rec=False, cls=True)
            label, score = (result[0] or [("0", 0.0)])[0] if result else ("0", 0.0)
            flags.append(str(label) == "180" and float(score) >= 0.7)
        return flags

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        return lines_from_paddle(self._ocr.ocr(image, det=True, rec=True, cls=False))

    def recognize_boxes(self, image: np.ndarray, quads: list[Quad]) -> list[OcrLine]:
        from extractor.vision.orientation import crop_line

        lines = []
        for quad in quads:
            crop = crop_line(image, quad)
            text, score = self.recognize_line(crop) if crop.size else ("", 0.0)
            if text.strip():
                lines.append(OcrLine(text=text, score=score, quad=[[float(x), float(y)] for x, y in quad]))
        return lines

    def recognize_line(self, image: np.ndarray) -> tuple[str, float]:
        return line_from_paddle_rec(self._ocr.ocr(image, det=False, rec=True, cls=False))
