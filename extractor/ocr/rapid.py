"""PP-OCR models through RapidOCR, on onnxruntime or OpenVINO (extractor/ocr/runtime.py). The models
ship inside the rapidocr wheel."""

import logging
from pathlib import Path
from typing import Any

import numpy as np

from extractor.errors import EngineError
from extractor.ocr import runtime
from extractor.ocr.ctc import compact
from extractor.ocr.types import OcrLine, OcrWord, Quad
from extractor.settings import Settings
from models.ring import RingProbs

log = logging.getLogger(__name__)

_PACKAGED = {
    "det": "PP-OCRv6_det_small.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


def packaged_model_paths() -> dict[str, Path]:
    """The model files inside the installed rapidocr package; an error if one is missing. Found
    without importing rapidocr (which parses its configurations at import)."""
    import importlib.util

    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        raise EngineError("未安装 RapidOCR（pip install rapidocr）")
    root = Path(next(iter(spec.submodule_search_locations))) / "models"
    paths = {k: root / v for k, v in _PACKAGED.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise EngineError(
            "RapidOCR 安装包中缺少模型文件（不会联网下载）：" + ", ".join(missing)
            + "；请用 PRECHECK_RAPIDOCR_*_MODEL 指定本地模型路径"
        )
    return paths


def _quad_box(quad: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return (min(xs), min(ys), max(xs), max(ys))


def _lines(out: Any) -> list[OcrLine]:
    """RapidOCR's output (boxes, texts, scores, word boxes) as lines."""
    if getattr(out, "boxes", None) is None or getattr(out, "txts", None) is None:
        return []
    word_results = getattr(out, "word_results", None) or [()] * len(out.txts)
    lines = []
    for quad, text, score, words in zip(out.boxes, out.txts, out.scores, word_results, strict=False):
        ocr_words = [
            OcrWord(text=str(w[0]), score=float(w[1]), box=_quad_box(w[2]))
            for w in (words or ())
            if len(w) == 3 and str(w[0]).strip()
        ]
        lines.append(
            OcrLine(text=str(text), score=float(score), quad=[[float(x), float(y)] for x, y in quad], words=ocr_words)
        )
    return lines


class RapidOcrEngine:
    def __init__(self, settings: Settings) -> None:
        from rapidocr import RapidOCR

        paths = packaged_model_paths()
        det = settings.rapidocr_det_model or paths["det"]
        rec = settings.rapidocr_rec_model or paths["rec"]
        cls = settings.rapidocr_cls_model or paths["cls"]
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Det.model_path": str(det),
            "Rec.model_path": str(rec),
            "Cls.model_path": str(cls),
        }
        self.runtime = runtime.loaded(settings.ocr_runtime)
        params |= runtime.rapidocr_params(self.runtime, settings.ocr_threads, settings.ocr_precision,
                                          settings.cache_dir / "openvino-models" if settings.ocr_cache else None)
        self._ocr = RapidOCR(params=params)
        self.name = (f"rapidocr:{Path(det).name}:{Path(rec).name}:{Path(cls).name}"
                     + runtime.engine_suffix(self.runtime, settings.ocr_precision))

    def detect(self, image: np.ndarray) -> list[Quad]:
        out: Any = self._ocr(image, use_det=True, use_cls=False, use_rec=False)
        boxes = getattr(out, "boxes", None)
        if boxes is None:
            return []
        return [[[float(x), float(y)] for x, y in quad] for quad in boxes]

    def upside_down(self, crops: list[np.ndarray]) -> list[bool]:
        flags = []
        for crop in crops:
            out: Any = self._ocr(crop, use_det=False, use_cls=True, use_rec=False)
            res = getattr(out, "cls_res", None) or [("0", 0.0)]
            label, score = res[0]
            flags.append(str(label) == "180" and float(score) >= 0.7)
        return flags

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        return _lines(self._ocr(image, use_det=True, use_cls=False, use_rec=True, return_word_box=True))

    def recognize_boxes(self, image: np.ndarray, quads: list[Quad]) -> list[OcrLine]:
        """RapidOCR's own steps after detection, on boxes found beforehand: the page scaled as its
        detection would scale it, the lines cut out and recognised in batches, word boxes computed,
        boxes mapped back to the page, lines below its text score dropped."""
        if not quads:
            return []
        from rapidocr.ch_ppocr_cls import TextClsOutput
        from rapidocr.ch_ppocr_det import TextDetOutput
        from rapidocr.ch_ppocr_rec import TextRecInput

        ocr: Any = self._ocr
        ocr.update_params(return_word_box=True)
        scaled, record = ocr.preprocess_img(image)
        ratio = record["preprocess"]
        boxes = np.asarray(quads, dtype=np.float32)
        boxes[:, :, 0] /= ratio["ratio_w"]
        boxes[:, :, 1] /= ratio["ratio_h"]
        crops = ocr.crop_text_regions(scaled, boxes)
        rec = ocr._load_rec_model()(TextRecInput(img=crops, return_word_box=True))
        if rec.txts is None:
            return []
        found = TextDetOutput(img=scaled, boxes=boxes, scores=[1.0] * len(quads))
        return _lines(ocr.build_final_output(image, found, TextClsOutput(), rec, crops, record))

    def recognize_line(self, image: np.ndarray) -> tuple[str, float]:
        out: Any = self._ocr(image, use_det=False, use_cls=False, use_rec=True)
        texts = getattr(out, "txts", None)
        if not texts:
            return "", 0.0
        return str(texts[0]), float(out.scores[0])

    def line_probs(self, image: np.ndarray) -> tuple[str, float, np.ndarray, list[str]]:
        """One line recognised as `recognize_line` does (the same preprocessing, model run and
        decoding, through rapidocr's own TextRecognizer), and with it the model's output: T × C
        softmax probabilities, and the dictionary of its classes (0 the CTC blank)."""
        ocr: Any = self._ocr
        img, _ = ocr.preprocess_img(ocr.load_img(image))
        rec = ocr._load_rec_model()
        _, height, width = rec.rec_image_shape[:3]
        h, w = img.shape[:2]
        ratio = w / float(h)
        widest = max(width / height, ratio)
        batch = rec.resize_norm_img(img, widest)[np.newaxis, :].astype(np.float32)
        preds = rec.session(batch)
        lines, _ = rec.postprocess_op(preds, False, wh_ratio_list=[ratio], max_wh_ratio=widest)
        text, score = lines[0]
        return str(text), float(score), np.asarray(preds[0]), list(rec.postprocess_op.character)

    def recognize_line_probs(self, image: np.ndarray) -> tuple[str, float, RingProbs | None]:
        """`recognize_line` with the strip's per-frame output kept compactly (extractor/ocr/ctc.py)."""
        text, score, probs, dictionary = self.line_probs(image)
        return text, score, compact(probs, dictionary)
