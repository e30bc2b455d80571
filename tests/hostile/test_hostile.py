"""Hostile files beside a good one: the check finishes, lists every file (a damaged one with its error)
and still reads the good file. One bundle folder per category, checked once (tests/hostile/cases.py)."""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractor.pipeline import check
from extractor.report.json_writer import report_json
from extractor.settings import Settings
from models import DocType, DocumentReport, Report
from tests.hostile.cases import CATEGORIES, GOOD_NAME, Case, Expect, all_cases, build_folder

CASES = all_cases()
BAD = [c for c in CASES if c.expect is not Expect.READABLE]
READABLE = [c for c in CASES if c.expect is Expect.READABLE]
LEAKS = [c for c in CASES if c.never_in_report]


def _ids(cases: list[Case]) -> list[str]:
    return [c.case_id for c in cases]


@dataclass
class Run:
    category: str
    report: Report | None
    failure: str | None  # the exception check() raised, with its traceback
    seconds: float


class Runs:
    """Each category's bundle built and checked once, on first use."""

    def __init__(self, base: Path, config: pytest.Config) -> None:
        self.base = base
        self.config = config
        self.done: dict[str, Run] = {}

    def get(self, category: str) -> Run:
        if category not in self.done:
            self.done[category] = self._check(category)
        return self.done[category]

    def _check(self, category: str) -> Run:
        root = self.base / category
        folder = root / "bundle"
        cases = [c for c in CASES if c.category == category]
        build_folder(folder, cases)
        settings = Settings(cache_dir=root / "cache", file_timeout_s=20, file_memory_mb=1024)
        started = time.perf_counter()
        report: Report | None = None
        failure: str | None = None
        try:
            report = check(folder, settings)
        except Exception as exc:  # recorded: every case of the category then fails with it
            failure = "".join(traceback.format_exception(exc))
        seconds = time.perf_counter() - started
        self._say(f"hostile {category}: {len(cases)} cases + 1 good file checked in {seconds:.1f} s"
                  + ("" if failure is None else " (check raised)"))
        return Run(category, report, failure, seconds)

    def _say(self, line: str) -> None:
        """Past pytest's capture, so the wall time shows in a passing run too."""
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        capture = self.config.pluginmanager.get_plugin("capturemanager")
        if reporter is None or capture is None:
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Runs:
    return Runs(tmp_path_factory.mktemp("hostile"), pytestconfig)


def report_of(run: Run) -> Report:
    assert run.report is not None, f"check() raised on the {run.category} bundle:\n{run.failure}"
    return run.report


def entries(report: Report, case: Case) -> list[DocumentReport]:
    """The report's documents for this case: the file itself or members of it (`name!/…`)."""
    return [d for d in report.documents
            if any(d.path == s or d.path.startswith(s + "!") for s in case.spellings)]


def shown(report: Report) -> str:
    paths = [repr(d.path) for d in report.documents]
    return ", ".join(paths[:40]) + (f" … ({len(paths)} in all)" if len(paths) > 40 else "")


def failed(doc: DocumentReport) -> bool:
    return bool(doc.errors) or doc.internal_error is not None


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_every_hostile_file_is_listed(runs: Runs, case: Case) -> None:
    report = report_of(runs.get(case.category))
    found = entries(report, case)
    assert found, f"{case.name!r} is not in the report; listed: {shown(report)}"
    if case.by_name:
        assert any(d.errors for d in found), f"{case.name!r} is listed without an error: {found[0].path!r}"
    for path in case.listed:
        assert any(d.path == path for d in found), f"{path!r} is not listed; listed: {[d.path for d in found]}"


@pytest.mark.parametrize("case", BAD, ids=_ids(BAD))
def test_a_bad_file_is_listed_with_its_error(runs: Runs, case: Case) -> None:
    report = report_of(runs.get(case.category))
    found = entries(report, case)
    assert found, f"{case.name!r} is not in the report"
    if case.expect is Expect.UNPACKED_OR_ERROR and any(d.path.startswith(s + "!") for d in found
                                                        for s in case.spellings):
        return  # unpacked: its members are what is checked
    summary = [(d.path, d.media_type, d.pages, d.doc_type.value) for d in found[:5]]
    assert any(d.errors for d in found), f"{case.name!r} is listed without any error: {summary}"
    inside = [(d.path, d.internal_error) for d in found if d.internal_error is not None]
    assert not inside, f"{case.name!r}: the file's damage was taken for precheck's own fault: {inside}"


@pytest.mark.parametrize("case", READABLE, ids=_ids(READABLE))
def test_a_readable_file_is_read_or_refused_without_a_crash(runs: Runs, case: Case) -> None:
    report = report_of(runs.get(case.category))
    crashed = [(d.path, d.internal_error) for d in entries(report, case) if d.internal_error is not None]
    assert not crashed, f"precheck failed inside on {case.name!r} ({case.note}): {crashed}"


@pytest.mark.parametrize("case", LEAKS, ids=_ids(LEAKS))
def test_nothing_from_outside_the_bundle_leaks_into_the_report(runs: Runs, case: Case) -> None:
    report = report_of(runs.get(case.category))
    assert case.never_in_report is not None
    assert case.never_in_report not in report.model_dump_json(), f"{case.name!r} let an outside file's text in"


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_good_file_beside_hostile_ones_is_still_read(runs: Runs, category: str) -> None:
    report = report_of(runs.get(category))
    good = [d for d in report.documents if d.path == GOOD_NAME]
    assert len(good) == 1, f"{GOOD_NAME} listed {len(good)} times; listed: {shown(report)}"
    doc = good[0]
    assert not doc.errors and doc.internal_error is None, f"{GOOD_NAME}: {doc.errors} {doc.internal_error}"
    assert doc.doc_type is DocType.COMMITMENT_LETTER, f"{GOOD_NAME} typed {doc.doc_type.value}"


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_report_can_be_written_as_json(runs: Runs, category: str) -> None:
    report = report_of(runs.get(category))
    try:
        report_json(report).encode("utf-8")  # as write_json writes it
    except (UnicodeError, ValueError, TypeError) as exc:
        pytest.fail(f"the {category} report cannot be written as JSON: {type(exc).__name__}: {exc}")
