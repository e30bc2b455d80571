"""The service across machines on its real engines, measured on this one: prints numbers, asserts
nothing. Every process is started here (as tests/test_scale_out.py starts them: a Postgres and a
redis-server on loopback from tests/engines.py, `precheck serve` from tests/live_server.py, `precheck
worker` processes with a data folder of their own) and stopped here, failure or not.

    python -m benchmarks.bench_scale [--quick]

(1) throughput: the same gold bundles (ten of every kind, as tests/test_scale_out.py uses; folders,
    ZIP, 7z) uploaded at once to `serve --workers 0` + `precheck worker --concurrency 1`, then to a fresh
    cluster with `--concurrency 2` (Postgres + Redis + a shared storage folder each time) — bundles per
    minute and the ratio. The OCR cache is WARM in both runs (seeded on the shared storage from a cache
    this script fills first with `precheck check` on the same bundles), so that the service is measured;
    what OCR costs cold is measured on the side (that seeding run against a second, warm one) and
    enters the projection.
(2) queue overhead: the same tiny bundle (a Word form and a text-layer PDF: no OCR) uploaded one at a
    time with (a) the local queue + SQLite, (b) the local queue + Postgres, (c) Celery on Redis + Postgres
    — upload → done as seen by a long poll (`GET /api/jobs/{id}?wait=30`), p50/p90, and the differences.
(3) load per bundle of the throughput runs: CPU seconds of the worker processes, the API process, the
    Postgres and the Redis servers (their process trees, from /proc); bytes written to the shared
    storage by subfolder; Postgres work (pg_stat_database); Redis commands (INFO). Each run first sits
    idle a while with its workers up: that background rate (the dispatcher, Celery's broker polls) is
    shown on its own, per second; the per-bundle figures hold what ran during the run, background too.
(4) ceilings of Postgres (pgbench) and Redis (redis-benchmark) on this machine, and a projection for N
    worker machines, as lines of text.

The machine is shared and has few cores: ratios within one run mean more than seconds. Progress goes
to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_service import NO_LIMIT, TINY_FILES, TINY_FROM, gold_meta, pct, post, wait_done  # noqa: E402
from tests.engines import Postgres, Redis, postgres, redis_server  # noqa: E402
from tests.live_server import GOLD, LiveServer, folder_mb, precheck_command, proc_stats  # noqa: E402

# the ten gold bundles of tests/test_scale_out.py: every kind (folders, ZIP, 7z; clean, with findings)
BUNDLES = (
    "GB2021-002厦门紫金金属材料有限责任公司.zip", "cqa-2023-05-missing_document", "qc-2026-02-clean_zip.zip",
    "cqa-2023-04-clean_rotated", "GB2021-008昆明众诚铜材有限责任公司.zip", "cqa-2023-14-clean_late_issue",
    "cqa-2023-11-seal_name_mismatch", "GB2021-011厦门金瑞铜材（集团）有限公司.7z",
    "cqa-2023-08-certificate_expired", "qc-2026-13-clean_room",
)
TINY_CAMPAIGN, TINY_AS_OF = "nonferrous-brand-2024", "2024-08-31"
LEASE_S = 60  # the service's default: a running job renews it every 20 s
SECRET = "s" * 40
TICK = os.sysconf("SC_CLK_TCK")
SAFETY = 0.5  # of a measured ceiling, what a projection lets the service use
CORES_PER_MACHINE = 2
PG_FIELDS = ("xact_commit", "xact_rollback", "tup_returned", "tup_fetched", "tup_inserted", "tup_updated",
             "tup_deleted")
STARTED = time.monotonic()


def note(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def out(line: str = "") -> None:
    print(line, flush=True)


# processes and their CPU, from /proc -----------------------------------------------------------


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds: its own plus its reaped children's), every process now."""
    return {pid: (int(fields[1]), sum(int(x) for x in fields[11:15]) / TICK) for pid, fields in proc_stats()}


def tree_cpu(root: int | None, table: dict[int, tuple[int, float]]) -> float:
    """CPU seconds of a process and all its descendants (the ones that ended and were waited for are in
    their parent's cutime/cstime), from one reading of /proc."""
    if root is None or root not in table:
        return 0.0
    kids: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        kids.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += table[pid][1]
        todo.extend(kids.get(pid, []))
    return total


def postmaster_pid(pg: Postgres) -> int | None:
    try:
        return int((pg.folder / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


# the processes of a cluster ------------------------------------------------------------------------


@dataclass
class WorkerMachine:
    """`precheck worker --concurrency N` as another machine runs it: its own data folder, the shared
    database, broker and storage; its own session, so that its whole group is stopped with it."""

    data_dir: Path
    env: dict[str, str]
    log_path: Path
    concurrency: int
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [*precheck_command(), "worker", "--concurrency", str(self.concurrency)],
                env={**self.env, "PRECHECK_DATA_DIR": str(self.data_dir)}, cwd=ROOT, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(30)
        with contextlib.suppress(ProcessLookupError):  # whatever of its group is left (only ever ours)
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)

    def log(self, tail: int = 6000) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-tail:]
        except OSError:
            return "(no worker log)"


@dataclass
class Setup:
    """A running service: its API server, maybe worker machines, and the engines it runs on."""

    label: str
    server: LiveServer
    token: str
    storage: Path
    db_url: str
    pg: Postgres | None = None
    database: str = "precheck"
    redis: Redis | None = None
    workers: list[WorkerMachine] = field(default_factory=list)

    def client(self, timeout: float = 120.0) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, headers={"Authorization": f"Bearer {self.token}"},
                            timeout=timeout)

    def logs(self) -> str:
        return "\n".join([f"----- {self.label}: server -----\n{self.server.log(6000)}",
                          *(f"----- worker {i + 1} -----\n{w.log()}" for i, w in enumerate(self.workers))])

    def worker_pids(self) -> list[int]:
        return [w.process.pid for w in self.workers if w.process is not None]


@contextlib.contextmanager
def service(work: Path, label: str, profiles: set[str], *, local_workers: int, pg: Postgres | None = None,
            database: str = "precheck", redis: Redis | None = None, celery_workers: int = 0,
            seed: Path | None = None) -> Iterator[Setup]:
    """`precheck serve` on a fresh data folder (SQLite when no Postgres is given; the celery queue when a
    Redis is), and with Celery a `precheck worker --concurrency celery_workers` of its own data folder;
    the shared storage folder holds a copy of the seed OCR cache. Everything stopped on the way out."""
    base = Path(tempfile.mkdtemp(prefix=f"{label}-", dir=work))
    storage = base / "shared-storage"
    storage.mkdir()
    if seed is not None:
        shutil.copytree(seed, storage / "ocr-cache")
    env = {**os.environ, **NO_LIMIT, "PRECHECK_STORAGE_URL": str(storage), "PRECHECK_SECRET_KEY": SECRET,
           "PRECHECK_JOB_LEASE_S": str(LEASE_S)}
    env.pop("PRECHECK_CACHE_DIR", None)
    env.pop("PRECHECK_OCR_THREADS", None)  # the runner shares the cores between its processes
    if pg is not None:
        env["PRECHECK_DATABASE_URL"] = pg.url.rsplit("/", 1)[0] + f"/{database}"
    if redis is not None:
        env |= {"PRECHECK_QUEUE": "celery", "PRECHECK_BROKER_URL": redis.url}
    server = LiveServer(base / "api-machine", base / "server.log", workers=local_workers, lease_s=LEASE_S,
                        extra_env=env)
    server.data_dir.mkdir()
    for profile in sorted(profiles):
        server.add_campaign(profile, profile)
    token = server.add_user("bench", "admin")
    db_url = env.get("PRECHECK_DATABASE_URL") or f"sqlite:///{server.data_dir / 'precheck.db'}"
    setup = Setup(label, server, token, storage, db_url, pg, database, redis)
    try:
        server.start()
        for n in range(1 if celery_workers else 0):
            machine = WorkerMachine(base / f"machine-{n + 1}", env, base / f"worker-{n + 1}.log", celery_workers)
            setup.workers.append(machine)
            machine.start()
        yield setup
    except BaseException:
        note(f"{label} failed; its logs:\n{setup.logs()}")
        raise
    finally:
        for machine in setup.workers:
            machine.stop()
        server.stop()
        shutil.rmtree(base, ignore_errors=True)


# uploads and jobs ------------------------------------------------------------------------------------


def bundle_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def tiny_files() -> list[Path]:
    return [TINY_FROM / name for name in TINY_FILES]


def _moment(value: object) -> Any:
    """A timestamp as the database gave it (SQLite through a plain query: its text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def job_times(db_url: str, job_ids: Sequence[str]) -> list[tuple[str, datetime, datetime | None,
                                                                   datetime | None]]:
    """(state, created, started, finished) of the jobs, from the service's database (its clock: UTC)."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            query = text("SELECT state, created, started, finished FROM jobs WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True))
            return [(str(r[0]), _moment(r[1]), _moment(r[2]), _moment(r[3]))
                    for r in conn.execute(query, {"ids": list(job_ids)})]
    finally:
        engine.dispose()


def wait_job(client: httpx.Client, job_id: str, timeout: float = 1800.0) -> float:
    """Long-polls the job (`?wait=30`) to its end; the monotonic time it was seen done."""
    return wait_done(client, job_id, timeout, wait=30)


def warm_celery(setup: Setup, processes: int) -> None:
    """Tiny jobs until every Celery worker process has run one (a Celery worker makes its check worker
    at its first job, and only then shows in the workers list)."""
    mine = set(setup.worker_pids())
    with setup.client() as client:
        for _ in range(8):
            jobs = [post(client, tiny_files(), TINY_CAMPAIGN, "预热", TINY_AS_OF)["job_id"] for _ in range(processes)]
            for job in jobs:
                wait_job(client, job, timeout=300)
            table = _proc_table()
            ours = {pid for pid, (parent, _) in table.items() if parent in mine}
            ran = {row["pid"] for row in client.get("/api/admin/workers").json() if row["pid"] in ours}
            if len(ran) >= processes:
                return
    raise RuntimeError(f"only some of the {processes} worker processes ran a job:\n{setup.logs()}")


# measurements of a running cluster -------------------------------------------------------------------


@dataclass
class Snapshot:
    at: float
    cpu: dict[str, float]
    pg: dict[str, float]
    redis_total: float
    redis_calls: dict[str, float]
    storage: dict[str, int]


class Meter:
    """Readings of one cluster: CPU of its process trees, Postgres's statistics of its database, Redis's
    command counters, the shared storage by subfolder."""

    def __init__(self, setup: Setup) -> None:
        import psycopg
        import redis as redis_client

        assert setup.pg is not None and setup.redis is not None
        self.setup = setup
        self.pg_conn = psycopg.connect(host="127.0.0.1", port=setup.pg.port, user="precheck",
                                       dbname=setup.database, autocommit=True)
        self.redis = redis_client.Redis(host="127.0.0.1", port=setup.redis.port)
        self.statements = 0  # this meter's own transactions on the database (taken out of the figures)

    def wait_jobs(self, job_ids: list[str], every: float = 2.0, timeout: float = 1800.0) -> None:
        """One query every `every` s (not the API: its load is measured) until every job has ended."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.statements += 1
            rows = self.pg_conn.execute("SELECT state FROM jobs WHERE id = ANY(%s)", (job_ids,)).fetchall()
            states = [str(r[0]) for r in rows]
            if "failed" in states:
                raise RuntimeError(f"{states.count('failed')} job(s) failed:\n{self.setup.logs()}")
            if len(states) == len(job_ids) and all(state == "done" for state in states):
                return
            time.sleep(every)
        raise RuntimeError(f"jobs not done within {timeout:.0f} s:\n{self.setup.logs()}")

    def close(self) -> None:
        self.pg_conn.close()
        self.redis.close()

    def read(self) -> Snapshot:
        at = time.monotonic()
        table = _proc_table()
        setup = self.setup
        assert setup.pg is not None and setup.redis is not None and setup.redis.process is not None
        cpu = {"workers": sum(tree_cpu(pid, table) for pid in setup.worker_pids()),
               "api": tree_cpu(setup.server.pid, table),
               "postgres": tree_cpu(postmaster_pid(setup.pg), table),
               "redis": tree_cpu(setup.redis.process.pid, table)}
        columns = ", ".join(PG_FIELDS)
        self.statements += 1
        row = self.pg_conn.execute(f"SELECT {columns}, pg_database_size(datname) FROM pg_stat_database "
                                   "WHERE datname = %s", (setup.database,)).fetchone()
        assert row is not None
        pg = {name: float(value) for name, value in zip((*PG_FIELDS, "db_bytes"), row, strict=True)}
        pg["xact_commit"] -= self.statements  # this meter's own (autocommit: one transaction a statement)
        info: dict[str, Any] = self.redis.info("commandstats")
        calls = {key.removeprefix("cmdstat_"): float(value["calls"]) for key, value in info.items()}
        total = float(self.redis.info("stats")["total_commands_processed"])
        storage = {entry.name: folder_bytes(entry) for entry in setup.storage.iterdir() if entry.is_dir()}
        storage["(worker machines' own folders)"] = sum(folder_bytes(w.data_dir) for w in setup.workers)
        return Snapshot(at, cpu, pg, total, calls, storage)


@dataclass
class Rates:
    """What changed between two snapshots, in total and per second."""

    seconds: float
    cpu: dict[str, float]
    pg: dict[str, float]
    redis_total: float
    redis_calls: dict[str, float]
    storage: dict[str, int]

    @classmethod
    def between(cls, a: Snapshot, b: Snapshot) -> Rates:
        return cls(b.at - a.at, {k: b.cpu[k] - a.cpu.get(k, 0.0) for k in b.cpu},
                   {k: b.pg[k] - a.pg.get(k, 0.0) for k in b.pg}, b.redis_total - a.redis_total,
                   {k: v - a.redis_calls.get(k, 0.0) for k, v in b.redis_calls.items()},
                   {k: v - a.storage.get(k, 0) for k, v in b.storage.items()})


@dataclass
class Run:
    processes: int
    bundles: int
    seconds: float  # the first job created → the last finished, by the database's clock
    client_seconds: float  # the first upload sent → all seen done (polled every 2 s)
    idle: Rates
    busy: Rates

    @property
    def per_minute(self) -> float:
        return self.bundles / self.seconds * 60

    def per_bundle(self, what: str, key: str) -> float:
        """Per bundle: everything from the first upload to the last job done (the background included)."""
        busy: dict[str, float] = getattr(self.busy, what)
        return busy.get(key, 0.0) / self.bundles

    def idle_rate(self, what: str, key: str) -> float:
        idle: dict[str, float] = getattr(self.idle, what)
        return idle.get(key, 0.0) / self.idle.seconds

    @property
    def redis_per_bundle(self) -> float:
        return self.busy.redis_total / self.bundles

    @property
    def redis_idle_rate(self) -> float:
        return self.idle.redis_total / self.idle.seconds


# a Postgres backend that reported its statistics less than a second ago reports what it did since only
# after 10 s idle (PGSTAT_IDLE_INTERVAL): the counters are read that long after the activity they count
SETTLE_S = 11.0


def throughput_run(work: Path, seed: Path, names: Sequence[str], rounds: int, processes: int,
                   idle_s: float) -> Run:
    profiles = {gold_meta(n)[0] for n in names} | {TINY_CAMPAIGN}
    with postgres() as pg, redis_server() as redis, \
            service(work, f"cluster-{processes}w", profiles, local_workers=0, pg=pg, redis=redis,
                    celery_workers=processes, seed=seed) as setup:
        note(f"throughput, {processes} worker process(es): warming them")
        warm_celery(setup, processes)
        meter = Meter(setup)
        try:
            time.sleep(SETTLE_S)
            first = meter.read()
            note(f"throughput, {processes} worker process(es): {idle_s:.0f} s idle (the background rate)")
            time.sleep(idle_s)
            ready = meter.read()
            note(f"throughput, {processes} worker process(es): uploading {len(names)} bundles × {rounds}")
            with setup.client() as client:
                began = time.monotonic()
                job_ids = []
                for _ in range(rounds):
                    for name in names:
                        profile, as_of = gold_meta(name)
                        job_ids.append(post(client, bundle_files(GOLD / name), profile, name, as_of)["job_id"])
            meter.wait_jobs(job_ids)
            ended = time.monotonic()
            busy_cpu = meter.read()  # CPU and storage when the last was seen done; the counters once settled
            time.sleep(SETTLE_S)
            settled = meter.read()
        finally:
            meter.close()
        times = job_times(setup.db_url, job_ids)
        seconds = (max(t[3] for t in times if t[3] is not None) - min(t[1] for t in times)).total_seconds()
        last = Snapshot(busy_cpu.at, busy_cpu.cpu, settled.pg, settled.redis_total, settled.redis_calls,
                        busy_cpu.storage)
        run = Run(processes, len(job_ids), seconds, ended - began, Rates.between(first, ready),
                  Rates.between(ready, last))
        note(f"throughput, {processes} worker process(es): {run.seconds:.1f} s = {run.per_minute:.1f} bundles/min")
        return run


# (2) the queue's overhead --------------------------------------------------------------------------


@dataclass
class Latency:
    post_s: list[float]
    done_s: list[float]  # upload sent → seen done by the long poll
    wait_s: list[float]  # job created → claimed by a worker (the database's clock)
    run_s: list[float]  # claimed → finished


def sequential_latency(setup: Setup, repeat: int, warm: int = 2) -> Latency:
    """The tiny bundle uploaded `repeat` times, one at a time (after `warm` not counted)."""
    post_s, done_s, job_ids = [], [], []
    with setup.client() as client:
        for i in range(warm + repeat):
            started = time.monotonic()
            job = post(client, tiny_files(), TINY_CAMPAIGN, f"延迟-{i:02d}", TINY_AS_OF)["job_id"]
            posted = time.monotonic()
            seen = wait_job(client, job, timeout=300)
            if i >= warm:
                post_s.append(posted - started)
                done_s.append(seen - started)
                job_ids.append(job)
    times = job_times(setup.db_url, job_ids)
    wait_s = [(t[2] - t[1]).total_seconds() for t in times if t[2] is not None]
    run_s = [(t[3] - t[2]).total_seconds() for t in times if t[2] is not None and t[3] is not None]
    return Latency(post_s, done_s, wait_s, run_s)


# (4) ceilings -----------------------------------------------------------------------------------------


def pgbench(pg: Postgres, args: Sequence[str], database: str = "bench") -> str:
    done = subprocess.run([str(pg.bin / "pgbench"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", "precheck",
                           *args, database], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"pgbench {' '.join(args)}: {done.stderr[-1500:]}")
    return done.stdout


def pg_tps(pg: Postgres, args: Sequence[str]) -> float:
    text = pgbench(pg, args)
    found = re.search(r"tps = ([\d.]+)", text)
    if found is None:
        raise RuntimeError(f"no tps in pgbench's output:\n{text}")
    return float(found.group(1))


def pg_set(pg: Postgres, setting: str, value: str) -> None:
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=pg.port, user="precheck", dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f"ALTER SYSTEM SET {setting} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
    time.sleep(1)


def redis_bench(redis: Redis, requests: int) -> dict[str, float]:
    tool = shutil.which("redis-benchmark")
    if tool is None:
        return {}
    done = subprocess.run([tool, "-h", "127.0.0.1", "-p", str(redis.port), "-q", "-n", str(requests),
                           "-t", "set,get,lpush,rpop"], capture_output=True, text=True, timeout=600)
    found = re.findall(r"([A-Z]+)[^:\r\n]*: ([\d.]+) requests per second", done.stdout)
    return {name: float(rate) for name, rate in found}


# the CLI on the same bundles: what OCR costs cold -------------------------------------------------------


def cli_check(path: Path, cache: Path) -> tuple[float, float]:
    """`precheck check` on a gold bundle with this OCR cache: wall and CPU seconds (the process and its
    children)."""
    profile, as_of = gold_meta(path.name)
    with tempfile.TemporaryDirectory(prefix="cli-out-") as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        done = subprocess.run([*precheck_command(), "check", str(path), "--profile", profile, "--as-of", as_of,
                               "--json", f"{tmp}/r.json"], env={**os.environ, "PRECHECK_CACHE_DIR": str(cache)},
                              cwd=ROOT, capture_output=True, text=True)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"precheck check {path.name}: {done.stderr[-2000:]}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


# printing ------------------------------------------------------------------------------------------------


def fmt(value: float, digits: int = 1) -> str:
    if abs(value) >= 1e6:
        return f"{value / 1e6:.2f} M"
    if abs(value) >= 1e4:
        return f"{value / 1e3:.0f} k"
    return f"{value:.{digits}f}"


def kib(value: float) -> str:
    return f"{value / 1024:.0f} KiB" if abs(value) < 10 * 1024 * 1024 else f"{value / 1024 / 1024:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true",
                        help="3 bundles once, 5 latency uploads, short idle and ceiling runs")
    args = parser.parse_args()
    names = BUNDLES[:3] if args.quick else BUNDLES
    rounds = 1 if args.quick else 3
    repeat = 5 if args.quick else 20
    idle_s = 6.0 if args.quick else 20.0
    bench_s = 4 if args.quick else 10
    scale = 2 if args.quick else 10
    redis_n = 5000 if args.quick else 20000

    out(f"machine\tcores {os.cpu_count()}\tload {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        f"\t{'--quick' if args.quick else 'full run'}")
    with tempfile.TemporaryDirectory(prefix="precheck-bench-scale-") as tmp:
        work = Path(tmp)

        # the OCR cache the throughput runs start from: filled here, cold, by the CLI (then read warm)
        seed = work / "seed-cache"
        seed.mkdir()
        cold, warm = [], []
        for name in names:
            note(f"CLI cold: {name}")
            cold.append(cli_check(GOLD / name, seed))
        for name in names:
            note(f"CLI warm: {name}")
            warm.append(cli_check(GOLD / name, seed))
        ocr_cpu = sum(c[1] - w[1] for c, w in zip(cold, warm, strict=True)) / len(names)
        out(f"\nOCR cold, from `precheck check` on the {len(names)} bundles (one process each; the CLI uses "
            f"every core)")
        out(f"    cold cache\twall {sum(c[0] for c in cold) / len(names):.1f} s/bundle\t"
            f"CPU {sum(c[1] for c in cold) / len(names):.1f} s/bundle")
        out(f"    warm cache\twall {sum(w[0] for w in warm) / len(names):.1f} s/bundle\t"
            f"CPU {sum(w[1] for w in warm) / len(names):.1f} s/bundle")
        out(f"    OCR (cold − warm)\tCPU {ocr_cpu:.1f} s/bundle\tOCR cache written "
            f"{kib(folder_bytes(seed) / len(names))}/bundle ({folder_mb(seed):.1f} MB for {len(names)})")

        # (1) + (3) ------------------------------------------------------------------------------
        runs = [throughput_run(work, seed, names, rounds, processes, idle_s) for processes in (1, 2)]
        one, two = runs
        out(f"\n(1) throughput\t{len(names)} gold bundles × {rounds} = {one.bundles} uploaded at once, OCR cache "
            f"warm (seeded on the shared storage), Postgres + Celery on Redis, `serve --workers 0` + `precheck worker "
            f"--concurrency N`; first job created → last finished, by the database")
        for run in runs:
            out(f"    {run.processes} worker process{'es' if run.processes > 1 else ''}\t{run.seconds:.1f} s\t"
                f"{run.per_minute:.1f} bundles/min\t(client: uploads sent → all seen done {run.client_seconds:.1f} s)")
        out(f"    2 ÷ 1\t{two.per_minute / one.per_minute:.2f}×")

        out("\n(3) load per bundle of the throughput runs (first upload → last done, the background included) "
            "and the idle background per second (workers up, no job, before the uploads)")
        out("    \t1 process: per bundle\t2 processes: per bundle\t1 process: idle/s\t2 processes: idle/s")

        def row(label: str, what: str, key: str, digits: int = 2) -> None:
            out(f"    {label}\t" + "\t".join(fmt(r.per_bundle(what, key), digits) for r in runs) + "\t"
                + "\t".join(fmt(r.idle_rate(what, key), 3) for r in runs))

        for key, label in (("workers", "CPU s, worker processes"), ("api", "CPU s, API process"),
                           ("postgres", "CPU s, Postgres server"), ("redis", "CPU s, Redis server")):
            row(label, "cpu", key)
        for key in PG_FIELDS:
            row(f"Postgres {key}", "pg", key, 0)
        row("Postgres database bytes", "pg", "db_bytes", 0)
        out("    Redis commands\t" + "\t".join(fmt(r.redis_per_bundle, 0) for r in runs) + "\t"
            + "\t".join(fmt(r.redis_idle_rate, 2) for r in runs))
        for run in runs:
            top = sorted(run.busy.redis_calls.items(), key=lambda kv: -kv[1])[:9]
            out(f"    Redis commands by name, {run.processes} process{'es' if run.processes > 1 else ''}, per bundle\t"
                + ", ".join(f"{name} {calls / run.bundles:.1f}" for name, calls in top if calls > 0))
        for key in sorted(set(one.busy.storage) | set(two.busy.storage)):
            out(f"    storage bytes, {key}\t" + "\t".join(kib(r.busy.storage.get(key, 0) / r.bundles) for r in runs))
        blobs = two.busy.storage.get("blobs", 0)
        out(f"    (originals are kept by content: the {rounds} round(s) of the same bundles store them once, "
            f"{kib(blobs / len(names))} per distinct bundle; the OCR cache was warm, a cold bundle writes "
            f"{kib(folder_bytes(seed) / len(names))} to it (above); no page images are written while checking; "
            "Postgres's transactions do not count this script's own reads; the API's CPU is the uploads and its "
            "dispatcher; idle tup_returned/fetched are mostly autovacuum's visits to the database)")

        # (2) and (4) on one Postgres and one Redis ----------------------------------------------------
        latencies: dict[str, Latency] = {}
        ceilings: dict[str, float] = {}
        redis_ops: dict[str, float] = {}
        with postgres() as pg, redis_server() as redis:
            pg.new_database("overhead_local")
            pg.new_database("overhead_celery")
            setups = (
                ("local queue + SQLite", lambda: service(work, "sqlite-local", {TINY_CAMPAIGN}, local_workers=1)),
                ("local queue + Postgres", lambda: service(work, "postgres-local", {TINY_CAMPAIGN}, local_workers=1,
                                                           pg=pg, database="overhead_local")),
                ("celery + Redis + Postgres", lambda: service(work, "postgres-celery", {TINY_CAMPAIGN},
                                                              local_workers=0, pg=pg, database="overhead_celery",
                                                              redis=redis, celery_workers=1)))
            for label, start in setups:
                note(f"queue overhead: {label}")
                with start() as setup:
                    if setup.workers:
                        warm_celery(setup, 1)
                    latencies[label] = sequential_latency(setup, repeat)

            note("ceilings: pgbench")
            pg.new_database("bench")
            pgbench(pg, ["-i", "-q", "-s", str(scale)])
            clients = ["-c", "4", "-j", "2", "-T", str(bench_s), "-n"]
            ceilings["select-only"] = pg_tps(pg, ["-S", *clients])
            ceilings["tpcb-like"] = pg_tps(pg, clients)
            pg_set(pg, "fsync", "on")  # as a server that keeps its data would run (the test engines run without)
            ceilings["tpcb-like, fsync on"] = pg_tps(pg, clients)
            note("ceilings: redis-benchmark")
            redis_ops = redis_bench(redis, redis_n)

        out(f"\n(2) queue overhead\tthe tiny bundle ({' + '.join(TINY_FILES)}, no OCR) uploaded {repeat} times one "
            f"at a time after 2 not counted, one worker process; upload → done seen by `?wait=30`; the job's wait "
            f"(created → claimed) and run (claimed → finished) from the database")
        for label, lat in latencies.items():
            out(f"    {label}\tp50 {pct(lat.done_s, 0.5) * 1000:.0f} ms\tp90 {pct(lat.done_s, 0.9) * 1000:.0f} ms"
                f"\tmean {sum(lat.done_s) / len(lat.done_s) * 1000:.0f} ms\t(POST p50 {pct(lat.post_s, 0.5) * 1000:.0f}"
                f" ms, wait p50 {pct(lat.wait_s, 0.5) * 1000:.0f} ms, run p50 {pct(lat.run_s, 0.5) * 1000:.0f} ms)")
        sqlite, local_pg, celery_pg = latencies.values()
        for label, a, b in (("celery − local (both Postgres): the queue", celery_pg, local_pg),
                            ("Postgres − SQLite (both local queue): the database", local_pg, sqlite)):
            mean = (sum(a.done_s) / len(a.done_s) - sum(b.done_s) / len(b.done_s)) * 1000
            out(f"    {label}\tp50 {(pct(a.done_s, 0.5) - pct(b.done_s, 0.5)) * 1000:+.0f} ms\tp90 "
                f"{(pct(a.done_s, 0.9) - pct(b.done_s, 0.9)) * 1000:+.0f} ms\tmean {mean:+.0f} ms\t(wait p50 "
                f"{(pct(a.wait_s, 0.5) - pct(b.wait_s, 0.5)) * 1000:+.0f} ms, run p50 "
                f"{(pct(a.run_s, 0.5) - pct(b.run_s, 0.5)) * 1000:+.0f} ms)")
        out("    (an idle local worker polls the job table every 0.5 s; a Celery worker is woken by the broker at "
            "once; the long poll reads the job every 0.25 s in both)")

        out(f"\n(4) ceilings on this machine (2 cores, shared with the client; -c 4 -j 2 for {bench_s} s, "
            f"scale {scale})")
        for label, tps in ceilings.items():
            out(f"    Postgres pgbench {label}\t{tps:.0f} transactions/s")
        if redis_ops:
            out(f"    Redis redis-benchmark -n {redis_n}\t"
                + "\t".join(f"{k} {v:.0f} ops/s" for k, v in redis_ops.items()))
        else:
            out("    Redis redis-benchmark\tnot installed (Debian: redis-tools)")

        # the projection ------------------------------------------------------------------------------
        worker_cpu = two.per_bundle("cpu", "workers")
        per_hour = {"warm": CORES_PER_MACHINE * 3600 / worker_cpu,
                    "cold": CORES_PER_MACHINE * 3600 / (worker_cpu + ocr_cpu)}
        commits = two.per_bundle("pg", "xact_commit") + two.per_bundle("pg", "xact_rollback")
        writes = sum(two.per_bundle("pg", k) for k in ("tup_inserted", "tup_updated", "tup_deleted"))
        redis_cmds = two.redis_per_bundle
        api_cpu = two.per_bundle("cpu", "api")
        pg_cpu = two.per_bundle("cpu", "postgres")
        redis_cpu = two.per_bundle("cpu", "redis")
        # the background, split: the API's (its dispatcher) and each worker process's
        idle_pg = {r.processes: r.idle_rate("pg", "xact_commit") + r.idle_rate("pg", "xact_rollback") for r in runs}
        per_process_pg = max(0.0, idle_pg[2] - idle_pg[1])
        api_pg = max(0.0, idle_pg[1] - per_process_pg)
        per_process_redis = max(0.0, two.redis_idle_rate - one.redis_idle_rate)
        api_redis = max(0.0, one.redis_idle_rate - per_process_redis)
        pg_ceiling = ceilings["tpcb-like, fsync on"]
        redis_ceiling = min(redis_ops.values()) if redis_ops else float("nan")

        def machines(capacity: float, fixed: float, per_bundle: float, rate_h: float,
                     per_machine_fixed: float) -> float:
            load = rate_h / 3600 * per_bundle + per_machine_fixed
            return (capacity - fixed) / load if load > 0 else float("inf")

        out(f"\nprojection for N worker machines ({CORES_PER_MACHINE} cores each, `precheck worker --concurrency "
            f"{CORES_PER_MACHINE}`), one API process, one Postgres and one Redis each like this machine; a ceiling "
            f"counts at × {SAFETY}")
        out(f"    a worker machine checks ≈ {per_hour['warm']:.0f} bundles/h with the OCR cache warm ({worker_cpu:.2f} "
            f"worker CPU s/bundle, both cores busy), ≈ {per_hour['cold']:.0f} bundles/h cold (+{ocr_cpu:.1f} s OCR "
            f"CPU/bundle, measured with the CLI); measured here with 2 processes: {two.per_minute * 60:.0f} bundles/h "
            f"warm, with the API, Postgres, Redis and this client on the same 2 cores")
        out(f"    per bundle: {commits:.0f} Postgres transactions (commits + rollbacks), {writes:.0f} rows written, "
            f"{redis_cmds:.0f} Redis commands; CPU s: API {api_cpu:.3f}, Postgres {pg_cpu:.3f}, Redis {redis_cpu:.3f}")
        out(f"    idle background: the API {api_pg:.2f} transactions/s and {api_redis:.2f} Redis commands/s; each "
            f"worker process {per_process_pg:.2f} transactions/s and {per_process_redis:.2f} Redis commands/s (on top "
            f"of the per-bundle load, which already holds the background of its run: conservative)")
        for mode in ("warm", "cold"):
            rate = per_hour[mode]
            n_pg = machines(SAFETY * pg_ceiling, api_pg, commits, rate, CORES_PER_MACHINE * per_process_pg)
            n_pg_sel = machines(SAFETY * ceilings["select-only"], api_pg, commits, rate,
                                CORES_PER_MACHINE * per_process_pg)
            n_pg_cpu = machines(SAFETY * 2, 0.0, pg_cpu, rate, 0.0)  # Postgres on 2 cores
            n_redis = machines(SAFETY * redis_ceiling, api_redis, redis_cmds, rate,
                               CORES_PER_MACHINE * per_process_redis)
            n_redis_cpu = machines(SAFETY * 1, 0.0, redis_cpu, rate, 0.0)  # Redis runs its commands on one core
            n_api = machines(SAFETY * 1, 0.0, api_cpu, rate, 0.0)  # one API process: one core at most
            limits = {"one API process (its CPU)": n_api, "Postgres (pgbench tpcb-like, fsync on)": n_pg,
                      "Postgres (its CPU)": n_pg_cpu, "Redis (redis-benchmark)": n_redis,
                      "Redis (its CPU)": n_redis_cpu}
            first = min(limits, key=lambda k: limits[k])
            out(f"    OCR cache {mode}, {rate:.0f} bundles/h a machine:")
            out(f"        Postgres reached at N ≈ {n_pg:.0f} machines ({SAFETY} × {pg_ceiling:.0f} tpcb-like tps, "
                f"fsync on; N ≈ {n_pg_sel:.0f} against {SAFETY} × {ceilings['select-only']:.0f} select-only tps); "
                f"its CPU ({SAFETY} × 2 cores) at N ≈ {n_pg_cpu:.0f}")
            out(f"        Redis reached at N ≈ {n_redis:.0f} machines ({SAFETY} × {redis_ceiling:.0f} ops/s, the "
                f"slowest of redis-benchmark's); its CPU ({SAFETY} × 1 core) at N ≈ {n_redis_cpu:.0f}")
            out(f"        one API process ({SAFETY} × 1 core) at N ≈ {n_api:.0f} (more API processes behind a "
                f"balancer lift it)")
            out(f"        first limit: {first} at N ≈ {limits[first]:.0f} machines ≈ {limits[first] * rate:.0f} "
                f"bundles/h")
        out("    (the test Postgres runs with fsync off, so the service's own figures were measured without it; a "
            "pgbench transaction is heavier than most of the service's: 3 updates, 1 insert, 1 select)")
    out(f"\ntook {time.monotonic() - STARTED:.0f} s")


if __name__ == "__main__":
    main()
