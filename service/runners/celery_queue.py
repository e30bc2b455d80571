"""The `celery` runner: checks run by Celery workers on any machine (`precheck worker`), fed through a
Redis broker. A message carries the job id only, never file bytes: the worker reads the originals from
the shared storage and the job from the shared database.

The job table stays the record; the broker only wakes workers. So neither a lost nor a duplicated
message can lose a bundle or make two reports:

- a duplicated or late message finds its job running, done or failed, and does nothing (the claim is a
  compare-and-set on the job row, `jobs.claim`);
- a lost message (Redis restarted empty, a publish that failed while Redis was down) is found by the
  dispatcher, which runs in every API process: a queued job whose id is in no ready message of the
  queue at two looks `REDISPATCH_S` apart is sent again;
- a worker that dies mid-job stops renewing its lease; the dispatcher puts the job back in the queue
  (up to its attempts) and sends it again, long before the broker's visibility timeout would;
- a check past the time limit fails with the reason (the worker's own deadline between two steps; a
  step that hangs a minute longer ends the worker process, which `precheck worker` starts again).

Settings: acks late and rejected when the worker is lost (the message survives a killed worker),
prefetch 1 (a worker holds no message it is not running), the visibility timeout longer than the slowest
job, no result backend (results are report versions in the database)."""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

from celery import Celery

from service.settings import ServiceSettings
from service.worker import HARD_LIMIT_GRACE_S

if TYPE_CHECKING:
    from service.db import Database
    from service.runners.local import LocalRunner
    from service.worker import Worker

log = logging.getLogger("precheck.celery")
QUEUE = "precheck"
TASK = "precheck.check"
REDISPATCH_S = 5.0  # the dispatcher's look at queue and broker; a lost message is re-sent after two


def make_celery(settings: ServiceSettings) -> Celery:
    app = Celery("precheck", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=QUEUE,
        task_acks_late=True,  # acknowledged when the check ended, not when it was received
        task_reject_on_worker_lost=True,  # a killed worker's message goes back to the queue
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=False,  # the job table, not the ack, is the record
        # the solo pool has no time limits of its own: the worker's deadline and its hard limit apply
        broker_transport_options={"visibility_timeout": 2 * (settings.job_time_limit_s + HARD_LIMIT_GRACE_S)},
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a Redis that restarts is waited for
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2},
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
    )
    app.task(name=TASK, bind=False)(_check)
    return app


_worker: Worker | None = None


def _the_worker() -> Worker:
    global _worker
    if _worker is None:
        from service.worker import Worker

        _worker = Worker(ServiceSettings())
    return _worker


def _check(job_id: str) -> str:
    """The task: this process's worker (one OCR engine per process) runs the job the message names."""
    return "ran" if _the_worker().run_job(job_id) else "nothing to do"


def ready_job_ids(client: Any) -> set[str]:
    """The job ids of the messages waiting in the queue (kombu's Redis transport keeps them in a list
    named after the queue; the task id is the job id, with a suffix when re-sent)."""
    ids: set[str] = set()
    for raw in client.lrange(QUEUE, 0, -1):
        try:
            task_id = json.loads(raw)["headers"]["id"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(task_id, str):
            ids.add(task_id.split(".", 1)[0])
    return ids


class CeleryRunner:
    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.app = make_celery(settings)
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._db: Database | None = None
        self._missing: dict[str, int] = {}  # job id → consecutive looks without a ready message
        self._local: LocalRunner | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._dispatch_forever, name="dispatcher", daemon=True)
        self._thread.start()
        if self.settings.workers > 0:  # `serve --workers N`: N Celery workers on this machine too
            from service.runners.local import LocalRunner

            self._local = LocalRunner(self.settings, module=__name__)
            self._local.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._local is not None:
            self._local.stop()
        if self._thread is not None:
            self._thread.join(10)

    def submitted(self, job_id: str) -> None:
        self._send(job_id, job_id)

    def _send(self, job_id: str, task_id: str) -> bool:
        try:
            self.app.send_task(TASK, args=[job_id], task_id=task_id, queue=QUEUE)
        except Exception as exc:  # Redis down: the job is queued in the database; the dispatcher sends it later
            log.warning("job %s not sent to the broker (%s); will be sent again", job_id, type(exc).__name__)
            return False
        return True

    def _dispatch_forever(self) -> None:
        while not self._stopping.wait(REDISPATCH_S):
            try:
                self.dispatch_once()
            except Exception as exc:  # the database or Redis away for a moment: the next look
                log.warning("dispatcher: %s", type(exc).__name__)

    def dispatch_once(self) -> list[str]:
        """Reclaims jobs of dead workers and sends again the queued jobs whose message is gone; the ids
        sent."""
        import redis

        from service import jobs
        from service.db import Database

        if self._db is None:
            self._db = Database(self.settings.db_url)
        with self._db.session() as db:
            jobs.reclaim_expired(db)
            waiting = jobs.queued(db)
        client = redis.Redis.from_url(self.settings.broker_url or "", socket_timeout=5, socket_connect_timeout=2)
        try:
            present = ready_job_ids(client)
        finally:
            client.close()
        missing = {job_id: self._missing.get(job_id, 0) + 1 for job_id in waiting if job_id not in present}
        sent = [job_id for job_id, looks in missing.items()
                if looks >= 2 and self._send(job_id, f"{job_id}.{secrets.token_hex(4)}")]
        if sent:
            log.warning("dispatcher: %d queued job(s) had no message in the broker; sent again", len(sent))
        self._missing = {job_id: looks for job_id, looks in missing.items() if job_id not in sent}
        return sent


def worker_argv() -> list[str]:
    """`celery worker` in one process that runs one job at a time itself (the solo pool: the check's
    guarded parser starts helper processes, which a prefork pool's daemonic children may not), with its
    own OCR engine; no gossip, mingle or heartbeats (they only cost Redis traffic and slow reconnects).
    More at once on a machine: more of these processes (`precheck worker --concurrency N`)."""
    return ["worker", "--loglevel=INFO", "--pool=solo", f"--queues={QUEUE}",
            f"--hostname=precheck-{os.getpid()}@{socket.gethostname()}", "--without-gossip", "--without-mingle",
            "--without-heartbeat"]


def main() -> int:
    """One Celery worker process, started and watched by `precheck worker` (service/runners/local.py)."""
    from extractor.logs import configure as configure_logging
    from service import jobs
    from service.worker import supervisor

    configure_logging(logging.INFO)
    supervisor()  # dies with the `precheck worker` that started it
    settings = ServiceSettings()
    app = make_celery(settings)
    worker = _the_worker()  # listed (idle) on the admin page from the start, not from its first job
    stop = threading.Event()
    with worker.db.session() as db:
        jobs.beat(db, worker.name, worker.host, worker.pid, "idle", None)
    threading.Thread(target=worker.heartbeat, args=(stop,), name="heartbeat", daemon=True).start()
    started = time.monotonic()
    try:
        app.worker_main(worker_argv())
    finally:
        stop.set()
        with worker.db.session() as db:
            jobs.beat(db, worker.name, worker.host, worker.pid, "stopped", None)
    log.info("celery worker ran %.0f s", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
