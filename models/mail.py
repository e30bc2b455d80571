"""Where a bundle's files came from when they arrived by mail (extension of the report contract)."""

from datetime import datetime

from pydantic import BaseModel, Field


class MailAttachment(BaseModel):
    name: str  # as the mail names it, decoded
    paths: list[str] = Field(default_factory=list)  # the bundle paths it became (more when it is an archive)


class MailInfo(BaseModel):
    """One mail of a bundle: an .eml or .msg given as the bundle, one found inside it, or one of the
    mails of an inbox that were grouped into this application."""

    path: str  # the bundle path the mail's attachments hang under (`X.eml`, `a.zip!/b.msg`)
    subject: str
    sender: str
    date: datetime | None = None
    message_id: str | None = None
    attachments: list[MailAttachment] = Field(default_factory=list)
