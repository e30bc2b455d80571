"""Reviewers' decisions as gold (`precheck.gold/1`), so that `precheck eval` measures precheck against
them: every decided bundle's files copied under its name into OUT, and `NAME.gold.json` beside them
holding the document types, the fields (a reviewer's correction is the field's truth), the findings
left standing (a dismissed one must not appear), and the final verdict. Runs on the service's
machine (`precheck export-gold`): the applicants' files never leave it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.checks import report_of
from service.decisions import history
from service.review import Reviewed, reviewed
from service.storage import Store, blob_key, safe_name
from service.tables import Bundle, Campaign, ReportVersion

GOLD_SUFFIX = ".gold.json"


def final_verdict(review: Reviewed) -> str:
    """通过初审 is a pass; 需补正 / 不通过 never are — the verdict precheck would need, at least needs_review."""
    if review.bundle is None:
        raise ValueError("undecided")
    if review.bundle.action == "passed":
        return "pass"
    return review.verdict if review.verdict != "pass" else "needs_review"


def gold_of(review: Reviewed, bundle: Bundle) -> dict[str, Any]:
    report = review.report
    documents = []
    for i, doc in enumerate(report.documents):
        fields: dict[str, Any] = {k: v.value for k, v in doc.fields.items()}
        for key, corrected in review.corrections(i).items():
            if corrected.value in (None, ""):
                fields.pop(key, None)  # the reviewer says the document does not carry it
            else:
                fields[key] = corrected.value
        documents.append({"path": doc.path, "doc_type": doc.doc_type.value, "fields": fields,
                          "seals": [{"page": s.page, "text": s.text} for s in doc.seals]})
    assert review.bundle is not None
    return {
        "schema": "precheck.gold/1", "profile": report.bundle.profile, "as_of": report.bundle.as_of.isoformat(),
        "documents": documents,
        "findings": [{"rule": f.rule, "documents": f.documents} for f in review.standing
                     if f.severity.value in ("error", "warning")],
        "verdict": final_verdict(review),
        "tags": ["reviewed", bundle.campaign.name],
        "notes": f"由审核员 {review.bundle.user} 于 {review.bundle.at} 审定（{review.bundle.action}）；"
                 f"precheck 原判 {report.verdict.value}",
    }


@dataclass(frozen=True)
class Exported:
    bundles: int
    files: int


def export(db: Session, store: Store, out: Path, campaign: str | None = None) -> Exported:
    query = select(Bundle).where(Bundle.review_state.is_not(None)).order_by(Bundle.created)
    if campaign:
        query = query.join(Campaign, Bundle.campaign_id == Campaign.id).where(Campaign.name == campaign)
    out.mkdir(parents=True, exist_ok=True)
    taken: set[str] = {p.name for p in out.iterdir()}
    bundles = files = 0
    for bundle in db.scalars(query):
        version = db.scalar(select(ReportVersion).where(ReportVersion.bundle_id == bundle.id)
                            .order_by(ReportVersion.version.desc()).limit(1))
        if version is None:
            continue
        review = reviewed(report_of(version.report), history(db, bundle.id, version.version))
        if review.bundle is None:
            continue  # decided on an older report: the newest is not reviewed yet
        name = safe_name(bundle.name, taken)
        folder = out / name
        folder.mkdir()
        for f in bundle.files:
            store.fetch(blob_key(f.sha256), folder / f.name)  # a copy: never a link to the original
            files += 1
        (out / f"{name}{GOLD_SUFFIX}").write_text(json.dumps(gold_of(review, bundle), ensure_ascii=False, indent=1)
                                                  + "\n", encoding="utf-8")
        bundles += 1
    return Exported(bundles, files)
