"""The decision history of a bundle's report, read from and appended to the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.review import Decided
from service.tables import Decision


def history(db: Session, bundle_id: str, version: int) -> list[Decided]:
    """The decisions on this report version, oldest first."""
    rows = db.scalars(select(Decision).where(Decision.bundle_id == bundle_id, Decision.report_version == version)
                      .order_by(Decision.id))
    return [Decided(d.kind, d.target, d.action, d.user_name, d.at.isoformat() + "Z", d.reason,
                    (d.value or {}).get("value")) for d in rows]
