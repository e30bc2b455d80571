"""A file as intake found it: where it lives and what the bundle calls it."""

from pydantic import BaseModel, Field


class Source(BaseModel):
    """One file of a bundle.

    `path` is bundle-relative (archive members as `outer.zip!/inner/file.pdf`);
    `location` is where the bytes are on this machine. Intake fills both; nothing
    downstream writes to `location`.
    """

    path: str
    location: str
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")  # of the bytes; of the name alone when `error` is set
    origin: str | None = None  # e.g. the mail or archive it came from
    error: str | None = None  # intake could not deliver the file (encrypted member, limit, unsafe path)
