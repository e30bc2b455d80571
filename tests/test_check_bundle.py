"""`precheck check` end to end on a mixed folder: every file listed, schema-valid, bad files reported."""

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from extractor.pipeline import RunStats, bundle_id, check
from extractor.settings import Settings
from models import DocType, Report, Verdict
from tests.conftest import CONTRACTS


@pytest.fixture(scope="module")
def report_and_stats(mixed_bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, RunStats]:
    settings = Settings(cache_dir=tmp_path_factory.mktemp("cache"))
    stats = RunStats()
    # the example's certificate runs to 2026-03-14: checked as of a day it was valid
    return check(mixed_bundle, settings, as_of=date(2025, 6, 1), stats=stats), stats


@pytest.fixture(scope="module")
def report(report_and_stats: tuple[Report, RunStats]) -> Report:
    return report_and_stats[0]


def schema() -> dict:
    return json.loads((CONTRACTS / "report.schema.json").read_text(encoding="utf-8"))


def test_report_validates_against_the_contract_schema(report: Report) -> None:
    jsonschema.validate(report.to_json_dict(), schema())


def test_every_file_of_the_bundle_is_listed(report: Report, mixed_bundle: Path) -> None:
    on_disk = sorted(p.relative_to(mixed_bundle).as_posix() for p in mixed_bundle.rglob("*") if p.is_file())
    assert sorted(d.path for d in report.documents) == on_disk


def test_each_document_has_type_text_source_and_pages(report: Report) -> None:
    by_path = {d.path: d for d in report.documents}
    form = by_path["申报书.docx"]
    assert (form.text_source, form.pages, form.doc_type) == ("docx", None, DocType.APPLICATION_FORM)
    licence = by_path["证实材料/营业执照.pdf"]
    assert (licence.text_source, licence.pages, licence.doc_type) == ("text_layer", 1, DocType.BUSINESS_LICENSE)
    scan = by_path["证实材料/质量管理体系认证证书.pdf"]
    assert (scan.text_source, scan.pages, scan.doc_type) == ("ocr", 2, DocType.QMS_CERTIFICATE)
    photo = by_path["证实材料/检验报告照片.jpg"]
    assert (photo.text_source, photo.pages, photo.doc_type) == ("ocr", 1, DocType.TEST_REPORT)
    assert photo.media_type == "image/jpeg"


def test_unreadable_files_are_listed_with_errors_and_findings(report: Report) -> None:
    by_path = {d.path: d for d in report.documents}
    assert by_path["损坏的文件.pdf"].errors
    assert by_path["空文件.docx"].errors == ["文件为空（0 字节）"]
    unreadable = [f for f in report.findings if f.rule == "file_unreadable"]
    assert sorted(f.documents[0] for f in unreadable) == ["损坏的文件.pdf", "空文件.docx"]
    assert all(f.severity == "warning" and "无法读取" in f.message for f in unreadable)
    assert report.verdict == Verdict.NEEDS_REVIEW


def test_an_expired_certificate_fails_the_bundle_as_of_today(mixed_bundle: Path, tmp_path: Path) -> None:
    later = check(mixed_bundle, Settings(cache_dir=tmp_path / "cache"), as_of=date(2026, 11, 30))
    [expired] = [f for f in later.findings if f.rule == "certificate_expired"]
    assert expired.documents == ["证实材料/质量管理体系认证证书.pdf"]
    assert "2026年3月14日过期，早于截止日2026年11月30日" in expired.message
    assert later.verdict == Verdict.FAIL


def test_readable_bundle_passes(form_docx: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "申报书.docx").write_bytes(form_docx.read_bytes())
    report = check(folder, Settings(cache_dir=tmp_path / "cache"))
    assert report.verdict == Verdict.PASS and report.findings == []


def test_bundle_id_is_stable_for_the_same_files(report: Report, mixed_bundle: Path, tmp_path: Path) -> None:
    again = check(mixed_bundle, Settings(cache_dir=tmp_path / "cache2", ocr_cache=False))
    assert again.bundle.id == report.bundle.id
    from extractor.intake import collect_sources

    sources = collect_sources(mixed_bundle)
    assert bundle_id(list(reversed(sources))) == report.bundle.id


def test_mixed_pdf_reports_mixed_text_source(tmp_path: Path, license_pdf: Path, scanned_pdf: Path) -> None:
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    for part in (license_pdf, scanned_pdf):
        src = pdfium.PdfDocument(str(part))
        merged.import_pages(src)
    out = tmp_path / "merged.pdf"
    merged.save(str(out))
    report = check(out, Settings(cache_dir=tmp_path / "cache"))
    assert report.documents[0].text_source == "mixed"
    assert report.documents[0].pages == 3


def test_recheck_of_an_unchanged_bundle_runs_no_ocr(mixed_bundle: Path, tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache")
    first, second = RunStats(), RunStats()
    check(mixed_bundle, settings, stats=first)
    check(mixed_bundle, settings, stats=second)
    assert first.counters["pages_recognised"] >= 4
    assert second.counters["pages_recognised"] == 0


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "extractor.cli", *args], capture_output=True, text=True, timeout=600)


def test_cli_writes_the_report_and_exits_zero(mixed_bundle: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    done = run_cli("check", str(mixed_bundle), "--json", str(out), "--as-of", "2024-08-31")
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema())
    assert data["bundle"]["as_of"] == "2024-08-31"


def test_cli_without_json_prints_the_report_to_stdout(form_docx: Path) -> None:
    done = run_cli("check", str(form_docx))
    assert done.returncode == 0
    assert json.loads(done.stdout)["documents"][0]["path"] == "申报书.docx"


def test_cli_fails_with_one_line_reason_when_no_report_can_be_made(tmp_path: Path) -> None:
    done = run_cli("check", str(tmp_path / "nothing-here"))
    assert done.returncode != 0 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "路径不存在" in done.stderr


def test_profile_sets_the_default_reference_date(form_docx: Path) -> None:
    done = run_cli("check", str(form_docx), "--profile", "nonferrous-brand-2024")
    data = json.loads(done.stdout)
    assert data["bundle"]["profile"] == "nonferrous-brand-2024" and data["bundle"]["as_of"] == "2024-08-31"
    bad = run_cli("check", str(form_docx), "--profile", "no-such-notice")
    assert bad.returncode != 0 and "未知的 profile" in bad.stderr


def test_text_only_bundle_never_loads_the_ocr_engine(license_pdf: Path, form_docx: Path, tmp_path: Path) -> None:
    folder = tmp_path / "text-only"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(license_pdf.read_bytes())
    code = (
        "import sys; from pathlib import Path; from extractor.pipeline import check; "
        "from extractor.settings import Settings; "
        f"check(Path({str(folder)!r}), Settings(cache_dir=Path({str(tmp_path / 'c')!r}))); "
        "print(sorted(m for m in ('rapidocr', 'onnxruntime', 'cv2', 'spacy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_verbose_log_names_files_but_never_their_content(form_docx: Path, license_pdf: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "申报书.docx").write_bytes(form_docx.read_bytes())
    (folder / "营业执照.pdf").write_bytes(license_pdf.read_bytes())
    out = tmp_path / "r.json"
    done = run_cli("-v", "check", str(folder), "--json", str(out))
    assert done.returncode == 0
    assert "申报书.docx" in done.stderr and "营业执照.pdf" in done.stderr
    for secret in ("91350100M000100Y43", "洛阳某某铜业", "李四"):
        assert secret not in done.stderr
