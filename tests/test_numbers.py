"""lib.numbers: numeral parsing, quantity finding and unit conversion, on snippets from the seeds."""

from __future__ import annotations

import math

import cn2an
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.errors import NumberParseError
from lib.numbers import (
    Quantity,
    UnitConversionError,
    canonical_unit,
    convert,
    find_quantities,
    parse_number,
    split_unit,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- parse_number -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "span, value",
    [
        ("1120", 1120.0), ("1,234.5", 1234.5), ("19392.95", 19392.95), ("0", 0.0),
        ("一千二百", 1200.0), ("两", 2.0), ("十五", 15.0), ("二十万", 200000.0), ("三千五百万", 35000000.0),
        ("零", 0.0), ("一万零五", 10005.0), ("十万零一十", 100010.0), ("一亿零五十万", 100500000.0),
        ("三万五", 35000.0), ("二〇二四", 2024.0), ("一点五", 1.5), ("一点五万", 15000.0),
        ("5.68亿", 568000000.0), ("1.4万", 14000.0), ("1.03万", 10300.0), ("3万2千", 32000.0),
        ("2亿3千万", 230000000.0), ("1万5000", 15000.0), ("0.0771亿", 7710000.0), ("31.3145亿", 3131450000.0),
    ],
)
def test_parse_number_examples(span, value):
    assert parse_number(span) == value


@pytest.mark.parametrize(
    "span",
    ["", "  ", "nan", "inf", "-inf", "1e5", "abc", "百", "万", "亿", "十三五", "十四五", "两三", "三四",
     "3万2", "一是", "1,23", "1.", ".5", "5%", "万亿", "千千", None, 12],
)
def test_parse_number_rejects(span):
    with pytest.raises(NumberParseError):
        parse_number(span)


def test_parse_number_error_is_value_error():
    with pytest.raises(ValueError):
        parse_number("不是数字")


# --- find_quantities: seed snippets -------------------------------------------------------------
def one(text: str) -> Quantity:
    qs = [q for q in find_quantities(text) if q.kind not in ("year", "date", "ordinal")]
    assert len(qs) == 1, qs
    return qs[0]


def check(q: Quantity, text, value, unit, qualifier="exact", kind="quantity", unit_raw=None):
    assert (q.text, q.value, q.unit, q.qualifier, q.kind) == (text, value, unit, qualifier, kind)
    if unit_raw is not None:
        assert q.unit_raw == unit_raw


@pytest.mark.parametrize(
    "sentence, text, value, unit, qualifier, kind, unit_raw",
    [
        ("低保标准(1120元/人/月)为主要标志", "1120元/人/月", 1120.0, "元/人/月", "exact", "quantity", "元/人/月"),
        ("将5万多低收入人口纳入监测范围", "5万多", 50000.0, "", "at_least", "quantity", "万"),
        ("发放民政救助资金5.68亿元,探访关爱", "5.68亿元", 568000000.0, "元", "exact", "quantity", "亿元"),
        ("市级累计下基层“一事一议”60余次", "60余次", 60.0, "次", "at_least", "quantity", "次"),
        ("打造“九山寿戏”等近40个品牌", "近40个", 40.0, "个", "approx", "quantity", "个"),
        ("预计调整我市低保标准超1.4万元。", "超1.4万元", 14000.0, "元", "at_least", "quantity", "万元"),
        ("全市建设不少于1500张家庭养老床位", "不少于1500张", 1500.0, "张", "at_least", "quantity", "张"),
        ("全市新增助餐服务24.5万人次", "24.5万人次", 245000.0, "人次", "exact", "quantity", "万人次"),
        ("城市低保享受人数1.03万人", "1.03万人", 10300.0, "人", "exact", "quantity", "万人"),
        ("市均工作进度达62.5%,文成", "62.5%", 62.5, "%", "exact", "percent", "%"),
        ("我市人口死亡率3.1‰,死亡人数", "3.1‰", 3.1, "‰", "exact", "permille", "‰"),
        ("分别增幅2%,高于省最低标准", "2%", 2.0, "%", "exact", "percent", "%"),
        ("2024年我市低保标准提高至1225元", "1225元", 1225.0, "元", "exact", "quantity", "元"),
        ("节地生态安葬率达到95%以上,位居全国", "95%以上", 95.0, "%", "at_least", "percent", "%"),
        ("为近46万名户籍老年人投保", "近46万名", 460000.0, "名", "approx", "quantity", "万名"),
        ("修缮加固由最高2.5万元提高到", "最高2.5万元", 25000.0, "元", "at_most", "quantity", "万元"),
        ("办理时限的35%以内", "35%以内", 35.0, "%", "at_most", "percent", "%"),
        ("补助面积不超过90平方米", "不超过90平方米", 90.0, "平方米", "at_most", "quantity", "平方米"),
        ("服务场地1050㎡", "1050㎡", 1050.0, "平方米", "exact", "quantity", "㎡"),
        ("城乡低保标准由2016年的610元/人·月", "610元/人·月", 610.0, "元/人/月", "exact", "quantity", "元/人·月"),
        ("基本生活费由每人每月2125元调整", "每人每月2125元", 2125.0, "元/人/月", "exact", "quantity", "元"),
        ("按每人每年3500元发放", "每人每年3500元", 3500.0, "元/人/年", "exact", "quantity", "元"),
        ("建设资金1.1亿多元,社区", "1.1亿多元", 110000000.0, "元", "at_least", "quantity", "亿元"),
        ("面积47万多平方米,每个社区", "47万多平方米", 470000.0, "平方米", "at_least", "quantity", "万平方米"),
        ("安装数字门牌20.6万余个。", "20.6万余个", 206000.0, "个", "at_least", "quantity", "万个"),
        ("将全市40多万老年人纳入", "40多万", 400000.0, "", "at_least", "quantity", "万"),
        ("姻收养登记当事人约67634人次,切实", "约67634人次", 67634.0, "人次", "approx", "quantity", "人次"),
        ("残疾人两项补贴等持续保持全省首位", "两项", 2.0, "项", "exact", "quantity", "项"),
        ("奖励资金二十万元", "二十万元", 200000.0, "元", "exact", "quantity", "元"),
        ("城市低保享受人数(万人) 1.03", "1.03", 1.03, "", "exact", "quantity", ""),
        ("高龄津贴每月3000元", "每月3000元", 3000.0, "元/月", "exact", "quantity", "元"),
    ],
)
def test_seed_snippets(sentence, text, value, unit, qualifier, kind, unit_raw):
    check(one(sentence), text, value, unit, qualifier, kind, unit_raw)


def test_table_cell_without_unit():
    qs = find_quantities("城乡低保 |\n14657 |\n19392.95 |\n特困人员供养 |")
    assert [(q.text, q.value, q.unit, q.kind) for q in qs] == [
        ("14657", 14657.0, "", "quantity"), ("19392.95", 19392.95, "", "quantity")]


def test_permille_header_row():
    qs = find_quantities("每千名老人拥有养老床位占有率(‰) 32.7 38.7 35.4 预期性")
    assert [(q.text, q.value, q.unit, q.kind) for q in qs] == [
        ("32.7", 32.7, "", "quantity"), ("38.7", 38.7, "", "quantity"), ("35.4", 35.4, "", "quantity")]


def test_two_counts_in_a_row():
    qs = find_quantities("截至2024年12月,全市共有低保对象3469户6444人、特困人员1186人")
    assert [(q.text, q.value, q.unit, q.kind) for q in qs] == [
        ("2024年12月", 20241200.0, "", "date"),
        ("3469户", 3469.0, "户", "quantity"), ("6444人", 6444.0, "人", "quantity"),
        ("1186人", 1186.0, "人", "quantity")]


def test_beds_and_rate():
    qs = find_quantities("建成家庭养老床位3133张,完成率125%。")
    assert [(q.text, q.value, q.unit, q.kind) for q in qs] == [
        ("3133张", 3133.0, "张", "quantity"), ("125%", 125.0, "%", "percent")]


def test_person_times_vs_persons():
    qs = find_quantities("共救助1331人次,寻亲送返295人")
    assert [(q.value, q.unit) for q in qs] == [(1331.0, "人次"), (295.0, "人")]


def test_age_tiers_and_allowances():
    qs = find_quantities("高龄津贴标准(80-89周岁100元/人/月、90-99周岁200元/人/月、100周岁及以上1100元/人/月)")
    got = [(q.text, q.value, q.low, q.high, q.unit, q.qualifier, q.kind) for q in qs]
    assert got == [
        ("80-89周岁", 80.0, 80.0, 89.0, "岁", "exact", "age"),
        ("100元/人/月", 100.0, None, None, "元/人/月", "exact", "quantity"),
        ("90-99周岁", 90.0, 90.0, 99.0, "岁", "exact", "age"),
        ("200元/人/月", 200.0, None, None, "元/人/月", "exact", "quantity"),
        ("100周岁及以上", 100.0, None, None, "岁", "at_least", "age"),
        ("1100元/人/月", 1100.0, None, None, "元/人/月", "exact", "quantity"),
    ]


def test_age_over():
    check(one("确保11月底前完成70周岁以上户籍老年人"), "70周岁以上", 70.0, "岁", "at_least", "age")


def test_range_value_is_low():
    q = one("率先全国在每个社区配备1-2名专职助老员")
    assert (q.text, q.value, q.low, q.high, q.unit, q.kind) == ("1-2名", 1.0, 1.0, 2.0, "名", "range")
    q = one("建立满足4-6万紧急转移安置人口")
    assert (q.value, q.low, q.high) == (40000.0, 40000.0, 60000.0)
    q = one("在每个社区设置1至2个助老员岗位")
    assert (q.low, q.high, q.unit) == (1.0, 2.0, "个")


def test_years_and_dates_are_not_quantities():
    qs = find_quantities("2020年以来,2018年11月底,6月4日上午,时间:2019-02-26 11:05,2016-2018年我市共接收")
    assert [(q.text, q.kind, q.value, q.low, q.high) for q in qs] == [
        ("2020年", "year", 2020.0, None, None),
        ("2018年11月", "date", 20181100.0, None, None),
        ("6月4日", "date", 604.0, None, None),
        ("2019-02-26 11:05", "date", 20190226.0, None, None),
        ("2016-2018年", "year", 2016.0, 2016.0, 2018.0),
    ]


def test_ordinals():
    qs = find_quantities("位居同类城市第6;获全省第一名;位居全省首位;第十五次全国民政会议;市委十三届四次全会")
    assert [(q.text, q.value, q.kind) for q in qs] == [
        ("第6", 6.0, "ordinal"), ("第一名", 1.0, "ordinal"), ("首位", 1.0, "ordinal"),
        ("第十五次", 15.0, "ordinal"), ("十三届", 13.0, "ordinal"), ("四次", 4.0, "ordinal")]


@pytest.mark.parametrize(
    "text",
    ["一是动态监测对象更准。二是“一事一议”覆盖更全。", "一、2024年工作总结", "(一)筑牢社会救助底线",
     "“一件事”一次办", "一院供养", "三员合一", "“十三五”期间", "十四五时期", "双百工程", "“一老一小”关爱基金",
     "融入一体化政务服务平台", "统一管理", "“1619”项目获评", "全市1619项目", "数十万元", "两三个", "十几个",
     "上百家", "每千名老人", "千家万户", "四个意识", "中央八项规定", "国家3A级婚姻登记机关", "“4+2+N”上门服务",
     "001008003015009/2025-00104", "1.行政区划管理", "(1)加强", "12349养老信息化平台", "第二干休所",
     "73161部队与莲花镇", "党的二十大精神", "十九大", "二次装修"],
)
def test_not_quantities(text):
    assert [q for q in find_quantities(text) if q.kind not in ("year", "ordinal")] == []


def test_offsets_match_text():
    text = "截至2024年12月,全市共有低保对象3469户6444人,发放民政救助资金5.68亿元。"
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


# --- units and convert ----------------------------------------------------------------------------
def test_split_and_canonical_units():
    assert split_unit("万元") == (10000.0, "元")
    assert split_unit("万人次") == (10000.0, "人次")
    assert split_unit("亿元") == (1e8, "元")
    assert split_unit("元/人·月") == (1.0, "元/人/月")
    assert split_unit("‰") == (1.0, "‰")
    assert canonical_unit("名") == "人"
    assert canonical_unit("周岁") == "岁"


def test_convert():
    assert convert(3500, "元/人/年", "元/人/月") == pytest.approx(3500 / 12)
    assert convert(1120, "元/人/月", "元/人/年") == 13440
    assert convert(5.68, "亿元", "元") == pytest.approx(568000000)
    assert convert(1021.58, "万元", "元") == pytest.approx(10215800)
    assert convert(7, "人", "人") == 7
    assert convert(7, "名", "人") == 7
    assert convert(3.1, "‰", "%") == pytest.approx(0.31)
    for a, b in [("人次", "人"), ("元", "人"), ("户", "人"), ("元/人/月", "元"), ("%", "元")]:
        with pytest.raises(UnitConversionError):
            convert(1, a, b)
    assert issubclass(UnitConversionError, NumberParseError)


# --- properties -----------------------------------------------------------------------------------
_cjk_mix = st.text(
    alphabet=st.sampled_from(list("0123456789.,-~%‰零〇一二三四五六七八九两十百千万亿点第年月日元人次户名个家张"
                                  "项多余约近超逾以上下内不足少于每/·“”《》() \n|A+周岁是")),
    max_size=40,
)


@FAST
@given(st.one_of(st.text(), _cjk_mix))
def test_find_quantities_never_raises(text):
    qs = find_quantities(text)
    last_end = 0
    for q in qs:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.start >= last_end
        last_end = q.end
        assert math.isfinite(q.value)
        assert q.qualifier in ("exact", "approx", "at_least", "at_most")
        assert q.kind in ("quantity", "percent", "permille", "year", "date", "age", "ordinal", "range")
        if q.low is not None:
            assert q.low <= q.high and q.value == q.low


@FAST
@given(st.one_of(st.text(), _cjk_mix))
def test_parse_number_total(span):
    try:
        v = parse_number(span)
    except NumberParseError:
        return
    assert isinstance(v, float) and math.isfinite(v)


@FAST
@given(st.integers(min_value=0, max_value=10 ** 12))
def test_integer_round_trips(n):
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    assert parse_number(cn2an.an2cn(n)) == n


@FAST
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False))
def test_decimal_round_trips(x):
    assert parse_number(f"{x:.2f}") == round(x, 2)


@FAST
@given(st.integers(min_value=1, max_value=99999), st.sampled_from(["元", "人", "户", "张", "个", "人次"]))
def test_found_value_matches_written_number(n, unit):
    q = one(f"全市共有{n}{unit},")
    assert (q.value, q.unit) == (float(n), unit)
    q = one(f"全市共有{n / 100:.2f}万{unit},")
    assert q.value == pytest.approx(n * 100) and q.unit == unit


def test_negative_numbers():
    check(one("同比增长-2%"), "-2%", -2.0, "%", "exact", "percent")
    assert find_quantities("2025-00104") == []      # an ID, not 2025 and -104


def test_thousands_separator_and_year_like_bare_integers():
    check(one("投入资金1,234.5万元"), "1,234.5万元", 12345000.0, "元", unit_raw="万元")
    q = find_quantities("2016、2017、2018年春节")
    assert [(q_.text, q_.kind) for q_ in q] == [("2016", "year"), ("2017", "year"), ("2018年", "year")]


def test_rounded_magnitudes_after_a_qualifier():
    # newspaper rounding: 逾千万元, 近万名, 超百万人次 name one 千万/万/百万; without a qualifier
    # (千家万户, 数千万元, 上千万元) a bare magnitude is not a figure
    check(one("全市发放临时救助金逾千万元"), "逾千万元", 1e7, "元", "at_least")
    check(one("惠及近万名老人"), "近万名", 1e4, "名", "approx")
    check(one("全年助餐超百万人次"), "超百万人次", 1e6, "人次", "at_least")
    for text in ("千家万户", "数千万元", "上千万元", "千万家庭", "逾千万"):
        assert [q for q in find_quantities(text) if q.kind == "quantity"] == [], text


def test_an_amount_per_month_whose_yuan_was_lost_is_still_money():
    qs = find_quantities("城市标准调整为860/月,农村为700/·人;占比1/3以上;编号12/A")
    assert [(q.text, q.value, q.unit) for q in qs] == [("860/月", 860.0, "元/月"), ("700/·人", 700.0, "元/人")]


def test_a_number_with_its_digits_spaced_out_gives_no_figure():
    """1 2 3 4 5人 (a damaged copy): its last digit read alone would be 5 people, a wrong figure."""
    from lib.numbers import find_quantities

    assert [q.value for q in find_quantities("全市在册低保对象1 2 3 4 5人,发放低保金3 2 1万元。")] == []
    assert [q.value for q in find_quantities("全市在册低保对象12345 人,其中城市3 人。")] == [12345.0, 3.0]
