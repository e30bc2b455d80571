"""The whole gold corpus through `precheck eval` (CI runs only the `fast` subset).

    python -m benchmarks.bench_eval [--cold]     prints the metric table and seconds per page
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true", help="start from an empty OCR cache")
    args = parser.parse_args()
    env = None
    if args.cold:
        import os

        env = {**os.environ, "PRECHECK_CACHE_DIR": tempfile.mkdtemp(prefix="precheck-eval-")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "eval", str(ROOT / "gold")], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    print(done.stdout)
    print(f"wall seconds\t{time.perf_counter() - started:.1f}")
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        sys.exit(done.returncode)


if __name__ == "__main__":
    main()
