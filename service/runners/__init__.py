"""Where check jobs run: the seam between the API and the workers (as docling-serve chooses its
orchestrator). The job table is the record whichever runner is chosen; a runner only has to get
workers to claim jobs. `local`: worker processes on this machine, started and watched by the server.
`celery`: Celery workers on any machine (`precheck worker`), a Redis broker carrying job ids.
"""

from __future__ import annotations

from typing import Protocol

from service.settings import ServiceSettings


class JobRunner(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...

    def submitted(self, job_id: str) -> None:
        """A job was committed to the queue (a runner with a broker sends it the id, never file bytes)."""


def make_runner(settings: ServiceSettings) -> JobRunner:
    if settings.queue == "celery":
        from service.runners.celery_queue import CeleryRunner

        return CeleryRunner(settings)
    from service.runners.local import LocalRunner

    return LocalRunner(settings)
