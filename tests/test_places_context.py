"""Text as it arrives (traditional characters, pinyin glosses, damaged glyphs, stray spaces), the
gazetteer that normalises place names, and the report context that every wording rule reads."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.build import build_corpus
from lib.manifest import canonical_place, check_row
from lib.normalize import normalise
from lib.places import lookup

MANIFEST_HEAD = "file,city,province,year,period,report_type,title,published,source\n"


# --- repairs ------------------------------------------------------------------------------------
def test_traditional_text_is_read_simplified_and_offsets_still_point_at_the_raw_text():
    raw = "截至2023年底，全縣共有城鄉低保對象1200人，低保標準提高到每人每月800元。"
    nt = normalise(raw)
    assert "全县共有城乡低保对象1200人" in nt.text and "低保标准" in nt.text
    assert len(nt.text) == len(raw)  # one character for one
    start = nt.text.index("1200人")
    a, b = nt.raw_span(start, start + len("1200人"))
    assert raw[a:b] == "1200人"
    assert any("traditional" in r for r in nt.repairs)


def test_simplified_text_is_left_alone():
    raw = "厦门市民政局2024年工作总结：干部队伍建设，台湾同胞，发展养老服务。"
    nt = normalise(raw)
    assert nt.text == raw.replace("：", ":").replace("，", ",") and not nt.repairs


def test_pinyin_glosses_are_dropped_and_the_figure_maps_back():
    raw = "县均城鄉(xiāng)低保標(biāo)準(zhǔn)达到每人每月508元"
    nt = normalise(raw)
    assert nt.text == "县均城乡低保标准达到每人每月508元"
    i = nt.text.index("508元")
    a, b = nt.raw_span(i, i + 4)
    assert raw[a:b] == "508元"
    assert normalise("普通括号(a)和(人)不动").text == "普通括号(a)和(人)不动"


def test_damaged_glyphs_and_spaces_inside_words():
    assert normalise("\u2f47常\u2f63活").text == "日常生活"  # Kangxi radicals from a PDF
    assert normalise("索 引 号: 123").text == "索引号: 123"  # letter-spaced label
    prose = "今年以来,全市城乡低保标 准提高到每人每月1050元,特困人员供养标准提高到每人每月1400元。"
    assert "低保标准提高到" in normalise(prose).text
    assert normalise("记者 戴某某 通讯员 钱 某").text == "记者 戴某某 通讯员 钱 某"  # a byline keeps its spaces


# --- gazetteer ----------------------------------------------------------------------------------
def test_gazetteer_normalises_what_people_write():
    assert lookup("岳阳").name == "岳阳市"  # the prefecture, not 岳阳县
    assert lookup("北京").name == "北京市"
    assert lookup("海南").level == "province"
    assert lookup("芷江").name == "芷江侗族自治县"
    assert lookup("新疆").name == "新疆维吾尔自治区"
    assert lookup("铁西区") is None  # two districts share the name: no guess
    assert lookup("鄞州区").prefecture == "宁波市"


def test_manifest_accepts_places_and_cumulative_periods():
    assert canonical_place("岳阳", "湖南省") == "岳阳市"
    assert canonical_place("北京", "") == "北京市"
    assert canonical_place("海南省", "海南省") == "海南省"
    assert canonical_place("巴州", "新疆维吾尔自治区") == "巴州"  # the text's own short form, kept
    assert canonical_place("Xiamen", "福建省") is None and canonical_place("全市", "") is None
    assert check_row({"city": "岳阳", "province": "湖南省", "period": "2024-01/2024-10"}) == []
    assert check_row({"city": "Xiamen"}) != []


# --- reports the suite used to refuse -----------------------------------------------------------
def _build(tmp_path, files: dict[str, str], manifest: str):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in files.items():
        (raw / name).write_text(text, encoding="utf-8")
    (raw / "manifest.csv").write_text(MANIFEST_HEAD + manifest, encoding="utf-8")
    return build_corpus(raw, progress=False)


NOTICE = ("某县民政局和某县财政局联合发布通知,将全县城市低保标准提高到每人每月600元,"
          "农村低保标准由每年4800元提高到每年5040元。")
PROVINCE_NEWS = ("记者从全省民政工作会议获悉,截至去年底,全省城乡低保对象共计50.2万人。"
                 "河北省民政厅表示,全省低保平均标准继续提高。")


def test_a_text_with_no_year_builds_with_an_empty_period(tmp_path):
    res = _build(tmp_path, {"notice.txt": NOTICE}, "notice.txt,石门县,湖南省,,,other,,,\n")
    assert not res.errors
    rep = res.tables["reports"].iloc[0]
    assert pd.isna(rep["year"]) and rep["period"] == ""
    assert any("no year" in m for _f, m in res.warnings)
    ind = res.tables["indicators"]
    got = sorted(zip(ind["value"], ind["status"], ind["scope_detail"]))
    assert (600.0, "actual", "城市") in got and (420.0, "actual", "农村") in got and (400.0, "baseline", "农村") in got
    assert set(ind["period"]) == {""}


def test_short_city_names_and_province_wide_reports(tmp_path):
    res = _build(tmp_path, {"a.txt": "岳阳市民政局2024年工作总结。全市共有养老机构120家。", "b.txt": PROVINCE_NEWS},
                 "a.txt,岳阳,湖南省,2024,2024,work_summary,,,\nb.txt,,河北省,2024,2024,news_feature,,,\n")
    assert not res.errors
    rep = res.tables["reports"].set_index("report_id")
    assert rep.loc["a", "city"] == "岳阳市" and rep.loc["a", "area_level"] == "city"
    assert rep.loc["b", "city"] == "河北省" and rep.loc["b", "scope"] == "province"
    ind = res.tables["indicators"].set_index("report_id")
    assert ind.loc["b", "scope"] == "province" and ind.loc["b", "value"] == 502000


def test_a_province_given_only_in_the_manifest_is_the_area_of_a_text_about_the_whole_province(tmp_path):
    text = "省民政厅发布数据。全省共有低保对象52.4万人,全省平均保障标准继续提高。"  # the province is never named
    res = _build(tmp_path, {"p.txt": text, "q.txt": "全县共有低保对象5200人。全省排名靠前。"},
                 "p.txt,,河北省,2024,2024,news_feature,,,\nq.txt,,河北省,2024,2024,news_feature,,,\n")
    rep = res.tables["reports"].set_index("report_id")
    assert rep.loc["p", "city"] == "河北省" and rep.loc["p", "scope"] == "province"
    assert rep.loc["q", "city"] == ""  # a county's text that mentions the province once is not about it


def test_a_place_is_detected_from_the_gazetteer_when_no_bureau_names_it():
    from lib.manifest import detect_city

    assert detect_city("芷江侗族自治县2022年国民经济和社会发展统计公报。全县共有卫生机构334个。") == "芷江侗族自治县"
    assert detect_city("鄞州区社会救助工作简报\n全区低保标准提高到每人每月1000元。") == "鄞州区"
    assert detect_city("各区低保情况\n| 鼓楼区 | 3200 |\n| 仓山区 | 2800 |") == ""  # a list of districts: none is the report's
    assert detect_city("全县符合最低生活保障条件的对象有4064户。") == ""  # no place named: nothing guessed


@pytest.mark.parametrize("city,title,text,scope", [
    ("广州市", "广州市天河区民政局2023年工作总结", "", "天河区"),  # a district's report: its figures are a part
    ("辰溪县", "关于辰溪县民政局2023年度民生实事的公示", "", "city"),  # the county's own report, 关于 not in the name
    ("", "", "经县民政局、县财政局审核,全县低保对象4000户。", "city"),  # 经县 is "upon the county", no county
    ("洛阳市", "洛阳市孟津区民政局2023年工作总结", "", "孟津区"),  # renamed since the gazetteer: still a part
])
def test_the_district_that_issued_a_report_is_a_place_or_nothing(city, title, text, scope):
    from lib.context import report_scope

    assert report_scope(city, title, text) == scope


def test_a_province_named_in_a_title_in_full_or_short():
    from lib.places import province_named

    assert province_named("2024湖北城乡低保标准一览") == "湖北省"
    assert province_named("2023年湖北省社会救助工作情况") == "湖北省"
    assert province_named("浙江西部山区民政工作") == ""  # 浙江 and 江西: two provinces, so none
    assert province_named("示例县2023年民政工作总结") == ""


def test_a_place_at_the_end_of_what_a_pattern_caught():
    from lib.places import place_at_end

    assert place_at_end("据烟台市") == "烟台市" and place_at_end("关于辰溪县") == "辰溪县"
    assert place_at_end("泾县") == "泾县"  # a one-character county, caught alone
    assert place_at_end("创新县") == "" and place_at_end("经县") == "" and place_at_end("贯彻执行市") == ""


def test_a_text_about_its_whole_province_is_read_so_without_a_manifest(tmp_path):
    """No manifest and no city: a title that names one province and a text that counts 全省 more than
    全市/全县 make the report the province's, and its figures province-wide (never beside a city's)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "prov.txt").write_text("2023年湖北省社会救助工作情况\n一、社会救助\n截至2023年底,全省城乡低保对象85万人,"
                                  "全省特困人员12万人。\n", encoding="utf-8")
    (raw / "county.txt").write_text("湖北省示例县2023年低保工作\n一、社会救助\n截至2023年底,全县低保对象5000人,"
                                    "全县特困人员300人。\n", encoding="utf-8")
    res = build_corpus(raw, progress=False)
    rep = res.tables["reports"].set_index("report_id")
    assert (rep.loc["prov", "city"], rep.loc["prov", "scope"]) == ("湖北省", "province")
    ind = res.tables["indicators"]
    assert set(ind.loc[ind["report_id"] == "prov", "scope"]) == {"province"}
    assert rep.loc["county", "city"] != "湖北省" and rep.loc["county", "scope"] != "province"  # 全县 outnumbers 全省
    res.close()
