"""Checks shared by the Office Open XML readers (Word, Excel) before their XML is parsed."""

from __future__ import annotations

import zipfile

_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_HEAD = 4096  # a declaration comes before the root element


def parts_with_dtd(package: zipfile.ZipFile) -> list[str]:
    """XML parts that declare a DTD or entities. Word and Excel never write one; a part that does is
    built to expand entities (billion laughs) or to read files from this machine (XXE)."""
    found = []
    for info in package.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with package.open(info) as fh:
            head = fh.read(_HEAD)
        if any(marker in head for marker in _DTD_MARKERS):
            found.append(info.filename)
    return found


DTD_REFUSAL = "文件的 XML 部件含有 DTD/实体声明（Office 从不写入，疑为恶意构造：{part}），拒绝解析"
