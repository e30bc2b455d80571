"""Member and attachment names as archivers and mail programs write them (groundwork for archive
and mail intake), and a file intake could not deliver staying listed."""

import base64
import io
import struct
import zipfile
import zlib
from pathlib import Path

from extractor.intake.names import decode_words, safe_member_path, zip_member_name
from extractor.parse import ParseContext, parse_source
from models import Source


def test_gbk_member_name_without_utf8_flag_is_decoded_as_gb18030() -> None:
    # zipfile hands a name without the UTF-8 flag over decoded as cp437
    assert zip_member_name("营业执照.pdf".encode("gbk").decode("cp437"), 0, b"") == "营业执照.pdf"


def test_utf8_flag_is_trusted() -> None:
    assert zip_member_name("承诺书.pdf", 0x800, b"") == "承诺书.pdf"


def test_unicode_path_extra_field_wins_over_the_raw_name() -> None:
    raw = b"??.pdf"
    field = b"\x01" + struct.pack("<I", zlib.crc32(raw)) + "推荐表.pdf".encode()
    extra = struct.pack("<HH", 0x7075, len(field)) + field
    assert zip_member_name(raw.decode("cp437"), 0, extra) == "推荐表.pdf"


def test_unicode_path_extra_field_with_a_stale_crc_is_ignored() -> None:
    raw = "营业执照.pdf".encode("gbk")
    field = b"\x01" + struct.pack("<I", 12345) + "别的名字.pdf".encode()
    extra = struct.pack("<HH", 0x7075, len(field)) + field
    assert zip_member_name(raw.decode("cp437"), 0, extra) == "营业执照.pdf"


def test_utf8_bytes_without_the_flag_are_read_as_utf8() -> None:
    assert zip_member_name("申报书.docx".encode().decode("cp437"), 0, b"") == "申报书.docx"


def test_gb2312_label_over_gbk_bytes_decodes_as_gb18030() -> None:
    # 镕 is in GBK but not in GB2312: a strict gb2312 decoder fails on it
    word = "=?gb2312?B?" + base64.b64encode("镕铜业承诺书.pdf".encode("gbk")).decode() + "?="
    assert decode_words(word) == "镕铜业承诺书.pdf"
    assert decode_words("plain.pdf") == "plain.pdf"


def test_paths_that_escape_the_bundle_are_refused() -> None:
    assert safe_member_path("../../etc/passwd") is None
    assert safe_member_path("/etc/passwd") is None
    assert safe_member_path("C:\\Windows\\x.pdf") is None
    assert safe_member_path("材料\\营业执照.pdf") == "材料/营业执照.pdf"
    assert safe_member_path("./a//b.pdf") == "a/b.pdf"


def test_file_intake_could_not_deliver_is_listed_with_its_error(ctx: ParseContext) -> None:
    source = Source(path="申报.zip!/推荐表.pdf", location="", size=0, sha256="0" * 64, error="压缩包成员已加密")
    doc = parse_source(source, ctx)
    assert doc.errors == ["压缩包成员已加密"] and doc.pages == []


def test_real_zip_written_by_a_chinese_archiver_round_trips(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("0000", b"x")
    blob = buf.getvalue().replace(b"0000", "材料".encode("gbk"))
    path = tmp_path / "a.zip"
    path.write_bytes(blob)
    with zipfile.ZipFile(path) as zf:
        [info] = zf.infolist()
    assert zip_member_name(info.filename, info.flag_bits, info.extra) == "材料"
