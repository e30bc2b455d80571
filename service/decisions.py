"""The decision history of a bundle's report, read from and appended to the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit import record
from service.review import Decided
from service.tables import Decision, User


def append(db: Session, bundle_id: str, user: User, version: int, kind: str, target: str, action: str,
           reason: str | None, shown: dict[str, Any] | None, value: Any = None) -> None:
    """A decision (finding, field or bundle) added to the history, and to the audit log."""
    db.add(Decision(bundle_id=bundle_id, report_version=version, user_id=user.id, user_name=user.name, kind=kind,
                    target=target, action=action, reason=reason, shown=shown,
                    value={"value": value} if kind == "field" else None))
    record(db, user, "decide", bundle_id, f"{kind} {target} {action}"[:2000])


def history(db: Session, bundle_id: str, version: int) -> list[Decided]:
    """The decisions on this report version, oldest first."""
    rows = db.scalars(select(Decision).where(Decision.bundle_id == bundle_id, Decision.report_version == version)
                      .order_by(Decision.id))
    return [Decided(d.kind, d.target, d.action, d.user_name, d.at.isoformat() + "Z", d.reason,
                    (d.value or {}).get("value")) for d in rows]
