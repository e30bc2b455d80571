"""Parsing: one module per format behind one interface, chosen by the sniffed media type."""

import logging

from extractor.errors import EncryptedFile, EngineError, ParseError, UnsupportedFormat
from extractor.parse import sniff
from extractor.parse.base import ParseContext, Parser
from extractor.parse.docx import parse_docx
from extractor.parse.image import parse_image
from extractor.parse.office import parse_via_libreoffice
from extractor.parse.pdf import parse_pdf
from extractor.parse.text import parse_text
from extractor.parse.xlsx import parse_xlsx
from extractor.units import format_size
from models import ParsedDocument, Source

log = logging.getLogger(__name__)

PARSERS: dict[str, Parser] = {
    sniff.PDF: parse_pdf,
    sniff.DOCX: parse_docx,
    sniff.XLSX: parse_xlsx,
    sniff.DOC: parse_via_libreoffice,
    sniff.WPS: parse_via_libreoffice,
    sniff.RTF: parse_via_libreoffice,
    sniff.ODT: parse_via_libreoffice,
    sniff.XLS: parse_via_libreoffice,
    sniff.TEXT: parse_text,
    **{media: parse_image for media in sniff.IMAGE_TYPES},
}

_REFUSALS = {
    sniff.EMPTY: "文件为空（0 字节）",
    sniff.ENCRYPTED_OFFICE: "Office 文件已加密，需要密码才能打开",
    sniff.UNKNOWN: "无法识别的文件类型",
    # archives and mails are unpacked by intake; reaching the parser means they were not
    sniff.ZIP: "压缩包未能解包",
    sniff.RAR: "压缩包未能解包",
    sniff.SEVEN_Z: "压缩包未能解包",
    sniff.EML: "邮件未能解包",
    sniff.MSG: "Outlook 邮件文件未能解包",
    sniff.MBOX: "邮箱导出文件（.mbox）包含多个申报，请用 precheck batch 检查",
}


def failed_document(source: Source, media_type: str, message: str) -> ParsedDocument:
    return ParsedDocument(path=source.path, sha256=source.sha256, media_type=media_type, errors=[message])


def parse_source(source: Source, ctx: ParseContext) -> ParsedDocument:
    """Parse one file. Never raises for a bad file: its errors are in the result."""
    from pathlib import Path

    if source.error is not None:
        return failed_document(source, sniff.UNKNOWN, source.error)
    try:
        media_type = sniff.sniff_media_type(Path(source.location))
    except OSError as exc:
        return failed_document(source, sniff.UNKNOWN, f"文件无法读取（{exc.strerror or exc}）")
    if source.size > ctx.settings.max_file_bytes:
        limit = format_size(ctx.settings.max_file_bytes)
        return failed_document(source, media_type, f"文件过大（{format_size(source.size)}，上限 {limit}）")
    parser = PARSERS.get(media_type)
    if parser is None:
        return failed_document(source, media_type, _REFUSALS.get(media_type, "不支持的文件类型"))
    try:
        return parser(source, media_type, ctx)
    except EncryptedFile as exc:
        return failed_document(source, media_type, str(exc))
    except (ParseError, UnsupportedFormat, EngineError) as exc:
        return failed_document(source, media_type, str(exc))
    except MemoryError:
        return failed_document(source, media_type, "文件过大，内存不足以解析")
    except Exception as exc:  # a parser bug must not sink the bundle; the file is still listed
        return internal_failure(source, media_type, "解析", exc)


def internal_failure(source: Source, media_type: str, stage: str, exc: BaseException) -> ParsedDocument:
    """precheck's own fault, never the applicant's: logged with its traceback (the file's name only,
    never its content: 管理办法 第十九条), reported as an internal error, not as an unreadable file."""
    log.error("内部错误：%s“%s”时 %s", stage, source.path, type(exc).__name__, exc_info=exc)
    return ParsedDocument(path=source.path, sha256=source.sha256, media_type=media_type,
                          internal_error=f"{stage}时程序内部错误（{type(exc).__name__}），已记录日志")


__all__ = ["PARSERS", "ParseContext", "failed_document", "internal_failure", "parse_source"]
