"""The bare engines precheck is compared with, each in a process of its own.

    python -m benchmarks.bare_engines ocr [--runtime onnxruntime|openvino] IMAGE...
        RapidOCR, default settings, the packaged models, on its default onnxruntime engine or on
        OpenVINO (RapidOCR's own EngineType.OPENVINO for Det, Cls and Rec; nothing else set, so
        OpenVINO's own defaults: f32 on a CPU without bf16, its own thread count)
    python -m benchmarks.bare_engines pdf PDF...      pdfplumber words + tables on every page
"""

import sys
from typing import Any

RUNTIMES = ("onnxruntime", "openvino")


def bare_ocr(args: list[str]) -> None:
    runtime = "onnxruntime"
    if args[:1] == ["--runtime"]:
        runtime, args = args[1], args[2:]
    elif args and args[0].startswith("--runtime="):
        runtime, args = args[0].split("=", 1)[1], args[1:]
    if runtime not in RUNTIMES:
        raise SystemExit(f"unknown runtime {runtime!r} (one of {', '.join(RUNTIMES)})")
    from rapidocr import EngineType, RapidOCR

    from extractor.ocr.rapid import packaged_model_paths

    models = packaged_model_paths()
    params: dict[str, Any] = {
        "Global.log_level": "error",
        "Det.model_path": str(models["det"]),
        "Rec.model_path": str(models["rec"]),
        "Cls.model_path": str(models["cls"]),
    }
    if runtime == "openvino":
        params |= {f"{part}.engine_type": EngineType.OPENVINO for part in ("Det", "Cls", "Rec")}
    engine = RapidOCR(params=params)
    lines = 0
    for path in args:
        out = engine(path)
        lines += len(out.txts or ())
    print(lines)


def bare_pdf(paths: list[str]) -> None:
    import pdfplumber

    words = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                words += len(page.extract_words())
                for table in page.find_tables():
                    table.extract()
    print(words)


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    {"ocr": bare_ocr, "pdf": bare_pdf}[kind](args)
