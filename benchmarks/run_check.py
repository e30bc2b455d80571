"""One `check` in this process, printing its run statistics as JSON (used by bench_parse.py).

`runtimes_imported` lists the OCR runtimes (onnxruntime, openvino) imported in this process; with
files parsed in a worker (the default) the worker's imports are not seen here, so bench_parse.py
asks with PRECHECK_ISOLATE_FILES=0 when it needs to know whether a run loaded one."""

import json
import sys
import time
from pathlib import Path

from extractor.pipeline import RunStats, check
from extractor.settings import Settings

RUNTIME_MODULES = ("onnxruntime", "openvino")


def main() -> None:
    path, cache_dir = Path(sys.argv[1]), Path(sys.argv[2])
    started = time.perf_counter()
    stats = RunStats()
    report = check(path, Settings(cache_dir=cache_dir), stats=stats)
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "documents": len(report.documents),
                "counters": stats.counters,
                "seconds_by_source": stats.seconds_by_source,
                "pages_by_source": stats.pages_by_source,
                "seal_texts": [s.text for d in report.documents for s in d.seals],
                "runtimes_imported": sorted(m for m in sys.modules if m in RUNTIME_MODULES),
            }
        )
    )


if __name__ == "__main__":
    main()
