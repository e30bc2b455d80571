"""The web service under load: prints numbers, asserts nothing. Every figure is against a live
`precheck serve` this script starts itself (as tests/test_service_live.py does: a fresh data folder,
campaigns and users made with the CLI, a free port on 127.0.0.1).

    python -m benchmarks.bench_service [--clients 20] [--uploads-per-client 5] [--repeat 3] [--cold-bundles 4]

(a) uploads: `--clients` threads, each posting `--uploads-per-client` copies of a small bundle (a Word
    form and a text-layer PDF) back to back — uploads accepted per second, the POST's latency, and each
    bundle's time to report (POST sent → its job seen done) while two workers drain the queue;
(b) throughput: the same bundles through a server with 1 worker and one with 2 (each a fresh data folder
    with the same OCR cache): gold bundles whose pages are in the cache (warm) and generated scanned
    bundles no cache holds (cold) — bundles per minute and the ratio;
(c) overhead: one bundle at a time on an idle server (the worker warm, the OCR cache warm) against
    `precheck check` on the same bundle and the same cache (a whole process, as a user runs it; with
    `--html` too, since the service writes the HTML report with its evidence), and against the same
    check (JSON, HTML with evidence) run in a warm process: what the service adds to the work itself.

The per-user upload limit is lifted (PRECHECK_UPLOADS_PER_MINUTE) so that it is the service that is
measured, not its limiter. The machine is shared: ratios within one run mean more than seconds.
"""

import argparse
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import builders as b  # noqa: E402
from tests.live_server import GOLD, HOME_OCR_CACHE, SEED_CACHE_MAX_MB, LiveServer, folder_mb, precheck_command  # noqa: E402

TINY_FROM = GOLD / "brand-2024-00-clean"
TINY_FILES = ("申报书.docx", "营业执照.pdf")
WARM_SET = ("brand-2024-00-clean", "cqa-2023-00-clean", "cqa-2023-01-clean_2", "qc-2026-00-clean",
            "qc-2026-04-team_name_invalid", "fam0-qc-2026-100-clean", "fam0-cqa-2023-100-clean",
            "fam1-qc-2026-110-clean")
OVERHEAD_SET = ("tiny", "cqa-2023-00-clean", "brand-2024-00-clean")
NO_LIMIT = {"PRECHECK_UPLOADS_PER_MINUTE": "1000000"}


def gold_meta(name: str) -> tuple[str, str]:
    meta = json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))
    return meta["profile"], meta["as_of"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    return (f"p50 {pct(values, 0.5):.2f} s\tp90 {pct(values, 0.9):.2f} s\tmax {max(values):.2f} s"
            f"\t(n={len(values)})")


class Service:
    """A server on a fresh data folder (a copy of the seed OCR cache), a campaign per profile, one admin."""

    def __init__(self, work: Path, seed_cache: Path, workers: int, profiles: set[str],
                 env: dict[str, str] | None = None) -> None:
        data = Path(tempfile.mkdtemp(prefix=f"data-{workers}w-", dir=work))
        shutil.copytree(seed_cache, data / "ocr-cache")
        self.server = LiveServer(data, data.parent / f"{data.name}.log", workers=workers, lease_s=60,
                                 extra_env={**NO_LIMIT, **(env or {})})
        for profile in sorted(profiles):
            self.server.add_campaign(profile, profile)
        self.token = self.server.add_user("bench", "admin")
        self.server.start()
        self.wait_workers(workers)

    def client(self, timeout: float = 120.0) -> httpx.Client:
        return httpx.Client(base_url=self.server.url, headers={"Authorization": f"Bearer {self.token}"},
                            timeout=timeout)

    def wait_workers(self, workers: int, timeout: float = 60.0) -> None:
        """Until every worker has started and said it is idle (imports done)."""
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while time.monotonic() < deadline:
                rows = client.get("/api/admin/workers").json()
                if sum(1 for r in rows if r["state"] == "idle") >= workers:
                    return
                time.sleep(0.2)
        raise RuntimeError(f"workers not ready:\n{self.server.log()}")

    def stop(self) -> None:
        self.server.stop()


def post(client: httpx.Client, files: list[Path], campaign: str, name: str,
         as_of: str | None = None) -> dict[str, Any]:
    data = {"campaign": campaign, "name": name, **({"as_of": as_of} if as_of else {})}
    response = client.post("/api/bundles", data=data,
                           files=[("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in files])
    if response.status_code != 202:
        raise RuntimeError(f"upload refused: {response.status_code} {response.text}")
    accepted: dict[str, Any] = response.json()
    return accepted


def wait_done(client: httpx.Client, job_id: str, timeout: float = 1800.0, wait: float = 20) -> float:
    """Long-polls the job (`?wait=`) to its end; the monotonic time it was seen done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/api/jobs/{job_id}", params={"wait": wait}, timeout=wait + 30)
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/jobs/{job_id}: {response.status_code} {response.text[:200]}")
        view = response.json()
        if view["state"] == "done":
            return time.monotonic()
        if view["state"] == "failed":
            raise RuntimeError(f"job failed: {view}")
    raise RuntimeError(f"job {job_id} not done within {timeout:.0f} s")


def files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def scanned_bundles(target: Path, count: int, pages: int = 2) -> list[Path]:
    """Bundles of single-page scans no cache has seen (a fresh nonce on each page)."""
    titles = ["检验检测报告", "质量管理体系认证证书", "用户满意度测评报告", "专利证书"]
    out = []
    for n in range(count):
        folder = target / f"scan-{n:02d}"
        folder.mkdir(parents=True)
        nonce = uuid.uuid4().hex[:10].upper()
        for i in range(pages):
            title = titles[(n + i) % len(titles)]
            lines = [title, f"编号：{nonce}-{i}"]
            lines += [f"第{k + 1}项 样品 {nonce}{k:02d} 检验结论：合格" for k in range(10)]
            b.images_to_pdf([b.scanned_page(lines)], folder / f"{i + 1:02d}-{title}.pdf")
        out.append(folder)
    return out


def run_cli(folder: Path, profile: str, as_of: str | None, cache: Path, html: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="cli-out-") as out:
        cmd = [*precheck_command(), "check", str(folder), "--profile", profile, "--json", f"{out}/r.json"]
        cmd += ["--as-of", as_of] if as_of else []
        cmd += ["--html", f"{out}/r.html"] if html else []
        started = time.perf_counter()
        done = subprocess.run(cmd, env={**os.environ, "PRECHECK_CACHE_DIR": str(cache)}, cwd=ROOT,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return seconds


def in_process(folder: Path, profile: str, as_of: str, cache: Path, repeat: int) -> None:
    """`precheck check --json --html`'s work in one warm process (imports done, parse worker and OCR
    engine up, after one run not counted): the median seconds, printed. Run in a child of this script."""
    from datetime import date

    from extractor.pipeline import check_bundle
    from extractor.report.html_writer import write_html
    from extractor.report.json_writer import write_json
    from extractor.settings import Settings

    settings = Settings(cache_dir=cache)
    times = []
    with tempfile.TemporaryDirectory(prefix="in-process-") as out:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            result = check_bundle(folder, settings, profile, date.fromisoformat(as_of), evidence=True)
            write_html(result.report, result.crops, Path(out) / "r.html")
            write_json(result.report, Path(out) / "r.json")
            times.append(time.perf_counter() - started)
    print(statistics.median(times[1:]))


def run_in_process(folder: Path, profile: str, as_of: str | None, cache: Path, repeat: int) -> float:
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_service", "--in-process", str(folder), profile,
                           as_of or "", str(cache), "--repeat", str(repeat)], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return float(done.stdout.strip().splitlines()[-1])


# (a) --------------------------------------------------------------------------------------------


def bench_uploads(service: Service, tiny: Path, clients: int, per_client: int) -> None:
    files = files_of(tiny)
    sent: dict[str, float] = {}  # job → when its POST was sent
    jobs_of: dict[str, str] = {}  # job → bundle
    accepted_at: list[float] = []
    post_s: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)

    def client_loop(c: int) -> None:
        with service.client() as client:
            ready.wait()
            for i in range(per_client):
                started = time.monotonic()
                try:
                    accepted = post(client, files, "nonferrous-brand-2024", f"负载-{c:02d}-{i}", "2024-08-31")
                except Exception as exc:  # counted, not fatal: the figure is how many get through
                    with lock:
                        errors.append(str(exc)[:200])
                    continue
                ended = time.monotonic()
                with lock:
                    sent[accepted["job_id"]] = started
                    jobs_of[accepted["job_id"]] = accepted["bundle_id"]
                    accepted_at.append(ended)
                    post_s.append(ended - started)

    threads = [threading.Thread(target=client_loop, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    began = time.monotonic()
    for t in threads:
        t.join()
    upload_wall = max(accepted_at) - began if accepted_at else float("nan")
    print(f"(a) uploads\t{clients} clients × {per_client}\t{len(sent)} accepted, {len(errors)} refused"
          f"\tin {upload_wall:.2f} s\t{len(sent) / upload_wall:.1f} uploads/s")
    if errors:
        print(f"    first refusal\t{errors[0]}")
    print(f"    POST latency\t{spread(post_s)}")

    # one observer reads the list twice a second: each bundle's time to report, without 20 long polls
    # (which stall the API: see bench_long_polls)
    by_bundle = {bundle: sent[job] for job, bundle in jobs_of.items()}
    seen_done: dict[str, float] = {}
    with service.client() as client:
        while len(seen_done) < len(by_bundle):
            page = client.get("/api/bundles", params={"uploader": "bench", "per_page": 200}).json()
            moment = time.monotonic()
            for item in page["items"]:
                if item["bundle_id"] in by_bundle and item["state"] == "done":
                    seen_done.setdefault(item["bundle_id"], moment)
                elif item["state"] == "failed":
                    raise RuntimeError(f"job failed: {item}")
            time.sleep(0.5)
    to_report = [seen_done[bundle] - by_bundle[bundle] for bundle in by_bundle]
    drain = max(seen_done.values()) - began
    print(f"    time to report\t{spread(to_report)}")
    print(f"    all {len(sent)} reports\t{drain:.1f} s after the first upload\t{len(sent) / drain * 60:.0f} bundles/min"
          f"\t({service.server.workers} workers)")


def bench_long_polls(work: Path, seed: Path, clients: int) -> None:
    """`clients` long polls at once on a job that stays queued (a server without workers), and another
    request meanwhile: how long it waits and what the polls answer."""
    service = Service(work, seed, 0, {"nonferrous-brand-2024"})
    try:
        with service.client() as client:
            job = post(client, [TINY_FROM / TINY_FILES[1]], "nonferrous-brand-2024", "队列中")["job_id"]
        answers: list[int] = []

        def poll() -> None:
            with service.client(timeout=90) as client:
                try:
                    answers.append(client.get(f"/api/jobs/{job}", params={"wait": 20}).status_code)
                except httpx.HTTPError:
                    answers.append(0)

        threads = [threading.Thread(target=poll) for _ in range(clients)]
        for t in threads:
            t.start()
        time.sleep(2)
        with service.client(timeout=90) as client:
            started = time.monotonic()
            status = client.get("/api/bundles").status_code
            took = time.monotonic() - started
        for t in threads:
            t.join()
        codes = ", ".join(f"{code}×{answers.count(code)}" for code in sorted(set(answers)))
        print(f"(a) {clients} long polls (?wait=20) at once\tGET /api/bundles meanwhile: {status} after {took:.2f} s"
              f"\tthe polls answered {codes}")
    finally:
        service.stop()


# (b) --------------------------------------------------------------------------------------------


def throughput(work: Path, seed: Path, workers: int, bundles: Sequence[tuple[Path, str, str | None]],
               env: dict[str, str] | None = None) -> float:
    """Seconds from the first upload to the last report, all bundles uploaded at once."""
    service = Service(work, seed, workers, {p for _, p, _ in bundles}, env)
    try:
        with service.client() as client:
            began = time.monotonic()
            jobs = [post(client, files_of(folder), profile, folder.name, as_of)["job_id"]
                    for folder, profile, as_of in bundles]
            last = max(wait_done(client, job) for job in jobs)
        return last - began
    finally:
        service.stop()


def bench_throughput(work: Path, seed: Path, label: str, bundles: Sequence[tuple[Path, str, str | None]]) -> None:
    one = throughput(work, seed, 1, bundles)
    two = throughput(work, seed, 2, bundles)
    # as `precheck batch` does: the cores split between the workers' OCR (the service leaves it to onnxruntime)
    split = throughput(work, seed, 2, bundles, {"PRECHECK_OCR_THREADS": str(max(1, (os.cpu_count() or 2) // 2))})
    rate = {k: len(bundles) / v * 60 for k, v in {"one": one, "two": two, "split": split}.items()}
    print(f"(b) {label}\t{len(bundles)} bundles\t1 worker {one:.1f} s = {rate['one']:.1f}/min"
          f"\t2 workers {two:.1f} s = {rate['two']:.1f}/min\t2 ÷ 1 = {rate['two'] / rate['one']:.2f}×")
    print(f"    2 workers, PRECHECK_OCR_THREADS={max(1, (os.cpu_count() or 2) // 2)}\t{split:.1f} s = "
          f"{rate['split']:.1f}/min\t÷ 1 worker = {rate['split'] / rate['one']:.2f}×")


# (c) --------------------------------------------------------------------------------------------


def bench_overhead(service: Service, cache: Path, bundles: Mapping[str, tuple[Path, str, str | None]],
                   repeat: int) -> None:
    with service.client() as client:
        for name, (folder, profile, as_of) in bundles.items():
            files = files_of(folder)

            def served(folder: Path = folder, profile: str = profile, as_of: str | None = as_of,
                       files: list[Path] = files) -> float:
                started = time.monotonic()
                job = post(client, files, profile, folder.name, as_of)["job_id"]
                return wait_done(client, job) - started

            served()  # the worker warm for this bundle's kinds of file, its pages in the service's cache
            run_cli(folder, profile, as_of, cache, html=False)  # and in the CLI's
            timings: dict[str, Callable[[], float]] = {
                "service (upload → report seen done)": served,
                "precheck check --json": functools.partial(run_cli, folder, profile, as_of, cache, False),
                "precheck check --json --html": functools.partial(run_cli, folder, profile, as_of, cache, True),
            }
            medians = {what: statistics.median(fn() for _ in range(repeat)) for what, fn in timings.items()}
            medians["the same check in a warm process"] = run_in_process(folder, profile, as_of, cache, repeat)
            service_s = medians["service (upload → report seen done)"]
            print(f"(c) {name}\t{len(files)} files\t" + "\t".join(f"{k} {v:.2f} s" for k, v in medians.items()))
            print(f"    service − check --html\t{service_s - medians['precheck check --json --html']:+.2f} s"
                  f"\tservice − warm in-process check\t{service_s - medians['the same check in a warm process']:+.2f} s"
                  f"\t(medians of {repeat})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--uploads-per-client", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-bundles", type=int, default=4)
    parser.add_argument("--in-process", nargs=4, metavar=("FOLDER", "PROFILE", "AS_OF", "CACHE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        folder, profile, as_of, cache = args.in_process
        in_process(Path(folder), profile, as_of, Path(cache), args.repeat)
        return
    print(f"machine\tcores {os.cpu_count()}\tload {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="precheck-bench-service-") as tmp:
        work = Path(tmp)
        tiny = work / "tiny"
        tiny.mkdir()
        for name in TINY_FILES:
            shutil.copy(TINY_FROM / name, tiny / name)

        # one OCR cache every server starts from: this machine's (when small), warmed on the gold set
        seed = work / "seed-cache"
        if HOME_OCR_CACHE.is_dir() and folder_mb(HOME_OCR_CACHE) <= SEED_CACHE_MAX_MB:
            shutil.copytree(HOME_OCR_CACHE, seed)
        else:
            seed.mkdir()
        started = time.monotonic()
        for name in WARM_SET:
            run_cli(GOLD / name, *gold_meta(name), seed, html=False)
        print(f"seed cache\t{folder_mb(seed):.0f} MB\twarming the {len(WARM_SET)} gold bundles took "
              f"{time.monotonic() - started:.1f} s")

        service = Service(work, seed, 2, {"nonferrous-brand-2024", *(gold_meta(n)[0] for n in OVERHEAD_SET[1:])})
        try:
            bench_uploads(service, tiny, args.clients, args.uploads_per_client)
            overhead = {"tiny (Word + text-layer PDF)": (tiny, "nonferrous-brand-2024", "2024-08-31")}
            overhead |= {name: (GOLD / name, *gold_meta(name)) for name in OVERHEAD_SET[1:]}
            bench_overhead(service, service.server.data_dir / "ocr-cache", overhead, args.repeat)
        finally:
            service.stop()
        bench_long_polls(work, seed, args.clients)

        warm = [(GOLD / name, *gold_meta(name)) for name in WARM_SET]
        bench_throughput(work, seed, "gold, OCR cache warm", warm)
        if args.cold_bundles:
            cold = [(folder, "nonferrous-brand-2024", "2024-08-31")
                    for folder in scanned_bundles(work / "cold", args.cold_bundles)]
            bench_throughput(work, seed, "scans, OCR cache cold (2 pages each)", cold)


if __name__ == "__main__":
    main()
