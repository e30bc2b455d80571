"""Engine adapters: the default RapidOCR models come from inside the wheel; PaddleOCR's output
shape maps to the same lines; PaddleOCR refuses to start without local model folders; the inference
runtime under RapidOCR is a setting (onnxruntime or OpenVINO) that reads the same text."""

import importlib.util
from pathlib import Path

import numpy as np
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


def _page(stamped_scan_png: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(stamped_scan_png).convert("RGB"))[:, :, ::-1].copy()


def test_the_runtime_setting_chooses_onnxruntime_or_openvino_and_refuses_others() -> None:
    from extractor.errors import EngineError
    from extractor.ocr import runtime

    assert runtime.choose("onnxruntime") == "onnxruntime"
    bf16 = runtime.installed("openvino") and runtime._cpu_has_bf16()
    assert runtime.choose("auto") == ("openvino" if bf16 else "onnxruntime")
    with pytest.raises(EngineError, match="未知的 OCR 推理运行时"):
        runtime.choose("tensorrt")


@pytest.mark.skipif(importlib.util.find_spec("openvino") is None, reason="OpenVINO is not installed")
def test_the_cpu_flags_read_for_bf16_agree_with_what_openvino_reports() -> None:
    """`auto` decides from /proc/cpuinfo so that naming a cache entry imports no runtime; on this
    machine that reading must be OpenVINO's own."""
    from extractor.ocr import runtime

    assert runtime._cpu_has_bf16() == runtime._openvino_says_bf16()


def test_auto_falls_back_to_onnxruntime_when_openvino_cannot_load_and_a_named_openvino_is_an_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from extractor.errors import EngineError
    from extractor.ocr import runtime

    monkeypatch.setattr(runtime, "installed", lambda name: True)
    monkeypatch.setattr(runtime, "_cpu_has_bf16", lambda: True)
    monkeypatch.setattr(runtime, "_openvino_loads", lambda: False)
    monkeypatch.setattr(runtime, "_failed", set())
    assert runtime.choose("auto") == "openvino"  # what a cache look-up names before any engine loads
    assert runtime.loaded("auto") == "onnxruntime"
    assert runtime.choose("auto") == "onnxruntime"  # and from then on in this process
    with pytest.raises(EngineError, match="无法在本机加载"):
        runtime.loaded("openvino")


@pytest.mark.skipif(importlib.util.find_spec("openvino") is None, reason="OpenVINO is not installed")
def test_openvino_reads_a_stamped_scan_as_onnxruntime_does_in_the_precision_asked(stamped_scan_png: Path) -> None:
    from extractor.ocr.rapid import RapidOcrEngine

    page = _page(stamped_scan_png)
    onnx = RapidOcrEngine(Settings(ocr_runtime="onnxruntime"))
    vino = RapidOcrEngine(Settings(ocr_runtime="openvino", ocr_precision="f32"))
    assert [line.text for line in vino.recognize(page)] == [line.text for line in onnx.recognize(page)]
    compiled = vino._ocr._load_det_model().session.session.get_compiled_model()
    assert str(compiled.get_property("INFERENCE_PRECISION_HINT")) == "<Type: 'float32'>"
    # the cache keeps each runtime's results apart; onnxruntime's name is the one caches already hold
    assert onnx.name.startswith("rapidocr:") and "@" not in onnx.name
    assert vino.name == onnx.name + "@openvino-f32"
    from extractor.ocr.reader import engine_name_for

    looked_up = engine_name_for(Settings(ocr_runtime="openvino"))  # the key a cache look-up uses
    assert looked_up.endswith("@openvino-f32") and engine_name_for(Settings(ocr_runtime="onnxruntime")) == (
        looked_up.removesuffix("@openvino-f32"))


REAL = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "real"


def test_the_recogniser_alone_reads_lines_and_real_seals_exactly_as_rapidocr_does(stamped_scan_png: Path) -> None:
    """Text-layer pages with a stamped picture read their seal with the recogniser alone (no rapidocr
    import); the readings must be RapidOCR's to the last probability, cached ones included."""
    import cv2

    from extractor.ocr.line_reader import LineReader
    from extractor.ocr.rapid import RapidOcrEngine
    from extractor.ocr.seal_reader import read_seals
    from extractor.vision.seal_detect import find_seals

    settings = Settings()
    full = RapidOcrEngine(settings)
    alone = LineReader(packaged_model_paths()["rec"])
    page = _page(stamped_scan_png)
    strips = [page[30:110, 20:900], page[40:60, 20:700], cv2.resize(page[30:110], (2600, 60)), page[:25, :25]]
    for strip in strips:
        text, score, probs, dictionary = full.line_probs(strip)
        assert alone.line_probs(strip)[:2] == (text, score)
        assert np.array_equal(alone.line_probs(strip)[2], probs) and alone.dictionary == dictionary
        assert alone.recognize_line(strip) == full.recognize_line(strip)
    read = 0
    for name in ("getseal_zhongdao_crop.png", "invoice_blue_oval_guangzhou_jingdong.jpeg"):
        image = cv2.imread(str(REAL / name))
        shapes = find_seals(image)
        assert read_seals(alone, image, shapes) == read_seals(full, image, shapes)
        read += sum(1 for s in read_seals(alone, image, shapes) if s.text)
    assert read >= 2


def test_a_text_layer_page_with_a_stamped_seal_is_read_without_importing_rapidocr(tmp_path: Path) -> None:
    from docx import Document
    from docx.shared import Inches
    from PIL import Image

    from tests.builders import check_in_fresh_process, libreoffice_convert

    doc = Document()
    doc.add_paragraph("承诺书")
    doc.add_paragraph("本单位承诺所提交的申报材料真实、准确、完整。")
    picture = tmp_path / "seal.png"
    Image.open(REAL / "getseal_zhongdao_crop.png").convert("RGB").save(picture)
    doc.add_picture(str(picture), width=Inches(1.6))
    folder = tmp_path / "bundle"
    folder.mkdir()
    doc.save(str(tmp_path / "承诺书.docx"))
    made = libreoffice_convert(tmp_path / "承诺书.docx", "pdf", tmp_path)
    made.rename(folder / made.name)
    docs, imported = check_in_fresh_process(folder, tmp_path / "cache", ("onnxruntime", "rapidocr"),
                                            ocr_runtime="onnxruntime")
    assert docs == [{"text_source": "text_layer", "seals": ["北京中导开源科技有限公司"]}]
    assert imported == ["onnxruntime"]
