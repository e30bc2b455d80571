"""Reading a page image: find its orientation and skew, straighten it, recognise it, cache it."""

import functools
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from extractor.errors import ConfigError
from extractor.ocr.cache import CACHE_VERSION, SEAL_VERSION, OcrCache, image_key
from extractor.ocr.types import LineEngine, OcrEngine, OcrResult, Quad, SealRead
from extractor.settings import Settings

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


@functools.cache
def _load_line_reader(settings_json: str) -> LineEngine:
    from extractor.ocr.line_reader import LineReader
    from extractor.ocr.rapid import packaged_model_paths

    settings = Settings.model_validate_json(settings_json)
    return LineReader(settings.rapidocr_rec_model or packaged_model_paths()["rec"], settings.ocr_threads)


def load_line_engine(settings: Settings) -> LineEngine | None:
    """The recogniser alone, where it reads lines exactly as the full engine would (RapidOCR's models
    on onnxruntime); None elsewhere. Loaded once per process."""
    if settings.ocr_engine != "rapidocr":
        return None
    from extractor.ocr import runtime

    if runtime.choose(settings.ocr_runtime) != "onnxruntime":
        return None
    with _engine_lock:
        return _load_line_reader(settings.model_dump_json(include=set(ENGINE_FIELDS)))


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


@dataclass(frozen=True)
class PageLayout:
    """What one text detection says of a page: the quarter turn and skew that set it upright, and its
    text lines' quadrilaterals in the pixels of the page so turned and straightened."""

    rotation: int  # degrees clockwise
    skew: float  # degrees; 0 when below MIN_SKEW
    quads: list[Quad]

    @property
    def has_text(self) -> bool:
        return bool(self.quads)


def lines_identity(settings: Settings) -> str:
    """What a page's cached lines depend on besides its pixels: the engine, and the size its text
    was detected at."""
    return f"{engine_name_for(settings)}|detect{settings.ocr_detect_side}"


def find_layout(engine: OcrEngine, image: np.ndarray, detect_side: int) -> PageLayout:
    """Orientation, skew and the text lines of a page image from one detection on a copy whose
    longest side is `detect_side`; the lines are then recognised where this found them (no second
    detection). A page found turned a quarter is detected again upright: text boxed across its lines
    is boxed less well. Upside down, the same boxes serve, turned."""
    from extractor.vision import orientation as orient  # OpenCV only when a page needs OCR

    h, w = image.shape[:2]
    small, scale = orient.downscale(image, detect_side)
    quads = engine.detect(small)
    if not quads:
        return PageLayout(0, 0.0, [])
    sh, sw = small.shape[:2]
    rotation = 90 if orient.is_sideways(quads) else 0
    turned = orient.rotate_quarter(small, rotation)
    if rotation:
        quads = orient.rotate_quads_quarter(quads, sw, sh, rotation)
    crops = [c for c in (orient.crop_quad(turned, q) for q in orient.longest_boxes(quads)) if c.size]
    flags = engine.upside_down(crops) if crops else []
    if flags and sum(flags) * 2 > len(flags):
        th, tw = turned.shape[:2]
        quads = orient.rotate_quads_quarter(quads, tw, th, 180)
        rotation = (rotation + 180) % 360
    if rotation in (90, 270):
        quads = engine.detect(orient.rotate_quarter(small, rotation))
    quads = orient.scale_quads(quads, 1.0 / scale)
    uw, uh = (h, w) if rotation in (90, 270) else (w, h)
    skew = orient.skew_degrees(quads)
    if abs(skew) < MIN_SKEW:
        return PageLayout(rotation, 0.0, quads)
    return PageLayout(rotation, skew, orient.transform_quads(quads, orient.deskew_matrix(uw, uh, skew)))


def set_upright(image: np.ndarray, rotation: int, skew: float) -> np.ndarray:
    """The page image turned a quarter `rotation` and straightened by `skew` (the image itself when
    there is nothing to do)."""
    from extractor.vision import orientation as orient

    upright = orient.rotate_quarter(image, rotation)
    return orient.deskew(upright, skew) if skew else upright


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
        engine_name = lines_identity(self.settings)
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
        upright = set_upright(render(), result.rotation, result.skew)
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
        """The seals on a page image, found and read; a recogniser is loaded only when one is there:
        the full engine if this process has it already, else the recogniser alone where it reads as
        the engine does (a text-layer page with a stamped picture needs nothing more)."""
        from extractor.ocr.seal_reader import read_seals
        from extractor.vision.seal_detect import find_seals

        shapes = find_seals(image)
        if not shapes:
            return []
        reader: LineEngine | None = self._engine or load_line_engine(self.settings)
        return read_seals(reader or self.engine, image, shapes)

    def recognise(self, image: np.ndarray) -> OcrResult:
        """Seals are found first and their ink removed, so that orientation, skew and the body
        text are judged on the page without them; the seals are then read on the upright page, and
        the lines the one detection found are recognised on it, the seals' ink removed."""
        from extractor.ocr.seal_reader import read_seals
        from extractor.vision.seal_detect import find_seals
        from extractor.vision.seal_ink import remove_seal_ink

        h, w = image.shape[:2]
        if min(h, w) < MIN_TEXT_SIDE:  # no line of text fits; the detector would blow it up to 736 px high
            return OcrResult(width=w, height=h, lines=[], engine=engine_name_for(self.settings),
                             seal_version=SEAL_VERSION)
        engine = self.engine
        first = find_seals(image)
        layout = find_layout(engine, remove_seal_ink(image, first), self.settings.ocr_detect_side)
        upright = set_upright(image, layout.rotation, layout.skew)
        # found again only where turning or straightening moved them
        shapes = first if upright is image else find_seals(upright)
        seals = read_seals(engine, upright, shapes)
        lines = engine.recognize_boxes(remove_seal_ink(upright, shapes), layout.quads) if layout.has_text else []
        self.pages_recognised += 1
        h, w = upright.shape[:2]
        return OcrResult(width=w, height=h, lines=lines, rotation=layout.rotation, skew=layout.skew,
                         engine=engine.name, seals=seals, seal_version=SEAL_VERSION)
