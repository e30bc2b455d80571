"""The pydantic vocabulary every layer of precheck speaks. Data only: no IO, no heavy imports."""

from models.batch import BatchRow
from models.document import Cell, Line, Page, PageSeal, ParsedDocument, Table, TextSource, Word
from models.geometry import BBox
from models.gold import GoldBundle, GoldDocument, GoldFinding, GoldSeal
from models.mail import MailAttachment, MailInfo
from models.report import (
    DOC_TYPE_LABELS,
    VERDICT_LABELS,
    Applicant,
    BundleInfo,
    DocType,
    DocumentPart,
    DocumentReport,
    Doubt,
    Evidence,
    FieldValue,
    Finding,
    Report,
    Seal,
    Severity,
    Verdict,
)
from models.source import Source

__all__ = [
    "DOC_TYPE_LABELS",
    "VERDICT_LABELS",
    "Applicant",
    "BBox",
    "BatchRow",
    "BundleInfo",
    "Cell",
    "DocType",
    "DocumentPart",
    "DocumentReport",
    "Doubt",
    "Evidence",
    "FieldValue",
    "Finding",
    "GoldBundle",
    "GoldDocument",
    "GoldFinding",
    "GoldSeal",
    "Line",
    "MailAttachment",
    "MailInfo",
    "Page",
    "PageSeal",
    "ParsedDocument",
    "Report",
    "Seal",
    "Severity",
    "Source",
    "Table",
    "TextSource",
    "Verdict",
    "Word",
]
