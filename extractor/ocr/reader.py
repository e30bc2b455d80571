"""Reading a page image: find its orientation and skew, straighten it, recognise it, cache it."""

import functools
import hashlib
import threading
from collections.abc import Callable

import numpy as np

from extractor.errors import ConfigError
from extractor.ocr.cache import CACHE_VERSION, SEAL_VERSION, OcrCache, image_key
from extractor.ocr.types import OcrEngine, OcrResult, SealRead
from extractor.settings import Settings

DETECT_SIDE = 1024  # orientation is judged on a downscaled copy: cheap, and enough for box shapes
MIN_SKEW = 0.5  # degrees; below this a page is left as it is

_engine_lock = threading.Lock()


@functools.cache
def _load_engine(kind: str, settings_json: str) -> OcrEngine:
    settings = Settings.model_validate_json(settings_json)
    if kind == "rapidocr":
        from extractor.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine(settings)
    if kind == "paddle":
        from extractor.ocr.paddle import PaddleOcrEngine

        return PaddleOcrEngine(settings)
    raise ConfigError(f"未知的 OCR 引擎：{kind}")


# Only these settings shape an engine; a run with another cache folder reuses the loaded one.
ENGINE_FIELDS = frozenset(
    {
        "ocr_engine",
        "ocr_threads",
        "ocr_runtime",
        "ocr_precision",
        "rapidocr_det_model",
        "rapidocr_rec_model",
        "rapidocr_cls_model",
        "paddle_det_model_dir",
        "paddle_rec_model_dir",
        "paddle_cls_model_dir",
    }
)


def load_engine(settings: Settings) -> OcrEngine:
    """The engine for these settings, loaded once per process and only when first needed."""
    with _engine_lock:
        return _load_engine(settings.ocr_engine, settings.model_dump_json(include=set(ENGINE_FIELDS)))


def render_key(file_sha256: str, page_index: int, dpi: int, max_pixels: int) -> str:
    """Names a rendered PDF page by what determines its pixels (the engine is added by the reader)."""
    raw = f"{file_sha256}|{page_index}|{dpi}|{max_pixels}"
    return hashlib.sha256(raw.encode()).hexdigest()


@functools.cache
def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "absent"


def engine_name_for(settings: Settings) -> str:
    """The engine's identity without loading it (for cache look-ups that may avoid loading)."""
    if settings.ocr_engine == "paddle":
        models = f"{settings.paddle_det_model_dir}|{settings.paddle_rec_model_dir}"
        return f"paddle|{_package_version('paddleocr')}|{models}"
    from extractor.ocr import runtime

    models = f"{settings.rapidocr_det_model}|{settings.rapidocr_rec_model}|{settings.rapidocr_cls_model}"
    chosen = runtime.choose(settings.ocr_runtime)  # each runtime's text apart (onnxruntime's key as it was)
    return f"rapidocr|{_package_version('rapidocr')}|{models}" + runtime.engine_suffix(chosen, settings.ocr_precision)


def find_orientation(engine: OcrEngine, image: np.ndarray) -> tuple[int, float, bool]:
    """(clockwise quarter turn, skew degrees, has_text) for a page image, from a downscaled copy."""
    from extractor.vision import orientation as orient  # OpenCV only when a page needs OCR

    small, _ = orient.downscale(image, DETECT_SIDE)
    quads = engine.detect(small)
    if not quads:
        return 0, 0.0, False
    h, w = small.shape[:2]
    rotation = 0
    if orient.is_sideways(quads):
        rotation = 90
        small = orient.rotate_quarter(small, 90)
        quads = orient.rotate_quads_quarter(quads, w, h, 90)
    crops = [c for c in (orient.crop_quad(small, q) for q in orient.longest_boxes(quads)) if c.size]
    flags = engine.upside_down(crops) if crops else []
    if flags and sum(flags) * 2 > len(flags):
        rotation = (rotation + 180) % 360
        hh, ww = small.shape[:2]
        quads = orient.rotate_quads_quarter(quads, ww, hh, 180)
    return rotation, orient.skew_degrees(quads), True


MIN_TEXT_SIDE = 16  # px: an image narrower or lower than this holds no legible line


class PageReader:
    """OCR for one run: loads the engine on first use, consults the cache first."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.cache = OcrCache(settings.cache_dir, enabled=settings.ocr_cache)
        self._engine: OcrEngine | None = None
        self.pages_recognised = 0  # pages that really ran OCR (not cached)

    @property
    def engine(self) -> OcrEngine:
        if self._engine is None:
            self._engine = load_engine(self.settings)
        return self._engine

    def read(self, render: Callable[[], np.ndarray], stable_key: str | None = None,
             owner: str | None = None) -> OcrResult:
        """OCR of the page image `render()` gives; `stable_key` (file hash + page + dpi) lets a
        cached result be found without rendering; `owner` (the file's sha256) records the entries so
        that the file's cached text can be purged."""
        engine_name = engine_name_for(self.settings)
        alias_key = None
        if stable_key is not None:
            alias_key = hashlib.sha256(f"{CACHE_VERSION}|{stable_key}|{engine_name}".encode()).hexdigest()
            alias = self.cache.alias(alias_key)
            if alias is not None and (hit := self.cache.get(alias)) is not None:
                self._remember(owner, ("alias", alias_key), ("ocr", alias))
                return self._current_seals(alias, hit, render)
        image = render()
        key = image_key(image, engine_name)
        result = self.cache.get(key)
        if result is None:
            result = self.recognise(image)
            self.cache.put(key, result)
        else:
            result = self._current_seals(key, result, lambda: image)
        if alias_key is not None:
            self.cache.set_alias(alias_key, key)
        self._remember(owner, ("ocr", key), *((("alias", alias_key),) if alias_key else ()))
        return result

    def _remember(self, owner: str | None, *entries: tuple[str, str]) -> None:
        if owner is not None:
            for kind, key in entries:
                self.cache.remember(owner, kind, key)

    def _current_seals(self, key: str, result: OcrResult, render: Callable[[], np.ndarray]) -> OcrResult:
        """A cached page whose seals were found by an older seal finder: its text lines kept, its seals
        found and read again on the page turned and straightened as the cached result says."""
        if result.seal_version == SEAL_VERSION:
            return result
        from extractor.vision import orientation as orient

        upright = orient.rotate_quarter(render(), result.rotation)
        if result.skew:
            upright = orient.deskew(upright, result.skew)
        result = result.model_copy(update={"seals": self._seals(upright), "seal_version": SEAL_VERSION})
        self.cache.put(key, result)
        return result

    def read_seals(self, render: Callable[[], np.ndarray], stable_key: str, owner: str | None = None) -> OcrResult:
        """Seals only, of a page whose text comes from elsewhere (a text layer with a stamped
        image on it): no lines. The engine is loaded only when a seal is there to read."""
        engine_name = engine_name_for(self.settings)
        key = hashlib.sha256(f"{CACHE_VERSION}|{SEAL_VERSION}|seals|{stable_key}|{engine_name}".encode()).hexdigest()
        self._remember(owner, ("ocr", key))
        if (hit := self.cache.get(key)) is not None:
            return hit
        image = render()
        h, w = image.shape[:2]
        result = OcrResult(width=w, height=h, lines=[], engine=engine_name, seals=self._seals(image),
                           seal_version=SEAL_VERSION)
        self.cache.put(key, result)
        return result

    def _seals(self, image: np.ndarray) -> list[SealRead]:
        """The seals on a page image, found and read; the engine is loaded only when one is there."""
        from extractor.ocr.seal_reader import read_seals
        from extractor.vision.seal_detect import find_seals

        shapes = find_seals(image)
        return read_seals(self.engine, image, shapes) if shapes else []

    def recognise(self, image: np.ndarray) -> OcrResult:
        """Seals are found first and their ink removed, so that orientation, skew and the body
        text are judged on the page without them; the seals are then read on the upright page."""
        from extractor.ocr.seal_reader import read_seals
        from extractor.vision import orientation as orient
        from extractor.vision.seal_detect import find_seals
        from extractor.vision.seal_ink import remove_seal_ink

        h, w = image.shape[:2]
        if min(h, w) < MIN_TEXT_SIDE:  # no line of text fits; the detector would blow it up to 736 px high
            return OcrResult(width=w, height=h, lines=[], engine=engine_name_for(self.settings),
                             seal_version=SEAL_VERSION)
        engine = self.engine
        first = find_seals(image)
        clean = remove_seal_ink(image, first)
        rotation, skew, has_text = find_orientation(engine, clean)
        upright = orient.rotate_quarter(image, rotation)
        if has_text and abs(skew) >= MIN_SKEW:
            upright = orient.deskew(upright, skew)
        else:
            skew = 0.0
        # found again only where turning or straightening moved them
        shapes = first if upright is image else find_seals(upright)
        seals = read_seals(engine, upright, shapes)
        lines = engine.recognize(remove_seal_ink(upright, shapes)) if has_text else []
        self.pages_recognised += 1
        h, w = upright.shape[:2]
        return OcrResult(width=w, height=h, lines=lines, rotation=rotation, skew=skew, engine=engine.name,
                         seals=seals, seal_version=SEAL_VERSION)
