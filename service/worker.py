"""A check worker: a process that claims jobs from the job table and runs them, one at a time, with
its own OCR engine (the pipeline's guarded parser: one engine per process, never shared by threads).
A thread renews the job's lease while the check runs; SIGTERM gives the job back to the queue; a check
past the time limit fails with the reason. Progress goes to the job table and, when a Redis is
configured, to the job's channel (service/progress.py) for pages on any machine.

Started by `precheck serve` (the local runner), by `precheck worker` on any machine that shares the
database (polling the job table), or inside a Celery worker (service/runners/celery_queue.py), which
hands it the job id a message names (`run_job`)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import asdict
from types import FrameType

from sqlalchemy.orm import Session

from extractor.logs import configure as configure_logging
from extractor.pipeline import Progress
from service import jobs
from service.db import Database
from service.progress import ProgressFeed, feed_for
from service.settings import ServiceSettings
from service.storage import open_store, report_key
from service.tables import Bundle, BundleFile, Job

log = logging.getLogger("precheck.worker")
IDLE_POLL_S = 0.5
HARD_LIMIT_GRACE_S = 60  # past the time limit, a check that has not come back to its deadline is ended
PROGRESS_EVERY_S = 0.5


class Stop(BaseException):
    """SIGTERM: stop where the check is; the job goes back to the queue."""


class TimeUp(BaseException):
    """The check ran past the job time limit (raised between two steps of the check)."""


TIME_UP = "检查超过 {minutes} 分钟时限，已停止；请拆分材料包后重新上传，或联系管理员"


class Worker:
    def __init__(self, settings: ServiceSettings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db or Database(settings.db_url)
        self.blobs = open_store(settings)
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.name = f"{self.host}:{self.pid}"
        self.lease_s = settings.job_lease_s
        self.pipeline = settings.pipeline()
        self.feed: ProgressFeed | None = feed_for(settings.broker_url)
        self.current: str | None = None  # the job being run
        self._state = threading.Lock()

    def run_one(self) -> bool:
        """Claims and runs the oldest queued job; False when the queue was empty."""
        return self.run_job(None)

    def run_job(self, job_id: str | None) -> bool:
        """Claims and runs the job (the oldest queued one when None); False when there was none to
        take: an empty queue, or a named job another worker runs or has run (a duplicated message)."""
        with self._state, self.db.session() as db:  # the idle heartbeat waits: never `idle` over `busy`
            jobs.reclaim_expired(db)
            job = jobs.claim(db, self.name, self.lease_s, job_id)
            if job is None:
                return False
            self.current = job.id
            files = [(f.name, f.sha256) for f in db.query(BundleFile).filter_by(bundle_id=job.bundle_id)
                     .order_by(BundleFile.position)]
            bundle = db.get(Bundle, job.bundle_id)
            label = bundle.name if bundle is not None else job.bundle_id
            jobs.beat(db, self.name, self.host, self.pid, "busy", job.id)
        self._run(job, files, label)
        return True

    def _run(self, job: Job, files: list[tuple[str, str]], label: str) -> None:
        from service.checks import run_check

        done = threading.Event()
        latest: dict[str, object] = dict(job.progress or {})

        deadline = time.monotonic() + self.settings.job_time_limit_s

        def keep_lease() -> None:  # a lost lease shows at the end: complete() then stores nothing
            with self.db.session() as db:
                while not done.wait(self.lease_s / 3):
                    if time.monotonic() > deadline + HARD_LIMIT_GRACE_S:
                        self._give_up(db, job.id)
                    if not jobs.renew(db, job.id, self.name, self.lease_s, dict(latest)):
                        return
                    jobs.beat(db, self.name, self.host, self.pid, "busy", job.id)

        written_at, written_stage = 0.0, ""

        def on_progress(progress: Progress) -> None:
            nonlocal written_at, written_stage
            if time.monotonic() > deadline:
                raise TimeUp()
            latest.clear()
            latest.update(asdict(progress))
            if self.feed is not None:  # every step, live on the pages of any machine
                self.feed.publish(job.id, "running", dict(latest))
            # written at once on a new stage, else at most twice a second (the lease thread writes it too)
            if progress.stage != written_stage or time.monotonic() - written_at > PROGRESS_EVERY_S:
                with self.db.session() as db:
                    jobs.renew(db, job.id, self.name, self.lease_s, dict(latest))
                written_at, written_stage = time.monotonic(), progress.stage

        keeper = threading.Thread(target=keep_lease, name="lease", daemon=True)
        keeper.start()
        try:
            outcome = run_check(self.blobs, files, label, job.profile, job.as_of, self.pipeline,
                                report_key(job.bundle_id, job.id), on_progress)
        except Stop:
            with self.db.session() as db:
                jobs.release(db, job.id, self.name)
            raise
        except TimeUp:
            log.warning("job %s: past the time limit of %s s", job.id, self.settings.job_time_limit_s)
            with self.db.session() as db:
                jobs.fail(db, job.id, self.name, TIME_UP.format(minutes=max(1, self.settings.job_time_limit_s // 60)))
            final = "failed"
        except Exception as exc:  # a bug in the pipeline: the job fails with its reason, the worker goes on
            log.error("job %s: internal error %s", job.id, type(exc).__name__, exc_info=exc)
            with self.db.session() as db:
                jobs.fail(db, job.id, self.name, f"检查时程序内部错误（{type(exc).__name__}），已记录日志")
            final = "failed"
        else:
            with self.db.session() as db:
                stored = jobs.complete(db, job.id, self.name, outcome)
            if not stored:
                log.warning("job %s: lease lost, result discarded (another worker re-runs it)", job.id)
            final = "done" if stored else "lost"
        finally:
            done.set()
            keeper.join()
        if self.feed is not None:
            self.feed.publish(job.id, final, dict(latest))
        with self._state, self.db.session() as db:
            self.current = None
            jobs.beat(db, self.name, self.host, self.pid, "idle", None)

    def heartbeat(self, stop: threading.Event, every_s: float = 10.0) -> None:
        """Tells the workers table this process is alive while it waits for work (a thread; the lease
        thread tells it while a job runs): a worker woken by a broker has no loop of its own to do it."""
        while not stop.wait(every_s):
            with self._state:
                if self.current is not None:
                    continue
                try:
                    with self.db.session() as db:
                        jobs.beat(db, self.name, self.host, self.pid, "idle", None)
                except Exception as exc:  # the database away for a moment: the next beat
                    log.warning("heartbeat: %s", type(exc).__name__)

    def _give_up(self, db: Session, job_id: str) -> None:
        """The hard time limit: one step of the check (a page) hangs past the limit and its grace, where
        the check's own deadline cannot stop it. The job fails with the reason and this process ends at
        once (its supervisor starts another: the runner of `precheck serve` or `precheck worker`)."""
        log.error("job %s: still running %s s past its time limit; the worker process ends", job_id,
                  HARD_LIMIT_GRACE_S)
        jobs.fail(db, job_id, self.name, TIME_UP.format(minutes=max(1, self.settings.job_time_limit_s // 60)))
        logging.shutdown()
        os._exit(70)

    def serve_forever(self, server: int | None = None) -> None:
        """Runs jobs until stopped; started by a server (its pid), also once that server is gone (killed
        without stopping its workers): a new server starts its own."""
        with self.db.session() as db:
            jobs.beat(db, self.name, self.host, self.pid, "idle", None)
        stop = threading.Event()
        threading.Thread(target=self.heartbeat, args=(stop,), name="heartbeat", daemon=True).start()
        try:
            while server is None or os.getppid() == server:
                if not self.run_one():
                    time.sleep(IDLE_POLL_S)
        finally:
            stop.set()


def _stop(signum: int, frame: FrameType | None) -> None:
    raise Stop()


def _die_with_parent() -> None:
    """SIGTERM when the parent (the server) dies, even mid-job (Linux; elsewhere the loop's check)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def supervisor() -> int | None:
    """The pid of the process that started this worker and watches it (`precheck serve` or `precheck
    worker`), after arranging to die with it; None when started by hand. Raises SystemExit when that
    process died while this one was starting."""
    server = os.environ.get("PRECHECK_WORKER_OF_SERVER", "")
    if not server.isdigit():
        return None
    _die_with_parent()
    if os.getppid() != int(server):
        raise SystemExit(0)
    return int(server)


def main() -> int:
    configure_logging(logging.INFO)
    signal.signal(signal.SIGTERM, _stop)
    server = supervisor()
    worker = Worker(ServiceSettings())
    with contextlib.suppress(Stop, KeyboardInterrupt):  # SIGTERM: the job went back to the queue
        worker.serve_forever(server)
    with worker.db.session() as db:
        jobs.beat(db, worker.name, worker.host, worker.pid, "stopped", None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
