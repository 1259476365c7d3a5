"""Real-world shapes, in fixtures of our own writing (tests/fixtures/shapes/): lists read in order,
shared and joint subsidies, generic money after its programme, comparison values, monthly
disclosures, yearbook and record tables, lost row labels, traditional characters.

Every expectation follows the annotation conventions of shared/corpus (values in the catalogue
unit; 由X提高到Y gives a baseline X; increments, beneficiaries, averages and person-times are not
values). Each file is parsed on its own and must give exactly the rows below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.build import parse_report

FIX = Path(__file__).parent / "fixtures" / "shapes"
META = {
    "pairs": {"city": "示例县", "year": "2023", "period": "2023", "report_type": "work_summary"},
    "disclosure": {"city": "示例县", "year": "2024", "period": "2024-03", "report_type": "statistical_bulletin"},
    "yearbook": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "record": {"city": "示例区", "year": "2024", "period": "2024-03", "report_type": "statistical_bulletin"},
    "lostlabels": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "traditional": {"city": "示例市", "year": "2016", "period": "2016-06", "report_type": "news_feature"},
    "statsglued": {"city": "示例市", "year": "2024", "period": "2024-06", "report_type": "statistical_bulletin"},
    "statspipes": {"city": "示例市", "year": "2024", "period": "2024H1", "report_type": "statistical_bulletin"},
    "statsform": {"city": "示例市", "year": "2024", "period": "2024", "report_type": "statistical_bulletin"},
    "panels": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "notice": {"city": "示例市", "year": "2024", "period": "2024", "report_type": "other"},
    "namedcols": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "codedform": {"city": "示例市", "year": "2024", "period": "2024-09", "report_type": "statistical_bulletin"},
    "yearbook2": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "programmes": {"city": "示例市", "year": "2024", "period": "2024-03", "report_type": "statistical_bulletin"},
    "damaged": {"city": "示例市", "year": "2024", "period": "2024", "report_type": "other"},
    "parallel": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "monthform": {"city": "", "province": "江西省", "year": "2024", "period": "2024-05", "report_type": "statistical_bulletin"},
    "shortnames": {"city": "示例旗", "year": "2024", "period": "2024-03", "report_type": "news_feature"},
    "yearpairs": {"city": "", "province": "江西省", "year": "2023", "period": "2023", "report_type": "other"},
    "provincial": {"city": "", "province": "江西省", "year": "2023", "period": "2023-09", "report_type": "statistical_bulletin"},
    "owndates": {"city": "示例市", "year": "2024", "period": "2024H1", "report_type": "work_summary"},
    "orphantiers": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "work_summary"},
    "orphanpairs": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "work_summary"},
    "wholegroup": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "work_summary"},
    "yearparts": {"city": "示例市", "year": "2023", "period": "2023", "report_type": "work_summary"},
}

# (indicator, value, status, period, scope, scope_detail, qualifier)
EXPECTED = {
    # 孤儿基本生活保障标准…集中养育每人每月X元、社会散居每人每月Y元: one name shared by two catalogue
    # standards, and the label right before each figure picks its own (tier_indicator); a count of
    # orphans is no standard.
    "orphantiers": {
        ("orphan_standard_institutional", 1900, "actual", "2023", "city", "", "exact"),
        ("orphan_standard_dispersed", 1450, "actual", "2023", "city", "", "exact"),
    },
    # 机构养育孤儿和社会散居孤儿基本生活最低养育标准…X元和Y元: two names, the second beginning at
    # 社会散居孤儿 although the longer 孤儿…标准 won the overlap; X is never the dispersed orphans' (it was).
    # 全市困境儿童2860人全部纳入保障: the whole area's group, all of them (全部/均 after the figure is no
    # noun it counts); those of them given one kind of care and people an action reached are not stocks.
    # A year's report that gives a half's or a quarter's money (上半年,全市发放…): that part of the year,
    # never the year beside the year's totals; a space before 万 (2.8 万人) is no break in the figure.
    "yearparts": {
        ("dibao_standard", 900, "actual", "2023", "city", "城市", "exact"),
        ("dibao_funds", 450_000_000, "actual", "2023", "city", "", "exact"),  # the split of a standard is no money's
        ("temp_assistance_funds", 15_000_000, "actual", "2023H1", "city", "", "exact"),
        ("dibao_funds", 28_000_000, "actual", "2023Q1", "city", "", "exact"),
        ("dibao_funds", 110_000_000, "actual", "2023", "city", "", "exact"),
        ("dibao_persons", 28_000, "actual", "2023", "city", "", "exact"),
    },
    "wholegroup": {
        ("children_in_difficulty", 2860, "actual", "2023", "city", "", "exact"),
        ("tekun_persons", 3560, "actual", "2023", "city", "", "exact"),
    },
    "orphanpairs": {
        ("orphan_standard_institutional", 2100, "actual", "2023", "city", "", "exact"),
        ("orphan_standard_dispersed", 1600, "actual", "2023", "city", "", "exact"),
    },
    # 由2020年底每人每月600元提高至…: the old value has its own date, with the unit between them; it is
    # neither the new value's year nor the span's (“十四五”期间). The new value has its own date too
    # (提高至2024年6月底…780元: a standard in force at that month, as the corpus's annotators date it).
    # Per-year standards divided by 12.
    "owndates": {
        ("dibao_standard", 600, "baseline", "2020", "city", "城市", "exact"),
        ("dibao_standard", 780, "actual", "2024-06", "city", "城市", "exact"),
        ("dibao_standard", 400, "baseline", "2020", "city", "农村", "exact"),
        ("dibao_standard", 600, "actual", "2024-06", "city", "农村", "exact"),
    },
    # 城乡…分别从X、Y提高到Z、W: baselines dated by 2019年以来, new values paired by order; 两补 gives both
    # subsidies; A和B标准均从X提高到Y gives both; 低保户 N户M人 gives households and persons; generic
    # money (发放保障金, 发放救助金) takes the programme just named. Not values: 新增/退出/新纳入 (changes),
    # 对5800名…发放 (beneficiaries), 减少250人 (a change), 300元 (a one-off subsidy).
    "pairs": {
        ("dibao_standard", 600, "baseline", "2019", "city", "城市", "exact"),
        ("dibao_standard", 450, "baseline", "2019", "city", "农村", "exact"),
        ("dibao_standard", 810, "actual", "2023", "city", "城市", "exact"),
        ("dibao_standard", 660, "actual", "2023", "city", "农村", "exact"),
        ("tekun_standard", 780, "baseline", "2019", "city", "", "exact"),
        ("tekun_standard", 1053, "actual", "2023", "city", "", "exact"),
        ("disability_living_subsidy", 90, "actual", "2023", "city", "", "exact"),
        ("disability_care_subsidy", 90, "actual", "2023", "city", "", "exact"),
        ("disability_living_subsidy", 80, "baseline", "2023", "city", "", "exact"),
        ("disability_care_subsidy", 80, "baseline", "2023", "city", "", "exact"),
        ("dibao_households", 1200, "actual", "2023-12", "city", "城市", "exact"),
        ("dibao_persons", 2100, "actual", "2023-12", "city", "城市", "exact"),
        ("dibao_households", 3400, "actual", "2023-12", "city", "农村", "exact"),
        ("dibao_persons", 5600, "actual", "2023-12", "city", "农村", "exact"),
        ("dibao_funds", 41205000, "actual", "2023", "city", "", "exact"),
        ("temp_assistance_funds", 1864000, "actual", "2023", "city", "", "exact"),
        ("dibao_persons", 2100, "actual", "2023", "city", "城市", "exact"),
        ("dibao_persons", 5600, "actual", "2023", "city", "农村", "exact"),
        ("dibao_persons", 7700, "actual", "2023", "city", "", "exact"),
        ("dibao_persons", 7950, "baseline", "2022-12", "city", "", "exact"),
    },
    # A monthly disclosure: totals and their urban/rural parts (a pair 城市1200户、1800人 shares its
    # label), 当月 money after the programme named before it, and its urban and rural parts (城市支出…,
    # 农村支出…, a payout verb alone right after the programme). Not values: 补助水平…月人均 (averages),
    # 人次均救助水平, 临时救助…210人 (no catalogue indicator), 特困 money (no catalogue indicator).
    "disclosure": {
        ("dibao_households", 5120, "actual", "2024-03", "city", "", "exact"),
        ("dibao_persons", 8340, "actual", "2024-03", "city", "", "exact"),
        ("dibao_households", 1200, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_persons", 1800, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_households", 3920, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_persons", 6540, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_funds", 3805000, "actual", "2024-03", "city", "", "exact"),
        ("dibao_funds", 1201000, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_funds", 2604000, "actual", "2024-03", "city", "农村", "exact"),
        ("tekun_persons", 900, "actual", "2024-03", "city", "", "exact"),
        ("temp_assistance_funds", 312000, "actual", "2024-03", "city", "", "exact"),
    },
    # A bilingual yearbook table: two year columns, each that year's actual value; a unit given only in
    # English; a wrapped English label. Not values: 医疗救助人次数 (人次).
    "yearbook": {
        ("dibao_persons", 12010, "actual", "2022", "city", "城市", "exact"),
        ("dibao_persons", 11870, "actual", "2023", "city", "城市", "exact"),
        ("dibao_households", 8120, "actual", "2022", "city", "农村", "exact"),
        ("dibao_households", 8045, "actual", "2023", "city", "农村", "exact"),
        ("tekun_persons", 2210, "actual", "2022", "city", "农村", "exact"),
        ("tekun_persons", 2175, "actual", "2023", "city", "农村", "exact"),
    },
    # One cell per line, headers first, some cut over two lines, two group headers over four child
    # columns: 本月 → the month, 1-本月 → January to March (2024Q1), 本年度 → the year. The child columns
    # (城镇/农村 parts) are not read.
    "record": {
        ("dibao_households", 120, "actual", "2024-03", "city", "", "exact"),
        ("dibao_persons", 205, "actual", "2024-03", "city", "", "exact"),
        ("dibao_funds", 185000, "actual", "2024-03", "city", "", "exact"),
        ("dibao_funds", 552000, "actual", "2024Q1", "city", "", "exact"),
        ("dibao_standard", 1150, "actual", "2024", "city", "", "exact"),
    },
    # Measures × years with the row labels lost: the first row is at least every other row, so it is
    # the total; the unnamed rows are not read.
    "lostlabels": {
        ("care_institutions", 60, "actual", "2022", "city", "", "exact"),
        ("care_institutions", 62, "actual", "2023", "city", "", "exact"),
        ("care_beds", 9800, "actual", "2022", "city", "", "exact"),
        ("care_beds", 10150, "actual", "2023", "city", "", "exact"),
    },
    # The civil-affairs statistics template (指标名称单位数量) with label, unit and value run together:
    # 城市/农村最低生活保障 head the rows below them; 提供住宿的民政机构床位 and 其他…床位 are not elderly
    # beds; a per-year average standard is divided by 12; 临时救助 in 万人次 is not a value.
    "statsglued": {
        ("care_institutions", 210, "actual", "2024-06", "city", "", "exact"),
        ("care_beds", 32000, "actual", "2024-06", "city", "", "exact"),
        ("dibao_persons", 24000, "actual", "2024-06", "city", "城市", "exact"),
        ("dibao_households", 15000, "actual", "2024-06", "city", "城市", "exact"),
        ("dibao_standard", 1100, "actual", "2024-06", "city", "城市", "exact"),
        ("dibao_persons", 63000, "actual", "2024-06", "city", "农村", "exact"),
        ("dibao_households", 38000, "actual", "2024-06", "city", "农村", "exact"),
        ("dibao_standard", 900, "actual", "2024-06", "city", "农村", "exact"),
        ("tekun_persons", 2000, "actual", "2024-06", "city", "城市", "exact"),
    },
    # The same template copied as broken pipe rows: labels alone on their line with unit and value on
    # the next, section headings swallowed into the label before them; 城乡特困… is a total.
    "statspipes": {
        ("care_institutions", 118, "actual", "2024H1", "city", "", "exact"),
        ("dibao_persons", 21480, "actual", "2024H1", "city", "城市", "exact"),
        ("dibao_persons", 90315, "actual", "2024H1", "city", "农村", "exact"),
        ("tekun_persons", 9870, "actual", "2024H1", "city", "", "exact"),
    },
    # A statistics form copied cell by cell with its column-ID row (甲|乙|丙|1|2|3): 数量 is this year,
    # 上年数据 the previous year's baseline, 同比 a change; 城市/农村低保累计支出 are parts of the total,
    # and the 低保金 line under each is narrower still, not a second value.
    "statsform": {
        ("dibao_funds", 84063000, "actual", "2024", "city", "", "exact"),
        ("dibao_funds", 79551000, "baseline", "2023", "city", "", "exact"),
        ("dibao_funds", 21052000, "actual", "2024", "city", "城市", "exact"),
        ("dibao_funds", 20104000, "baseline", "2023", "city", "城市", "exact"),
        ("dibao_funds", 63011000, "actual", "2024", "city", "农村", "exact"),
        ("dibao_funds", 59447000, "baseline", "2023", "city", "农村", "exact"),
    },
    # A yearbook page set as two panels: 二、养老机构 > 机构数 is the count of institutions; 社会团体 and
    # 民办非企业单位 under 五、社会组织 are kinds of social organisation (parts, never the total);
    # 床位数 under 养老机构 and marriage counts (件) are not read.
    "panels": {
        ("dibao_persons", 21050, "actual", "2023", "city", "城市", "exact"),
        ("dibao_persons", 22310, "actual", "2022", "city", "城市", "exact"),
        ("dibao_persons", 60215, "actual", "2023", "city", "农村", "exact"),
        ("dibao_persons", 61870, "actual", "2022", "city", "农村", "exact"),
        ("care_institutions", 96, "actual", "2023", "city", "", "exact"),
        ("care_institutions", 92, "actual", "2022", "city", "", "exact"),
        ("social_orgs", 512, "actual", "2023", "city", "社会团体", "exact"),
        ("social_orgs", 498, "actual", "2022", "city", "社会团体", "exact"),
        ("social_orgs", 640, "actual", "2023", "city", "民办非企业单位", "exact"),
        ("social_orgs", 611, "actual", "2022", "city", "民办非企业单位", "exact"),
    },
    # A standards notice: LABEL由X提高到Y continues the subject with the label as its part (两县政府所在镇);
    # a programme's people under a colon heading (城市特困人员由每人每月…) are its urban/rural parts, the
    # per-year rural figure divided by 12; the standard named as a yardstick (按照城乡低保标准的1.3倍) is
    # never the subject; 每人每月提高10元 is an increment; 统一调整为 gives the new value; 累计募集善款 beside the
    # year's 共募集 is a total since some unstated start; 纳入城乡低保 in a month is the roll; 增发 is extra
    # money, not the programme's. Rows equal to a listed value (城乡…分别从不低于…) appear once.
    "notice": {
        ("dibao_standard", 800, "baseline", "2024", "city", "城市", "exact"),
        ("dibao_standard", 850, "actual", "2024", "city", "城市", "exact"),
        ("dibao_standard", 700, "baseline", "2024", "city", "两县政府所在镇", "exact"),
        ("dibao_standard", 760, "actual", "2024", "city", "两县政府所在镇", "exact"),
        ("tekun_standard", 1040, "baseline", "2024", "city", "城市", "exact"),
        ("tekun_standard", 1105, "actual", "2024", "city", "城市", "exact"),
        ("tekun_standard", 800, "baseline", "2024", "city", "农村", "exact"),
        ("tekun_standard", 850, "actual", "2024", "city", "农村", "exact"),
        ("tekun_standard", 780, "baseline", "2024", "city", "农村", "exact"),
        ("tekun_standard", 832, "actual", "2024", "city", "农村", "exact"),
        ("disability_living_subsidy", 120, "actual", "2024", "city", "", "exact"),
        ("orphan_standard_dispersed", 1600, "baseline", "2024", "city", "", "exact"),
        ("orphan_standard_dispersed", 1680, "actual", "2024", "city", "", "exact"),
        ("charity_donations", 21000000, "actual", "2023", "city", "", "exact"),
        ("dibao_households", 5200, "actual", "2023-12", "city", "", "exact"),
        ("dibao_persons", 8100, "actual", "2023-12", "city", "", "exact"),
    },
    # A bilingual yearbook table whose English labels wrap and whose values come on a line of their
    # own; a row with fewer values fills the latest years; #女性/#老年人 rows are parts, not read.
    "yearbook2": {
        ("dibao_persons", 52010, "actual", "2019", "city", "城市", "exact"),
        ("dibao_persons", 31870, "actual", "2022", "city", "城市", "exact"),
        ("dibao_persons", 30415, "actual", "2023", "city", "城市", "exact"),
        ("dibao_funds", 210500000, "actual", "2019", "city", "农村", "exact"),
        ("dibao_funds", 302100000, "actual", "2022", "city", "农村", "exact"),
        ("dibao_funds", 314800000, "actual", "2023", "city", "农村", "exact"),
        ("tekun_persons", 6120, "actual", "2022", "city", "农村", "exact"),
        ("tekun_persons", 6015, "actual", "2023", "city", "农村", "exact"),
    },
    # Places as the value columns (示例市 | 市区): the city's column is the total, 市区 a part of it.
    "namedcols": {
        ("care_institutions", 45, "actual", "2023", "city", "", "exact"),
        ("care_institutions", 12, "actual", "2023", "市区", "", "exact"),
        ("dibao_persons", 3200, "actual", "2023", "city", "城市", "exact"),
        ("dibao_persons", 1400, "actual", "2023", "市区", "城市", "exact"),
        ("dibao_households", 2100, "actual", "2023", "city", "城市", "exact"),
        ("dibao_households", 900, "actual", "2023", "市区", "城市", "exact"),
    },
    # A statistics form copied as text with indicator codes: 数量 is this period (the year to September,
    # as 累计支出 says), 上季度 the year to the previous quarter (a baseline), 环比 a change.
    "codedform": {
        ("dibao_funds", 301502000, "actual", "2024-01/2024-09", "city", "", "exact"),
        ("dibao_funds", 200107000, "baseline", "2024H1", "city", "", "exact"),
        ("dibao_funds", 60203000, "actual", "2024-01/2024-09", "city", "城市", "exact"),
        ("dibao_funds", 241009000, "actual", "2024-01/2024-09", "city", "农村", "exact"),
    },
    # Programmes as rows and measures as columns: a 标准 column whose cells carry their unit
    # (900元/人/月), 户数/人数 columns, money in the header's 万元 for the month; the 合计 row mixes
    # programmes and is not read.
    "programmes": {
        ("dibao_standard", 900, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_standard", 700, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_households", 1210, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_households", 2455, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_persons", 1875, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_persons", 3902, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_funds", 1683000, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_funds", 2107700, "actual", "2024-03", "city", "农村", "exact"),
        ("temp_assistance_funds", 426000, "actual", "2024-03", "city", "", "exact"),
    },
    # A notice whose 元 was lost with a damaged glyph (调整为860/月): still a money standard. A name in a
    # bracket closed before the figure (…的家庭(含农村五保户)共有) is an aside: neither the subject nor
    # a rural part. A standard named only as 补助标准 is that of the programme the sentence last names.
    "damaged": {
        ("dibao_standard", 860, "actual", "2024", "city", "城市", "exact"),
        ("dibao_standard", 700, "actual", "2024", "city", "农村", "exact"),
        ("dibao_households", 3120, "actual", "2024-06", "city", "", "exact"),
        ("dibao_persons", 5480, "actual", "2024-06", "city", "", "exact"),
        ("tekun_persons", 210, "actual", "2024", "city", "农村", "exact"),
        ("tekun_standard", 980, "actual", "2024", "city", "农村", "exact"),
    },
    # A sentence whose ;-parts each name a split before their first figure (城镇居民…;农村居民…): every
    # figure of a part is that part's; the whole before 其中 keeps no kind, its listed kinds do.
    "parallel": {
        ("dibao_households", 2100, "actual", "2023", "city", "城市", "exact"),
        ("dibao_persons", 3650, "actual", "2023", "city", "城市", "exact"),
        ("dibao_funds", 29800000, "actual", "2023", "city", "城市", "exact"),
        ("dibao_households", 4300, "actual", "2023", "city", "农村", "exact"),
        ("dibao_persons", 7800, "actual", "2023", "city", "农村", "exact"),
        ("dibao_funds", 31200000, "actual", "2023", "city", "农村", "exact"),
        ("meal_sites", 45, "actual", "2023-12", "city", "", "exact"),
        ("meal_sites", 20, "actual", "2023-12", "city", "老年食堂", "exact"),
        ("meal_sites", 11, "actual", "2023-12", "city", "老年助餐点", "exact"),
    },
    # A province's monthly form with no codes (指标名称 单位 数量 上期 环比, a column-number row, heading
    # rows between): issued by the province's 民政厅, so the whole province; 上期 is the previous month
    # for a count and the year to its end for money, and this month's money is the year to date; a
    # row with no unit takes it from its measure word (城市低保人数). Not values: 当月新增/退出 (changes).
    "monthform": {
        ("dibao_funds", 62105000, "actual", "2024-01/2024-05", "province", "城市", "exact"),
        ("dibao_funds", 49803000, "baseline", "2024-01/2024-04", "province", "城市", "exact"),
        ("dibao_funds", 184027000, "actual", "2024-01/2024-05", "province", "农村", "exact"),
        ("dibao_funds", 147602000, "baseline", "2024-01/2024-04", "province", "农村", "exact"),
        ("dibao_persons", 41203, "actual", "2024-05", "province", "城市", "exact"),
        ("dibao_persons", 41377, "baseline", "2024-04", "province", "城市", "exact"),
        ("dibao_households", 25118, "actual", "2024-05", "province", "城市", "exact"),
        ("dibao_households", 25201, "baseline", "2024-04", "province", "城市", "exact"),
        ("dibao_persons", 230415, "actual", "2024-05", "province", "农村", "exact"),
        ("dibao_persons", 231002, "baseline", "2024-04", "province", "农村", "exact"),
        ("dibao_households", 128730, "actual", "2024-05", "province", "农村", "exact"),
        ("dibao_households", 129004, "baseline", "2024-04", "province", "农村", "exact"),
        ("tekun_persons", 40816, "actual", "2024-05", "province", "农村", "exact"),
        ("tekun_persons", 40790, "baseline", "2024-04", "province", "农村", "exact"),
    },
    # A quarter's disclosure: 城镇…;牧区… parts (牧区 is the rural part) opening their ;-parts are the
    # caseload; 累计发放 in a month's report is the year to date; money in a clause that names another
    # programme (高龄津贴…累计发放资金, 享受教育救助…支出资金) is not the one named before. Short names
    # 生活补贴标准/护理补贴标准 in a paragraph about 残疾人两项补贴 are those subsidies, but not 特困…照料
    # 护理补贴 or 高龄老人生活补贴. 集中养育孤儿基本生活费 is the institutional standard. Not values:
    # 新增 social workers, exam candidates (考试), 涉外 registrations (a part), 低保对象40户纳入… (acted on).
    # A province's own figures: 全省平均保障标准 is its standard, not a peer's (a per-year figure /12);
    # 截至9月 money is the year to date, a part of all the 救助资金 named before 其中, and takes the
    # split of the part just counted; 我省…为 states the stock; 全自理人员供养标准 (per year /12),
    # 基本生活救助标准 (不低于: at least) and 孤儿集中收养标准 are standards.
    # 2022年、2023年…分别为X、Y: each figure is its year's (the years are shared by the sentence's
    # ;-parts); a group named before 最低 or an aside (集中供养孤儿最低…标准, 散居孤儿(含…)…标准)
    # owns the standard word after it.
    "yearpairs": {
        ("orphan_standard_institutional", 1800, "actual", "2022", "province", "", "exact"),
        ("orphan_standard_institutional", 1900, "actual", "2023", "province", "", "exact"),
        ("orphan_standard_dispersed", 1200, "actual", "2022", "province", "", "exact"),
        ("orphan_standard_dispersed", 1260, "actual", "2023", "province", "", "exact"),
    },
    "provincial": {
        ("dibao_persons", 302500, "actual", "2023-09", "province", "城市", "exact"),
        ("dibao_standard", 610, "actual", "2023-09", "province", "城市", "exact"),
        ("dibao_persons", 1504000, "actual", "2023-09", "province", "农村", "exact"),
        ("dibao_standard", 400, "actual", "2023-09", "province", "农村", "exact"),
        ("dibao_persons", 2400, "actual", "2023-09", "province", "城市", "exact"),
        ("dibao_funds", 12004000, "actual", "2023-01/2023-09", "province", "城市", "exact"),
        ("dibao_persons", 10800, "actual", "2023-09", "province", "农村", "exact"),
        ("dibao_funds", 41006000, "actual", "2023-01/2023-09", "province", "农村", "exact"),
        ("tekun_persons", 5600, "actual", "2023-09", "province", "", "exact"),
        ("tekun_persons", 2100, "actual", "2023-09", "province", "集中", "exact"),
        ("tekun_standard", 1500, "baseline", "2023-09", "province", "城市", "exact"),
        ("tekun_standard", 1600, "actual", "2023-09", "province", "城市", "exact"),
        ("tekun_standard", 800, "baseline", "2023-09", "province", "农村", "exact"),
        ("tekun_standard", 850, "actual", "2023-09", "province", "农村", "exact"),
        ("tekun_standard", 1000, "actual", "2023-09", "province", "", "at_least"),
        ("orphan_standard_institutional", 1600, "actual", "2023-09", "province", "", "exact"),
        ("orphan_standard_dispersed", 1200, "actual", "2023-09", "province", "", "exact"),
    },
    "shortnames": {
        ("dibao_households", 512, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_persons", 903, "actual", "2024-03", "city", "城市", "exact"),
        ("dibao_funds", 1602000, "actual", "2024Q1", "city", "城市", "exact"),
        ("dibao_households", 143, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_persons", 298, "actual", "2024-03", "city", "农村", "exact"),
        ("dibao_funds", 513000, "actual", "2024Q1", "city", "农村", "exact"),
        ("tekun_persons", 21, "actual", "2024-03", "city", "城市", "exact"),
        ("temp_assistance_funds", 98000, "actual", "2024Q1", "city", "", "exact"),
        ("disability_living_subsidy", 130, "actual", "2024-03", "city", "", "exact"),
        ("disability_care_subsidy", 110, "actual", "2024-03", "city", "", "exact"),
        ("orphan_standard_institutional", 1960, "actual", "2024-03", "city", "", "exact"),
        ("orphan_standard_dispersed", 1480, "actual", "2024-03", "city", "", "exact"),
        ("marriage_registrations", 312, "actual", "2024Q1", "city", "", "exact"),  # 一季度办理…: the quarter's
    },
    # Traditional characters with pinyin glosses; 處 counts institutions; 較…分別提高 are increments.
    "traditional": {
        ("dibao_persons", 86000, "actual", "2016-06", "city", "", "exact"),
        ("dibao_standard", 560, "actual", "2016-06", "city", "城市", "exact"),
        ("dibao_standard", 360, "actual", "2016-06", "city", "农村", "exact"),
        ("care_institutions", 132, "actual", "2016-06", "city", "", "exact"),
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_world_shapes(name):
    parsed, _warnings = parse_report(FIX / f"{name}.txt", META[name])
    ind = parsed.tables["indicators"]
    got = {(r.indicator_id, round(r.value, 2), r.status, r.period, r.scope, r.scope_detail, r.qualifier)
           for r in ind.itertuples()}
    want = {(i, round(float(v), 2), *rest) for i, v, *rest in EXPECTED[name]}
    assert got - want == set(), f"unexpected: {sorted(got - want)}"
    assert want - got == set(), f"missing: {sorted(want - got)}"


def test_a_lost_label_row_that_is_not_the_largest_is_never_taken_for_the_total(tmp_path):
    text = (FIX / "lostlabels.txt").read_text(encoding="utf-8").replace(" 60 62 9800 10150", " 10 12 900 950")
    path = tmp_path / "lost.txt"
    path.write_text(text, encoding="utf-8")
    parsed, _ = parse_report(path, META["lostlabels"])
    assert parsed.tables["indicators"].empty


def test_a_record_whose_columns_do_not_add_up_is_not_read(tmp_path):
    text = (FIX / "record.txt").read_text(encoding="utf-8").replace("\n\n1150\n", "\n")  # one value short
    path = tmp_path / "short.txt"
    path.write_text(text, encoding="utf-8")
    parsed, _ = parse_report(path, META["record"])
    assert parsed.tables["indicators"].empty


def test_a_month_that_is_no_month_gives_no_period_of_it(tmp_path):
    """截至19月 (a damaged or mistyped date) names no month: a value's period is never 2023-19."""
    text = (FIX / "provincial.txt").read_text(encoding="utf-8")
    assert "截至9月" in text
    path = tmp_path / "damaged.txt"
    path.write_text(text.replace("截至9月", "截至19月"), encoding="utf-8")
    parsed, _ = parse_report(path, META["provincial"])
    ind = parsed.tables["indicators"]
    assert (ind["indicator_id"] == "dibao_persons").any()  # the values are still read
    months = ind["period"].str.findall(r"\d{4}-(\d{2})").explode().dropna().astype(int)
    assert len(months) and months.between(1, 12).all(), sorted(set(ind["period"]))


def test_a_record_of_a_month_that_is_no_month_gives_no_figure(tmp_path):
    """A monthly record captioned 202413月 (a damaged date): none of its columns has a period that
    can be told (本月 would be 2024-13), so none is read; the undamaged record is read as before."""
    text = (FIX / "record.txt").read_text(encoding="utf-8")
    assert "20243月最低生活保障" in text
    path = tmp_path / "damaged.txt"
    path.write_text(text.replace("20243月最低生活保障", "202413月最低生活保障"), encoding="utf-8")
    assert parse_report(path, META["record"])[0].tables["indicators"].empty
    path.write_text(text, encoding="utf-8")
    assert len(parse_report(path, META["record"])[0].tables["indicators"]) == len(EXPECTED["record"])


def test_a_table_column_of_a_month_that_is_no_month_gives_no_figure(tmp_path):
    """A column headed 2018年13月 (a damaged date): its cells have no period that can be told, so no
    indicator comes from them (not 2018-13, nor the year 2018); the other columns still read."""
    from conftest import RAW

    seed = RAW / "002_69bfed1fd2b15b68.txt"
    text = seed.read_text(encoding="utf-8")
    header = "指标名称 2015年 2020年 2018年11月 指标属性"
    assert header in text
    path = tmp_path / seed.name
    path.write_text(text.replace(header, header.replace("2018年11月", "2018年13月")), encoding="utf-8")
    before = parse_report(seed)[0].tables["indicators"]
    after = parse_report(path)[0].tables["indicators"]
    cells = after[after["table_id"].fillna("") != ""]
    assert not cells["source_text"].str.contains("2018年13月").any()
    assert not after["period"].str.fullmatch(r"\d{4}-1[3-9]").any()
    kept = before[(before["table_id"].fillna("") != "") & ~before["source_text"].str.contains("2018年11月")]
    assert len(kept) and len(cells) == len(kept)  # the 2015 and 2020 columns are read as before


@pytest.mark.parametrize("sentence, want", [
    # a ceiling on one case is neither the money paid out nor the standard it is measured by
    ("困难家庭遭遇急难的,临时救助按当地低保标准的3-6倍计算,单次最高可救助2.4万元。", set()),
    ("临时救助资金全年封顶5万元。", set()),
    ("重度残疾人护理补贴标准为每人每月120元,最高补助不超过每月200元。", {("disability_care_subsidy", 120.0)}),
    # a multiple of a standard names it as a measure, never as the subject of a later figure
    ("低保标准提高到每月900元,特困人员基本生活标准为低保标准的1.3倍。", {("dibao_standard", 900.0)}),
    # money after both parts were counted is theirs together, not the first part's
    ("1-10月份累计保障城市低保330人、农村低保2307人,发放低保救助金893.36万元。",
     {("dibao_persons", 330.0), ("dibao_persons", 2307.0), ("dibao_funds", 8_933_600.0)}),
    # a net change of a stock is a movement, not the stock
    ("全市社会组织净增120家,总数达到3000家。", {("social_orgs", 3000.0)}),
    ("全市养老机构比上年多12家,达到186家。", {("care_institutions", 186.0)}),
    ("全年登记成立社会组织150家。", set()),
    ("截至2022年底,全市登记成立的社会组织达957家。", {("social_orgs", 957.0)}),  # the registered ones: the stock
    # money secured from a higher government is not money paid out
    ("争取上级低保补助资金2.3亿元。", set()),
    # the money paid out, and a standard, are still read
    ("当年支出临时救助资金486万元,惠及困难群众3200人次。", {("temp_assistance_funds", 4_860_000.0)}),
    ("全年发放低保金2.3亿元,月人均补差不超过800元。", {("dibao_funds", 230_000_000.0)}),
])
def test_a_ceiling_a_multiple_or_a_net_change_is_not_the_figure(tmp_path, sentence, want):
    path = tmp_path / "ceiling.txt"
    path.write_text(f"某区民政局2022年工作总结\n一、社会救助\n{sentence}\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    ind = parsed.tables["indicators"]
    assert {(r.indicator_id, round(r.value, 2)) for r in ind.itertuples()} == want
    funds = [r.scope_detail for r in ind.itertuples() if r.indicator_id == "dibao_funds"]
    assert all(d == "" for d in funds), funds  # a total, never a part


def test_a_part_opened_after_the_year_gives_its_split_to_every_figure_in_it(tmp_path):
    """2020年全县城镇…;农村…: the year before a ;-part's first figure is a date, not its first figure,
    so the part still opens with its split, and the money in it is the urban or rural part, never two
    conflicting totals."""
    path = tmp_path / "parts.txt"
    path.write_text("某县民政局2020年工作总结\n一、社会救助\n2020年全县城镇低保8779户20339人,累计保障238673人次,"
                    "支出低保金3347万元;农村低保17866户53491人,累计保障628007人次,共支出低保金3555.18万元。\n",
                    encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某县", "year": "2020", "period": "2020", "report_type": "work_summary"})
    got = {(r.indicator_id, round(r.value), r.scope_detail) for r in parsed.tables["indicators"].itertuples()}
    assert ("dibao_funds", 33_470_000, "城市") in got and ("dibao_funds", 35_551_800, "农村") in got
    assert not any(i == "dibao_funds" and d == "" for i, _, d in got), got


def test_a_range_is_at_least_its_lower_bound_never_exactly_it(tmp_path):
    path = tmp_path / "range.txt"
    path.write_text("某市民政局2021年工作总结\n一、养老服务\n到2025年,每千名老年人拥有养老床位数达到35-40张。\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2021", "period": "2021", "report_type": "work_summary"})
    got = [(r.indicator_id, r.value, r.qualifier) for r in parsed.tables["indicators"].itertuples()]
    assert got == [("elderly_beds_per_1000", 35.0, "at_least")]


@pytest.mark.parametrize("sentence, want", [
    # a fall is a change like a rise: the old value is the baseline, dated by its own year
    ("全市城乡低保对象由2020年底的2.1万人下降到1.5万人。",
     {("dibao_persons", 21000.0, "baseline", "2020"), ("dibao_persons", 15000.0, "actual", "2022")}),
    ("全市低保对象由2.1万人减少至1.5万人。",
     {("dibao_persons", 21000.0, "baseline", "2022"), ("dibao_persons", 15000.0, "actual", "2022")}),
    ("城市低保标准由2021年的每人每月900元提高到930元。",
     {("dibao_standard", 900.0, "baseline", "2021"), ("dibao_standard", 930.0, "actual", "2022")}),
])
def test_the_old_value_of_a_change_is_the_baseline_and_keeps_its_own_year(tmp_path, sentence, want):
    path = tmp_path / "change.txt"
    path.write_text(f"某市民政局2022年工作总结\n一、社会救助\n{sentence}\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    got = {(r.indicator_id, r.value, r.status, r.period) for r in parsed.tables["indicators"].itertuples()}
    assert got == want


def test_a_date_already_reached_does_not_make_a_review_a_plan(tmp_path):
    """到2022年底 in a 2022 review is a date, not a target: with no part headings, a section whose
    sentence reads so is still a review, and its figures are actual; 到2025年 stays a target."""
    path = tmp_path / "reached.txt"
    path.write_text("某市民政局2022年工作总结\n一、社会救助\n全市低保对象从2020年底的2.1万人减少到2022年底的1.5万人。\n"
                    "二、养老服务\n到2025年,全市养老床位达到3万张。\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    got = {(r.indicator_id, r.value, r.status) for r in parsed.tables["indicators"].itertuples()}
    assert got == {("dibao_persons", 21000.0, "baseline"), ("dibao_persons", 15000.0, "actual"),
                   ("care_beds", 30000.0, "planned")}


def test_a_report_without_figures_still_gives_its_tables_columns(tmp_path):
    from lib import schema

    path = tmp_path / "none.txt"
    path.write_text("某区民政局2022年工作总结\n一、社会救助\n临时救助资金全年封顶5万元。\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    for name in ("indicators", "claims"):
        assert parsed.tables[name].empty and list(parsed.tables[name].columns) == schema.columns(name), name


@pytest.mark.parametrize("sentence, value", [("农村低保标准不低于每人每年6000元。", 500.0),
                                             ("集中供养标准按不低于每人每月1300元执行。", 1300.0)])
def test_a_floor_with_the_unit_words_between_is_at_least(tmp_path, sentence, value):
    path = tmp_path / "floor.txt"
    path.write_text(f"某市民政局2022年工作总结\n一、社会救助\n{sentence}\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    got = [(round(r.value, 2), r.qualifier) for r in parsed.tables["indicators"].itertuples()]
    assert got == [(value, "at_least")]


@pytest.mark.parametrize("sentence, status", [("积极争取资金,全年发放低保金1.1亿元。", "actual"),  # funds secured: past effort
                                              ("明年争取养老床位达到3万张。", "planned"),
                                              ("力争全市养老床位达到3万张。", "planned"),
                                              ("完成年度目标任务,养老床位达到3万张,超额完成计划的2.8万张。", "actual"),
                                              ("计划新增养老床位2000张,养老床位总数达到3.2万张。", "planned")])
def test_securing_funds_is_no_plan_but_striving_for_a_figure_is(tmp_path, sentence, status):
    path = tmp_path / "strive.txt"
    path.write_text(f"某市民政局2022年工作总结\n一、社会救助\n{sentence}\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    assert [r.status for r in parsed.tables["indicators"].itertuples()] == [status]


@pytest.mark.parametrize("sentence", ["全年计划发放低保金1.2亿元,实际发放1.15亿元。", "预算安排低保资金1.2亿元,实际支出1.15亿元。"])
def test_the_money_actually_paid_is_read_and_the_plan_beside_it_is_not(tmp_path, sentence):
    """A plan or budget beside the money actually paid: the actual figure is this year's, the plan is
    neither a payment (it was read as one) nor next year's target (both were read as 2023 targets)."""
    path = tmp_path / "actual.txt"
    path.write_text(f"某市民政局2022年工作总结\n一、社会救助\n{sentence}\n", encoding="utf-8")
    parsed, _ = parse_report(path, {"city": "某市", "year": "2022", "period": "2022", "report_type": "work_summary"})
    got = [(r.indicator_id, r.value, r.scope_detail, r.status, r.period) for r in parsed.tables["indicators"].itertuples()]
    assert got == [("dibao_funds", 115_000_000.0, "", "actual", "2022")]
