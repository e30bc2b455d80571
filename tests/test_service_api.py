"""The service's API in process (FastAPI's TestClient over a real SQLite database and data folder);
jobs run by a real worker object in this process (`Worker.run_one`), so every path from upload to
report goes through the same pipeline as the CLI. The live server with worker processes is in
tests/test_service_live.py."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import text, update
from sqlalchemy.exc import DatabaseError

from service import jobs
from service.accounts import add_campaign, add_user
from service.app import create_app
from service.settings import ServiceSettings
from service.tables import Job, JobState, Role, now
from service.worker import Worker
from tests.engines import Postgres, postgres

GOLD = Path(__file__).resolve().parents[1] / "gold" / "bundles"
CLEAN = GOLD / "brand-2024-00-clean"
TEXT_FILES = ("申报书.docx", "营业执照.pdf")  # Word and a text layer: no OCR, a check in about a second


@dataclass
class Site:
    client: TestClient
    settings: ServiceSettings
    worker: Worker
    tokens: dict[str, str]

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def upload(self, who: str = "reviewer", campaign: str = "品牌", names: tuple[str, ...] = TEXT_FILES,
               extra: list[tuple[str, bytes]] | None = None, **form: str) -> dict[str, str]:
        files = [("files", (n, (CLEAN / n).read_bytes())) for n in names]
        files += [("files", (n, data)) for n, data in extra or []]
        response = self.client.post("/api/bundles", headers=self.auth(who), files=files,
                                    data={"campaign": campaign, **form})
        assert response.status_code == 202, response.text
        body: dict[str, str] = response.json()
        return body

    def run_jobs(self) -> int:
        done = 0
        while self.worker.run_one():
            done += 1
        return done


def _site(tmp_path: Path, **overrides: object) -> Iterator[Site]:
    settings = ServiceSettings(data_dir=tmp_path / "data", workers=0, **overrides)  # type: ignore[arg-type]
    app = create_app(settings)
    service = app.state.service
    tokens = {}
    with service.db.session() as db:
        add_campaign(db, "品牌", "nonferrous-brand-2024", None)
        add_campaign(db, "QC", "nonferrous-qc-2026", None)
        for name, role, campaigns in (("admin", Role.ADMIN, []), ("reviewer", Role.REVIEWER, ["品牌"]),
                                      ("other", Role.REVIEWER, ["QC"]), ("colleague", Role.REVIEWER, ["品牌"])):
            _, tokens[name] = add_user(db, service.key, name, role, campaigns, "secret-pass-1")
        db.commit()
    with TestClient(app) as client:
        yield Site(client, settings, Worker(settings, service.db), tokens)


@pytest.fixture(scope="module")
def pg() -> Iterator[Postgres]:
    with postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgres"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    """Every API test on both databases the service runs on: the embedded SQLite and a real Postgres
    (started by the tests, a fresh database per test), through the same migrations."""
    if request.param == "postgres":
        server: Postgres = request.getfixturevalue("pg")
        yield from _site(tmp_path, database_url=server.new_database(f"t{uuid.uuid4().hex[:12]}"))
    else:
        yield from _site(tmp_path)


def _problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    body: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status and any("\u4e00" <= ch <= "\u9fff" for ch in str(body["detail"]))
    return body


def test_a_request_without_a_valid_token_is_401_problem_json_in_chinese(site: Site) -> None:
    _problem(site.client.get("/api/bundles"), 401)
    _problem(site.client.get("/api/bundles", headers={"Authorization": "Bearer pct_nope"}), 401)


def test_an_upload_is_checked_by_the_same_pipeline_and_its_report_kept(site: Site) -> None:
    accepted = site.upload(name="GB2024-001金昌锦江新材料（集团）有限公司")
    job = site.client.get(accepted["status_url"], headers=site.auth("reviewer")).json()
    assert job["state"] == "queued"
    assert site.run_jobs() == 1
    job = site.client.get(accepted["status_url"], headers=site.auth("reviewer")).json()
    assert job["state"] == "done" and job["progress"]["stage"] == "done" and job["attempts"] == 1
    report = site.client.get(f"/api/bundles/{accepted['bundle_id']}/report.json", headers=site.auth("reviewer")).json()
    assert report["schema"] == "precheck.report/1"
    assert report["bundle"]["source"] == "GB2024-001金昌锦江新材料（集团）有限公司"  # the name as given
    assert sorted(d["path"] for d in report["documents"]) == sorted(TEXT_FILES)
    assert report["bundle"]["applicant"]["company_name"]
    html = site.client.get(f"/api/bundles/{accepted['bundle_id']}/report.html", headers=site.auth("reviewer"))
    assert html.status_code == 200 and "text/html" in html.headers["content-type"]
    listed = site.client.get("/api/bundles", headers=site.auth("reviewer")).json()
    (item,) = listed["items"]
    assert item["bundle_id"] == accepted["bundle_id"] and item["state"] == "done"
    assert item["applicant"] == report["bundle"]["applicant"]["company_name"] and item["verdict"] == report["verdict"]


def test_a_bundle_is_seen_by_its_campaign_s_reviewers_and_admins_only_and_404_for_others(site: Site) -> None:
    accepted = site.upload()
    site.run_jobs()
    bundle = f"/api/bundles/{accepted['bundle_id']}"
    for who in ("reviewer", "colleague", "admin"):
        assert site.client.get(bundle, headers=site.auth(who)).status_code == 200
    for path in (bundle, f"{bundle}/report.json", f"{bundle}/report.html", accepted["status_url"],
                 f"{bundle}/documents/0/pages/1.png"):
        _problem(site.client.get(path, headers=site.auth("other")), 404)
    _problem(site.client.delete(bundle, headers=site.auth("other")), 404)
    _problem(site.client.post(f"{bundle}/recheck", headers=site.auth("other")), 404)
    assert site.client.get("/api/bundles", headers=site.auth("other")).json()["items"] == []
    # nor can one upload into a campaign one does not review
    _problem(site.client.post("/api/bundles", headers=site.auth("other"), data={"campaign": "品牌"},
                              files=[("files", ("a.pdf", b"%PDF-1.4"))]), 404)


def test_a_corrupt_file_in_an_upload_is_listed_in_the_report_and_the_rest_checked(site: Site) -> None:
    accepted = site.upload(extra=[("损坏的证书.pdf", b"%PDF-1.7\n garbage \x00\xff" * 50),
                                  ("../../etc/passwd", b"root:x:0:0")])
    site.run_jobs()
    report = site.client.get(f"/api/bundles/{accepted['bundle_id']}/report.json", headers=site.auth("reviewer")).json()
    by_path = {d["path"]: d for d in report["documents"]}
    assert by_path["损坏的证书.pdf"]["errors"]
    assert "passwd" in by_path  # a path in the name is reduced to the name: nothing written outside the bundle
    assert not by_path["申报书.docx"]["errors"] and by_path["申报书.docx"]["doc_type"] == "application_form"


def test_bad_form_values_are_422_and_an_unknown_campaign_404(site: Site) -> None:
    files = [("files", ("申报书.docx", (CLEAN / "申报书.docx").read_bytes()))]
    _problem(site.client.post("/api/bundles", headers=site.auth("reviewer"), files=files,
                              data={"campaign": "品牌", "as_of": "2024-13-40"}), 422)
    _problem(site.client.post("/api/bundles", headers=site.auth("reviewer"), files=files,
                              data={"campaign": "没有"}), 404)
    _problem(site.client.post("/api/bundles", headers=site.auth("reviewer"), data={"campaign": "品牌"}), 422)


def test_uploads_over_the_size_and_rate_limits_are_refused_not_500(tmp_path: Path) -> None:
    for site in _site(tmp_path, max_request_mb=1, uploads_per_minute=2):
        big = [("files", ("大文件.pdf", b"0" * (3 * 1024 * 1024)))]
        _problem(site.client.post("/api/bundles", headers=site.auth("reviewer"), files=big,
                                  data={"campaign": "品牌"}), 413)
        site.upload(names=("营业执照.pdf",))
        site.upload(names=("营业执照.pdf",))
        response = site.client.post("/api/bundles", headers=site.auth("reviewer"), data={"campaign": "品牌"},
                                    files=[("files", ("营业执照.pdf", (CLEAN / "营业执照.pdf").read_bytes()))])
        _problem(response, 429)
        assert response.headers["retry-after"] == "60"


def test_a_recheck_with_another_date_adds_a_report_version(site: Site) -> None:
    accepted = site.upload()
    site.run_jobs()
    bundle = f"/api/bundles/{accepted['bundle_id']}"
    again = site.client.post(f"{bundle}/recheck", headers=site.auth("reviewer"), json={"as_of": "2030-01-01"})
    assert again.status_code == 202
    site.run_jobs()
    reports = site.client.get(bundle, headers=site.auth("reviewer")).json()["reports"]
    assert [r["version"] for r in reports] == [1, 2] and reports[1]["as_of"] == "2030-01-01"
    first = site.client.get(f"{bundle}/report.json?version=1", headers=site.auth("reviewer")).json()
    latest = site.client.get(f"{bundle}/report.json", headers=site.auth("reviewer")).json()
    assert first["bundle"]["as_of"] != latest["bundle"]["as_of"] == "2030-01-01"


def test_a_page_and_an_evidence_crop_are_rendered_from_the_stored_original(site: Site) -> None:
    accepted = site.upload()
    site.run_jobs()
    bundle = f"/api/bundles/{accepted['bundle_id']}"
    report = site.client.get(f"{bundle}/report.json", headers=site.auth("reviewer")).json()
    pdf = next(i for i, d in enumerate(report["documents"]) if d["path"] == "营业执照.pdf")
    page = site.client.get(f"{bundle}/documents/{pdf}/pages/1.png", headers=site.auth("reviewer"))
    assert page.status_code == 200 and page.content.startswith(b"\x89PNG")
    crop = site.client.get(f"{bundle}/documents/{pdf}/pages/1/crop.png?bbox=0.1,0.1,0.5,0.3",
                           headers=site.auth("reviewer"))
    assert crop.status_code == 200 and crop.content.startswith(b"\x89PNG") and len(crop.content) < len(page.content)
    word = next(i for i, d in enumerate(report["documents"]) if d["path"] == "申报书.docx")
    _problem(site.client.get(f"{bundle}/documents/{word}/pages/1.png", headers=site.auth("reviewer")), 404)
    _problem(site.client.get(f"{bundle}/documents/{pdf}/pages/9.png", headers=site.auth("reviewer")), 404)


def test_deleting_a_bundle_removes_its_files_reports_pages_and_ocr_cache(site: Site, testdata: Path) -> None:
    photo = ("公章照片.png", (testdata / "real" / "getseal_zhongdao_crop.png").read_bytes())  # read by OCR
    accepted = site.upload(names=("营业执照.pdf",), extra=[photo])
    kept = site.upload(names=("营业执照.pdf",))  # another bundle holding the same licence
    site.run_jobs()
    bundle = f"/api/bundles/{accepted['bundle_id']}"
    assert site.client.get(f"{bundle}/documents/0/pages/1.png", headers=site.auth("reviewer")).status_code == 200
    data = site.settings.data_dir

    def files(folder: Path) -> list[Path]:
        return [p for p in folder.rglob("*") if p.is_file()]

    assert len(files(data / "blobs")) == 2
    cached = [p for p in files(data / "ocr-cache") if "owners" not in p.parts]
    assert cached, "the photo's page text should be in the service's OCR cache"
    assert (data / "reports" / accepted["bundle_id"]).is_dir() and (data / "pages" / accepted["bundle_id"]).is_dir()
    # the colleague of the campaign may read but not delete; the uploader may
    _problem(site.client.delete(bundle, headers=site.auth("colleague")), 403)
    assert site.client.delete(bundle, headers=site.auth("reviewer")).status_code == 204
    assert len(files(data / "blobs")) == 1  # the licence stays: the other bundle holds it
    assert not [p for p in files(data / "ocr-cache") if p in cached]
    assert not (data / "reports" / accepted["bundle_id"]).exists()
    assert not (data / "pages" / accepted["bundle_id"]).exists()
    _problem(site.client.get(bundle, headers=site.auth("reviewer")), 404)
    other = site.client.get(f"/api/bundles/{kept['bundle_id']}/report.json", headers=site.auth("reviewer"))
    assert other.status_code == 200
    audit = site.client.get("/api/admin/audit", headers=site.auth("admin")).json()
    assert [e["action"] for e in audit if e["bundle_id"] == accepted["bundle_id"]] == ["delete", "upload"]


def test_the_audit_log_is_admin_only_and_the_database_refuses_to_edit_it(site: Site) -> None:
    site.upload()
    _problem(site.client.get("/api/admin/audit", headers=site.auth("reviewer")), 403)
    assert site.client.get("/api/admin/audit", headers=site.auth("admin")).json()[0]["action"] == "upload"
    service = site.client.app.state.service  # type: ignore[attr-defined]
    with service.db.session() as db, pytest.raises(DatabaseError):
        db.execute(text("UPDATE audit_log SET action = 'nothing'"))
    with service.db.session() as db, pytest.raises(DatabaseError):
        db.execute(text("DELETE FROM audit_log"))


def test_a_signed_in_page_session_needs_its_csrf_token_for_changes(site: Site) -> None:
    _problem(site.client.post("/login", data={"username": "reviewer", "password": "wrong"}), 401)
    signed = site.client.post("/login", data={"username": "reviewer", "password": "secret-pass-1"})
    assert signed.status_code == 200 and "precheck_session" in signed.cookies
    csrf = signed.json()["csrf_token"]
    assert site.client.get("/api/bundles").status_code == 200  # the cookie alone reads
    files = [("files", ("营业执照.pdf", (CLEAN / "营业执照.pdf").read_bytes()))]
    _problem(site.client.post("/api/bundles", files=files, data={"campaign": "品牌"}), 403)
    ok = site.client.post("/api/bundles", files=files, data={"campaign": "品牌"}, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 202


def test_only_one_of_many_racing_workers_claims_a_job(site: Site) -> None:
    accepted = site.upload()
    service = site.client.app.state.service  # type: ignore[attr-defined]
    won: list[str] = []
    start = threading.Barrier(6)

    def race(i: int) -> None:
        start.wait()
        with service.db.session() as db:
            job = jobs.claim(db, f"racer:{i}", 30)
            if job is not None:
                won.append(job.id)

    threads = [threading.Thread(target=race, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert won == [accepted["job_id"]]


def test_a_job_whose_worker_died_is_requeued_then_failed_after_its_attempts(site: Site) -> None:
    accepted = site.upload()
    service = site.client.app.state.service  # type: ignore[attr-defined]
    with service.db.session() as db:
        for attempt in range(1, 4):
            job = jobs.claim(db, "dead:1", 30)
            assert job is not None and job.attempts == attempt
            db.execute(update(Job).where(Job.id == job.id).values(lease_until=now() - timedelta(seconds=1)))
            db.commit()
            jobs.reclaim_expired(db)
        final = db.get(Job, accepted["job_id"], populate_existing=True)
        assert final is not None and final.state == JobState.FAILED and "3 次" in (final.error or "")
    status = site.client.get(accepted["status_url"], headers=site.auth("reviewer")).json()
    assert status["state"] == "failed" and status["error"]


def test_a_worker_that_lost_its_lease_stores_no_report(site: Site) -> None:
    accepted = site.upload()
    service = site.client.app.state.service  # type: ignore[attr-defined]
    with service.db.session() as db:
        job = jobs.claim(db, "slow:1", 30)
        assert job is not None
        db.execute(update(Job).where(Job.id == job.id).values(lease_until=now() - timedelta(seconds=1)))
        db.commit()
        jobs.reclaim_expired(db)
        assert jobs.claim(db, "fresh:2", 30) is not None  # another worker has it now
        assert not jobs.renew(db, job.id, "slow:1", 30)
        outcome = jobs.Outcome("{}", "[]", "generic", "2024-01-01", "pass", None, None, {})
        assert not jobs.complete(db, job.id, "slow:1", outcome)
        assert jobs.complete(db, job.id, "fresh:2", outcome)
    reports = site.client.get(f"/api/bundles/{accepted['bundle_id']}", headers=site.auth("reviewer")).json()["reports"]
    assert len(reports) == 1


def test_production_settings_refuse_a_missing_or_short_secret_key() -> None:
    with pytest.raises(ValidationError):
        ServiceSettings(env="production")
    with pytest.raises(ValidationError):
        ServiceSettings(env="production", secret_key="short")
    with pytest.raises(ValidationError):
        ServiceSettings(database_url="mysql://x")
    assert ServiceSettings(env="production", secret_key="k" * 40).secure_cookies


def test_an_mbox_batch_becomes_one_bundle_per_application_as_precheck_batch_groups_it(site: Site) -> None:
    from extractor.batch import discover

    inbox = GOLD.parent / "inbox" / "质量标杆申报邮箱导出.mbox"
    applications = [i for i in discover(inbox) if i.mails]
    response = site.client.post("/api/batches", headers=site.auth("reviewer"), data={"campaign": "品牌"},
                                files=[("file", (inbox.name, inbox.read_bytes()))])
    assert response.status_code == 202, response.text
    batch = response.json()
    assert sorted(b["label"] for b in batch["bundles"]) == sorted(a.label for a in applications)
    for made in batch["bundles"]:
        detail = site.client.get(f"/api/bundles/{made['bundle_id']}", headers=site.auth("reviewer")).json()
        expected = next(a for a in applications if a.label == made["label"])
        assert [f["name"] for f in detail["files"]] == list(expected.paths)  # each mail kept as <subject>.eml
        assert detail["state"] == "queued"


def test_a_zip_of_bundles_is_split_checked_and_summarised(site: Site, tmp_path: Path) -> None:
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as z:
        for bundle in ("GB2024-001甲公司", "GB2024-002乙公司"):
            for name in TEXT_FILES:
                z.writestr(f"全部申报/{bundle}/{name}", (CLEAN / name).read_bytes())
        z.writestr("全部申报/../../逃逸.txt", b"no")
    response = site.client.post("/api/batches", headers=site.auth("reviewer"), data={"campaign": "品牌"},
                                files=[("file", ("批量.zip", packed.getvalue()))])
    assert response.status_code == 202, response.text
    batch = response.json()
    assert sorted(b["label"] for b in batch["bundles"]) == ["GB2024-001甲公司", "GB2024-002乙公司"]
    assert site.run_jobs() == 2
    summary = site.client.get(batch["summary_url"], headers=site.auth("reviewer"))
    assert summary.status_code == 200 and summary.content.startswith(b"PK")
    _problem(site.client.get(batch["summary_url"], headers=site.auth("other")), 404)
    bad = site.client.post("/api/batches", headers=site.auth("reviewer"), data={"campaign": "品牌"},
                           files=[("file", ("x.pdf", b"%PDF-1.4 not a batch"))])
    _problem(bad, 422)


def _failing_bundle(site: Site) -> dict[str, str]:
    """The clean brand bundle's Word form and licence alone: the missing documents are errors."""
    accepted = site.upload()
    site.run_jobs()
    return accepted


def test_dismissing_a_finding_needs_a_reason_and_changes_the_verdict_and_counts(site: Site) -> None:
    bundle = f"/api/bundles/{_failing_bundle(site)['bundle_id']}"
    review = site.client.get(f"{bundle}/review", headers=site.auth("reviewer")).json()
    errors = [f for f in review["findings"] if f["severity"] == "error"]
    assert review["verdict"] == review["effective_verdict"] == "fail" and errors
    _problem(site.client.post(f"{bundle}/findings/{errors[0]['key']}/decision", headers=site.auth("reviewer"),
                              json={"action": "dismiss"}), 422)
    for finding in errors:
        after = site.client.post(f"{bundle}/findings/{finding['key']}/decision", headers=site.auth("reviewer"),
                                 json={"action": "dismiss", "reason": "该材料已线下补交"})
        assert after.status_code == 200
    after = after.json()
    assert after["counts"]["error"] == 0 and after["effective_verdict"] != "fail" and after["verdict"] == "fail"
    assert all(f["decision"]["action"] == "dismiss" for f in after["findings"] if f["severity"] == "error")
    listed = site.client.get("/api/bundles", headers=site.auth("reviewer")).json()["items"][0]
    assert listed["verdict"] == after["effective_verdict"] and listed["counts"]["error"] == 0
    history = site.client.get(f"{bundle}/decisions", headers=site.auth("reviewer")).json()
    assert len(history) == len(errors) and history[0]["shown"]["rule"] == errors[0]["rule"]
    assert history[0]["user"] == "reviewer" and history[0]["reason"] == "该材料已线下补交"


def test_a_corrected_field_keeps_its_evidence_and_decisions_cannot_be_edited(site: Site) -> None:
    bundle_id = _failing_bundle(site)["bundle_id"]
    bundle = f"/api/bundles/{bundle_id}"
    review = site.client.get(f"{bundle}/review", headers=site.auth("reviewer")).json()
    doc = next(d for d in review["documents"] if "company_name" in d["fields"])
    after = site.client.post(f"{bundle}/documents/{doc['index']}/fields/company_name/correction",
                             headers=site.auth("reviewer"), json={"value": "更正后的公司名称有限公司"}).json()
    field = after["documents"][doc["index"]]["fields"]["company_name"]
    assert field["corrected"]["value"] == "更正后的公司名称有限公司" and field["evidence"]
    service = site.client.app.state.service  # type: ignore[attr-defined]
    with service.db.session() as db, pytest.raises(DatabaseError):
        db.execute(text("UPDATE decisions SET action = 'dismiss'"))
    with service.db.session() as db, pytest.raises(DatabaseError):
        db.execute(text("DELETE FROM decisions"))
    # deleting the bundle takes its decisions with it (nothing of an applicant stays)
    assert site.client.delete(bundle, headers=site.auth("reviewer")).status_code == 204
    with service.db.session() as db:
        assert db.execute(text("SELECT count(*) FROM decisions WHERE bundle_id = :b"), {"b": bundle_id}).scalar() == 0


def test_a_needs_fix_decision_and_its_correction_notice_list_what_to_fix(site: Site) -> None:
    import io

    from docx import Document

    bundle = f"/api/bundles/{_failing_bundle(site)['bundle_id']}"
    review = site.client.get(f"{bundle}/review", headers=site.auth("reviewer")).json()
    dismissed = next(f for f in review["findings"] if f["severity"] == "error")
    site.client.post(f"{bundle}/findings/{dismissed['key']}/decision", headers=site.auth("reviewer"),
                     json={"action": "dismiss", "reason": "误报"})
    decided = site.client.post(f"{bundle}/decision", headers=site.auth("reviewer"), json={"state": "needs_fix"})
    assert decided.json()["state"] == "needs_fix" and decided.json()["state_label"] == "需补正"
    _problem(site.client.post(f"{bundle}/decision", headers=site.auth("reviewer"), json={"state": "rejected"}), 422)
    letter = site.client.get(f"{bundle}/notice.docx", headers=site.auth("reviewer"))
    assert letter.status_code == 200 and letter.content.startswith(b"PK")
    document = Document(io.BytesIO(letter.content))
    (table,) = document.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    standing = [f for f in review["findings"] if f["severity"] in ("error", "warning") and f is not dismissed]
    assert rows[0] == ["序号", "需补正的问题", "涉及材料", "依据"] and len(rows) == 1 + len(standing)
    assert dismissed["message"] not in [r[1] for r in rows]
    assert all(r[3] for r in rows[1:])  # every item names what it rests on
    assert any("补正" in p.text for p in document.paragraphs)
    listed = site.client.get("/api/bundles", headers=site.auth("reviewer")).json()["items"][0]
    assert listed["review_state"] == "needs_fix" and listed["reviewer"] == "reviewer"


def test_a_bundle_open_by_one_reviewer_is_marked_for_another(site: Site) -> None:
    bundle = f"/api/bundles/{_failing_bundle(site)['bundle_id']}"
    mine = site.client.post(f"{bundle}/lock", headers=site.auth("reviewer")).json()["lock"]
    assert mine["user"] == "reviewer" and mine["mine"]
    theirs = site.client.post(f"{bundle}/lock", headers=site.auth("colleague")).json()["lock"]
    assert theirs["user"] == "reviewer" and not theirs["mine"]
    assert site.client.get(f"{bundle}/review", headers=site.auth("colleague")).json()["lock"]["user"] == "reviewer"
    assert site.client.delete(f"{bundle}/lock", headers=site.auth("reviewer")).status_code == 204
    assert site.client.post(f"{bundle}/lock", headers=site.auth("colleague")).json()["lock"]["mine"]


def test_decided_bundles_export_as_gold_that_eval_scores_with_the_reviewers_disagreements(
    site: Site, tmp_path: Path,
) -> None:
    import json

    from extractor.evaluate.runner import discover, evaluate
    from extractor.evaluate.table import render
    from service.export_gold import export

    bundle_id = _failing_bundle(site)["bundle_id"]
    site.upload()  # undecided: not exported
    site.run_jobs()
    bundle = f"/api/bundles/{bundle_id}"
    review = site.client.get(f"{bundle}/review", headers=site.auth("reviewer")).json()
    dismissed = next(f for f in review["findings"] if f["severity"] == "error")
    site.client.post(f"{bundle}/findings/{dismissed['key']}/decision", headers=site.auth("reviewer"),
                     json={"action": "dismiss", "reason": "原件已核"})
    doc = next(d for d in review["documents"] if "company_name" in d["fields"])
    site.client.post(f"{bundle}/documents/{doc['index']}/fields/company_name/correction",
                     headers=site.auth("reviewer"), json={"value": "审核员更正有限公司"})
    site.client.post(f"{bundle}/decision", headers=site.auth("reviewer"), json={"state": "needs_fix"})
    service = site.client.app.state.service  # type: ignore[attr-defined]
    out = tmp_path / "exported"
    with service.db.session() as db:
        done = export(db, service.blobs, out, campaign="品牌")
    assert (done.bundles, done.files) == (1, len(TEXT_FILES))
    (gold_file,) = out.glob("*.gold.json")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    assert gold["schema"] == "precheck.gold/1" and gold["verdict"] in ("fail", "needs_review")
    raised = [f for f in review["findings"] if f["rule"] == dismissed["rule"] and f["severity"] != "info"]
    assert sum(1 for f in gold["findings"] if f["rule"] == dismissed["rule"]) == len(raised) - 1
    corrected = next(d for d in gold["documents"] if d["path"] == doc["path"])["fields"]["company_name"]
    assert corrected == "审核员更正有限公司"
    # eval reads the export: the dismissed finding counts as raised-but-not-in-gold for its rule, the
    # corrected name as a wrong field
    result = evaluate(discover(out), site.settings.pipeline())
    text = render(result, show_misses=True)
    assert f"  {dismissed['rule']}: " in text and "company_name" in text
    assert result.overall.rules[dismissed["rule"]].fp >= 1
    assert result.overall.fields["company_name"].fp >= 1



def test_an_admin_manages_users_campaigns_and_who_reviews_which(site: Site) -> None:
    admin = site.auth("admin")
    made = site.client.post("/api/admin/campaigns", headers=admin,
                            json={"name": "标杆2021", "profile": "caq-benchmark-2021", "as_of": "2021-06-30"})
    assert made.status_code == 201
    _problem(site.client.post("/api/admin/campaigns", headers=admin, json={"name": "x", "profile": "nope"}), 422)
    user = site.client.post("/api/admin/users", headers=admin,
                            json={"name": "wang", "role": "reviewer", "password": "long-enough-1"})
    assert user.status_code == 201 and user.json()["token"].startswith("pct_")
    assert site.client.put("/api/admin/campaigns/标杆2021/reviewers", headers=admin,
                           json={"users": ["wang", "reviewer"]}).json()["reviewers"] == ["reviewer", "wang"]
    wang = {"Authorization": f"Bearer {user.json()['token']}"}
    assert [c["name"] for c in site.client.get("/api/campaigns", headers=wang).json()] == ["标杆2021"]
    _problem(site.client.get("/api/admin/users", headers=wang), 403)
    listed = {u["name"]: u for u in site.client.get("/api/admin/users", headers=admin).json()}
    assert listed["wang"]["campaigns"] == ["标杆2021"] and listed["reviewer"]["campaigns"] == ["品牌", "标杆2021"]


def test_the_list_filters_by_review_state_and_sorts_and_pages_and_crops_are_kept_by_the_browser(site: Site) -> None:
    first, second = site.upload(), site.upload(names=("营业执照.pdf",))
    site.run_jobs()
    site.client.post(f"/api/bundles/{first['bundle_id']}/decision", headers=site.auth("reviewer"),
                     json={"state": "needs_fix"})
    listed = site.client.get("/api/bundles?review_state=needs_fix", headers=site.auth("reviewer")).json()["items"]
    assert [b["bundle_id"] for b in listed] == [first["bundle_id"]]
    undecided = site.client.get("/api/bundles?review_state=none", headers=site.auth("reviewer")).json()["items"]
    assert [b["bundle_id"] for b in undecided] == [second["bundle_id"]]
    oldest_first = site.client.get("/api/bundles?sort=created", headers=site.auth("reviewer")).json()["items"]
    assert [b["bundle_id"] for b in oldest_first] == [first["bundle_id"], second["bundle_id"]]
    by_errors = site.client.get("/api/bundles?sort=-errors", headers=site.auth("reviewer")).json()["items"]
    errors = [b["counts"]["error"] for b in by_errors]
    assert errors == sorted(errors, reverse=True) and errors[0] > errors[-1]
    _problem(site.client.get("/api/bundles?sort=password", headers=site.auth("reviewer")), 422)
    url = f"/api/bundles/{second['bundle_id']}/documents/0/pages/1/crop.png?bbox=0.1,0.1,0.6,0.4"
    crop = site.client.get(url, headers=site.auth("reviewer"))
    assert crop.status_code == 200 and "private" in crop.headers["cache-control"]
    again = site.client.get(url, headers={**site.auth("reviewer"), "If-None-Match": crop.headers["etag"]})
    assert again.status_code == 304 and not again.content


def test_the_first_start_makes_an_admin_with_a_one_time_password_even_after_reviewers_were_added(
    tmp_path: Path,
) -> None:
    from service.accounts import ensure_admin, sign_in
    from service.db import Database, migrate

    database = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    migrate(database.engine)
    with database.session() as db:
        add_user(db, "k" * 40, "li", Role.REVIEWER, [], None)
        first = ensure_admin(db, "k" * 40)
        db.commit()
        assert first is not None and first[0] == "admin" and len(first[1]) >= 12
        assert ensure_admin(db, "k" * 40) is None  # printed once only
        assert sign_in(db, "k" * 40, "admin", first[1], 1) is not None



def test_files_written_by_many_requests_at_once_appear_whole(tmp_path: Path) -> None:
    # a report page asks for all its crops together, and the page they are cut from is rendered by
    # whichever request comes first: with one shared temporary name a writer lost its file to another
    # (the crop answered 500 in CI); each writer now has its own
    from service.storage import write_atomic

    target = tmp_path / "pages" / "1" / "0-1.png"
    payloads = [bytes([i]) * 200_000 for i in range(16)]
    start = threading.Barrier(len(payloads))
    errors: list[BaseException] = []

    def write(data: bytes) -> None:
        start.wait()
        try:
            write_atomic(target, data)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in payloads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and target.read_bytes() in payloads
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary file left
