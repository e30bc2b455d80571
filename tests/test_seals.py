"""Seals: found by colour and shape, ring read, text beneath kept, reported where they sit."""

import math
import random
from pathlib import Path

import numpy as np
import pytest
from docx import Document
from docx.shared import Inches
from PIL import Image, ImageDraw

from extractor.intake.folder import collect_sources
from extractor.parse import ParseContext, parse_source
from extractor.pipeline import check
from extractor.settings import Settings
from extractor.understand.seals import anchor_line, seal_kind, seal_name_similarity
from extractor.vision.seal_detect import find_seals
from extractor.vision.seal_ink import remove_seal_ink
from extractor.vision.seal_ring import Arc, arcs, ink_image, polar, ring_geometry, upper_and_lower
from gold.generator.seal import draw_seal, stamp
from models import Line, Page, PageSeal, TextSource
from tests import builders as b

NAME = "洛阳博威有色金属有限责任公司"
RED = (215, 30, 35)
BLUE = (30, 60, 200)


def seal_image(name: str = NAME, centre: str = "", diameter: int = 320, colour: tuple[int, int, int] = RED,
               turn: float = 0.0, seed: int = 1) -> Image.Image:
    seal = draw_seal(name, centre, diameter, colour, random.Random(seed))
    return seal.rotate(turn, resample=Image.BICUBIC) if turn else seal


def body_page(lines: list[str] | None = None) -> Image.Image:
    return b.scanned_page(lines or ["承诺书", "本单位承诺所提交材料真实有效。", "申报单位（盖章）：", "2024年8月31日"],
                          1654, 2339, 44)


def faded(seal: Image.Image, alpha: float) -> Image.Image:
    out = seal.copy()
    out.putalpha(out.getchannel("A").point(lambda a: int(a * alpha)))
    return out


def read_png(img: Image.Image, tmp_path: Path, ctx: ParseContext, name: str = "page.png") -> Page:
    path = tmp_path / name
    img.save(path)
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    assert not doc.errors, doc.errors
    return doc.pages[0]


# -- detection (colour and shape, no OCR) -------------------------------------------------------


def test_a_red_round_seal_is_found_with_its_box_and_shape() -> None:
    page = stamp(body_page(), seal_image(), (600, 500))
    [seal] = find_seals(b.to_bgr(page))
    assert (seal.colour, seal.shape) == ("red", "round")
    assert abs(seal.cx - 600) < 12 and abs(seal.cy - 500) < 12
    assert 145 <= seal.rx <= 175
    assert seal.confidence >= 0.8


def test_several_seals_on_one_page_are_each_found() -> None:
    page = body_page()
    for i, centre in enumerate([(400, 600), (1200, 600), (800, 1700)]):
        page = stamp(page, seal_image(seed=i), centre)
    seals = find_seals(b.to_bgr(page))
    assert len(seals) == 3
    assert sorted((round(s.cx, -2), round(s.cy, -2)) for s in seals) == [(400, 600), (800, 1700), (1200, 600)]


def test_a_seal_cut_by_the_page_edge_is_still_a_seal() -> None:
    page = stamp(body_page(), seal_image(), (1654 - 60, 1200))  # most of it beyond the right edge
    [seal] = find_seals(b.to_bgr(page))
    assert seal.cut


def test_a_faint_seal_is_found() -> None:
    page = stamp(body_page(), faded(seal_image(colour=(235, 120, 120)), 0.55), (700, 900))
    assert len(find_seals(b.to_bgr(page))) == 1


def test_a_faded_seal_is_read(tmp_path: Path, ctx: ParseContext) -> None:
    page = stamp(body_page(), faded(seal_image(colour=(235, 120, 120)), 0.5), (700, 900))
    [seal] = read_png(page, tmp_path, ctx).seals
    assert seal_name_similarity(seal.text or "", NAME) >= 0.9


def test_a_seal_that_lost_its_colour_is_found_by_its_ring_and_read(tmp_path: Path, ctx: ParseContext) -> None:
    page = stamp(body_page(), seal_image(), (700, 900)).convert("L").convert("RGB")  # a photocopy
    [shape] = find_seals(b.to_bgr(page))
    assert shape.colour == "grey"
    [seal] = read_png(page, tmp_path, ctx).seals
    assert seal.colour == "grey"
    assert seal_name_similarity(seal.text or "", NAME) >= 0.8


def test_blue_and_oval_seals_are_found_with_their_colour_and_shape() -> None:
    oval = seal_image(diameter=320).resize((400, 290))
    page = stamp(stamp(body_page(), seal_image(colour=BLUE), (500, 700)), oval, (1100, 1600))
    found = {(s.colour, s.shape) for s in find_seals(b.to_bgr(page))}
    assert found == {("blue", "round"), ("red", "oval")}


def test_a_square_seal_is_found() -> None:
    square = Image.new("RGBA", (180, 180), (0, 0, 0, 0))
    draw = ImageDraw.Draw(square)
    draw.rectangle((6, 6, 173, 173), outline=(*RED, 240), width=10)
    font = b.cjk_font(64)
    for (x, y), ch in zip([(98, 22), (98, 96), (20, 22), (20, 96)], "周刚之印", strict=True):
        draw.text((x, y), ch, font=font, fill=(*RED, 240))
    page = stamp(body_page(), square, (900, 900))
    [seal] = find_seals(b.to_bgr(page))
    assert seal.shape == "square"


@pytest.mark.parametrize("kind", ["red_heading", "red_table", "black_ring", "grey_table"])
def test_pages_without_a_seal_report_none(kind: str) -> None:
    page = body_page(["营业执照", "统一社会信用代码 91350100M000100Y43", "名称 洛阳博威有色金属有限责任公司"] * 6)
    draw = ImageDraw.Draw(page)
    if kind == "red_heading":
        draw.text((300, 1800), "关于开展质量标杆遴选活动的通知", font=b.cjk_font(72), fill=RED)
        draw.rectangle((100, 100, 1554, 130), fill=RED)  # a red rule under a letterhead
    elif kind == "red_table":
        for y in range(1500, 2200, 100):
            draw.line((100, y, 1554, y), fill=RED, width=3)
        for x in range(100, 1600, 300):
            draw.line((x, 1500, x, 2100), fill=RED, width=3)
    elif kind == "grey_table":  # a dense grey form: table rules and text make no ring
        for y in range(1200, 2200, 60):
            draw.line((100, y, 1554, y), fill=(90, 90, 90), width=3)
            row = "铝合金建筑型材 6063/6005/6061 ☐卓越品牌 ■优质品牌"
            draw.text((120, y + 8), row, font=b.cjk_font(40), fill=(60, 60, 60))
        for x in range(100, 1600, 290):
            draw.line((x, 1200, x, 2160), fill=(90, 90, 90), width=3)
    else:
        draw.ellipse((500, 1500, 820, 1820), outline=(0, 0, 0), width=12)  # a black circle is no seal
    assert find_seals(b.to_bgr(page)) == []


def test_a_seal_stamped_over_a_red_printed_form_is_found() -> None:
    """An invoice prints its frame and labels in a dark red; the stamp lies across the frame, so the
    two are one blob of red ink until the straight rules and the darker print are set apart."""
    page = body_page()
    draw = ImageDraw.Draw(page)
    dark_red = (125, 5, 5)
    for y in (1400, 1560, 1720):
        draw.line((100, y, 1554, y), fill=dark_red, width=3)
    for x in (100, 900, 1554):
        draw.line((x, 1400, x, 1720), fill=dark_red, width=3)
    draw.text((200, 1450), "销售方名称纳税人识别号", font=b.cjk_font(48), fill=dark_red)
    oval = seal_image(centre="发票专用章", diameter=320).resize((400, 280))
    page = stamp(page, oval, (950, 1560))
    [seal] = find_seals(b.to_bgr(page))
    assert seal.shape == "oval" and abs(seal.cx - 950) < 15 and abs(seal.cy - 1560) < 15


def test_a_red_letterhead_is_a_line_of_text_not_a_row_of_seals() -> None:
    """Large red glyphs with frames (国, 回, 固) look like square seals one by one; side by side at one
    height they are a letterhead."""
    page = body_page()
    draw = ImageDraw.Draw(page)
    draw.text((160, 120), "中国国际固体回收协会", font=b.cjk_font(130), fill=RED)
    draw.rectangle((100, 300, 1554, 312), fill=RED)
    assert find_seals(b.to_bgr(page)) == []


def test_seals_side_by_side_are_still_seals() -> None:
    """A company seal, its finance seal and a name seal in a row are three seals (sizes differ)."""
    page = stamp(body_page(), seal_image(diameter=360), (400, 1000))
    page = stamp(page, seal_image(diameter=270, seed=2), (760, 1000))
    square = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(square).rectangle((6, 6, 153, 153), outline=(*RED, 240), width=9)
    for (x, y), ch in zip([(88, 20), (88, 86), (18, 20), (18, 86)], "李庆国印", strict=True):
        ImageDraw.Draw(square).text((x, y), ch, font=b.cjk_font(56), fill=(*RED, 240))
    page = stamp(page, square, (1010, 1000))
    assert sorted(s.shape for s in find_seals(b.to_bgr(page))) == ["round", "round", "square"]


# -- the ring (geometry, no OCR) ------------------------------------------------------------------


def test_the_name_arc_covers_the_upper_ring_whatever_the_seal_is_turned() -> None:
    for turn in (0, 20, -25):
        img = stamp(Image.new("RGB", (500, 500), "white"), seal_image(turn=turn), (250, 250))
        bgr = b.to_bgr(img)
        [seal] = find_seals(bgr)
        unwrapped = polar(ink_image(bgr, "red"), seal)
        found = arcs(unwrapped, ring_geometry(unwrapped))
        assert found, turn
        name = found[0]
        assert 200 <= name.span <= 270, (turn, name)
        assert abs(((name.middle - (270 - turn)) + 180) % 360 - 180) < 12, (turn, name)


def test_the_text_band_is_found_below_a_gap_under_the_border() -> None:
    """A ring whose text stands well inside the border (a double border, an invoice's 监制章) is read
    from where its characters are, not from just under the border."""
    img = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, 392, 392), outline=(*RED, 240), width=12)
    draw.ellipse((30, 30, 370, 370), outline=(*RED, 240), width=3)  # the inner, thinner border
    font = b.cjk_font(40)
    for i, ch in enumerate("全国统一发票监制章"):
        angle = math.radians(200 + i * 140 / 8)
        x, y = 200 + 125 * math.cos(angle), 200 + 125 * math.sin(angle)
        glyph = Image.new("RGBA", (48, 48), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 0), ch, font=font, fill=(*RED, 240))
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        img.alpha_composite(glyph, (round(x - 24), round(y - 24)))
    page = stamp(Image.new("RGB", (600, 600), "white"), img, (300, 300))
    bgr = b.to_bgr(page)
    [seal] = find_seals(bgr)
    unwrapped = polar(ink_image(bgr, "red"), seal)
    geometry = ring_geometry(unwrapped)
    # the characters' outer edge lies near 0.65 + 0.12 of the radius; the inner border near 0.86
    assert 0.7 <= geometry.text_outer <= 0.82, geometry
    [name] = arcs(unwrapped, geometry)[:1]
    assert name.span >= 120, name


def test_an_arc_running_over_the_top_and_along_the_foot_is_cut_into_its_halves() -> None:
    pieces = upper_and_lower(Arc(start=180.0, span=250.0))
    assert [(p.start, p.span) for p in pieces] == [(180.0, 195.0), (15.0, 55.0)]
    assert upper_and_lower(Arc(start=200.0, span=100.0)) == [Arc(200.0, 100.0)]


def test_seal_ink_is_lifted_but_text_beneath_stays_dark() -> None:
    page = stamp(body_page(), seal_image(), (300, 330))  # over 本单位承诺 …
    bgr = b.to_bgr(page)
    seals = find_seals(bgr)
    clean = remove_seal_ink(bgr, seals)
    before = b.to_bgr(body_page())
    inside = np.zeros(bgr.shape[:2], bool)
    inside[200:460, 150:450] = True
    text = inside & (before.max(axis=2) < 100)
    assert clean[text].max(axis=1).mean() < 110  # the strokes beneath are still dark
    paper = inside & (before.min(axis=2) > 250)
    assert clean[paper].min(axis=1).mean() > 225  # the seal's own ink is gone
    assert np.array_equal(clean[1200:], bgr[1200:])  # nothing outside the seal is touched


# -- kind, anchor, name comparison (pure) ---------------------------------------------------------


def _seal(**kw: object) -> PageSeal:
    return PageSeal(bbox=(0.2, 0.3, 0.38, 0.43), **kw)  # type: ignore[arg-type]


def test_seal_kind_tells_the_organisation_seal_from_special_purpose_and_personal_seals() -> None:
    assert seal_kind(_seal(text=NAME)) == "official"
    assert seal_kind(_seal(text="某某检测有限公司", centre_text="检验检测专用章")) == "special_purpose"
    assert seal_kind(_seal(text="某某公司合同专用章")) == "special_purpose"
    assert seal_kind(_seal(text="某某公司", shape="oval")) == "special_purpose"
    assert seal_kind(PageSeal(bbox=(0.5, 0.5, 0.56, 0.54), shape="square", text="周刚之印")) == "personal"
    assert seal_kind(_seal()) == "unknown"


def test_the_anchor_is_the_seal_line_the_seal_sits_on_not_a_far_one() -> None:
    page = Page(number=1, text_source=TextSource.OCR, lines=[
        Line(text="申报单位（盖章）：", bbox=(0.1, 0.36, 0.3, 0.38)),
        Line(text="法定代表人（签字）：", bbox=(0.1, 0.9, 0.3, 0.92)),
        Line(text="本单位承诺", bbox=(0.1, 0.34, 0.3, 0.35)),
    ])
    assert anchor_line(page, _seal(text=NAME)) == "申报单位（盖章）："
    far = PageSeal(bbox=(0.6, 0.6, 0.78, 0.73), text=NAME)
    assert anchor_line(page, far) is None


def test_seal_names_compare_after_normalisation_and_tell_other_organisations_apart() -> None:
    assert seal_name_similarity("金昌锦江铜业(集团)有限公司", "金昌锦江铜业（集团）有限公司") == 1.0
    assert seal_name_similarity("洛阳博威有色金属有限责任公", NAME) >= 0.9
    assert seal_name_similarity("湖北省经济和信息化厅", NAME) < 0.5


# -- reading (OCR) --------------------------------------------------------------------------------


def test_real_invoice_seal_reads_the_company_its_number_and_centre_line(testdata: Path, ctx: ParseContext) -> None:
    [source] = collect_sources(testdata / "images" / "seal_text_det.png")
    doc = parse_source(source, ctx)
    [seal] = doc.pages[0].seals
    assert seal.text == "天津君和缘商贸有限公司"
    assert seal.code == "5263647368706"
    assert "发票专用章" in (seal.centre_text or "")
    assert seal.colour == "red" and seal.shape == "round"
    assert seal_kind(seal) == "special_purpose"
    assert "天津君和缘" not in doc.text.replace(" ", "")  # the ring never becomes body text


def test_a_stamped_scan_reads_the_ring_and_keeps_the_date_and_name_beneath(tmp_path: Path, ctx: ParseContext) -> None:
    lines = ["承诺书", "本单位承诺所提交材料真实有效。", f"申报单位（盖章）：{NAME}", "2024年8月31日"]
    page_img = b.scanned_page(lines, 1654, 2339, 44)
    page_img = stamp(page_img, seal_image(centre="", turn=12), (520, 380))  # over the name and date lines
    page = read_png(page_img, tmp_path, ctx)
    [seal] = page.seals
    assert seal_name_similarity(seal.text or "", NAME) >= 0.9
    text = page.text.replace(" ", "")
    assert NAME in text and "2024年8月31日" in text
    assert text.count("洛阳博威") == 1  # the ring is not read a second time into the body
    assert page.lines and anchor_line(page, seal) is not None


def test_a_centre_line_is_kept_apart_from_the_name(tmp_path: Path, ctx: ParseContext) -> None:
    img = stamp(Image.new("RGB", (900, 900), "white"), seal_image("中色检测科技有限公司", "检验检测专用章"), (450, 450))
    [seal] = read_png(img, tmp_path, ctx).seals
    assert seal.text == "中色检测科技有限公司"
    assert seal.centre_text == "检验检测专用章"


def test_a_text_layer_pdf_with_a_stamped_seal_picture_reports_the_seal(tmp_path: Path, settings: Settings) -> None:
    doc = Document()
    doc.add_paragraph("承诺书")
    doc.add_paragraph(f"申报单位（盖章）：{NAME}")
    seal_png = tmp_path / "seal.png"
    seal_image().save(seal_png)
    doc.add_picture(str(seal_png), width=Inches(1.6))
    docx = tmp_path / "承诺书.docx"
    doc.save(docx)
    if b.soffice() is None:
        pytest.fail("LibreOffice is needed to make the text-layer PDF (run .ci/install.sh)")
    pdf = b.libreoffice_convert(docx, "pdf", tmp_path / "out")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    pdf.rename(bundle / "承诺书.pdf")
    docx.rename(bundle / "承诺书.docx")
    report = check(bundle, settings)
    by_name = {d.path: d for d in report.documents}
    for name in ("承诺书.pdf", "承诺书.docx"):
        [seal] = by_name[name].seals
        assert seal.text == NAME, name
        assert seal.kind == "official"
    assert by_name["承诺书.pdf"].text_source == TextSource.TEXT_LAYER


def test_a_coloured_page_frame_is_not_a_square_seal() -> None:
    page = body_page(["质量管理体系认证证书", "证书编号：00123Q45678R1M"] * 4)
    ImageDraw.Draw(page).rectangle((60, 60, 1594, 2279), outline=(200, 40, 40), width=18)
    assert find_seals(b.to_bgr(page)) == []


def test_a_blue_ring_logo_without_chinese_is_not_reported_as_a_seal(tmp_path: Path, ctx: ParseContext) -> None:
    logo = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((8, 8, 292, 292), outline=(*BLUE, 255), width=14)
    draw.text((70, 110), "IAF", font=b.cjk_font(80), fill=(*BLUE, 255))
    page = stamp(body_page(["质量管理体系认证证书", "证书编号：00123Q45678R1M"]), logo, (1300, 400))
    assert len(find_seals(b.to_bgr(page))) == 1  # it is ring-shaped ink …
    assert read_png(page, tmp_path, ctx).seals == []  # … but no seal: nothing Chinese on the ring


def test_a_logo_drawn_as_a_thick_ring_is_no_seal_and_its_text_page_loads_no_ocr_runtime(tmp_path: Path) -> None:
    """issue-842-example.pdf (a real text-layer PDF) carries a blue logo whose letter G is a ring
    drawn about a quarter of its radius thick: a seal's border is a thin line, so the logo is no
    seal candidate, and checking the PDF renders nothing for it and imports no OCR runtime."""
    from extractor.parse.pdf import _Renderer

    pdf = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "pdf" / "issue-842-example.pdf"
    page = _Renderer(str(pdf), 200, 120_000_000)(0)
    assert find_seals(page) == []
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / pdf.name).write_bytes(pdf.read_bytes())
    docs, imported = b.check_in_fresh_process(folder, tmp_path / "cache", ("onnxruntime", "openvino", "rapidocr"))
    assert [d["text_source"] for d in docs] == ["text_layer"]
    assert imported == []


def test_a_cached_page_from_an_older_seal_finder_keeps_its_text_and_gets_its_seals_again(tmp_path: Path) -> None:
    """Changing the seal finder re-reads seals only: a cached page's text lines stay (no page is
    recognised again), its seals are found and read anew and stored with the current seal version."""
    from extractor.ocr.cache import SEAL_VERSION, image_key
    from extractor.ocr.reader import PageReader, lines_identity
    from extractor.ocr.types import OcrLine, OcrResult

    settings = Settings(cache_dir=tmp_path)
    bgr = b.to_bgr(stamp(body_page(), seal_image(), (700, 900)))
    reader = PageReader(settings)
    key = image_key(bgr, lines_identity(settings))
    line = OcrLine(text="本单位承诺所提交材料真实有效。", quad=[(10, 10), (500, 10), (500, 50), (10, 50)], score=0.99)
    reader.cache.put(key, OcrResult(width=bgr.shape[1], height=bgr.shape[0], lines=[line], seals=[]))

    result = reader.read(lambda: bgr)
    assert reader.pages_recognised == 0
    assert [ln.text for ln in result.lines] == [line.text]
    [seal] = result.seals
    assert seal_name_similarity(seal.text or "", NAME) >= 0.9
    assert result.seal_version == SEAL_VERSION
    stored = PageReader(settings).cache.get(key)
    assert stored is not None and stored.seal_version == SEAL_VERSION and len(stored.seals) == 1


def test_a_square_name_seal_is_read_in_columns_from_the_right(tmp_path: Path, ctx: ParseContext) -> None:
    square = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(square)
    draw.rectangle((6, 6, 193, 193), outline=(*RED, 240), width=10)
    for (x, y), ch in zip([(104, 22), (104, 104), (22, 22), (22, 104)], "周刚之印", strict=True):
        draw.text((x, y), ch, font=b.cjk_font(72), fill=(*RED, 240))
    [seal] = read_png(stamp(body_page(), square, (900, 900)), tmp_path, ctx).seals
    assert (seal.shape, seal.text) == ("square", "周刚之印")
