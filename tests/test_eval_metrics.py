"""The contract's metrics on hand-made gold/report pairs."""

import json
from datetime import date
from pathlib import Path

import pytest

from extractor.evaluate.metrics import Score, score_bundle, summary
from extractor.evaluate.normalise import values_match
from extractor.evaluate.table import load_baseline, regressions, save_baseline
from models import (
    BundleInfo,
    DocumentReport,
    Evidence,
    FieldValue,
    Finding,
    GoldBundle,
    GoldDocument,
    GoldFinding,
    GoldSeal,
    Report,
    Seal,
    Severity,
    Verdict,
)

SHA = "0" * 64


def fv(value: object) -> FieldValue:
    return FieldValue(value=value, confidence=0.9, evidence=[Evidence(path="x", text="")])


def report(documents: list[DocumentReport], findings: list[Finding], verdict: Verdict) -> Report:
    bundle = BundleInfo(id="b", source="s", profile="nonferrous-brand-2024", as_of=date(2024, 8, 31))
    return Report(bundle=bundle, documents=documents, findings=findings, verdict=verdict)


def test_values_compare_after_normalisation() -> None:
    assert values_match("洛阳某某（集团）有限公司", "洛阳某某 (集团) 有限公司")
    assert values_match("2024-8-31", "2024-08-31")
    assert values_match(86.5, 86.54) and not values_match(86.5, 86.6)
    assert values_match(86.5, "86.50")
    assert values_match(["T2", "H65"], ["H65", "T2"]) and not values_match(["T2"], ["T2", "H65"])
    assert values_match(True, True) and not values_match(True, False)


def test_fields_findings_verdict_and_seals_are_scored() -> None:
    gold = GoldBundle(
        profile="nonferrous-brand-2024",
        as_of=date(2024, 8, 31),
        documents=[
            GoldDocument(
                path="证书.pdf",
                doc_type="ohsms_certificate",
                fields={"expiry_date": "2024-05-10", "certificate_number": "00623S30775R7L"},
                seals=[GoldSeal(page=1, text="中质协质量保证中心")],
            ),
            GoldDocument(path="申报书.docx", doc_type="application_form", fields={"applied_level": "优质品牌"}),
        ],
        findings=[
            GoldFinding(rule="certificate_expired", documents=["证书.pdf"]),
            GoldFinding(rule="missing_document"),
        ],
        verdict=Verdict.FAIL,
    )
    rep = report(
        [
            DocumentReport(
                path="证书.pdf",
                sha256=SHA,
                media_type="application/pdf",
                pages=2,
                doc_type="ohsms_certificate",
                fields={"expiry_date": fv("2024-05-10"), "certificate_number": fv("00623S30775R7I")},
                seals=[Seal(page=1, bbox=(0.5, 0.5, 0.7, 0.7), text="中质协质量保证中心", confidence=0.9),
                       Seal(page=2, bbox=(0.5, 0.5, 0.7, 0.7), text=None, confidence=0.6)],
            ),
            DocumentReport(path="申报书.docx", sha256=SHA, media_type="x", doc_type="other",
                           fields={"company_name": fv("洛阳某某铜业有限公司")}),
        ],
        [
            Finding(rule="certificate_expired", severity=Severity.ERROR, message="", documents=["证书.pdf"]),
            Finding(rule="seal_missing", severity=Severity.ERROR, message="", documents=["申报书.docx"]),
            Finding(rule="some_info", severity=Severity.INFO, message="", documents=[]),
        ],
        Verdict.FAIL,
    )
    score = Score()
    score_bundle("b1", gold, rep, score)
    table = summary(score)
    assert table["doc_type_accuracy"] == 0.5
    # expiry right; certificate number wrong (fp+fn); applied_level missed (fn); company_name extra (fp)
    overall = score.fields_overall
    assert (overall.tp, overall.fp, overall.fn) == (1, 2, 2)
    assert table["field_f1.expiry_date"] == 1.0 and table["field_f1.certificate_number"] == 0.0
    # findings: expired matched, missing_document missed, seal_missing extra, info ignored
    assert (score.findings.tp, score.findings.fp, score.findings.fn) == (1, 1, 1)
    assert table["verdict_accuracy"] == 1.0
    # pages 1 (seal, found) and 2 (no seal, one reported) of the certificate; page 1 of the form
    assert (score.seal_presence.hits, score.seal_presence.total) == (2, 3)
    assert table["seal_text_match"] == 1.0
    assert any("误报印章" in m for m in score.misses) and any("漏报 missing_document" in m for m in score.misses)


def test_a_metric_more_than_a_point_below_baseline_is_a_regression(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    save_baseline(path, "fast", {"field_f1": 0.80, "doc_type_accuracy": 0.95})
    save_baseline(path, "fast", {"field_f1": 0.70, "doc_type_accuracy": 0.97})  # never lowered
    assert load_baseline(path, "fast") == {"doc_type_accuracy": 0.97, "field_f1": 0.80}
    assert regressions({"field_f1": 0.795, "doc_type_accuracy": 0.97}, load_baseline(path, "fast")) == []
    worse = regressions({"field_f1": 0.785, "doc_type_accuracy": 0.97}, load_baseline(path, "fast"))
    assert len(worse) == 1 and worse[0].startswith("field_f1")


def test_annotation_can_point_at_a_bundle_kept_elsewhere(tmp_path: Path) -> None:
    from extractor.evaluate.runner import discover

    elsewhere = tmp_path / "shared" / "files"
    elsewhere.mkdir(parents=True)
    gold_dir = tmp_path / "gold"
    (gold_dir / "real").mkdir(parents=True)
    gold = {"schema": "precheck.gold/1", "profile": "generic", "as_of": "2026-01-01", "documents": [],
            "findings": [], "verdict": "pass", "bundle_path": "../../shared/files"}
    (gold_dir / "real" / "files.gold.json").write_text(__import__("json").dumps(gold), encoding="utf-8")
    [case] = discover(gold_dir)
    assert case.name == "real/files" and case.bundle == elsewhere.resolve()


def test_reset_baseline_records_lower_figures_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    save_baseline(path, "all", {"seal_presence_accuracy": 0.648, "doc_type_accuracy": 0.78})
    save_baseline(path, "all", {"seal_presence_accuracy": 0.593, "doc_type_accuracy": 0.97}, reset=True)
    assert load_baseline(path, "all") == {"seal_presence_accuracy": 0.593, "doc_type_accuracy": 0.97}


def test_annotation_into_shared_follows_precheck_shared_when_not_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.evaluate.runner import discover

    gold = tmp_path / "checkout" / "gold" / "real"
    gold.mkdir(parents=True)
    elsewhere = tmp_path / "mounted" / "shared-copy"
    (elsewhere / "testdata").mkdir(parents=True)
    (gold / "files.gold.json").write_text(json.dumps({
        "schema": "precheck.gold/1", "profile": "generic", "as_of": "2026-01-01", "documents": [], "findings": [],
        "verdict": "pass", "bundle_path": "../../../shared/testdata"}), encoding="utf-8")
    monkeypatch.setenv("PRECHECK_SHARED", str(elsewhere))
    assert [c.bundle for c in discover(tmp_path / "checkout" / "gold")] == [(elsewhere / "testdata").resolve()]
