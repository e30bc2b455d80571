"""Gold annotation of one bundle, `precheck.gold/1` (shared/contracts/gold.schema.json)."""

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from models.report import Verdict

GOLD_SCHEMA: Literal["precheck.gold/1"] = "precheck.gold/1"


class GoldSeal(BaseModel):
    page: int
    text: str | None = None


class GoldDocument(BaseModel):
    path: str
    doc_type: str
    fields: dict[str, Any] = Field(default_factory=dict)
    seals: list[GoldSeal] = Field(default_factory=list)
    # Extension: the layout family the document was written in (gold/generator/families/), for slicing.
    family: str | None = None


class GoldFinding(BaseModel):
    rule: str
    documents: list[str] = Field(default_factory=list)


class GoldBundle(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    schema_: Literal["precheck.gold/1"] = Field(default=GOLD_SCHEMA, alias="schema")
    profile: str
    as_of: date
    documents: list[GoldDocument] = Field(default_factory=list)
    findings: list[GoldFinding] = Field(default_factory=list)
    verdict: Verdict
    # Extensions (allowed by the contract): what the bundle exercises, for slicing and subsets.
    tags: list[str] = Field(default_factory=list)
    notes: str | None = None
    # Where the bundle is when it is not `NAME` beside the annotation (real files kept elsewhere),
    # relative to the annotation's folder.
    bundle_path: str | None = None

    @field_serializer("as_of")
    def _iso(self, v: date) -> str:
        return v.isoformat()

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
