"""The gold generator's .msg writer, read back with olefile: CFB structure, MAPI property streams, attachments."""

import io
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import olefile
import pytest

from gold.generator.msg import (
    MINI_CUTOFF,
    MsgAttachment,
    MsgMessage,
    cfb_bytes,
    filetime,
    msg_bytes,
    short_name,
)

BEIJING = timezone(timedelta(hours=8))
SENT = datetime(2024, 5, 20, 9, 30, tzinfo=BEIJING)
SUBJECT = "关于报送2024年度质量奖申报材料的函"
BODY = "您好：\r\n附件为申报材料，请查收。"
ATT = "__attach_version1.0_#{:08X}"
EMBEDDED = [ATT.format(5), "__substg1.0_3701000D"]


def blob(size: int, seed: int) -> bytes:
    return bytes((i * seed + i // 251) % 256 for i in range(size))


FILES = {  # long name -> data: one of ~300 KB, one just over the mini-stream cutoff, small ones, an empty one
    "申报书（盖章扫描件）.pdf": blob(300_000, 7),
    "营业执照.pdf": blob(5000, 11),
    "法人身份证.jpg": blob(1000, 3),
    "承诺书.docx": blob(3000, 5),
    "readme.txt": b"",
}
INNER_FILE = ("质量管理体系证书.pdf", blob(2500, 13))
INNER = MsgMessage(
    subject="补充材料：质量管理体系证书",
    sender_name="李四",
    sender_email="lisi@example.cn",
    date=datetime(2024, 5, 18, 16, 5, tzinfo=BEIJING),
    body="请查收补充材料。",
    attachments=[MsgAttachment(INNER_FILE[0], INNER_FILE[1])],
)


def make_msg() -> bytes:
    attachments = [MsgAttachment(name, data) for name, data in FILES.items()]
    attachments.append(MsgAttachment("转发：补充材料.msg", embedded=INNER))
    return msg_bytes(
        SUBJECT, "张三", "zhangsan@example.cn", SENT, BODY, attachments, recipients=[("评审办", "ps@example.gov.cn")]
    )


@pytest.fixture(scope="module")
def msg_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("msg") / "申报材料.msg"
    path.write_bytes(make_msg())
    return path


@pytest.fixture
def ole(msg_path: Path) -> Iterator[olefile.OleFileIO]:
    """Opened with the strictest defect level: any oddity olefile notices raises."""
    with olefile.OleFileIO(str(msg_path), raise_defects=olefile.DEFECT_UNSURE) as f:
        assert f.parsing_issues == []
        yield f


def read(ole: olefile.OleFileIO, *path: str) -> bytes:
    data: bytes = ole.openstream(list(path)).read()
    return data


def text(ole: olefile.OleFileIO, *path: str) -> str:
    return read(ole, *path).decode("utf-16-le")


def properties(ole: olefile.OleFileIO, storage: list[str], header: int) -> dict[int, tuple[int, bytes]]:
    """Property tag -> (flags, 8-byte value field) from a __properties_version1.0 stream."""
    raw = read(ole, *storage, "__properties_version1.0")
    assert (len(raw) - header) % 16 == 0
    entries = {}
    for offset in range(header, len(raw), 16):
        tag, flags = struct.unpack_from("<II", raw, offset)
        entries[tag] = (flags, raw[offset + 8 : offset + 16])
    return entries


def long_value(entry: tuple[int, bytes]) -> int:
    value: int = struct.unpack("<I", entry[1][:4])[0]
    return value


def test_writer_output_is_byte_stable() -> None:
    assert make_msg() == make_msg()


def test_strict_olefile_lists_the_msg_storage_tree(ole: olefile.OleFileIO) -> None:
    paths = {"/".join(p) for p in ole.listdir(streams=True, storages=True)}
    for expected in [
        "__properties_version1.0",
        "__substg1.0_001A001F",
        "__substg1.0_0037001F",
        "__substg1.0_1000001F",
        "__nameid_version1.0/__substg1.0_00020102",
        "__nameid_version1.0/__substg1.0_00030102",
        "__nameid_version1.0/__substg1.0_00040102",
        "__recip_version1.0_#00000000/__substg1.0_3001001F",
        *(f"{ATT.format(i)}/__substg1.0_37010102" for i in range(len(FILES))),
        "/".join([*EMBEDDED, "__properties_version1.0"]),
        "/".join([*EMBEDDED, ATT.format(0), "__substg1.0_37010102"]),
    ]:
        assert expected in paths
    assert ole.get_type(EMBEDDED) == olefile.STGTY_STORAGE
    assert ole.root.name == "Root Entry"


def test_message_strings_decode_from_unicode_streams_with_size_plus_two(ole: olefile.OleFileIO) -> None:
    assert text(ole, "__substg1.0_0037001F") == SUBJECT
    assert text(ole, "__substg1.0_001A001F") == "IPM.Note"
    assert text(ole, "__substg1.0_0C1A001F") == "张三"
    assert text(ole, "__substg1.0_0042001F") == "张三"
    assert text(ole, "__substg1.0_0C1F001F") == "zhangsan@example.cn"
    assert text(ole, "__substg1.0_1000001F") == BODY
    props = properties(ole, [], 32)
    for tag in (0x0037001F, 0x001A001F, 0x0C1A001F, 0x0C1F001F, 0x1000001F):
        assert long_value(props[tag]) == len(read(ole, f"__substg1.0_{tag:08X}")) + 2


def test_top_header_counts_recipients_and_attachments_and_times_are_filetimes(ole: olefile.OleFileIO) -> None:
    raw = read(ole, "__properties_version1.0")
    assert raw[:8] == bytes(8) and raw[24:32] == bytes(8)
    n = len(FILES) + 1
    assert struct.unpack_from("<4I", raw, 8) == (1, n, 1, n)
    props = properties(ole, [], 32)
    for tag in (0x00390040, 0x0E060040):
        assert struct.unpack("<Q", props[tag][1])[0] == filetime(SENT)
    assert long_value(props[0x340D0003]) & 0x00040000
    assert filetime(SENT) == filetime(SENT.astimezone(UTC).replace(tzinfo=None))
    assert filetime(datetime(1601, 1, 2, tzinfo=UTC)) == 86_400 * 10_000_000


def test_recipient_storage_holds_name_and_address(ole: olefile.OleFileIO) -> None:
    recip = "__recip_version1.0_#00000000"
    assert text(ole, recip, "__substg1.0_3001001F") == "评审办"
    assert text(ole, recip, "__substg1.0_3003001F") == "ps@example.gov.cn"
    assert len(read(ole, recip, "__properties_version1.0")) % 16 == 8


def test_attachment_names_and_bytes_round_trip_exactly(ole: olefile.OleFileIO) -> None:
    for i, (name, data) in enumerate(FILES.items()):
        storage = ATT.format(i)
        assert text(ole, storage, "__substg1.0_3707001F") == name
        assert text(ole, storage, "__substg1.0_3704001F") == short_name(name, i)
        assert read(ole, storage, "__substg1.0_37010102") == data
        props = properties(ole, [storage], 8)
        assert long_value(props[0x37050003]) == 1
        assert long_value(props[0x0E210003]) == i
        assert long_value(props[0x37010102]) == len(data)


def test_small_streams_sit_in_the_mini_stream(ole: olefile.OleFileIO) -> None:
    sizes = [ole.get_size(p) for p in ole.listdir() if ole.get_type(p) == olefile.STGTY_STREAM]
    assert any(s >= MINI_CUTOFF for s in sizes) and any(0 < s < MINI_CUTOFF for s in sizes)
    assert ole.root.size == sum(-(-s // 64) * 64 for s in sizes if s < MINI_CUTOFF)


def test_embedded_message_is_a_storage_with_its_own_properties_and_attachment(ole: olefile.OleFileIO) -> None:
    outer = properties(ole, [ATT.format(5)], 8)
    assert long_value(outer[0x37050003]) == 5
    assert long_value(outer[0x3701000D]) == 0xFFFFFFFF
    assert text(ole, ATT.format(5), "__substg1.0_3707001F") == "转发：补充材料.msg"
    raw = read(ole, *EMBEDDED, "__properties_version1.0")
    assert struct.unpack_from("<4I", raw, 8) == (0, 1, 0, 1)
    inner = properties(ole, EMBEDDED, 24)
    assert struct.unpack("<Q", inner[0x00390040][1])[0] == filetime(INNER.date)
    assert text(ole, *EMBEDDED, "__substg1.0_0037001F") == INNER.subject
    assert text(ole, *EMBEDDED, ATT.format(0), "__substg1.0_3707001F") == INNER_FILE[0]
    assert read(ole, *EMBEDDED, ATT.format(0), "__substg1.0_37010102") == INNER_FILE[1]
    assert not ole.exists("/".join([*EMBEDDED, "__nameid_version1.0"]))


def cfb_key(name: str) -> tuple[int, str]:
    return len(name.encode("utf-16-le")), name.upper()


def assert_red_black(ole: olefile.OleFileIO, top: int) -> None:
    """In-order walk in CFB name order, no red node with a red child, equal black count on every path."""
    names: list[str] = []

    def walk(sid: int, parent_red: bool) -> int:
        if sid == olefile.NOSTREAM:
            return 1
        entry = ole.direntries[sid]
        red = entry.color == 0
        assert not (red and parent_red)
        left = walk(entry.sid_left, red)
        names.append(entry.name)
        right = walk(entry.sid_right, red)
        assert left == right
        if entry.sid_child != olefile.NOSTREAM:
            assert ole.direntries[entry.sid_child].color == 1
            assert_red_black(ole, entry.sid_child)
        return left + (0 if red else 1)

    walk(top, False)
    assert names == sorted(names, key=cfb_key)


def test_every_directory_tree_is_red_black_in_cfb_order(ole: olefile.OleFileIO) -> None:
    assert_red_black(ole, ole.root.sid_child)


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 13, 31])
def test_sibling_trees_stay_red_black_for_any_count(count: int) -> None:
    tree = {f"s{i:0{i % 3 + 1}d}": bytes(i) for i in range(count)} | {"Sub": {"A": b"1", "b": b"22", "C": b"333"}}
    f = olefile.OleFileIO(io.BytesIO(cfb_bytes(tree)), raise_defects=olefile.DEFECT_UNSURE)
    assert_red_black(f, f.root.sid_child)
    assert f.openstream(["Sub", "b"]).read() == b"22"


def test_cfb_rejects_names_it_cannot_hold() -> None:
    with pytest.raises(ValueError, match="31"):
        cfb_bytes({"x" * 32: b""})
    with pytest.raises(ValueError, match="letter case"):
        cfb_bytes({"Name": b"", "NAME": b""})
    with pytest.raises(ValueError, match="may not contain"):
        cfb_bytes({"a/b": b""})


def test_header_difat_carries_a_7_mb_file_and_refuses_more() -> None:
    data = blob(7_000_000 // 256, 1) * 256
    f = olefile.OleFileIO(io.BytesIO(cfb_bytes({"big": data, "small": b"s"})), raise_defects=olefile.DEFECT_UNSURE)
    assert f.openstream("big").read() == data
    with pytest.raises(ValueError, match="DIFAT"):
        cfb_bytes({"big": bytes(7_200_000)})


def test_short_names_keep_fitting_names_and_derive_the_rest() -> None:
    assert short_name("report.pdf", 0) == "REPORT.PDF"
    assert short_name("营业执照.pdf", 1) == "ATTACH~2.PDF"
    assert short_name("Annual Report 2024.docx", 2) == "ANNUAL~3.DOC"
    assert short_name("README", 0) == "README"


def test_explicit_short_name_is_written(tmp_path: Path) -> None:
    attachment = MsgAttachment("营业执照.pdf", b"x", short_name="YYZZ.PDF")
    path = tmp_path / "a.msg"
    path.write_bytes(msg_bytes("s", "n", "n@example.cn", SENT, "", [attachment]))
    with olefile.OleFileIO(str(path)) as f:
        assert text(f, ATT.format(0), "__substg1.0_3704001F") == "YYZZ.PDF"


def test_attachment_needs_exactly_one_of_data_or_embedded() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        msg_bytes("s", "n", "n@example.cn", SENT, "", [MsgAttachment("a.pdf")])
    with pytest.raises(ValueError, match="exactly one"):
        msg_bytes("s", "n", "n@example.cn", SENT, "", [MsgAttachment("a.msg", b"x", embedded=INNER)])
