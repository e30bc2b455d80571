"""What a bundle's files leave in the OCR cache can be removed, file by file (管理办法 第十九条): every
page text and seal of those files, and nothing of other bundles."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from extractor.intake.folder import file_sha256
from extractor.ocr.cache import OcrCache
from extractor.pipeline import check
from extractor.settings import Settings
from tests import builders as b


def _scan(folder: Path, company: str) -> Path:
    folder.mkdir(parents=True)
    page = b.scanned_page(["承诺书", f"申报单位：{company}", "2024年8月31日"], 1200, 800, 40)
    page.save(folder / "承诺书.png")
    return folder


def _entries(cache_dir: Path) -> set[str]:
    return {p.relative_to(cache_dir).as_posix() for p in cache_dir.rglob("*.json")}


def test_purging_a_bundle_removes_its_pages_from_the_ocr_cache_and_nothing_else(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    settings = Settings(cache_dir=cache_dir)
    kept = _scan(tmp_path / "甲", "洛阳博威有色金属有限责任公司")
    gone = _scan(tmp_path / "乙", "鹰潭宏达合金材料有限公司")
    check(kept, settings)
    before_other = _entries(cache_dir)
    check(gone, settings)
    assert _entries(cache_dir) > before_other  # the second bundle's page was cached

    done = subprocess.run([sys.executable, "-m", "extractor.cli", "cache", "purge", str(gone)],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PRECHECK_CACHE_DIR=str(cache_dir)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "已从 OCR 缓存删除 1 个条目（1 个文件）"
    assert _entries(cache_dir) == before_other
    assert not any("鹰潭宏达" in p.read_text(encoding="utf-8") for p in cache_dir.rglob("*.json"))
    assert any("洛阳博威" in p.read_text(encoding="utf-8") for p in cache_dir.rglob("*.json"))


def test_a_purged_file_is_read_again_when_checked_again(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    bundle = _scan(tmp_path / "乙", "鹰潭宏达合金材料有限公司")
    check(bundle, Settings(cache_dir=cache_dir))

    assert OcrCache(cache_dir).purge(file_sha256(bundle / "承诺书.png")) == 1
    assert OcrCache(cache_dir).purge(file_sha256(bundle / "承诺书.png")) == 0  # nothing left to remove
    check(bundle, Settings(cache_dir=cache_dir))  # recognised again, and cached again for that file
    assert OcrCache(cache_dir).purge(file_sha256(bundle / "承诺书.png")) == 1
