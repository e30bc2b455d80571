"""The FastAPI application: routers, problem+json errors, the request size limit, and the runner
started and stopped with the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api import admin, auth, bundles, jobs, reviews
from service.api.deps import Service
from service.api.problems import install, problem
from service.db import Database, migrate
from service.runners import JobRunner, make_runner
from service.settings import ServiceSettings
from service.storage import open_store
from service.web import pages


class BodyLimit:
    """Refuses a request body over the limit (413), by its Content-Length or as it streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await problem(413, f"请求超过 {self.limit // (1024 * 1024)} MB 上限")(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                from service.storage import TooLarge

                raise TooLarge()
            return message

        await self.app(scope, counted, send)


def create_app(settings: ServiceSettings | None = None, runner: JobRunner | None = None) -> FastAPI:
    settings = settings or ServiceSettings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.db_url)
    migrate(database.engine)
    service = Service(settings=settings, db=database, blobs=open_store(settings),
                      key=settings.signing_key(), runner=runner or make_runner(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service.runner.start()
        try:
            yield
        finally:
            service.runner.stop()

    app = FastAPI(title="precheck", description="申报材料形式审查预检服务", version="0.1.0", lifespan=lifespan)
    app.state.service = service
    install(app)
    for module in (auth, bundles, jobs, reviews, admin):
        app.include_router(module.router)
    app.include_router(pages.router)  # the reviewers' pages
    app.mount("/static", StaticFiles(directory=Path(pages.__file__).parent / "static"), name="static")

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, Any]:
        return {"status": "ok"}

    app.add_middleware(BodyLimit, limit=settings.max_request_mb * 1024 * 1024 + 1024 * 1024)
    return app
