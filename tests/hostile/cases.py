"""The hostile corpus: damaged, malicious and resource-hungry files, made in code at test time.

Each case is one file (or a link, a pipe, a folder) written into its category's bundle folder. Nothing
binary is committed; randomness is seeded, timestamps are fixed, so the same bytes come out every run.
Big inflations (1.5 GB streams) are deflated piecewise: each distinct piece is compressed once with a
full flush (no back-reference leaves it) and its output repeated, which is valid deflate.
"""

from __future__ import annotations

import base64
import gzip
import io
import os
import random
import struct
import tarfile
import urllib.parse
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from enum import StrEnum
from pathlib import Path
from unittest import mock

from docx import Document
from PIL import Image, ImageDraw

from gold.generator.msg import MsgAttachment, cfb_bytes, msg_bytes

MiB = 1024 * 1024
GOOD_NAME = "承诺书.docx"
GOOD_PARAGRAPHS = ("承诺书", "申报单位（盖章）：洛阳博威有色金属有限责任公司")
FIXED_TIME = datetime(2024, 1, 1, 8, 0, 0)
FIXED_EPOCH = 1_704_096_000  # the same moment in UTC

Builder = Callable[[Path], None]  # writes the case into the bundle folder


class Expect(StrEnum):
    ERROR = "error"  # listed with its error (the file's damage, never an internal error)
    READABLE = "readable"  # valid or repairable: read, or refused with a reason, never a crash
    UNPACKED_OR_ERROR = "unpacked_or_error"  # a container of good files: its members listed, or itself with an error


@dataclass(frozen=True)
class Case:
    category: str
    case_id: str
    name: str  # the file name in the bundle folder
    payload: bytes | Builder
    expect: Expect = Expect.ERROR
    by_name: bool = False  # not a regular file (pipe, link, folder): listed by name, with an error
    aliases: tuple[str, ...] = ()  # other spellings the report may use for `name`
    listed: tuple[str, ...] = ()  # bundle paths that must be listed exactly
    never_in_report: str | None = None  # text from outside the bundle that must not leak in
    note: str = ""  # why a READABLE case may be read

    def write(self, folder: Path) -> None:
        if isinstance(self.payload, bytes):
            (folder / self.name).write_bytes(self.payload)
        else:
            self.payload(folder)

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _bytes(name: str, make: Callable[[], bytes]) -> Builder:
    """Bytes made only when the folder is built (collection stays fast)."""

    def build(folder: Path) -> None:
        (folder / name).write_bytes(make())

    return build


def cut(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


# --- deflate, ZIP --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deflated:
    data: bytes  # raw deflate
    crc: int
    adler: int
    size: int  # inflated


def deflate_pieces(pieces: Sequence[tuple[bytes, int]]) -> Deflated:
    """Raw deflate of each (piece, times) in turn, without compressing the repeats."""
    out = bytearray()
    crc, adler, size = 0, 1, 0
    for piece, times in pieces:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        out += (c.compress(piece) + c.flush(zlib.Z_FULL_FLUSH)) * times
        for _ in range(times):
            crc = zlib.crc32(piece, crc)
            adler = zlib.adler32(piece, adler)
        size += len(piece) * times
    out += zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block
    return Deflated(bytes(out), crc, adler, size)


def zlib_stream(d: Deflated) -> bytes:
    return b"\x78\xda" + d.data + struct.pack(">I", d.adler)


DOS_DATE = (2024 - 1980) << 9 | 1 << 5 | 1
DOS_TIME = 8 << 11


@dataclass(frozen=True)
class Member:
    name: str | bytes  # bytes: written raw, without the UTF-8 flag
    data: bytes | Deflated = b""
    method: int = 8  # 8 deflated; any other number: the bytes stored under that method number
    unix_mode: int | None = None  # external attributes from a Unix host
    crc: int | None = None  # a wrong CRC on purpose
    local_name: bytes | None = None  # another name in the local header than in the central directory
    password: bytes | None = None  # traditional PKWARE encryption


def _crc_byte(crc: int, byte: int) -> int:
    return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


def zipcrypto(data: bytes, password: bytes, crc: int) -> bytes:
    """Traditional PKWARE encryption (APPNOTE 6.1), with a seeded 12-byte header."""
    keys = [0x12345678, 0x23456789, 0x34567890]

    def update(byte: int) -> None:
        keys[0] = _crc_byte(keys[0], byte)
        keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        keys[2] = _crc_byte(keys[2], keys[1] >> 24)

    for byte in password:
        update(byte)
    out = bytearray()
    for byte in random.Random(11).randbytes(11) + bytes([crc >> 24]) + data:
        t = (keys[2] | 2) & 0xFFFF
        out.append(byte ^ (((t * (t ^ 1)) >> 8) & 0xFF))
        update(byte)
    return bytes(out)


def zip_bytes(members: Sequence[Member]) -> bytes:
    """A ZIP written field by field, so every oddity can be put in on purpose."""
    out, central = bytearray(), bytearray()
    for m in members:
        raw_name = m.name if isinstance(m.name, bytes) else m.name.encode()
        flags = 0x800 if isinstance(m.name, str) and not m.name.isascii() else 0
        method = m.method
        if isinstance(m.data, Deflated):
            payload, crc, size, method = m.data.data, m.data.crc, m.data.size, 8
        else:
            size, crc = len(m.data), zlib.crc32(m.data)
            if method == 8:
                c = zlib.compressobj(6, zlib.DEFLATED, -15)
                payload = c.compress(m.data) + c.flush()
            else:
                payload = m.data
        if m.password is not None:
            payload = zipcrypto(payload, m.password, crc)
            flags |= 0x1
        crc = crc if m.crc is None else m.crc
        local_name = raw_name if m.local_name is None else m.local_name
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, method, DOS_TIME, DOS_DATE, crc,
                           len(payload), size, len(local_name), 0) + local_name + payload
        made_by = 20 if m.unix_mode is None else 3 << 8 | 20
        external = 0 if m.unix_mode is None else m.unix_mode << 16
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", made_by, 20, flags, method, DOS_TIME,
                               DOS_DATE, crc, len(payload), size, len(raw_name), 0, 0, 0, 0, external,
                               offset) + raw_name
    cd_offset = len(out)
    out += central
    out += struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), cd_offset, 0)
    return bytes(out)


def rezip(data: bytes) -> bytes:
    """A ZIP made by a library, rewritten with fixed timestamps."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zip_bytes([Member(i.filename, zf.read(i)) for i in zf.infolist()])


# --- PDF -----------------------------------------------------------------------------------------------------

HELLO = b"BT /F1 12 Tf 50 700 Td (Hello) Tj ET"
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_file(objects: Sequence[bytes], *, xref: bool = True, skew: int = 0, startxref: int | None = None) -> bytes:
    """Objects 1..n, then (unless `xref` is False) the xref table, the trailer and startxref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    if not xref:
        return bytes(out)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % (offset + skew) for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % (xref_at if startxref is None else startxref)
    return bytes(out)


def hello_objects(
    *,
    kids: bytes = b"[3 0 R]",
    count: bytes = b"1",
    media_box: bytes = b"[0 0 612 792]",
    content: bytes = HELLO,
    stream_extra: bytes = b"",
    resources: bytes = b"<< /Font << /F1 5 0 R >> >>",
    more: Sequence[bytes] = (),
) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids %s /Count %s >>" % (kids, count),
        b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents 4 0 R >>" % (media_box, resources),
        pdf_stream(content, stream_extra),
        HELVETICA,
        *more,
    ]


def hello_pdf() -> bytes:
    """One A4-ish page saying Hello in Helvetica: the valid file the PDF cases damage."""
    return pdf_file(hello_objects())


def flate_bomb_pdf() -> bytes:
    """A content stream of 1536 MiB of spaces, ~1.6 MB deflated."""
    stream = zlib_stream(deflate_pieces([(b" " * MiB, 1536)]))
    return pdf_file(hello_objects(content=stream, stream_extra=b" /Filter /FlateDecode"))


def pdf_cases() -> list[Case]:
    good = hello_pdf()
    objects_end = good.index(b"xref")
    cases = []
    for pct in (5, 15, 25, 35, 45, 55, 65, 75, 85, 95):
        lost = int(len(good) * pct / 100) < objects_end
        cases.append(Case(
            "pdf", f"pdf-truncated-{pct:02d}pct", f"truncated-{pct:02d}pct.pdf", cut(good, pct / 100),
            Expect.ERROR if lost else Expect.READABLE,
            note="" if lost else "cut inside the xref table: every object is whole, readers rebuild the xref"))
    for seed in range(10):
        rng = random.Random(1000 + seed)
        data = bytearray(good)
        for _ in range(6):
            data[rng.randrange(len(data))] ^= rng.randrange(1, 256)
        cases.append(Case("pdf", f"pdf-byte-flips-seed{seed}", f"flipped-{seed}.pdf", bytes(data), Expect.READABLE,
                          note="random flips may land where they harm nothing"))
    objects = hello_objects()
    cases += [
        Case("pdf", "pdf-wrong-xref-offsets", "wrong-xref.pdf", pdf_file(objects, skew=7), Expect.READABLE,
             note="all objects whole: readers rebuild the xref, as they must for many real files"),
        Case("pdf", "pdf-no-xref-no-trailer", "no-xref.pdf", pdf_file(objects, xref=False), Expect.READABLE,
             note="all objects whole: readers rebuild the xref and find the catalog"),
        Case("pdf", "pdf-startxref-past-end", "startxref-past-end.pdf", pdf_file(objects, startxref=10**9),
             Expect.READABLE, note="all objects whole: readers rebuild the xref"),
        Case("pdf", "pdf-page-tree-kids-itself", "kids-itself.pdf", pdf_file(hello_objects(kids=b"[2 0 R]")),
             Expect.READABLE, note="the loop is to be cut; readers may still find the one page object"),
        Case("pdf", "pdf-count-one-billion", "count-1e9.pdf", pdf_file(hello_objects(count=b"1000000000")),
             Expect.READABLE, note="the one real page can be read; the count is a lie to be bounded"),
        Case("pdf", "pdf-mediabox-render-bomb", "mediabox-1e7.pdf",
             pdf_file(hello_objects(media_box=b"[0 0 10000000 10000000]")), Expect.READABLE,
             note="its text layer reads without rendering at full size"),
        Case("pdf", "pdf-mediabox-zero", "mediabox-zero.pdf", pdf_file(hello_objects(media_box=b"[0 0 0 0]"))),
        Case("pdf", "pdf-mediabox-negative", "mediabox-negative.pdf",
             pdf_file(hello_objects(media_box=b"[0 0 -612 -792]")), Expect.READABLE,
             note="a rectangle is normalised: [-612 -792 0 0] is a page"),
        Case("pdf", "pdf-xobject-draws-itself", "xobject-loop.pdf", pdf_file(hello_objects(
            content=b"/X1 Do",
            resources=b"<< /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>",
            more=[pdf_stream(HELLO + b" /X1 Do", b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
                             b" /Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >>")])),
            Expect.READABLE, note="Hello is drawn before the loop; a reader must cut the recursion"),
        Case("pdf", "pdf-header-only", "header-only.pdf", b"%PDF-1.7"),
        Case("pdf", "pdf-random-after-header", "random-after-header.pdf",
             b"%PDF-1.7\n" + random.Random(2).randbytes(4096)),
        Case("pdf", "pdf-flate-bomb-1536mb", "flate-bomb.pdf", _bytes("flate-bomb.pdf", flate_bomb_pdf)),
        Case("pdf", "pdf-million-q-then-million-Q", "q-nesting.pdf",
             _bytes("q-nesting.pdf", lambda: pdf_file(hello_objects(content=b"q " * 1_000_000 + b"Q " * 1_000_000))),
             Expect.READABLE, note="valid operators, only slow: a blank page, or refused in time"),
    ]
    return cases


# --- Word ----------------------------------------------------------------------------------------------------

XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCX_CT = (
    XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Default Extension="bin" ContentType="application/octet-stream"/>'
    f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>'
)
DOCX_RELS = (
    XML_DECL + f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" '
    f'Type="{R}/officeDocument" Target="word/document.xml"/></Relationships>'
)


def w_paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def word_xml(body: str, doctype: str = "") -> bytes:
    return (XML_DECL + doctype + f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{body}</w:body></w:document>'
            ).encode()


def docx_zip(
    document: bytes | Deflated | None,
    *,
    content_types: bool = True,
    doc_rels: str | None = None,
    parts: Sequence[Member] = (),
) -> bytes:
    members = [Member("[Content_Types].xml", DOCX_CT.encode())] if content_types else []
    members.append(Member("_rels/.rels", DOCX_RELS.encode()))
    if document is not None:
        members.append(Member("word/document.xml", document))
    if doc_rels is not None:
        members.append(Member("word/_rels/document.xml.rels",
                              (XML_DECL + f'<Relationships xmlns="{PKG_RELS}">{doc_rels}</Relationships>').encode()))
    return zip_bytes([*members, *parts])


def python_docx(paragraphs: Sequence[str]) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.core_properties.created = FIXED_TIME
    doc.core_properties.modified = FIXED_TIME
    buf = io.BytesIO()
    doc.save(buf)
    return rezip(buf.getvalue())


def good_docx() -> bytes:
    return python_docx(GOOD_PARAGRAPHS)


def billion_laughs(root: str) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f"<!DOCTYPE {root} [{''.join(entities)}]>"


def nested_tables(depth: int) -> str:
    inner = w_paragraph("最里层")
    for _ in range(depth):
        inner = ('<w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid>'
                 f"<w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>")
    return inner + "<w:p/>"


def huge_text_document() -> Deflated:
    head = XML_DECL + f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'
    tail = "</w:t></w:r></w:p></w:body></w:document>"
    return deflate_pieces([(head.encode(), 1), (b"A" * MiB, 1024), (tail.encode(), 1)])


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_declaring(width: int, height: int) -> bytes:
    """An IHDR of the given size (8-bit RGB) and one tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


DRAWING = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
    '<wp:extent cx="914400" cy="914400"/><wp:docPr id="1" name="bomb"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="0" name="bomb.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="rId5"/></pic:blipFill><pic:spPr/></pic:pic>'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
)


def docx_cases() -> list[Case]:
    text = w_paragraph("申报单位：洛阳博威有色金属有限责任公司")
    doc = word_xml(text)
    cases = [
        Case("docx", "docx-no-document-xml", "no-document-xml.docx", docx_zip(None)),
        Case("docx", "docx-document-xml-not-well-formed", "not-well-formed.docx",
             docx_zip(word_xml(text).replace(b"</w:body>", b"<w:p><w:r></w:body>"))),
        Case("docx", "docx-billion-laughs", "billion-laughs.docx",
             docx_zip(word_xml(w_paragraph("&lol9;"), billion_laughs("w:document")))),
        Case("docx", "docx-xxe-etc-passwd", "xxe.docx",
             docx_zip(word_xml(w_paragraph("&xxe;"),
                               '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
             never_in_report="root:x:0:0"),
        Case("docx", "docx-external-dtd-over-network", "external-dtd.docx",
             docx_zip(word_xml(text, '<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/word.dtd">')),
             Expect.READABLE, note="the text needs nothing from the DTD, which must not be fetched"),
        Case("docx", "docx-gridspan-100-million", "gridspan.docx", docx_zip(word_xml(
            '<w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc><w:tcPr>'
            '<w:gridSpan w:val="100000000"/></w:tcPr>' + text + "</w:tc></w:tr></w:tbl><w:p/>")),
            Expect.READABLE, note="the text is whole; the span is to be clamped"),
        Case("docx", "docx-500-nested-tables", "nested-tables.docx", docx_zip(word_xml(nested_tables(500))),
             Expect.READABLE, note="well-formed; may be refused as too deep"),
        Case("docx", "docx-unreferenced-media-1536mb", "big-media.docx", _bytes("big-media.docx", lambda: docx_zip(
            doc, parts=[Member("word/media/big.bin", deflate_pieces([(b"\0" * MiB, 1536)]))])),
            Expect.READABLE, note="the document itself is fine; the unreferenced part need not be inflated"),
        Case("docx", "docx-one-gigabyte-text", "huge-text.docx",
             _bytes("huge-text.docx", lambda: docx_zip(huge_text_document()))),
        Case("docx", "docx-no-content-types", "no-content-types.docx", docx_zip(doc, content_types=False)),
    ]
    base = python_docx(["承诺书", "本单位承诺所提交材料真实有效", "申报单位（盖章）：洛阳博威有色金属有限责任公司"])
    for pct in (10, 30, 50, 70, 95):
        cases.append(Case("docx", f"docx-truncated-{pct:02d}pct", f"truncated-{pct:02d}pct.docx", cut(base, pct / 100)))
    cases += [
        Case("docx", "docx-ole-magic-and-junk", "ole-junk.docx",
             bytes.fromhex("D0CF11E0A1B11AE1") + random.Random(3).randbytes(4096)),
        Case("docx", "docx-empty-file", "empty.docx", b""),
        Case("docx", "docx-encrypted-ole-package", "encrypted.docx", cfb_bytes({
            "EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + random.Random(4).randbytes(600),
            "EncryptedPackage": random.Random(5).randbytes(5000)})),
        Case("docx", "docx-image-declaring-100000x100000", "bomb-image.docx", docx_zip(
            word_xml(text + DRAWING),
            doc_rels=f'<Relationship Id="rId5" Type="{R}/image" Target="media/image1.png"/>',
            parts=[Member("word/media/image1.png", png_declaring(100_000, 100_000))]),
            Expect.READABLE, note="the text is whole; the image is to be skipped or refused"),
        Case("docx", "docx-two-document-xml-entries", "duplicate-parts.docx", zip_bytes([
            Member("[Content_Types].xml", DOCX_CT.encode()), Member("_rels/.rels", DOCX_RELS.encode()),
            Member("word/document.xml", word_xml(w_paragraph("第一份"))),
            Member("word/document.xml", word_xml(w_paragraph("第二份")))]),
            Expect.READABLE, note="either entry is a whole document"),
        Case("docx", "docx-document-xml-wrong-crc", "wrong-crc.docx", zip_bytes([
            Member("[Content_Types].xml", DOCX_CT.encode()), Member("_rels/.rels", DOCX_RELS.encode()),
            Member("word/document.xml", doc, crc=0x12345678)])),
        Case("docx", "docx-header-is-the-document", "header-loop.docx", docx_zip(
            word_xml(text + '<w:sectPr><w:headerReference w:type="default" r:id="rId2"/></w:sectPr>'),
            doc_rels=f'<Relationship Id="rId2" Type="{R}/header" Target="document.xml"/>'),
            Expect.READABLE, note="the body is whole; the header relationship loops back to it"),
    ]
    return cases


# --- images --------------------------------------------------------------------------------------------------


def noise(width: int, height: int, seed: int) -> Image.Image:
    return Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))


def image_bytes(img: Image.Image, fmt: str, **options: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **options)
    return buf.getvalue()


def png_wrong_idat_crc() -> bytes:
    data = bytearray(image_bytes(noise(64, 48, 21), "PNG"))
    at = data.index(b"IDAT")
    length = struct.unpack(">I", data[at - 4 : at])[0]
    crc_at = at + 4 + length
    data[crc_at : crc_at + 4] = bytes(b ^ 0xFF for b in data[crc_at : crc_at + 4])
    return bytes(data)


def gif_frames(n: int) -> bytes:
    frames = [Image.new("RGB", (16, 16), (i % 256, (i // 256) * 60, 128)) for i in range(n)]
    return image_bytes(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=20)


def tiff_frames(n: int) -> bytes:
    frames = [Image.new("L", (8, 8), i % 256) for i in range(n)]
    return image_bytes(frames[0], "TIFF", save_all=True, append_images=frames[1:])


def wide_image() -> bytes:
    img = Image.new("RGB", (20000, 10), "white")
    ImageDraw.Draw(img).line([(0, 5), (19999, 5)], fill="black")
    return image_bytes(img, "PNG")


def cmyk_jpeg() -> bytes:
    img = Image.new("CMYK", (200, 100), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle([20, 20, 180, 80], fill=(0, 255, 255, 0))
    return image_bytes(img, "JPEG", quality=90)


def png_16bit() -> bytes:
    img = Image.new("I;16", (200, 100))
    img.putdata([(x * 300) % 65536 for _ in range(100) for x in range(200)])
    return image_bytes(img, "PNG")


def bmp_header_only() -> bytes:
    dib = struct.pack("<IiiHHIIiiII", 40, 100, 100, 1, 24, 0, 30000, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54 + 30000, 0, 0, 54) + dib


def jpeg_declaring(width: int, height: int) -> bytes:
    sof = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
    return b"\xff\xd8" + b"\xff\xc0" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xd9"


def image_cases() -> list[Case]:
    png = image_bytes(noise(96, 64, 7), "PNG")
    jpeg = image_bytes(noise(96, 64, 8), "JPEG", quality=92)
    cases = []
    for pct in (20, 40, 60, 80):
        cases.append(Case("image", f"png-truncated-{pct}pct", f"truncated-{pct}pct.png", cut(png, pct / 100)))
        cases.append(Case("image", f"jpeg-truncated-{pct}pct", f"truncated-{pct}pct.jpg", cut(jpeg, pct / 100)))
    cases += [
        Case("image", "png-wrong-idat-crc", "wrong-crc.png", png_wrong_idat_crc(), Expect.READABLE,
             note="the pixels are whole; viewers and Pillow show them, as precheck reads them"),
        Case("image", "png-ihdr-100000x100000", "huge-ihdr.png", png_declaring(100_000, 100_000)),
        Case("image", "gif-1000-frames", "frames-1000.gif", _bytes("frames-1000.gif", lambda: gif_frames(1000))),
        Case("image", "tiff-2000-pages", "pages-2000.tif", _bytes("pages-2000.tif", lambda: tiff_frames(2000))),
        Case("image", "png-zero-width", "zero-width.png", png_declaring(0, 10)),
        Case("image", "png-20000x10", "wide-20000x10.png", _bytes("wide-20000x10.png", wide_image), Expect.READABLE,
             note="a valid image of odd shape"),
        Case("image", "jpeg-cmyk", "cmyk.jpg", cmyk_jpeg(), Expect.READABLE, note="a valid CMYK JPEG"),
        Case("image", "png-16-bit", "gray-16bit.png", png_16bit(), Expect.READABLE, note="a valid 16-bit PNG"),
        Case("image", "bmp-header-only", "header-only.bmp", bmp_header_only()),
        Case("image", "jpeg-random-after-soi", "random-after-soi.jpg",
             b"\xff\xd8\xff" + random.Random(9).randbytes(4096)),
        Case("image", "tiff-first-ifd-past-end", "ifd-past-end.tif",
             b"II*\x00" + struct.pack("<I", 10_000_000) + random.Random(10).randbytes(100)),
        Case("image", "webp-truncated", "truncated.webp", cut(image_bytes(noise(96, 64, 12), "WEBP", quality=90), 0.5)),
        Case("image", "jpeg-sof-65500x65500", "huge-sof.jpg", jpeg_declaring(65500, 65500)),
        Case("image", "png-trailing-megabyte", "trailing-junk.png", png + random.Random(13).randbytes(MiB),
             Expect.READABLE, note="the image ends at IEND; what follows is ignored by readers"),
    ]
    return cases


# --- archives ------------------------------------------------------------------------------------------------


def nested_zip(depth: int) -> bytes:
    data = zip_bytes([Member("hello.pdf", hello_pdf())])
    for level in range(1, depth):
        data = zip_bytes([Member(f"level{level}.zip", data)])
    return data


def seven_zip(files: dict[str, bytes]) -> bytes:
    import py7zr
    import py7zr.py7zr

    fixed = py7zr.py7zr.ArchiveTimestamp.from_datetime(FIXED_EPOCH)
    buf = io.BytesIO()
    with mock.patch.object(py7zr.py7zr.ArchiveTimestamp, "from_now", lambda: fixed), \
            py7zr.SevenZipFile(buf, "w") as archive:
        for name, data in files.items():
            archive.writestr(data, name)
    return buf.getvalue()


def tar_gz(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), FIXED_EPOCH, 0o644
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


def corrupt_central_directory(data: bytes) -> bytes:
    at = data.index(b"PK\x01\x02")
    return data[:at] + b"XX\xff\xff" + data[at + 4 :]


def many_members(n: int) -> bytes:
    return zip_bytes([Member(f"m{i:05d}.txt", b"x", method=0) for i in range(n)])


def archive_cases() -> list[Case]:
    pdf = hello_pdf()
    pair = zip_bytes([Member("营业执照.pdf", pdf), Member("承诺书.pdf", pdf)])
    return [
        Case("archive", "zip-empty", "empty.zip", zip_bytes([])),
        Case("archive", "zip-only-os-litter", "litter.zip",
             zip_bytes([Member("__MACOSX/._x.pdf", b"\x00\x05\x16\x07" + b"\0" * 60),
                        Member("~$temp.docx", b"\0" * 162)])),
        Case("archive", "zip-member-with-empty-name", "empty-name.zip", zip_bytes([Member("", pdf)])),
        Case("archive", "zip-only-directories", "only-dirs.zip",
             zip_bytes([Member("材料/", method=0), Member("材料/证书/", method=0)])),
        Case("archive", "zip-member-dotdot-escape", "dotdot.zip", zip_bytes([Member("../../escape.pdf", pdf)])),
        Case("archive", "zip-member-absolute-path", "absolute.zip", zip_bytes([Member("/etc/abs.pdf", pdf)])),
        Case("archive", "zip-member-symlink-to-etc-passwd", "symlink.zip",
             zip_bytes([Member("passwd.pdf", b"/etc/passwd", method=0, unix_mode=0o120777)]),
             never_in_report="root:x:0:0"),
        Case("archive", "zip-gbk-name-without-utf8-flag", "gbk-name.zip",
             zip_bytes([Member("营业执照.pdf".encode("gbk"), pdf)]), Expect.READABLE,
             listed=("gbk-name.zip!/营业执照.pdf",), note="a valid PDF under a GBK name, as Chinese Windows writes"),
        Case("archive", "zip-nested-8-deep", "nested-8.zip", nested_zip(8)),
        Case("archive", "zip-truncated", "truncated.zip", cut(pair, 0.6)),
        Case("archive", "zip-corrupt-central-directory", "corrupt-cd.zip", corrupt_central_directory(pair)),
        Case("archive", "rar4-magic-and-junk", "junk-rar4.rar",
             b"Rar!\x1a\x07\x00" + random.Random(14).randbytes(2048)),
        Case("archive", "rar5-magic-and-junk", "junk-rar5.rar",
             b"Rar!\x1a\x07\x01\x00" + random.Random(15).randbytes(2048)),
        Case("archive", "7z-magic-and-junk", "junk.7z", b"7z\xbc\xaf\x27\x1c" + random.Random(16).randbytes(2048)),
        Case("archive", "7z-truncated", "truncated.7z",
             _bytes("truncated.7z", lambda: cut(seven_zip({"营业执照.pdf": pdf * 20}), 0.5))),
        Case("archive", "tar-gz-of-a-pdf", "bundle.tar.gz", tar_gz({"营业执照.pdf": pdf}), Expect.UNPACKED_OR_ERROR),
        Case("archive", "gzip-of-a-pdf", "hello.pdf.gz", gzip.compress(pdf, mtime=0), Expect.UNPACKED_OR_ERROR),
        Case("archive", "zip-encrypted-member", "encrypted.zip",
             zip_bytes([Member("营业执照.pdf", pdf, password=b"secret")])),
        Case("archive", "zip-unsupported-method-ppmd", "ppmd.zip", zip_bytes([Member("营业执照.pdf", pdf, method=98)])),
        Case("archive", "zip-duplicate-member-names", "duplicates.zip",
             zip_bytes([Member("营业执照.pdf", pdf), Member("营业执照.pdf", pdf)]), Expect.READABLE,
             note="two valid PDFs under one name"),
        Case("archive", "zip-local-and-central-names-differ", "name-mismatch.zip",
             zip_bytes([Member("营业执照.pdf", pdf, local_name=b"evil.exe")])),
        # last by name: these spend the bundle's budgets
        Case("archive", "zip-bomb-300mb-zeros", "zz-bomb.zip",
             _bytes("zz-bomb.zip", lambda: zip_bytes([Member("bomb.pdf", deflate_pieces([(b"\0" * MiB, 300)]))]))),
        Case("archive", "zip-3000-members", "zz-many-members.zip", _bytes("zz-many-members.zip",
                                                                          lambda: many_members(3000))),
    ]


# --- mail ----------------------------------------------------------------------------------------------------


def _b64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def mail_headers(subject: str, extra: str = "") -> bytes:
    encoded = Header(subject, "utf-8").encode()
    return (
        "From: =?utf-8?b?55Sz5oql5Y2V5L2N?= <apply@example.com>\r\nTo: review@example.com\r\n"
        f"Subject: {encoded}\r\nDate: Mon, 01 Jan 2024 08:00:00 +0800\r\n"
        f"Message-ID: <{zlib.crc32(subject.encode()):08x}@example.com>\r\n{extra}"
    ).encode()


def text_part(text: str) -> bytes:
    return b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + _b64(text.encode())


def file_part(filename: str, data: bytes, content_type: str = "application/pdf") -> bytes:
    quoted = urllib.parse.quote(filename, safe="")
    return (f"Content-Type: {content_type}\r\nContent-Disposition: attachment; filename*=utf-8''{quoted}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n").encode() + _b64(data)


def multipart_mail(subject: str, parts: Sequence[bytes], boundary: str = "b0", extra: str = "",
                   close: bool = True) -> bytes:
    head = mail_headers(subject, extra) + (
        f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n').encode()
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return head + body + (b"--" + boundary.encode() + b"--\r\n" if close else b"")


def nested_mail(depth: int) -> bytes:
    mail = multipart_mail("第0层", [text_part("见附件"), file_part("营业执照.pdf", hello_pdf())], boundary="b0")
    for level in range(1, depth + 1):
        part = (f'Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="level{level - 1}.eml"'
                "\r\n\r\n").encode() + mail
        mail = multipart_mail(f"第{level}层", [text_part("转发"), part], boundary=f"b{level}")
    return mail


def corrupt_base64_mail() -> bytes:
    encoded = _b64(hello_pdf())
    third = len(encoded) // 3
    broken = encoded[:third] + b"!!@@##$$%%^^&&**" * 8 + encoded[2 * third :]
    part = (b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"broken.pdf\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + broken)
    return multipart_mail("附件损坏", [text_part("见附件"), part])


def broken_boundary_mail() -> bytes:
    mail = multipart_mail("边界错误", [text_part("见附件"), file_part("营业执照.pdf", hello_pdf())], boundary="real")
    return mail.replace(b'boundary="real"', b'boundary="declared-but-never-used"')


def truncated_multipart_mail() -> bytes:
    mail = multipart_mail("截断", [text_part("见附件"), file_part("营业执照.pdf", hello_pdf())], close=False)
    return cut(mail, 0.7)


def mbox() -> bytes:
    mails = [multipart_mail(f"申报{i}", [text_part("见附件"), file_part(f"材料{i}.pdf", hello_pdf())])
             for i in (1, 2)]
    return b"".join(b"From apply@example.com Mon Jan  1 08:00:00 2024\n" + m.replace(b"\r\n", b"\n") + b"\n"
                    for m in mails)


def good_msg() -> bytes:
    return msg_bytes("申报材料", "申报单位", "apply@example.com", FIXED_TIME, "见附件",
                     [MsgAttachment("营业执照.pdf", data=hello_pdf())])


def mail_cases() -> list[Case]:
    pdf = hello_pdf()
    return [
        Case("mail", "eml-headers-only", "headers-only.eml", mail_headers("没有正文")),
        Case("mail", "eml-broken-mime-boundary", "broken-boundary.eml", broken_boundary_mail()),
        Case("mail", "eml-one-megabyte-header-line", "long-header.eml", multipart_mail(
            "长标题", [text_part("见附件"), file_part("营业执照.pdf", pdf)], extra="X-Long: " + "a" * MiB + "\r\n"),
            Expect.READABLE, note="a valid mail with a valid attachment"),
        Case("mail", "eml-attachment-corrupt-base64", "corrupt-base64.eml", corrupt_base64_mail()),
        Case("mail", "eml-rfc822-nested-12-deep", "nested-12.eml", nested_mail(12)),
        Case("mail", "eml-attachment-name-ansi-and-newline", "ansi-name.eml", multipart_mail(
            "控制字符", [text_part("见附件"), file_part("\x1b[31m红色\x1b[0m\n营业执照.pdf", pdf)]),
            Expect.READABLE, note="a valid attachment under a hostile name"),
        Case("mail", "eml-attachment-name-dotdot", "dotdot-name.eml", multipart_mail(
            "路径", [text_part("见附件"), file_part("../../x.pdf", pdf)]),
            Expect.READABLE, note="a valid attachment under a hostile name"),
        Case("mail", "eml-truncated-multipart", "truncated.eml", truncated_multipart_mail()),
        Case("mail", "eml-empty-pdf-attachment", "empty-attachment.eml", multipart_mail(
            "空附件", [text_part("见附件"), file_part("空.pdf", b"")])),
        Case("mail", "msg-ole-magic-and-junk", "junk.msg", bytes.fromhex("D0CF11E0A1B11AE1")
             + random.Random(17).randbytes(4096)),
        Case("mail", "msg-truncated", "truncated.msg", _bytes("truncated.msg", lambda: cut(good_msg(), 0.6))),
        Case("mail", "mbox-inside-the-bundle", "inbox.mbox", mbox(), Expect.UNPACKED_OR_ERROR),
    ]


# --- names ---------------------------------------------------------------------------------------------------

ANSI_NAME = "\x1b[31m红色\x1b[0m\x07\r\n\t控制.pdf"
LONG_NAME = "长" * 82 + ".pdf"  # 250 bytes in UTF-8
RAW_NAME = b"\xb9\xab\xcb\xbe.pdf"  # 公司.pdf in GBK: not UTF-8


def control_spellings(name: str) -> tuple[str, ...]:
    """How a report may show a name with control characters: stripped, replaced, or escaped."""
    controls = [c for c in dict.fromkeys(name) if ord(c) < 0x20 or ord(c) == 0x7F]
    spellings = {"", "_", "\ufffd", "?"}
    out = []
    for by in spellings:
        shown = name
        for c in controls:
            shown = shown.replace(c, by)
        out.append(shown)
    escaped = name
    for c in controls:
        escaped = escaped.replace(c, f"\\x{ord(c):02x}")
    out.append(escaped)
    return tuple(sorted(set(out) - {name}))


def _write_raw_name(folder: Path) -> None:
    fd = os.open(os.fsencode(folder) + b"/" + RAW_NAME, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    with os.fdopen(fd, "wb") as fh:
        fh.write(hello_pdf())


def _folder_named_like_a_file(folder: Path) -> None:
    (folder / "x.pdf").mkdir()
    (folder / "x.pdf" / "说明.txt").write_text("补充说明：申报材料真实有效。", encoding="utf-8")


def _outside_link(folder: Path) -> None:
    outside = folder.parent / "outside-the-bundle"
    outside.mkdir(exist_ok=True)
    (outside / "secret.pdf").write_bytes(hello_pdf())
    (folder / "outside-link.pdf").symlink_to(outside / "secret.pdf")


def name_cases() -> list[Case]:
    pdf = hello_pdf()
    return [
        Case("names", "name-ansi-and-control-characters", ANSI_NAME, pdf, Expect.READABLE,
             aliases=control_spellings(ANSI_NAME), note="a valid PDF under a hostile name"),
        Case("names", "name-250-bytes", LONG_NAME, pdf, Expect.READABLE, note="a valid PDF under a long name"),
        Case("names", "name-not-utf8", os.fsdecode(RAW_NAME), _write_raw_name, Expect.READABLE,
             aliases=("公司.pdf", "\ufffd\ufffd\ufffd\ufffd.pdf", "\ufffd\ufffd.pdf"),
             note="a valid PDF under a GBK name"),
        Case("names", "name-fifo", "pipe.pdf", lambda folder: os.mkfifo(folder / "pipe.pdf"), by_name=True),
        Case("names", "name-dangling-symlink", "dangling.pdf",
             lambda folder: (folder / "dangling.pdf").symlink_to(folder / "gone.pdf"), by_name=True),
        Case("names", "name-symlink-out-of-the-bundle", "outside-link.pdf", _outside_link, by_name=True),
        Case("names", "name-empty-file", "empty.pdf", b""),
        Case("names", "name-directory-called-x-pdf", "x.pdf/说明.txt", _folder_named_like_a_file, Expect.READABLE,
             note="a folder is not a file: what it holds is listed under it"),
        Case("names", "name-with-archive-separator", "fake.zip!x.pdf", pdf, Expect.READABLE,
             note="a valid PDF whose name holds the member separator"),
        Case("names", "name-leading-dash", "-rf.pdf", pdf, Expect.READABLE, note="a valid PDF named like an option"),
    ]


# --- spreadsheets --------------------------------------------------------------------------------------------

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_CT = (
    XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
XLSX_SHARED_CT = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def sheet_xml(rows: str, dimension: str = "A1:B1", after: str = "") -> bytes:
    return (XML_DECL + f'<worksheet xmlns="{S}"><dimension ref="{dimension}"/><sheetData>{rows}</sheetData>{after}'
            "</worksheet>").encode()


def xlsx_zip(sheet: bytes | Deflated, shared: bytes | Deflated | None = None) -> bytes:
    rels = f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        rels += f'<Relationship Id="rId2" Type="{R}/sharedStrings" Target="sharedStrings.xml"/>'
    types = XLSX_CT + (XLSX_SHARED_CT if shared is not None else "") + "</Types>"
    members = [
        Member("[Content_Types].xml", types.encode()),
        Member("_rels/.rels", (XML_DECL + f'<Relationships xmlns="{PKG_RELS}"><Relationship Id="rId1" '
                               f'Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode()),
        Member("xl/workbook.xml", (XML_DECL + f'<workbook xmlns="{S}" xmlns:r="{R}"><sheets>'
                                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>').encode()),
        Member("xl/_rels/workbook.xml.rels",
               (XML_DECL + f'<Relationships xmlns="{PKG_RELS}">{rels}</Relationships>').encode()),
        Member("xl/worksheets/sheet1.xml", sheet),
    ]
    if shared is not None:
        members.append(Member("xl/sharedStrings.xml", shared))
    return zip_bytes(members)


ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>申报单位</t></is></c>'
       '<c r="B1" t="inlineStr"><is><t>洛阳博威</t></is></c></row>')


def shared_strings(n: int) -> bytes:
    items = "".join(f"<si><t>字符串{i}</t></si>" for i in range(n))
    rows = f'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>{n - 1}</v></c></row>'
    return xlsx_zip(sheet_xml(rows), (XML_DECL + f'<sst xmlns="{S}" count="{n}" uniqueCount="{n}">{items}</sst>')
                    .encode())


def laughing_strings() -> bytes:
    sst = XML_DECL + billion_laughs("sst") + f'<sst xmlns="{S}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    return xlsx_zip(sheet_xml(rows), sst.encode())


def million_empty_rows() -> bytes:
    head = XML_DECL + f'<worksheet xmlns="{S}"><dimension ref="A1:B1048576"/><sheetData>' + ROW
    rows = "".join(f'<row r="{r}"/>' for r in range(2, 1_048_577))
    return xlsx_zip(deflate_pieces([(head.encode() + rows.encode() + b"</sheetData></worksheet>", 1)]))


def xlsx_cases() -> list[Case]:
    good = xlsx_zip(sheet_xml(ROW))
    return [
        Case("xlsx", "xlsx-merge-whole-sheet", "merge-all.xlsx",
             xlsx_zip(sheet_xml(ROW, after='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')),
             Expect.READABLE, note="one real cell; the merge is to be bounded"),
        Case("xlsx", "xlsx-dimension-whole-sheet", "dimension-all.xlsx",
             xlsx_zip(sheet_xml(ROW, dimension="A1:XFD1048576")), Expect.READABLE,
             note="two real cells; the dimension is a claim to be bounded"),
        Case("xlsx", "xlsx-200k-shared-strings", "shared-200k.xlsx", _bytes("shared-200k.xlsx",
                                                                        lambda: shared_strings(200_000)),
             Expect.READABLE, note="a valid, large string table"),
        Case("xlsx", "xlsx-sheet-not-well-formed", "not-well-formed.xlsx",
             xlsx_zip(sheet_xml(ROW).replace(b"</sheetData>", b"<row><c></sheetData>"))),
        Case("xlsx", "xlsx-truncated", "truncated.xlsx", cut(good, 0.5)),
        Case("xlsx", "xlsx-billion-laughs-shared-strings", "billion-laughs.xlsx", laughing_strings()),
        Case("xlsx", "xlsx-million-empty-rows", "empty-rows.xlsx", _bytes("empty-rows.xlsx", million_empty_rows),
             Expect.READABLE, note="valid: one row of text and a million empty rows"),
    ]


# --- the corpus ----------------------------------------------------------------------------------------------

CATEGORIES = ("pdf", "docx", "image", "archive", "mail", "names", "xlsx")


def all_cases() -> list[Case]:
    cases = [*pdf_cases(), *docx_cases(), *image_cases(), *archive_cases(), *mail_cases(), *name_cases(),
             *xlsx_cases()]
    ids = [c.case_id for c in cases]
    assert len(set(ids)) == len(ids), "case ids must be unique"
    for category in CATEGORIES:
        names = [c.name for c in cases if c.category == category]
        assert len(set(names)) == len(names) and GOOD_NAME not in names, f"file names clash in {category}"
    return cases


def build_folder(folder: Path, cases: Sequence[Case]) -> None:
    """The bundle of one category: its hostile files and the good Word file."""
    folder.mkdir(parents=True)
    for case in cases:
        case.write(folder)
    (folder / GOOD_NAME).write_bytes(good_docx())
