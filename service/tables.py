"""The service's tables (SQLAlchemy 2). The job table is the record of every check: its state,
attempts, lease and progress; workers only ever change a job they hold the lease of."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, DateTime, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> datetime:
    """UTC, without a zone attached: what SQLite and Postgres store alike."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(), dict[str, Any]: JSON}


class Role(enum.StrEnum):
    ADMIN = "admin"
    REVIEWER = "reviewer"


class JobState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def _enum(kind: type[enum.StrEnum]) -> Enum:
    """Stored as its value (queued, admin), which is what the API and filters speak."""
    return Enum(kind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created: Mapped[datetime] = mapped_column(default=now)
    active: Mapped[bool] = mapped_column(default=True)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # keyed hash; the token itself is never kept
    created: Mapped[datetime] = mapped_column(default=now)
    revoked: Mapped[bool] = mapped_column(default=False)
    user: Mapped[User] = relationship()


class WebSession(Base):
    __tablename__ = "web_sessions"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    csrf: Mapped[str] = mapped_column(String(64))
    expires: Mapped[datetime] = mapped_column()
    user: Mapped[User] = relationship()


class Campaign(Base):
    __tablename__ = "campaigns"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    profile: Mapped[str] = mapped_column(String(80))
    as_of: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD; None: the profile's default


class CampaignReviewer(Base):
    __tablename__ = "campaign_reviewers"
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Bundle(Base):
    __tablename__ = "bundles"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300))  # as given (NFC), e.g. the archive's 申报编号+单位全称
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    batch_id: Mapped[str | None] = mapped_column(String(32))
    created: Mapped[datetime] = mapped_column(default=now)
    # the latest report's summary, for listing and filtering without reading reports
    applicant: Mapped[str | None] = mapped_column(String(300))
    credit_code: Mapped[str | None] = mapped_column(String(32))
    verdict: Mapped[str | None] = mapped_column(String(16))
    counts: Mapped[dict[str, Any] | None] = mapped_column()  # findings by severity
    review_state: Mapped[str | None] = mapped_column(String(16))  # passed | needs_fix | rejected
    reviewer: Mapped[str | None] = mapped_column(String(80))
    campaign: Mapped[Campaign] = relationship()
    uploader: Mapped[User] = relationship()
    files: Mapped[list[BundleFile]] = relationship(order_by="BundleFile.position", cascade="all, delete-orphan")

    __table_args__ = (Index("ix_bundles_campaign_created", "campaign_id", "created"),)


class BundleFile(Base):
    """One uploaded file: its name as given and its content by sha256 (the blob store)."""

    __tablename__ = "bundle_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    bundle_id: Mapped[str] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"), index=True)
    profile: Mapped[str] = mapped_column(String(80))
    as_of: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[JobState] = mapped_column(_enum(JobState), default=JobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=3)
    worker: Mapped[str | None] = mapped_column(String(120))  # host:pid holding the lease
    lease_until: Mapped[datetime | None] = mapped_column()
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(default=now)
    started: Mapped[datetime | None] = mapped_column()
    finished: Mapped[datetime | None] = mapped_column()

    __table_args__ = (Index("ix_jobs_state_created", "state", "created"),)


class ReportVersion(Base):
    """A report of a bundle; a re-check (another profile or date) adds a version, never overwrites."""

    __tablename__ = "report_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    job_id: Mapped[str] = mapped_column(String(32), unique=True)  # one report per job, whatever retries did
    profile: Mapped[str] = mapped_column(String(80))
    as_of: Mapped[str] = mapped_column(String(10))
    verdict: Mapped[str] = mapped_column(String(16))
    report: Mapped[str] = mapped_column(Text)  # report.json as the contract has it
    pages: Mapped[str] = mapped_column(Text)  # each document's page geometry (rotation, skew) for rendering
    created: Mapped[datetime] = mapped_column(default=now)

    __table_args__ = (UniqueConstraint("bundle_id", "version"),)


class WorkerProcess(Base):
    __tablename__ = "workers"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)  # host:pid
    host: Mapped[str] = mapped_column(String(80))
    pid: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))  # idle | busy | stopped
    job_id: Mapped[str | None] = mapped_column(String(32))
    seen: Mapped[datetime] = mapped_column(default=now)


class AuditEntry(Base):
    """Who did what to which bundle, when. Written by the service only; nothing updates or deletes it."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now)
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(32))
    bundle_id: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str | None] = mapped_column(Text)


class Decision(Base):
    """A reviewer's decision, append-only (the database refuses UPDATE and DELETE): on a finding
    (confirm / dismiss with a reason), on a field (its corrected value), or on the bundle (passed /
    needs_fix / rejected). `shown` keeps the finding or field as the reviewer saw it."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(32), index=True)
    report_version: Mapped[int] = mapped_column()
    at: Mapped[datetime] = mapped_column(default=now)
    user_id: Mapped[int] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # finding | field | bundle
    target: Mapped[str] = mapped_column(String(200))  # the finding's key, `doc_index/field`, or ""
    action: Mapped[str] = mapped_column(String(16))  # confirm | dismiss | correct | passed | needs_fix | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    value: Mapped[dict[str, Any] | None] = mapped_column()  # {"value": …} of a correction
    shown: Mapped[dict[str, Any] | None] = mapped_column()


class ReviewLock(Base):
    """Who has a bundle open for review, until when (refreshed while the page is open)."""

    __tablename__ = "review_locks"
    bundle_id: Mapped[str] = mapped_column(ForeignKey("bundles.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer)
    user_name: Mapped[str] = mapped_column(String(80))
    until: Mapped[datetime] = mapped_column()
