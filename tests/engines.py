"""Real Postgres and Redis servers for the tests, started here on loopback (never mocks): Debian's
`postgresql` and `redis-server` packages (installed by .ci/install.sh), each run as its own system user
when the tests run as root (initdb refuses root), in a temporary folder, on a free port, stopped after.

Outside CI a machine without them skips the tests that need them; in CI (`CI` set) a missing engine
fails, so that the scale-out tests can never pass by not running."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live_server import free_port

PG_BIN = Path("/usr/lib/postgresql")


def _missing(what: str) -> None:
    message = f"{what} is not installed (Debian: apt-get install postgresql redis-server; .ci/install.sh does)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _pg_bin() -> Path | None:
    versions = sorted((p for p in PG_BIN.glob("*/bin") if (p / "postgres").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


def _as(user: str) -> list[str]:
    """The command prefix that runs a server as its own system user when the tests run as root."""
    return ["runuser", "-u", user, "--"] if os.geteuid() == 0 else []


def _own(path: Path, user: str) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user, user)


@dataclass
class Postgres:
    folder: Path
    port: int
    bin: Path
    user: str

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://precheck@127.0.0.1:{self.port}/precheck"

    def new_database(self, name: str) -> str:
        """A fresh empty database on this server; its URL."""
        subprocess.run([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "precheck",
                        name], check=True, capture_output=True)
        return f"postgresql+psycopg://precheck@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run([*_as(self.user), str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                        "-w", "stop"], capture_output=True)


@contextlib.contextmanager
def postgres() -> Iterator[Postgres]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        _missing("PostgreSQL")
        raise AssertionError("unreachable")
    user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="precheck-pg-"))
    os.chmod(folder, 0o755)
    _own(folder, user)
    port = free_port()
    server = Postgres(folder, port, bin_dir, user)
    run = [*_as(user), str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", "precheck", "--auth=trust",
           "-E", "UTF8", "--locale=C.UTF-8"]
    subprocess.run(run, check=True, capture_output=True)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run([*_as(user), str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-o", options,
                    "-l", str(folder / "log"), "-w", "start"], check=True, capture_output=True)
    try:
        server.new_database("precheck")
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Redis:
    folder: Path
    port: int
    user: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Starts (or starts again after `stop`) the server on its port; as Debian runs it, it keeps
        its data in an append-only file, so what it held before a stop is there after a start."""
        command = [*_as(self.user), "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                   "--dir", str(self.folder), "--appendonly", "yes", "--save", "", "--protected-mode", "yes"]
        self.process = subprocess.Popen(command, stdout=(self.folder / "log").open("ab"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.ping():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server ended: {(self.folder / 'log').read_text()[-500:]}")
            time.sleep(0.05)
        raise RuntimeError("redis-server did not answer in 20 s")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def redis_server() -> Iterator[Redis]:
    if shutil.which("redis-server") is None:
        _missing("redis-server")
    user = "redis"
    folder = Path(tempfile.mkdtemp(prefix="precheck-redis-"))
    os.chmod(folder, 0o755)
    _own(folder, user)
    server = Redis(folder, free_port(), user)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
