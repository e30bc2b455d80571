"""Every file handed in appears in the report, whatever happens to it, and no single file — its name,
its kind, its content — stops the report from being written; logs show names escaped."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document

from extractor.intake import open_bundle
from extractor.intake.expand import EMPTY_ARCHIVE
from extractor.logs import EscapingFormatter, escape_controls
from extractor.settings import Settings


def _good(folder: Path, name: str = "承诺书.docx", company: str = "洛阳博威有色金属有限责任公司") -> Path:
    doc = Document()
    doc.add_paragraph("承诺书")
    doc.add_paragraph(f"申报单位（盖章）：{company}")
    path = folder / name
    doc.save(str(path))
    return path


def _listed(folder: Path) -> dict[str, str | None]:
    with open_bundle(folder, Settings()) as intake:
        return {s.path: s.error for s in intake.sources}


def test_a_name_that_is_not_utf8_is_decoded_and_listed_not_fatal(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/\xb9\xab\xcb\xbe\xd3\xaa\xd2\xb5\xd6\xb4\xd5\xd5.txt"  # 公司营业执照 in GBK
    fd = os.open(raw, os.O_CREAT | os.O_WRONLY)
    os.write(fd, "说明".encode())
    os.close(fd)
    _good(tmp_path)
    listed = _listed(tmp_path)
    assert listed == {"公司营业执照.txt": None, "承诺书.docx": None}


def test_what_is_not_a_regular_file_is_listed_with_why(tmp_path: Path) -> None:
    _good(tmp_path)
    os.mkfifo(tmp_path / "管道.pdf")
    os.symlink("/nonexistent/x.pdf", tmp_path / "失效.pdf")
    outside = _good(tmp_path.parent, "外部.docx", "外部秘密有限公司")
    os.symlink(outside, tmp_path / "外部链接.docx")
    listed = _listed(tmp_path)
    assert listed == {
        "承诺书.docx": None,
        "管道.pdf": "不是普通文件（命名管道（FIFO）），未读取",
        "失效.pdf": "失效的符号链接，未读取",
        "外部链接.docx": "符号链接指向申报包以外，未读取",
    }


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for info, data in members:
            zf.writestr(info, data)
    return buf.getvalue()


def test_archives_that_would_leave_nothing_are_listed_themselves(tmp_path: Path) -> None:
    (tmp_path / "空.zip").write_bytes(_zip([]))
    (tmp_path / "系统文件.zip").write_bytes(_zip([("__MACOSX/._a.pdf", b"x"), ("~$临时.docx", b"y"), ("目录/", b"")]))
    (tmp_path / "坏.rar").write_bytes(b"Rar!\x1a\x07\x00" + b"junk" * 20)
    (tmp_path / "坏5.rar").write_bytes(b"Rar!\x1a\x07\x01\x00" + b"junk" * 20)
    (tmp_path / "坏.7z").write_bytes(b"7z\xbc\xaf\x27\x1c" + b"junk" * 20)
    listed = _listed(tmp_path)
    assert listed["空.zip"] == listed["系统文件.zip"] == EMPTY_ARCHIVE
    assert listed["坏.rar"] == listed["坏5.rar"] == "压缩包已损坏或为空（未找到任何文件记录）"
    assert listed["坏.7z"] == "压缩包损坏或格式不受支持"  # libarchive's message without its pointer tail
    assert len(listed) == 5


def test_a_member_without_a_name_is_listed_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "申报.zip").write_bytes(_zip([(zipfile.ZipInfo(""), b"%PDF-1.4"), ("说明.txt", "说明".encode())]))
    assert _listed(tmp_path) == {"申报.zip!/未命名": "压缩包成员没有文件名，未解包", "申报.zip!/说明.txt": None}


def test_names_in_logs_are_escaped_so_no_line_can_be_forged() -> None:
    assert escape_controls("a\x1b[31mred\nINFO forged") == "a\\x1b[31mred\\nINFO forged"
    record = logging.LogRecord("extractor.pipeline", logging.INFO, __file__, 1, "%s: ok", ("x\ny.pdf",), None)
    line = EscapingFormatter("%(levelname)s %(name)s: %(message)s").format(record)
    assert line == "INFO extractor.pipeline: x\\ny.pdf: ok" and "\n" not in line


def test_batch_never_follows_a_link_out_of_its_inbox_and_lists_what_it_skips(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _good(inbox, "good.docx")
    secret = _good(tmp_path, "secret.docx", "外部秘密有限公司")
    os.symlink(secret, inbox / "link.docx")
    os.mkfifo(inbox / "pipe.zip")
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "extractor.cli", "batch", str(inbox), "--profile", "generic",
                           "--out", str(out)], capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PRECHECK_CACHE_DIR=str(tmp_path / "cache")))
    assert done.returncode in (0, 1), done.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    rows = {a["application"]: (a["status"], a["error"]) for a in manifest["applications"]}
    assert rows == {"good.docx": ("done", None), "link.docx": ("failed", "符号链接指向收件箱以外，未读取"),
                    "pipe.zip": ("failed", "不是普通文件（命名管道（FIFO）），未读取")}
    written = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*.json"))
    assert "外部秘密" not in written


def _check_docs(folder: Path) -> dict[str, list[str]]:
    from extractor.pipeline import check

    report = check(folder, Settings(cache_dir=folder.parent / "cache"))
    return {d.path: d.errors for d in report.documents}


def test_files_that_open_but_are_damaged_say_so(tmp_path: Path) -> None:
    """A PDF whose page tree is gone is not "0 pages, fine"; a .docx that lost its main part is a
    damaged Word file, not a ZIP of XML files; a TIFF of 2,000 frames is refused before any is decoded."""
    from PIL import Image

    from tests.test_guarded import _pdf

    folder = tmp_path / "申报包"
    folder.mkdir()
    no_pages = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    (folder / "无页.pdf").write_bytes(_pdf(no_pages))
    word = io.BytesIO()
    _good(tmp_path)
    with zipfile.ZipFile(tmp_path / "承诺书.docx") as whole, zipfile.ZipFile(word, "w") as damaged:
        for info in whole.infolist():
            if info.filename != "word/document.xml":
                damaged.writestr(info, whole.read(info))
    (folder / "缺正文.docx").write_bytes(word.getvalue())
    frames = [Image.new("L", (16, 16), i % 250) for i in range(2000)]
    frames[0].save(folder / "扫描.tif", save_all=True, append_images=frames[1:])
    _good(folder)
    errors = _check_docs(folder)
    assert errors == {
        "无页.pdf": ["PDF 中找不到任何页面（交叉引用表或页面目录已损坏），无法读取"],
        "缺正文.docx": ["Word 文件缺少正文部分（word/document.xml），文件已损坏"],
        "扫描.tif": ["图片帧数过多（2000 帧，上限 500 帧），拒绝解码"],
        "承诺书.docx": [],
    }


def test_a_sheet_merging_the_whole_grid_is_refused_before_it_is_loaded(tmp_path: Path) -> None:
    """openpyxl makes an object per merged cell: A1:XFD1048576 would take minutes and gigabytes."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = "统计表"
    book.active.merge_cells("A1:B2")
    plain = io.BytesIO()
    book.save(plain)
    hostile = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(hostile, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'ref="A1:B2"', b'ref="A1:XFD1048576"')
            dst.writestr(info, data)
    folder = tmp_path / "申报包"
    folder.mkdir()
    (folder / "统计表.xlsx").write_bytes(hostile.getvalue())
    errors = _check_docs(folder)  # refused from the XML, before openpyxl would load the range
    assert errors == {"统计表.xlsx": ["工作表合并区域过大（sheet1.xml：17179869184 个单元格），拒绝解析"]}
