"""A fault of precheck's own is told as such: logged with its traceback, reported as an internal
error on that one file, never disguised as an applicant's unreadable file; the rest is checked."""

import logging
from pathlib import Path

import pytest
from docx import Document

from extractor import parse
from extractor import pipeline as pipeline_module
from extractor.parse import sniff
from extractor.pipeline import check
from extractor.settings import Settings


def _bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "申报包"
    folder.mkdir()
    doc = Document()
    doc.add_heading("承诺书", level=1)
    doc.add_paragraph("申报单位（盖章）：洛阳博威有色金属有限责任公司")
    doc.save(str(folder / "承诺书.docx"))
    (folder / "说明.txt").write_text("补充说明：申报材料真实有效。", encoding="utf-8")
    return folder


def test_a_parser_bug_is_an_internal_error_logged_with_its_traceback_not_an_unreadable_file(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object) -> None:
        raise KeyError("a bug in the text parser")

    monkeypatch.setitem(parse.PARSERS, sniff.TEXT, broken)
    here = settings.model_copy(update={"isolate_files": False})  # the patched parser runs in this process
    with caplog.at_level(logging.ERROR, logger="extractor.parse"):
        report = check(_bundle(tmp_path), here)
    by_name = {d.path.rsplit("/", 1)[-1]: d for d in report.documents}
    broken_doc = by_name["说明.txt"]
    assert broken_doc.internal_error and "内部错误" in broken_doc.internal_error and not broken_doc.errors
    assert by_name["承诺书.docx"].doc_type == "commitment_letter"  # the rest of the bundle is still checked
    rules = [f.rule for f in report.findings]
    assert "internal_error" in rules and "file_unreadable" not in rules
    [record] = [r for r in caplog.records if "说明.txt" in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[0] is KeyError  # the traceback is logged
    assert "申报材料真实有效" not in caplog.text  # the file's content never reaches the log
    assert report.verdict == "needs_review"


def test_an_understanding_bug_on_one_file_leaves_the_others_understood(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = pipeline_module.classify

    def classify_or_fail(doc):  # type: ignore[no-untyped-def]
        if doc.path.endswith(".txt"):
            raise ValueError("a bug in classification")
        return real(doc)

    monkeypatch.setattr(pipeline_module, "classify", classify_or_fail)
    report = check(_bundle(tmp_path), settings)
    by_name = {d.path.rsplit("/", 1)[-1]: d for d in report.documents}
    assert by_name["说明.txt"].internal_error and "理解" in by_name["说明.txt"].internal_error
    assert by_name["承诺书.docx"].doc_type == "commitment_letter"
    assert [f.rule for f in report.findings if f.documents == [by_name["说明.txt"].path]] == ["internal_error"]
