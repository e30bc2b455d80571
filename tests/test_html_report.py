"""The HTML report: self-contained, every finding with its evidence cut from the page, shown in a real
browser (Debian's headless Chromium, installed by .ci/install.sh)."""

import random
import re
import shutil
import subprocess
from datetime import date
from html import escape
from pathlib import Path

import pytest
from docx import Document

from extractor.pipeline import check_bundle
from extractor.report.html_writer import write_html
from extractor.settings import Settings
from gold.generator.seal import draw_seal, stamp
from models import Report
from tests import builders as b

APPLICANT = "洛阳博威有色金属有限责任公司"
CODE = "91350100M000100Y43"
OTHER = "厦门锦江铝材股份有限公司"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CHECK_IMAGES = """<script>
window.addEventListener('load', () => {
  for (const img of document.querySelectorAll('img.evidence')) {
    img.setAttribute('data-shown', img.complete && img.naturalWidth > 0 ? 'yes' : 'no');
  }
  document.body.setAttribute('data-checked', 'yes');
});
</script></body>"""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2021 benchmark bundle: the commitment letter stamped by another company, the recommendation
    form as a text-layer PDF printing an invalid code, the summary in Word."""
    root = tmp_path_factory.mktemp("html") / "GB2021-099洛阳博威有色金属有限责任公司"
    root.mkdir()
    letter = b.scanned_page(["承诺书", "本单位承诺所提交的申报材料真实、准确、完整。", f"申报单位（盖章）：{APPLICANT}",
                             "2021年6月1日"], 1654, 2339, 44)
    seal = draw_seal(OTHER, "", 320, (215, 30, 35), random.Random(3))
    stamp(letter, seal, (560, 390)).save(root / "承诺书（盖章扫描件）.png")
    rec = Document()
    rec.add_paragraph("全国质量标杆推荐表")
    table = rec.add_table(rows=4, cols=2)
    for row, (label, value) in zip(table.rows, [("申报单位", APPLICANT), ("统一社会信用代码", CODE[:-1] + "8"),
                                               ("推荐单位", "湖北省经济和信息化厅"), ("日期", "2021年6月5日")],
                                   strict=True):
        row.cells[0].text, row.cells[1].text = label, value
    work = root.parent / "work"
    work.mkdir()
    rec.save(work / "推荐表.docx")
    if b.soffice() is None:
        pytest.fail("LibreOffice is needed (run .ci/install.sh)")
    b.libreoffice_convert(work / "推荐表.docx", "pdf", work).rename(root / "推荐表.pdf")
    summary = Document()
    summary.add_paragraph("全国质量标杆典型经验申报材料")
    summary.add_paragraph(APPLICANT)
    summary.save(root / "申报材料.docx")
    return root


@pytest.fixture(scope="module")
def report_and_html(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    out = tmp_path_factory.mktemp("out") / "report.html"
    settings = Settings(cache_dir=tmp_path_factory.mktemp("cache"))
    result = check_bundle(bundle, settings, profile="caq-benchmark-2021", as_of=date(2021, 6, 25), evidence=True)
    write_html(result.report, result.crops, out)  # the originals are gone by now: the crops came with the result
    return result.report, out


def test_the_html_report_is_one_file_with_no_outside_resource(report_and_html: tuple[Report, Path]) -> None:
    report, html = report_and_html
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text
    assert not re.search(r"""(src|href)=["'](https?:|//|file:)""", text)
    assert "不通过" in text and APPLICANT in text
    for finding in report.findings:
        assert escape(finding.message) in text


def test_each_finding_with_a_page_box_carries_its_evidence_image(report_and_html: tuple[Report, Path]) -> None:
    report, html = report_and_html
    rules = {f.rule for f in report.findings}
    # the unstamped recommendation form and the invalid code on it, the letter stamped by another company
    assert rules == {"seal_name_mismatch", "credit_code_invalid", "seal_missing"}, rules
    text = html.read_text(encoding="utf-8")
    boxed = [e for f in report.findings for e in f.evidence if e.page and e.bbox]
    assert boxed, "the seal and the code rest on page regions"
    images = re.findall(r'<img class="evidence" src="data:image/jpeg;base64,([^"]+)" alt="([^"]*)"', text)
    assert len(images) == len(boxed)
    assert sorted(alt for _, alt in images) == sorted(escape(ev.text) for ev in boxed)
    assert all(len(data) > 1000 for data, _ in images)  # real crops, not placeholders


def test_every_evidence_image_is_shown_in_headless_chromium(report_and_html: tuple[Report, Path],
                                                            tmp_path: Path) -> None:
    report, html = report_and_html
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Debian's chromium is needed for this test (run .ci/install.sh)")
    probe = tmp_path / "probe.html"
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", CHECK_IMAGES), encoding="utf-8")
    done = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=5000",
         "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    dom = done.stdout
    assert 'data-checked="yes"' in dom, done.stderr[-2000:]
    shown = dom.count('data-shown="yes"')
    boxed = sum(1 for f in report.findings for e in f.evidence if e.page and e.bbox)
    assert shown == boxed and 'data-shown="no"' not in dom
    screenshot = tmp_path / "report.png"
    subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile2'}",
                    "--window-size=1200,1600", f"--screenshot={screenshot}", html.as_uri()],
                   capture_output=True, timeout=120)
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000
