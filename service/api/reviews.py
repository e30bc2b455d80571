"""Reviewing a bundle: its report with the decisions applied, decisions on findings, fields and the
bundle (append-only), who has it open, and the 补正通知."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DOC_TYPE_LABELS, DocType
from service.api.bundles import _version
from service.api.deps import CurrentUser, DbSession, VisibleBundle
from service.api.problems import Problem
from service.audit import record
from service.checks import report_of
from service.decisions import append, history
from service.notice import notice_docx
from service.review import BUNDLE_STATES, LOW_CONFIDENCE, Decided, Reviewed, field_target, finding_key, reviewed
from service.tables import Bundle, Decision, ReviewLock, User, now

router = APIRouter(prefix="/api/bundles/{bundle_id}", tags=["review"])
LOCK_MINUTES = 5


def _review(db: Session, bundle: Bundle) -> tuple[Reviewed, int]:
    found = _version(db, bundle, None)
    return reviewed(report_of(found.report), history(db, bundle.id, found.version)), found.version


def _decided(d: Decided | None) -> dict[str, Any] | None:
    return None if d is None else {"action": d.action, "user": d.user, "at": d.at, "reason": d.reason,
                                   "value": d.value}


def _lock(db: Session, bundle: Bundle, user: User) -> dict[str, Any] | None:
    lock = db.get(ReviewLock, bundle.id)
    if lock is None or lock.until < now():
        return None
    return {"user": lock.user_name, "until": lock.until.isoformat() + "Z", "mine": lock.user_id == user.id}


def _type_label(code: object) -> str | None:
    """A missing document's type as reviewers name it (the contract's `expected` is the type code)."""
    try:
        return DOC_TYPE_LABELS[DocType(str(code))]
    except (ValueError, KeyError):
        return None


def view(db: Session, bundle: Bundle, user: User, settled: tuple[Reviewed, int] | None = None) -> dict[str, Any]:
    """The review page's data; `settled`: the review already read in this request."""
    review, version = settled or _review(db, bundle)
    report = review.report
    index = {d.path: i for i, d in enumerate(report.documents)}

    def evidence(items: list[Any]) -> list[dict[str, Any]]:
        return [{**e.model_dump(mode="json"), "doc_index": index.get(e.path)} for e in items]

    return {
        "bundle_id": bundle.id, "name": bundle.name, "campaign": bundle.campaign.name, "report_version": version,
        "profile": report.bundle.profile, "as_of": report.bundle.as_of.isoformat(),
        "applicant": report.bundle.applicant.model_dump(),
        "verdict": report.verdict.value, "effective_verdict": review.verdict, "counts": review.counts,
        "state": review.bundle.action if review.bundle else None,
        "state_label": BUNDLE_STATES.get(review.bundle.action) if review.bundle else None,
        "decided_by": review.bundle.user if review.bundle else None,
        "lock": _lock(db, bundle, user),
        "findings": [{"key": finding_key(f), "rule": f.rule, "severity": f.severity.value, "message": f.message,
                      "documents": f.documents, "doc_indexes": [index.get(p) for p in f.documents],
                      "field": f.field, "expected": f.expected, "actual": f.actual, "evidence": evidence(f.evidence),
                      "expected_label": _type_label(f.expected) if f.rule == "missing_document" else None,
                      "decision": _decided(review.findings.get(finding_key(f)))} for f in report.findings],
        "documents": [{"index": i, "path": d.path, "doc_type": d.doc_type.value, "pages": d.pages,
                       "text_source": d.text_source.value if d.text_source else None, "errors": d.errors,
                       "seals": [s.model_dump(mode="json") for s in d.seals],
                       "fields": {k: {"value": v.value, "confidence": v.confidence,
                                      "low": v.confidence < LOW_CONFIDENCE, "evidence": evidence(v.evidence),
                                      "corrected": _decided(review.corrected(i, k))} for k, v in d.fields.items()}}
                      for i, d in enumerate(report.documents)],
    }


@router.get("/review")
def get_review(bundle: VisibleBundle, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    record(db, user, "view", bundle.id, "review")
    db.commit()
    return view(db, bundle, user)


class FindingDecision(BaseModel):
    action: Literal["confirm", "dismiss"]
    reason: str | None = Field(default=None, max_length=2000)


class FieldCorrection(BaseModel):
    value: Any
    reason: str | None = Field(default=None, max_length=2000)


class BundleDecision(BaseModel):
    state: Literal["passed", "needs_fix", "rejected"]
    reason: str | None = Field(default=None, max_length=2000)


def _settle(db: Session, bundle: Bundle) -> tuple[Reviewed, int]:
    """After a decision on a finding: the list shows the verdict and counts the reviewers left."""
    db.flush()
    review, version = _review(db, bundle)
    bundle.verdict, bundle.counts = review.verdict, review.counts
    return review, version


@router.post("/findings/{key}/decision")
def decide_finding(key: str, body: FindingDecision, bundle: VisibleBundle, db: DbSession,
                   user: CurrentUser) -> dict[str, Any]:
    review, version = _review(db, bundle)
    finding = next((f for f in review.report.findings if finding_key(f) == key), None)
    if finding is None:
        raise Problem(404, "报告中没有这条问题（报告可能已重新检查）")
    if body.action == "dismiss" and not (body.reason or "").strip():
        raise Problem(422, "驳回一条问题须写明理由")
    append(db, bundle.id, user, version, "finding", key, body.action, body.reason, finding.model_dump(mode="json"))
    settled = _settle(db, bundle)
    db.commit()
    return view(db, bundle, user, settled)


@router.post("/documents/{doc_index}/fields/{key}/correction")
def correct_field(doc_index: int, key: str, body: FieldCorrection, bundle: VisibleBundle, db: DbSession,
                  user: CurrentUser) -> dict[str, Any]:
    review, version = _review(db, bundle)
    documents = review.report.documents
    if not 0 <= doc_index < len(documents):
        raise Problem(404, "没有这个文件")
    value = documents[doc_index].fields.get(key)
    shown = value.model_dump(mode="json") if value is not None else None  # its evidence stays linked
    append(db, bundle.id, user, version, "field", field_target(doc_index, key), "correct", body.reason, shown,
           body.value)
    db.commit()
    return view(db, bundle, user)


@router.post("/decision")
def decide_bundle(body: BundleDecision, bundle: VisibleBundle, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    review, version = _review(db, bundle)
    if body.state == "rejected" and not (body.reason or "").strip():
        raise Problem(422, "不通过须写明理由")
    append(db, bundle.id, user, version, "bundle", "", body.state, body.reason,
           {"verdict": review.verdict, "counts": review.counts})
    bundle.review_state, bundle.reviewer = body.state, user.name
    db.commit()
    return view(db, bundle, user)


@router.get("/decisions")
def decisions(bundle: VisibleBundle, db: DbSession) -> list[dict[str, Any]]:
    rows = db.scalars(select(Decision).where(Decision.bundle_id == bundle.id).order_by(Decision.id))
    return [{"at": d.at.isoformat() + "Z", "user": d.user_name, "report_version": d.report_version, "kind": d.kind,
             "target": d.target, "action": d.action, "reason": d.reason, "value": (d.value or {}).get("value"),
             "shown": d.shown} for d in rows]


@router.post("/lock")
def open_for_review(bundle: VisibleBundle, db: DbSession, user: CurrentUser) -> dict[str, Any]:
    """Marks the bundle open by this reviewer for a few minutes (the page refreshes it); when another
    reviewer has it open, says who — it never stops anyone reading."""
    lock = db.get(ReviewLock, bundle.id)
    if lock is None or lock.until < now() or lock.user_id == user.id:
        if lock is None:
            lock = ReviewLock(bundle_id=bundle.id, user_id=user.id, user_name=user.name, until=now())
            db.add(lock)
        lock.user_id, lock.user_name = user.id, user.name
        lock.until = now() + timedelta(minutes=LOCK_MINUTES)
        db.commit()
    return {"lock": _lock(db, bundle, user)}


@router.delete("/lock", status_code=204)
def close_review(bundle: VisibleBundle, db: DbSession, user: CurrentUser) -> Response:
    lock = db.get(ReviewLock, bundle.id)
    if lock is not None and lock.user_id == user.id:
        db.delete(lock)
        db.commit()
    return Response(status_code=204)


@router.get("/notice.docx")
def notice(bundle: VisibleBundle, db: DbSession, user: CurrentUser) -> Response:
    review, _ = _review(db, bundle)
    data = notice_docx(review, bundle.name, bundle.campaign.name, user.name, now().date())
    record(db, user, "download", bundle.id, "notice.docx")
    db.commit()
    filename = quote(f"补正通知-{bundle.name}.docx")
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"})
