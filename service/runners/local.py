"""The embedded runner: `settings.workers` worker processes (`python -m service.worker`) started with
the server, restarted when one dies (its job is re-run once its lease runs out), stopped with it.

`precheck worker` uses the same supervision for the processes it starts on a machine of its own: job
table pollers (`service.worker`) or Celery workers (`service.runners.celery_queue`)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from typing import TYPE_CHECKING

from service.settings import ServiceSettings

if TYPE_CHECKING:
    from service.db import Database

log = logging.getLogger("precheck.runner")
WATCH_S = 1.0
STOP_GRACE_S = 10.0


class LocalRunner:
    def __init__(self, settings: ServiceSettings, count: int | None = None, module: str = "service.worker") -> None:
        self.settings = settings
        self.count = settings.workers if count is None else count
        self.module = module
        self.processes: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._db: Database | None = None

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ, PRECHECK_DATA_DIR=str(self.settings.data_dir),
                   PRECHECK_WORKER_OF_SERVER=str(os.getpid()))  # the worker stops when this process is gone
        # the cores shared between the workers, as `precheck batch` shares them (no oversubscription)
        env.setdefault("PRECHECK_OCR_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, self.count))))
        # the settings this server was given, whether from its environment or in code
        for name in ("database_url", "broker_url", "storage_url", "s3_endpoint_url"):
            value = getattr(self.settings, name)
            if value:
                env[f"PRECHECK_{name.upper()}"] = value
        env["PRECHECK_QUEUE"] = self.settings.queue
        env["PRECHECK_JOB_LEASE_S"] = str(self.settings.job_lease_s)
        env["PRECHECK_JOB_TIME_LIMIT_S"] = str(self.settings.job_time_limit_s)
        process = subprocess.Popen([sys.executable, "-m", self.module], env=env)
        log.info("worker process %s started", process.pid)
        return process

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.count)]
        self._watcher = threading.Thread(target=self._watch, name="workers", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_S):
            for i, process in enumerate(self.processes):
                if process.poll() is not None and not self._stopping.is_set():
                    log.warning("worker process %s ended (%s); starting another", process.pid, process.returncode)
                    self._mark_stopped(process.pid)
                    self.processes[i] = self._spawn()

    def _mark_stopped(self, pid: int) -> None:
        """The dead process's row in the workers table (its job comes back when its lease runs out)."""
        from service import jobs
        from service.db import Database

        if self._db is None:
            self._db = Database(self.settings.db_url)
        try:
            with self._db.session() as db:
                jobs.beat(db, f"{socket.gethostname()}:{pid}", socket.gethostname(), pid, "stopped", None)
        except Exception as exc:  # the admin view only; never the end of the watcher
            log.warning("could not mark worker %s stopped: %s", pid, type(exc).__name__)

    def stop(self) -> None:
        self._stopping.set()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()  # SIGTERM: the worker gives its job back to the queue
        for process in self.processes:
            try:
                process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def submitted(self, job_id: str) -> None:
        pass  # the workers poll the job table
