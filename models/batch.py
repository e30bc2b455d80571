"""One bundle's line in a batch summary (`precheck batch`)."""

from typing import Literal

from pydantic import BaseModel, Field


class BatchRow(BaseModel):
    label: str  # the application (申报编号+申报单位全称) or the bundle's file name
    status: Literal["done", "skipped", "failed"]  # skipped: already checked by an earlier run
    bundle_id: str | None = None
    report: str | None = None  # path of its report.json
    error: str | None = None  # why it failed (Chinese)
    seconds: float = 0.0
    pages: int = 0
    documents: int = 0
    unreadable: int = 0
    verdict: str | None = None
    company_name: str | None = None
    credit_code: str | None = None
    counts: dict[str, int] = Field(default_factory=dict)  # findings by severity
    mails: list[dict[str, object]] = Field(default_factory=list)  # the report's bundle.mails
    key_values: dict[str, str] = Field(default_factory=dict)  # what a reviewer scans first (summary columns)
    rules: list[str] = Field(default_factory=list)  # the rules of its error and warning findings
