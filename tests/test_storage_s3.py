"""The service on S3-compatible storage (`PRECHECK_STORAGE_URL=s3://bucket/prefix`), against a real S3
server on loopback (moto's, over HTTP: the service's boto3 client talks to it as to MinIO or AWS;
nothing is mocked in process). The API in process (FastAPI's TestClient) and real workers
(`Worker.run_one`), as in tests/test_service_api.py; "another machine" is a second data folder, with
its own local folders and the same database and bucket."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from service.accounts import add_campaign, add_user
from service.app import create_app
from service.cache_sync import entry_path, owner_path, parse_owners
from service.settings import ServiceSettings
from service.storage import blob_key
from service.tables import Role
from service.worker import Worker
from tests.test_service_api import TEXT_FILES, Site

GOLD = Path(__file__).resolve().parents[1] / "gold" / "bundles"
CLEAN = GOLD / "brand-2024-00-clean"
SCANNED = "申报书（盖章扫描件）.pdf"  # a scan: its pages are read by OCR
KEY = "k" * 40  # every machine signs with the same key (tokens made on one work on the other)
PREFIX = "p"


@dataclass
class Bucket:
    name: str
    endpoint: str
    client: Any

    def listed(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.name)
        return sorted(o["Key"] for page in pages for o in page.get("Contents", []))

    def read(self, key: str) -> bytes:
        data: bytes = self.client.get_object(Bucket=self.name, Key=f"{PREFIX}/{key}")["Body"].read()
        return data


class Machine(Site):
    """One machine's API and worker (tests/test_service_api.py's site), reading as the reviewer."""

    def auth(self, who: str = "reviewer") -> dict[str, str]:
        return super().auth(who)

    def get(self, path: str) -> Any:
        return self.client.get(path, headers=self.auth())


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Bucket:
    """A fresh bucket, with test credentials for every client of this test (none of the machine's)."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    client = boto3.client("s3", endpoint_url=s3_server)
    name = f"precheck-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return Bucket(name, s3_server, client)


@contextlib.contextmanager
def machine(tmp_path: Path, name: str, bucket: Bucket, database: str | None = None,
            **overrides: Any) -> Iterator[Machine]:
    """A machine of the service: its own data folder; the first one makes the database's campaign
    and users, the others use that database (`database`)."""
    settings = ServiceSettings(data_dir=tmp_path / name, workers=0, secret_key=KEY, database_url=database,
                               storage_url=f"s3://{bucket.name}/{PREFIX}", s3_endpoint_url=bucket.endpoint,
                               **overrides)
    app = create_app(settings)
    service = app.state.service
    tokens = {}
    with service.db.session() as db:
        if database is None:
            add_campaign(db, "品牌", "nonferrous-brand-2024", None)
            for who, role in (("admin", Role.ADMIN), ("reviewer", Role.REVIEWER)):
                _, tokens[who] = add_user(db, service.key, who, role, ["品牌"], "secret-pass-1")
            db.commit()
    worker = Worker(settings, service.db)
    assert worker.blobs.remote  # the worker reads and writes the bucket, as the API does
    with TestClient(app) as client:
        yield Machine(client, settings, worker, tokens)


@contextlib.contextmanager
def two_machines(tmp_path: Path, bucket: Bucket) -> Iterator[tuple[Machine, Machine]]:
    with contextlib.ExitStack() as stack:
        one = stack.enter_context(machine(tmp_path, "one", bucket))
        two = stack.enter_context(machine(tmp_path, "two", bucket, database=one.settings.db_url))
        two.tokens.update(one.tokens)
        yield one, two


def local_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def sha_of(name: str) -> str:
    import hashlib

    return hashlib.sha256((CLEAN / name).read_bytes()).hexdigest()


def test_an_upload_is_checked_and_its_originals_report_and_pages_are_in_the_bucket_only(
    tmp_path: Path, bucket: Bucket,
) -> None:
    with machine(tmp_path, "one", bucket) as one:
        accepted = one.upload()
        assert one.run_jobs() == 1
        bundle = f"/api/bundles/{accepted['bundle_id']}"
        report = one.get(f"{bundle}/report.json")
        assert report.status_code == 200 and report.json()["schema"] == "precheck.report/1"
        assert sorted(d["path"] for d in report.json()["documents"]) == sorted(TEXT_FILES)
        html = one.get(f"{bundle}/report.html")
        assert html.status_code == 200 and "text/html" in html.headers["content-type"]
        job_id = one.get(bundle).json()["jobs"][0]["job_id"]
        assert html.content == bucket.read(f"reports/{accepted['bundle_id']}/{job_id}.html")
        pdf = next(i for i, d in enumerate(report.json()["documents"]) if d["path"] == "营业执照.pdf")
        page = one.get(f"{bundle}/documents/{pdf}/pages/1.png")
        assert page.status_code == 200 and page.content.startswith(b"\x89PNG")
        assert page.content == bucket.read(f"pages/{accepted['bundle_id']}/1/{pdf}-1.png")
        keys = bucket.listed()
        for name in TEXT_FILES:  # the originals as uploaded, under their content's hash
            assert f"{PREFIX}/{blob_key(sha_of(name))}" in keys
            assert bucket.read(blob_key(sha_of(name))) == (CLEAN / name).read_bytes()
        assert all(k.startswith(f"{PREFIX}/") for k in keys)
        data = one.settings.files_dir  # nothing of the applicant's kept on this machine
        for folder in ("blobs", "reports", "pages", "ocr-cache"):
            assert local_files(data / folder) == [], folder


def test_another_machine_renders_a_page_from_the_bucket_and_the_first_serves_that_copy(
    tmp_path: Path, bucket: Bucket,
) -> None:
    with two_machines(tmp_path, bucket) as (one, two):
        accepted = one.upload()
        one.run_jobs()
        bundle = f"/api/bundles/{accepted['bundle_id']}"
        report = two.get(f"{bundle}/report.json").json()
        pdf = next(i for i, d in enumerate(report["documents"]) if d["path"] == "营业执照.pdf")
        assert not [k for k in bucket.listed() if "/pages/" in k]
        page = two.get(f"{bundle}/documents/{pdf}/pages/1.png")  # rendered there, from the bucket's original
        assert page.status_code == 200 and page.content.startswith(b"\x89PNG")
        again = one.get(f"{bundle}/documents/{pdf}/pages/1.png")
        assert again.status_code == 200 and again.content == page.content
        assert again.headers["etag"] == page.headers["etag"]
        crop = one.get(f"{bundle}/documents/{pdf}/pages/1/crop.png?bbox=0.1,0.1,0.5,0.3")
        assert crop.status_code == 200 and crop.content.startswith(b"\x89PNG") and len(crop.content) < len(page.content)
        same = two.get(f"{bundle}/documents/{pdf}/pages/1/crop.png?bbox=0.1,0.1,0.5,0.3")
        assert same.content == crop.content
        cached = two.client.get(f"{bundle}/documents/{pdf}/pages/1/crop.png?bbox=0.1,0.1,0.5,0.3",
                                headers={**two.auth(), "If-None-Match": crop.headers["etag"]})
        assert cached.status_code == 304
        assert two.get(f"{bundle}/report.html").content == one.get(f"{bundle}/report.html").content
        for m in (one, two):
            assert local_files(m.settings.files_dir / "pages") == []


def test_ocr_cache_entries_one_worker_made_are_found_by_a_worker_on_another_machine(
    tmp_path: Path, bucket: Bucket, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from extractor.ocr.reader import PageReader

    monkeypatch.setenv("PRECHECK_ISOLATE_FILES", "false")  # OCR in this process, where it is counted
    recognised: list[int] = []
    original = PageReader.recognise

    def counted(self: PageReader, *args: Any, **kwargs: Any) -> Any:
        recognised.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PageReader, "recognise", counted)
    with two_machines(tmp_path, bucket) as (one, two):
        accepted = one.upload(names=(SCANNED,))
        assert one.run_jobs() == 1
        first = len(recognised)
        assert first > 0, "the scan should have been read by OCR"
        owners = parse_owners(bucket.read(f"ocr-cache/{owner_path(sha_of(SCANNED))}").decode())
        listed = bucket.listed()
        assert owners and all(f"{PREFIX}/ocr-cache/{entry_path(*line.split('/'))}" in listed for line in owners)
        assert local_files(one.settings.ocr_cache_dir) == []  # the bucket keeps it, not the worker
        bundle = f"/api/bundles/{accepted['bundle_id']}"
        assert two.client.post(f"{bundle}/recheck", headers=two.auth()).status_code == 202
        assert two.run_jobs() == 1
        assert len(recognised) == first, "the second machine read the pages again instead of the shared cache"
        assert local_files(two.settings.ocr_cache_dir) == []
        reports = [two.get(f"{bundle}/report.json?version={v}").json() for v in (1, 2)]
        assert reports[0]["documents"] == reports[1]["documents"]


def test_deleting_a_bundle_leaves_no_object_of_it_in_the_bucket(tmp_path: Path, bucket: Bucket) -> None:
    with machine(tmp_path, "one", bucket) as one:
        accepted = one.upload(names=("营业执照.pdf", SCANNED))
        kept = one.upload(names=("营业执照.pdf",))  # another bundle holding the same licence
        assert one.run_jobs() == 2
        bundle = f"/api/bundles/{accepted['bundle_id']}"
        for b in (bundle, f"/api/bundles/{kept['bundle_id']}"):
            assert one.get(f"{b}/documents/0/pages/1.png").status_code == 200
            assert one.get(f"{b}/report.html").status_code == 200
        scan = sha_of(SCANNED)
        owners = parse_owners(bucket.read(f"ocr-cache/{owner_path(scan)}").decode())
        assert owners, "the scan's page text should be in the shared OCR cache"
        before = bucket.listed()
        gone = {f"{PREFIX}/{blob_key(scan)}", f"{PREFIX}/ocr-cache/{owner_path(scan)}",
                *(f"{PREFIX}/ocr-cache/{entry_path(*line.split('/'))}" for line in owners),
                *(k for k in before if accepted["bundle_id"] in k)}
        assert gone <= set(before)
        assert one.client.delete(bundle, headers=one.auth()).status_code == 204
        after = bucket.listed()
        assert not [k for k in after if accepted["bundle_id"] in k or scan in k]
        assert set(after) == set(before) - gone
        assert f"{PREFIX}/{blob_key(sha_of('营业执照.pdf'))}" in after  # the other bundle holds it
        other = f"/api/bundles/{kept['bundle_id']}"
        assert one.get(f"{other}/report.html").status_code == 200
        assert one.get(f"{other}/documents/0/pages/1.png").status_code == 200
        assert one.get(bundle).status_code == 404


def test_an_upload_past_the_size_limit_leaves_nothing_in_the_bucket(tmp_path: Path, bucket: Bucket) -> None:
    with machine(tmp_path, "one", bucket, max_request_mb=1) as one:
        # past the 1 MB budget of the store, within the request limit (which has 1 MB more for the form)
        big = [("files", ("大文件.pdf", b"0" * (1024 * 1024 + 512 * 1024)))]
        response = one.client.post("/api/bundles", headers=one.auth(), files=big, data={"campaign": "品牌"})
        assert response.status_code == 413, response.text
        assert "application/problem+json" in response.headers["content-type"]
        assert bucket.listed() == []
        assert local_files(one.settings.files_dir / "blobs") == []
        one.upload(names=("营业执照.pdf",))  # the store still takes what fits
        assert bucket.listed() == [f"{PREFIX}/{blob_key(sha_of('营业执照.pdf'))}"]
