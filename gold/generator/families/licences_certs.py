"""Independent layout families (see families/__init__.py) for the documents an authority issues:
business licences, management-system certificates, CNAS accreditation certificates and patent
certificates. Written from the shapes these documents take on paper (shared/design/DOMAIN.md, real
licences and certificates), not from the base templates."""

import io
import math
import random
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageDraw

from gold.generator import facts
from gold.generator.dates import add_years, fmt, shift
from gold.generator.facts import Company
from gold.generator.spec import IMAGE_CELL, Block, DocSpec, Finish, PageSetup, SealSpec

# ------------------------------------------------------------------ pictures


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def _qr_png(rng: random.Random, modules: int = 29, scale: int = 8) -> bytes:
    """A QR-code-like square: three finder patterns, timing lines, random modules (it decodes to nothing)."""
    grid = [[rng.random() < 0.5 for _ in range(modules)] for _ in range(modules)]
    for i in range(modules):
        grid[6][i] = grid[i][6] = i % 2 == 0
    for oy, ox in ((0, 0), (0, modules - 7), (modules - 7, 0)):
        for y in range(-1, 8):
            for x in range(-1, 8):
                yy, xx = oy + y, ox + x
                if not (0 <= yy < modules and 0 <= xx < modules):
                    continue
                ring = max(abs(y - 3), abs(x - 3))
                grid[yy][xx] = ring in (0, 1, 3) and 0 <= y < 7 and 0 <= x < 7
    quiet = 2
    size = (modules + 2 * quiet) * scale
    img = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(img)
    for y in range(modules):
        for x in range(modules):
            if grid[y][x]:
                x0, y0 = (x + quiet) * scale, (y + quiet) * scale
                draw.rectangle((x0, y0, x0 + scale - 1, y0 + scale - 1), fill=0)
    return _png(img)


def _emblem_png(size: int = 240) -> bytes:
    """A national-emblem-like badge printed in gold at the head of licences and patent certificates
    (five stars over a gate, a wreath; deliberately not a seal: no ring text, gold not red)."""
    img = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    gold, red = (196, 150, 40), (200, 60, 50)
    c = size / 2
    for k in range(26):  # wreath of ears round the lower two thirds
        a = math.radians(150 + k * 9.6)
        x, y = c + size * 0.42 * math.cos(-a + math.pi), c + size * 0.42 * math.sin(-a + math.pi)
        draw.ellipse((x - size * 0.035, y - size * 0.05, x + size * 0.035, y + size * 0.05), outline=gold, width=2)
    draw.ellipse((c - size * 0.33, c - size * 0.36, c + size * 0.33, c + size * 0.30), fill=(238, 205, 200))

    def star(cx: float, cy: float, r: float) -> None:
        pts = []
        for k in range(10):
            rr = r if k % 2 == 0 else r * 0.4
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
        draw.polygon(pts, fill=gold)

    star(c - size * 0.12, c - size * 0.17, size * 0.08)
    for dx, dy in ((0.02, -0.29), (0.09, -0.23), (0.1, -0.13), (0.04, -0.06)):
        star(c + size * dx, c + size * dy, size * 0.03)
    draw.rectangle((c - size * 0.2, c + size * 0.02, c + size * 0.2, c + size * 0.07), fill=gold)
    draw.polygon([(c - size * 0.24, c + size * 0.02), (c, c - size * 0.05), (c + size * 0.24, c + size * 0.02)], fill=gold)
    for dx in (-0.15, -0.05, 0.05, 0.15):
        draw.rectangle((c + size * (dx - 0.02), c + size * 0.07, c + size * (dx + 0.02), c + size * 0.17), fill=gold)
    draw.rectangle((c - size * 0.22, c + size * 0.17, c + size * 0.22, c + size * 0.2), fill=gold)
    draw.ellipse((c - size * 0.06, c + size * 0.3, c + size * 0.06, c + size * 0.4), outline=red, width=3)
    return _png(img)


def _logo_png(letters: str, rng: random.Random, colour: tuple[int, int, int] = (20, 60, 140)) -> bytes:
    """A certification body's or CNAS's mark: letters in a rounded box or an oval."""
    from gold.generator.seal import _font

    w, h = 360, 160
    img = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    if rng.random() < 0.5:
        draw.rounded_rectangle((6, 6, w - 6, h - 6), radius=28, outline=colour, width=8)
    else:
        draw.ellipse((6, 6, w - 6, h - 6), outline=colour, width=8)
    font = _font(96 if len(letters) <= 4 else 70)
    tw = draw.textlength(letters, font=font)
    draw.text(((w - tw) / 2, 18), letters, font=font, fill=colour)
    return _png(img)


# ------------------------------------------------------------------ wording helpers

_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def _daxie_under_10000(n: int) -> str:
    out, zero = "", False
    for value, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = n // value % 10
        if d:
            if zero and out:
                out += "零"
            out += _DIGITS[d] + unit
            zero = False
        else:
            zero = True
    return out


def _capital_daxie(wan: int) -> str:
    """注册资本 in capital numerals, as licences print it: 5000 (万元) → 伍仟万元整."""
    yi, rest = divmod(wan, 10000)
    text = ""
    if yi:
        text += _daxie_under_10000(yi) + "亿"
        if rest and rest < 1000:
            text += "零"
    if rest:
        text += _daxie_under_10000(rest) + "万"
    return f"{text}元整"


def _spaced(label: str, width: int = 4) -> str:
    """A short label spread over the width of a long one (名　　称 beside 法定代表人)."""
    if len(label) >= width:
        return label
    if len(label) == 1:
        return label
    gaps = len(label) - 1
    fill = width - len(label)
    if fill < gaps:  # 注册资本 beside 法定代表人 stays as it is
        return label
    out = ""
    for i, ch in enumerate(label):
        out += ch
        if i < gaps:
            out += "　" * (fill // gaps + (1 if i < fill % gaps else 0))
    return out


def _en_date(iso: str, style: int) -> str:
    from datetime import date

    d = date.fromisoformat(iso)
    month = d.strftime("%B")
    if style == 0:
        return f"{d.day} {month} {d.year}"
    if style == 1:
        return f"{month} {d.day}, {d.year}"
    if style == 2:
        return f"{month[:3]}. {d.day}, {d.year}"
    return d.isoformat()


_PLACES = {"洛阳": "Luoyang", "铜陵": "Tongling", "金昌": "Jinchang", "株洲": "Zhuzhou", "鹰潭": "Yingtan",
           "包头": "Baotou", "昆明": "Kunming", "宁波": "Ningbo", "西安": "Xi'an", "厦门": "Xiamen"}
_TRADES = {"华鑫": "Huaxin", "金瑞": "Jinrui", "中铝": "Zhonglv", "宏达": "Hongda", "恒通": "Hengtong",
           "鑫源": "Xinyuan", "铜冠": "Tongguan", "永兴": "Yongxing", "海亮": "Hailiang", "众诚": "Zhongcheng",
           "博威": "Bowei", "楚江": "Chujiang", "明泰": "Mingtai", "南山": "Nanshan", "云铝": "Yunlv",
           "锦江": "Jinjiang", "东阳光": "Dongyangguang", "盛屯": "Shengtun", "紫金": "Zijin", "新威": "Xinwei"}
_TRADES_EN = {"铜业": "Copper", "铝业": "Aluminium", "有色金属": "Nonferrous Metals", "新材料": "New Materials",
              "金属材料": "Metal Materials", "合金材料": "Alloy Materials", "铝材": "Aluminium Products",
              "铜材": "Copper Products"}
_FORMS_EN = {"（集团）有限公司": "(Group) Co., Ltd.", "股份有限公司": "Co., Ltd.", "有限责任公司": "Co., Ltd.",
             "有限公司": "Co., Ltd."}


def _english_name(name: str) -> str | None:
    """The English name a certificate prints under the Chinese one, for the names the world is made of."""
    rest = name.replace("(", "（").replace(")", "）")
    words = []
    for table in (_PLACES, _TRADES):
        for zh, en in table.items():
            if rest.startswith(zh):
                words.append(en)
                rest = rest[len(zh):]
                break
        else:
            return None
    group = rest.startswith("（集团）")
    rest = rest.removeprefix("（集团）")
    for zh, en in _TRADES_EN.items():
        if rest.startswith(zh):
            words.append(en)
            rest = rest[len(zh):]
            break
    else:
        return None
    if rest not in _FORMS_EN:
        return None
    form = _FORMS_EN[rest]
    if group:
        form = "(Group) " + form
    return " ".join(words) + " " + form


def _metal(name: str) -> str:
    return "铝" if "铝" in name else "铜"


def _business_scope(rng: random.Random, c: Company) -> str:
    """经营范围 as licences since the 2021 reform print it: 一般项目 / 许可项目, long."""
    metal = _metal(c.name)
    general = ["有色金属压延加工", "有色金属合金制造", "有色金属合金销售", "金属材料销售",
               f"{'铜' if metal == '铜' else '铝'}材料及制品的研发、生产和销售", "新材料技术研发",
               "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "金属制品销售", "机械设备租赁",
               "货物进出口", "技术进出口", "非居住房地产租赁", "再生资源回收（除生产性废旧金属）", "普通货物仓储服务（不含危险化学品等需许可审批的项目）"]
    items = [general[0], general[1], *rng.sample(general[2:], k=rng.randint(5, 8))]
    text = "一般项目：" + "；".join(items) + "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）。"
    if rng.random() < 0.6:
        text += "许可项目：" + rng.choice(["道路货物运输（不含危险货物）", "检验检测服务", "货物进出口"]) + \
            "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）。"
    return text


def _company_type(rng: random.Random, name: str) -> str:
    if name.endswith("股份有限公司"):
        return rng.choice(["股份有限公司（非上市、自然人投资或控股）", "股份有限公司（上市、自然人投资或控股）",
                           "股份有限公司（非上市、国有控股）", "其他股份有限公司（上市）"])
    return rng.choice(["有限责任公司（自然人投资或控股）", "其他有限责任公司", "有限责任公司（国有控股）",
                       "有限责任公司（自然人投资或控股的法人独资）", "有限责任公司（非自然人投资或控股的法人独资）"])


def _authority(rng: random.Random, c: Company) -> str:
    return rng.choice([f"{c.city}市市场监督管理局", f"{c.city}市市场监督管理局", f"{c.city}市市场监督管理局高新技术产业开发区分局"])


def _licence_date(rng: random.Random, c: Company, first_year: int, last_year: int) -> str:
    start = max(int(c.founded[:4]), first_year)
    year = rng.randint(start, last_year)
    day = f"{year}-{rng.randint(4 if year == 2019 else 1, 12):02d}-{rng.randint(1, 28):02d}"
    return max(day, c.founded)


def _licence_delivery(delivery: str) -> str:
    """A licence reaches a bundle scanned or photographed, never as Word or a Word-made PDF."""
    return "scan" if delivery in ("docx", "doc", "pdf") else delivery


def _licence_fields(c: Company) -> dict[str, Any]:
    return {"company_name": c.name, "credit_code": c.code, "legal_representative": c.legal_rep}


WATERMARKS = ["仅供申报使用 他用无效", "仅供质量品牌申报使用", "仅供本次评审申报使用，再次复印无效", "仅供资质审查使用",
              "此件仅供申报材料使用"]


# ------------------------------------------------------------------ business licences


def licence_2019_landscape(
    rng: random.Random, c: Company, filename: str, delivery: str = "scan", layout: int = 0
) -> DocSpec:
    """The 2019 licence (正本 or 副本), landscape: code top left, QR top right, emblem and title in the
    middle, two borderless columns of fields, 登记机关 with its seal and the date at the foot right."""
    copy = layout == 1 or rng.random() < 0.6
    issued = _licence_date(rng, c, 2019, 2020)
    capital = rng.choice([500, 1000, 2000, 3000, 5000, 6800, 8000, 10000, 12000, 25000, 36500])
    authority = _authority(rng, c)
    code_on_one_line = rng.random() < 0.4
    code_text = f"统一社会信用代码　{c.code}" if code_on_one_line else f"统一社会信用代码\n{c.code}"
    small = Block("p", size=7.5, font="serif")
    head_rows = [
        [code_text, IMAGE_CELL, IMAGE_CELL],
        ["（副本编号：1-1）" if copy else "", "营 业 执 照" if rng.random() < 0.5 else "营业执照",
         "扫描二维码登录“国家企业信用信息公示系统”了解更多登记、备案、许可、监管信息。"],
    ]
    if copy:
        head_rows.append(["", "（副　本）", ""])
    head = Block(
        "grid", rows=head_rows, widths=[9.0, 8.6, 9.0], aligns=["left", "center", "right"], size=11, font="serif",
        cells={(0, 1): Block("p", image=_emblem_png(), image_width=1.9, align="center"),
               (0, 2): Block("p", image=_qr_png(rng), image_width=2.2, align="right"),
               (1, 1): Block("p", size=30, bold=True, font="serif", align="center"),
               (1, 2): small, (1, 0): Block("p", size=9, font="serif")},
    )
    style = rng.choice(["cjk_pad", "cjk_pad", "cjk"])
    term_end = rng.choice(["长期", "长期", "无固定期限", fmt(add_years(c.founded, 30), style)])
    term = f"{fmt(c.founded, style)} 至 {term_end}" if term_end != "长期" or rng.random() < 0.7 else "长期"
    label = _spaced
    fields_grid = Block(
        "grid", size=10.5, font="serif", widths=[2.7, 10.5, 2.7, 10.5],
        rows=[
            [label("名称"), c.name, label("注册资本"), _capital_daxie(capital)],
            [label("类型"), _company_type(rng, c.name), label("成立日期"), fmt(c.founded, style)],
            [label("法定代表人"), c.legal_rep, label("营业期限"), term],
            [label("经营范围"), _business_scope(rng, c), label("住所"), c.address],
        ],
        cells={(r, col): Block("p", size=10.5, font="serif", bold=True) for r in range(4) for col in (0, 2)},
    )
    foot = Block(
        "grid", size=9, font="serif", widths=[9.0, 8.6, 9.0], aligns=["left", "center", "center"],
        rows=[["国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", "", "登 记 机 关" if rng.random() < 0.5 else "登记机关"],
              ["市场主体应当于每年1月1日至6月30日通过\n国家企业信用信息公示系统报送公示年度报告。", "国家市场监督管理总局监制",
               fmt(issued, "cjk_spaced" if rng.random() < 0.5 else "cjk")]],
        cells={(0, 2): Block("p", size=13, bold=True, font="serif", align="center"),
               (1, 2): Block("p", size=12, font="serif", align="center"), (1, 1): Block("p", size=8, font="serif", align="center")},
    )
    blocks = [head, Block("p", "", size=4), fields_grid, Block("p", "", size=4), foot]
    finish = None
    delivered = _licence_delivery(delivery)
    if delivered == "photo":
        finish = Finish(glare=True, watermark=rng.choice(WATERMARKS) if rng.random() < 0.3 else "")
    elif rng.random() < 0.35:
        finish = Finish(watermark=rng.choice(WATERMARKS))
    if delivered == "scan" and rng.random() < 0.3:  # the landscape sheet laid on an upright scanner
        finish = Finish(watermark=finish.watermark if finish else "", turn=rng.choice([90, 270]))
    return DocSpec(
        filename, "business_license", blocks, _licence_fields(c), delivery=delivered,
        seal=SealSpec(authority, anchor=foot.rows[0][2], offset=(6.0, 16.0)),
        family="licence-2019-landscape",
        page=PageSetup(29.7, 21.0, (1.3, 1.6, 1.0, 1.6), border=rng.choice(["double", "thickThinSmallGap", "thinThickSmallGap"]),
                       border_size=18, border_colour=rng.choice(["A0522D", "B8860B", "8B4513"])),
        finish=finish,
    )


def licence_2016_vertical_copy(
    rng: random.Random, c: Company, filename: str, delivery: str = "scan", layout: int = 0
) -> DocSpec:
    """The upright 副本 of the 2016 licence: code top left with the 副本 number, title and （副本）
    centred, one column of spaced labels (name, type, address, representative, capital, dates,
    scope), QR code low left, 登记机关 with seal and date low right."""
    issued = _licence_date(rng, c, 2016, 2018)
    capital = rng.choice([300, 800, 1200, 2000, 5000, 7600, 10000, 15000])
    authority = rng.choice([f"{c.city}市工商行政管理局", f"{c.city}市工商行政管理局", f"{c.city}市市场监督管理局"])
    width = 5
    lab = lambda s: _spaced(s, width)  # noqa: E731
    style = rng.choice(["cjk_pad", "cjk"])
    sep = rng.choice(["", "："])  # some print a colon after the spaced label
    rows = [
        [lab("名称") + sep, c.name],
        [lab("类型") + sep, _company_type(rng, c.name)],
        [lab("住所") + sep, c.address],
        [lab("法定代表人") + sep, c.legal_rep],
        [lab("注册资本") + sep, f"人民币{_capital_daxie(capital)}" if rng.random() < 0.5 else f"{capital}万元人民币"],
        [lab("成立日期") + sep, fmt(c.founded, style)],
        [lab("营业期限") + sep, f"{fmt(c.founded, style)}至{rng.choice(['长期', '2045年12月31日', '长期'])}"],
        [lab("经营范围") + sep, _business_scope(rng, c)],
    ]
    code_line = rng.choice([f"统一社会信用代码：{c.code}", f"统一社会信用代码　{c.code}"])
    blocks = [
        Block("grid", rows=[[code_line, f"（{rng.randint(1, 3)}-1）"]], widths=[13.0, 4.0], aligns=["left", "right"],
              size=10.5, font="serif"),
        Block("image", image=_emblem_png(), image_width=1.8, align="center"),
        Block("p", "营　业　执　照", size=28, bold=True, font="serif", align="center", after=0),
        Block("p", "（副　本）", size=14, font="serif", align="center", after=14),
        Block("grid", rows=rows, widths=[3.3, 13.2], size=11.5, font="serif",
              cells={(r, 0): Block("p", size=11.5, font="serif", bold=True) for r in range(len(rows))}),
        Block("p", "", size=8),
        Block("grid", rows=[[IMAGE_CELL, "登记机关\n\n" + fmt(issued, style)],
                            ["企业信用信息公示系统网址：http://www.gsxt.gov.cn", "中华人民共和国国家工商行政管理总局监制"]],
              widths=[8.0, 8.5], aligns=["left", "center"], size=12, font="serif",
              cells={(0, 0): Block("p", image=_qr_png(rng, modules=25), image_width=2.4),
                     (1, 0): Block("p", size=7, font="serif"), (1, 1): Block("p", size=7, font="serif", align="center")}),
    ]
    delivered = _licence_delivery(delivery)
    finish = None
    if rng.random() < 0.5:
        finish = Finish(watermark=rng.choice(WATERMARKS), glare=delivered == "photo")
    elif delivered == "photo":
        finish = Finish(glare=True)
    if delivered == "scan" and rng.random() < 0.25:
        finish = Finish(watermark=finish.watermark if finish else "", turn=rng.choice([90, 270]))
    return DocSpec(
        filename, "business_license", blocks, _licence_fields(c), delivery=delivered,
        seal=SealSpec(authority, anchor="登记机关", offset=(0.0, 22.0)), family="licence-2016-vertical-copy",
        page=PageSetup(21.0, 29.7, (1.8, 2.2, 1.5, 2.2), border=rng.choice(["double", "thickThinMediumGap"]),
                       border_size=12, border_colour=rng.choice(["8B4513", "996633"])),
        finish=finish,
    )


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _licence_photocopy_png(rng: random.Random, c: Company, issued: str, authority: str) -> bytes:
    """The 2019 副本 as a photocopier gives it back: grey, the frame and emblem kept, the red seal
    turned dark grey (its ring text still there), the QR code, the fields in two columns."""
    from gold.generator.seal import _font, draw_seal

    w, h = 2200, 1556
    img = Image.new("RGB", (w, h), (246, 246, 244))
    draw = ImageDraw.Draw(img)
    ink = (40, 40, 40)
    draw.rectangle((40, 40, w - 40, h - 40), outline=(90, 90, 90), width=10)
    draw.rectangle((64, 64, w - 64, h - 64), outline=(120, 120, 120), width=3)
    emblem = Image.open(io.BytesIO(_emblem_png(170))).convert("L").convert("RGB")
    img.paste(emblem, (w // 2 - 85, 90))
    qr = Image.open(io.BytesIO(_qr_png(rng, modules=25, scale=6))).convert("RGB")
    img.paste(qr, (w - 120 - qr.width, 90))
    f_small, f_body, f_label = _font(30), _font(36), _font(36)
    f_title = _font(110)
    draw.text((130, 110), "统一社会信用代码", font=f_small, fill=ink)
    draw.text((130, 150), c.code, font=_font(40), fill=ink)
    draw.text((130, 215), "（副本编号：1-1）", font=f_small, fill=ink)
    title = "营业执照"
    tw = draw.textlength(title, font=f_title)
    draw.text(((w - tw) / 2, 280), title, font=f_title, fill=(20, 20, 20))
    draw.text((w / 2 - 70, 440), "（副　本）", font=f_small, fill=ink)
    style = rng.choice(["cjk_pad", "cjk"])
    left = [("名　　称", c.name), ("类　　型", _company_type(rng, c.name)), ("法定代表人", c.legal_rep),
            ("经营范围", _business_scope(rng, c))]
    right = [("注册资本", _capital_daxie(rng.choice([1000, 2000, 5000, 10000, 20000]))),
             ("成立日期", fmt(c.founded, style)), ("营业期限", f"{fmt(c.founded, style)} 至 长期"), ("住　　所", c.address)]
    for x, column in ((130, left), (1170, right)):
        y = 500
        for label, value in column:
            draw.text((x, y), label, font=f_label, fill=ink)
            for line in _wrap(draw, value, f_body, 770):
                draw.text((x + 210, y), line, font=f_body, fill=ink)
                y += 54
            y += 26
    draw.text((130, h - 200), "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", font=f_small, fill=ink)
    draw.text((w / 2 - 180, h - 130), "国家市场监督管理总局监制", font=_font(26), fill=ink)
    draw.text((w - 520, h - 330), "登记机关", font=_font(46), fill=ink)
    date = fmt(issued, "cjk")
    draw.text((w - 600, h - 200), date, font=_font(40), fill=ink)
    seal = draw_seal(authority, "", 360, (95, 95, 95), rng)
    img.paste(seal, (w - 610, h - 470), seal)
    return _png(img.convert("L"))


def licence_certified_copy(
    rng: random.Random, c: Company, filename: str, delivery: str = "scan", layout: int = 0
) -> DocSpec:
    """What many bundles carry: the 2019 副本 photocopied onto A4 (grey, reduced, the registering
    authority's seal gone grey), certified by the applicant under it: 此复印件与原件一致, the company's
    own red seal and the date. The red seal is the applicant's; the grey one is part of the copy."""
    issued = _licence_date(rng, c, 2019, 2020)
    authority = _authority(rng, c)
    blocks = [
        Block("p", rng.choice(["营业执照（副本）复印件", "营业执照", "附件：营业执照副本"]), size=12, font="sans", bold=True,
              align="center", after=8),
        Block("image", image=_licence_photocopy_png(rng, c, issued, authority), image_width=17.0, align="center"),
        Block("p", "", size=16),
        Block("p", rng.choice(["此复印件与原件一致", "与原件核对一致", "复印件与原件相符"]), size=16, font="sans",
              align="center", colour="333333"),
        Block("p", f"{c.name}（盖章）", size=12, font="serif", align="right", before=18),
    ]
    delivered = _licence_delivery(delivery)
    finish = Finish(watermark=rng.choice(WATERMARKS)) if rng.random() < 0.4 else None
    if delivered == "photo":
        finish = Finish(watermark=finish.watermark if finish else "", glare=True)
    return DocSpec(
        filename, "business_license", blocks, _licence_fields(c), delivery=delivered,
        seal=SealSpec(c.name, anchor="（盖章）", offset=(-20.0, 4.0)), family="licence-certified-copy",
        page=PageSetup(21.0, 29.7, (2.0, 2.0, 2.0, 2.0)), finish=finish,
    )


# ------------------------------------------------------------------ management-system certificates

SYSTEMS = {
    "qms": ("质量管理体系认证证书", "Quality Management System Certificate", "质量管理体系", "quality management system", "Q"),
    "ems": ("环境管理体系认证证书", "Environmental Management System Certificate", "环境管理体系",
            "environmental management system", "E"),
    "ohsms": ("职业健康安全管理体系认证证书", "Occupational Health and Safety Management System Certificate",
              "职业健康安全管理体系", "occupational health and safety management system", "S"),
}

# the bodies of facts.CERT_BODIES with what their certificates print at the foot
BODY_FOOT = {
    "中国质量认证中心": ("China Quality Certification Centre", "北京市丰台区南四环西路188号9区", "www.cqc.com.cn", "CQC"),
    "方圆标志认证集团有限公司": ("China Quality Mark Certification Group Co., Ltd.", "北京市海淀区增光路33号", "www.cqm.com.cn", "CQM"),
    "中质协质量保证中心": ("China Association for Quality Assurance Center", "北京市西城区月坛北街26号", "www.caqqac.com", "QAC"),
    "华夏认证中心有限公司": ("China Huaxia Certification Center Co., Ltd.", "北京市朝阳区北三环东路18号", "www.hxqc.org.cn", "HXQC"),
    "北京鉴衡认证中心有限公司": ("China General Certification Center", "北京市海淀区北三环西路48号", "www.cgc.org.cn", "CGC"),
}

# bodies whose numbers do not follow the NNN-YY-letter convention (foreign-invested and newer ones)
OTHER_BODIES = [
    ("华信国际标准认证（北京）有限公司", "Huaxin International Standard Certification (Beijing) Co., Ltd.", "CNCA-RF-2005-23",
     "北京市东城区安定门东大街28号", "www.hisc-cert.com", "HISC", "slash"),
    ("中联标准认证有限公司", "Zhonglian Standard Certification Co., Ltd.", "CNCA-R-2016-244",
     "上海市浦东新区张杨路500号", "www.zlsc-cert.cn", "ZLSC", "dash"),
    ("北方联合质量认证中心有限公司", "North United Quality Certification Center Co., Ltd.", "CNCA-R-2011-066",
     "天津市河西区友谊路35号", "www.nuqc.com.cn", "NUQC", "u"),
]


def _std_parts(std: str) -> tuple[str, str]:
    """GB/T 19001-2016/ISO 9001:2015 → ("GB/T 19001-2016", "ISO 9001:2015")."""
    for mark in ("/ISO", "/OHSAS"):
        if mark in std:
            gb, _, intl = std.partition(mark)
            return gb.strip(), (mark[1:] + intl).strip()
    return std.strip(), ""


def _print_std(rng: random.Random, std: str) -> str:
    """The standard as certificates print it: GB/T19001-2016 idt ISO9001:2015, with an em dash, ISO first …"""
    gb, intl = _std_parts(std)
    if not intl:
        return gb
    choice = rng.randrange(5)
    if choice == 0:
        return f"{gb.replace(' ', '')} idt {intl.replace(' ', '')}"
    if choice == 1:
        return f"{gb.replace('-', '—')}/{intl}"
    if choice == 2:
        return f"{intl} / {gb}"
    if choice == 3:
        return f"{gb.replace(' ', '')}/{intl.replace(' ', '')}"
    return f"{gb} / {intl}"


def _std_norm(std: str) -> str:
    """The standard as the contract writes it: the GB/T part alone (GB/T 28001-2011 for the old OH&S
    pair too, where documents.py keeps /OHSAS 18001:2007)."""
    return _std_parts(std)[0]


def _standard_en(std: str) -> str:
    gb, intl = _std_parts(std)
    return f"{intl} ({gb})" if intl else gb


def _number(rng: random.Random, prefix: str, issue: str, letter: str, shape: str, region: str) -> tuple[str, str]:
    """(as printed, as the field) for the numbering conventions bodies use."""
    yy = issue[2:4]
    r = rng.randint(0, 6)
    size = rng.choice("SML")
    if shape == "cqc-region":
        number = f"{prefix}{yy}{letter}{rng.randint(10000, 39999)}R{r}{size}/{region}"
        return number, number
    if shape == "no":
        number = f"{prefix}{yy}{letter}{rng.randint(30000, 99999)}R{r}{size}"
        return f"No. {number}", number
    if shape == "slash":
        number = f"{prefix}/CN/{rng.randint(100000, 199999)}-{letter if letter != 'Q' else 'B'}"
        return number, number
    if shape == "dash":
        number = f"{prefix}-{yy}-{letter}{letter}-{rng.randint(1, 9999):05d}-R{r}-{size}"
        return number, number
    if shape == "u":
        number = f"U{prefix}{yy}{letter}{rng.randint(1, 9999):04d}R{r}{size}"
        return number, number
    number = f"{prefix}{yy}{letter}{rng.randint(10000, 99999)}R{r}{size}"
    return number, number


def _scope(rng: random.Random, product: str, kind: str) -> str:
    if kind == "qms":
        return rng.choice([f"{product}的生产和销售", f"{product}的设计、开发、生产和服务", f"{product}的生产",
                           f"资质范围内{product}的生产及相关管理活动"])
    if kind == "ems":
        return rng.choice([f"{product}的生产及相关环境管理活动", f"{product}的设计、生产和销售所涉及的环境管理活动"])
    return rng.choice([f"{product}的生产及相关职业健康安全管理活动", f"{product}的生产和销售所涉及的职业健康安全管理活动"])


def _scope_en(product: str) -> str:
    metal = "aluminium" if "铝" in product else "copper"
    return f"Production of {metal} and {metal} alloy products"


def _cert_dates(rng: random.Random, issue: str) -> tuple[str, str, int]:
    """(first certification date, expiry, recertification index) for a certificate issued on `issue`."""
    r = rng.choice([0, 1, 1, 2, 3, 4])
    first = shift(add_years(issue, -3 * r, minus_day=False), rng.randint(-40, 40)) if r else issue
    return min(first, issue), add_years(issue, 3), r


def _foot_block(body: str, rng: random.Random, bilingual: bool) -> list[Block]:
    en, address, site, _ = BODY_FOOT.get(body, (None, "", "", ""))
    lines = [Block("p", body, size=15, bold=True, font="serif", align="right", before=60)]
    if bilingual and en:
        lines.append(Block("p", en, size=9, font="serif", align="right"))
    if address and rng.random() < 0.8:
        lines.append(Block("p", f"地址：{address}　网址：{site}" if rng.random() < 0.5 else f"{address}　{site}",
                           size=8, font="serif", align="right"))
    return lines


def cert_next_line(
    rng: random.Random, kind: str, c: Company, filename: str, issue: str, *, standard: str | None = None,
    holder: str | None = None, code: str | None = None, delivery: str = "scan", product: str = "铜及铜合金板带材",
) -> DocSpec:
    """Chinese only, as the large domestic bodies print them: number at the top, 兹证明 on its own
    line, the holder alone on the next, each label on a line with its value on the line below
    (…符合标准： then GB/T19001-2016 idt ISO9001:2015), 初次发证日期 and 发证日期 both printed, the
    body's name unlabelled at the foot beside its seal, with address and website."""
    title, _, system, _, letter = SYSTEMS[kind]
    body, approval, prefix = rng.choice(facts.CERT_BODIES)
    shape = "cqc-region" if body == "中国质量认证中心" and rng.random() < 0.6 else "plain"
    printed_no, number = _number(rng, prefix, issue, letter, shape, (code or c.code)[2:6])
    std = standard or facts.STANDARDS[kind]
    first, expiry, _ = _cert_dates(rng, issue)
    style = rng.choice(["cjk", "cjk_pad", "dot", "iso"])
    name = holder or c.name
    credit = code or c.code
    scope = _scope(rng, product, kind)
    blocks = [
        Block("grid", rows=[[IMAGE_CELL, f"证书编号：{printed_no}"]], widths=[5.0, 11.5], aligns=["left", "right"],
              size=10.5, font="serif", cells={(0, 0): Block("p", image=_logo_png(BODY_FOOT[body][3], rng), image_width=2.6)}),
        Block("p", title, size=26, bold=True, font="serif", align="center", before=36, after=30),
        Block("p", "兹证明", size=14, font="serif", after=10),
        Block("p", name, size=18, bold=True, font="serif", align="center", after=18),
    ]
    details = [("统一社会信用代码", credit), ("注册地址", c.address)]
    if rng.random() < 0.5:
        details.append(("生产地址", c.address))
    for lab, value in details:
        blocks.append(Block("p", f"{lab}：{value}", size=12, font="serif", after=6))
    same_line_std = rng.random() < 0.3
    std_label = f"{rng.choice(['建立的', '所建立的', ''])}{system}符合标准："
    if same_line_std:
        blocks.append(Block("p", std_label + _print_std(rng, std), size=13, font="serif", before=14, after=6))
    else:
        blocks += [Block("p", std_label, size=13, font="serif", before=14, after=6),
                   Block("p", _print_std(rng, std), size=14, bold=True, font="serif", indent=1.5)]
    blocks += [
        Block("p", rng.choice(["认证范围：", "覆盖范围：", "认证覆盖的业务范围："]), size=13, font="serif", before=14, after=6),
        Block("p", scope, size=13, font="serif", indent=1.5, after=24),
    ]
    if rng.random() < 0.5:
        blocks += [
            Block("p", f"初次发证日期：{fmt(first, style)}", size=12, font="serif", after=6),
            Block("p", f"{rng.choice(['发证日期', '本次发证日期', '换证日期'])}：{fmt(issue, style)}", size=12, font="serif", after=6),
            Block("p", f"有效期至：{fmt(expiry, style)}", size=12, font="serif", after=6),
        ]
    else:
        blocks += [
            Block("p", f"证书有效期：自{fmt(issue, style)}至{fmt(expiry, style)}", size=12, font="serif", after=6),
            Block("p", f"初次获证日期：{fmt(first, style)}", size=12, font="serif", after=6),
        ]
    blocks += [
        Block("p", "本证书在有效期内须按规定接受监督审核并经审核合格方可保持有效，证书信息可在国家认证认可监督管理委员会官方网站"
                   "（www.cnca.gov.cn）上查询。", size=9, font="serif", before=30),
        *_foot_block(body, rng, bilingual=False),
    ]
    if rng.random() < 0.5:
        blocks.append(Block("p", f"认证机构批准号：{approval}", size=8, font="serif", align="right"))
    fields = {"company_name": name, "credit_code": credit, "certificate_number": number, "standard": _std_norm(std),
              "issue_date": issue, "expiry_date": expiry, "certification_body": body, "scope": scope}
    return DocSpec(
        filename, f"{kind}_certificate", blocks, fields, delivery=delivery,
        seal=SealSpec(body, anchor=body, offset=(-30.0, -6.0)), family="cert-next-line",
        page=PageSetup(21.0, 29.7, (1.8, 2.2, 1.5, 2.2), border=rng.choice(["double", "thinThickSmallGap", "single"]),
                       border_size=18, border_colour=rng.choice(["1F4E79", "2E5E8C", "806000"])),
    )


def cert_bilingual(
    rng: random.Random, kind: str, c: Company, filename: str, issue: str, *, standard: str | None = None,
    holder: str | None = None, code: str | None = None, delivery: str = "scan", product: str = "铜及铜合金板带材",
) -> DocSpec:
    """Chinese and English lines alternating, as bodies with international accreditation print them:
    This is to certify that, the holder with its English name, the standard, the scope in both
    languages, 证书有效期：自…至… with the English dates under it, No. before the number; the credit
    code is left off some (older-style) certificates."""
    title, title_en, system, system_en, letter = SYSTEMS[kind]
    body, _approval, prefix = rng.choice(facts.CERT_BODIES)
    printed_no, number = _number(rng, prefix, issue, letter, rng.choice(["no", "plain"]), "")
    std = standard or facts.STANDARDS[kind]
    first, expiry, _ = _cert_dates(rng, issue)
    style = rng.choice(["cjk", "cjk_pad", "dot"])
    en_style = rng.randrange(4)
    name = holder or c.name
    english = _english_name(name)
    with_code = code is not None or rng.random() < 0.6
    scope = _scope(rng, product, kind)
    cn = Block("p", size=12, font="serif", align="center")
    blocks = [
        Block("image", image=_logo_png(BODY_FOOT[body][3], rng), image_width=3.0, align="center"),
        Block("p", title, size=22, bold=True, font="serif", align="center", before=6, after=0),
        Block("p", title_en.upper(), size=12, font="DejaVu Serif", align="center", after=10),
        Block("p", f"证书号：{printed_no}" if rng.random() < 0.5 else f"证书编号/Certificate No.: {printed_no}",
              size=11, font="serif", align="center", after=12),
        Block("p", "兹证明", size=12, font="serif", align="center"),
        Block("p", "This is to certify that", size=11, font="DejaVu Serif", align="center", after=6),
        Block("p", name, size=17, bold=True, font="serif", align="center"),
    ]
    if english:
        blocks.append(Block("p", english, size=12, bold=True, font="DejaVu Serif", align="center", after=6))
    if with_code:
        blocks.append(Block("p", f"统一社会信用代码：{code or c.code}", size=10.5, font="serif", align="center"))
    blocks += [
        Block("p", f"地址：{c.address}", size=10.5, font="serif", align="center"),
        Block("p", f"{system}符合", **_kw(cn), before=10),
        Block("p", f"has established and applies {'an' if system_en[0] in 'aeiou' else 'a'} {system_en} in compliance with", size=10.5, font="DejaVu Serif",
              align="center"),
        Block("p", _print_std(rng, std), size=14, bold=True, font="serif", align="center", before=4, after=4),
        Block("p", rng.choice(["认证范围", "覆盖范围"]) + "：" + scope, **_kw(cn)),
        Block("p", f"Scope: {_scope_en(product)}", size=10.5, font="DejaVu Serif", align="center", after=10),
    ]
    if rng.random() < 0.5:
        blocks += [
            Block("p", f"证书有效期：自{fmt(issue, style)}至{fmt(expiry, style)}", size=11, font="serif", align="center"),
            Block("p", f"Validity: from {_en_date(issue, en_style)} to {_en_date(expiry, en_style)}", size=10,
                  font="DejaVu Serif", align="center"),
            Block("p", f"初次认证日期 Initial certification date：{fmt(first, style)}", size=10, font="serif", align="center"),
        ]
    else:
        blocks += [
            Block("grid", rows=[
                ["初次认证日期", fmt(first, style), "Initial certification", _en_date(first, en_style)],
                ["本次发证日期", fmt(issue, style), "Date of issue", _en_date(issue, en_style)],
                ["有效期至", fmt(expiry, style), "Valid until", _en_date(expiry, en_style)],
            ], widths=[3.2, 4.2, 3.8, 4.6], size=10, font="serif"),
        ]
    blocks += [
        Block("p", "本证书的有效性依据获证组织定期监督审核的结果保持。The validity of this certificate is maintained "
                   "through surveillance audits.", size=8, font="serif", before=10),
        *_foot_block(body, rng, bilingual=True),
    ]
    fields = {"company_name": name, "certificate_number": number, "standard": _std_norm(std), "issue_date": issue,
              "expiry_date": expiry, "certification_body": body, "scope": scope}
    if with_code:
        fields["credit_code"] = code or c.code
    return DocSpec(
        filename, f"{kind}_certificate", blocks, fields, delivery=delivery,
        seal=SealSpec(body, anchor=body, offset=(-60.0, 0.0)), family="cert-bilingual",
        page=PageSetup(21.0, 29.7, (1.5, 2.0, 1.2, 2.0), border=rng.choice(["thickThinSmallGap", "double"]),
                       border_size=24, border_colour=rng.choice(["7F6000", "1F3864", "385723"])),
    )


def _kw(style: Block) -> dict[str, Any]:
    return {"size": style.size, "font": style.font, "align": style.align}


def cert_audit_sentence(
    rng: random.Random, kind: str, c: Company, filename: str, issue: str, *, standard: str | None = None,
    holder: str | None = None, code: str | None = None, delivery: str = "scan", product: str = "铜及铜合金板带材",
) -> DocSpec:
    """The holder inside a sentence (经审核，XX有限公司 的质量管理体系符合…), numbers in the shapes
    other bodies use (QAIC/CN/103097-B, 244-24-QQ-01663-R0-M, U006624Q0123R1M), 认证范围： on its own
    line, the dates in a small ruled table with the label above the value, and the body named only
    at the foot with its CNCA approval number."""
    title, title_en, system, _, letter = SYSTEMS[kind]
    body, body_en, approval, address, site, letters, shape = rng.choice(OTHER_BODIES)
    prefix = {"slash": letters, "dash": approval.rsplit("-", 1)[1].zfill(3), "u": approval.rsplit("-", 1)[1].zfill(3)}[shape]
    printed_no, number = _number(rng, prefix, issue, letter, shape, "")
    std = standard or facts.STANDARDS[kind]
    first, expiry, _ = _cert_dates(rng, issue)
    style = rng.choice(["cjk", "cjk_pad", "dot", "iso", "cn_numeral"])
    name = holder or c.name
    with_code = code is not None or rng.random() < 0.5
    scope = _scope(rng, product, kind)
    opening = rng.choice(["经审核，", "经审核认定，", "经我中心审核，"])
    blocks = [
        Block("grid", rows=[[IMAGE_CELL, f"证书编号 Certificate No.\n{printed_no}"]], widths=[6.0, 10.5],
              aligns=["left", "right"], size=10, font="sans",
              cells={(0, 0): Block("p", image=_logo_png(letters, rng, (120, 20, 30)), image_width=3.0)}),
        Block("p", "认　证　证　书", size=28, bold=True, font="sans", align="center", before=40),
        Block("p", f"{title}　{title_en}", size=10, font="sans", align="center", after=36),
        Block("p", f"{opening}{name} 的{system}符合 {_print_std(rng, std)} 标准要求，特发此证。", size=14, font="serif",
              before=6, after=14),
    ]
    if with_code:
        blocks.append(Block("p", f"组织统一社会信用代码：{code or c.code}", size=11, font="serif"))
    blocks += [
        Block("p", f"{rng.choice(['注册地址', '经营地址', '审核地址'])}：{c.address}", size=11, font="serif"),
        Block("p", "认证范围：", size=12, bold=True, font="serif", before=8),
        Block("p", scope, size=12, font="serif", indent=0.8),
        Block("p", "（详见证书附件）" if rng.random() < 0.3 else "", size=9, font="serif", indent=0.8, after=10),
        Block("table", rows=[["初次认证日期", "本次发证日期", "证书有效期至"],
                             [fmt(first, style), fmt(issue, style), fmt(expiry, style)]],
              widths=[5.5, 5.5, 5.5], aligns=["center", "center", "center"], size=11, font="serif"),
        Block("p", "获证组织必须定期接受监督审核并经审核合格此证书方继续有效。本证书信息可在国家认证认可监督管理委员会"
                   "官方网站（www.cnca.gov.cn）上查询。", size=8.5, font="serif", before=14),
        Block("p", "", size=60),
        Block("p", body, size=13, bold=True, font="sans", align="left"),
        Block("p", body_en, size=8.5, font="DejaVu Sans", align="left"),
        Block("p", f"{approval}　{address}　{site}", size=8, font="sans", align="left"),
    ]
    fields = {"company_name": name, "certificate_number": number, "standard": _std_norm(std), "issue_date": issue,
              "expiry_date": expiry, "certification_body": body, "scope": scope}
    if with_code:
        fields["credit_code"] = code or c.code
    return DocSpec(
        filename, f"{kind}_certificate", blocks, fields, delivery=delivery,
        seal=SealSpec(body, anchor=body, offset=(150.0, -10.0)), family="cert-audit-sentence",
        page=PageSetup(21.0, 29.7, (2.0, 2.2, 1.8, 2.2)),
    )


# ------------------------------------------------------------------ CNAS laboratory accreditation

CNAS = "中国合格评定国家认可委员会"
CNAS_EN = "China National Accreditation Service for Conformity Assessment"
LAB_SUFFIXES = ["检测中心", "理化检测中心", "质量检验中心", "中心实验室", "技术中心检测室"]


def cnas_classic(rng: random.Random, c: Company, filename: str, issue: str, delivery: str = "pdf") -> DocSpec:
    """The CNAS certificate: 注册号 in the top corner, the committee's name in both languages, 认可证书,
    the laboratory (a unit of the applicant) with the legal entity under it, the ISO/IEC 17025
    sentence in Chinese then English, 签发日期 / 有效期至 side by side, the committee's seal at the foot."""
    serial = rng.randint(1000, 19999)
    number = f"CNAS L{serial}"
    expiry = add_years(issue, 6)
    first = shift(add_years(issue, -6 * rng.randint(1, 2), minus_day=False), rng.randint(-20, 20)) if rng.random() < 0.6 else issue
    style = rng.choice(["cjk", "cjk_pad", "iso"])
    lab = c.name + rng.choice(LAB_SUFFIXES)
    english = _english_name(c.name)
    corner = rng.choice([f"注册号：{number}", f"注册号/No.：{number}", f"No. {number}"])
    blocks = [
        Block("grid", rows=[[IMAGE_CELL, corner]], widths=[6.0, 11.0], aligns=["left", "right"], size=11, font="serif",
              cells={(0, 0): Block("p", image=_logo_png("CNAS", rng, (0, 84, 166)), image_width=2.8)}),
        Block("p", CNAS, size=18, bold=True, font="serif", align="center", before=10),
        Block("p", CNAS_EN, size=10, font="DejaVu Serif", align="center"),
        Block("p", "认　可　证　书", size=24, bold=True, font="serif", align="center", before=14),
        Block("p", "ACCREDITATION CERTIFICATE", size=12, font="DejaVu Serif", align="center", after=14),
        Block("p", "兹证明：", size=12, font="serif"),
        Block("p", lab, size=15, bold=True, font="serif", align="center"),
        Block("p", rng.choice([f"（法人单位：{c.name}）", f"（{c.name}）", f"{c.address}"]), size=11, font="serif", align="center"),
        Block("p", "符合ISO/IEC 17025:2017《检测和校准实验室能力的通用要求》（CNAS-CL01《检测和校准实验室能力认可准则》）"
                   "的要求，具备承担本证书附件所列服务的能力，予以认可。", size=11, font="serif", before=6),
        Block("p", "获认可的能力范围见标有相同认可注册号的证书附件，证书附件是本证书组成部分。", size=10, font="serif"),
        Block("p", "This is to certify that", size=10.5, font="DejaVu Serif", before=8),
    ]
    if english:
        blocks.append(Block("p", f"Testing Center of {english}", size=11, bold=True, font="DejaVu Serif", align="center"))
    blocks += [
        Block("p", "is in compliance with ISO/IEC 17025:2017 General Requirements for the Competence of Testing and "
                   "Calibration Laboratories (CNAS-CL01 Accreditation Criteria for the Competence of Testing and "
                   "Calibration Laboratories) for the competence to undertake the service described in the schedule "
                   "attached to this certificate.", size=9.5, font="DejaVu Serif"),
        Block("grid", rows=[[f"签发日期：{fmt(issue, style)}", f"有效期至：{fmt(expiry, style)}"],
                            [f"Date of Issue: {_en_date(issue, 3)}", f"Date of Expiry: {_en_date(expiry, 3)}"],
                            [f"初次认可日期：{fmt(first, style)}", f"Date of Initial Accreditation: {_en_date(first, 3)}"]],
              widths=[8.5, 8.5], size=10, font="serif"),
        Block("p", "", size=16),
        Block("p", f"主任：{facts.make_person(rng)}", size=11, font="serif", align="right"),
        Block("p", CNAS, size=12, bold=True, font="serif", align="right"),
        Block("p", "本证书有效性可登录www.cnas.org.cn查询。", size=8, font="serif", align="left", before=10),
        Block("p", f"No.CNASAL{rng.randint(1, 9)} {rng.randint(1000000, 9999999)}", size=8, font="DejaVu Sans", align="right"),
    ]
    return DocSpec(
        filename, "lab_accreditation", blocks,
        {"company_name": c.name, "certificate_number": number, "issue_date": issue, "expiry_date": expiry},
        delivery=delivery, seal=SealSpec(CNAS, anchor=CNAS, offset=(-40.0, 0.0)), family="cnas-classic",
        page=PageSetup(21.0, 29.7, (1.6, 2.0, 1.4, 2.0), border="thinThickSmallGap", border_size=18, border_colour="1F4E79"),
    )


def cnas_with_schedule(rng: random.Random, c: Company, filename: str, issue: str, delivery: str = "pdf") -> DocSpec:
    """A two-page copy: the certificate (the holder in one sentence with the legal entity in brackets,
    the validity as 有效期：…至… low on the left, 签发日期 under the signature on the right), then the
    first page of the schedule (认可的检测能力范围) with the registration number in its header."""
    serial = rng.randint(1000, 19999)
    number = f"CNAS L{serial}"
    expiry = add_years(issue, 6)
    style = rng.choice(["cjk", "dot", "iso", "cjk_pad"])
    lab = c.name + rng.choice(LAB_SUFFIXES)
    corner = rng.choice([f"No. {number}", f"注册号：{number}"])
    metal = _metal(c.name)
    items = ([("铜及铜合金", "化学成分", "GB/T 5121.1-2008"), ("铜及铜合金", "拉伸性能", "GB/T 228.1-2021"),
              ("铜及铜合金", "导电率", "GB/T 3048.2-2007"), ("铜及铜合金", "维氏硬度", "GB/T 4340.1-2009")] if metal == "铜" else
             [("铝及铝合金", "化学成分", "GB/T 20975.25-2020"), ("铝及铝合金", "拉伸性能", "GB/T 228.1-2021"),
              ("铝及铝合金", "布氏硬度", "GB/T 231.1-2018"), ("铝及铝合金", "尺寸偏差", "GB/T 3880.3-2012")])
    blocks = [
        Block("p", corner, size=11, font="sans", align="right"),
        Block("image", image=_logo_png("CNAS", rng, (0, 84, 166)), image_width=3.2, align="center"),
        Block("p", "实验室认可证书", size=24, bold=True, font="sans", align="center", before=10),
        Block("p", "CERTIFICATE OF ACCREDITATION", size=11, font="DejaVu Sans", align="center", after=16),
        Block("p", f"兹证明 {lab}（{c.name}）符合ISO/IEC 17025:2017《检测和校准实验室能力的通用要求》的要求，"
                   "具备承担本证书附件所列检测服务的能力，特予认可。", size=12, font="serif", before=6, after=8),
        Block("p", "地址：" + c.address, size=10.5, font="serif"),
        Block("p", "", size=30),
        Block("grid", rows=[[f"有效期：{fmt(issue, style)}至{fmt(expiry, style)}", CNAS],
                            ["", f"签发日期：{fmt(issue, style)}"]],
              widths=[9.0, 8.0], aligns=["left", "center"], size=10.5, font="serif",
              cells={(0, 1): Block("p", size=12, bold=True, font="serif", align="center")}),
        Block("p", "本证书有效性可登录中国合格评定国家认可委员会网站www.cnas.org.cn查询。", size=8, font="serif", before=14),
        Block("pagebreak"),
        Block("p", f"{CNAS}认可证书附件　　注册号：{number}", size=9, font="serif", align="right"),
        Block("p", "认可的检测能力范围", size=15, bold=True, font="sans", align="center", before=8),
        Block("p", f"{lab}", size=11, font="serif", align="center", after=8),
        Block("table", rows=[["序号", "检测对象", "项目/参数", "检测标准（方法）名称及编号（含年号）", "说明"],
                             *([str(i + 1), obj, item, std, ""] for i, (obj, item, std) in enumerate(items))],
              widths=[1.2, 3.0, 3.0, 7.4, 2.0], size=9.5, font="serif"),
        Block("p", "第 1 页 共 12 页", size=8, font="serif", align="center", before=10),
    ]
    return DocSpec(
        filename, "lab_accreditation", blocks,
        {"company_name": c.name, "certificate_number": number, "issue_date": issue, "expiry_date": expiry},
        delivery=delivery, seal=SealSpec(CNAS, anchor=CNAS, offset=(0.0, 8.0), page=1), family="cnas-with-schedule",
        page=PageSetup(21.0, 29.7, (2.0, 2.2, 1.8, 2.2)),
    )


# ------------------------------------------------------------------ patent certificates

INVENTIONS = ["一种高强高导铜合金带材的制备方法", "一种铝合金型材的在线淬火装置及方法", "一种铜合金板带的连续退火工艺",
              "一种高精度铝板带冷轧板形控制方法", "一种无氧铜杆的连铸连轧生产方法", "一种再生铝熔体净化处理方法"]
UTILITY = ["一种铜带分切机的张力控制装置", "一种铝型材挤压模具的冷却结构", "一种板带材表面清洗装置"]


def _patent_numbers(rng: random.Random, filed: str, kind: int) -> tuple[str, str]:
    serial = f"{filed[:4]}{kind}{rng.randint(1000000, 9999999)}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = "0123456789X"[sum(int(d) * w for d, w in zip(serial, weights, strict=True)) % 11]
    return f"ZL{serial}.{check}", f"ZL {serial[:4]} {serial[4]} {serial[5:]}.{check}"


def _grant_publication(rng: random.Random, kind: int) -> str:
    return f"CN {kind}{rng.randint(10000000, 19999999)} {'B' if kind == 1 else 'U'}"


def patent_paper(rng: random.Random, c: Company, filename: str, issue: str, delivery: str = "scan") -> DocSpec:
    """The paper 发明专利证书: 证书号 top left, the emblem, the title, spaced labels (发 明 人, 专 利 号 with
    the number spaced as printed, 专利申请日, 专 利 权 人, 授权公告日, 授权公告号), the statutory
    sentences, 局长 with a signature name, the office's seal; page 2 the register notes."""
    filed = shift(issue, -rng.randint(450, 1200))
    number, spaced = _patent_numbers(rng, filed, 1)
    inventors = rng.sample([facts.make_person(rng) for _ in range(6)], k=rng.randint(2, 4))
    style = "cjk_pad" if rng.random() < 0.6 else "cjk"
    rows = [
        ["发 明 名 称：", rng.choice(INVENTIONS)],
        ["发　明　人：", "；".join(dict.fromkeys(inventors))],
        ["专　利　号：", spaced if rng.random() < 0.7 else number],
        ["专利申请日：", fmt(filed, style)],
        ["专　利　权　人：" if rng.random() < 0.5 else "专利权人：", c.name],
        ["地　　　址：", f"{rng.randint(100000, 899999)} {c.address}"],
        ["授权公告日：", fmt(issue, style)],
        ["授权公告号：", _grant_publication(rng, 1)],
    ]
    blocks = [
        Block("p", f"证书号第{rng.randint(2000000, 6999999)}号", size=11, font="serif"),
        Block("image", image=_emblem_png(), image_width=2.4, align="center"),
        Block("p", "发明专利证书", size=28, bold=True, font="serif", align="center", before=6, after=16),
        Block("grid", rows=rows, widths=[4.2, 12.2], size=12, font="serif"),
        Block("p", "国家知识产权局依照中华人民共和国专利法进行审查，决定授予专利权，颁发发明专利证书并在专利登记簿上予以登记。"
                   "专利权自授权公告之日起生效。专利权期限为二十年，自申请日起算。", size=10.5, font="serif", before=14),
        Block("p", "专利证书记载专利权登记时的法律状况。专利权的转移、质押、无效、终止、恢复和专利权人的姓名或名称、国籍、"
                   "地址变更等事项记载在专利登记簿上。", size=10.5, font="serif"),
        Block("p", "", size=24),
        Block("grid", rows=[["", f"局长　{facts.make_person(rng)}"]], widths=[10.0, 6.4], aligns=["left", "center"],
              size=13, font="serif"),
        Block("p", "第 1 页（共 2 页）", size=8.5, font="serif", align="center", before=20),
        Block("pagebreak"),
        Block("p", "专利权人应当依照专利法及其实施细则规定缴纳年费。本专利的年费应当在每年" f"{int(filed[5:7])}月{int(filed[8:10])}日前缴纳。"
                   "未按照规定缴纳年费的，专利权自应当缴纳年费期满之日起终止。", size=10.5, font="serif"),
        Block("p", "申请日时本专利记载的申请人、发明人信息如下：", size=10.5, font="serif", before=10),
        Block("p", f"申请人：{c.name}", size=10.5, font="serif"),
        Block("p", f"发明人：{'；'.join(dict.fromkeys(inventors))}", size=10.5, font="serif"),
        Block("p", "第 2 页（共 2 页）", size=8.5, font="serif", align="center", before=300),
    ]
    return DocSpec(
        filename, "patent_certificate", blocks, {"company_name": c.name, "certificate_number": number, "issue_date": issue},
        delivery=_licence_delivery(delivery), seal=SealSpec("国家知识产权局", anchor="局长", offset=(-30.0, -4.0), page=1),
        family="patent-paper",
        page=PageSetup(21.0, 29.7, (1.8, 2.0, 1.5, 2.0), border="double", border_size=24, border_colour="996600"),
    )


def patent_electronic(rng: random.Random, c: Company, filename: str, issue: str, delivery: str = "scan") -> DocSpec:
    """The electronic certificate CNIPA has issued since 2020, printed or saved as PDF: one page, the
    fields in a table without lines, the QR code for checking it low on the left, the seal over
    国家知识产权局 low on the right. Mostly invention patents, now and then a utility model."""
    utility = rng.random() < 0.25
    kind = 2 if utility else 1
    filed = shift(issue, -rng.randint(200 if utility else 500, 500 if utility else 1300))
    number, spaced = _patent_numbers(rng, filed, kind)
    title = "实用新型专利证书" if utility else "发明专利证书"
    inventors = list(dict.fromkeys(facts.make_person(rng) for _ in range(rng.randint(2, 5))))
    style = rng.choice(["cjk_pad", "cjk", "iso"])
    rows = [
        ["实用新型名称" if utility else "发明名称", rng.choice(UTILITY if utility else INVENTIONS)],
        ["发明人", "；".join(inventors)],
        ["专利号", spaced],
        ["专利申请日", fmt(filed, style)],
        ["专利权人", c.name],
        ["地址", c.address],
        ["授权公告日", fmt(issue, style)],
        ["授权公告号", _grant_publication(rng, kind)],
    ]
    blocks = [
        Block("grid", rows=[[f"证书号第{rng.randint(5000000, 9999999)}号", ""]], widths=[8.5, 8.0], size=10.5, font="sans"),
        Block("image", image=_emblem_png(), image_width=2.0, align="center"),
        Block("p", title, size=26, bold=True, font="sans", align="center", before=4, after=14),
        Block("grid", rows=rows, widths=[3.4, 13.0], size=11.5, font="sans",
              cells={(r, 0): Block("p", size=11.5, font="sans", bold=True) for r in range(len(rows))}),
        Block("p", f"国家知识产权局依照中华人民共和国专利法进行审查，决定授予专利权，颁发{title}并在专利登记簿上予以登记。"
                   f"专利权自授权公告之日起生效。专利权期限为{'十' if utility else '二十'}年，自申请日起算。", size=10,
              font="serif", before=12),
        Block("p", "", size=18),
        Block("grid", rows=[[IMAGE_CELL, "国家知识产权局"], ["", f"局长　{facts.make_person(rng)}"]], widths=[8.0, 8.4],
              aligns=["left", "center"], size=12, font="sans",
              cells={(0, 0): Block("p", image=_qr_png(rng, modules=25), image_width=2.4),
                     (0, 1): Block("p", size=15, bold=True, font="sans", align="center")}),
        Block("p", "扫描二维码可查验证书真伪及专利法律状态", size=8, font="sans"),
    ]
    return DocSpec(
        filename, "patent_certificate", blocks, {"company_name": c.name, "certificate_number": number, "issue_date": issue},
        delivery=delivery if delivery != "docx" else "pdf",
        seal=SealSpec("国家知识产权局", anchor="国家知识产权局", offset=(0.0, 6.0)), family="patent-electronic",
        page=PageSetup(21.0, 29.7, (1.6, 2.0, 1.4, 2.0)),
    )


FAMILIES: dict[str, list[Callable[..., DocSpec]]] = {
    "business_license": [licence_2019_landscape, licence_2016_vertical_copy, licence_certified_copy],
    "certificate": [cert_next_line, cert_bilingual, cert_audit_sentence],
    "lab_accreditation": [cnas_classic, cnas_with_schedule],
    "patent_certificate": [patent_paper, patent_electronic],
}
