"""Time and peak memory of `precheck check` on the hostile corpus (tests/hostile/cases.py), one bundle
per category, each a whole process with the default limits (or those given).

Peak memory is the largest resident set of the check's process tree (the CLI, its parse worker and
anything they start: LibreOffice), sampled every 20 ms — the figure the per-file memory cap bounds.

    python3 -m benchmarks.bench_hostile [--timeout-s 60] [--memory-mb 2048]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from extractor.proctree import resident_mb
from tests.hostile.cases import CATEGORIES, all_cases, build_folder

ROOT = Path(__file__).resolve().parents[1]


def run(category: str, base: Path, timeout_s: int, memory_mb: int) -> dict[str, object]:
    folder = base / category / "bundle"
    cases = [c for c in all_cases() if c.category == category]
    build_folder(folder, cases)
    env = dict(os.environ, PRECHECK_CACHE_DIR=str(base / category / "cache"),
               PRECHECK_FILE_TIMEOUT_S=str(timeout_s), PRECHECK_FILE_MEMORY_MB=str(memory_mb))
    out = base / category / "report.json"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "extractor.cli", "check", str(folder), "--json", str(out)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, resident_mb(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    report = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {"documents": []}
    docs = report["documents"]
    return {"category": category, "cases": len(cases), "exit": proc.returncode, "seconds": round(seconds, 1),
            "peak_mb": round(peak), "documents": len(docs),
            "with_error": sum(1 for d in docs if d.get("errors") or d.get("internal_error")),
            "internal_errors": sum(1 for d in docs if d.get("internal_error"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout-s", type=int, default=60)
    parser.add_argument("--memory-mb", type=int, default=2048)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        for category in CATEGORIES:
            row = run(category, Path(tmp), args.timeout_s, args.memory_mb)
            rows.append(row)
            print(f"{category:8} {row['cases']:3} cases  exit {row['exit']}  {row['seconds']:6.1f} s  "
                  f"peak {row['peak_mb']:5} MB  listed {row['documents']:3}  with error {row['with_error']:3}  "
                  f"internal {row['internal_errors']}", flush=True)
    worst = max(int(str(r["peak_mb"])) for r in rows)
    print(f"cap {args.memory_mb} MB per file; largest peak of a whole check {worst} MB; "
          f"total {sum(float(str(r['seconds'])) for r in rows):.1f} s")
    return 0 if all(r["exit"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
