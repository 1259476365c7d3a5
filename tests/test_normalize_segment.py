"""Unit tests of decoding, the normaliser and the segmenter on tricky snippets."""

from __future__ import annotations

import codecs

import pytest

from lib.errors import ReportError
from lib.ingest import find_furniture, iter_lines
from lib.normalize import decode, normalise
from lib.structure import match_heading, run_in_title, split_sentences
from lib.tables import find_tables

SNIPPET = "全市低保标准提高至１２２５元／人·月，增幅２％。"


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("gbk", b""),
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", b""),
])
def test_decode_any_supported_encoding(encoding, prefix):
    text, _enc = decode(prefix + SNIPPET.encode(encoding), "x.txt")
    assert text == SNIPPET


def test_decode_refuses_binary_and_empty():
    with pytest.raises(ReportError, match="empty"):
        decode(b"  \n", "empty.txt")
    with pytest.raises(ReportError, match="binary"):
        decode(bytes(range(256)) * 20, "blob.txt")


def test_decode_names_a_truncated_utf8_file():
    data = SNIPPET.encode("utf-8")[:-2]  # cut inside the final 。
    with pytest.raises(ReportError, match="truncated|middle of a UTF-8"):
        decode(data, "cut.txt")


def test_normalise_folds_widths_spaces_and_line_endings():
    raw = "\ufeff一、总体情况\r\n（一）低保\u3000标准１２２５元，\u00a0增幅２％。\r\n"
    nt = normalise(raw)
    assert nt.text == "一、总体情况\n(一)低保 标准1225元, 增幅2%。\n"
    # every normalised character maps back to the raw character it came from
    for i, ch in enumerate(nt.text):
        src = raw[nt.raw_offsets[i]]
        assert src == ch or ord(src) - 0xFEE0 == ord(ch) or src in "\u3000\u00a0\r"


def test_raw_span_maps_a_value_back_to_the_raw_text():
    raw = "标题\r\n低保标准１２２５元。"
    nt = normalise(raw)
    start = nt.text.index("1225")
    rs, re_ = nt.raw_span(start, start + 4)
    assert raw[rs:re_] == "１２２５"


def test_chinese_punctuation_without_ascii_twin_is_kept():
    assert normalise("“近邻+养老”。、《条例》").text == "“近邻+养老”。、《条例》"


@pytest.mark.parametrize("line,expected", [
    ("一、2024年工作总结", (1, "一")),
    ("(十一)有序推进民政法治化", (2, "十一")),
    ("3. 积极培育社区社会组织载体", (3, "3")),
    ("(1) 关于《条例》起草工作", (4, "1")),
    ("①完善基本生活保障制度", (5, "①")),
])
def test_heading_numbers(line, expected):
    level, _kind, number, _off = match_heading(line)
    assert (level, number) == expected


@pytest.mark.parametrize("line", ["2017年全市共发放困难残疾人生活补贴", "1.5万元用于", "12.5%的社区", "一是动态监测对象更准。"])
def test_not_headings(line):
    assert match_heading(line) is None


def test_run_in_title_is_the_first_sentence():
    assert run_in_title("筑牢社会救助底线,保障标准“高”。当前,我市……") == "筑牢社会救助底线,保障标准“高”"


def test_sentences_keep_closing_quotes_and_exact_offsets():
    text = "他说“好。”然后走了!最后一句没有句号"
    spans = list(split_sentences(text, 0, len(text)))
    assert [text[s:e] for s, e in spans] == ["他说“好。”", "然后走了!", "最后一句没有句号"]


def test_furniture_and_page_metadata():
    text = "当前位置: 首页 > 信息公开\n成文日期 | 2025-06-21 | 发布机构 | 温州市民政局 |\n正文第一句。\n▲图为活动现场。\n扫一扫在手机上查看当前页面"
    furniture, meta = find_furniture(text)
    assert [f.kind for f in furniture] == ["breadcrumb", "metadata", "caption", "share"]
    assert meta == {"written_date": "2025-06-21", "issuer": "温州市民政局"}


def test_a_page_footer_its_links_and_advertising_are_furniture_but_prose_never_is():
    text = ("全市低保对象2.8万人。\n上一篇:关于做好年度工作的通知\n下一篇: 2024年工作要点\n相关链接\n"
            "版权所有:示例市民政局 电话:0000-12345678\n网站标识码:1234000001 备案号:京ICP备12345678号\n"
            "版权和免责申明\n凡注明来源的稿件均为本网所有,未经许可不得转载。\n代开各类发票 13800138000 加微信\n"
            "主办单位要把发票管理好,全市共有养老机构86家。")
    furniture, _meta = find_furniture(text)
    assert [f.kind for f in furniture] == ["navigation"] * 3 + ["footer"] * 4 + ["spam"]
    assert not any("86家" in f.text or "2.8万人" in f.text for f in furniture)
    # under 相关阅读, the other articles' headlines (with their figures) until the prose resumes
    text = ("全市低保对象2.8万人。\n相关阅读\n示例县新增养老床位2000张\n\n示例区低保标准提高到每人每月900元\n"
            "全市共有养老机构86家，床位1.5万张，全年新增护理型床位1200张，护理型床位占比达到60%。")
    furniture, _meta = find_furniture(text)
    assert [f.text[:4] for f in furniture] == ["相关阅读", "示例县新", "示例区低"]
    # a whole report scraped onto one line says 分享到 and 版权所有 too: its sentences are not furniture
    one_line = "示例市民政局2023年工作总结。全市低保对象2.8万人,全年发放低保金2.1亿元。" * 3 + "分享到:微信。版权所有。"
    assert find_furniture(one_line)[0] == []


def test_a_news_lead_is_body_not_a_byline():
    text = "本报记者 翁华鸿 通讯员 张斌斌\n记者从市民政局获悉,全市低保标准提高至1120元。"
    furniture, meta = find_furniture(text)
    assert [f.kind for f in furniture] == ["byline"]
    assert meta["authors"] == "张斌斌、翁华鸿"


def test_markdown_table_is_rebuilt():
    text = "表1 低保情况统计表\n| 区 | 低保人数(人) | 低保金(万元) |\n|---|---|---|\n| 思明区 | 1200 | 300.5 |\n| 湖里区 | 800 | 210 |\n"
    tables = find_tables([ln for ln in iter_lines(text) if ln[2].strip()])
    assert len(tables) == 1
    t = tables[0]
    assert t.layout == "pipe_rows" and t.caption == "表1 低保情况统计表"
    assert [c.text for c in t.header] == ["区", "低保人数(人)", "低保金(万元)"]
    assert [[c.text for c in r] for r in t.rows] == [["思明区", "1200", "300.5"], ["湖里区", "800", "210"]]
    for r in t.rows:
        for c in r:
            assert text[c.start:c.end] == c.text


@pytest.mark.parametrize("text,city", [
    ("2023年杭州市民政事业发展统计公报\n一、社会救助", "杭州市"),
    ("广州市天河区民政局2023年工作总结", "广州市"),
    ("2023年桐庐县民政工作总结", "桐庐县"),
    ("紧紧围绕市委市政府中心工作,我市低保标准提高。", ""),
    ("出台《中山市关于加强政府救助与慈善帮扶衔接的若干措施》", "中山市"),
    # a cue catches the words before 市 too: only a place the gazetteer knows is a city
    ("据淄博市民政局统计，今年全市新增养老床位。", "淄博市"),
    ("全区认真贯彻执行市人民政府工作部署。", ""),
    ("派驻市民政局纪检监察组参加会议。", ""),
    # a county's bureau named mid-line (a title glued to the body), a one-character county included
    ("2023年工作总结2023年,泾县民政局围绕中心工作,全县低保标准提高。", "泾县"),
    ("在泾县民政局指导下开展工作。", ""),  # 在泾县 caught: a one-character county counts only alone
    # a city's short name before 民政/民生 in the title; a county's short name is too often a word
    ("2023年西安民生账单发布\n全市低保标准提高。", "西安市"),
    ("2023年巴音郭楞民政工作会议召开\n全州低保标准提高。", "巴音郭楞蒙古自治州"),
    ("安宁民生工程推进会\n全市低保标准提高。", ""),
    ("推进新时代民政事业高质量发展\n全市低保标准提高。", ""),
])
def test_city_detected_from_titles_and_bureaus(text, city):
    from lib.manifest import detect_city

    assert detect_city(text) == city


@pytest.mark.parametrize("title,year,kind,period", [
    ("示例市民政局2023年上半年工作总结和下半年工作思路", 2023, "work_summary", "2023H1"),
    ("示例市“十四五”民政事业发展规划中期评估报告", 2023, "plan_evaluation", "2021-2023"),
    ("2023年示例省民政事业发展统计公报", 2024, "statistical_bulletin", "2024"),
    ("示例县2024年1-9月民政工作情况", 2024, "work_summary", "2024-01/2024-09"),
    ("示例县民政局2024年第一季度工作报告", 2024, "work_summary", "2024Q1"),
    ("一图读懂示例市民生成绩单", 2022, "other", "2022"),
])
def test_a_report_without_a_manifest_row_takes_its_type_and_period_from_its_title(title, year, kind, period):
    from lib.manifest import detect_period, detect_report_type

    assert detect_report_type(title) == kind
    assert detect_period(title, year, kind) == period


def test_a_summary_and_plan_without_a_manifest_row_is_the_summary_years_report(tmp_path):
    """…2023年工作总结和2024年工作思路 names each year as often as its text may: the report is 2023's,
    its facts are 2023's and its plan 2024's (a tie had gone to the later year and dated every fact 2024)."""
    from lib.build import build_corpus
    from lib.manifest import detect_year

    assert detect_year("西安市民政局2023年工作总结和2024年工作思路\n二、2024年工作思路\n…") == 2023
    assert detect_year("2024年民政工作要点\n2024年，…2024年…2023年") == 2024  # a plan alone: as before
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "r.txt").write_text("西安市民政局2023年工作总结和2024年工作思路\n一、2023年工作总结\n全市共有养老机构160家。\n"
                               "二、2024年工作思路\n养老床位总数达到2.8万张。\n", encoding="utf-8")
    res = build_corpus(raw, progress=False)
    ind = res.tables["indicators"].set_index("indicator_id")
    assert (res.tables["reports"]["year"].iloc[0], ind.loc["care_institutions", "period"]) == (2023, "2023")
    assert (ind.loc["care_beds", "status"], ind.loc["care_beds", "period"]) == ("planned", "2024")
    res.close()


def test_a_half_year_report_without_a_manifest_row_dates_its_money_as_the_half(tmp_path):
    from lib.build import build_corpus

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "h1.txt").write_text("西安市民政局2023年上半年工作总结\n一、社会救助\n全市发放低保金1.2亿元，"
                                "城市低保标准提高到每人每月850元。\n", encoding="utf-8")
    res = build_corpus(raw, progress=False)
    rep = res.tables["reports"].iloc[0]
    assert (rep["report_type"], rep["period"]) == ("work_summary", "2023H1")
    ind = res.tables["indicators"].set_index("indicator_id")
    assert ind.loc["dibao_funds", "period"] == "2023H1"  # never the year beside the year's totals
    res.close()


def test_numbered_parts_and_markdown_headings():
    """第一部分/第二部分 open parts above 一、 headings; '## 三、…' is a heading, not body text."""
    from pathlib import Path

    from lib.build import parse_report

    fixture = Path(__file__).parent / "fixtures" / "styles" / "parts.txt"
    parsed, _ = parse_report(fixture, {"city": "某市", "year": "2024", "period": "2024", "report_type": "work_summary"})
    secs = parsed.tables["sections"]
    got = [(r.kind, r.number, r.title, r.part, r.depth) for r in secs.itertuples() if r.kind != "preamble"]
    assert got == [
        ("part", "第一部分", "2024年工作回顾", "review", 1),
        ("heading", "一", "兜底保障", "review", 2),
        ("heading", "(一)", "低保提标", "review", 3),
        ("heading", "1", "特困供养", "review", 4),
        ("heading", "二", "养老服务", "review", 2),
        ("part", "第二部分", "2025年工作安排", "plan", 1),
        ("heading", "一", "持续提标", "plan", 2),
        ("part", "三", "存在问题", "problems", 2),
    ]
    assert parsed.structure.title == "关于2024年民政工作情况的报告"
    ind = parsed.tables["indicators"]
    assert set(zip(ind.indicator_id, ind.value, ind.status)) == {
        ("dibao_standard", 1200.0, "actual"), ("tekun_persons", 1500.0, "actual"), ("dibao_standard", 1250.0, "planned")}
