"""The inference runtime under the PP-OCR models (`PRECHECK_OCR_RUNTIME`): onnxruntime, which the
rapidocr wheel brings, or OpenVINO (`pip install precheck[openvino]`), which runs the same ONNX files
(it reads them directly: no conversion, nothing downloaded). `auto` takes OpenVINO where it is
installed, loads, and is the faster one (`choose`), else onnxruntime — also the fallback when OpenVINO
cannot load; a runtime asked for by name that cannot load is an error, not a silent fallback.

Precision is explicit (`PRECHECK_OCR_PRECISION`): OpenVINO on a CPU with AVX-512 BF16 or AMX runs in
bf16 unless told otherwise, which changes what is recognised; `f32` (the default) pins it. onnxruntime
runs the f32 models as they are (bf16 is OpenVINO's only)."""

from __future__ import annotations

import functools
import importlib.util
import logging
import sys
import types
from pathlib import Path
from typing import Any, Literal

from extractor.errors import EngineError

log = logging.getLogger(__name__)

Runtime = Literal["onnxruntime", "openvino"]
Precision = Literal["f32", "bf16"]


def installed(runtime: Runtime) -> bool:
    return importlib.util.find_spec(runtime) is not None


def _without_telemetry() -> None:
    """`import openvino` imports its model converter (openvino.tools.ovc), whose telemetry writes a
    client id into ~/intel at once (seen under strace: tests/test_no_network.py). precheck converts no
    model; the converter is replaced, before OpenVINO is first imported, by a stand-in that refuses, so
    that no id is made and nothing could be sent (管理办法 第十九条)."""
    if "openvino" in sys.modules or "openvino.tools.ovc" in sys.modules:
        return
    stand_in = types.ModuleType("openvino.tools.ovc")

    def convert_model(*args: Any, **kwargs: Any) -> Any:
        raise EngineError("precheck 不转换模型（OpenVINO 的转换工具及其遥测已停用）")

    stand_in.convert_model = convert_model  # type: ignore[attr-defined]
    sys.modules["openvino.tools.ovc"] = stand_in


@functools.lru_cache(maxsize=1)
def _openvino_loads() -> bool:
    """OpenVINO imports (without its telemetry) and sees a CPU device (once per process)."""
    _without_telemetry()
    try:
        from openvino import Core

        return "CPU" in Core().available_devices
    except Exception as exc:  # a broken install, an unsupported CPU
        log.warning("OpenVINO does not load here (%s); onnxruntime is used", type(exc).__name__)
        return False


BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})  # /proc/cpuinfo: the CPU runs bf16 natively


@functools.lru_cache(maxsize=1)
def _cpu_has_bf16() -> bool:
    """The CPU runs bf16 natively (AVX-512 BF16 or AMX). Read from /proc/cpuinfo, so that choosing a
    runtime (which names every OCR cache entry) imports nothing; elsewhere OpenVINO is asked."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return installed("openvino") and _openvino_loads() and _openvino_says_bf16()
    return any(not BF16_FLAGS.isdisjoint(line.split()) for line in text.splitlines() if line.startswith("flags"))


def _openvino_says_bf16() -> bool:
    _without_telemetry()
    from openvino import Core

    return "BF16" in Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")


_failed: set[str] = set()  # runtimes that failed to load in this process


def choose(setting: str) -> Runtime:
    """The runtime for a `PRECHECK_OCR_RUNTIME` value. `auto`: OpenVINO where it is installed and the
    CPU runs bf16 natively (a Xeon with AMX read scanned pages 3-4× faster on it than on onnxruntime);
    elsewhere onnxruntime (on an AVX2-only EPYC, OpenVINO f32 was as fast, with 60 % more memory).
    Choosing imports neither runtime; `auto` falls back to onnxruntime for the rest of the process
    once OpenVINO failed to load (`loaded`)."""
    if setting == "auto":
        fast = installed("openvino") and "openvino" not in _failed and _cpu_has_bf16()
        return "openvino" if fast else "onnxruntime"
    if setting not in ("onnxruntime", "openvino"):
        raise EngineError(f"未知的 OCR 推理运行时：{setting}（可选 auto、onnxruntime、openvino）")
    runtime: Runtime = setting  # type: ignore[assignment]
    if not installed(runtime):
        raise EngineError(f"OCR 推理运行时 {runtime} 未安装；请改用 PRECHECK_OCR_RUNTIME=auto")
    return runtime


def loaded(setting: str) -> Runtime:
    """`choose`, when the engine is about to load: OpenVINO is imported and seen to work, or, asked
    for by `auto`, given up for onnxruntime; asked for by name, an error."""
    runtime = choose(setting)
    if runtime == "openvino" and not _openvino_loads():
        if setting != "auto":
            raise EngineError("OCR 推理运行时 openvino 无法在本机加载；请改用 PRECHECK_OCR_RUNTIME=auto")
        _failed.add("openvino")
        return choose(setting)
    return runtime


def rapidocr_params(runtime: Runtime, threads: int, precision: Precision, compiled_dir: Path | None = None
                    ) -> dict[str, Any]:
    """RapidOCR's parameters selecting the runtime for its three models, with threads and precision;
    OpenVINO keeps the models it compiled in `compiled_dir` (a later process loads them instead of
    compiling again: no applicant data, only the models for this CPU)."""
    from rapidocr import EngineType

    engine = EngineType.OPENVINO if runtime == "openvino" else EngineType.ONNXRUNTIME
    params: dict[str, Any] = {f"{part}.engine_type": engine for part in ("Det", "Cls", "Rec")}
    if runtime == "openvino":
        _pass_precision_hint()
        params[f"EngineConfig.openvino.{PRECISION_KEY}"] = precision
        if compiled_dir is not None:
            params[f"EngineConfig.openvino.{CACHE_KEY}"] = str(compiled_dir)
        if threads:
            params["EngineConfig.openvino.inference_num_threads"] = threads
    elif threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
    return params


PRECISION_KEY = "inference_precision_hint"
CACHE_KEY = "compiled_model_dir"


@functools.lru_cache(maxsize=1)
def _pass_precision_hint() -> None:
    """RapidOCR hands OpenVINO the CPU properties it knows; the precision hint is not among them. Its
    config class is extended (once per process) to pass `inference_precision_hint` from each engine's
    own parameters, so engines of different precisions can live side by side; likewise the folder of
    compiled models."""
    from rapidocr.inference_engine.openvino import main

    base = main.CPUConfig

    class CPUConfigWithPrecision(base):  # type: ignore[misc, valid-type]
        def get_config(self) -> dict[str, Any]:
            config: dict[str, Any] = super().get_config()
            hint = self.cfg.get(PRECISION_KEY, None)
            if hint is not None:
                config["INFERENCE_PRECISION_HINT"] = str(hint)
            compiled = self.cfg.get(CACHE_KEY, None)
            if compiled is not None:
                config["CACHE_DIR"] = str(compiled)
            return config

    main.CPUConfig = CPUConfigWithPrecision  # type: ignore[misc]


def engine_suffix(runtime: Runtime, precision: Precision) -> str:
    """What the runtime adds to the engine's name (the OCR cache key): nothing for onnxruntime, whose
    results the cache already holds; the runtime and precision otherwise, as they change the text."""
    return "" if runtime == "onnxruntime" else f"@{runtime}-{precision}"
