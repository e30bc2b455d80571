"""Jobs: state and progress, by long poll (`?wait=`) or as server-sent events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from service.api.deps import DbSession, ServiceDep, UserId, may_see
from service.api.problems import Problem
from service.progress import feed_for
from service.tables import Bundle, Job, JobState, User

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
POLL_S = 0.25
FEED_RECHECK_S = 2.0  # with a progress feed, the job row is read on each change of state or this often
FINAL = (JobState.DONE, JobState.FAILED)


def _view(job: Job) -> dict[str, Any]:
    return {"job_id": job.id, "state": job.state.value, "bundle_id": job.bundle_id, "progress": job.progress or {},
            "error": job.error, "attempts": job.attempts, "profile": job.profile, "as_of": job.as_of,
            "report_url": f"/api/bundles/{job.bundle_id}/report.json" if job.state == JobState.DONE else None}


def _read(service: ServiceDep, job_id: str, user_id: int) -> dict[str, Any] | None:
    """The job as the user may see it, in a session of its own closed before the caller waits."""
    with service.db.session() as db:
        job = db.get(Job, job_id)
        user = db.get(User, user_id)
        if job is None or user is None:
            return None
        bundle = db.get(Bundle, job.bundle_id)
        if bundle is None or not may_see(db, user, bundle):
            return None
        return _view(job)


@router.get("/{job_id}")
async def job_status(job_id: str, service: ServiceDep, user: UserId,
                     wait: Annotated[float, Query(ge=0, le=60, description="最多等待秒数，直到状态或进度变化")] = 0
                     ) -> dict[str, Any]:
    first = await asyncio.to_thread(_read, service, job_id, user)
    if first is None:
        raise Problem(404, "没有这个检查任务")
    seen: dict[str, Any] = first
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while seen["state"] not in FINAL and loop.time() < deadline:
        await asyncio.sleep(POLL_S)
        now_seen = await asyncio.to_thread(_read, service, job_id, user)
        seen = now_seen if now_seen is not None else seen
        if seen["state"] != first["state"] or seen["progress"] != first["progress"]:
            break
    return seen


@router.get("/{job_id}/events")
async def job_events(job_id: str, service: ServiceDep, user: UserId) -> StreamingResponse:
    if await asyncio.to_thread(_read, service, job_id, user) is None:
        raise Problem(404, "没有这个检查任务")
    feed = feed_for(service.settings.broker_url)

    async def wakes() -> AsyncGenerator[dict[str, Any] | None, None]:
        """What makes the stream look again: the worker's messages through Redis, wherever it runs
        (None after a quiet spell), else — no Redis, or Redis away — a short poll of the job table."""
        if feed is not None:
            try:
                async for message in feed.follow(job_id, timeout=FEED_RECHECK_S):
                    yield message
            except Exception:  # Redis away: the job table is read instead, as on one machine
                pass
        while True:
            await asyncio.sleep(POLL_S)
            yield None

    async def stream() -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        last: dict[str, Any] | None = None
        said = loop.time()
        message: dict[str, Any] | None = None
        wake = wakes()
        try:
            while True:
                view: dict[str, Any] | None
                if last is not None and last["state"] == "running" and message and message.get("state") == "running":
                    view = {**last, "progress": message.get("progress") or last["progress"]}  # a step: no read
                else:  # the start, a change of state, a quiet spell: the job table is the record
                    view = await asyncio.to_thread(_read, service, job_id, user)
                    if view is None:
                        yield "event: gone\ndata: {}\n\n"
                        return
                if view != last:
                    yield f"event: {view['state']}\ndata: {json.dumps(view, ensure_ascii=False)}\n\n"
                    last, said = view, loop.time()
                elif loop.time() - said > 15:
                    yield ": keep-alive\n\n"
                    said = loop.time()
                if view["state"] in FINAL:
                    return
                message = await anext(wake)
        finally:
            await wake.aclose()  # unsubscribes from the job's channel

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def queue_view(db: DbSession) -> dict[str, int]:
    counts: dict[str, int] = {}
    for state in db.scalars(select(Job.state)):
        counts[state.value] = counts.get(state.value, 0) + 1
    return counts
