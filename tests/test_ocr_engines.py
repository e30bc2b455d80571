"""Engine adapters: the default RapidOCR models come from inside the wheel; PaddleOCR's output
shape maps to the same lines; PaddleOCR refuses to start without local model folders."""

from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.ocr.paddle import PaddleOcrEngine, lines_from_paddle
from extractor.ocr.rapid import packaged_model_paths
from extractor.settings import Settings


def test_default_models_ship_inside_the_rapidocr_package() -> None:
    import rapidocr

    package_dir = Path(rapidocr.__file__).parent
    for path in packaged_model_paths().values():
        assert path.is_file() and path.is_relative_to(package_dir)


def test_paddle_output_maps_to_lines() -> None:
    result = [[[[[10, 20], [110, 20], [110, 40], [10, 40]], ("有效期至2026年3月14日", 0.97)]]]
    [line] = lines_from_paddle(result)
    assert line.text == "有效期至2026年3月14日" and line.score == pytest.approx(0.97)
    assert line.quad[2] == [110.0, 40.0]
    assert lines_from_paddle([None]) == []


def test_paddle_engine_refuses_to_start_without_model_folders(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PRECHECK_PADDLE_DET_MODEL_DIR"):
        PaddleOcrEngine(Settings(cache_dir=tmp_path, ocr_engine="paddle"))
