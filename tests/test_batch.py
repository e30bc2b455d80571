"""`precheck batch` over an exported inbox: one report per application, follow-up mails merged, every
attachment in the manifest, re-runs skip what is done, a broken bundle is a row, not a crash."""

import json
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from extractor.batch import BatchItem, discover, run_batch
from extractor.cli import main
from extractor.intake.inbox import InboxMail, application_code, base_title, group_applications, is_follow_up
from extractor.intake.mail import Mail
from extractor.settings import Settings

INBOX = Path(__file__).resolve().parents[1] / "gold" / "inbox" / "质量标杆申报邮箱导出.mbox"


def inbox_mail(subject: str, sender: str, minute: int) -> InboxMail:
    mail = Mail(subject=subject, sender=sender, date=datetime(2024, 8, 1, 9, minute), message_id=None)
    return InboxMail(ref=f"box#{minute}", mail=mail)


def test_subjects_are_read_for_code_follow_up_and_title() -> None:
    assert application_code("Re: 转发：GB2021-002厦门紫金金属材料有限责任公司") == "GB2021002"
    assert application_code("ＧＢ２０２１－００２厦门紫金") == "GB2021002"  # full-width, as some clients type it
    assert is_follow_up("【补充材料】厦门紫金金属材料有限责任公司")
    assert not is_follow_up("GB2021-002厦门紫金金属材料有限责任公司")
    assert base_title("【补充材料】厦门紫金金属材料有限责任公司") == "厦门紫金金属材料有限责任公司"
    resent = "回复：厦门紫金金属材料有限责任公司申报材料更正（第二次）"
    assert base_title(resent) == "厦门紫金金属材料有限责任公司申报材料"


def test_follow_ups_join_their_application_by_code_title_or_sender() -> None:
    apps = group_applications([
        inbox_mail("GB2021-007包头锦江有色金属有限公司", "包头 <bt@example.com>", 1),
        inbox_mail("GB2021-008昆明众诚铜材有限责任公司", "昆明 <km@example.com>", 2),
        inbox_mail("Re: GB2021-007包头锦江有色金属有限公司更正", "包头 <bt@example.com>", 3),
        inbox_mail("【补充材料】昆明众诚铜材有限责任公司", "另一位联系人 <other@example.com>", 4),
        inbox_mail("补充材料", "包头 <BT@example.com>", 5),  # says nothing but comes from the same sender
        inbox_mail("关于申报的咨询", "路人 <q@example.com>", 6),  # not an application: kept, on its own
    ])
    assert [(a.title, [m.ref for m in a.mails]) for a in apps] == [
        ("GB2021-007包头锦江有色金属有限公司", ["box#1", "box#3", "box#5"]),
        ("GB2021-008昆明众诚铜材有限责任公司", ["box#2", "box#4"]),
        ("关于申报的咨询", ["box#6"]),
    ]


@pytest.fixture(scope="module")
def inbox_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    out = tmp_path_factory.mktemp("batch")
    settings_env = {"PRECHECK_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    import os

    old = {k: os.environ.get(k) for k in settings_env}
    os.environ.update(settings_env)
    try:
        code = main(["batch", str(INBOX), "--profile", "caq-benchmark-2021", "--out", str(out), "--workers", "2"])
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return out, code


def test_gold_inbox_gives_one_report_per_application(inbox_run: tuple[Path, int]) -> None:
    out, code = inbox_run
    expected = json.loads(INBOX.with_name(INBOX.name + ".expected.json").read_text(encoding="utf-8"))
    reports = sorted(out.glob("*/report.json"))
    assert code == 0
    assert len(reports) == len(expected["applications"]) == 5
    sources = sorted(json.loads(r.read_text(encoding="utf-8"))["bundle"]["source"] for r in reports)
    assert sources == sorted(a["application"] for a in expected["applications"])


def test_manifest_accounts_for_every_attachment_of_every_mail(inbox_run: tuple[Path, int]) -> None:
    out, _ = inbox_run
    expected = json.loads(INBOX.with_name(INBOX.name + ".expected.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    got = {
        app["application"]: {
            "sender": app["mails"][0]["sender"],
            "mails": [m["subject"] for m in app["mails"]],
            "attachments": sorted(a["name"] for m in app["mails"] for a in m["attachments"]),
        }
        for app in manifest["applications"]
    }
    want = {
        app["application"]: {"sender": app["sender"], "mails": app["mails"], "attachments": sorted(app["attachments"])}
        for app in expected["applications"]
    }
    assert got == want
    report_of = {app["application"]: app["report"] for app in manifest["applications"]}
    follow_up = json.loads(Path(report_of["GB2021-002厦门紫金金属材料有限责任公司"]).read_text(encoding="utf-8"))
    paths = [d["path"] for d in follow_up["documents"]]
    assert "GB2021-002厦门紫金金属材料有限责任公司补充材料.eml!/补充说明.docx" in paths


def test_summary_has_one_row_per_bundle(inbox_run: tuple[Path, int]) -> None:
    out, _ = inbox_run
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "申报包" and len(rows) == 6
    column = {name: i for i, name in enumerate(rows[0])}
    assert {r[column["状态"]] for r in rows[1:]} == {"已检查"}
    # each bundle's report sits beside an HTML report, and the sheet carries the values a reviewer scans
    assert all((p.parent / "report.html").is_file() for p in out.glob("*/report.json"))
    assert all(r[column["推荐单位"]] for r in rows[1:])
    assert all(r[column["结论"]] in ("通过", "不通过", "需人工复核") for r in rows[1:])


def test_rerun_skips_bundles_already_done(inbox_run: tuple[Path, int], capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = inbox_run
    before = {p: p.stat().st_mtime_ns for p in out.glob("*/report.json")}
    assert main(["batch", str(INBOX), "--profile", "caq-benchmark-2021", "--out", str(out), "--workers", "2"]) == 0
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/report.json")} == before
    assert capsys.readouterr().err.count("已有结果，跳过") == 5


def test_a_broken_bundle_is_a_failed_row_and_the_batch_goes_on(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = inbox / "A001甲公司"
    good.mkdir()
    (good / "说明.txt").write_text("申报说明", encoding="utf-8")
    gone = inbox / "A002乙公司.zip"
    with zipfile.ZipFile(gone, "w") as zf:
        zf.writestr("说明.txt", "x")
    items = discover(inbox)
    assert [i.label for i in items] == ["A001甲公司", "A002乙公司.zip"]
    gone.unlink()  # vanished between listing and checking
    rows = run_batch(items, "generic", None, tmp_path / "out", Settings(), workers=1)
    assert [r.status for r in rows] == ["done", "failed"]
    assert "路径不存在" in (rows[1].error or "")
    out = tmp_path / "out"
    assert [p.name for p in out.glob("*/report.html")] == ["report.html"]  # the good one's
    assert not list(out.glob(".*.report.html"))  # nothing half-written left behind


def test_a_changed_bundle_is_checked_again(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "A001甲公司").mkdir(parents=True)
    note = inbox / "A001甲公司" / "说明.txt"
    note.write_text("第一版", encoding="utf-8")
    out = tmp_path / "out"
    first = run_batch(discover(inbox), "generic", None, out, Settings())
    note.write_text("第二版", encoding="utf-8")
    second = run_batch(discover(inbox), "generic", None, out, Settings())
    third = run_batch(discover(inbox), "generic", None, out, Settings())
    assert [first[0].status, second[0].status, third[0].status] == ["done", "done", "skipped"]
    assert first[0].bundle_id != second[0].bundle_id


def test_folder_of_eml_files_is_grouped_like_an_mbox(tmp_path: Path) -> None:
    import mailbox

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i, message in enumerate(mailbox.mbox(str(INBOX)), start=1):
        (inbox / f"{i:02d}.eml").write_bytes(message.as_bytes())
    shutil.copy(INBOX.parents[1] / "bundles" / "GB2021-003西安新威金属材料有限公司.7z", inbox)
    items: list[BatchItem] = discover(inbox)
    assert [i.label for i in items] == [
        "GB2021-001洛阳博威有色金属有限责任公司", "GB2021-002厦门紫金金属材料有限责任公司",
        "GB2021-003西安新威金属材料有限公司", "GB2021-004金昌锦江铜业（集团）有限公司",
        "GB2021-005铜陵锦江铝材股份有限公司", "GB2021-003西安新威金属材料有限公司.7z",
    ]
    assert [len(i.mails) for i in items] == [1, 2, 1, 1, 1, 0]


def test_inbox_mails_are_held_by_reference_and_read_back_exactly() -> None:
    import mailbox

    from extractor.intake.inbox import read_mbox

    box = mailbox.mbox(str(INBOX))
    expected = [box.get_bytes(key) for key in box.iterkeys()]
    found = read_mbox(INBOX)
    assert [m.read() for m in found] == expected
    assert all(m.mail.attachments == [] for m in found)  # headers only until a worker checks them


def test_different_applicants_are_never_merged() -> None:
    apps = group_applications([
        inbox_mail("北京中科创新科技有限公司", "甲 <a@example.com>", 1),
        inbox_mail("北京中科创达科技发展有限公司申报材料", "乙 <b@example.com>", 2),
        inbox_mail("华为技术有限公司", "丙 <c@example.com>", 3),
        inbox_mail("华为技术有限公司深圳分公司", "丁 <d@example.com>", 4),
        inbox_mail("2024年度科技奖申报材料", "戊 <e@example.com>", 5),
        inbox_mail("2024年度科技奖申报材料", "己 <f@example.com>", 6),
        inbox_mail("ISO9001-2015 甲公司", "庚 <g@example.com>", 7),
        inbox_mail("ISO9001-2015 乙公司", "辛 <h@example.com>", 8),
        inbox_mail("GB2021-001甲公司", "代理机构 <agent@example.com>", 9),
        inbox_mail("深圳市城市更新开发有限公司", "代理机构 <agent@example.com>", 10),
    ])
    assert len(apps) == 10
    assert application_code("ISO9001-2015 甲公司") is None
    assert not is_follow_up("深圳市城市更新开发有限公司")


def test_another_reference_date_or_name_is_checked_again(tmp_path: Path) -> None:
    from datetime import date

    inbox = tmp_path / "inbox"
    (inbox / "A001甲公司").mkdir(parents=True)
    (inbox / "A001甲公司" / "说明.txt").write_text("申报说明", encoding="utf-8")
    out = tmp_path / "out"
    first = run_batch(discover(inbox), "generic", date(2024, 1, 1), out, Settings())
    later = run_batch(discover(inbox), "generic", date(2024, 6, 1), out, Settings())
    (inbox / "A001甲公司").rename(inbox / "A002乙公司")
    renamed = run_batch(discover(inbox), "generic", date(2024, 6, 1), out, Settings())
    assert [first[0].status, later[0].status, renamed[0].status] == ["done", "done", "done"]
    assert run_batch(discover(inbox), "generic", date(2024, 6, 1), out, Settings())[0].status == "skipped"


def test_summary_cells_from_mails_are_text_never_formulas(tmp_path: Path) -> None:
    from extractor.report.summary_xlsx import write_summary
    from models import BatchRow

    target = tmp_path / "summary.xlsx"
    link = '=HYPERLINK("http://example.invalid","点此")'
    write_summary([BatchRow(label=link, status="failed", error="=1+1")], target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet is not None
    assert sheet["A2"].value == link and sheet["A2"].data_type == "s"
    note = [c.value for c in sheet[1]].index("说明")
    assert sheet[2][note].value == "=1+1" and sheet[2][note].data_type == "s"


def test_unescaped_from_line_in_a_body_does_not_split_the_mail(tmp_path: Path) -> None:
    from extractor.intake.inbox import read_mbox

    box = tmp_path / "box.mbox"
    box.write_bytes(
        b"From a@example.com Fri Aug 30 09:30:00 2024\nSubject: A001\n\nline one\nFrom the office, with thanks\n\n"
        b"From b@example.com Fri Aug 30 10:30:00 2024\nSubject: A002\n\nbody\n"
    )
    found = read_mbox(box)
    assert [m.mail.subject for m in found] == ["A001", "A002"]
    assert b"From the office" in found[0].read()
