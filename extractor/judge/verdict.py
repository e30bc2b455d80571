"""The bundle's verdict, as the contract defines it."""

from models import Finding, Severity, Verdict


def verdict(findings: list[Finding], unreadable: bool) -> Verdict:
    if any(f.severity == Severity.ERROR for f in findings):
        return Verdict.FAIL
    if unreadable or any(f.severity == Severity.WARNING for f in findings):
        return Verdict.NEEDS_REVIEW
    return Verdict.PASS
