"""`precheck eval` on the CI subset of gold (tag `fast`) may not fall a point below the baseline."""

import json
import os
import subprocess
import sys
from pathlib import Path

from extractor.evaluate.table import load_baseline
from tests.conftest import ROOT

GOLD = ROOT / "gold"
BASELINE = ROOT / "gold" / "baseline.json"


def test_fast_subset_holds_the_recorded_baseline(tmp_path: Path) -> None:
    baseline = load_baseline(BASELINE, "fast")
    assert baseline, "no fast baseline: precheck eval gold --tag fast --update-baseline"
    out = tmp_path / "metrics.json"
    done = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "eval", str(GOLD), "--tag", "fast", "--baseline", str(BASELINE),
         "--check", "--json", str(out)],
        capture_output=True, text=True, timeout=1800, cwd=ROOT,
        env={**os.environ, "PRECHECK_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    metrics = json.loads(out.read_text(encoding="utf-8"))
    assert metrics["bundles"] >= 6
    assert "doc_type_accuracy" in metrics["overall"]
