"""The job table as the record of every check. Workers claim a queued job by compare-and-set (one
winner however many race), renew its lease while they work, and change it only while they hold the
lease; a job whose lease ran out (its worker died) goes back to the queue, up to its attempts, then
fails with the reason. Pure database operations: no files, no pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.tables import Bundle, Job, JobState, ReportVersion, WorkerProcess, now


def _run(db: Session, statement: Any) -> Any:
    """Executes an UPDATE; its result gives rowcount (how many rows the compare-and-set changed)."""
    return db.execute(statement)


ABANDONED = "检查进程多次中断（共 {n} 次），已停止重试；请联系管理员查看日志"


def enqueue(db: Session, bundle: Bundle, profile: str, as_of: str | None, max_attempts: int) -> Job:
    job = Job(bundle_id=bundle.id, profile=profile, as_of=as_of, max_attempts=max_attempts,
              progress={"stage": "queued", "files_done": 0, "files_total": len(bundle.files), "pages_done": 0})
    db.add(job)
    db.flush()
    return job


def reclaim_expired(db: Session) -> int:
    """Jobs whose worker stopped renewing: back to the queue, or failed after their last attempt."""
    moment = now()
    stale = list(db.scalars(select(Job).where(Job.state == JobState.RUNNING, Job.lease_until < moment)))
    for job in stale:
        again = job.attempts < job.max_attempts
        _run(db, update(Job).where(Job.id == job.id, Job.state == JobState.RUNNING, Job.lease_until < moment)
                   .values(state=JobState.QUEUED if again else JobState.FAILED, worker=None, lease_until=None,
                           error=None if again else ABANDONED.format(n=job.attempts),
                           finished=None if again else moment))
    db.commit()
    return len(stale)


def claim(db: Session, worker: str, lease_s: int, job_id: str | None = None) -> Job | None:
    """The oldest queued job (or the one a broker's message names), now running under this worker's
    lease; None when there is none to take: the queue is empty, or the named job is already running,
    done or failed (a duplicated or late message then does nothing)."""
    for _ in range(20):
        if job_id is None:
            candidate = db.scalar(select(Job.id).where(Job.state == JobState.QUEUED).order_by(Job.created).limit(1))
        else:
            candidate = db.scalar(select(Job.id).where(Job.id == job_id, Job.state == JobState.QUEUED))
        if candidate is None:
            return None
        moment = now()
        won = _run(db,
            update(Job).where(Job.id == candidate, Job.state == JobState.QUEUED)
            .values(state=JobState.RUNNING, worker=worker, attempts=Job.attempts + 1,
                    lease_until=moment + timedelta(seconds=lease_s), started=moment, error=None)
        ).rowcount
        db.commit()
        if won:
            return db.get(Job, candidate, populate_existing=True)
    return None


def queued(db: Session, limit: int = 10_000) -> list[str]:
    """The ids of the jobs waiting for a worker, oldest first."""
    return list(db.scalars(select(Job.id).where(Job.state == JobState.QUEUED).order_by(Job.created).limit(limit)))


def renew(db: Session, job_id: str, worker: str, lease_s: int, progress: dict[str, Any] | None = None) -> bool:
    """Extends the lease (and records progress); False when this worker no longer holds the job."""
    values: dict[str, Any] = {"lease_until": now() + timedelta(seconds=lease_s)}
    if progress is not None:
        values["progress"] = progress
    held = _run(db, update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == JobState.RUNNING)
                      .values(**values)).rowcount
    db.commit()
    return bool(held)


@dataclass(frozen=True)
class Outcome:
    report_json: str
    pages_json: str
    profile: str
    as_of: str
    verdict: str
    applicant: str | None
    credit_code: str | None
    counts: dict[str, int]


def complete(db: Session, job_id: str, worker: str, outcome: Outcome) -> bool:
    """The report stored as the bundle's next version and the job done, in one transaction, only while
    this worker holds the lease: a worker that lost its job (presumed dead) stores nothing."""
    job = db.get(Job, job_id, populate_existing=True)
    if job is None or job.worker != worker or job.state != JobState.RUNNING:
        db.rollback()
        return False
    moment = now()
    held = _run(db, update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == JobState.RUNNING)
                      .values(state=JobState.DONE, finished=moment, lease_until=None,
                              progress={**(job.progress or {}), "stage": "done"})).rowcount
    if not held:
        db.rollback()
        return False
    for _ in range(5):  # two re-checks of one bundle finishing at once race for the next version number
        latest = db.scalar(select(func.max(ReportVersion.version)).where(ReportVersion.bundle_id == job.bundle_id))
        try:
            with db.begin_nested():
                db.add(ReportVersion(bundle_id=job.bundle_id, version=(latest or 0) + 1, job_id=job_id,
                                     profile=outcome.profile, as_of=outcome.as_of, verdict=outcome.verdict,
                                     report=outcome.report_json, pages=outcome.pages_json))
            break
        except IntegrityError:
            continue
    else:
        db.rollback()
        return False
    _run(db, update(Bundle).where(Bundle.id == job.bundle_id)
         .values(applicant=outcome.applicant, credit_code=outcome.credit_code, verdict=outcome.verdict,
                 counts=outcome.counts, review_state=None, reviewer=None))  # a new report is not reviewed yet
    db.commit()
    return True


def fail(db: Session, job_id: str, worker: str, error: str) -> bool:
    held = _run(db, update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == JobState.RUNNING)
                      .values(state=JobState.FAILED, error=error, finished=now(), lease_until=None)).rowcount
    db.commit()
    return bool(held)


def release(db: Session, job_id: str, worker: str) -> bool:
    """A worker told to stop gives its job back to the queue at once (the attempt is not counted)."""
    held = _run(db, update(Job).where(Job.id == job_id, Job.worker == worker, Job.state == JobState.RUNNING)
                      .values(state=JobState.QUEUED, worker=None, lease_until=None,
                              attempts=Job.attempts - 1)).rowcount
    db.commit()
    return bool(held)


def beat(db: Session, name: str, host: str, pid: int, state: str, job_id: str | None) -> None:
    """The worker's row in the workers table (admin view): what it does, last seen when."""
    row = db.get(WorkerProcess, name)
    if row is None:  # a worker starting: rows of workers gone for a week are dropped
        _run(db, delete(WorkerProcess).where(WorkerProcess.seen < now() - timedelta(days=7)))
        db.add(WorkerProcess(name=name, host=host, pid=pid, state=state, job_id=job_id, seen=now()))
    else:
        row.state, row.job_id, row.seen = state, job_id, now()
    db.commit()
