"""Archives as bundles arrive: member names in every encoding archivers use, nesting, encryption,
paths that try to escape, and the limits that keep a zip bomb from filling the disk. Nothing is lost:
what cannot be unpacked is listed with its error."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import py7zr
import pytest

from extractor.intake import open_bundle
from extractor.settings import Settings
from gold.generator.rar import RarMember, rar5, write_rar
from models import Source

GOLD = Path(__file__).resolve().parents[1] / "gold" / "bundles"
PDF = b"%PDF-1.4\n% test\n"


def raw_zip(members: list[tuple[bytes, bytes, int, bytes]]) -> bytes:
    """A zip whose member names are the raw bytes given (flag bits and extra field per member),
    written the way Windows archivers do: no UTF-8 flag unless asked for."""
    buf = io.BytesIO()
    swaps: dict[bytes, bytes] = {}
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (raw, data, flags, extra) in enumerate(members):
            placeholder = f"{i:03d}".ljust(len(raw), "_")[: len(raw)]
            swaps[placeholder.encode()] = raw
            info = zipfile.ZipInfo(placeholder, date_time=(2024, 1, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.flag_bits |= flags
            info.extra = extra
            zf.writestr(info, data)
    blob = bytearray(buf.getvalue())
    for placeholder, raw in swaps.items():
        blob = bytearray(blob.replace(placeholder, raw))
    # zipfile clears flag bits when writing: set them in the local and central headers afterwards
    with zipfile.ZipFile(io.BytesIO(bytes(blob))) as zf:
        offsets = [info.header_offset for info in zf.infolist()]
    central = [i for i in range(len(blob)) if blob[i : i + 4] == b"PK\x01\x02"]
    for (_raw, _data, flags, _extra), local, entry in zip(members, offsets, central, strict=True):
        for at in (local + 6, entry + 8):
            blob[at : at + 2] = struct.pack("<H", struct.unpack("<H", blob[at : at + 2])[0] | flags)
    return bytes(blob)


def unicode_path_extra(raw: bytes, name: str) -> bytes:
    body = b"\x01" + struct.pack("<I", zlib.crc32(raw)) + name.encode()
    return struct.pack("<HH", 0x7075, len(body)) + body


def sources_of(path: Path, settings: Settings | None = None) -> dict[str, Source]:
    with open_bundle(path, settings or Settings()) as intake:
        return {s.path: s for s in intake.sources}


def test_member_names_are_decided_one_by_one(tmp_path: Path) -> None:
    archive = tmp_path / "GB2021-009申报材料.zip"
    archive.write_bytes(raw_zip([
        ("营业执照.pdf".encode("gbk"), PDF, 0, b""),  # Chinese Windows: GBK, no flag
        ("推荐表.pdf".encode(), PDF, 0x800, b""),  # UTF-8 flag
        (b"??.pdf", PDF, 0, unicode_path_extra(b"??.pdf", "承诺书.pdf")),  # Info-ZIP Unicode Path
        ("附件/申报书（盖章）.pdf".encode(), PDF, 0, b""),  # UTF-8 without the flag (macOS)
    ]))
    assert sorted(sources_of(archive)) == sorted(f"GB2021-009申报材料.zip!/{n}" for n in [
        "营业执照.pdf", "推荐表.pdf", "承诺书.pdf", "附件/申报书（盖章）.pdf"])


def test_members_that_would_escape_the_bundle_are_listed_not_written(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    archive.write_bytes(raw_zip([
        (b"../../etc/cron.d/x", b"boom", 0, b""),
        (b"/abs/path.pdf", PDF, 0, b""),
        (b"C:\\Windows\\x.pdf", PDF, 0, b""),
        (b"ok.pdf", PDF, 0, b""),
    ]))
    found = sources_of(archive)
    escaped = [s for s in found.values() if s.error]
    assert len(escaped) == 3
    assert all("越出申报包" in s.error for s in escaped if s.error)
    assert all(s.location == "" for s in escaped)
    assert found["evil.zip!/ok.pdf"].error is None
    assert not (tmp_path.parent / "etc").exists()


def test_encrypted_zip_member_is_listed_with_its_error_and_the_rest_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(raw_zip([(b"secret.pdf", b"xxxx", 0x1, b""), (b"open.pdf", PDF, 0, b"")]))
    with open_bundle(archive, Settings()) as intake:
        found = {s.path: s for s in intake.sources}
        assert "加密" in (found["a.zip!/secret.pdf"].error or "")
        assert Path(found["a.zip!/open.pdf"].location).read_bytes() == PDF


def test_encrypted_7z_members_and_encrypted_7z_headers(tmp_path: Path) -> None:
    members = tmp_path / "members.7z"
    with py7zr.SevenZipFile(members, "w", password="pw") as a:
        a.writestr(b"%PDF-1.4 secret", "营业执照.pdf")
    headers = tmp_path / "headers.7z"
    with py7zr.SevenZipFile(headers, "w", password="pw", header_encryption=True) as a:
        a.writestr(b"%PDF-1.4 secret", "营业执照.pdf")
    assert "加密" in (sources_of(members)["members.7z!/营业执照.pdf"].error or "")
    whole = sources_of(headers)
    assert list(whole) == ["headers.7z"] and "加密" in (whole["headers.7z"].error or "")


def test_nested_archives_are_unpacked_with_bang_paths(tmp_path: Path) -> None:
    inner = tmp_path / "inner.7z"
    with py7zr.SevenZipFile(inner, "w") as a:
        a.writestr(PDF, "检验报告.pdf")
    middle = io.BytesIO()
    with zipfile.ZipFile(middle, "w") as zf:
        zf.writestr("资质/inner.7z", inner.read_bytes())
        zf.writestr("营业执照.pdf", PDF)
    outer = tmp_path / "bundle"
    outer.mkdir()
    (outer / "申报.zip").write_bytes(middle.getvalue())
    found = sources_of(outer)
    assert sorted(found) == ["申报.zip!/营业执照.pdf", "申报.zip!/资质/inner.7z!/检验报告.pdf"]
    assert found["申报.zip!/资质/inner.7z!/检验报告.pdf"].origin == "申报.zip!/资质/inner.7z"


def test_nesting_deeper_than_the_limit_is_listed_not_unpacked(tmp_path: Path) -> None:
    data = PDF
    name = "doc.pdf"
    for level in range(4):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(name, data)
        data, name = buf.getvalue(), f"level{level}.zip"
    archive = tmp_path / "deep.zip"
    archive.write_bytes(data)
    found = sources_of(archive, Settings(max_archive_depth=2))
    assert list(found) == ["deep.zip!/level2.zip!/level1.zip"]
    assert "层" in (found["deep.zip!/level2.zip!/level1.zip"].error or "")


def test_zip_bomb_is_stopped_by_the_ratio_guard(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.bin", b"\0" * (40 * 1024 * 1024))
        zf.writestr("营业执照.pdf", PDF)
    found = sources_of(archive)
    assert "压缩比" in (found["bomb.zip!/zeros.bin"].error or "")
    assert found["bomb.zip!/营业执照.pdf"].error is None


def test_unpacked_total_and_file_count_are_bounded(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(10):
            zf.writestr(f"f{i}.txt", b"x" * 1000)
    by_count = sources_of(archive, Settings(max_bundle_files=4))
    assert len([s for s in by_count.values() if s.error is None]) == 4
    assert "文件数超过上限" in (by_count["many.zip"].error or "")
    by_size = sources_of(archive, Settings(max_bundle_bytes=3500))
    assert len([s for s in by_size.values() if s.error is None]) == 3
    assert any("总大小超过上限" in (s.error or "") for s in by_size.values())


def test_corrupt_archive_and_damaged_member_are_listed_with_errors(tmp_path: Path) -> None:
    (tmp_path / "bundle").mkdir()
    (tmp_path / "bundle" / "broken.zip").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.pdf", PDF + b"A" * 100)
    blob = good.getvalue().replace(b"A" * 100, b"B" * 100)  # data no longer matches its CRC
    (tmp_path / "bundle" / "crc.zip").write_bytes(blob)
    found = sources_of(tmp_path / "bundle")
    assert "损坏" in (found["broken.zip"].error or "")
    assert "损坏" in (found["crc.zip!/a.pdf"].error or "")


def test_duplicate_member_names_both_stay_listed(tmp_path: Path) -> None:
    archive = tmp_path / "dup.zip"
    with pytest.warns(UserWarning), zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("营业执照.pdf", PDF)
        zf.writestr("营业执照.pdf", PDF + b"v2")
    assert sorted(sources_of(archive)) == ["dup.zip!/营业执照 (2).pdf", "dup.zip!/营业执照.pdf"]


def test_os_litter_in_archives_is_skipped(tmp_path: Path) -> None:
    archive = tmp_path / "mac.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("申报书.pdf", PDF)
        zf.writestr("__MACOSX/._申报书.pdf", b"\0\5\26\7")
        zf.writestr(".DS_Store", b"\0")
    assert list(sources_of(archive)) == ["mac.zip!/申报书.pdf"]


def test_unpacked_files_are_removed_after_the_check(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(raw_zip([(b"a.pdf", PDF, 0, b"")]))
    with open_bundle(archive, Settings()) as intake:
        location = Path(intake.sources[0].location)
        assert location.is_file()
    assert not location.exists() and not location.parent.exists()


ARCHIVE_OR_MAIL = (".zip", ".7z", ".rar", ".eml", ".msg")


GOLD_PACKED = sorted(p for p in GOLD.iterdir() if p.suffix in ARCHIVE_OR_MAIL)


@pytest.mark.parametrize("bundle", GOLD_PACKED, ids=lambda p: p.name)
def test_every_gold_archive_and_mail_unpacks_to_exactly_its_annotated_documents(bundle: Path) -> None:
    import json

    gold = json.loads(bundle.with_name(bundle.name + ".gold.json").read_text(encoding="utf-8"))
    found = sources_of(bundle)
    assert sorted(found) == sorted(d["path"] for d in gold["documents"])
    assert all(s.error is None for s in found.values())


def test_rar4_names_in_the_code_page_and_unicode_names_are_both_read(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.rar"
    write_rar(archive, [
        RarMember("附件/营业执照.pdf", PDF),  # GBK bytes, no Unicode flag (WinRAR on Chinese Windows)
        RarMember("乗/表.pdf", PDF),  # 乗 is 0x81 0x5C in GBK: its trail byte is a backslash
        RarMember("申报书（盖章扫描件）.pdf", PDF, name_encoding="unicode"),
    ], 4)
    assert sorted(sources_of(archive)) == [
        "bundle.rar!/乗/表.pdf", "bundle.rar!/申报书（盖章扫描件）.pdf", "bundle.rar!/附件/营业执照.pdf"]


@pytest.mark.parametrize("version", [4, 5])
def test_encrypted_rar_members_are_listed_not_read_as_content(tmp_path: Path, version: int) -> None:
    # libarchive 3.6 would hand RAR 5 ciphertext over as content; rarfile sees the encryption record
    archive = tmp_path / "bundle.rar"
    write_rar(archive, [RarMember("secret.pdf", PDF, encrypted=True), RarMember("open.pdf", PDF)], version)  # type: ignore[arg-type]
    found = sources_of(archive)
    assert "加密" in (found["bundle.rar!/secret.pdf"].error or "")
    assert found["bundle.rar!/open.pdf"].error is None


def test_rar_member_with_a_wrong_crc_is_listed_as_damaged(tmp_path: Path) -> None:
    archive = tmp_path / "bundle.rar"
    blob = rar5([RarMember("a.pdf", PDF + b"A" * 64)]).replace(b"A" * 64, b"B" * 64)
    archive.write_bytes(blob)
    assert "损坏" in (sources_of(archive)["bundle.rar!/a.pdf"].error or "")


def test_member_with_a_corrupt_deflate_stream_is_listed_and_the_rest_read(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.pdf", PDF * 200)
        zf.writestr("b.pdf", PDF)
    blob = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(blob))) as zf:
        info = zf.getinfo("a.pdf")
        data_at = info.header_offset + 30 + len(info.filename) + len(info.extra)
    blob[data_at : data_at + 8] = b"\xff" * 8  # not a deflate stream any more: zlib.error
    archive = tmp_path / "z.zip"
    archive.write_bytes(bytes(blob))
    found = sources_of(archive)
    assert "损坏" in (found["z.zip!/a.pdf"].error or "")
    assert found["z.zip!/b.pdf"].error is None


def test_zip_inside_with_a_utf8_flag_over_gbk_bytes_is_listed_not_fatal(tmp_path: Path) -> None:
    inner = raw_zip([("营业执照.pdf".encode("gbk"), PDF, 0x800, b"")])  # flag says UTF-8, bytes are GBK
    outer = tmp_path / "o.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("inner.zip", inner)
        zf.writestr("ok.pdf", PDF)
    found = sources_of(outer)
    assert found["o.zip!/ok.pdf"].error is None
    assert any(p.startswith("o.zip!/inner.zip") for p in found)


def test_unsafe_and_encrypted_entries_count_against_the_file_limit(tmp_path: Path) -> None:
    archive = tmp_path / "many.zip"
    archive.write_bytes(raw_zip([(f"../{i:03d}.pdf".encode(), PDF, 0, b"") for i in range(50)]))
    found = sources_of(archive, Settings(max_bundle_files=10))
    assert len(found) == 11  # ten listed with their error, then one saying the rest was not unpacked
    assert "文件数超过上限" in (found["many.zip"].error or "")


def test_many_members_each_under_the_floor_cannot_fill_the_disk(tmp_path: Path) -> None:
    archive = tmp_path / "spread.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(8):
            zf.writestr(f"zeros{i}.bin", b"\0" * (12 * 1024 * 1024))
    found = sources_of(archive)
    delivered = [s for s in found.values() if s.error is None]
    assert len(delivered) < 8
    assert any("压缩炸弹" in (s.error or "") for s in found.values())
