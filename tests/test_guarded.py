"""A file that loops or inflates is stopped, listed with its error, and the rest of the bundle is
checked; Ctrl-C and SIGTERM stop a run within seconds and leave no unpacked files behind; what a
killed run left is removed by the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

from docx import Document

from extractor.pipeline import check
from extractor.settings import Settings
from extractor.units import format_size
from extractor.workdir import folder_prefix, sweep_stale


def _pdf(objects: list[bytes]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _one_page(stream: bytes, extra: bytes = b"") -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
                 b"<< /Length %d %s>>\nstream\n" % (len(stream), extra) + stream + b"\nendstream"])


def slow_pdf(operators: int = 300_000) -> bytes:
    """A content stream of a few hundred thousand q/Q operators: seconds to minutes of parsing."""
    return _one_page(b"q " * operators + b"Q " * operators)


def inflating_pdf(megabytes: int = 1536) -> bytes:
    """1.5 MB on disk, a stream that inflates to 1.5 GB."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    data = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    return _one_page(data, b"/Filter /FlateDecode ")


def _bundle(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "申报包"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    doc = Document()
    doc.add_paragraph("承诺书")
    doc.add_paragraph("申报单位（盖章）：洛阳博威有色金属有限责任公司")
    doc.save(str(folder / "承诺书.docx"))
    return folder


def _by_name(report_docs: list) -> dict:  # type: ignore[type-arg]
    return {d.path.rsplit("/", 1)[-1]: d for d in report_docs}


def test_a_file_parsed_past_its_deadline_is_stopped_listed_and_the_rest_checked(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", file_timeout_s=5)
    report = check(_bundle(tmp_path, "循环.pdf", slow_pdf(1_000_000)), settings)
    docs = _by_name(report.documents)
    assert docs["循环.pdf"].errors == ["解析超时（超过 5 秒），已停止处理该文件，同一申报的其他文件照常检查"]
    assert docs["承诺书.docx"].doc_type == "commitment_letter"
    assert [f.rule for f in report.findings if f.documents == [docs["循环.pdf"].path]] == ["file_unreadable"]


def test_a_file_that_inflates_past_the_memory_cap_is_stopped_listed_and_the_rest_checked(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", file_memory_mb=1024)
    report = check(_bundle(tmp_path, "膨胀.pdf", inflating_pdf()), settings)
    docs = _by_name(report.documents)
    assert docs["膨胀.pdf"].errors == ["内容展开后超过内存上限（1.0 GB），已停止处理该文件"]
    assert docs["承诺书.docx"].doc_type == "commitment_letter"


def test_after_a_stopped_file_a_fresh_worker_reads_the_next_bundle(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", file_timeout_s=5)
    check(_bundle(tmp_path / "a", "循环.pdf", slow_pdf(1_000_000)), settings)
    again = check(_bundle(tmp_path / "b", "空白.pdf", _one_page(b"BT ET")), settings)
    assert all(not d.errors for d in again.documents)


def test_sizes_in_messages_use_units_that_make_sense() -> None:
    assert format_size(512) == "512 B"
    assert format_size(300 * 1024) == "300 KB"
    assert format_size(1536 * 1024) == "1.5 MB"
    assert format_size(700 * 1024 * 1024) == "700 MB"
    assert format_size(2 * 1024**3) == "2.0 GB"


def _temp_dirs(pid: int) -> list[Path]:
    import tempfile

    return [p for p in Path(tempfile.gettempdir()).glob(f"precheck-*{pid}-*")]


def test_sigterm_stops_a_run_within_seconds_and_removes_its_unpacked_files(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, "循环.pdf", slow_pdf(3_000_000))
    env = dict(os.environ, PRECHECK_CACHE_DIR=str(tmp_path / "cache"), PRECHECK_FILE_TIMEOUT_S="600")
    run = subprocess.Popen([sys.executable, "-m", "extractor.cli", "check", str(bundle), "--json",
                            str(tmp_path / "r.json")], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for _ in range(100):  # until it has unpacked the bundle and is parsing
        if _temp_dirs(run.pid):
            break
        time.sleep(0.1)
    time.sleep(1.0)
    assert _temp_dirs(run.pid), "the run never started"
    helpers = _descendants(run.pid)  # the fork server and the parse worker
    assert helpers, "no parse worker was started"
    run.send_signal(signal.SIGTERM)
    run.communicate(timeout=30)  # it stops (a parse of this file alone would run for minutes)
    assert run.returncode == 143
    assert _temp_dirs(run.pid) == []
    for _ in range(50):  # its parse worker and fork server go with it
        if not [p for p in helpers if _alive(p)]:
            break
        time.sleep(0.1)
    assert [p for p in helpers if _alive(p)] == []


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        for task in Path(f"/proc/{stack.pop()}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            stack += kids
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited


def test_a_killed_run_s_leftover_folder_is_removed_by_the_next_run(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()
    leftover = tmp_path / f"precheck-{dead}-abcd1234"
    (leftover / "unpacked").mkdir(parents=True)
    (leftover / "unpacked" / "营业执照.pdf").write_bytes(b"%PDF-1.4")
    mine = tmp_path / f"precheck-{os.getpid()}-live0000"
    mine.mkdir()
    removed = sweep_stale(tmp_path)
    assert removed == [leftover] and not leftover.exists() and mine.exists()


def test_every_kind_of_run_folder_a_killed_process_left_is_removed(tmp_path: Path) -> None:
    """The service's folders (a bundle's originals, its report, pages, an upload, a batch) and the
    office converter's are named so that the sweep knows them: a killed worker's never stay behind."""
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip())
    kinds = ["", "lo-", "bundle", "report", "pages", "upload", "batch"]
    left = [tmp_path / f"{folder_prefix(kind, dead)}x1y2z3" for kind in kinds]
    left.append(tmp_path / f"precheck-bundle{dead}-x1y2z3")  # as the service named them before
    mine = [tmp_path / f"{folder_prefix(kind, os.getpid())}x1y2z3" for kind in kinds]
    for folder in left + mine:
        folder.mkdir()
        (folder / "营业执照.pdf").write_bytes(b"%PDF-1.4")
    removed = sweep_stale(tmp_path)
    assert sorted(removed) == sorted(left) and all(folder.exists() for folder in mine)
