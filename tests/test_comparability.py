"""Comparability: every indicator row says what kind of figure it is, and the views and charts
compare only like with like (issue 10). Seeds first; hand-made rows for rules the seeds lack."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from lib import charts, comparability, schema, views

XM, ZS, WZ = "厦门市", "中山市", "温州市"


@pytest.fixture(scope="module")
def clean(built):
    return views.load_clean(built[1])


def _row(ind, **want):
    sel = ind
    for k, v in want.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (want, sel)
    return sel.iloc[0]


# --- the model, on the seeds ---------------------------------------------------------------------
def test_every_row_has_a_kind_a_period_type_and_total_or_part(tables):
    ind = tables["indicators"]
    assert len(ind) and ind["figure_kind"].isin(["stock", "flow", "standard", "share", "target"]).all()
    assert ind["aggregate"].isin(["total", "part"]).all()
    assert ((ind["status"] == "planned") == (ind["figure_kind"] == "target")).all()
    top_tier = ind["rule"].str.contains("highest of")  # the highest of several tiers is the standard itself
    detail = (ind["scope_detail"] != "") & ~top_tier
    assert ((ind["aggregate"] == "part") == (detail | ~ind["scope"].isin(["city", "province"]))).all()
    assert top_tier.any() and (ind.loc[top_tier, "aggregate"] == "total").all()


def test_cumulative_span_and_one_year_are_different_kinds(tables):
    ind = tables["indicators"]
    span = _row(ind, city=XM, indicator_id="dibao_funds", period="2016-2018")
    year = _row(ind, city=XM, indicator_id="dibao_funds", period="2024")
    assert (span["period_type"], span["basis"]) == ("span", "flow:span3")
    assert span["period_zh"] == "2016—2018年累计"
    assert (year["period_type"], year["basis"]) == ("year", "flow:year")
    half = _row(ind, city=WZ, indicator_id="meal_services")
    assert (half["basis"], half["period_zh"]) == ("flow:half", "2025年上半年")
    stock = _row(ind, city=XM, indicator_id="care_institutions", period="2018-11")
    assert (stock["figure_kind"], stock["period_type"], stock["period_zh"]) == ("stock", "date", "截至2018年11月")


def test_subgroups_are_parts_with_their_split(tables):
    ind = tables["indicators"]
    tekun = ind[(ind["city"] == XM) & (ind["indicator_id"] == "tekun_persons") & (ind["period"] == "2018-11")]
    by_detail = dict(zip(tekun["scope_detail"], zip(tekun["aggregate"], tekun["split"])))
    assert by_detail[""] == ("total", "")
    assert by_detail["集中"] == ("part", "供养方式") and by_detail["散居"] == ("part", "供养方式")
    assert by_detail["农村"] == ("part", "城乡")


def test_conflict_keeps_the_wording_of_the_catalogue_definition(tables):
    ind, conflicts = tables["indicators"], tables["conflicts"]
    beds = ind[(ind["city"] == XM) & (ind["indicator_id"] == "care_beds") & (ind["period"] == "2018-11")]
    assert sorted(beds["value"]) == [9504.0, 11953.0]
    assert beds.set_index("value")["preferred"].to_dict() == {9504.0: True, 11953.0: False}
    row = _row(conflicts, city=XM, indicator_id="care_beds")
    assert (row["kept_value"], row["dropped_value"]) == (9504.0, 11953.0)
    assert row["kept_wording"] == "养老机构床位" and "定义" in row["reason"]
    # every non-preferred row is listed, and nothing else
    assert (~ind["preferred"]).sum() == len(conflicts)


def test_conflict_with_equal_wording_prefers_the_exact_figure(tables):
    row = _row(tables["conflicts"], city=WZ, indicator_id="dibao_standard")
    assert row["kept_value"] == 1190.0 and round(row["dropped_value"], 2) == 1166.67
    assert "确数" in row["reason"]


# --- views ---------------------------------------------------------------------------------------
def test_trend_never_joins_a_cumulative_span_to_one_year(clean):
    tr = views.trend(clean)
    funds = tr[(tr["city"] == XM) & (tr["indicator_id"] == "dibao_funds")]
    assert "2016-2018" not in set(funds["period"]) and set(funds["basis"]) <= {"flow:year"}  # 2022 (全年预计, ≈) → 2024
    assert not ((tr["city"] == XM) & (tr["indicator_id"] == "vagrant_reunions")).any()
    # each line holds one basis and one part
    assert (tr.groupby("series")["basis"].nunique() == 1).all()
    assert (tr.groupby("series")["scope_detail"].nunique() == 1).all()
    # like with like still joins: the dibao standard 2018 → 2024
    std = tr[(tr["city"] == XM) & (tr["indicator_id"] == "dibao_standard")]
    assert list(std["period"]) == ["2018", "2024"]


def test_latest_never_shows_a_value_that_lost_a_conflict(clean):
    lat = views.latest(clean, "elderly_care")
    beds = lat[(lat["city"] == XM) & (lat["indicator_id"] == "care_beds") & (lat["status"] == "actual")]
    assert list(beds["value"]) == [9504.0]


def test_latest_puts_cumulative_and_one_year_in_different_groups_with_a_note(clean):
    data = views.comparison(clean, "vagrant_reunions")
    groups = dict(zip(data["city"], data["group"]))
    assert groups[XM] != groups[ZS] and "累计" in groups[XM]
    note = views.comparison_note(data)
    assert note.startswith("注") and "2018—2024年累计" in note and "中山市 2024年" in note


def test_latest_half_year_against_full_year_is_grouped_apart_and_noted(clean):
    data = views.comparison(clean, "meal_services")
    assert data.set_index("city")["group"].to_dict() == {ZS: "全年合计", WZ: "半年合计"}
    note = views.comparison_note(data)
    assert "温州市 2025年上半年" in note and "“送餐”" in note


def test_latest_standard_note_names_each_citys_year(clean):
    note = views.comparison_note(views.comparison(clean, "tekun_standard"))
    assert "厦门市 2018年" in note and "中山市 2024年" in note


def test_parts_stand_after_their_own_total_never_as_cities(clean):
    data = views.comparison(clean, "tekun_persons")
    actual = data[data["status"] == "actual"].reset_index(drop=True)
    roles = list(zip(actual["city"], actual["role"]))
    assert roles[0] == (XM, "total")
    assert roles[1:4] == [(XM, "part")] * 3  # 散居, 集中, 农村 right after 厦门's total
    assert roles[4] == (ZS, "total")
    assert set(actual.loc[actual["role"] == "part", "label"]) == {"集中", "散居", "农村"}


def test_city_with_only_parts_is_named_in_the_note(clean):
    note = views.comparison_note(views.comparison(clean, "dibao_persons"))
    assert "厦门市仅有分项数据" in note


# --- charts --------------------------------------------------------------------------------------
def test_bar_chart_sidecar_has_the_note_alt_text_and_its_data_csv(clean, tmp_path):
    rec = charts.indicator_bars(clean, "vagrant_reunions", tmp_path)
    side = json.loads((tmp_path / "indicator_vagrant_reunions.json").read_text(encoding="utf-8"))
    assert side["note"].startswith("注") and "累计" in side["note"]
    assert "295" in side["alt"] and "187" in side["alt"]
    data = pd.read_csv(rec["csv"], encoding="utf-8-sig")
    assert len(data) == 2 and "城市" in data.columns and "期间" in data.columns
    assert sorted(data["数值"]) == [187.0, 295.0]


def test_trend_chart_x_axis_has_one_kind_of_period(clean, tmp_path):
    rec = charts.trend_lines(clean, "dibao_standard", tmp_path, city=XM)
    data = pd.read_csv(rec["csv"], encoding="utf-8-sig")
    assert set(data["期间"]) == {"2018年", "2024年"}
    funds = charts.trend_lines(clean, "dibao_funds", tmp_path, city=XM)  # 2022 (全年预计) → 2024, never 2016-2018
    assert set(pd.read_csv(funds["csv"], encoding="utf-8-sig")["期间"]) == {"2022年", "2024年"}


# --- rules the seeds do not exercise: hand-made rows --------------------------------------------
def _tables(rows: list[dict]) -> dict:
    base = {"theme": "social_assistance", "unit": "元", "status": "actual", "scope": "city", "scope_detail": "",
            "qualifier": "exact", "name_zh": "低保金发放金额", "raw_text": "1", "section_id": "s001", "sentence_id": "x",
            "table_id": "", "rule": "alias 低保金 (before)", "source_text": "自拟句子", "char_start": 0, "char_end": 1}
    ind = pd.DataFrame([{**base, **r} for r in rows])
    ind = comparability.resolve_conflicts(comparability.annotate(ind))
    reps = sorted({(r["report_id"], r["city"]) for r in rows})
    rep = pd.DataFrame([{"report_id": rid, "file": f"{rid}.txt", "city": c, "scope": "city", "year": 2024, "period": "2024",
                         "report_type": "work_summary", "metadata_source": "manifest", "encoding": "utf-8", "sha256": rid,
                         "n_chars": 1, "n_sections": 1, "n_sentences": 1, "char_start": 0, "char_end": 1}
                        for rid, c in reps])
    tables = {t: schema.empty(t) for t in schema.SCHEMAS}
    tables.update(reports=schema.validate("reports", rep), indicators=schema.validate("indicators", ind["indicators"]),
                  conflicts=schema.validate("conflicts", ind["conflicts"]))
    return tables


def test_months_to_date_is_its_own_basis_and_label():
    # shared/spec: YYYY-MM/YYYY-MM is a sum over months, YYYY-MM a one-month flow
    t = _tables([{"report_id": "a", "city": "甲市", "indicator_id": "dibao_funds", "value": 5e7, "period": "2024-01/2024-05"},
                 {"report_id": "b", "city": "甲市", "indicator_id": "dibao_funds", "value": 9e7, "period": "2023"},
                 {"report_id": "c", "city": "甲市", "indicator_id": "dibao_funds", "value": 1e7, "period": "2024-06"}])
    ind = t["indicators"].set_index("period")
    assert ind.loc["2024-01/2024-05", "basis"] == "flow:months5" and ind.loc["2024-01/2024-05", "period_zh"] == "2024年1—5月"
    assert ind.loc["2024-06", "basis"] == "flow:month" and ind.loc["2024-06", "period_zh"] == "2024年6月"
    assert views.trend(t).empty  # five months, one month and a full year never share a line


def test_a_district_is_a_part_and_an_old_part_never_stands_under_a_new_total():
    t = _tables([
        {"report_id": "a", "city": "甲市", "indicator_id": "dibao_persons", "unit": "人", "value": 900, "period": "2024-12",
         "rule": "alias 低保对象 (before)"},
        {"report_id": "a", "city": "甲市", "indicator_id": "dibao_persons", "unit": "人", "value": 200, "period": "2024-12",
         "scope": "东区", "rule": "alias 低保对象 (before)"},
        {"report_id": "a", "city": "甲市", "indicator_id": "dibao_persons", "unit": "人", "value": 300, "period": "2020-12",
         "scope_detail": "农村", "rule": "alias 低保对象 (before)"},
        {"report_id": "c", "city": "乙市", "indicator_id": "dibao_persons", "unit": "人", "value": 700, "period": "2024-12",
         "scope": "西区", "rule": "alias 低保对象 (before)"},
    ])
    ind = t["indicators"]
    assert _row(ind, scope="东区")[["aggregate", "split"]].tolist() == ["part", "地区"]
    data = views.comparison(t, "dibao_persons")
    assert list(zip(data["city"], data["role"], data["label"])) == [("甲市", "total", ""), ("甲市", "part", "东区"),
                                                                   ("乙市", "part", "西区")]
    assert "乙市仅有分项数据" in views.comparison_note(data)


def test_conflict_across_reports_later_report_stands_when_wording_ties():
    t = _tables([{"report_id": "r1", "city": "甲市", "indicator_id": "dibao_funds", "value": 1e8, "period": "2023"},
                 {"report_id": "r2", "city": "甲市", "indicator_id": "dibao_funds", "value": 1.1e8, "period": "2023"}])
    row = _row(t["conflicts"], city="甲市")
    assert (row["kept_report_id"], row["dropped_report_id"]) == ("r2", "r1") and "较新" in row["reason"]


def test_period_parsing():
    assert comparability.parse_period("2025H2") == ("half", 2025.5, 2026.0)
    assert comparability.parse_period("2016-2018")[0] == "span"
    assert comparability.period_label("2023-06", "target") == "到2023年6月"
    assert comparability.basis_label("flow:span5") == "5年累计"
    assert views.period_end("2024-12") == 2025.0
