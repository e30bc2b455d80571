"""What a worker does with a job: the bundle's originals put under their names in a private folder,
the same pipeline as `precheck check` run over them (one file: that file, as the CLI takes it; several:
their folder), and what is kept of the result — the report, each document's page geometry (to render
pages and crops later from the stored originals) and the HTML report with its evidence."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from extractor.judge.verdict import severity_counts
from extractor.pipeline import CheckResult, Progress, RunStats, check_bundle
from extractor.report.html_writer import write_html
from extractor.report.json_writer import report_json
from extractor.settings import Settings
from extractor.workdir import private_dir
from models import ParsedDocument, Report
from service.cache_sync import shared_cache
from service.jobs import Outcome
from service.storage import Store, materialise


def page_geometry(documents: list[ParsedDocument]) -> str:
    """The documents without their text: enough to render a page the way the report's boxes see it."""
    slim = [d.model_copy(update={"pages": [p.model_copy(update={"lines": [], "tables": [], "seals": []})
                                           for p in d.pages], "text": ""})
            for d in documents]
    return json.dumps([d.model_dump(mode="json") for d in slim], ensure_ascii=False)


def outcome_of(result: CheckResult) -> Outcome:
    report = result.report
    return Outcome(
        report_json=report_json(report), pages_json=page_geometry(result.documents),
        profile=report.bundle.profile, as_of=report.bundle.as_of.isoformat(), verdict=report.verdict.value,
        applicant=report.bundle.applicant.company_name, credit_code=report.bundle.applicant.credit_code,
        counts=severity_counts(report.findings),
    )


def run_check(store: Store, files: list[tuple[str, str]], label: str, profile: str, as_of: str | None,
              settings: Settings, html_key: str, on_progress: Callable[[Progress], None]) -> Outcome:
    """`label` is the bundle's name as uploaded: the report's `bundle.source` (never a temporary path).
    The HTML report goes to the store under `html_key` (`storage.report_key(bundle, job)`). With a
    bucket, the files' OCR cache is fetched before and sent after (service/cache_sync.py)."""
    with shared_cache(store, settings.cache_dir, [sha for _, sha in files], settings.ocr_cache) as owners:
        with private_dir("bundle") as folder:
            paths = materialise(store, files, folder)
            target = paths[0] if len(paths) == 1 else folder
            stats = RunStats(on_progress=on_progress)
            result = check_bundle(target, settings, profile, date.fromisoformat(as_of) if as_of else None, stats,
                                  evidence=True, label=label)
        owners.update(d.sha256 for d in result.report.documents if d.sha256)  # archive members, attachments
    with private_dir("report") as out:
        html = out / "report.html"
        write_html(result.report, result.crops, html)
        store.put_file(html_key, html)
    return outcome_of(result)


def report_of(text: str) -> Report:
    return Report.model_validate_json(text)
