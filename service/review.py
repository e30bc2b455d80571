"""A report as the reviewers left it: their decisions over precheck's findings and fields, and what
follows — the findings still standing, the verdict and counts after dismissals, the corrected values.
Pure functions over the report and the decision history (the latest decision on a target counts)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from extractor.judge.verdict import severity_counts, verdict
from models import Finding, Report, Severity

FINDING_ACTIONS = ("confirm", "dismiss")
BUNDLE_STATES = {"passed": "通过初审", "needs_fix": "需补正", "rejected": "不通过"}
LOW_CONFIDENCE = 0.6  # a field read below this is marked for the reviewer


def finding_key(finding: Finding) -> str:
    """A finding's name across requests: what it says and about what (stable for the same report)."""
    raw = json.dumps([finding.rule, finding.field, finding.documents, finding.expected, finding.actual,
                      finding.message], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def field_target(doc_index: int, key: str) -> str:
    return f"{doc_index}/{key}"


@dataclass(frozen=True)
class Decided:
    """One decision as the history holds it."""

    kind: str
    target: str
    action: str
    user: str
    at: str
    reason: str | None = None
    value: Any = None


@dataclass
class Reviewed:
    report: Report
    findings: dict[str, Decided] = field(default_factory=dict)  # key → the latest decision
    fields: dict[str, Decided] = field(default_factory=dict)  # doc/field → the latest correction
    bundle: Decided | None = None

    @property
    def standing(self) -> list[Finding]:
        """The findings not dismissed."""
        return [f for f in self.report.findings
                if (d := self.findings.get(finding_key(f))) is None or d.action != "dismiss"]

    @property
    def verdict(self) -> str:
        unreadable = any(d.errors for d in self.report.documents)
        return verdict(self.standing, unreadable).value

    @property
    def counts(self) -> dict[str, int]:
        return severity_counts(self.standing)

    def corrected(self, doc_index: int, key: str) -> Decided | None:
        return self.fields.get(field_target(doc_index, key))

    def corrections(self, doc_index: int) -> dict[str, Decided]:
        """The document's corrected fields by key."""
        prefix = field_target(doc_index, "")
        return {t.removeprefix(prefix): d for t, d in self.fields.items() if t.startswith(prefix)}


def reviewed(report: Report, history: list[Decided]) -> Reviewed:
    """The report with the decisions applied, the latest on each target counting."""
    out = Reviewed(report)
    for decided in history:
        if decided.kind == "finding":
            out.findings[decided.target] = decided
        elif decided.kind == "field":
            out.fields[decided.target] = decided
        elif decided.kind == "bundle":
            out.bundle = decided
    return out


def to_fix(review: Reviewed) -> list[Finding]:
    """What the applicant must correct: the errors and warnings still standing."""
    return [f for f in review.standing if f.severity in (Severity.ERROR, Severity.WARNING)]
