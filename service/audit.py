"""The audit log: who uploaded, viewed, downloaded, re-checked, deleted what, when. Append-only (the
database refuses UPDATE and DELETE on it); admins read it. File names only, never file content."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.tables import AuditEntry, User


def record(db: Session, user: User | None, action: str, bundle_id: str | None = None,
           detail: str | None = None) -> None:
    db.add(AuditEntry(user_id=user.id if user else None, user_name=user.name if user else None, action=action,
                      bundle_id=bundle_id, detail=detail))
