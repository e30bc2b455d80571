"""The per-page gate that decides whether a PDF text layer is trusted or the page is OCR'd."""

from extractor.parse.text_quality import PageSignals, assess, garbled_year_share, image_coverage

GOOD = "质量管理体系认证证书 证书编号：00114Q26950R7L 有效期至 2026年3月14日 符合 GB/T 19001-2016"


def test_clean_text_layer_is_trusted() -> None:
    assert assess(PageSignals(text=GOOD, image_coverage=0.0)).trusted


def test_cid_glyphs_fail_the_gate() -> None:
    text = "(cid:12)(cid:55)(cid:301) " * 20 + "证书"
    assert "cid_glyphs" in assess(PageSignals(text=text, image_coverage=0.0)).issues


def test_replacement_characters_fail_the_gate() -> None:
    text = "\ufffd\ufffd有效\ufffd期至\ufffd" * 10
    assert "replacement_chars" in assess(PageSignals(text=text, image_coverage=0.0)).issues


def test_private_use_characters_fail_the_gate() -> None:
    text = "\ue001\ue002\ue003证书\ue004\ue005" * 10
    assert "private_use_chars" in assess(PageSignals(text=text, image_coverage=0.0)).issues


def test_invisible_ocr_layer_with_garbled_years_fails_the_gate() -> None:
    text = "有效期至 ZOq5 年 8 月 31 日，发证日期 2O22年3月1日，成立于 2010年"
    assert garbled_year_share(text) >= 0.5
    assert "garbled_text" in assess(PageSignals(text=text, image_coverage=0.95)).issues


def test_grade_and_code_tokens_are_not_mistaken_for_garbled_years() -> None:
    text = "牌号 H62、TU1、5A06，2023年检验，midd 2020年02月，CNAS L1842 于2019年认可"
    assert garbled_year_share(text) == 0.0
    assert assess(PageSignals(text=text, image_coverage=0.0)).trusted


def test_page_that_is_one_big_image_goes_to_ocr() -> None:
    quality = assess(PageSignals(text="扫描件", image_coverage=0.97))
    assert quality.issues == ["no_text_layer"]
    assert assess(PageSignals(text="第1页 共3页 扫描件如下", image_coverage=0.97)).issues == ["image_page"]


def test_blank_page_without_images_is_not_sent_to_ocr() -> None:
    assert assess(PageSignals(text="", image_coverage=0.0)).trusted


def test_outlined_text_drawn_as_curves_goes_to_ocr() -> None:
    assert assess(PageSignals(text="", image_coverage=0.0, vector_objects=5000)).issues == ["no_text_layer"]


def test_image_coverage_counts_overlaps_once() -> None:
    full = (0.0, 0.0, 100.0, 200.0)
    assert image_coverage([full, full], 100, 200) == 1.0
    assert abs(image_coverage([(0, 0, 50, 200)], 100, 200) - 0.5) < 0.03
    assert image_coverage([], 100, 200) == 0.0
