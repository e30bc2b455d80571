"""Settings of the extractor, read once from `PRECHECK_*` environment variables and passed down."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache_dir() -> Path:
    return Path.home() / ".cache" / "precheck"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRECHECK_", env_file=None, extra="ignore")

    cache_dir: Path = Field(default_factory=_default_cache_dir)
    ocr_cache: bool = True
    ocr_engine: Literal["rapidocr", "paddle"] = "rapidocr"
    # Optional model files for RapidOCR (default: the PP-OCR models inside the wheel).
    rapidocr_det_model: Path | None = None
    rapidocr_rec_model: Path | None = None
    rapidocr_cls_model: Path | None = None
    # Native PaddleOCR needs model folders the user gives: nothing is downloaded.
    paddle_det_model_dir: Path | None = None
    paddle_rec_model_dir: Path | None = None
    paddle_cls_model_dir: Path | None = None
    ocr_threads: int = Field(default=0, ge=0)  # 0: the runtime decides
    # the inference runtime under the PP-OCR models and its precision (extractor/ocr/runtime.py)
    ocr_runtime: Literal["auto", "onnxruntime", "openvino"] = "auto"
    ocr_precision: Literal["f32", "bf16"] = "f32"
    # longest side of the page copy text lines are detected on (once per page: orientation, skew and
    # the lines to recognise); recognition reads the lines from the full page
    ocr_detect_side: int = Field(default=1024, ge=640, le=4096)  # 1024 vs 2000 on gold: see README

    render_dpi: int = Field(default=200, ge=72, le=600)
    max_image_pixels: int = Field(default=120_000_000, ge=1_000_000)  # decompression-bomb guard
    max_file_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    max_pages: int = Field(default=500, ge=1)
    min_embedded_image_px: int = Field(default=300, ge=16)  # smaller images in Word are logos/icons

    # Archives and mails (a bundle is unpacked into a private temporary folder, removed afterwards).
    max_bundle_bytes: int = Field(default=2 * 1024**3, ge=1)  # all unpacked members of one bundle
    max_bundle_files: int = Field(default=2000, ge=1)
    max_archive_depth: int = Field(default=4, ge=1)  # archives (and mails) inside archives
    max_compression_ratio: int = Field(default=200, ge=2)  # enforced on members over 16 MiB unpacked

    # Each file is parsed in a worker process under a deadline and a memory cap (extractor/parse/guarded.py);
    # isolate_files=False parses in the calling process (no bounds: for debugging a parser).
    isolate_files: bool = True
    file_timeout_s: int = Field(default=600, ge=5)
    file_memory_mb: int = Field(default=2048, ge=1024)  # the whole check; the parse worker gets 256 MB less

    libreoffice: str | None = None  # path to soffice; found on PATH when unset
    convert_timeout_s: int = Field(default=180, ge=10)
