"""The inference runtime under the PP-OCR models (`PRECHECK_OCR_RUNTIME`): onnxruntime, which the
rapidocr wheel brings, or OpenVINO, which runs the same ONNX files (it reads them directly: no
conversion, nothing downloaded). `auto` takes OpenVINO when it is installed and loads on this CPU,
else onnxruntime; a runtime asked for by name that cannot load is an error, not a silent fallback.

Precision is explicit (`PRECHECK_OCR_PRECISION`): OpenVINO on a CPU with AVX-512 BF16 or AMX runs in
bf16 unless told otherwise, which changes what is recognised; `f32` (the default) pins it. onnxruntime
runs the f32 models as they are (bf16 is OpenVINO's only)."""

from __future__ import annotations

import functools
import importlib.util
import logging
from typing import Any, Literal

from extractor.errors import EngineError

log = logging.getLogger(__name__)

Runtime = Literal["onnxruntime", "openvino"]
Precision = Literal["f32", "bf16"]


def installed(runtime: Runtime) -> bool:
    return importlib.util.find_spec(runtime) is not None


@functools.lru_cache(maxsize=1)
def _openvino_loads() -> bool:
    """OpenVINO imports and sees a CPU device (once per process). Its telemetry lives in its model
    conversion tools (openvino.tools.ovc), which precheck never imports; the runtime sends nothing
    (tests/test_no_network.py runs a check on it under strace)."""
    try:
        from openvino import Core

        return "CPU" in Core().available_devices
    except Exception as exc:  # a broken install, an unsupported CPU
        log.warning("OpenVINO does not load here (%s); onnxruntime is used", type(exc).__name__)
        return False


def choose(setting: str) -> Runtime:
    """The runtime for a `PRECHECK_OCR_RUNTIME` value."""
    if setting == "auto":
        return "openvino" if installed("openvino") and _openvino_loads() else "onnxruntime"
    if setting not in ("onnxruntime", "openvino"):
        raise EngineError(f"未知的 OCR 推理运行时：{setting}（可选 auto、onnxruntime、openvino）")
    runtime: Runtime = setting  # type: ignore[assignment]
    if not installed(runtime) or (runtime == "openvino" and not _openvino_loads()):
        raise EngineError(f"OCR 推理运行时 {runtime} 未安装或无法在本机加载；请改用 PRECHECK_OCR_RUNTIME=auto")
    return runtime


def rapidocr_params(runtime: Runtime, threads: int, precision: Precision) -> dict[str, Any]:
    """RapidOCR's parameters selecting the runtime for its three models, with threads and precision."""
    from rapidocr import EngineType

    engine = EngineType.OPENVINO if runtime == "openvino" else EngineType.ONNXRUNTIME
    params: dict[str, Any] = {f"{part}.engine_type": engine for part in ("Det", "Cls", "Rec")}
    if runtime == "openvino":
        _pass_precision_hint()
        params[f"EngineConfig.openvino.{PRECISION_KEY}"] = precision
        if threads:
            params["EngineConfig.openvino.inference_num_threads"] = threads
    elif threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
    return params


PRECISION_KEY = "inference_precision_hint"


@functools.lru_cache(maxsize=1)
def _pass_precision_hint() -> None:
    """RapidOCR hands OpenVINO the CPU properties it knows; the precision hint is not among them. Its
    config class is extended (once per process) to pass `inference_precision_hint` from each engine's
    own parameters, so engines of different precisions can live side by side."""
    from rapidocr.inference_engine.openvino import main

    base = main.CPUConfig

    class CPUConfigWithPrecision(base):  # type: ignore[misc, valid-type]
        def get_config(self) -> dict[str, Any]:
            config: dict[str, Any] = super().get_config()
            hint = self.cfg.get(PRECISION_KEY, None)
            if hint is not None:
                config["INFERENCE_PRECISION_HINT"] = str(hint)
            return config

    main.CPUConfig = CPUConfigWithPrecision  # type: ignore[misc]


def engine_suffix(runtime: Runtime, precision: Precision) -> str:
    """What the runtime adds to the engine's name (the OCR cache key): nothing for onnxruntime, whose
    results the cache already holds; the runtime and precision otherwise, as they change the text."""
    return "" if runtime == "onnxruntime" else f"@{runtime}-{precision}"
