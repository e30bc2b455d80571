"""Admin: worker processes and what they hold, the queue, the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from service.api.deps import AdminUser, DbSession
from service.api.jobs import queue_view
from service.tables import AuditEntry, WorkerProcess

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/workers")
def workers(db: DbSession, user: AdminUser) -> list[dict[str, Any]]:
    rows = db.scalars(select(WorkerProcess).order_by(WorkerProcess.seen.desc()))
    return [{"pid": w.pid, "host": w.host, "state": w.state, "job_id": w.job_id, "seen": w.seen.isoformat() + "Z"}
            for w in rows]


@router.get("/queue")
def queue(db: DbSession, user: AdminUser) -> dict[str, int]:
    return queue_view(db)


@router.get("/audit")
def audit(db: DbSession, user: AdminUser, bundle_id: str | None = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[dict[str, Any]]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if bundle_id:
        query = query.where(AuditEntry.bundle_id == bundle_id)
    return [{"at": e.at.isoformat() + "Z", "user": e.user_name, "action": e.action, "bundle_id": e.bundle_id,
             "detail": e.detail} for e in db.scalars(query)]
