"""Documents whose text we know, made for tests: Word files with the constructs python-docx skips,
scanned pages drawn with a CJK font, PDFs from Word through LibreOffice."""

import copy
import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
from docx import Document
from docx.oxml import parse_xml
from PIL import Image, ImageDraw, ImageFont

CJK_FONTS = [
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
]
NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def cjk_font(size: int) -> ImageFont.FreeTypeFont:
    for path in CJK_FONTS:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    raise RuntimeError("no CJK font installed (fonts-noto-cjk): run .ci/install.sh")


def scanned_page(lines: list[str], width: int = 1654, height: int = 2339, size: int = 44) -> Image.Image:
    """An A4 page at 200 dpi with the given lines drawn in black, like a clean scan."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = cjk_font(size)
    y = 160
    for line in lines:
        draw.text((140, y), line, fill=(0, 0, 0), font=font)
        y += int(size * 1.9)
    return img


def to_bgr(img: Image.Image) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(img.convert("RGB"))[:, :, ::-1])


def images_to_pdf(images: list[Image.Image], path: Path, dpi: int = 200) -> Path:
    first, *rest = [im.convert("RGB") for im in images]
    first.save(path, "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _append_to_body(doc: Document, xml: str) -> None:
    body = doc.element.body
    body.insert(len(body) - 1, parse_xml(xml))  # before the final sectPr


def add_w14_checkbox(doc: Document, label: str, checked: bool) -> None:
    glyph = "☒" if checked else "☐"
    _append_to_body(
        doc,
        f"<w:p {NS}><w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val=\"{int(checked)}\"/>"
        f"</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
        f"<w:r><w:t>{label}</w:t></w:r></w:p>",
    )


def add_form_checkbox(doc: Document, label: str, checked: bool) -> None:
    _append_to_body(
        doc,
        f"<w:p {NS}><w:r><w:fldChar w:fldCharType=\"begin\"><w:ffData><w:checkBox><w:sizeAuto/>"
        f"<w:default w:val=\"{int(checked)}\"/></w:checkBox></w:ffData></w:fldChar></w:r>"
        "<w:r><w:instrText xml:space=\"preserve\"> FORMCHECKBOX </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
        f"<w:r><w:t>{label}</w:t></w:r></w:p>",
    )


def add_wingdings_checkbox(doc: Document, label: str, checked: bool) -> None:
    code = "F0FE" if checked else "F0A8"
    _append_to_body(
        doc,
        f"<w:p {NS}><w:r><w:sym w:font=\"Wingdings\" w:char=\"{code}\"/></w:r>"
        f"<w:r><w:t>{label}</w:t></w:r></w:p>",
    )


def add_block_sdt(doc: Document, text: str) -> None:
    _append_to_body(
        doc,
        f"<w:sdt {NS}><w:sdtPr><w:alias w:val=\"company\"/></w:sdtPr><w:sdtContent>"
        f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    )


def add_inline_sdt(doc: Document, label: str, value: str) -> None:
    _append_to_body(
        doc,
        f"<w:p {NS}><w:r><w:t>{label}</w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent>"
        f"<w:r><w:t>{value}</w:t></w:r></w:sdtContent></w:sdt></w:p>",
    )


def add_textbox(doc: Document, text: str) -> None:
    """A DrawingML text box with its VML fallback, as Word writes it (the text must be read once)."""
    _append_to_body(
        doc,
        f"<w:p {NS}><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        "<wp:anchor distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" simplePos=\"0\" relativeHeight=\"1\" "
        "behindDoc=\"0\" locked=\"0\" layoutInCell=\"1\" allowOverlap=\"1\"><wp:simplePos x=\"0\" y=\"0\"/>"
        "<wp:positionH relativeFrom=\"column\"><wp:posOffset>0</wp:posOffset></wp:positionH>"
        "<wp:positionV relativeFrom=\"paragraph\"><wp:posOffset>0</wp:posOffset></wp:positionV>"
        "<wp:extent cx=\"2000000\" cy=\"500000\"/><wp:wrapNone/><wp:docPr id=\"99\" name=\"TextBox\"/>"
        "<a:graphic><a:graphicData uri=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\">"
        f"<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
    )


def merged_form_table(doc: Document) -> None:
    """企业名称 spans three columns; 联系人 spans two rows (vMerge)."""
    table = doc.add_table(rows=3, cols=4)
    table.style = "Table Grid"
    table.cell(0, 0).text = "企业名称"
    a = table.cell(0, 1).merge(table.cell(0, 3))
    a.text = "洛阳某某铜业有限公司"
    table.cell(1, 0).text = "统一社会信用代码"
    table.cell(1, 1).merge(table.cell(1, 3)).text = "91350100M000100Y43"
    table.cell(2, 0).text = "申报类别"
    table.cell(2, 1).text = "☑优质品牌 ☐卓越品牌"
    table.cell(2, 2).text = "联系人"
    table.cell(2, 3).text = "张三"


def copy_doc(doc: Document) -> Document:
    return copy.deepcopy(doc)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_convert(src: Path, target: str, out_dir: Path) -> Path:
    exe = soffice()
    assert exe, "LibreOffice is required for this test: run .ci/install.sh"
    profile = out_dir / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", target,
         "--outdir", str(out_dir), str(src)],
        check=True, capture_output=True, timeout=180,
    )
    out = out_dir / f"{src.stem}.{target.split(':')[0]}"
    assert out.is_file(), f"LibreOffice did not write {out}"
    return out


def check_in_fresh_process(folder: Path, cache_dir: Path, modules: tuple[str, ...], **settings: object
                           ) -> tuple[list[dict], list[str]]:
    """`check` of `folder` in a new Python process, files parsed in that process: each document's
    text source and seal texts, and which of `modules` the run imported (a runtime loaded or not)."""
    import json
    import sys

    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from extractor.pipeline import check\n"
        "from extractor.settings import Settings\n"
        f"report = check(Path({str(folder)!r}), Settings(cache_dir=Path({str(cache_dir)!r}), isolate_files=False,"
        f" **{settings!r}))\n"
        "docs = [{'text_source': str(d.text_source), 'seals': [s.text for s in d.seals]} for d in report.documents]\n"
        f"print(json.dumps([docs, sorted(m for m in {modules!r} if m in sys.modules)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    docs, imported = json.loads(done.stdout.strip().splitlines()[-1])
    return docs, imported
