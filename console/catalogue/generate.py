"""A plausible catalogue of departments and matters, generated: the demo hall's, and the
1,044-matter, 29-department one of a real one-stop hall (一窗通办) for tests and benches.

Names are a department's subjects crossed with the actions a hall handles
(个体工商户 × 设立登记 → 个体工商户设立登记, "Individual business: establishment
registration"); materials are drawn from what such matters ask for. The same
arguments give the same catalogue, so tests and benches can rely on it.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

DEPARTMENTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "SCJG",
        "市场监督管理局",
        "Market Regulation Bureau",
        (
            ("个体工商户", "Individual business"),
            ("有限责任公司", "Limited company"),
            ("农民专业合作社", "Farmers' cooperative"),
            ("食品经营", "Food business"),
            ("药品零售", "Drug retail"),
            ("医疗器械经营", "Medical device trading"),
            ("特种设备使用", "Special equipment use"),
            ("商标质押", "Trademark pledge"),
        ),
    ),
    (
        "SWJ",
        "税务局",
        "Taxation Bureau",
        (
            ("增值税发票", "VAT invoice"),
            ("个人所得税", "Individual income tax"),
            ("税务登记", "Tax registration"),
            ("纳税证明", "Tax payment certificate"),
            ("出口退税", "Export tax refund"),
            ("房产税", "Property tax"),
            ("印花税", "Stamp duty"),
            ("社保费缴纳", "Social insurance contribution"),
        ),
    ),
    (
        "RSJ",
        "人力资源和社会保障局",
        "Human Resources and Social Security Bureau",
        (
            ("社会保障卡", "Social security card"),
            ("养老保险", "Pension insurance"),
            ("失业保险金", "Unemployment benefit"),
            ("工伤认定", "Work injury recognition"),
            ("就业登记", "Employment registration"),
            ("职业资格证书", "Vocational certificate"),
            ("劳动合同", "Labour contract"),
            ("人才引进", "Talent introduction"),
        ),
    ),
    (
        "YBJ",
        "医疗保障局",
        "Healthcare Security Bureau",
        (
            ("医保参保", "Medical insurance enrolment"),
            ("异地就医", "Medical care elsewhere"),
            ("医疗费用报销", "Medical expense reimbursement"),
            ("门诊慢特病", "Chronic disease care"),
            ("生育保险", "Maternity insurance"),
            ("医保关系转移", "Insurance transfer"),
        ),
    ),
    (
        "GAJ",
        "公安局",
        "Public Security Bureau",
        (
            ("居民身份证", "Resident ID card"),
            ("户口迁移", "Household transfer"),
            ("居住证", "Residence permit"),
            ("出入境证件", "Exit-entry document"),
            ("无犯罪记录证明", "No-criminal-record certificate"),
            ("机动车驾驶证", "Driving licence"),
            ("机动车登记", "Vehicle registration"),
            ("临时身份证", "Temporary ID card"),
        ),
    ),
    (
        "MZJ",
        "民政局",
        "Civil Affairs Bureau",
        (
            ("婚姻登记", "Marriage registration"),
            ("社会团体", "Social organisation"),
            ("民办非企业单位", "Private non-enterprise unit"),
            ("最低生活保障", "Minimum living allowance"),
            ("残疾人两项补贴", "Disability allowances"),
            ("殡葬服务", "Funeral services"),
            ("养老机构", "Elderly care institution"),
        ),
    ),
    (
        "ZJJ",
        "住房和城乡建设局",
        "Housing and Urban-Rural Development Bureau",
        (
            ("建筑工程施工许可", "Construction permit"),
            ("商品房预售", "Off-plan housing sale"),
            ("住房公积金", "Housing provident fund"),
            ("建筑业企业资质", "Construction qualification"),
            ("物业服务", "Property management"),
            ("房屋租赁", "Housing lease"),
            ("保障性住房", "Affordable housing"),
        ),
    ),
    (
        "ZRZY",
        "自然资源和规划局",
        "Natural Resources and Planning Bureau",
        (
            ("不动产登记", "Real estate registration"),
            ("建设用地规划许可", "Land-use planning permit"),
            ("国有土地使用权", "State land-use right"),
            ("抵押权", "Mortgage"),
            ("测绘资质", "Surveying qualification"),
            ("不动产权证书", "Real estate certificate"),
            ("宅基地", "Rural homestead"),
        ),
    ),
    (
        "JYJ",
        "教育局",
        "Education Bureau",
        (
            ("民办学校", "Private school"),
            ("教师资格", "Teacher qualification"),
            ("校外培训机构", "Off-campus tutoring"),
            ("学籍", "Student status"),
            ("义务教育入学", "Compulsory school enrolment"),
            ("学历证明", "Education certificate"),
        ),
    ),
    (
        "WJW",
        "卫生健康委员会",
        "Health Commission",
        (
            ("医疗机构执业", "Medical institution practice"),
            ("医师执业", "Physician practice"),
            ("护士执业", "Nurse practice"),
            ("出生医学证明", "Birth medical certificate"),
            ("公共场所卫生", "Public venue hygiene"),
            ("母婴保健技术", "Maternal care technology"),
        ),
    ),
    (
        "JTJ",
        "交通运输局",
        "Transport Bureau",
        (
            ("道路运输经营", "Road transport business"),
            ("出租汽车", "Taxi"),
            ("网络预约出租汽车", "Ride-hailing"),
            ("机动车维修", "Vehicle repair"),
            ("驾驶员培训", "Driver training"),
            ("道路运输从业资格", "Road transport qualification"),
        ),
    ),
    (
        "STHJ",
        "生态环境局",
        "Ecology and Environment Bureau",
        (
            ("排污许可", "Pollutant discharge permit"),
            ("环境影响评价", "Environmental assessment"),
            ("危险废物", "Hazardous waste"),
            ("辐射安全", "Radiation safety"),
            ("建设项目竣工环保", "Project completion check"),
        ),
    ),
    (
        "SWJU",
        "水务局",
        "Water Affairs Bureau",
        (
            ("取水许可", "Water intake permit"),
            ("排水许可", "Drainage permit"),
            ("河道管理范围内建设", "Construction in river areas"),
            ("水土保持方案", "Soil conservation plan"),
            ("供水报装", "Water supply connection"),
        ),
    ),
    (
        "NYNC",
        "农业农村局",
        "Agriculture and Rural Affairs Bureau",
        (
            ("农药经营", "Pesticide trading"),
            ("兽药经营", "Veterinary drug trading"),
            ("种子生产经营", "Seed business"),
            ("动物防疫条件", "Animal epidemic conditions"),
            ("农机驾驶证", "Farm machinery licence"),
            ("渔业捕捞", "Fishing"),
        ),
    ),
    (
        "SWU",
        "商务局",
        "Commerce Bureau",
        (
            ("对外贸易经营者", "Foreign trade operator"),
            ("外商投资企业", "Foreign-invested enterprise"),
            ("单用途预付卡", "Prepaid card"),
            ("拍卖企业", "Auction company"),
            ("再生资源回收", "Recycling business"),
        ),
    ),
    (
        "WHLY",
        "文化广电旅游局",
        "Culture, Radio, TV and Tourism Bureau",
        (
            ("娱乐场所", "Entertainment venue"),
            ("营业性演出", "Commercial performance"),
            ("旅行社", "Travel agency"),
            ("网吧", "Internet café"),
            ("出版物零售", "Publication retail"),
            ("卫星电视接收", "Satellite TV reception"),
        ),
    ),
    (
        "YJGL",
        "应急管理局",
        "Emergency Management Bureau",
        (
            ("危险化学品经营", "Hazardous chemicals trading"),
            ("烟花爆竹经营", "Fireworks trading"),
            ("安全生产", "Work safety"),
            ("非煤矿山", "Non-coal mine"),
        ),
    ),
    (
        "XFJY",
        "消防救援大队",
        "Fire and Rescue Brigade",
        (
            ("公众聚集场所", "Public gathering venue"),
            ("消防设计", "Fire protection design"),
            ("消防验收", "Fire acceptance check"),
        ),
    ),
    (
        "SFJ",
        "司法局",
        "Justice Bureau",
        (
            ("法律援助", "Legal aid"),
            ("公证", "Notarisation"),
            ("人民调解", "People's mediation"),
            ("律师执业", "Lawyer practice"),
            ("司法鉴定", "Forensic appraisal"),
        ),
    ),
    (
        "TYJ",
        "退役军人事务局",
        "Veterans Affairs Bureau",
        (
            ("退役军人", "Veteran"),
            ("优抚对象", "Entitled group"),
            ("烈士褒扬", "Martyr honours"),
            ("军人随军家属", "Military family"),
        ),
    ),
    (
        "CZJ",
        "财政局",
        "Finance Bureau",
        (
            ("代理记账", "Bookkeeping agency"),
            ("政府采购", "Government procurement"),
            ("会计人员", "Accountant"),
            ("非税收入", "Non-tax revenue"),
        ),
    ),
    (
        "TJJ",
        "统计局",
        "Statistics Bureau",
        (
            ("统计调查项目", "Statistical survey"),
            ("统计数据", "Statistical data"),
            ("统计登记", "Statistical registration"),
        ),
    ),
    (
        "GSL",
        "工商业联合会",
        "Federation of Industry and Commerce",
        (("商会", "Chamber of commerce"), ("民营企业", "Private enterprise")),
    ),
    (
        "DAJ",
        "档案馆",
        "Archives",
        (
            ("婚姻档案", "Marriage archives"),
            ("知青档案", "Educated-youth archives"),
            ("退休档案", "Retirement archives"),
            ("企业档案", "Company archives"),
        ),
    ),
    (
        "CLJ",
        "残疾人联合会",
        "Disabled Persons' Federation",
        (
            ("残疾人证", "Disability certificate"),
            ("辅助器具", "Assistive devices"),
            ("残疾人就业", "Disabled employment"),
        ),
    ),
    (
        "GYX",
        "供电公司",
        "Power Supply Company",
        (
            ("低压用电", "Low-voltage power"),
            ("高压用电", "High-voltage power"),
            ("电费", "Electricity bill"),
            ("光伏并网", "Solar grid connection"),
        ),
    ),
    (
        "RQG",
        "燃气公司",
        "Gas Company",
        (("居民用气", "Household gas"), ("非居民用气", "Commercial gas"), ("燃气表", "Gas meter")),
    ),
    (
        "TXY",
        "通信运营商",
        "Telecom Operators",
        (("宽带", "Broadband"), ("固定电话", "Landline"), ("企业专线", "Business line")),
    ),
    (
        "YZJ",
        "邮政管理局",
        "Postal Administration",
        (
            ("快递业务经营", "Express delivery business"),
            ("快递末端网点", "Delivery outlet"),
            ("邮政普遍服务", "Universal postal service"),
        ),
    ),
)
"""(code, 中文, English, subjects): the 29 departments of a one-stop hall."""

ACTIONS: tuple[tuple[str, str, float], ...] = (
    ("设立登记", "establishment registration", 15),
    ("变更登记", "change registration", 10),
    ("注销登记", "deregistration", 8),
    ("许可申请", "licence application", 15),
    ("许可延续", "licence renewal", 8),
    ("补领", "replacement", 6),
    ("换领", "renewal of certificate", 6),
    ("备案", "filing", 5),
    ("信息查询", "information enquiry", 3),
    ("证明开具", "certificate issue", 4),
    ("资格认定", "qualification recognition", 12),
    ("年度报告", "annual report", 6),
    ("申报", "declaration", 7),
    ("转移接续", "transfer", 9),
    ("核准", "approval", 12),
    ("撤销", "withdrawal", 6),
)
"""(中文, English, typical minutes): what a hall does about a subject."""

VARIANTS: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("（跨省通办）", " (inter-provincial)"),
    ("（分支机构）", " (branch)"),
    ("（加急）", " (expedited)"),
    ("（委托代理）", " (by an agent)"),
    ("（网上预审）", " (pre-checked online)"),
    ("（容缺受理）", " (accepted with gaps)"),
    ("（告知承诺）", " (on commitment)"),
)
"""Versions of one matter a large catalogue lists apart."""

MATERIALS = ("申请人身份证原件及复印件", "申请表", "授权委托书（代办时）", "情况说明")
"""What most matters ask for."""
DEPARTMENT_MATERIALS: dict[str, tuple[str, ...]] = {
    "SCJG": ("营业执照副本", "经营场所使用证明", "章程", "法定代表人身份证明", "从业人员健康证明"),
    "SWJ": ("营业执照副本", "纳税申报表", "发票领用簿", "银行账户证明", "财务报表"),
    "RSJ": ("社会保障卡", "劳动合同", "解除劳动关系证明", "近期一寸免冠照片", "学历证书"),
    "YBJ": ("医保电子凭证", "医疗费用发票", "出院小结", "诊断证明", "费用清单"),
    "GAJ": ("户口簿", "原证件", "近期一寸免冠照片", "居住证明", "体检证明"),
    "MZJ": ("户口簿", "结婚证", "收入证明", "残疾人证", "社会团体章程"),
    "ZJJ": ("不动产权证书", "建设工程规划许可证", "施工合同", "房屋租赁合同", "资质证书"),
    "ZRZY": ("不动产权证书", "宗地图", "土地出让合同", "抵押合同", "测绘报告"),
}
"""What a department's matters ask for besides (others: a licence or certificate, a report)."""
OTHER_MATERIALS = ("原许可证或证书", "检测报告", "场所平面图", "营业执照副本", "承诺书")


def _materials(rng: random.Random, department: str) -> list[str]:
    own = DEPARTMENT_MATERIALS.get(department, OTHER_MATERIALS)
    return [MATERIALS[0], *rng.sample(own, rng.randint(1, 3)),
            *rng.sample(MATERIALS[1:], rng.randint(0, 2))]  # fmt: skip


def _shares(total: int, sizes: list[int]) -> list[int]:
    """``total`` split in proportion to ``sizes`` (largest remainders), none over its size."""
    if total > sum(sizes):
        raise ValueError(f"at most {sum(sizes)} matters in this many departments")
    exact = [total * size / sum(sizes) for size in sizes]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def catalogue(
    queues: Sequence[str],
    *,
    departments: int = 29,
    matters: int = 1044,
    seed: int = 18,
) -> list[dict[str, Any]]:
    """``matters`` matters spread over the first ``departments`` departments, each
    department's called in one of ``queues`` (in turn), as rows of the import's columns."""
    rng = random.Random(seed)
    chosen = DEPARTMENTS[: max(1, min(departments, len(DEPARTMENTS)))]
    names: list[list[tuple[str, str, float]]] = []
    for _, _, _, subjects in chosen:
        combos = [(f"{s_zh}{a_zh}{v_zh}", f"{s_en}: {a_en}{v_en}", minutes)
                  for v_zh, v_en in VARIANTS for s_zh, s_en in subjects
                  for a_zh, a_en, minutes in ACTIONS]  # fmt: skip
        names.append(combos)
    out: list[dict[str, Any]] = []
    per = _shares(matters, [len(c) for c in names])
    for index, ((code, zh, en, _), combos, count) in enumerate(
        zip(chosen, names, per, strict=True)
    ):
        # the department's first subject's first action always (个体工商户设立登记), the
        # rest of the plain versions shuffled, then the variants: a small catalogue is plain
        plain = len(combos) // len(VARIANTS)
        shuffled = rng.sample(combos[1:plain], min(count, plain) - 1)
        picked = [combos[0], *shuffled, *combos[plain:][: max(0, count - plain)]]
        for n, (name_zh, name_en, minutes) in enumerate(picked, start=1):
            out.append({
                "code": f"{code}-{n:04d}",
                "name_zh": name_zh,
                "name_en": name_en,
                "department": code,
                "department_zh": zh,
                "department_en": en,
                "service": queues[index % len(queues)],
                "materials": _materials(rng, code),
                "handling_min": round(minutes * rng.uniform(0.7, 1.3), 1),
                "target_wait_min": rng.choice((15, 20, 30, 30, 45)),
            })  # fmt: skip
    return out
