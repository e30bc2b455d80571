"""One `check` in this process, printing its run statistics as JSON (used by bench_parse.py)."""

import json
import sys
import time
from pathlib import Path

from extractor.pipeline import RunStats, check
from extractor.settings import Settings


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
            }
        )
    )


if __name__ == "__main__":
    main()
