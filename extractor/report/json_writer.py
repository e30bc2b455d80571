"""The JSON report of the contract, `precheck.report/1`."""

import json
import sys
from pathlib import Path

from models import Report


def report_json(report: Report) -> str:
    return json.dumps(report.to_json_dict(), ensure_ascii=False, indent=2)


def write_json(report: Report, target: Path | None) -> None:
    """Write to `target`, or to stdout when it is None. Writes atomically to a file."""
    text = report_json(report) + "\n"
    if target is None:
        sys.stdout.write(text)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)
