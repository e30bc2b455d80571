"""Intake: turn what the user gives (a folder, a file) into `Source`s with bundle-relative paths."""

from extractor.intake.folder import collect_sources

__all__ = ["collect_sources"]
