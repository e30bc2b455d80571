"""`precheck serve` as a real process on a free port, for the live tests and the service benchmark:
a data folder set up through the CLI (campaigns, users and their API tokens), the server started and
waited for (`/healthz`), stopped with SIGTERM (then killed), and its log (the server's and its
workers' output) kept in one file."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "gold" / "bundles"
HOME_OCR_CACHE = Path.home() / ".cache" / "precheck"
SEED_CACHE_MAX_MB = 200  # a bigger home cache is not copied (the tests then run cold, only slower)


def precheck_command() -> list[str]:
    """The `precheck` console script of this interpreter's environment (else the module behind it)."""
    script = Path(sys.executable).with_name("precheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "service.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / (1024 * 1024)


def seed_ocr_cache(data_dir: Path, source: Path = HOME_OCR_CACHE) -> bool:
    """Copies (never links: deleting a bundle purges its entries) a small OCR cache into the service's
    data folder, so gold bundles already read on this machine are not OCR'd again."""
    target = data_dir / "ocr-cache"
    if not source.is_dir() or target.exists() or folder_mb(source) > SEED_CACHE_MAX_MB:
        return False
    shutil.copytree(source, target)
    return True


def proc_stats() -> Iterator[tuple[int, list[str]]]:
    """Every process now, with the fields of its /proc stat after the name (0 = state, 1 = parent
    pid, 2 = process group, 11-14 = user, system, children's user and system CPU ticks)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        yield int(entry.name), stat[stat.rindex(")") + 2 :].split()


def _processes(field: int, value: int) -> list[int]:
    """The live (not zombie) processes whose /proc stat field `field` (after the name: 1 = parent pid,
    2 = process group) is `value`."""
    return [pid for pid, fields in proc_stats() if int(fields[field]) == value and fields[0] != "Z"]


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid` (from /proc)."""
    return _processes(1, pid)


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (the server started in its own session: the server, its
    workers and whatever they started)."""
    return _processes(2, pgid)


F = TypeVar("F", bound=Callable[..., Any])


def shows_server_log(fixture: str) -> Callable[[F], F]:
    """On failure, the log of the server behind the test's fixture `fixture` (an object with a
    `.server` LiveServer) is printed with the test's output, its workers' tracebacks included."""

    def decorate(test: F) -> F:
        @functools.wraps(test)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return test(*args, **kwargs)
            except BaseException:
                server = getattr(kwargs.get(fixture), "server", None)
                if isinstance(server, LiveServer):
                    print(f"----- server log ({server.log_path}) -----\n{server.log()}")
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


class LiveServer:
    def __init__(self, data_dir: Path, log_path: Path, workers: int = 2, lease_s: int = 6,
                 port: int | None = None, extra_env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.log_path = log_path
        self.workers = workers
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PRECHECK_DATA_DIR": str(data_dir), "PRECHECK_JOB_LEASE_S": str(lease_s),
                    **(extra_env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    # the data folder, through the CLI
    def cli(self, *args: str) -> str:
        done = subprocess.run([*precheck_command(), *args], env=self.env, cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"precheck {' '.join(args)} → {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def add_campaign(self, name: str, profile: str, as_of: str | None = None) -> None:
        self.cli("campaigns", "add", name, "--profile", profile, *(["--as-of", as_of] if as_of else []))

    def add_user(self, name: str, role: str, campaigns: Sequence[str] = ()) -> str:
        """The new user's API token (the last line the CLI prints)."""
        args = ["users", "add", name, "--role", role]
        for campaign in campaigns:
            args += ["--campaign", campaign]
        return self.cli(*args).strip().splitlines()[-1].strip()

    # the server
    def start(self, timeout: float = 90.0) -> None:
        assert self.process is None or self.process.poll() is not None, "already running"
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"\n===== start {self.starts}: port {self.port}, {self.workers} workers =====\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                [*precheck_command(), "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"precheck serve ended ({self.process.returncode}) at start:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"precheck serve did not answer /healthz within {timeout:.0f} s:\n{self.log()}")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def worker_pids(self) -> list[int]:
        """The server's live child processes (its check workers)."""
        return children(self.pid) if self.process is not None and self.process.poll() is None else []

    def stop(self, timeout: float = 30.0, linger: float = 10.0) -> tuple[int | None, list[int]]:
        """SIGTERM, then SIGKILL after `timeout`. Returns the exit code (None: had to be killed) and the
        processes of its group still alive `linger` s after it ended (they are killed, one by one)."""
        if self.process is None:
            return None, []
        process, code = self.process, self.process.poll()
        if code is None:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                code = None
        deadline = time.monotonic() + linger
        left = group_members(process.pid)
        while left and time.monotonic() < deadline:
            time.sleep(0.2)
            left = group_members(process.pid)
        for pid in left:  # what the server left behind: only ever processes of the group we started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return code, left

    def log(self, tail: int = 20000) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no server log)"
        return text[-tail:]
