"""The report contract `precheck.report/1` (see shared/contracts/report.schema.json)."""

from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from models.document import TextSource
from models.geometry import BBox
from models.mail import MailInfo
from models.ring import RingProbs

REPORT_SCHEMA: Literal["precheck.report/1"] = "precheck.report/1"


class DocType(StrEnum):
    APPLICATION_FORM = "application_form"
    RECOMMENDATION_FORM = "recommendation_form"
    COMMITMENT_LETTER = "commitment_letter"
    BUSINESS_LICENSE = "business_license"
    QMS_CERTIFICATE = "qms_certificate"
    EMS_CERTIFICATE = "ems_certificate"
    OHSMS_CERTIFICATE = "ohsms_certificate"
    LAB_ACCREDITATION = "lab_accreditation"
    TEST_REPORT = "test_report"
    SATISFACTION_REPORT = "satisfaction_report"
    PATENT_CERTIFICATE = "patent_certificate"
    STATISTICS_FORM = "statistics_form"
    SUMMARY_REPORT = "summary_report"
    OTHER = "other"


# What reviewers call each document type and verdict (report pages, summaries, messages).
DOC_TYPE_LABELS: dict[DocType, str] = {
    DocType.APPLICATION_FORM: "申报书/申报表", DocType.RECOMMENDATION_FORM: "推荐表",
    DocType.COMMITMENT_LETTER: "承诺书", DocType.BUSINESS_LICENSE: "营业执照",
    DocType.QMS_CERTIFICATE: "质量管理体系认证证书", DocType.EMS_CERTIFICATE: "环境管理体系认证证书",
    DocType.OHSMS_CERTIFICATE: "职业健康安全管理体系认证证书", DocType.LAB_ACCREDITATION: "CNAS 实验室认可证书",
    DocType.TEST_REPORT: "检验检测报告", DocType.SATISFACTION_REPORT: "用户满意度测评报告",
    DocType.PATENT_CERTIFICATE: "专利证书", DocType.STATISTICS_FORM: "统计表/汇总表",
    DocType.SUMMARY_REPORT: "总结/经验材料", DocType.OTHER: "其他",
}


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NEEDS_REVIEW = "needs_review"


VERDICT_LABELS: dict[Verdict, str] = {Verdict.PASS: "通过", Verdict.FAIL: "不通过", Verdict.NEEDS_REVIEW: "需人工复核"}


class Evidence(BaseModel):
    path: str
    page: int | None = Field(default=None, ge=1)
    bbox: BBox | None = None
    text: str = ""


class Doubt(StrEnum):
    """Why a value may be wrong: what the rules read instead of a confidence threshold."""

    OCR_DISAGREES = "ocr_disagrees"  # another reading of the same field says something else
    OCR_UNSURE = "ocr_unsure"  # the recogniser was unsure of the characters
    WEAK_LABEL = "weak_label"  # found only after a label matched loosely (a character lost by OCR)
    INFERRED = "inferred"  # found only without a label: by its role, its seal, or its shape
    IMPLAUSIBLE = "implausible"  # a value of the wrong shape or range (a cut code, a score under 40)
    NEAR_APPLICANT = "near_applicant"  # a character or two from the applicant's settled name or code


class FieldValue(BaseModel):
    value: Any
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: list[Evidence] = Field(default_factory=list)
    doubt: list[Doubt] = Field(default_factory=list)  # extension: why the value may be wrong (none: sure)


class Seal(BaseModel):
    page: int = Field(ge=1)
    bbox: BBox
    text: str | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    # extensions
    text_confidence: float | None = Field(default=None, ge=0.0, le=1.0)  # of the ring reading
    shape: str | None = None  # round | oval | square
    colour: str | None = None  # red | blue
    centre_text: str | None = None  # 检验检测专用章, 合同专用章 …
    code: str | None = None  # 印章编码 on the lower arc
    kind: str | None = None  # official (公章) | special_purpose (专用章) | personal (名章) | unknown
    anchor: str | None = None  # the 盖章 / 公章 / signature / date line it sits on or beside
    cut: bool = False  # cut by the page edge
    # how surely the ring says the name of the party that should have sealed the document (the CTC
    # probability of that name on the ring against the recogniser's own reading, extractor/ocr/ctc.py)
    match_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    ring: RingProbs | None = Field(default=None, exclude=True)  # kept to score names on; not reported


class Finding(BaseModel):
    rule: str
    severity: Severity
    message: str
    documents: list[str] = Field(default_factory=list)
    field: str | None = None
    expected: Any = None
    actual: Any = None
    evidence: list[Evidence] = Field(default_factory=list)


class Applicant(BaseModel):
    company_name: str | None = None
    credit_code: str | None = None


class BundleInfo(BaseModel):
    id: str = Field(min_length=1)
    source: str
    profile: str
    as_of: date
    applicant: Applicant = Field(default_factory=Applicant)
    mails: list[MailInfo] = Field(default_factory=list)  # extension: subject, sender, date of each mail

    @field_serializer("as_of")
    def _iso(self, v: date) -> str:
        return v.isoformat()


class DocumentPart(BaseModel):
    """Extension: one of several documents inside a file (pages inclusive, 1-based)."""

    pages: tuple[int, int]
    doc_type: DocType
    fields: dict[str, FieldValue] = Field(default_factory=dict)


class DocumentReport(BaseModel):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    media_type: str
    pages: int | None = Field(default=None, ge=0)
    text_source: TextSource | None = None
    doc_type: DocType = DocType.OTHER
    fields: dict[str, FieldValue] = Field(default_factory=dict)
    seals: list[Seal] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    origin: str | None = None  # extension: the archive or mail the file was unpacked from
    parts: list[DocumentPart] = Field(default_factory=list)  # extension: several documents in one file
    # extension: precheck itself failed on this file (a bug, logged with its traceback): the file is
    # not known to be bad, it was not checked
    internal_error: str | None = None


class Report(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["precheck.report/1"] = Field(default=REPORT_SCHEMA, alias="schema")
    bundle: BundleInfo
    documents: list[DocumentReport] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    verdict: Verdict

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)
