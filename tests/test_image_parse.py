"""Images and scans: orientation, deskew, multi-page TIFF, decompression bombs, the OCR cache."""

from pathlib import Path

import pytest
from PIL import Image

from extractor.intake.folder import collect_sources
from extractor.ocr.reader import PageReader
from extractor.parse import ParseContext, parse_source
from extractor.settings import Settings
from models import TextSource
from tests import builders as b

LINES = ["质量管理体系认证证书", "证书编号：00123Q45678R1M", "有效期至 2026年3月14日"]


def read(path: Path, ctx: ParseContext) -> str:
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    assert not doc.errors, doc.errors
    return doc.text.replace(" ", "")


@pytest.fixture(scope="module")
def page() -> Image.Image:
    return b.scanned_page(LINES, 1240, 1754, 40)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_pages_scanned_sideways_or_upside_down_are_turned_upright(
    page: Image.Image, turn: int, tmp_path: Path, ctx: ParseContext
) -> None:
    path = tmp_path / "scan.png"
    page.rotate(turn, expand=True).save(path)
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    text = doc.text.replace(" ", "")
    for line in LINES:
        assert line.replace(" ", "") in text
    # PIL turns counter-clockwise; the reader turns clockwise to undo it
    assert doc.pages[0].rotation == turn


def test_tilted_scan_is_deskewed_before_recognition(page: Image.Image, tmp_path: Path, ctx: ParseContext) -> None:
    path = tmp_path / "tilted.png"
    page.rotate(3.0, expand=True, fillcolor="white").save(path)
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    assert abs(abs(doc.pages[0].skew) - 3.0) < 1.0
    assert "证书编号：00123Q45678R1M" in doc.text.replace(" ", "")


def test_multi_page_tiff_gives_one_page_per_frame(page: Image.Image, tmp_path: Path, ctx: ParseContext) -> None:
    second = b.scanned_page(["检验检测报告", "检验结论：合格"], 1240, 1754, 40)
    path = tmp_path / "scan.tif"
    page.save(path, save_all=True, append_images=[second], compression="tiff_lzw")
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    assert doc.page_count == 2 and doc.text_source == TextSource.OCR
    assert "质量管理体系认证证书" in doc.pages[0].text
    assert "检验结论：合格" in doc.pages[1].text.replace(" ", "")


def test_decompression_bomb_is_refused_without_decoding(tmp_path: Path, ctx: ParseContext) -> None:
    path = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(path)  # 400 M pixels in a few kB
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    assert doc.errors and ("解压炸弹" in doc.errors[0] or "像素过多" in doc.errors[0])
    assert ctx.reader.pages_recognised == 0


def test_truncated_image_is_listed_with_its_error(page: Image.Image, tmp_path: Path, ctx: ParseContext) -> None:
    path = tmp_path / "cut.jpg"
    page.save(path, quality=80)
    path.write_bytes(path.read_bytes()[:2000])
    [source] = collect_sources(path)
    doc = parse_source(source, ctx)
    assert doc.errors and doc.pages == []


def test_unchanged_page_is_read_from_the_cache(page: Image.Image, tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    page.save(path)
    settings = Settings(cache_dir=tmp_path / "cache")
    first = ParseContext(settings=settings, reader=PageReader(settings))
    text_first = read(path, first)
    assert first.reader.pages_recognised == 1
    again = ParseContext(settings=settings, reader=PageReader(settings))
    assert read(path, again) == text_first
    assert again.reader.pages_recognised == 0


def test_cache_can_be_switched_off(page: Image.Image, tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    page.save(path)
    settings = Settings(cache_dir=tmp_path / "cache", ocr_cache=False)
    for _ in range(2):
        ctx = ParseContext(settings=settings, reader=PageReader(settings))
        read(path, ctx)
        assert ctx.reader.pages_recognised == 1
    assert not (tmp_path / "cache").exists()
