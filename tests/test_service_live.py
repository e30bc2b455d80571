"""The web service as it runs: `precheck serve` started as a process on a fresh data folder (campaigns
and users made with the CLI, job lease 6 s, two check workers), driven over HTTP. What it must keep
under real processes: the report of an upload is the CLI's, a bundle is invisible outside its campaign,
a job survives its worker's death and the server's restart, concurrent uploads are each checked
exactly once, and the job's event stream tells the progress and the end.

The tests at the end pin service bugs found here and mended: a killed worker shown as lost, a worker
whose server died while it started, a stop while a client follows a job, long polls that took the
database pool."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import builders as b
from tests import live_server
from tests.live_server import GOLD, ROOT, LiveServer, precheck_command, seed_ocr_cache

GOLD_BUNDLE = "cqa-2023-00-clean"  # 4 files: Word, a text-layer PDF, two scanned pages (fast with a warm cache)
TINY_FROM = GOLD / "brand-2024-00-clean"
TINY_FILES = ("申报书.docx", "营业执照.pdf")  # Word and a text-layer PDF: no OCR, about a second a job
FINAL = ("done", "failed")



@dataclass
class Live:
    server: LiveServer
    profile: str
    as_of: str
    admin: str
    alice: str  # reviewer of campaign A
    bob: str  # reviewer of campaign B only
    bulk: str  # reviewer of campaign A, used for the concurrent uploads (the per-user rate limit)
    tiny: Path
    work: Path

    def client(self, token: str | None, timeout: float = 30.0) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.server.url, headers=headers, timeout=timeout)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    work = tmp_path_factory.mktemp("service-live")
    data = work / "data"
    data.mkdir()
    seed_ocr_cache(data)
    gold = json.loads((GOLD / f"{GOLD_BUNDLE}.gold.json").read_text(encoding="utf-8"))
    server = LiveServer(data, work / "server.log", workers=2, lease_s=6)
    server.add_campaign("A", gold["profile"], gold["as_of"])
    server.add_campaign("B", "nonferrous-qc-2026")
    # the first `users add` makes the data folder's signing key; side by side they could race for it
    # (one of them may read the key file before it is written: see the report on service/settings.py)
    tokens = {"admin": server.add_user("root", "admin")}
    users = {"alice": ("alice", "reviewer", ["A"]), "bob": ("bob", "reviewer", ["B"]),
             "bulk": ("bulk", "reviewer", ["A"])}
    with ThreadPoolExecutor(len(users)) as pool:
        futures = {key: pool.submit(server.add_user, *user) for key, user in users.items()}
        tokens |= {key: future.result() for key, future in futures.items()}
    tiny = work / "tiny"
    tiny.mkdir()
    for name in TINY_FILES:
        shutil.copy(TINY_FROM / name, tiny / name)
    server.start()
    try:
        for key, token in tokens.items():
            response = httpx.get(f"{server.url}/api/bundles", headers={"Authorization": f"Bearer {token}"},
                                 timeout=30)
            assert response.status_code == 200, f"the token `users add` printed for {key}: {response.text}"
        yield Live(server, gold["profile"], gold["as_of"], tiny=tiny, work=work, **tokens)
    finally:
        server.stop()


shows_server_log = live_server.shows_server_log("live")


# helpers


def upload(client: httpx.Client, folder_or_files: Path | list[Path], campaign: str = "A",
           name: str | None = None, as_of: str | None = None) -> dict[str, Any]:
    paths = sorted(folder_or_files.iterdir()) if isinstance(folder_or_files, Path) else folder_or_files
    data = {"campaign": campaign, **({"name": name} if name else {}), **({"as_of": as_of} if as_of else {})}
    handles = [p.open("rb") for p in paths]
    try:
        response = client.post("/api/bundles", data=data,
                               files=[("files", (p.name, h, "application/octet-stream")) for p, h in zip(
                                   paths, handles, strict=True)])
    finally:
        for handle in handles:
            handle.close()
    assert response.status_code == 202, response.text
    accepted: dict[str, Any] = response.json()
    assert accepted["status_url"] == f"/api/jobs/{accepted['job_id']}"
    return accepted


def wait_for(client: httpx.Client, job_id: str, until: Callable[[dict[str, Any]], bool],
             timeout: float = 120.0) -> dict[str, Any]:
    """Long-polls the job until `until(view)` or a final state; the last view."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        response = client.get(f"/api/jobs/{job_id}", params={"wait": max(0.0, min(10.0, left))},
                              timeout=max(30.0, left + 15))
        assert response.status_code == 200, response.text
        view: dict[str, Any] = response.json()
        if until(view) or view["state"] in FINAL or time.monotonic() >= deadline:
            return view


def wait_done(client: httpx.Client, job_id: str, timeout: float = 120.0) -> dict[str, Any]:
    view = wait_for(client, job_id, lambda v: v["state"] in FINAL, timeout)
    assert view["state"] == "done", f"job {job_id} did not finish within {timeout:.0f} s: {view}"
    return view


def scanned_bundle(folder: Path, files: int, lines: int = 12) -> Path:
    """Single-page scanned PDFs never seen before (a fresh nonce on every page), so every page is OCR'd:
    a job of a few seconds per file."""
    folder.mkdir(parents=True)
    nonce = uuid.uuid4().hex[:12].upper()
    titles = ["检验检测报告", "质量管理体系认证证书", "用户满意度测评报告", "专利证书", "营业执照"]
    for i in range(files):
        text = [titles[i % len(titles)], f"编号：{nonce}-{i}"]
        text += [f"第{n + 1}项 样品 {nonce[n % 8 : n % 8 + 4]}{n:03d} 检验结论：合格 批次 {i}{n:02d}"
                 for n in range(lines)]
        b.images_to_pdf([b.scanned_page(text)], folder / f"{i + 1:02d}-{titles[i % len(titles)]}.pdf")
    return folder


def bundle_detail(client: httpx.Client, bundle_id: str) -> dict[str, Any]:
    response = client.get(f"/api/bundles/{bundle_id}")
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    return detail


def is_problem(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, (response.request.url, response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status and body["detail"] and not body["detail"].isascii(), body


# the tests


@shows_server_log
def test_uploaded_gold_bundle_gets_the_same_report_as_precheck_check(live: Live) -> None:
    folder = GOLD / GOLD_BUNDLE
    with live.client(live.alice) as client:
        accepted = upload(client, folder, name=GOLD_BUNDLE, as_of=live.as_of)
        wait_done(client, accepted["job_id"], timeout=150)
        response = client.get(f"/api/bundles/{accepted['bundle_id']}/report.json")
        assert response.status_code == 200, response.text
        served = response.json()
        html = client.get(f"/api/bundles/{accepted['bundle_id']}/report.html")
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")

    out = live.work / "cli-report.json"
    env = {**os.environ, "PRECHECK_CACHE_DIR": str(live.server.data_dir / "ocr-cache")}
    done = subprocess.run([*precheck_command(), "check", str(folder), "--profile", live.profile, "--as-of",
                           live.as_of, "--json", str(out)], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    cli = json.loads(out.read_text(encoding="utf-8"))

    assert served["bundle"]["source"] == GOLD_BUNDLE  # the bundle's name, never a temporary path
    assert {k: v for k, v in served["bundle"].items() if k != "source"} == {
        k: v for k, v in cli["bundle"].items() if k != "source"}
    assert served["documents"] == cli["documents"]
    assert served["findings"] == cli["findings"]
    assert served["verdict"] == cli["verdict"]
    assert len(served["documents"]) == len(list(folder.iterdir()))


@shows_server_log
def test_bundle_of_another_campaign_is_404_and_no_token_is_401(live: Live) -> None:
    with live.client(live.alice) as alice, live.client(live.bob) as bob, live.client(None) as anonymous:
        accepted = upload(alice, live.tiny, name="仅A可见")
        wait_done(alice, accepted["job_id"])
        bundle, job = accepted["bundle_id"], accepted["job_id"]
        owned = [f"/api/bundles/{bundle}", f"/api/bundles/{bundle}/report.json",
                 f"/api/bundles/{bundle}/report.html", f"/api/jobs/{job}", f"/api/jobs/{job}/events"]
        for path in owned:  # the reviewer of its campaign sees all of it
            response = alice.get(path)
            assert response.status_code == 200, (path, response.text)
        for path in owned:  # the reviewer of another campaign: it does not exist
            is_problem(bob.get(path), 404)
        listed = bob.get("/api/bundles", params={"per_page": 200}).json()
        assert bundle not in {item["bundle_id"] for item in listed["items"]}
        is_problem(bob.post(f"/api/bundles/{bundle}/recheck"), 404)
        is_problem(bob.post("/api/bundles", data={"campaign": "A"},
                            files=[("files", ("x.txt", b"x", "text/plain"))]), 404)  # nor upload into A

        for path in [*owned, "/api/bundles", "/api/admin/workers"]:
            response = anonymous.get(path)
            is_problem(response, 401)
            assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
        is_problem(anonymous.post("/api/bundles", data={"campaign": "A"},
                                  files=[("files", ("x.txt", b"x", "text/plain"))]), 401)
        is_problem(anonymous.get(f"/api/bundles/{bundle}", headers={"Authorization": "Bearer pct_not-a-token"}), 401)


@shows_server_log
def test_killed_worker_job_is_rerun_and_stored_once(live: Live) -> None:
    folder = scanned_bundle(live.work / "kill-bundle", files=3, lines=6)
    with live.client(live.alice) as alice, live.client(live.admin) as admin:
        accepted = upload(alice, folder, name="被中断的检查")
        job = accepted["job_id"]
        # mid-way: running, and at least one file read (its pages are then in the OCR cache)
        view = wait_for(alice, job, lambda v: v["state"] == "running" and v["progress"].get("files_done", 0) >= 1,
                        timeout=120)
        assert view["state"] == "running", f"the job should still be running to be interrupted: {view}"
        holders = [w for w in admin.get("/api/admin/workers").json() if w["job_id"] == job and w["state"] == "busy"]
        assert len(holders) == 1, holders
        pid = holders[0]["pid"]
        assert pid in live.server.worker_pids(), (pid, live.server.worker_pids())  # one of ours, alive
        os.kill(pid, signal.SIGKILL)

        view = wait_done(alice, job, timeout=150)
        assert view["attempts"] >= 2, view
        detail = bundle_detail(alice, accepted["bundle_id"])
        assert [j["job_id"] for j in detail["jobs"]] == [job]
        assert [(r["version"], r["job_id"]) for r in detail["reports"]] == [(1, job)]
        report = alice.get(f"/api/bundles/{accepted['bundle_id']}/report.json").json()
        assert len(report["documents"]) == 3
        assert all(d.get("error") is None for d in report["documents"]), report["documents"]

        # the watcher replaced the dead worker
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(live.server.worker_pids()) < 2:
            time.sleep(0.2)
        assert len(live.server.worker_pids()) == 2 and pid not in live.server.worker_pids()


@shows_server_log
def test_server_restart_mid_job_completes_the_job(live: Live) -> None:
    folder = scanned_bundle(live.work / "restart-bundle", files=2, lines=6)
    server = live.server
    with live.client(live.alice) as alice:
        accepted = upload(alice, folder, name="重启期间的检查")
        job = accepted["job_id"]
        view = wait_for(alice, job, lambda v: v["state"] == "running", timeout=60)
        assert view["state"] == "running", view

    code, left_behind = server.stop(timeout=30)
    assert code is not None, "the server did not stop on SIGTERM within 30 s (it was killed)"
    assert left_behind == [], f"processes of the stopped server still alive: {left_behind}"
    server.start()

    with live.client(live.alice) as alice:
        view = wait_done(alice, job, timeout=150)
        assert view["attempts"] == 1, view  # a worker told to stop gives its job back: no attempt counted
        detail = bundle_detail(alice, accepted["bundle_id"])
        assert [(r["version"], r["job_id"]) for r in detail["reports"]] == [(1, job)]
        assert alice.get(f"/api/bundles/{accepted['bundle_id']}/report.json").status_code == 200


@shows_server_log
def test_twenty_concurrent_uploads_are_each_checked_exactly_once(live: Live) -> None:
    count = 20
    start = threading.Barrier(count)

    def one(i: int) -> httpx.Response:
        with live.client(live.bulk, timeout=60) as client:
            files = [("files", (p.name, p.read_bytes(), "application/octet-stream"))
                     for p in sorted(live.tiny.iterdir())]
            start.wait(30)
            return client.post("/api/bundles", data={"campaign": "A", "name": f"并发上传-{i:02d}"}, files=files)

    with ThreadPoolExecutor(count) as pool:
        responses = list(pool.map(one, range(count)))
    assert [r.status_code for r in responses] == [202] * count, [r.text for r in responses if r.status_code != 202]
    accepted = [r.json() for r in responses]
    assert len({a["bundle_id"] for a in accepted}) == count and len({a["job_id"] for a in accepted}) == count

    with live.client(live.bulk) as client:
        for a in accepted:
            wait_done(client, a["job_id"], timeout=150)
        listed = client.get("/api/bundles", params={"uploader": "bulk", "per_page": 200}).json()
        assert listed["total"] == count
        assert {item["bundle_id"] for item in listed["items"]} == {a["bundle_id"] for a in accepted}
        assert {item["state"] for item in listed["items"]} == {"done"}
        for i, a in enumerate(accepted):
            detail = bundle_detail(client, a["bundle_id"])
            assert detail["name"] == f"并发上传-{i:02d}"
            assert [(j["job_id"], j["state"], j["attempts"]) for j in detail["jobs"]] == [(a["job_id"], "done", 1)]
            assert [(r["version"], r["job_id"]) for r in detail["reports"]] == [(1, a["job_id"])]
            report = client.get(f"/api/bundles/{a['bundle_id']}/report.json").json()
            assert report["bundle"]["source"] == f"并发上传-{i:02d}"
            assert sorted(d["path"] for d in report["documents"]) == sorted(TINY_FILES)


def read_events(response: httpx.Response) -> Iterator[tuple[str, dict[str, Any]]]:
    """Server-sent events as (event, data); comments (keep-alives) skipped."""
    event, data = "message", list[str]()
    for line in response.iter_lines():
        if line == "":
            if data:
                yield event, json.loads("\n".join(data))
            event, data = "message", []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


@shows_server_log
def test_event_stream_tells_progress_and_ends_with_done(live: Live) -> None:
    folder = scanned_bundle(live.work / "sse-bundle", files=2, lines=8)
    events: list[tuple[str, dict[str, Any]]] = []
    with live.client(live.alice, timeout=60) as alice:
        accepted = upload(alice, folder, name="事件流")
        started = time.monotonic()
        with alice.stream("GET", f"/api/jobs/{accepted['job_id']}/events") as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            for event in read_events(response):
                events.append(event)
                assert time.monotonic() - started < 150, events
    names = [name for name, _ in events]
    assert names and names[-1] == "done", names  # the stream ends after the final event
    assert names.count("done") == 1
    assert all(data["job_id"] == accepted["job_id"] and data["state"] == name for name, data in events), events
    progress = [data["progress"] for name, data in events if name == "running"]
    assert any(p.get("stage") not in (None, "queued") for p in progress), names
    last = events[-1][1]
    assert last["progress"]["files_done"] == last["progress"]["files_total"] == 2
    assert last["report_url"] == f"/api/bundles/{accepted['bundle_id']}/report.json"


# Found broken (see the reasons); strict: each turns into a failure once the service is mended.


@shows_server_log
def test_admin_view_does_not_show_a_killed_worker_as_busy(live: Live) -> None:
    folder = scanned_bundle(live.work / "stale-bundle", files=1, lines=6)
    with live.client(live.alice) as alice, live.client(live.admin) as admin:
        accepted = upload(alice, folder, name="看板上的死进程")
        job = accepted["job_id"]
        view = wait_for(alice, job, lambda v: v["state"] == "running", timeout=60)
        assert view["state"] == "running", view
        holders = [w for w in admin.get("/api/admin/workers").json() if w["job_id"] == job and w["state"] == "busy"]
        assert len(holders) == 1, holders
        pid = holders[0]["pid"]
        assert pid in live.server.worker_pids()
        os.kill(pid, signal.SIGKILL)
        # by the time the lease has run out (6 s) and the watcher replaced the process (1 s), the admin
        # view must no longer say that the dead process is busy with the job
        deadline = time.monotonic() + 10
        rows: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            rows = [w for w in admin.get("/api/admin/workers").json() if w["pid"] == pid and w["state"] == "busy"]
            if not rows:
                break
            time.sleep(0.5)
        wait_done(alice, job, timeout=120)
    assert rows == [], f"the killed worker {pid} is still listed as busy: {rows}"


@shows_server_log
def test_killed_server_leaves_no_worker_behind(live: Live) -> None:
    server = live.server
    workers = server.worker_pids()
    assert len(workers) == 2, workers
    os.kill(server.pid, signal.SIGKILL)
    assert server.process is not None
    server.process.wait(10)
    _, left_behind = server.stop(linger=10)  # the group must empty within 10 s (what is left is killed)
    server.start()
    assert left_behind == [], f"workers of the killed server still running 10 s later: {left_behind}"


@shows_server_log
def test_worker_still_starting_when_the_server_is_killed_does_not_outlive_it(live: Live) -> None:
    server = live.server
    before = server.worker_pids()
    assert len(before) == 2, before
    os.kill(before[0], signal.SIGKILL)  # the watcher starts another within a second
    fresh: list[int] = []
    deadline = time.monotonic() + 10
    while not fresh and time.monotonic() < deadline:
        time.sleep(0.05)
        fresh = [p for p in server.worker_pids() if p not in before]
    assert fresh, "the watcher did not replace the killed worker"
    os.kill(server.pid, signal.SIGKILL)  # while the new worker is still importing
    assert server.process is not None
    server.process.wait(10)
    _, left_behind = server.stop(linger=8)
    server.start()
    assert left_behind == [], f"workers of the killed server still running 8 s later: {left_behind}"


@shows_server_log
def test_server_stops_on_sigterm_while_a_client_follows_a_job(live: Live) -> None:
    folder = scanned_bundle(live.work / "followed-bundle", files=5)
    server = live.server
    got_event = threading.Event()
    with live.client(live.alice, timeout=120) as alice:
        accepted = upload(alice, folder, name="有人关注时停止")
        job = accepted["job_id"]
        view = wait_for(alice, job, lambda v: v["state"] == "running", timeout=60)
        assert view["state"] == "running", view

        def follow() -> None:
            with contextlib.suppress(httpx.HTTPError), alice.stream("GET", f"/api/jobs/{job}/events") as response:
                for _ in read_events(response):
                    got_event.set()

        follower = threading.Thread(target=follow, name="sse-follower", daemon=True)
        follower.start()
        assert got_event.wait(15), "no event on the stream"
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(15)
        took = time.monotonic() - started
        stopped = server.process.poll() is not None
        server.stop(timeout=30, linger=3)  # (a second SIGTERM forces uvicorn out; what it leaves is killed)
        follower.join(15)
    server.start()
    assert stopped, f"the server was still running {took:.0f} s after SIGTERM, held open by the event stream"


@shows_server_log
def test_clients_following_jobs_do_not_stall_the_api(live: Live) -> None:
    folder = scanned_bundle(live.work / "followed-by-many", files=3, lines=6)
    followers = 20
    with live.client(live.alice) as alice:
        accepted = upload(alice, folder, name="多人关注")
        job = accepted["job_id"]
        view = wait_for(alice, job, lambda v: v["state"] == "running", timeout=60)
        assert view["state"] == "running", view

        def follow() -> None:  # a reviewer's page following the job
            with live.client(live.alice, timeout=60) as client, contextlib.suppress(httpx.HTTPError), \
                    client.stream("GET", f"/api/jobs/{job}/events") as response:
                for _ in read_events(response):
                    pass

        threads = [threading.Thread(target=follow, name=f"follower-{i}", daemon=True) for i in range(followers)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        started = time.monotonic()
        try:
            listed: httpx.Response | None = alice.get("/api/bundles", timeout=8)
        except httpx.TimeoutException:
            listed = None
        took = time.monotonic() - started
        for thread in threads:
            thread.join(60)
    assert listed is not None and listed.status_code == 200, (
        f"GET /api/bundles with {followers} event streams open: "
        f"{'no answer' if listed is None else listed.status_code} after {took:.1f} s")
