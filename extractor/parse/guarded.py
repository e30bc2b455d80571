"""Each file parsed in a worker process under a deadline and a memory cap.

A file can loop (a PDF whose resources refer to each other, a content stream of a million operators)
or inflate (a 1 MB stream that unpacks to gigabytes, a .docx part of 3 GB). Neither may stop the
bundle: the parse of one file runs in a worker process that the caller watches — past the deadline
(`file_timeout_s`) or over the memory cap (`file_memory_mb`, the worker's resident memory, polled;
the address space is bounded above that as a backstop) the worker is killed, the file is listed with
its Chinese error (解析超时 / 内容展开后超过内存上限), and a fresh worker takes the next file.

One worker serves one process and lives across bundles, so the OCR engine it loads is loaded once
(RapidOCR sessions are never shared across threads: calls are serialised by a lock). It is forked
from its caller when the caller is single-threaded and has no OCR runtime loaded, else started by a
fork server (a clean process); it ignores Ctrl-C (the caller decides and kills it) and exits when its
caller goes away.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing as mp
import resource
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from extractor.logs import configure as configure_logging
from extractor.ocr.reader import PageReader
from extractor.parse import failed_document, parse_source
from extractor.parse.base import ParseContext
from extractor.parse.sniff import UNKNOWN, sniff_media_type
from extractor.proctree import resident_mb
from extractor.settings import Settings
from extractor.units import format_size
from models import ParsedDocument, Source

log = logging.getLogger(__name__)

POLL_S = 0.02  # how often the worker's answer, life and memory are looked at
# the cap is for a whole check: the worker's share leaves this much for the caller (the CLI holds about
# 150 MB), the fork server (50 MB) and what a worker inflating at ~1 GB/s adds between two looks
HEADROOM_MB = 256
ADDRESS_SPACE_HEADROOM_MB = 3072  # virtual memory beyond the resident cap (OCR runtimes reserve much)


@dataclass
class Parsed:
    doc: ParsedDocument
    counters: dict[str, int] = field(default_factory=dict)
    pages_recognised: int = 0


def timeout_message(seconds: int) -> str:
    return f"解析超时（超过 {seconds} 秒），已停止处理该文件，同一申报的其他文件照常检查"


def memory_message(megabytes: int) -> str:
    return f"内容展开后超过内存上限（{format_size(megabytes * 1024 * 1024)}），已停止处理该文件"


def crash_message(exitcode: int | None) -> str:
    how = f"信号 {-exitcode}" if exitcode is not None and exitcode < 0 else f"退出码 {exitcode}"
    return f"解析进程意外退出（{how}），已停止处理该文件"


def _serve(conn: Connection, settings: Settings, log_level: int) -> None:
    """The worker: parse what comes down the pipe until it closes. It logs as its caller does (names
    and counts only, to the same stderr)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure_logging(log_level)
    limit = (settings.file_memory_mb + ADDRESS_SPACE_HEADROOM_MB) * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit already: keep it
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    ctx = ParseContext(settings=settings, reader=PageReader(settings))
    while True:
        try:
            source = conn.recv()
        except (EOFError, OSError):
            return
        if source is None:
            return
        try:
            conn.send(parse_counted(source, ctx))
        except (BrokenPipeError, ConnectionResetError):
            return  # the process that asked is gone (killed): nobody to answer


def parse_counted(source: Source, ctx: ParseContext) -> Parsed:
    """One file parsed here, with what it added to the context's counters and OCR page count."""
    counters = dict(ctx.counters)
    pages = ctx.reader.pages_recognised
    doc = parse_source(source, ctx)
    delta = {k: v - counters.get(k, 0) for k, v in ctx.counters.items() if v != counters.get(k, 0)}
    return Parsed(doc, delta, ctx.reader.pages_recognised - pages)


def _context() -> Any:
    """Fork directly when this process is single-threaded and holds no OCR runtime (the CLI, batch
    workers: OCR only ever runs in the worker) — the worker then starts in milliseconds with the
    parsers already imported; else (a test process or a service that loaded onnxruntime, whose threads
    a fork would copy mid-lock) through a fork server, a clean process."""
    if threading.active_count() == 1 and "onnxruntime" not in sys.modules:
        return mp.get_context("fork")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["extractor.parse.guarded"])
    return ctx


class _Worker:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.conn, child = mp.Pipe()
        level = logging.getLogger().getEffectiveLevel()
        self.process = _context().Process(target=_serve, args=(child, settings, level), daemon=True,
                                          name="precheck-parse")
        self.process.start()
        child.close()

    def stop(self, kill: bool = False) -> None:
        if self.process.is_alive() and not kill:
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        self.conn.close()


def _failed(source: Source, message: str) -> ParsedDocument:
    try:
        media_type = sniff_media_type(Path(source.location))
    except OSError:
        media_type = UNKNOWN
    return failed_document(source, media_type, message)


class GuardedParser:
    """parse(source) under the settings' deadline and memory cap. Reused across bundles; closed at exit."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._worker: _Worker | None = None
        self._lock = threading.Lock()

    def parse(self, source: Source) -> Parsed:
        with self._lock:
            return self._parse(source)

    def _parse(self, source: Source) -> Parsed:
        if self._worker is None or not self._worker.process.is_alive():
            self._worker = _Worker(self.settings)
        worker = self._worker
        deadline = time.monotonic() + self.settings.file_timeout_s
        allowed = self.settings.file_memory_mb - HEADROOM_MB  # the worker's share (with LibreOffice's)
        try:
            worker.conn.send(source)
            while True:
                if worker.conn.poll(POLL_S):
                    with contextlib.suppress(EOFError, OSError):  # a worker dying mid-answer: told below
                        answer: Parsed = worker.conn.recv()
                        return answer
                if not worker.process.is_alive():
                    worker.process.join(1)
                    return self._drop(source, crash_message(worker.process.exitcode), "crash")
                if time.monotonic() > deadline:
                    return self._drop(source, timeout_message(self.settings.file_timeout_s), "timeout")
                if resident_mb(worker.process.pid or 0) > allowed:
                    return self._drop(source, memory_message(self.settings.file_memory_mb), "memory")
        except BaseException:  # Ctrl-C, SIGTERM: the worker goes with the caller's run
            self.close(kill=True)
            raise

    def _drop(self, source: Source, message: str, why: str) -> Parsed:
        # names only: applicants' content never goes to the log (管理办法 第十九条)
        log.warning("%s: %s", source.path, message)
        self.close(kill=True)
        return Parsed(_failed(source, message), {f"files_stopped_{why}": 1})

    def close(self, kill: bool = False) -> None:
        if self._worker is not None:
            self._worker.stop(kill=kill)
            self._worker = None


_PARSERS: dict[str, GuardedParser] = {}
_PARSERS_LOCK = threading.Lock()


def guarded_parser(settings: Settings) -> GuardedParser:
    """The process's parser for these settings (one worker, kept warm across bundles)."""
    key = settings.model_dump_json()
    with _PARSERS_LOCK:
        parser = _PARSERS.get(key)
        if parser is None:
            for other in _PARSERS.values():  # one warm worker per process: other settings' go
                other.close()
            _PARSERS.clear()
            parser = _PARSERS[key] = GuardedParser(settings)
        return parser


@atexit.register
def _close_all() -> None:
    for parser in list(_PARSERS.values()):
        parser.close()
    _PARSERS.clear()
