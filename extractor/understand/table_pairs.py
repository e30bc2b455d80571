"""Label → value pairs from form tables laid out as label cell, value cell, label cell, …

Merged cells count once: a cell that a vertical merge carries down from an earlier row is not read
again, and a row-spanning group label in front of its pairs (户口迁出地 | 地址 | … ) is skipped.
"""

import re

from models import Cell, Table

MAX_LABEL_CHARS = 30
_LABEL_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def clean_label(text: str) -> str:
    return re.sub(r"\s+", "", text).rstrip(":：")


def is_label(text: str) -> bool:
    label = clean_label(text)
    return 0 < len(label) <= MAX_LABEL_CHARS and bool(_LABEL_CHARS.search(label))


def row_pairs(cells: list[Cell]) -> list[tuple[Cell, Cell]]:
    """Pairs of (label cell, value cell) in one row of cells that start in that row."""
    if len(cells) >= 3 and cells[0].rowspan > 1 and (len(cells) - 1) % 2 == 0:
        cells = cells[1:]
    pairs = []
    i = 0
    while i + 1 < len(cells):
        if is_label(cells[i].text):
            pairs.append((cells[i], cells[i + 1]))
            i += 2
        else:
            i += 1
    return pairs


def label_value_pairs(table: Table) -> dict[str, str]:
    """The first value found for each label, labels without whitespace or trailing colon."""
    result: dict[str, str] = {}
    for r, row in enumerate(table.reading_rows()):
        own = [c for c in row if c.row == r]
        if len(own) < 2:
            continue  # a section title across the table, or a lone cell
        for label, value in row_pairs(own):
            result.setdefault(clean_label(label.text), value.text.strip())
    return result
