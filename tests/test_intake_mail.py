"""Mails as Chinese mail programs really write them: every attachment-name form, attached mails,
Big5 subjects, Outlook .msg; an .eml is one bundle, an .mbox is refused by `check`."""

import base64
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from extractor.errors import InputError
from extractor.intake import open_bundle
from extractor.intake.mail import parse_eml
from extractor.intake.msg import parse_msg
from extractor.settings import Settings
from gold.generator.msg import MsgAttachment, MsgMessage, msg_bytes

PDF = b"%PDF-1.4\n% attachment\n"
B64_PDF = base64.b64encode(PDF).decode()


def mail(subject_header: str, parts: list[str], sender: str = "申报联系人 <a@example.com>",
         boundary: str = "==b==") -> bytes:
    body = "\r\n".join(
        f"--{boundary}\r\n{part}" for part in ["Content-Type: text/plain; charset=utf-8\r\n\r\n请查收。", *parts]
    )
    head = (
        f"From: {sender}\r\nTo: pingshen@example.org\r\nSubject: {subject_header}\r\n"
        "Date: Fri, 30 Aug 2024 09:30:00 +0800\r\nMessage-ID: <t1@example.com>\r\nMIME-Version: 1.0\r\n"
        f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'
    )
    return (head + body + f"\r\n--{boundary}--\r\n").encode("utf-8", errors="surrogateescape")


def attachment(headers: str, data: str = B64_PDF) -> str:
    return f"{headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n{data}"


def words(text: str, charset: str, codec: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(codec)).decode()}?="


def names(raw: bytes) -> list[str]:
    return [a.name for a in parse_eml(raw).attachments]


def test_gb2312_word_inside_quotes_is_read_as_gbk() -> None:
    # 鑫 is not in GB 2312, yet clients label GBK bytes "gb2312"
    name = words("华鑫营业执照.pdf", "gb2312", "gbk")
    header = f'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="{name}"'
    assert names(mail("x", [attachment(header)])) == ["华鑫营业执照.pdf"]


def test_rfc2231_gb2312_name() -> None:
    encoded = quote("申报书（盖章扫描件）.pdf".encode("gbk"))
    header = f"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=GB2312''{encoded}"
    assert names(mail("x", [attachment(header)])) == ["申报书（盖章扫描件）.pdf"]


def test_iso_2022_cn_name_without_codec_falls_back_to_name() -> None:
    encoded = quote("营业执照.pdf".encode())  # bytes do not matter: Python has no iso-2022-cn codec
    header = (
        f'Content-Type: application/pdf; name="{words("营业执照.pdf", "gb2312", "gbk")}"\r\n'
        f"Content-Disposition: attachment; filename*=iso-2022-cn''{encoded}"
    )
    assert names(mail("x", [attachment(header)])) == ["营业执照.pdf"]


def test_placeholder_name_loses_to_filename_star() -> None:
    encoded = quote("推荐表.pdf".encode())
    header = (
        'Content-Type: application/octet-stream; name="_____.txt"\r\n'
        f'Content-Disposition: attachment; filename="_____.txt"; filename*=UTF-8\'\'{encoded}'
    )
    assert names(mail("x", [attachment(header)])) == ["推荐表.pdf"]


def test_raw_8bit_gbk_name_is_decoded() -> None:
    raw = mail("x", [attachment('Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="XNAMEX"')])
    raw = raw.replace(b"XNAMEX", "承诺书.pdf".encode("gbk"))
    assert names(raw) == ["承诺书.pdf"]


def test_big5_subject_and_gb2312_sender_are_decoded() -> None:
    subject = words("申報材料：臺灣鑫華公司", "big5", "big5")
    sender = f'{words("申报联系人", "gb2312", "gbk")} <a@example.com>'
    parsed = parse_eml(mail(subject, [], sender=sender))
    assert parsed.subject == "申報材料：臺灣鑫華公司"
    assert parsed.sender == "申报联系人 <a@example.com>"
    assert parsed.date is not None and parsed.date.isoformat() == "2024-08-30T09:30:00+08:00"
    assert parsed.message_id == "<t1@example.com>"


def test_attached_mail_is_unpacked_under_its_own_path(tmp_path: Path) -> None:
    licence = quote("营业执照.pdf")
    inner = mail("GB2021-005补充材料", [attachment(
        f"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''{licence}")])
    outer = mail("转发：补充材料", boundary="==outer==", parts=[
        "Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n" + inner.decode("utf-8"),
        attachment("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=cover.pdf"),
    ])
    eml = tmp_path / "转发.eml"
    eml.write_bytes(outer)
    with open_bundle(eml, Settings()) as intake:
        paths = [s.path for s in intake.sources]
        assert paths == ["转发.eml!/GB2021-005补充材料.eml!/营业执照.pdf", "转发.eml!/cover.pdf"]
        assert Path(intake.sources[0].location).read_bytes() == PDF
        assert [m.path for m in intake.mails] == ["转发.eml", "转发.eml!/GB2021-005补充材料.eml"]
        assert [(a.name, a.paths) for a in intake.mails[1].attachments] == [
            ("营业执照.pdf", ["转发.eml!/GB2021-005补充材料.eml!/营业执照.pdf"])]


def test_attachments_with_the_same_name_are_both_kept(tmp_path: Path) -> None:
    part = attachment("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=scan.pdf")
    eml = tmp_path / "a.eml"
    eml.write_bytes(mail("x", [part, part]))
    with open_bundle(eml, Settings()) as intake:
        assert [s.path for s in intake.sources] == ["a.eml!/scan.pdf", "a.eml!/scan (2).pdf"]


def test_zip_attachment_inside_a_mail_is_unpacked(tmp_path: Path) -> None:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("营业执照.pdf", PDF)
    part = attachment(
        "Content-Type: application/zip\r\nContent-Disposition: attachment; filename*=UTF-8''%E7%94%B3%E6%8A%A5.zip",
        base64.b64encode(buf.getvalue()).decode(),
    )
    eml = tmp_path / "m.eml"
    eml.write_bytes(mail("x", [part]))
    with open_bundle(eml, Settings()) as intake:
        assert [s.path for s in intake.sources] == ["m.eml!/申报.zip!/营业执照.pdf"]
        carried = [(a.name, a.paths) for a in intake.mails[0].attachments]
        assert carried == [("申报.zip", ["m.eml!/申报.zip!/营业执照.pdf"])]


def outlook_mail() -> bytes:
    forwarded = MsgMessage(
        subject="补充材料：质量管理体系证书", sender_name="李四", sender_email="lisi@example.cn",
        date=datetime(2024, 5, 18, 8, 5), body="见附件",
        attachments=(MsgAttachment("质量管理体系证书.pdf", PDF),),
    )
    return msg_bytes(
        "GB2021-006鹰潭南山新材料（集团）有限公司", "张三", "zhangsan@example.cn", datetime(2024, 5, 20, 1, 30),
        "请查收",
        [MsgAttachment("申报书（盖章扫描件）.pdf", PDF * 2000), MsgAttachment("营业执照.pdf", PDF),
         MsgAttachment("转发：补充材料", embedded=forwarded)],
    )


def test_outlook_msg_subject_sender_date_and_attachments() -> None:
    parsed = parse_msg(outlook_mail())
    assert parsed.subject == "GB2021-006鹰潭南山新材料（集团）有限公司"
    assert parsed.sender == "张三 <zhangsan@example.cn>"
    assert parsed.date is not None and parsed.date.isoformat() == "2024-05-20T01:30:00+00:00"
    assert [(a.name, a.data) for a in parsed.attachments[:2]] == [
        ("申报书（盖章扫描件）.pdf", PDF * 2000), ("营业执照.pdf", PDF)]
    embedded = parsed.attachments[2].message
    assert embedded is not None and embedded.subject == "补充材料：质量管理体系证书"
    assert [(a.name, a.data) for a in embedded.attachments] == [("质量管理体系证书.pdf", PDF)]


def test_outlook_msg_is_one_bundle_with_attached_mail_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "申报.msg"
    path.write_bytes(outlook_mail())
    with open_bundle(path, Settings()) as intake:
        assert [s.path for s in intake.sources] == [
            "申报.msg!/申报书（盖章扫描件）.pdf",
            "申报.msg!/营业执照.pdf",
            "申报.msg!/转发：补充材料!/质量管理体系证书.pdf",
        ]
        assert all(s.error is None for s in intake.sources)


def test_damaged_msg_is_listed_with_its_error(tmp_path: Path) -> None:
    path = tmp_path / "坏.msg"
    path.write_bytes(outlook_mail()[:2000])
    with open_bundle(path, Settings()) as intake:
        assert [s.path for s in intake.sources] == ["坏.msg"]
        assert "Outlook" in (intake.sources[0].error or "")


def test_mbox_is_refused_by_check_with_a_pointer_to_batch(capsys: pytest.CaptureFixture[str]) -> None:
    from extractor.cli import main

    inbox = Path(__file__).resolve().parents[1] / "gold" / "inbox" / "质量标杆申报邮箱导出.mbox"
    with pytest.raises(InputError, match="precheck batch"), open_bundle(inbox, Settings()):
        pass
    assert main(["check", str(inbox)]) != 0
    captured = capsys.readouterr()
    assert captured.out == "" and "precheck batch" in captured.err


def test_mail_over_the_size_limit_is_listed_not_read(tmp_path: Path) -> None:
    eml = tmp_path / "大.eml"
    part = attachment("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf")
    eml.write_bytes(mail("x", [part]))
    with open_bundle(eml, Settings(max_file_bytes=100)) as intake:
        assert [s.path for s in intake.sources] == ["大.eml"]
        assert "过大" in (intake.sources[0].error or "")


def test_mail_without_attachments_is_listed_so_the_reviewer_sees_it(tmp_path: Path) -> None:
    eml = tmp_path / "咨询.eml"
    eml.write_bytes(mail("关于申报的咨询", []))
    with open_bundle(eml, Settings()) as intake:
        assert [(s.path, s.error) for s in intake.sources] == [("咨询.eml", "邮件没有附件")]
        assert intake.mails[0].subject == "关于申报的咨询"


def test_malformed_words_and_raw_utf8_names_do_not_break_the_mail() -> None:
    part = attachment("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''申报书.pdf")
    parsed = parse_eml(mail("=?utf-8?B?a?=", [part]))
    assert [a.name for a in parsed.attachments] == ["申报书.pdf"]
    assert parsed.subject  # kept as written rather than lost


def test_raw_text_mixed_with_encoded_words_is_decoded() -> None:
    assert parse_eml(mail(f"GB2021-001 申报 {words('材料', 'utf-8', 'utf-8')}", [])).subject == "GB2021-001 申报 材料"


def test_attached_mail_sent_base64_is_unpacked(tmp_path: Path) -> None:
    part = attachment("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf")
    inner = mail("原申报邮件", [part], boundary="==inner==")
    outer = mail("转发", [f"Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                          f"{base64.encodebytes(inner).decode()}"])
    parsed = parse_eml(outer)
    nested = parsed.attachments[0].message
    assert nested is not None and nested.subject == "原申报邮件"
    assert [(a.name, a.data) for a in nested.attachments] == [("a.pdf", PDF)]


def test_eml_starting_with_an_mbox_separator_is_still_a_mail(tmp_path: Path) -> None:
    eml = tmp_path / "导出.eml"
    part = attachment("Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf")
    eml.write_bytes(b"From someone@example.com Fri Aug 30 09:30:00 2024\n" + mail("申报", [part]))
    with open_bundle(eml, Settings()) as intake:
        assert [s.path for s in intake.sources] == ["导出.eml!/a.pdf"]


def test_mail_bundle_report_keeps_the_mail_and_validates_against_the_contract(tmp_path: Path) -> None:
    import json

    import jsonschema

    from extractor.pipeline import check
    from tests.conftest import CONTRACTS

    note = base64.b64encode("申报说明：请查收。".encode()).decode()
    headers = "Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=说明.txt"
    part = attachment(headers, note)
    broken = attachment("Content-Type: application/zip\r\nContent-Disposition: attachment; filename=坏.zip",
                        base64.b64encode(b"PK\x03\x04" + b"\0" * 64).decode())
    eml = tmp_path / "GB2021-009申报.eml"
    eml.write_bytes(mail("GB2021-009申报", [part, broken]))
    report = check(eml, Settings(cache_dir=tmp_path / "cache"), profile="caq-benchmark-2021")
    data = report.to_json_dict()
    jsonschema.validate(data, json.loads((CONTRACTS / "report.schema.json").read_text(encoding="utf-8")))
    assert [d["path"] for d in data["documents"]] == ["GB2021-009申报.eml!/说明.txt", "GB2021-009申报.eml!/坏.zip"]
    assert data["documents"][1]["errors"] and data["documents"][0]["origin"] == "GB2021-009申报.eml"
    assert data["bundle"]["mails"][0]["subject"] == "GB2021-009申报"
    assert data["bundle"]["mails"][0]["date"] == "2024-08-30T09:30:00+08:00"
    rules = sorted(f["rule"] for f in data["findings"])
    assert rules == ["file_unreadable", "missing_document", "missing_document", "missing_document"]
    assert {f["expected"] for f in data["findings"] if f["rule"] == "missing_document"} == {
        "recommendation_form", "commitment_letter", "summary_report"}  # 中国质协字〔2021〕35号 通知一、3


def test_short_chinese_text_file_is_text_not_unknown(tmp_path: Path) -> None:
    # the sniffer used to trim four bytes off every head, cutting short files mid-character
    from extractor.parse.sniff import TEXT, sniff_media_type

    for encoding in ("utf-8", "gb18030"):
        path = tmp_path / f"说明.{encoding}"
        path.write_bytes("申报说明：请查收。".encode(encoding))
        assert sniff_media_type(path) == TEXT
