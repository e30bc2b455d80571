"""Batch throughput: the same inbox through `precheck batch` on one worker and on N workers.

    python -m benchmarks.bench_batch [--bundles 8] [--workers 2]

Each run is a whole `precheck batch` process with its own empty OCR cache and output folder, so
nothing is reused between runs; the figure is the ratio of wall times within one invocation (the
machines are shared, absolute seconds drift). Also prints one worker with one OCR thread, which tells
how much of the gain comes from splitting the cores between bundles rather than inside one.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold" / "bundles"


def make_inbox(target: Path, count: int) -> list[str]:
    """A folder of bundles as reviewers receive them: archives, mails and folders of scans and Word."""
    chosen = sorted(p for p in GOLD.iterdir() if not p.name.endswith(".gold.json") and p.name.startswith("GB2021"))
    chosen = chosen[:count]
    for path in chosen:
        if path.is_dir():
            shutil.copytree(path, target / path.name)
        else:
            shutil.copy(path, target / path.name)
    return [p.name for p in chosen]


def run(inbox: Path, workers: int, ocr_threads: int | None = None) -> tuple[float, str]:
    out = Path(tempfile.mkdtemp(prefix="precheck-bench-out-"))
    env = {**os.environ, "PRECHECK_CACHE_DIR": tempfile.mkdtemp(prefix="precheck-bench-cache-")}
    if ocr_threads is not None:
        env["PRECHECK_OCR_THREADS"] = str(ocr_threads)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "batch", str(inbox), "--profile", "caq-benchmark-2021",
         "--out", str(out), "--workers", str(workers)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        sys.exit(done.returncode)
    pages = sum(int(line.split("]")[1].split("页")[0]) for line in done.stderr.splitlines()[-2:-1] if "页" in line)
    shutil.rmtree(out, ignore_errors=True)
    return elapsed, f"{pages} pages"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundles", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="precheck-bench-inbox-") as tmp:
        inbox = Path(tmp)
        names = make_inbox(inbox, args.bundles)
        print(f"inbox\t{len(names)} bundles (caq-2021: zip, 7z, rar, eml, msg, folders)\tcores {os.cpu_count()}")
        one, pages = run(inbox, 1)
        print(f"1 worker (OCR threads: onnxruntime default)\t{one:.1f} s\t{pages}")
        one_thread, _ = run(inbox, 1, ocr_threads=1)
        print(f"1 worker, 1 OCR thread\t{one_thread:.1f} s")
        many, _ = run(inbox, args.workers)
        print(f"{args.workers} workers (OCR threads split)\t{many:.1f} s")
        print(f"throughput {args.workers} workers ÷ 1 worker\t{one / many:.2f}×")
        print(f"throughput {args.workers} workers ÷ 1 worker with 1 thread\t{one_thread / many:.2f}×")


if __name__ == "__main__":
    main()
