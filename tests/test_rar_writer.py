"""The RAR writer of the gold generator, checked against real readers: libarchive (through libarchive-c)
and, where installed, lsar from unar."""

import ctypes
import json
import locale
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest

from gold.generator.rar import RAR4_SIGNATURE, RAR5_SIGNATURE, UNIX_TIME, RarMember, rar4, rar5, write_rar

libarchive = pytest.importorskip("libarchive")
ffi = pytest.importorskip("libarchive.ffi")

APPLICATION = "申报书（盖章扫描件）.pdf"
LICENCE = "附件/营业执照.pdf"
PLAIN = {
    APPLICATION: b"%PDF-1.4 application form\n",
    LICENCE: b"%PDF-1.4 business licence\n",
    "readme.txt": b"",
    "附件/scan.bin": bytes(range(256)) * 300,  # larger than libarchive's read block
}

_lib = ffi.libarchive
for _name in ("archive_entry_is_encrypted", "archive_read_has_encrypted_entries"):
    getattr(_lib, _name).argtypes = [ctypes.c_void_p]
    getattr(_lib, _name).restype = ctypes.c_int


Encoding = Literal["gbk", "unicode"]
SECRET = "加密/财务报表.pdf"
SECRET_DATA = b"%PDF-1.4 confidential\n" * 3


@pytest.fixture(autouse=True)
def utf8_ctype() -> Iterator[None]:
    """libarchive converts names to the charset of LC_CTYPE; under plain "C" (e.g. LC_ALL=C, which stops
    Python's C.UTF-8 coercion) Unicode RAR 4 names come back as None. Pin a UTF-8 LC_CTYPE for these tests."""
    before = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    yield
    locale.setlocale(locale.LC_CTYPE, before)


def members(name_encoding: Encoding = "gbk", encrypted: bool = False) -> list[RarMember]:
    files = [RarMember("附件/", b"", name_encoding)]
    files += [RarMember(name, data, name_encoding) for name, data in PLAIN.items()]
    if encrypted:
        files.append(RarMember(SECRET, SECRET_DATA, name_encoding, encrypted=True))
    return files


def read_back(blob: bytes, header_codec: str = "utf-8") -> dict[Any, dict[str, Any]]:
    """Every entry libarchive sees: pathname (str, or bytes it could not decode) -> what it reports."""
    seen: dict[Any, dict[str, Any]] = {}
    with libarchive.memory_reader(blob, header_codec=header_codec) as archive:
        for entry in archive:
            encrypted = bool(_lib.archive_entry_is_encrypted(entry._entry_p))
            seen[entry.pathname] = {
                "isdir": entry.isdir,
                "isfile": entry.isfile,
                "size": entry.size,
                "mtime": entry.mtime,
                "encrypted": encrypted,
                "data": None if entry.isdir or encrypted else b"".join(entry.get_blocks()),
                "archive_has_encrypted": _lib.archive_read_has_encrypted_entries(archive._pointer),
            }
    return seen


def lsar(path: Path, *options: str) -> dict[str, Any]:
    done = subprocess.run(["lsar", "-j", *options, str(path)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    listing: dict[str, Any] = json.loads(done.stdout)
    return listing


needs_lsar = pytest.mark.skipif(shutil.which("lsar") is None, reason="lsar (Debian package unar) not installed")


def test_archives_start_with_the_signature_of_their_version() -> None:
    assert rar4(members()).startswith(RAR4_SIGNATURE)
    assert rar5(members()).startswith(RAR5_SIGNATURE)


def test_output_is_deterministic() -> None:
    for write in (rar4, rar5):
        blob = write(members(encrypted=True))
        assert blob == write(members(encrypted=True))
        assert b"confidential" not in blob  # the encrypted member's data is not stored in the clear


def test_rar5_member_names_and_bytes_read_back_by_libarchive() -> None:
    seen = read_back(rar5(members()))
    assert list(seen) == ["附件", *PLAIN]
    for name, data in PLAIN.items():
        assert seen[name]["isfile"] and seen[name]["data"] == data and seen[name]["size"] == len(data)
        assert seen[name]["mtime"] == UNIX_TIME
    assert seen["附件"]["isdir"]


def test_rar4_unicode_flagged_names_read_back_as_text_by_libarchive() -> None:
    seen = read_back(rar4(members("unicode")))
    assert list(seen) == ["附件", *PLAIN]
    for name, data in PLAIN.items():
        assert seen[name]["isfile"] and seen[name]["data"] == data
    assert seen["附件"]["isdir"]


def test_rar4_gbk_names_come_back_from_libarchive_as_raw_gbk_bytes_with_slashes() -> None:
    """No Unicode flag: libarchive hands over the stored bytes ("\\" turned into "/"); libarchive-c cannot
    decode them as UTF-8 and returns bytes, or text when told the archive's code page."""
    blob = rar4(members("gbk"))
    raw = read_back(blob)
    assert list(raw) == ["附件".encode("gbk"), *(n if n.isascii() else n.encode("gbk") for n in PLAIN)]
    assert raw[LICENCE.encode("gbk")]["data"] == PLAIN[LICENCE]
    decoded = read_back(blob, header_codec="gbk")
    assert list(decoded) == ["附件", *PLAIN]
    for name, data in PLAIN.items():
        assert decoded[name]["data"] == data


def test_rar4_modification_time_is_the_fixed_local_dos_time() -> None:
    seen = read_back(rar4(members("unicode")))
    assert seen[APPLICATION]["mtime"] == int(time.mktime((2024, 1, 1, 8, 0, 0, 0, 0, -1)))


def test_rar4_encrypted_member_is_flagged_encrypted_by_libarchive() -> None:
    seen = read_back(rar4(members("unicode", encrypted=True)))
    secret = seen[SECRET]
    assert secret["encrypted"] and secret["isfile"] and secret["size"] == len(SECRET_DATA)
    assert secret["archive_has_encrypted"] == 1
    assert not any(info["encrypted"] for name, info in seen.items() if name != SECRET)


@pytest.mark.parametrize("version", [4, 5])
def test_encrypted_member_is_flagged_by_rarfile(tmp_path: Path, version: Literal[4, 5]) -> None:
    # the reader precheck uses for RAR; libarchive 3.6 reports no encryption on RAR 5 members at all
    import rarfile

    path = write_rar(tmp_path / "bundle.rar", members("unicode", encrypted=True), version)
    with rarfile.RarFile(str(path)) as archive:
        flagged = {info.filename: info.needs_password() for info in archive.infolist() if not info.is_dir()}
    assert flagged[SECRET] and not any(v for name, v in flagged.items() if name != SECRET)


@needs_lsar
@pytest.mark.parametrize("version", [4, 5])
def test_encrypted_member_is_flagged_encrypted_by_lsar(tmp_path: Path, version: Literal[4, 5]) -> None:
    path = write_rar(tmp_path / "bundle.rar", members("unicode", encrypted=True), version)
    entries = {e["XADFileName"]: e for e in lsar(path)["lsarContents"]}
    assert entries[SECRET].get("XADIsEncrypted") == 1
    assert entries[SECRET]["XADFileSize"] == len(SECRET_DATA)
    assert not any(e.get("XADIsEncrypted") for name, e in entries.items() if name != SECRET)


@needs_lsar
@pytest.mark.parametrize(("version", "name_encoding"), [(4, "gbk"), (4, "unicode"), (5, "gbk")])
def test_lsar_lists_the_names_and_verifies_the_checksums(
    tmp_path: Path, version: Literal[4, 5], name_encoding: Encoding
) -> None:
    path = write_rar(tmp_path / "bundle.rar", members(name_encoding), version)
    listing = lsar(path, "-e", "GB18030")  # only used for names without the Unicode flag
    assert [e["XADFileName"] for e in listing["lsarContents"]] == ["附件", *PLAIN]
    tested = subprocess.run(["lsar", "-t", str(path)], capture_output=True, text=True, timeout=30)
    assert tested.returncode == 0, tested.stdout + tested.stderr  # lsar checks each member's CRC32


def test_write_rar_writes_the_archive_of_the_requested_version(tmp_path: Path) -> None:
    path = write_rar(tmp_path / "bundle.rar", members(), 4)
    assert path.read_bytes() == rar4(members())
    assert write_rar(tmp_path / "bundle.rar", members(), 5).read_bytes() == rar5(members())


def test_names_outside_gbk_need_the_unicode_encoding() -> None:
    with pytest.raises(ValueError, match="GBK"):
        rar4([RarMember("résumé 😀.pdf", b"x")])
    assert read_back(rar4([RarMember("résumé 😀.pdf", b"x", "unicode")]))["résumé 😀.pdf"]["data"] == b"x"
