"""Admin: users, campaigns and who reviews which; worker processes and what they hold; the queue; the
audit log."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import delete as sql_delete
from sqlalchemy import select

from extractor.errors import ConfigError
from service.accounts import AccountError, add_campaign, add_user, reviews
from service.api.deps import AdminUser, DbSession, ServiceDep
from service.api.jobs import queue_view
from service.api.problems import Problem
from service.audit import record
from service.tables import AuditEntry, Campaign, CampaignReviewer, Role, User, WorkerProcess, now

router = APIRouter(prefix="/api/admin", tags=["admin"])


@router.get("/workers")
def workers(service: ServiceDep, db: DbSession, user: AdminUser) -> list[dict[str, Any]]:
    """Worker processes, newest first. A busy one not heard of for a lease (it reports at every third of
    one), an idle one for 30 s (it reports every 10 s) is `lost`: killed, or its machine gone. The
    local runner marks a process it saw die `stopped` at once."""
    lease = service.settings.job_lease_s
    silent = {"busy": timedelta(seconds=lease), "idle": timedelta(seconds=max(30, lease))}
    rows = db.scalars(select(WorkerProcess).where(WorkerProcess.seen > now() - timedelta(days=1))
                      .order_by(WorkerProcess.seen.desc()))
    out = []
    for w in rows:
        lost = w.state in silent and w.seen < now() - silent[w.state]
        out.append({"pid": w.pid, "host": w.host, "state": "lost" if lost else w.state,
                    "job_id": w.job_id if w.state == "busy" and not lost else None, "seen": w.seen.isoformat() + "Z"})
    return out


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


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    role: Literal["admin", "reviewer"]
    campaigns: list[str] = Field(default_factory=list)
    password: str | None = Field(default=None, min_length=8, max_length=200)


class NewCampaign(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    profile: str
    as_of: date | None = None


class Reviewers(BaseModel):
    users: list[str]


@router.get("/users")
def users(db: DbSession, user: AdminUser) -> list[dict[str, Any]]:
    names = {c.id: c.name for c in db.scalars(select(Campaign))}
    out = []
    for u in db.scalars(select(User).order_by(User.name)):
        out.append({"name": u.name, "role": u.role.value, "active": u.active,
                    "campaigns": sorted(names[c] for c in reviews(db, u))})
    return out


@router.post("/users", status_code=201)
def create_user(body: NewUser, service: ServiceDep, db: DbSession, user: AdminUser) -> dict[str, Any]:
    try:
        made, token = add_user(db, service.key, body.name, Role(body.role), body.campaigns, body.password)
    except (AccountError, ConfigError) as exc:
        raise Problem(422, str(exc)) from None
    record(db, user, "admin", None, f"新建用户 {made.name}（{made.role.value}）")
    db.commit()
    return {"name": made.name, "role": made.role.value, "token": token}


@router.get("/campaigns")
def campaigns(db: DbSession, user: AdminUser) -> list[dict[str, Any]]:
    out = []
    for c in db.scalars(select(Campaign).order_by(Campaign.name)):
        reviewer_names = db.scalars(select(User.name).join(CampaignReviewer, CampaignReviewer.user_id == User.id)
                                    .where(CampaignReviewer.campaign_id == c.id).order_by(User.name))
        out.append({"name": c.name, "profile": c.profile, "as_of": c.as_of, "reviewers": list(reviewer_names)})
    return out


@router.post("/campaigns", status_code=201)
def create_campaign(body: NewCampaign, db: DbSession, user: AdminUser) -> dict[str, Any]:
    try:
        made = add_campaign(db, body.name, body.profile, body.as_of)
    except (AccountError, ConfigError) as exc:
        raise Problem(422, str(exc)) from None
    record(db, user, "admin", None, f"新建活动 {made.name}（{made.profile}）")
    db.commit()
    return {"name": made.name, "profile": made.profile, "as_of": made.as_of, "reviewers": []}


@router.put("/campaigns/{name}/reviewers")
def set_reviewers(name: str, body: Reviewers, db: DbSession, user: AdminUser) -> dict[str, Any]:
    """Who reviews the campaign (replaces the list)."""
    campaign = db.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None:
        raise Problem(404, f"没有这个活动：{name[:60]}")
    found = {u.name: u for u in db.scalars(select(User).where(User.name.in_(body.users)))}
    if missing := sorted(set(body.users) - set(found)):
        raise Problem(422, f"没有这些用户：{'、'.join(missing)[:200]}")
    db.execute(sql_delete(CampaignReviewer).where(CampaignReviewer.campaign_id == campaign.id))
    for reviewer in found.values():
        db.add(CampaignReviewer(campaign_id=campaign.id, user_id=reviewer.id))
    record(db, user, "admin", None, f"活动 {name} 的审核员：{'、'.join(sorted(found))}"[:2000])
    db.commit()
    return {"name": campaign.name, "reviewers": sorted(found)}
