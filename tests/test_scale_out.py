"""The service across machines on its real engines: Postgres for the database, Celery on Redis for the
queue, a shared folder for the originals, pages, reports and OCR cache. Everything here is a real
process started by the test (tests/engines.py): a Postgres and a redis-server on loopback, `precheck
serve --workers 0` (the API only), and two `precheck worker` processes, each with its own data folder
as another machine would have (they share only the database, the broker and the storage path).

What must hold: ten gold bundles uploaded come out as ten reports, each once and each equal to the
CLI's, although a worker is SIGKILLed in the middle of a job and Redis is stopped for a few seconds
while bundles are still being uploaded; a Redis that comes back empty loses no job either; a duplicated
message makes no second report; the pages follow a job's progress through Redis."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import live_server
from tests.engines import Postgres, Redis, postgres, redis_server
from tests.live_server import GOLD, ROOT, LiveServer, precheck_command

# ten small gold bundles of every kind (folders, ZIP, 7z; clean ones and ones with findings), OCR'd
# cold (no cache is seeded): jobs of 10-40 s, so that a worker can be killed in the middle of one
BUNDLES = (
    "GB2021-002厦门紫金金属材料有限责任公司.zip", "cqa-2023-05-missing_document", "qc-2026-02-clean_zip.zip",
    "cqa-2023-04-clean_rotated", "GB2021-008昆明众诚铜材有限责任公司.zip", "cqa-2023-14-clean_late_issue",
    "cqa-2023-11-seal_name_mismatch", "GB2021-011厦门金瑞铜材（集团）有限公司.7z",
    "cqa-2023-08-certificate_expired", "qc-2026-13-clean_room",
)
LEASE_S = 6
FINAL = ("done", "failed")


@dataclass
class WorkerMachine:
    """`precheck worker` as another machine runs it: its own data folder, the shared engines."""

    name: str
    data_dir: Path
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([*precheck_command(), "worker", "--concurrency", "1"],
                                            env={**self.env, "PRECHECK_DATA_DIR": str(self.data_dir)}, cwd=ROOT,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def pids(self) -> list[int]:
        """The worker's processes (the Celery main process and its child that runs the checks)."""
        return live_server.group_members(self.process.pid) if self.process is not None else []

    def kill(self) -> None:
        """SIGKILL to every process of the worker at once: the machine is gone."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    server: LiveServer
    pg: Postgres
    redis: Redis
    storage: Path
    env: dict[str, str]
    work: Path
    token: str
    admin: str
    workers: list[WorkerMachine] = field(default_factory=list)

    def client(self, token: str | None = None, timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, headers={"Authorization": f"Bearer {token or self.token}"},
                            timeout=timeout)

    def add_worker(self) -> WorkerMachine:
        n = len(self.workers) + 1
        machine = WorkerMachine(f"w{n}", self.work / f"machine-{n}", self.env, self.work / f"worker-{n}.log")
        machine.start()
        self.workers.append(machine)
        return machine

    def logs(self) -> str:
        parts = [f"----- server -----\n{self.server.log()}"]
        for machine in self.workers:
            text = machine.log_path.read_text(encoding="utf-8", errors="replace") if machine.log_path.exists() else ""
            parts.append(f"----- {machine.name} -----\n{text[-8000:]}")
        return "\n".join(parts)


def _gold(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    work = tmp_path_factory.mktemp("scale-out")
    storage = work / "shared-storage"  # the mount every machine shares
    with postgres() as pg, redis_server() as redis:
        env = {**os.environ, "PRECHECK_DATABASE_URL": pg.url, "PRECHECK_QUEUE": "celery",
               "PRECHECK_BROKER_URL": redis.url, "PRECHECK_STORAGE_URL": str(storage),
               "PRECHECK_JOB_LEASE_S": str(LEASE_S), "PRECHECK_SECRET_KEY": "k" * 40}
        env.pop("PRECHECK_CACHE_DIR", None)
        server = LiveServer(work / "api-machine", work / "server.log", workers=0, lease_s=LEASE_S, extra_env=env)
        server.data_dir.mkdir()
        for profile in sorted({_gold(name)["profile"] for name in BUNDLES}):
            server.add_campaign(profile, profile)
        token = server.add_user("reviewer", "reviewer", sorted({_gold(name)["profile"] for name in BUNDLES}))
        admin = server.add_user("root", "admin")
        server.start()
        found = Cluster(server, pg, redis, storage, env, work, token, admin)
        try:
            found.add_worker()
            found.add_worker()
            yield found
        finally:
            for machine in found.workers:
                machine.stop()
            server.stop()


def upload_gold(client: httpx.Client, name: str) -> dict[str, Any]:
    gold = _gold(name)
    source = GOLD / name
    paths = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
    handles = [p.open("rb") for p in paths]
    try:
        response = client.post("/api/bundles", data={"campaign": gold["profile"], "name": name, "as_of": gold["as_of"]},
                               files=[("files", (p.name, h, "application/octet-stream"))
                                      for p, h in zip(paths, handles, strict=True)])
    finally:
        for handle in handles:
            handle.close()
    assert response.status_code == 202, response.text
    accepted: dict[str, Any] = response.json()
    return accepted


def job_view(client: httpx.Client, job_id: str, wait: float = 0) -> dict[str, Any]:
    response = client.get(f"/api/jobs/{job_id}", params={"wait": wait}, timeout=wait + 30)
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    return view


def wait_all(client: httpx.Client, job_ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
    deadline = time.monotonic() + timeout
    views: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        views = {job: job_view(client, job) for job in job_ids}
        if all(v["state"] in FINAL for v in views.values()):
            return views
        time.sleep(1)
    return views


def busy_worker(cluster: Cluster, admin: httpx.Client, timeout: float = 120) -> tuple[WorkerMachine, str]:
    """A worker machine in the middle of a job (read from the admin's workers list), and that job."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for row in admin.get("/api/admin/workers").json():
            if row["state"] == "busy" and row["job_id"]:
                for machine in cluster.workers:
                    if row["pid"] in machine.pids():
                        return machine, row["job_id"]
        time.sleep(0.3)
    raise AssertionError(f"no worker became busy within {timeout:.0f} s\n{cluster.logs()}")


def cli_report(name: str, out: Path, cache_dir: Path) -> dict[str, Any]:
    gold = _gold(name)
    env = {**os.environ, "PRECHECK_CACHE_DIR": str(cache_dir)}
    done = subprocess.run([*precheck_command(), "check", str(GOLD / name), "--profile", gold["profile"],
                           "--as-of", gold["as_of"], "--json", str(out)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def test_ten_bundles_survive_a_killed_worker_and_a_stopped_redis_each_reported_once_as_the_cli(
        cluster: Cluster) -> None:
    with cluster.client() as client, cluster.client(cluster.admin) as admin:
        accepted = {name: upload_gold(client, name) for name in BUNDLES[:7]}

        # a worker machine dies in the middle of a job
        victim, victim_job = busy_worker(cluster, admin)
        assert job_view(client, victim_job)["state"] == "running"
        victim.kill()
        replacement = cluster.add_worker()  # its supervisor starts it again (as systemd or compose would)

        # Redis stops for a few seconds while reviewers go on uploading
        cluster.redis.stop()
        started = time.monotonic()
        for name in BUNDLES[7:]:
            accepted[name] = upload_gold(client, name)  # accepted: the job table is the record
        assert time.monotonic() - started < 30, "uploads must not hang on a broker that is down"
        time.sleep(max(0.0, 4 - (time.monotonic() - started)))
        cluster.redis.start()

        jobs = [a["job_id"] for a in accepted.values()]
        views = wait_all(client, jobs, timeout=900)
        assert all(v["state"] == "done" for v in views.values()), (
            {n: (views[a["job_id"]]["state"], views[a["job_id"]]["error"]) for n, a in accepted.items()},
            cluster.logs())
        assert views[victim_job]["attempts"] >= 2, views[victim_job]  # re-run after its worker died

        cache = cluster.storage / "ocr-cache"
        for name, job in accepted.items():
            detail = client.get(f"/api/bundles/{job['bundle_id']}").json()
            assert [j["job_id"] for j in detail["jobs"]] == [job["job_id"]], (name, detail["jobs"])
            assert [(r["version"], r["job_id"]) for r in detail["reports"]] == [(1, job["job_id"])], name
            served = client.get(f"/api/bundles/{job['bundle_id']}/report.json").json()
            cli = cli_report(name, cluster.work / "cli.json", cache)
            assert served["bundle"]["source"] == name
            assert {k: v for k, v in served["bundle"].items() if k != "source"} == {
                k: v for k, v in cli["bundle"].items() if k != "source"}, name
            assert served["documents"] == cli["documents"], name
            assert served["findings"] == cli["findings"], name
            assert served["verdict"] == cli["verdict"], name
            html = client.get(f"/api/bundles/{job['bundle_id']}/report.html")
            assert html.status_code == 200, name

        # the killed machine's own folder holds no original: they live on the shared storage only
        assert not (victim.data_dir / "blobs").exists()
        assert any((cluster.storage / "blobs").rglob("*")), "the originals are on the shared storage"
        assert replacement.process is not None and replacement.process.poll() is None


def test_a_redis_that_comes_back_empty_loses_no_job_and_a_duplicated_message_makes_no_second_report(
        cluster: Cluster) -> None:
    import redis as redis_client

    with cluster.client() as client:
        accepted = [upload_gold(client, name) for name in BUNDLES[:3]]
        # Redis loses everything it held: queued messages and the ones being worked on
        redis_client.Redis.from_url(cluster.redis.url).flushall()
        views = wait_all(client, [a["job_id"] for a in accepted], timeout=600)
        assert all(v["state"] == "done" for v in views.values()), (views, cluster.logs())

        # the same message again, as a broker may deliver it twice: the job is done, nothing is stored
        from service.runners.celery_queue import make_celery
        from service.settings import ServiceSettings

        app = make_celery(ServiceSettings(queue="celery", broker_url=cluster.redis.url,
                                          database_url=cluster.pg.url, data_dir=cluster.work / "probe"))
        for a in accepted:
            app.send_task("precheck.check", args=[a["job_id"]], task_id=f"{a['job_id']}.again", queue="precheck")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and redis_client.Redis.from_url(cluster.redis.url).llen("precheck"):
            time.sleep(0.5)
        assert redis_client.Redis.from_url(cluster.redis.url).llen("precheck") == 0
        time.sleep(2)  # a duplicate being run now would show as a second job state change or report
        for a in accepted:
            detail = client.get(f"/api/bundles/{a['bundle_id']}").json()
            assert [(r["version"], r["job_id"]) for r in detail["reports"]] == [(1, a["job_id"])]
            assert job_view(client, a["job_id"])["attempts"] == views[a["job_id"]]["attempts"]


def test_the_event_stream_follows_a_job_run_on_another_machine_through_redis(cluster: Cluster) -> None:
    with cluster.client() as client:
        name = BUNDLES[9]
        accepted = upload_gold(client, name)
        events: list[tuple[str, dict[str, Any]]] = []
        with client.stream("GET", f"/api/jobs/{accepted['job_id']}/events", timeout=600) as response:
            assert response.status_code == 200
            kind = ""
            for line in response.iter_lines():
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                elif line.startswith("data: "):
                    events.append((kind, json.loads(line.removeprefix("data: "))))
        kinds = [k for k, _ in events]
        assert kinds[-1] == "done", kinds
        progress = [e["progress"].get("files_done", 0) for k, e in events if k == "running"]
        assert progress and progress == sorted(progress), progress
        assert len(progress) >= 2, events  # the steps of the check, not only its start and end


def test_idle_workers_on_other_machines_are_listed_as_idle_not_lost(cluster: Cluster) -> None:
    """A Celery worker waits on the broker, not in a loop of its own: its heartbeat keeps its row
    fresh, so the admin page shows it idle from its start and after a quiet spell longer than the
    30 s after which a silent worker is shown lost."""
    with cluster.client(cluster.admin) as admin:
        def idle_pids() -> set[int]:
            return {row["pid"] for row in admin.get("/api/admin/workers").json() if row["state"] == "idle"}

        live = {pid for machine in cluster.workers if machine.process and machine.process.poll() is None
                for pid in machine.pids()}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(idle_pids() & live) < 2:
            time.sleep(1)
        assert len(idle_pids() & live) >= 2, admin.get("/api/admin/workers").json()
        time.sleep(35)
        assert len(idle_pids() & live) >= 2, admin.get("/api/admin/workers").json()
