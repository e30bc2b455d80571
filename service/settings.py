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
    # where jobs run (the runner seam: service/runners): `local` worker processes started by `precheck
    # serve`, or `celery` workers on any machine (`precheck worker`) fed through a Redis broker
    queue: Literal["local", "celery"] = "local"
    broker_url: str | None = None  # redis://host:6379/0 (celery; also carries job progress to the pages)
    workers: int = Field(default=1, ge=0, le=64)  # check processes `precheck serve` starts (0: API only)
    # where originals, pages, reports and the OCR cache live: the data folder (default; a path every
    # machine mounts), or s3://bucket/prefix on S3-compatible storage (PRECHECK_S3_ENDPOINT_URL for others)
    storage_url: str | None = None
    s3_endpoint_url: str | None = None

    # jobs
    job_lease_s: int = Field(default=60, ge=3)  # a running job's worker renews this often × 3
    job_max_attempts: int = Field(default=3, ge=1, le=10)
    job_time_limit_s: int = Field(default=1800, ge=10)  # a check still running after this fails with the reason

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
        if self.queue == "celery" and not (self.broker_url or "").startswith(("redis://", "rediss://")):
            raise ValueError("PRECHECK_QUEUE=celery 需要 PRECHECK_BROKER_URL=redis://…（Redis 作为消息代理）")
        if self.queue == "celery" and self.db_url.startswith("sqlite") and self.env == "production":
            raise ValueError("多台机器（PRECHECK_QUEUE=celery）的生产环境需要 Postgres：PRECHECK_DATABASE_URL=postgresql+psycopg://…")
        if self.storage_url is not None and not self.storage_url.startswith(("s3://", "/", "file://")):
            raise ValueError(f"不支持的存储：{self.storage_url}（支持本地路径、file://、s3://桶/前缀）")
        return self

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'precheck.db'}"

    @property
    def files_dir(self) -> Path:
        """The folder of originals, reports, pages and the OCR cache: the storage path when one is given
        (a mount every machine shares), else the data folder. With s3:// it holds this machine's copies."""
        url = self.storage_url or ""
        if url.startswith("file://"):
            return Path(url.removeprefix("file://"))
        if url.startswith("/"):
            return Path(url)
        return self.data_dir

    @property
    def blob_dir(self) -> Path:
        return self.files_dir / "blobs"

    @property
    def report_dir(self) -> Path:
        return self.files_dir / "reports"

    @property
    def page_dir(self) -> Path:
        return self.files_dir / "pages"

    @property
    def ocr_cache_dir(self) -> Path:
        return self.files_dir / "ocr-cache"

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
