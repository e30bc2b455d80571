"""Where a bundle's files came from when they arrived by mail (extension of the report contract)."""

from datetime import datetime

from pydantic import BaseModel, Field


class MailInfo(BaseModel):
    """One mail of a bundle: an .eml or .msg given as the bundle, one found inside it, or one of the
    mails of an inbox that were grouped into this application."""

    path: str  # the bundle path the mail's attachments hang under (`X.eml`, `a.zip!/b.msg`)
    subject: str
    sender: str
    date: datetime | None = None
    message_id: str | None = None
    attachments: list[str] = Field(default_factory=list)  # bundle paths of the files it carried
