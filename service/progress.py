"""Job progress across machines: a worker publishes each step of its check on a Redis channel per job,
and the API's event stream forwards it as it comes, whatever machine either runs on. The job table
stays the record (state, attempts, progress written at most twice a second); the channel only makes
the pages live without reading the database for every page read. Best effort both ways: a Redis that
is down costs liveliness, never a job (the stream then falls back to reading the job table).

A message is JSON: {"job_id", "state", "progress"}; it never carries file contents or names beyond the
current file's name, which the job's progress already shows to those allowed to see the bundle."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

log = logging.getLogger("precheck.progress")
PREFIX = "precheck:job:"


def channel(job_id: str) -> str:
    return f"{PREFIX}{job_id}"


class ProgressFeed:
    def __init__(self, url: str) -> None:
        self.url = url
        self._client: Any = None

    def publish(self, job_id: str, state: str, progress: dict[str, Any]) -> None:
        import redis

        try:
            if self._client is None:
                self._client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
            self._client.publish(channel(job_id), json.dumps({"job_id": job_id, "state": state, "progress": progress},
                                                             ensure_ascii=False))
        except redis.RedisError as exc:  # the job goes on; its progress is in the job table too
            log.debug("progress not published (%s)", type(exc).__name__)
            self._client = None

    async def follow(self, job_id: str, timeout: float) -> AsyncIterator[dict[str, Any] | None]:
        """The job's messages as they come; None after `timeout` seconds without one (the caller then
        reads the job table). Ends (raises) when Redis cannot be reached: the caller polls instead."""
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url, socket_connect_timeout=1)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(channel(job_id))
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=timeout)
                if message is None:
                    yield None
                    continue
                try:
                    data = json.loads(message["data"])
                except (TypeError, ValueError):
                    continue
                if isinstance(data, dict):
                    yield data
        finally:
            await pubsub.aclose()
            await client.aclose()


def feed_for(broker_url: str | None) -> ProgressFeed | None:
    """The feed when a Redis is configured (the celery queue's broker), else None (one machine: the
    event stream reads the job table)."""
    if broker_url and broker_url.startswith(("redis://", "rediss://")):
        return ProgressFeed(broker_url)
    return None
