"""Decide what a file is from its bytes (the extension only breaks ties)."""

import codecs
import re
import zipfile
from pathlib import Path

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
WPS = "application/vnd.ms-works"
RTF = "application/rtf"
ODT = "application/vnd.oasis.opendocument.text"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
BMP = "image/bmp"
GIF = "image/gif"
WEBP = "image/webp"
ZIP = "application/zip"
RAR = "application/vnd.rar"
SEVEN_Z = "application/x-7z-compressed"
EML = "message/rfc822"
MSG = "application/vnd.ms-outlook"
MBOX = "application/mbox"
TEXT = "text/plain"
EMPTY = "application/x-empty"
ENCRYPTED_OFFICE = "application/x-encrypted-office"  # OOXML inside an encrypted OLE container
UNKNOWN = "application/octet-stream"

IMAGE_TYPES = frozenset({JPEG, PNG, TIFF, BMP, GIF, WEBP})
ARCHIVE_TYPES = frozenset({ZIP, RAR, SEVEN_Z})
MAIL_TYPES = frozenset({EML, MSG})
_HEAD = 2048
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIL_HEADER = re.compile(rb"^(received|from|return-path|mime-version|message-id|subject|date|to):", re.I | re.M)
_MAIL_HEADERS = (b"received:", b"from:", b"return-path:", b"mime-version:", b"message-id:", b"subject:")


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except Exception:  # BadZipFile, OSError, a UTF-8-flagged name in GBK: a damaged zip is still a zip
        return ZIP
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "content.xml" in names and "mimetype" in names:
        return ODT
    # an Office package that lost its main part is a damaged Word or Excel file, not an archive of XML
    if "[Content_Types].xml" in names or any(n.startswith(("word/", "xl/")) for n in names):
        return XLSX if any(n.startswith("xl/") for n in names) else DOCX
    return ZIP


def _sniff_ole(path: Path, suffix: str) -> str:
    """Tell OLE2 compound files apart by their top-level streams."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError):
        return {".wps": WPS, ".xls": XLS, ".msg": MSG}.get(suffix, DOC)
    if "EncryptedPackage" in streams:
        return ENCRYPTED_OFFICE
    if any(name.startswith("__substg1.0_") for name in streams):
        return MSG
    if "Workbook" in streams or "Book" in streams:
        return XLS
    if "WordDocument" in streams:
        return WPS if suffix == ".wps" else DOC
    return {".wps": WPS, ".xls": XLS, ".msg": MSG}.get(suffix, UNKNOWN)


def sniff_media_type(path: Path) -> str:
    """The media type of the file at `path`, from its leading bytes."""
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    if not head:
        return EMPTY
    if head.startswith(b"%PDF"):
        return PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path, suffix)
    if head.startswith(b"{\\rtf"):
        return RTF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(b"BM") and len(head) > 14:
        return BMP
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"Rar!\x1a\x07"):
        return RAR
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return SEVEN_Z
    if b"%PDF-" in head[:1024]:
        return PDF  # a PDF behind some junk bytes; after the magic numbers, so a zip holding a PDF stays a zip
    if suffix != ".eml" and head.startswith(b"From ") and b"\n" in head and _MAIL_HEADER.search(head):
        return MBOX  # an mbox export: the "From " separator line, then a mail's headers
    lowered = head.lstrip().lower()
    if suffix == ".eml" or any(lowered.startswith(h) for h in _MAIL_HEADERS):
        return EML
    if _looks_like_text(head, complete=len(head) < _HEAD):
        return TEXT
    return UNKNOWN


def _looks_like_text(head: bytes, complete: bool) -> bool:
    """UTF-8 or GB18030 text; when only the head of the file was read, its last character may be cut."""
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
            return True
        except UnicodeDecodeError:
            continue
    return False
