"""DOC, WPS, RTF, ODT and XLS: converted with LibreOffice headless, then read as DOCX / XLSX."""

import shutil
import subprocess
from pathlib import Path

from extractor.errors import EngineError, ParseError
from extractor.parse.base import ParseContext, location
from extractor.parse.sniff import XLS
from extractor.settings import Settings
from extractor.workdir import private_dir
from models import ParsedDocument, Source


def find_soffice(settings: Settings) -> str:
    candidates = [settings.libreoffice] if settings.libreoffice else ["soffice", "libreoffice"]
    for name in candidates:
        found = shutil.which(name) if name else None
        if found:
            return found
    raise EngineError(
        "需要 LibreOffice 才能读取 .doc/.wps/.rtf/.xls 文件，但本机未安装："
        "请安装 libreoffice（Debian：apt-get install libreoffice-writer-nogui libreoffice-calc-nogui）"
        "或设置 PRECHECK_LIBREOFFICE"
    )


def convert(path: Path, target: str, out_dir: Path, settings: Settings) -> Path:
    """Convert `path` to `target` (docx, xlsx) in `out_dir` with a private LibreOffice profile."""
    soffice = find_soffice(settings)
    profile = out_dir / "lo-profile"
    # A copy with a plain ASCII name: LibreOffice mangles some non-ASCII names on some locales.
    src = out_dir / f"input{path.suffix.lower() or '.bin'}"
    shutil.copyfile(path, src)
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(out_dir),
        str(src),
    ]
    try:
        subprocess.run(cmd, capture_output=True, timeout=settings.convert_timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ParseError(f"LibreOffice 转换超时（{settings.convert_timeout_s} 秒）") from exc
    out = out_dir / f"input.{target}"
    if not out.is_file() or out.stat().st_size == 0:
        raise ParseError("LibreOffice 无法转换此文件（文件可能已损坏或加密）")
    return out


def parse_via_libreoffice(source: Source, media_type: str, ctx: ParseContext) -> ParsedDocument:
    from extractor.parse.docx import parse_docx
    from extractor.parse.xlsx import parse_xlsx

    target = "xlsx" if media_type == XLS else "docx"
    with private_dir("lo-") as tmp:
        converted = convert(location(source), target, tmp, ctx.settings)
        proxy = source.model_copy(update={"location": str(converted)})
        ctx.count("files_converted")
        parsed = parse_xlsx(proxy, media_type, ctx) if target == "xlsx" else parse_docx(proxy, media_type, ctx)
    return parsed.model_copy(update={"media_type": media_type})
