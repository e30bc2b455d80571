"""Accuracy of each OCR inference runtime on the gold corpus: prints numbers, asserts nothing.

    python -m benchmarks.bench_runtime_accuracy [--sets family,real] [--runtimes onnxruntime,openvino]
                                                [--precision f32|bf16] [--out DIR]

For each runtime R and each gold set, `precheck eval` in a process of its own with
`PRECHECK_OCR_RUNTIME=R` and an empty OCR cache of its own (`PRECHECK_CACHE_DIR`), so every page is
read by R. Then, side by side: field F1 (overall and per key, read by OCR), seal presence and
seal-text match, the misses one runtime has and the other not; and, from the two caches, the
recognised lines that differ between the runtimes page by page (text lines and seal rings).

Sets: `family` (`gold --tag family`: 38 bundles in independent layouts, about 180 OCR'd pages),
`family-set-2` (4 of them), `fast` (the CI subset), `real` (`gold/real`: real scans, photos and
seals). First, what OpenVINO does with each precision on this CPU (a bf16 hint on a CPU without
AVX-512 BF16 / AMX compiles to f32).
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETS: dict[str, list[str]] = {
    "family": ["gold", "--tag", "family"],
    "family-set-2": ["gold", "--tag", "family-set-2"],
    "fast": ["gold", "--tag", "fast"],
    "real": ["gold/real"],
}
RUNTIMES = ("onnxruntime", "openvino")
HEADLINE = ["field_f1", "field_precision", "field_recall", "doc_type_accuracy", "findings_f1",
            "verdict_accuracy", "seal_presence_accuracy", "seal_text_match"]


def openvino_precisions() -> list[str]:
    """What OpenVINO reports for this CPU, and the precision it compiles the recogniser to per hint;
    whether f32 and bf16 give the same output on one input."""
    import numpy as np
    from openvino import Core

    from extractor.ocr.rapid import packaged_model_paths

    core = Core()
    lines = [f"openvino {core.get_versions('CPU')['CPU'].build_number}; CPU: "
             f"{core.get_property('CPU', 'FULL_DEVICE_NAME')}; "
             f"OPTIMIZATION_CAPABILITIES {core.get_property('CPU', 'OPTIMIZATION_CAPABILITIES')}"]
    model = core.read_model(packaged_model_paths()["rec"])
    sample = np.random.default_rng(0).random((1, 3, 48, 320), dtype=np.float32)
    outs = {}
    for hint in ("f32", "bf16"):
        compiled = core.compile_model(model, "CPU", {"INFERENCE_PRECISION_HINT": hint})
        outs[hint] = compiled.create_infer_request().infer([sample])[0]
        lines.append(f"hint {hint}: compiled INFERENCE_PRECISION_HINT = "
                     f"{compiled.get_property('INFERENCE_PRECISION_HINT')}")
    diff = float(np.abs(outs["f32"] - outs["bf16"]).max())
    lines.append(f"recogniser output, f32 hint vs bf16 hint on one input: "
                 f"{'identical' if diff == 0 else f'max abs diff {diff:.3g}'}")
    return lines


def run_eval(set_args: list[str], runtime: str, precision: str, work: Path, label: str,
             memory_mb: int | None = None) -> dict[str, Any]:
    cache = work / f"cache-{label}-{runtime}-{precision}"
    shutil.rmtree(cache, ignore_errors=True)
    out_json = work / f"eval-{label}-{runtime}-{precision}.json"
    env = {**os.environ, "PRECHECK_OCR_RUNTIME": runtime, "PRECHECK_OCR_PRECISION": precision,
           "PRECHECK_CACHE_DIR": str(cache), **({"PRECHECK_FILE_MEMORY_MB": str(memory_mb)} if memory_mb else {})}
    cmd = [str(Path(sys.executable).with_name("precheck")), "eval", *set_args, "--misses", "--json", str(out_json)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    (work / f"eval-{label}-{runtime}-{precision}.txt").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    metrics = json.loads(out_json.read_text(encoding="utf-8"))
    misses = proc.stdout.split("\nmisses (", 1)[1].splitlines()[1:] if "\nmisses (" in proc.stdout else []
    # files precheck stopped (memory cap, deadline, crash) are logged by name: they are misses of the
    # guard, not of the runtime's reading, and are counted apart
    stopped = [line for line in proc.stderr.splitlines()
               if any(m in line for m in ("超过内存上限", "解析超时", "解析进程意外退出"))]
    return {"seconds": seconds, "metrics": metrics, "misses": [m.strip() for m in misses if m.strip()],
            "cache": cache, "stdout": proc.stdout, "stopped": stopped}


def cache_pages(cache: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """The OCR results a run left, by (file sha256, n-th entry the file recorded)."""
    pages: dict[tuple[str, int], dict[str, Any]] = {}
    for owner_file in sorted((cache / "owners").glob("*/*.txt")):
        entries = [line.split("/", 1)[1] for line in owner_file.read_text(encoding="ascii").split()
                   if line.startswith("ocr/")]
        for index, key in enumerate(entries):
            path = cache / "ocr" / key[:2] / f"{key}.json"
            if path.is_file():
                pages[(owner_file.stem, index)] = json.loads(path.read_text(encoding="utf-8"))
    return pages


def compare_caches(a: Path, b: Path, samples: int = 25) -> list[str]:
    """Recognised text of the pages both runs read: lines and seal readings that differ."""
    pa, pb = cache_pages(a), cache_pages(b)
    common = sorted(set(pa) & set(pb))
    counts: dict[str, int] = defaultdict(int)
    examples: list[str] = []
    seal_examples: list[str] = []
    for key in common:
        ra, rb = pa[key], pb[key]
        if (ra["width"], ra["height"]) != (rb["width"], rb["height"]):
            counts["pages_turned_differently"] += 1
            continue
        counts["pages"] += 1
        la = [line["text"] for line in ra["lines"]]
        lb = [line["text"] for line in rb["lines"]]
        counts["lines_a"] += len(la)
        counts["lines_b"] += len(lb)
        ta, tb = "\n".join(la), "\n".join(lb)
        counts["chars_a"] += len(ta)
        page_differs = False
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
            if tag != "equal":
                counts["chars_differing"] += max(i2 - i1, j2 - j1)
                page_differs = True
        if ra.get("rotation") != rb.get("rotation"):
            counts["pages_rotation_differs"] += 1
        if la != lb:
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, la, lb, autojunk=False).get_opcodes():
                if tag == "equal":
                    continue
                counts["lines_differing"] += max(i2 - i1, j2 - j1)
                if len(examples) < samples:
                    examples.append(f"  {key[0][:10]}#{key[1]}: {' / '.join(la[i1:i2]) or '∅'}  →  "
                                    f"{' / '.join(lb[j1:j2]) or '∅'}")
        counts["pages_text_differs"] += page_differs
        sa = [s.get("text") for s in ra.get("seals", [])]
        sb = [s.get("text") for s in rb.get("seals", [])]
        counts["seals_a"] += len(sa)
        counts["seals_b"] += len(sb)
        if sa != sb:
            counts["pages_seal_reading_differs"] += 1
            seal_examples.append(f"  {key[0][:10]}#{key[1]}: {sa}  →  {sb}")
    out = [f"pages in both caches: {len(common)} (only first: {len(set(pa) - set(pb))}, "
           f"only second: {len(set(pb) - set(pa))})",
           "counts: " + ", ".join(f"{k} {v}" for k, v in counts.items())]
    if counts["chars_a"]:
        out.append(f"characters differing: {counts['chars_differing']} of {counts['chars_a']} "
                   f"({counts['chars_differing'] / counts['chars_a']:.3%})")
    out += ["differing lines (first → second):", *(examples or ["  none"])]
    out += ["differing seal readings (first → second):", *(seal_examples or ["  none"])]
    return out


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    """Headline metrics overall and on OCR'd documents, one column per run."""
    names = list(results)
    rows: list[tuple[str, str, str]] = [("overall", m, m) for m in HEADLINE]
    ocr_keys = sorted({k for r in results.values() for k in r["metrics"]["by_text_source"].get("ocr", {})
                       if k.startswith("field_f1.")})
    rows += [("ocr", m, f"ocr {m}") for m in ["field_f1", "doc_type_accuracy", "seal_presence_accuracy"]]
    rows += [("ocr", k, f"ocr {k}") for k in ocr_keys]
    width = max(len(label) for *_, label in rows) + 2
    lines = ["metric".ljust(width) + "".join(f"{n[:26]:>28}" for n in names)]
    for where, metric, label in rows:
        cells = ""
        for n in names:
            m = results[n]["metrics"]
            value = (m["overall"] if where == "overall" else m["by_text_source"].get("ocr", {})).get(metric)
            cells += f"{value:>28.4f}" if isinstance(value, (int, float)) else f"{'—':>28}"
        lines.append(label.ljust(width) + cells)
    lines.append("seconds (whole eval)".ljust(width) + "".join(f"{results[n]['seconds']:>28.1f}" for n in names))
    lines.append("s/page by source".ljust(width) + "".join(
        f"{', '.join(f'{k} {v}' for k, v in results[n]['metrics']['seconds_per_page'].items()):>28}"
        for n in names))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", default="family,real", help=f"comma-separated, of {', '.join(SETS)}")
    default_runtimes = ",".join(r for r in RUNTIMES if importlib.util.find_spec(r) is not None)
    parser.add_argument("--runtimes", default=default_runtimes)
    parser.add_argument("--precision", choices=("f32", "bf16"), default="f32")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--file-memory-mb", type=int, default=None,
                        help="PRECHECK_FILE_MEMORY_MB for the eval runs (default: precheck's own cap)")
    args = parser.parse_args()
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    runtimes = [r.strip() for r in args.runtimes.split(",") if r.strip()]
    if not sets or any(s not in SETS for s in sets) or not runtimes or any(r not in RUNTIMES for r in runtimes):
        parser.error("unknown set or runtime")
    work = Path(args.out or tempfile.mkdtemp(prefix="precheck-runtime-acc-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work folder: {work}")
    if "openvino" in runtimes:
        print(*openvino_precisions(), sep="\n")
    for label in sets:
        results: dict[str, dict[str, Any]] = {}
        for runtime in runtimes:
            name = f"{runtime}-{args.precision}" if runtime == "openvino" else runtime
            results[name] = run_eval(SETS[label], runtime, args.precision, work, label, args.file_memory_mb)
            print(f"[{label}] {name}: {results[name]['seconds']:.1f} s, "
                  f"{results[name]['metrics']['bundles']} bundles, failures {results[name]['metrics']['failures']}, "
                  f"files stopped {len(results[name]['stopped'])}", *results[name]["stopped"], sep="\n", flush=True)
        print(f"\n=== {label}: precheck eval {' '.join(SETS[label])} ===")
        print(*table(results), sep="\n")
        names = list(results)
        for first, second in itertools.pairwise(names):
            only_a = sorted(set(results[first]["misses"]) - set(results[second]["misses"]))
            only_b = sorted(set(results[second]["misses"]) - set(results[first]["misses"]))
            print(f"\nmisses only with {first} ({len(only_a)}):", *(f"  {m}" for m in only_a), sep="\n")
            print(f"misses only with {second} ({len(only_b)}):", *(f"  {m}" for m in only_b), sep="\n")
            print(f"\nrecognised text, {first} → {second}:")
            print(*compare_caches(results[first]["cache"], results[second]["cache"]), sep="\n")
        summary = {n: {"seconds": r["seconds"], "metrics": r["metrics"], "stopped": r["stopped"]}
                   for n, r in results.items()}
        (work / f"summary-{label}.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False),
                                                    encoding="utf-8")


if __name__ == "__main__":
    main()
