"""Mutation fuzzer over precheck's intake, parsing and understanding: `extractor.pipeline.check`.

    python3 -m benchmarks.fuzz --inputs N [--seed S] [--workers W] [--report FILE]

`check` opens a bundle, parses each file and builds a report; it must never raise for a bad file, and
every file it is given must be listed in the report (with `errors` when unreadable). Each fuzz input is one
file, written under its seed's extension into an empty folder, and that folder is checked in-process with
`Settings(ocr_cache=False, isolate_files=False, file_timeout_s=30)`: no worker process per file (much
faster; the guard itself is tested elsewhere).

Findings:

- crash: an exception escaping `check`;
- hang: one input taking more than `HANG_SECONDS` of wall time (SIGALRM in the process running it; the
  alarm raises a BaseException so the parsers' `except Exception` safety nets cannot swallow it, but C code
  such as PDFium or libarchive is only interrupted when it returns to Python);
- lost file: `check` returned but the input file is not in the report, neither itself nor as members
  (`name!/…`).

These three make the run fail (exit 1); their inputs are saved as `tests/fuzz_crashes/<sha1>.<ext>`,
deduplicated by (kind, exception type, last frame in extractor/). Exceptions that a parser's safety net
caught (the file listed with `internal_error`, "precheck's own fault") are reported too, with their
tracebacks taken from the log, and saved under `tests/fuzz_crashes/internal/`, but do not fail the run.

Mutation engine: plain seeded `random.Random`, not Hypothesis (atheris is not installed). The target is
slow (milliseconds to a second per input) and not coverage-instrumented, so Hypothesis' strategies,
database and shrinking would only cost time; a seeded generator gives reproducible inputs at full
speed: input number i of a run with seed S is always drawn from `Random(f"{S}:{i}")`, whatever the number
of workers. The seeds are built in code, deterministically, from the repository: a .docx (python-docx,
a Chinese paragraph and a table), a text PDF (examples/mixed-bundle), a scanned PDF, PNG and JPEG pages
drawn with Pillow, a ZIP (docx + txt), a 7z (py7zr), a RAR 5 (gold/generator/rar.py), an EML and an
Outlook .msg (gold/generator/msg.py) with attachments, and an XLSX (openpyxl).

Mutators: bit flips, interesting bytes and integers (0x00, 0xff, 0x7f, 0x80, digits, 0xffff, 0x7fffffff),
chunk deletion, duplication and insertion, truncation, splicing with another seed, biased towards the
headers; structure-aware for ZIP-based files (docx, xlsx, zip): one member's bytes (mostly XML, with
XML-aware edits too) mutated and the package zipped again, so inputs get past the zip layer; and for the
containers (zip, 7z, rar, eml, msg): the container rebuilt around a mutated member, or a member renamed
to a hostile name.

OCR is replaced: `PageReader.recognise` returns an empty `OcrResult` for the decoded image (orientation,
seal finding and recognition skipped) and `PageReader.read_seals` renders the page, then returns no seals.
The fuzz target is the file parsers and intake, not the OCR engine, and real OCR costs seconds a page.
"""

import argparse
import contextlib
import email.policy
import hashlib
import io
import logging
import multiprocessing
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path
from types import FrameType
from unittest import mock

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractor.ocr.cache import SEAL_VERSION  # noqa: E402
from extractor.ocr.reader import PageReader  # noqa: E402
from extractor.ocr.types import OcrResult  # noqa: E402
from extractor.pipeline import check  # noqa: E402
from extractor.settings import Settings  # noqa: E402
from models import Report  # noqa: E402

CRASH_DIR = ROOT / "tests" / "fuzz_crashes"
INTERNAL_DIR = CRASH_DIR / "internal"
TEXT_PDF = ROOT / "examples" / "mixed-bundle" / "证实材料" / "营业执照.pdf"
HANG_SECONDS = 20
MAX_INPUT_BYTES = 150_000  # reproducers stay small (< 200 KB)
FILE_STEM = "申报材料"
FIXED_TIME = (2024, 1, 1, 8, 0, 0)
BEIJING = timezone(timedelta(hours=8))
SENT = datetime(2024, 5, 20, 9, 30, tzinfo=BEIJING)

LINES = ["承诺书", "本单位承诺所提交材料真实有效", "申报单位：洛阳某某铜业有限公司",
         "统一社会信用代码：91350100M000100Y43"]
CJK_FONTS = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
             Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")]


# ---------------------------------------------------------------------------------------------- seeds


@dataclass(frozen=True)
class Seed:
    """One starting file. Containers keep their members, so they can be rebuilt around a mutated one."""

    kind: str
    ext: str
    data: bytes
    members: tuple[tuple[str, bytes], ...] = ()


def _stable_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps (python-docx and openpyxl stamp the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def build_docx() -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.created = datetime(2024, 1, 1)
    doc.core_properties.modified = datetime(2024, 1, 1)
    doc.add_paragraph("全国有色金属产品质量品牌培育活动申报书")
    doc.add_picture(io.BytesIO(image_bytes("JPEG", quality=40)))  # an embedded scan: OCR'd (faked) when large
    doc.add_paragraph("申报单位：洛阳某某铜业有限公司。本单位承诺所提交材料真实有效。")
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in zip(
        table.rows, [("申报单位", "洛阳某某铜业有限公司"), ("统一社会信用代码", "91350100M000100Y43"),
                     ("产品名称", "铜板带")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = label, value
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())


def build_xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "产品清单"
    ws.append(["序号", "产品名称", "规格", "年产量（吨）"])
    ws.append([1, "铜板带", "0.5mm", 1200])
    ws.append([2, "铝型材", "6063", 800.5])
    ws.merge_cells("A5:D5")
    ws["A5"] = "申报单位：洛阳某某铜业有限公司"
    wb.properties.created = datetime(2024, 1, 1)
    wb.properties.modified = datetime(2024, 1, 1)
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def page_image() -> Image.Image:
    from PIL import ImageDraw, ImageFont

    img = Image.new("RGB", (300, 200), "white")
    draw = ImageDraw.Draw(img)
    fonts = [p for p in CJK_FONTS if p.is_file()]
    font = ImageFont.truetype(str(fonts[0]), 14) if fonts else ImageFont.load_default()
    for i, line in enumerate(LINES):
        draw.text((12, 20 + 30 * i), line, fill=(0, 0, 0), font=font)
    draw.ellipse((200, 110, 280, 190), outline=(220, 30, 30), width=4)  # something like a seal
    return img


def image_bytes(fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    page_image().save(buf, fmt, **options)
    return buf.getvalue()


def build_zip(members: tuple[tuple[str, bytes], ...]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.flag_bits |= 0x800  # UTF-8 names
            zf.writestr(info, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def build_7z(members: tuple[tuple[str, bytes], ...]) -> bytes:
    import py7zr
    from py7zr.helpers import ArchiveTimestamp

    fixed = classmethod(lambda cls: cls(133_485_408_000_000_000))  # 2024-01-01 UTC as FILETIME, not now
    out = io.BytesIO()
    with mock.patch.object(ArchiveTimestamp, "from_now", fixed), py7zr.SevenZipFile(out, "w") as archive:
        for name, data in members:
            archive.writestr(data, name)
    return out.getvalue()


def build_rar(members: tuple[tuple[str, bytes], ...]) -> bytes:
    from gold.generator.rar import RarMember, rar5

    return rar5([RarMember(name, data, name_encoding="unicode") for name, data in members])


def build_eml(members: tuple[tuple[str, bytes], ...]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "张三 <zhangsan@example.cn>"
    msg["To"] = "评审办 <ps@example.gov.cn>"
    msg["Subject"] = "关于报送2024年度质量奖申报材料的函"
    msg["Date"] = "Mon, 20 May 2024 09:30:00 +0800"
    msg["Message-ID"] = "<fuzz-seed@example.cn>"
    msg.set_content("您好：\n附件为申报材料，请查收。\n")
    for name, data in members:
        maintype, subtype = ("image", "png") if name.endswith(".png") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    msg.set_boundary("===============fuzz-seed==")
    return msg.as_bytes(policy=email.policy.SMTP)


def build_msg(members: tuple[tuple[str, bytes], ...]) -> bytes:
    from gold.generator.msg import MsgAttachment, msg_bytes

    attachments = [MsgAttachment(name, data) for name, data in members]
    return msg_bytes("关于报送申报材料的函", "张三", "zhangsan@example.cn", SENT, "您好：\r\n附件为申报材料，请查收。",
                     attachments, recipients=[("评审办", "ps@example.gov.cn")])


BUILDERS: dict[str, Callable[[tuple[tuple[str, bytes], ...]], bytes]] = {
    "zip": build_zip, "7z": build_7z, "rar": build_rar, "eml": build_eml, "msg": build_msg,
}
ZIP_KINDS = frozenset({"docx", "xlsx", "zip"})


def build_seeds() -> dict[str, Seed]:
    """Every seed, keyed by kind; the same bytes on every call."""
    docx = build_docx()
    txt = "申报材料清单\r\n1. 申报书\r\n2. 营业执照\r\n".encode("gb18030")
    png = image_bytes("PNG", optimize=0)
    jpg = image_bytes("JPEG", quality=60)
    pdf = TEXT_PDF.read_bytes()
    fixed = time.gmtime(1_704_067_200)
    scan = image_bytes("PDF", resolution=72, creationDate=fixed, modDate=fixed)
    containers = {
        "zip": (("申报书.docx", docx), ("附件/清单.txt", txt)),
        "7z": (("申报书.docx", docx), ("清单.txt", txt)),
        "rar": (("营业执照.pdf", pdf), ("附件/清单.txt", txt)),
        "eml": (("检验报告.png", png), ("清单.txt", txt)),
        "msg": (("营业执照.pdf", pdf), ("照片.jpg", jpg)),
    }
    seeds = [Seed("docx", "docx", docx), Seed("xlsx", "xlsx", build_xlsx()), Seed("pdf", "pdf", pdf),
             Seed("pdf_scan", "pdf", scan), Seed("png", "png", png), Seed("jpg", "jpg", jpg)]
    seeds += [Seed(kind, kind, BUILDERS[kind](members), members) for kind, members in containers.items()]
    return {s.kind: s for s in seeds}


# ------------------------------------------------------------------------------------------- mutators

INTERESTING_BYTES = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, 0x20, 0x0A, 0x3C, 0x3E, *range(0x30, 0x3A)]
INTERESTING_INTS = [0, 1, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000,
                    0xFFFFFFFF]
XML_VALUES = [b"-1", b"0", b"99999999", b"4294967296", b"1e308", b"NaN", b"", b"&amp;", b"\xe4\xb8\xad",
              b"A1:XFD1048576", b"../../../etc/passwd", b"x" * 300, b"&#0;", b"&#x110000;"]
HOSTILE_NAMES = ["../逃逸.txt", "/etc/passwd", "C:\\Windows\\x.txt", "a/../../b.docx", "", ".", "~$临时.docx",
                 "__MACOSX/._x.pdf", "名" * 120 + ".pdf", "con.txt", "a/b/c/d/e/f/g/h/深.docx", "空格 .pdf ",
                 "x.docx/", "申报书.docx", "\u202egnp.exe", "a\x01b.txt", "清单.TXT"]


def _pos(rng: random.Random, n: int) -> int:
    """A position in n bytes, biased towards the start where the headers are."""
    if n <= 1:
        return 0
    if rng.random() < 0.4:
        return rng.randrange(min(n, 512))
    return rng.randrange(n)


def _span(rng: random.Random, n: int) -> int:
    return max(1, min(n, int(rng.expovariate(1 / 32)) + 1 if rng.random() < 0.8 else rng.randrange(1, n + 1)))


def bit_flip(data: bytearray, rng: random.Random, _: bytes) -> None:
    for _i in range(rng.choice((1, 1, 2, 4, 8))):
        data[_pos(rng, len(data))] ^= 1 << rng.randrange(8)


def interesting_byte(data: bytearray, rng: random.Random, _: bytes) -> None:
    for _i in range(rng.choice((1, 1, 2, 3))):
        data[_pos(rng, len(data))] = rng.choice(INTERESTING_BYTES)


def interesting_int(data: bytearray, rng: random.Random, _: bytes) -> None:
    width = rng.choice((2, 4))
    at = _pos(rng, max(1, len(data) - width))
    value = rng.choice(INTERESTING_INTS) & ((1 << (8 * width)) - 1)
    data[at : at + width] = value.to_bytes(width, rng.choice(("little", "big")))


def delete_chunk(data: bytearray, rng: random.Random, _: bytes) -> None:
    at = _pos(rng, len(data))
    del data[at : at + _span(rng, len(data) - at)]


def duplicate_chunk(data: bytearray, rng: random.Random, _: bytes) -> None:
    at = _pos(rng, len(data))
    chunk = data[at : at + _span(rng, len(data) - at)]
    to = _pos(rng, len(data))
    data[to:to] = chunk * rng.choice((1, 1, 2, 16))


def insert_chunk(data: bytearray, rng: random.Random, other: bytes) -> None:
    size = _span(rng, 256)
    choice = rng.randrange(3)
    if choice == 0:
        chunk = bytes([rng.choice(INTERESTING_BYTES)]) * size
    elif choice == 1:
        chunk = rng.randbytes(size)
    else:
        at = rng.randrange(max(1, len(other)))
        chunk = other[at : at + size]
    to = _pos(rng, len(data))
    data[to:to] = chunk


def truncate(data: bytearray, rng: random.Random, _: bytes) -> None:
    del data[rng.randrange(len(data)) if rng.random() < 0.7 else _pos(rng, len(data)) :]


def splice(data: bytearray, rng: random.Random, other: bytes) -> None:
    cut, other_cut = rng.randrange(len(data) + 1), rng.randrange(len(other) + 1)
    data[cut:] = other[other_cut:]


ByteMutator = Callable[[bytearray, random.Random, bytes], None]
BYTE_MUTATORS: list[tuple[ByteMutator, int]] = [
    (bit_flip, 6), (interesting_byte, 5), (interesting_int, 3), (delete_chunk, 3), (duplicate_chunk, 2),
    (insert_chunk, 2), (truncate, 1), (splice, 1),
]


def mutate_bytes(data: bytes, rng: random.Random, other: bytes, rounds: int | None = None) -> bytes:
    """`data` after a few stacked byte mutations; `other` is another seed for splicing and insertion."""
    out = bytearray(data)
    rounds = rounds if rounds is not None else min(1 + int(rng.expovariate(0.7)), 8)
    mutators, weights = zip(*BYTE_MUTATORS, strict=True)
    for _i in range(rounds):
        if not out:
            out.extend(rng.randbytes(rng.randrange(1, 16)))
        rng.choices(mutators, weights)[0](out, rng, other)
    return bytes(out)


_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)[^<>]*?(?:/>|>.*?</\1>)", re.S)
_ATTR_VALUE = re.compile(rb'="([^"]*)"')
_TEXT = re.compile(rb">([^<>]+)<")


def mutate_xml(data: bytes, rng: random.Random, other: bytes) -> bytes:
    """An edit that keeps the XML mostly well formed: an attribute or text replaced, an element dropped
    or repeated; otherwise plain byte mutation."""
    choice = rng.randrange(5)
    pattern = _ATTR_VALUE if choice == 0 else _TEXT if choice == 1 else _TAG
    if choice < 4:
        matches = list(pattern.finditer(data[:200_000]))
        if matches:
            m = rng.choice(matches)
            if choice < 2:
                value = rng.choice(XML_VALUES) if rng.random() < 0.7 else mutate_bytes(m.group(1), rng, other, 1)
                return data[: m.start(1)] + value + data[m.end(1) :]
            if choice == 2:
                return data[: m.start()] + data[m.end() :]
            return data[: m.end()] + m.group(0) * rng.choice((1, 2, 50)) + data[m.end() :]
    return mutate_bytes(data, rng, other)


W_NS = (b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        b'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
DRAWING = (b'<w:p><w:r><w:drawing><wp:inline><a:graphic ' + W_NS + b'><a:graphicData><pic:pic><pic:blipFill>'
           b'<a:blip r:embed="%s"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>'
           b'</w:r></w:p>')
DOCX_SNIPPETS = [
    b'<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>',
    b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="9999"/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>',
    b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="-3"/><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>',
    b'<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr>'
    b'<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr></w:tc><w:tc><w:p/></w:tc></w:tr></w:tbl>',
    b'<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>\xe5\xb5\x8c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    b'</w:tc></w:tr></w:tbl>',
    b"<w:tbl/>",
    b"<w:tbl><w:tr/></w:tbl>",
    b"<w:tbl><w:tblGrid><w:gridCol w:w=\"0\"/></w:tblGrid><w:tr><w:tc/><w:tc/></w:tr></w:tbl>",
    *(DRAWING % rid for rid in (b"rId999", b"rId1", b"", b"rId9")),
    b"<w:sdt><w:sdtContent><w:sdt><w:sdtContent><w:p><w:r><w:t>x</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    b"</w:sdtContent></w:sdt>",
    b"<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=\"7\"/></w14:checkbox></w:sdtPr><w:sdtContent/></w:sdt>",
    b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>FORMCHECKBOX</w:instrText></w:r></w:p>',
    b'<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r></w:p>',
    b'<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FE"/><w:sym w:font="Wingdings" w:char="ZZ"/><w:sym/></w:r></w:p>',
    b'<w:altChunk r:id="rId999"/>',
    b'<w:p><w:hyperlink r:id="rId999"><w:r><w:t>\xe9\x93\xbe</w:t></w:r></w:hyperlink></w:p>',
    b"<w:p><w:r><w:txbxContent><w:p><w:r><w:t>\xe6\xa1\x86</w:t></w:r></w:p></w:txbxContent></w:r></w:p>",
    b"<w:p><w:r><w:t>\xe7\xbb\x9f\xe4\xb8\x80\xe7\xa4\xbe\xe4\xbc\x9a\xe4\xbf\xa1\xe7\x94\xa8"
    b"\xe4\xbb\xa3\xe7\xa0\x81\xef\xbc\x9a9135O1OOMOOO1OOY43</w:t></w:r></w:p>",
    b"<w:p><w:r><w:t>" + "申报单位：".encode() * 2000 + b"</w:t></w:r></w:p>",
    b"<w:p><w:r><w:t>" + "2024年13月45日 至 0000年00月00日 有效期至长期".encode() + b"</w:t></w:r></w:p>",
    b"<w:p><w:pPr><w:numPr><w:ilvl w:val=\"99\"/><w:numId w:val=\"99999\"/></w:numPr></w:pPr></w:p>",
    b"<w:sectPr/>",
]
XLSX_SNIPPETS = [
    b'<row r="1048576"><c r="XFD1048576" t="s"><v>99999</v></c></row>',
    b'<row r="0"><c r="A0" t="n"><v>NaN</v></c></row>',
    b'<row r="7"><c r="ZZZZ7" t="e"><v>#REF!</v></c><c r="A7" t="d"><v>9999-99-99</v></c></row>',
    b'<row r="8" spans="1:16384"><c r="B8"><f>1/0</f><v>inf</v></c><c r="C8" t="b"><v>2</v></c></row>',
    b'<row r="9"><c r="A9" t="inlineStr"><is><r><t>\xe5\xaf\x8c</t></r><r><t/></r></is></c></row>',
    b'<row r="10"><c r="A10" s="9999"><v>1e400</v></c><c r="B10" t="n"><v>-1e-400</v></c></row>',
    b'<row r="11"><c r="A11" t="str"><v>' + b"x" * 40000 + b"</v></c></row>",
    b'<row r="3"><c r="A3"><v>1</v></c></row>',
    b"<row/>",
    b"<c/>",
]
XLSX_TAIL_SNIPPETS = [
    b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>',
    b'<mergeCells count="2"><mergeCell ref="B2:A1"/><mergeCell ref="A1:A1"/></mergeCells>',
    b'<mergeCells count="1"><mergeCell ref="nonsense"/></mergeCells>',
    b'<mergeCells><mergeCell ref="A1:C400000"/></mergeCells>',
]
MAIN_PARTS = {"word/document.xml", "xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml",
              "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "xl/_rels/workbook.xml.rels"}


def insert_snippet(name: str, body: bytes, rng: random.Random) -> bytes | None:
    """A construct the parsers treat specially, inserted where it belongs; None when `name` has none."""
    if name == "word/document.xml":
        anchors = [m.end() for m in re.finditer(rb"<w:body>|</w:p>|</w:tc>|</w:sdtContent>", body)]
        snippet = rng.choice(DOCX_SNIPPETS)
    elif name.startswith("xl/worksheets/") and rng.random() < 0.8:
        anchors = [m.end() for m in re.finditer(rb"<sheetData>|</row>", body)]
        snippet = rng.choice(XLSX_SNIPPETS)
    elif name.startswith("xl/worksheets/"):
        mark = body.find(b"<mergeCells")
        body = body[:mark] + body[body.find(b"</mergeCells>") + 13 :] if mark >= 0 else body
        anchors = [m.start() for m in re.finditer(rb"<pageMargins|</worksheet>", body)][:1]
        snippet = rng.choice(XLSX_TAIL_SNIPPETS)
    else:
        return None
    if not anchors:
        return None
    at = rng.choice(anchors)
    return body[:at] + snippet + body[at:]


def mutate_zip(data: bytes, rng: random.Random, other: bytes) -> bytes:
    """One member of a ZIP package mutated (XML-aware for .xml/.rels, weighted to the main parts), dropped
    or renamed; zipped again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    except Exception:  # an input already broken at the zip layer: bytes only
        return mutate_bytes(data, rng, other)
    if not members:
        return mutate_bytes(data, rng, other)
    weights = [8 if name in MAIN_PARTS else 2 if name.endswith((".xml", ".rels")) else 1 for name, _ in members]
    index = rng.choices(range(len(members)), weights)[0]
    name, body = members[index]
    action = rng.random()
    if action < 0.85:
        if name.endswith((".xml", ".rels")):
            snippet = insert_snippet(name, body, rng) if rng.random() < 0.35 else None
            body = snippet if snippet is not None else mutate_xml(body, rng, other)
        elif body[:4] == b"PK\x03\x04":
            body = mutate_zip(body, rng, other)  # a docx inside a zip
        else:
            body = mutate_bytes(body, rng, other)
        members[index] = (name, body)
    elif action < 0.93:
        del members[index]
    else:
        members[index] = (rng.choice(HOSTILE_NAMES) or name, body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, b in members:
            info = zipfile.ZipInfo(n or "x", FIXED_TIME)
            info.flag_bits |= 0x800
            zf.writestr(info, b, zipfile.ZIP_DEFLATED)
    return out.getvalue()


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_EXTRA_CHUNKS = [b"iCCP", b"tEXt", b"zTXt", b"iTXt", b"pHYs", b"eXIf", b"sPLT", b"PLTE", b"tRNS", b"acTL", b"fcTL"]


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def mutate_png(data: bytes, rng: random.Random, other: bytes) -> bytes:
    """A PNG chunk mutated with its CRC made right again (Pillow checks CRCs), the image data mutated
    after inflating, or a chunk dropped, repeated or added; past the checks into the decoder."""
    chunks: list[tuple[bytes, bytes]] = []
    at = len(PNG_SIGNATURE)
    while data.startswith(PNG_SIGNATURE) and at + 12 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        chunks.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + size]))
        at += 12 + size
    if not chunks:
        return mutate_bytes(data, rng, other)
    choice = rng.randrange(6)
    if choice <= 1:  # a chunk's data, IHDR (size, depth, colour type, interlace) most often
        index = 0 if choice == 0 else rng.randrange(len(chunks))
        kind, body = chunks[index]
        chunks[index] = (kind, mutate_bytes(body, rng, other, 1) if body else rng.randbytes(4))
    elif choice == 2:  # the pixels: filter bytes and scanlines
        idat = b"".join(body for kind, body in chunks if kind == b"IDAT")
        try:
            raw = zlib.decompress(idat)
        except zlib.error:
            return mutate_bytes(data, rng, other)
        first = next(i for i, (kind, _) in enumerate(chunks) if kind == b"IDAT")
        chunks = [c for c in chunks if c[0] != b"IDAT"]
        chunks.insert(first, (b"IDAT", zlib.compress(mutate_bytes(raw, rng, other))))
    elif choice == 3:
        del chunks[rng.randrange(len(chunks))]
    elif choice == 4:
        index = rng.randrange(len(chunks))
        chunks.insert(index, chunks[index])
    else:
        extra = (rng.choice(PNG_EXTRA_CHUNKS), rng.randbytes(rng.randrange(40)))
        chunks.insert(rng.randrange(1, len(chunks) + 1), extra)
    return PNG_SIGNATURE + b"".join(_png_chunk(kind, body) for kind, body in chunks)


_PDF_NUMBER = re.compile(rb"(?<=[\s\[/<(])-?\d+(?:\.\d+)?(?=[\s\]>/)])")
_PDF_NAME = re.compile(rb"/[A-Za-z][A-Za-z0-9]*")
_PDF_STREAM = re.compile(rb"/Length\s+(\d+)(?:\s+0\s+R)?([^>]*>>\s*stream\r?\n)", re.S)
PDF_NUMBERS = [b"0", b"-1", b"1", b"2147483647", b"-2147483648", b"4294967296", b"1e9", b"99999", b"0.0001",
               b"3.4e38", b"65535", b"7"]
PDF_NAMES = [b"/Page", b"/Pages", b"/Kids", b"/Parent", b"/Resources", b"/Font", b"/XObject", b"/Image",
             b"/FlateDecode", b"/DCTDecode", b"/JBIG2Decode", b"/CCITTFaxDecode", b"/Indexed", b"/Width", b"/Rotate",
             b"/MediaBox", b"/Encrypt", b"/ObjStm", b"/ToUnicode", b"/Type0", b"/Identity-H", b"/Null"]


def mutate_pdf(data: bytes, rng: random.Random, other: bytes) -> bytes:
    """A number or name of the object syntax replaced, or one stream inflated, mutated and deflated
    again with its /Length corrected (xref offsets stay wrong: the readers rebuild them)."""
    choice = rng.randrange(3)
    if choice == 0 and (numbers := list(_PDF_NUMBER.finditer(data))):
        m = rng.choice(numbers)
        return data[: m.start()] + rng.choice(PDF_NUMBERS) + data[m.end() :]
    if choice == 1 and (names := list(_PDF_NAME.finditer(data))):
        m = rng.choice(names)
        return data[: m.start()] + rng.choice(PDF_NAMES) + data[m.end() :]
    streams = list(_PDF_STREAM.finditer(data))
    if not streams:
        return mutate_bytes(data, rng, other)
    m = rng.choice(streams)
    start, length = m.end(), int(m.group(1))
    body = data[start : start + length]
    try:
        new = zlib.compress(mutate_bytes(zlib.decompress(body), rng, other))
    except zlib.error:
        new = mutate_bytes(body, rng, other)
    return data[: m.start()] + b"/Length %d" % len(new) + m.group(2) + new + data[start + length :]


def mutate_member(name: str, data: bytes, rng: random.Random, other: bytes) -> bytes:
    roll = rng.random()
    if name.endswith((".docx", ".xlsx", ".zip")):
        return mutate_zip(data, rng, other)
    if name.endswith(".png") and roll < 0.5:
        return mutate_png(data, rng, other)
    if name.endswith(".pdf") and roll < 0.5:
        return mutate_pdf(data, rng, other)
    return mutate_bytes(data, rng, other)


def rewrap(seed: Seed, rng: random.Random, other: bytes) -> bytes:
    """The container rebuilt around one mutated or renamed member (past the container layer)."""
    members = list(seed.members)
    index = rng.randrange(len(members))
    name, data = members[index]
    if rng.random() < 0.8:
        members[index] = (name, mutate_member(name, data, rng, other))
    else:
        members[index] = (rng.choice(HOSTILE_NAMES), data)
    try:
        return BUILDERS[seed.kind](tuple(members))
    except Exception:  # a name the builder refuses (the RAR writer's checks): bytes instead
        return mutate_bytes(seed.data, rng, other)


def make_input(seeds: dict[str, Seed], index: int, run_seed: int) -> tuple[Seed, bytes]:
    """Input number `index` of run `run_seed`: the same bytes whatever worker draws it."""
    rng = random.Random(f"{run_seed}:{index}")
    kinds = sorted(seeds)
    seed = seeds[kinds[index % len(kinds)]]
    other = seeds[rng.choice(kinds)].data
    roll = rng.random()
    if seed.kind in ZIP_KINDS and roll < 0.75:
        data = mutate_zip(seed.data, rng, other)
    elif seed.members and roll < 0.35:
        data = rewrap(seed, rng, other)
    elif seed.ext == "png" and roll < 0.5:
        data = mutate_png(seed.data, rng, other)
    elif seed.ext == "pdf" and roll < 0.5:
        data = mutate_pdf(seed.data, rng, other)
    else:
        data = mutate_bytes(seed.data, rng, other)
    if rng.random() < 0.1:  # stacked: structure-aware then bytes
        data = mutate_bytes(data, rng, other, 1)
    return seed, data[:MAX_INPUT_BYTES]


# --------------------------------------------------------------------------------------------- target


class Hang(BaseException):
    """Raised by SIGALRM: a BaseException, so no `except Exception` in a parser swallows it."""


def _fake_recognise(self: PageReader, image: np.ndarray) -> OcrResult:
    h, w = image.shape[:2]
    return OcrResult(width=w, height=h, lines=[], engine="fuzz", seal_version=SEAL_VERSION)


def _fake_read_seals(self: PageReader, render: Callable[[], np.ndarray], stable_key: str) -> OcrResult:
    image = render()  # the page is still rendered: that is parsing
    h, w = image.shape[:2]
    return OcrResult(width=w, height=h, lines=[], engine="fuzz", seal_version=SEAL_VERSION)


class _ErrorLog(logging.Handler):
    """Keeps the tracebacks that extractor logs when a safety net catches its own bug."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.records.append(record)


@contextlib.contextmanager
def fuzz_environment() -> Iterator[_ErrorLog]:
    """OCR replaced, extractor's error log captured (not printed), warnings silenced; all restored after."""
    saved = PageReader.recognise, PageReader.read_seals
    logger = logging.getLogger("extractor")
    handler = _ErrorLog()
    quiet = logging.NullHandler()  # the libraries' own warnings (pdfminer...) not printed by logging's last resort
    propagate = logger.propagate
    logging.getLogger().addHandler(quiet)
    PageReader.recognise = _fake_recognise  # type: ignore[method-assign]
    PageReader.read_seals = _fake_read_seals  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield handler
    finally:
        PageReader.recognise, PageReader.read_seals = saved  # type: ignore[method-assign]
        logger.removeHandler(handler)
        logging.getLogger().removeHandler(quiet)
        logger.propagate = propagate


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"input took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def settings_for(work: Path) -> Settings:
    return Settings(cache_dir=work / "cache", ocr_cache=False, isolate_files=False, file_timeout_s=30)


def signature(exc: BaseException) -> str:
    """Exception type and the last frame of the traceback in extractor/ (else the last frame)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/extractor/" in f.filename.replace("\\", "/")]
    if not frames:
        return type(exc).__name__
    frame = (ours or frames)[-1]
    where = frame.filename.replace("\\", "/")
    where = where.split("/extractor/", 1)[1] if "/extractor/" in where else Path(where).name
    prefix = "extractor/" if ours else ""
    return f"{type(exc).__name__} @ {prefix}{where}:{frame.lineno} in {frame.name}"


def is_listed(report: Report, name: str) -> bool:
    return any(d.path == name or d.path.startswith(f"{name}!/") or d.path.startswith(f"{name} (")
               for d in report.documents)


@dataclass
class Finding:
    """One unique problem: `kind` is crash, hang, lost or internal."""

    kind: str
    key: str
    seed_kind: str
    ext: str
    data: bytes
    trace: str
    count: int = 1


@dataclass
class Outcome:
    seed_kind: str
    seconds: float
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False


def run_one(data: bytes, seed: Seed, work: Path, errors: _ErrorLog, hang_seconds: int = HANG_SECONDS) -> Outcome:
    """Check a bundle folder holding `data` as one file; whatever goes wrong becomes a Finding."""
    bundle = work / "bundle"
    shutil.rmtree(bundle, ignore_errors=True)
    bundle.mkdir(parents=True)
    name = f"{FILE_STEM}.{seed.ext}"
    (bundle / name).write_bytes(data)
    errors.records.clear()
    outcome = Outcome(seed.kind, 0.0)
    started = time.perf_counter()
    report: Report | None = None
    try:
        with deadline(hang_seconds):
            report = check(bundle, settings_for(work))
    except Hang as exc:
        outcome.findings.append(Finding("hang", f"hang ({seed.kind})", seed.kind, seed.ext, data,
                                        "".join(traceback.format_exception(exc))))
    except Exception as exc:  # what the fuzzer looks for
        outcome.findings.append(Finding("crash", signature(exc), seed.kind, seed.ext, data,
                                        "".join(traceback.format_exception(exc))))
    outcome.seconds = time.perf_counter() - started
    if report is not None:
        if not is_listed(report, name):
            paths = [d.path for d in report.documents]
            outcome.findings.append(Finding("lost", f"not listed ({seed.kind})", seed.kind, seed.ext, data,
                                            f"{name} missing from the report; listed: {paths}"))
        outcome.unreadable = any(d.errors for d in report.documents)
    for record in errors.records:
        assert record.exc_info is not None and record.exc_info[1] is not None
        caught = record.exc_info[1]
        outcome.findings.append(Finding("internal", signature(caught), seed.kind, seed.ext, data,
                                        record.getMessage() + "\n" + "".join(traceback.format_exception(caught))))
    errors.records.clear()
    return outcome


# -------------------------------------------------------------------------------------------- driving


@dataclass
class Summary:
    inputs: int = 0
    seconds: float = 0.0
    per_kind: Counter[str] = field(default_factory=Counter)
    unreadable: Counter[str] = field(default_factory=Counter)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> list[Finding]:
        """Counts the outcome; returns its findings that are new."""
        self.inputs += 1
        self.per_kind[outcome.seed_kind] += 1
        self.unreadable[outcome.seed_kind] += outcome.unreadable
        new = []
        for f in outcome.findings:
            seen = self.findings.get((f.kind, f.key))
            if seen is None:
                self.findings[(f.kind, f.key)] = f
                new.append(f)
            else:
                seen.count += 1
                if len(f.data) < len(seen.data):  # the smallest reproducer kept
                    seen.data, seen.trace, seen.ext, seen.seed_kind = f.data, f.trace, f.ext, f.seed_kind
        return new

    def of_kind(self, *kinds: str) -> list[Finding]:
        return [f for f in self.findings.values() if f.kind in kinds]


_SEEDS: dict[str, Seed] = {}
_WORK: Path | None = None
_ERRORS: _ErrorLog | None = None
_ENV: contextlib.AbstractContextManager[_ErrorLog] | None = None


def _worker_init(seeds: dict[str, Seed], parent: Path) -> None:
    global _WORK, _ERRORS, _ENV
    _SEEDS.update(seeds)
    _WORK = Path(tempfile.mkdtemp(dir=parent))
    _ENV = fuzz_environment()  # entered for the worker's life (the reference keeps it from being closed)
    _ERRORS = _ENV.__enter__()


def _work_chunk(job: tuple[int, int, int]) -> list[Outcome]:
    start, stop, run_seed = job
    assert _WORK is not None and _ERRORS is not None
    outcomes = []
    for index in range(start, stop):
        seed, data = make_input(_SEEDS, index, run_seed)
        outcomes.append(run_one(data, seed, _WORK, _ERRORS))
    return outcomes


def fuzz(inputs: int, run_seed: int = 0, workers: int = 1, chunk: int = 20, max_seconds: float | None = None,
         progress: Callable[[Summary, list[Finding]], None] | None = None) -> Summary:
    """Run `inputs` inputs (or until `max_seconds` have passed); one worker runs in this process."""
    seeds = build_seeds()
    summary = Summary()
    started = time.perf_counter()
    jobs = [(i, min(i + chunk, inputs), run_seed) for i in range(0, inputs, chunk)]
    if workers <= 1:
        with tempfile.TemporaryDirectory(prefix="precheck-fuzz-") as tmp, fuzz_environment() as errors:
            for start, stop, _ in jobs:
                for index in range(start, stop):
                    seed, data = make_input(seeds, index, run_seed)
                    new = summary.add(run_one(data, seed, Path(tmp), errors))
                    if progress is not None and (new or summary.inputs % 100 == 0):
                        progress(summary, new)
                summary.seconds = time.perf_counter() - started
                if max_seconds is not None and summary.seconds > max_seconds:
                    break
        return summary
    ctx = multiprocessing.get_context("fork")
    with (tempfile.TemporaryDirectory(prefix="precheck-fuzz-") as tmp,
          ctx.Pool(workers, initializer=_worker_init, initargs=(seeds, Path(tmp)), maxtasksperchild=50) as pool):
        for outcomes in pool.imap(_work_chunk, jobs):
            new = []
            for outcome in outcomes:
                new += summary.add(outcome)
            summary.seconds = time.perf_counter() - started
            if progress is not None:
                progress(summary, new)
            if max_seconds is not None and summary.seconds > max_seconds:
                pool.terminate()
                break
    return summary


def reproducer_path(finding: Finding) -> Path:
    """Named by its content: tests/fuzz_crashes/<sha1>.<ext> (internal/ for internal errors)."""
    folder = INTERNAL_DIR if finding.kind == "internal" else CRASH_DIR
    return folder / f"{hashlib.sha1(finding.data).hexdigest()[:12]}.{finding.ext}"


class Saver:
    """Writes each finding's reproducer as soon as it is found (a killed run keeps them); when a smaller
    input of the same finding turns up, the one this run wrote before is replaced."""

    def __init__(self) -> None:
        self.paths: dict[tuple[str, str], Path] = {}
        self.written: set[Path] = set()

    def save(self, finding: Finding) -> Path:
        key = (finding.kind, finding.key)
        path = reproducer_path(finding)
        old = self.paths.get(key)
        if old == path:
            return path
        if old is not None and old in self.written:
            old.unlink(missing_ok=True)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(finding.data)
            self.written.add(path)
        self.paths[key] = path
        return path


def describe(finding: Finding, path: Path, lines: int = 6) -> str:
    tail = "\n".join("    " + line for line in finding.trace.rstrip().splitlines()[-lines:])
    return (f"[{finding.kind}] {finding.key}\n  seed {finding.seed_kind}, {finding.count} input(s), "
            f"reproducer {path.relative_to(ROOT)}\n{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--inputs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-minutes", type=float, default=None, help="stop after this long, inputs or not")
    parser.add_argument("--report", type=Path, default=None, help="also write the full report (tracebacks) here")
    args = parser.parse_args(argv)

    last = [0.0]
    saver = Saver()
    saved = saver.paths

    def progress(summary: Summary, new: list[Finding]) -> None:
        for f in new:
            print(f"NEW {describe(f, saver.save(f))}", flush=True)
        if summary.seconds - last[0] >= 30 or summary.inputs >= args.inputs:
            last[0] = summary.seconds
            rate = summary.inputs / max(summary.seconds, 1e-9)
            print(f"{summary.inputs}/{args.inputs} inputs, {summary.seconds:.0f} s, {rate:.1f}/s, "
                  f"{len(summary.of_kind('crash'))} crashes, {len(summary.of_kind('hang'))} hangs, "
                  f"{len(summary.of_kind('lost'))} lost, {len(summary.of_kind('internal'))} internal errors",
                  flush=True)

    max_seconds = args.max_minutes * 60 if args.max_minutes else None
    summary = fuzz(args.inputs, args.seed, args.workers, max_seconds=max_seconds, progress=progress)
    for f in summary.findings.values():  # the smallest reproducer of each
        saver.save(f)
    rate = summary.inputs / max(summary.seconds, 1e-9)
    out = [
        "",
        f"inputs run: {summary.inputs} (seed {args.seed}, {args.workers} worker(s))",
        f"seconds: {summary.seconds:.1f}, inputs/second: {rate:.2f}",
        f"crashes (unique): {len(summary.of_kind('crash'))}, hangs: {len(summary.of_kind('hang'))}, "
        f"files not listed: {len(summary.of_kind('lost'))}, "
        f"internal errors caught by the safety nets (unique): {len(summary.of_kind('internal'))}",
        "per seed kind (inputs / some file unreadable):",
        *(f"  {kind:9} {n:7} / {summary.unreadable[kind]}" for kind, n in sorted(summary.per_kind.items())),
    ]
    for f in sorted(summary.findings.values(), key=lambda f: (f.kind, f.key)):
        out.append(describe(f, saved[(f.kind, f.key)]))
    print("\n".join(out), flush=True)
    if args.report is not None:
        full = [*out, "", "full tracebacks:"]
        for f in summary.findings.values():
            full += ["", f"[{f.kind}] {f.key} ({saved[(f.kind, f.key)].relative_to(ROOT)})", f.trace]
        args.report.write_text("\n".join(full), encoding="utf-8")
    return 1 if summary.of_kind("crash", "hang", "lost") else 0


if __name__ == "__main__":
    sys.exit(main())
