"""The made-up world the corpus is drawn from: companies with valid codes, certification bodies,
labs, evaluation agencies, recommending units, products and grades. Deterministic per seed."""

import random
from dataclasses import dataclass

from extractor.understand.credit_code import ALPHABET, check_char, org_code_check_char

REGIONS = [("洛阳", "410300"), ("铜陵", "340700"), ("金昌", "620300"), ("株洲", "430200"), ("鹰潭", "360600"),
           ("包头", "150200"), ("昆明", "530100"), ("宁波", "330200"), ("西安", "610100"), ("厦门", "350200")]
TRADE_NAMES = ["华鑫", "金瑞", "中铝", "宏达", "恒通", "鑫源", "铜冠", "永兴", "海亮", "众诚", "博威", "楚江",
               "明泰", "南山", "云铝", "锦江", "东阳光", "盛屯", "紫金", "新威"]
INDUSTRIES = ["铜业", "铝业", "有色金属", "新材料", "金属材料", "合金材料", "铝材", "铜材"]
FORMS = ["有限公司", "股份有限公司", "有限责任公司", "（集团）有限公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"

PRODUCTS = [
    ("铜及铜合金板带材", ["T2", "TU1", "H65", "H62", "QSn6.5-0.1", "C19400"], "GB/T 2059-2017"),
    ("铝合金建筑型材", ["6063", "6061", "6005"], "GB/T 5237.1-2017"),
    ("变形铝及铝合金板材", ["1060", "3003", "5052", "5A06"], "GB/T 3880.1-2023"),
    ("铝及铝合金挤压棒材", ["2A12", "6061", "7075"], "GB/T 3191-2019"),
    ("铜及铜合金拉制管", ["TP2", "H68", "BZn18-26"], "GB/T 1527-2017"),
]

CERT_BODIES = [("中国质量认证中心", "CNCA-R-2002-001", "001"), ("方圆标志认证集团有限公司", "CNCA-R-2002-002", "002"),
               ("中质协质量保证中心", "CNCA-R-2002-006", "006"), ("华夏认证中心有限公司", "CNCA-R-2002-021", "021"),
               ("北京鉴衡认证中心有限公司", "CNCA-R-2003-091", "091")]
LABS = [("国家有色金属质量检验检测中心", "152700160031"), ("有色金属技术经济研究院检测中心", "230016310112"),
        ("北京有色金属研究总院测试分析中心", "180115310045"), ("广东省有色金属分析检测中心", "191916310078")]
EVAL_AGENCIES = ["中国质量协会用户委员会", "北京中质协用户满意度测评中心", "中质协质量保证中心满意度测评部"]
STANDARDS = {"qms": "GB/T 19001-2016/ISO 9001:2015", "ems": "GB/T 24001-2016/ISO 14001:2015",
             "ohsms": "GB/T 45001-2020/ISO 45001:2018"}
OLD_OHS = "GB/T 28001-2011/OHSAS 18001:2007"

RECOMMENDERS_2021 = [
    "北京市经济和信息化局", "天津市工业和信息化局", "河北省工业和信息化厅", "山西省经济和信息化厅",
    "内蒙古自治区工业和信息化厅", "辽宁省工业和信息化厅", "吉林省工业和信息化厅", "黑龙江省工业和信息化厅",
    "上海市经济和信息化委员会", "江苏省工业和信息化厅", "浙江省经济和信息化厅", "安徽省经济和信息化厅",
    "福建省工业和信息化厅", "江西省工业和信息化厅", "山东省工业和信息化厅", "河南省工业和信息化厅",
    "湖北省经济和信息化厅", "湖南省工业和信息化厅", "广东省工业和信息化厅", "广西壮族自治区工业和信息化厅",
    "海南省工业和信息化厅", "重庆市经济和信息化委员会", "四川省经济和信息化厅", "贵州省工业和信息化厅",
    "云南省工业和信息化厅", "西藏自治区经济和信息化厅", "陕西省工业和信息化厅", "甘肃省工业和信息化厅",
    "青海省工业和信息化厅", "宁夏回族自治区工业和信息化厅", "新疆维吾尔自治区工业和信息化厅",
    "大连市工业和信息化局", "宁波市经济和信息化局", "厦门市工业和信息化局", "青岛市工业和信息化局",
    "深圳市工业和信息化局", "新疆生产建设兵团工业和信息化厅", "中国机械工业联合会", "中国机械工业质量管理协会",
    "中国钢铁工业协会", "中国有色金属工业协会", "中国石油和化学工业联合会", "中国轻工业联合会",
    "中国纺织工业联合会", "中国建筑材料联合会", "中国电子信息行业联合会", "中国电子质量管理协会",
    "中国中小企业协会", "中国质量协会",
]
NOT_LISTED_RECOMMENDERS = ["洛阳市有色金属行业协会", "华东铜加工产业联盟", "某省质量管理促进会"]


@dataclass(frozen=True)
class Company:
    name: str
    code: str
    legal_rep: str
    city: str
    address: str
    founded: str  # ISO date


def make_code(rng: random.Random, region: str) -> str:
    """A credit code that passes both checks: 91 + region + organisation code + check char."""
    while True:
        body8 = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        inner = org_code_check_char(body8)
        if inner is None or inner not in ALPHABET:
            continue
        first17 = "91" + region + body8 + inner
        return first17 + check_char(first17)


def make_person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def make_company(rng: random.Random) -> Company:
    city, region = rng.choice(REGIONS)
    name = city + rng.choice(TRADE_NAMES) + rng.choice(INDUSTRIES) + rng.choice(FORMS)
    year = rng.randint(1995, 2015)
    return Company(
        name=name,
        code=make_code(rng, region),
        legal_rep=make_person(rng),
        city=city,
        address=f"{city}市高新技术开发区{rng.choice(['工业', '创业', '滨河', '建设'])}路{rng.randint(1, 300)}号",
        founded=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    )


def corrupt_code(code: str) -> str:
    """One character changed so the GB 32100 check fails (a typo on a form)."""
    i = 12
    replacement = next(ch for ch in "0123456789" if ch != code[i])
    return code[:i] + replacement + code[i + 1 :]
