"""Dates written the ways Chinese documents write them."""

from datetime import date

_CN_DIGITS = "〇一二三四五六七八九"
STYLES = ("cjk", "cjk_pad", "dot", "iso", "iso_short", "cn_numeral", "cjk_spaced")


def _cn_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def fmt(iso: str, style: str) -> str:
    d = date.fromisoformat(iso)
    if style == "cjk":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "cjk_pad":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "cjk_spaced":
        return f"{d.year} 年 {d.month} 月 {d.day} 日"
    if style == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "iso":
        return d.isoformat()
    if style == "iso_short":
        return f"{d.year}-{d.month}-{d.day}"
    if style == "cn_numeral":
        return "".join(_CN_DIGITS[int(c)] for c in str(d.year)) + f"年{_cn_number(d.month)}月{_cn_number(d.day)}日"
    raise ValueError(style)


def shift(iso: str, days: int) -> str:
    return date.fromordinal(date.fromisoformat(iso).toordinal() + days).isoformat()


def add_years(iso: str, years: int, minus_day: bool = True) -> str:
    d = date.fromisoformat(iso)
    try:
        end = d.replace(year=d.year + years)
    except ValueError:
        end = d.replace(year=d.year + years, day=28)
    return shift(end.isoformat(), -1) if minus_day else end.isoformat()
