"""Nothing leaves the machine (管理办法 第十九条): a scanned, stamped page checked from the command line
attempts no network connection and no name lookup — the OCR runtime's telemetry included — and writes
nothing outside its cache, its temp folder and the report it was asked for.

The child runs under `strace -f` (every thread and process it starts), with its own empty HOME, and
inside a network namespace with no interfaces when the machine allows one (`unshare -rn`): the trace
shows every connect/sendto/sendmsg and every file opened for writing, whatever language made the call
(onnxruntime's uploader is C++, not Python's socket module). A control child that does try to connect
proves the trace would show it."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from gold.generator.seal import draw_seal, stamp
from tests import builders as b

INET_CALL = re.compile(r"\b(connect|sendto|sendmsg|sendmmsg)\(\d+, .*sa_family=AF_INET6?\b")
WRITE_OPEN = re.compile(r'\bopenat\(AT_FDCWD, "([^"]+)", [^)]*\b(O_WRONLY|O_RDWR|O_CREAT)\b')
MADE_DIR = re.compile(r'\bmkdir(?:at)?\((?:AT_FDCWD, )?"([^"]+)"')


def _strace() -> str:
    exe = shutil.which("strace")
    if exe is None:
        pytest.fail("strace is needed to prove no network use (Debian package strace; run .ci/install.sh)")
    return exe


def _traced(argv: list[str], tmp_path: Path, trace: Path, extra_env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (tmp_path / "tmp").mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(tmp_path / "tmp"),
        "PRECHECK_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
        **(extra_env or {}),
    }
    cmd = [_strace(), "-f", "-qq", "-s", "256", "-o", str(trace),
           "-e", "trace=connect,sendto,sendmsg,sendmmsg,openat,mkdir,mkdirat", *argv]
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode == 0:
        cmd = [unshare, "-rn", *cmd]  # no network interface at all, as on an air-gapped machine
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)


def _attempts(trace: Path) -> list[str]:
    return [line for line in trace.read_text(errors="replace").splitlines() if INET_CALL.search(line)]


def _written_outside(trace: Path, allowed: list[Path]) -> list[str]:
    roots = [str(p.resolve()) for p in allowed] + ["/dev/", "/proc/"]
    out = []
    for line in trace.read_text(errors="replace").splitlines():
        m = WRITE_OPEN.search(line) or MADE_DIR.search(line)
        if m is None or "= -1" in line:  # a failed open wrote nothing
            continue
        path = os.path.realpath(m.group(1))
        if not any(path == r.rstrip("/") or path.startswith(r.rstrip("/") + "/") for r in roots):
            out.append(line)
    return out


def test_the_trace_shows_a_connection_attempt_when_one_is_made(tmp_path: Path) -> None:
    trace = tmp_path / "control.trace"
    code = ("import socket\ns = socket.socket()\ns.settimeout(1)\n"
            "try:\n    s.connect(('192.0.2.1', 9))\nexcept OSError:\n    pass\n")
    _traced([sys.executable, "-c", code], tmp_path, trace)
    assert _attempts(trace), trace.read_text()[:2000]


@pytest.mark.parametrize("runtime", ["onnxruntime", pytest.param("openvino", marks=pytest.mark.skipif(
    importlib.util.find_spec("openvino") is None, reason="OpenVINO is not installed"))])
def test_a_scanned_check_makes_no_network_attempt_and_writes_only_its_cache_temp_and_report(
        tmp_path: Path, runtime: str) -> None:
    page = b.scanned_page(["承诺书", "本单位承诺所提交材料真实有效。", "申报单位（盖章）：洛阳博威有色金属有限责任公司",
                           "2024年8月31日"], 1654, 2339, 44)
    import random

    seal = draw_seal("洛阳博威有色金属有限责任公司", "", 320, (215, 30, 35), random.Random(1))
    scan = tmp_path / "in" / "承诺书（盖章扫描件）.png"
    scan.parent.mkdir()
    stamp(page, seal, (1100, 1500)).save(scan)
    Image.open(scan).verify()
    out = tmp_path / "out"
    out.mkdir()
    trace = tmp_path / "check.trace"

    done = _traced([sys.executable, "-m", "extractor.cli", "check", str(scan.parent), "--json", str(out / "r.json"),
                    "--html", str(out / "r.html")], tmp_path, trace, {"PRECHECK_OCR_RUNTIME": runtime})

    assert done.returncode == 0, done.stderr[-3000:]
    report = (out / "r.json").read_text(encoding="utf-8")
    assert "洛阳博威" in report  # the page was really recognised (OCR and the seal's ring ran)
    assert _attempts(trace) == []
    assert _written_outside(trace, [tmp_path / "cache", tmp_path / "tmp", out]) == []
    assert list((tmp_path / "home").rglob("*")) == []  # no device id, no telemetry store, nothing
