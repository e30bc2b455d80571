"""The bundle's verdict, as the contract defines it."""

from collections.abc import Iterable

from models import Finding, Severity, Verdict


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity (every severity present, 0 when none)."""
    counts = dict.fromkeys((s.value for s in Severity), 0)
    for f in findings:
        counts[f.severity.value] += 1
    return counts


def verdict(findings: list[Finding], unreadable: bool) -> Verdict:
    if any(f.severity == Severity.ERROR for f in findings):
        return Verdict.FAIL
    if unreadable or any(f.severity == Severity.WARNING for f in findings):
        return Verdict.NEEDS_REVIEW
    return Verdict.PASS
