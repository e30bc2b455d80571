"""Writes examples/mixed-bundle: the folder the README's first command checks.

Word form, text-layer PDF (Word through LibreOffice), a scanned certificate, a photo of a test
report, and a corrupt file. Run `python3 -m examples.make_mixed_bundle` to make it again.
"""

import shutil
import tempfile
from pathlib import Path

from docx import Document
from docx.shared import Inches

from tests import builders as b

OUT = Path(__file__).resolve().parent / "mixed-bundle"


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    (OUT / "证实材料").mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        lines = ["承诺书", "本单位承诺所提交材料真实有效", "申报单位：洛阳某某铜业有限公司"]
        seal_page = b.scanned_page(lines, 900, 600, 30)
        seal_png = tmp / "承诺书.png"
        seal_page.save(seal_png)

        form = Document()
        form.add_paragraph("全国有色金属产品质量品牌培育活动申报书")
        b.merged_form_table(form)
        b.add_w14_checkbox(form, "优质品牌", checked=True)
        b.add_w14_checkbox(form, "卓越品牌", checked=False)
        form.add_picture(str(seal_png), width=Inches(4))
        form.save(OUT / "申报书.docx")

        licence = Document()
        for line in ("营业执照", "统一社会信用代码 91350100M000100Y43", "名称 洛阳某某铜业有限公司",
                     "法定代表人 李四", "营业期限 2010年05月12日至长期"):
            licence.add_paragraph(line)
        licence_docx = tmp / "营业执照.docx"
        licence.save(licence_docx)
        shutil.copy(b.libreoffice_convert(licence_docx, "pdf", tmp / "pdf"), OUT / "证实材料" / "营业执照.pdf")

    scan = b.scanned_page(
        ["质量管理体系认证证书", "证书编号：00123Q45678R1M", "兹证明洛阳某某铜业有限公司",
         "质量管理体系符合 GB/T 19001-2016", "有效期至 2026年3月14日"], 1240, 1754, 40
    ).rotate(90, expand=True)
    scan.convert("L").save(OUT / "证实材料" / "质量管理体系认证证书.pdf", "PDF", resolution=150)
    photo = b.scanned_page(["检验报告", "报告编号：WT2024-01234", "检验结论：合格"], 1000, 700, 36)
    photo.save(OUT / "证实材料" / "检验报告照片.jpg", quality=80)
    (OUT / "损坏的文件.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> truncated, no xref\n")


if __name__ == "__main__":
    main()
