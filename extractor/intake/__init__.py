"""Intake: turn what the user gives (a folder, a file, an archive, a mail, an inbox) into `Source`s
with bundle-relative paths, losing nothing."""

from extractor.intake.bundle import MBOX_REFUSAL, Intake, open_bundle, open_mails
from extractor.intake.folder import collect_sources

__all__ = ["MBOX_REFUSAL", "Intake", "collect_sources", "open_bundle", "open_mails"]
