"""The embedded runner: `settings.workers` worker processes (`python -m service.worker`) started with
the server, restarted when one dies (its job is re-run once its lease runs out), stopped with it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading

from service.settings import ServiceSettings

log = logging.getLogger("precheck.runner")
WATCH_S = 1.0
STOP_GRACE_S = 10.0


class LocalRunner:
    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.processes: list[subprocess.Popen[bytes]] = []
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def _spawn(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ, PRECHECK_DATA_DIR=str(self.settings.data_dir), PRECHECK_WORKER_OF_SERVER="1")
        if self.settings.database_url:
            env["PRECHECK_DATABASE_URL"] = self.settings.database_url
        process = subprocess.Popen([sys.executable, "-m", "service.worker"], env=env)
        log.info("worker process %s started", process.pid)
        return process

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.settings.workers)]
        self._watcher = threading.Thread(target=self._watch, name="workers", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stopping.wait(WATCH_S):
            for i, process in enumerate(self.processes):
                if process.poll() is not None and not self._stopping.is_set():
                    log.warning("worker process %s ended (%s); starting another", process.pid, process.returncode)
                    self.processes[i] = self._spawn()

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
