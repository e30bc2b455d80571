import os
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Inches

from extractor.ocr.reader import PageReader
from extractor.parse import ParseContext
from extractor.settings import Settings
from tests import builders as b

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PRECHECK_SHARED", ROOT.parent / "shared"))
TESTDATA = SHARED / "testdata"
CONTRACTS = SHARED / "contracts"


@pytest.fixture(scope="session")
def testdata() -> Path:
    if not TESTDATA.is_dir():
        pytest.fail(f"shared test data not found at {TESTDATA} (set PRECHECK_SHARED)")
    return TESTDATA


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache")


@pytest.fixture
def ctx(settings: Settings) -> ParseContext:
    return ParseContext(settings=settings, reader=PageReader(settings))


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="session")
def stamped_scan_png(session_dir: Path) -> Path:
    img = b.scanned_page(["承诺书", "本单位承诺所提交材料真实有效", "申报单位：洛阳某某铜业有限公司"], 1200, 800, 40)
    path = session_dir / "stamped.png"
    img.save(path)
    return path


@pytest.fixture(scope="session")
def form_docx(session_dir: Path, stamped_scan_png: Path) -> Path:
    """An application form with everything python-docx alone would miss."""
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "全国有色金属产品质量品牌培育活动"
    doc.sections[0].footer.paragraphs[0].text = "第 1 页"
    doc.add_paragraph("全国有色金属产品质量品牌培育活动申报书")
    b.add_block_sdt(doc, "申报单位：洛阳某某铜业有限公司")
    b.add_inline_sdt(doc, "产品名称：", "铜板带")
    b.merged_form_table(doc)
    b.add_w14_checkbox(doc, "卓越品牌", checked=False)
    b.add_w14_checkbox(doc, "优质品牌", checked=True)
    b.add_form_checkbox(doc, "培育品牌", checked=False)
    b.add_form_checkbox(doc, "会员企业", checked=True)
    b.add_wingdings_checkbox(doc, "已加盖公章", checked=True)
    b.add_wingdings_checkbox(doc, "附专利证书", checked=False)
    b.add_textbox(doc, "法定代表人：李四")
    doc.add_picture(str(stamped_scan_png), width=Inches(5))
    path = session_dir / "申报书.docx"
    doc.save(path)
    return path


@pytest.fixture(scope="session")
def license_docx(session_dir: Path) -> Path:
    doc = Document()
    doc.add_paragraph("营业执照")
    doc.add_paragraph("统一社会信用代码 91350100M000100Y43")
    doc.add_paragraph("名称 洛阳某某铜业有限公司")
    doc.add_paragraph("法定代表人 李四")
    doc.add_paragraph("营业期限 2010年05月12日至长期")
    path = session_dir / "营业执照.docx"
    doc.save(path)
    return path


@pytest.fixture(scope="session")
def license_pdf(session_dir: Path, license_docx: Path) -> Path:
    """A text-layer PDF made from Word through LibreOffice, as applicants make them."""
    if not b.soffice():
        pytest.fail("LibreOffice is required: run .ci/install.sh")
    return b.libreoffice_convert(license_docx, "pdf", session_dir / "pdf")


@pytest.fixture(scope="session")
def certificate_lines() -> list[str]:
    return [
        "质量管理体系认证证书",
        "证书编号：00123Q45678R1M",
        "兹证明洛阳某某铜业有限公司",
        "质量管理体系符合 GB/T 19001-2016",
        "有效期至 2026年3月14日",
    ]


@pytest.fixture(scope="session")
def scanned_pdf(session_dir: Path, certificate_lines: list[str]) -> Path:
    """Two scanned pages, the second turned upside down as a feeder sometimes does."""
    upright = b.scanned_page(certificate_lines)
    turned = b.scanned_page(["检验检测报告", "样品名称：铜板带", "检验结论：合格"]).rotate(180)
    return b.images_to_pdf([upright, turned], session_dir / "证书扫描件.pdf")


@pytest.fixture(scope="session")
def mixed_bundle(session_dir: Path, form_docx: Path, license_pdf: Path, scanned_pdf: Path) -> Path:
    """A folder as reviewers get them: Word, text PDF, scanned PDF, a photo, broken files."""
    root = session_dir / "bundle"
    if root.exists():
        shutil.rmtree(root)
    (root / "证实材料").mkdir(parents=True)
    shutil.copy(form_docx, root / "申报书.docx")
    shutil.copy(license_pdf, root / "证实材料" / "营业执照.pdf")
    shutil.copy(scanned_pdf, root / "证实材料" / "质量管理体系认证证书.pdf")
    photo = b.scanned_page(["检验报告", "报告编号：WT2024-01234", "检验结论：合格"], 1200, 900, 40)
    photo.save(root / "证实材料" / "检验报告照片.jpg", quality=85)
    (root / "损坏的文件.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage without xref")
    (root / "空文件.docx").write_bytes(b"")
    return root
