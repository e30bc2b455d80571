"""Settings of the service, from `PRECHECK_*` environment variables. Unsafe values are refused at start.

The embedded default needs nothing set: the database is SQLite and every file lives under one data
folder; the secret key that signs sessions is made once and kept in that folder (owner-only). With
`PRECHECK_ENV=production` the key must be given (`PRECHECK_SECRET_KEY`, 32+ characters) and cookies
are sent over HTTPS only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from extractor.settings import Settings


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "precheck"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PRECHECK_", env_file=None, extra="ignore")

    env: Literal["local", "development", "production"] = "local"
    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None  # default: SQLite at DATA_DIR/precheck.db
    secret_key: str | None = None
    queue: Literal["local"] = "local"  # where jobs run (the runner seam: service/runners)
    workers: int = Field(default=1, ge=0, le=64)  # check processes `precheck serve` starts (0: API only)

    # jobs
    job_lease_s: int = Field(default=60, ge=3)  # a running job's worker renews this often × 3
    job_max_attempts: int = Field(default=3, ge=1, le=10)

    # limits on what a client may send
    max_request_mb: int = Field(default=1024, ge=1)
    max_upload_files: int = Field(default=200, ge=1)
    uploads_per_minute: int = Field(default=30, ge=1)  # per user
    session_hours: int = Field(default=12, ge=1)

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> ServiceSettings:
        if self.env == "production" and (not self.secret_key or len(self.secret_key) < 32):
            raise ValueError("生产环境必须设置 PRECHECK_SECRET_KEY（至少 32 个字符）")
        if self.secret_key is not None and len(self.secret_key) < 32:
            raise ValueError("PRECHECK_SECRET_KEY 过短（至少 32 个字符）")
        if self.database_url is not None and not self.database_url.startswith(("sqlite", "postgresql")):
            raise ValueError(f"不支持的数据库：{self.database_url.split(':', 1)[0]}（支持 sqlite、postgresql）")
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'precheck.db'}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def report_dir(self) -> Path:
        return self.data_dir / "reports"

    @property
    def page_dir(self) -> Path:
        return self.data_dir / "pages"

    @property
    def ocr_cache_dir(self) -> Path:
        return self.data_dir / "ocr-cache"

    def pipeline(self) -> Settings:
        """The extractor's settings inside the service (its other `PRECHECK_*` variables apply as for
        the CLI): the OCR cache under the data folder, purged per bundle when a bundle is deleted."""
        return Settings(cache_dir=self.ocr_cache_dir)

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production"

    def signing_key(self) -> str:
        """The configured key, else (outside production) one made once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        if self.env == "production":  # refused at validation; kept for type narrowing
            raise ValueError("生产环境必须设置 PRECHECK_SECRET_KEY")
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.data_dir, prefix=".secret-")  # owner-only (0600)
            try:
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_urlsafe(48))
                    fh.flush()
                    os.fsync(fh.fileno())
                with contextlib.suppress(FileExistsError):  # another process of this service made it first
                    os.link(tmp, path)  # the key appears whole or not at all
            finally:
                os.unlink(tmp)
        key = path.read_text().strip()
        if len(key) < 32:
            raise ValueError(f"密钥文件 {path} 已损坏（过短）；删除它会使所有 API 令牌和会话失效")
        return key
