"""Derived measures (lib/derived.py): hand-computed rates on a fixture of our own, the year rule,
the notes that replace a missing denominator, and every derived value of the seeds recomputed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from conftest import ROOT
from lib import charts, comparability, schema, views
from lib.catalogue import catalogue
from lib.derived import compute, derive, measures, numerator_year
from lib.reference import load_reference
from lib.themes import theme_ids

FIXTURE_REF = ROOT / "tests" / "fixtures" / "reference" / "denominators.csv"
CITY = "样例市"


def _row(indicator_id, value, period, status="actual", scope_detail="", scope="city", report_id="r1", qualifier="exact",
         char_start=0):
    ind = catalogue()[indicator_id]
    return {"report_id": report_id, "city": CITY, "theme": ind.theme, "indicator_id": indicator_id, "value": value,
            "unit": ind.unit, "status": status, "period": period, "scope": scope, "scope_detail": scope_detail,
            "qualifier": qualifier, "source_text": f"{ind.name_zh} {value}", "name_zh": ind.name_zh,
            "raw_text": str(value), "section_id": "s001", "sentence_id": "p1", "table_id": "", "rule": "alias test",
            "char_start": char_start, "char_end": char_start + 5}


@pytest.fixture(scope="module")
def fixture():
    """Indicator rows of a fictional city (our own numbers) and the fixture reference file."""
    rows = [
        _row("dibao_persons", 30000, "2023-12"),                               # 30000 / 2,000,000 × 100 = 1.5 %
        _row("dibao_persons", 12000, "2023-12", scope_detail="农村"),            # 12000 / 500,000 × 100 = 2.4 %
        _row("tekun_persons", 3000, "2023"),                                   # 3000 / 2,000,000 × 1000 = 1.5
        _row("tekun_persons", 900, "2023", scope_detail="集中"),                 # a part that is no share of a population
        _row("tekun_persons", 2800, "2021"),                                   # no 2021 population: another year
        _row("care_beds", 18000, "2023-10"),                                   # 18000 / 400,000 × 1000 = 45
        _row("elderly_beds_per_1000", 44, "2023-10"),                          # stated by the report: stands beside
        _row("care_beds", 19000, "2024"),                                      # 60+ of 2024 is for 10-31: another date
        _row("dibao_standard", 1000, "2023"),                                  # 1000 × 1200 / 24000 = 50 % (2022 全市)
        _row("dibao_persons", 31000, "2025", status="planned"),                # a target: no rate, no note
        _row("dibao_persons", 800, "2023-12", scope="某区"),                     # one district: a note
        _row("dibao_persons", 99999, "2023-12", report_id="r0", char_start=9),  # loses the conflict below
    ]
    ind = comparability.annotate(pd.DataFrame(rows))
    ind = comparability.resolve_conflicts(ind)["indicators"]
    return compute(ind, load_reference(FIXTURE_REF))


def _one(df, **where):
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (where, sel)
    return sel.iloc[0]


def test_measures_file_names_real_indicators_series_and_themes():
    ms = measures()
    assert {"dibao_coverage", "tekun_per_1000", "care_beds_per_1000_elderly", "dibao_standard_to_consumption"} <= set(ms)
    for m in ms.values():
        assert m.numerator in catalogue() and (not m.stated or m.stated in catalogue())
        assert m.theme in theme_ids()
        assert m.theme == catalogue()[m.numerator].theme


def test_numerator_year_is_the_last_year_of_the_period():
    assert [numerator_year(p) for p in ("2018-11", "2024", "2025H1", "2016-2018", "2024-01/2024-10", "")] == \
        [2018, 2024, 2025, 2018, 2024, None]


def test_hand_computed_rates(fixture):
    m = fixture["measures"]
    assert _one(m, measure_id="dibao_coverage", area="全市")["value"] == pytest.approx(1.5)
    assert _one(m, measure_id="dibao_coverage", area="农村")["value"] == pytest.approx(2.4)
    assert _one(m, measure_id="tekun_per_1000", period="2023")["value"] == pytest.approx(1.5)
    beds = _one(m, measure_id="care_beds_per_1000_elderly")
    assert beds["value"] == pytest.approx(45.0)
    assert beds["stated_value"] == pytest.approx(44.0)  # the report's own rate stands beside the derived one
    assert "户籍" in beds["note"] and "2023年末" in beds["note"]  # basis and the dates that differ are said


def test_year_rule_previous_year_for_the_consumption_ratio(fixture):
    m = fixture["measures"]
    whole = _one(m, measure_id="dibao_standard_to_consumption", area="全市")
    # 2022's consumption (24000), not 2023's (30000, which would give 40 %)
    assert whole["denominator_year"] == 2022 and whole["year_rule"] == "previous_year"
    assert whole["value"] == pytest.approx(50.0)
    # a standard for the whole city is also set against each published part (农村 18000 → 66.67 %)
    assert _one(m, measure_id="dibao_standard_to_consumption", area="农村")["value"] == pytest.approx(1000 * 1200 / 18000)
    assert "城镇" not in set(m.loc[m["measure_id"] == "dibao_standard_to_consumption", "area"])


def test_same_year_end_rule_for_populations(fixture):
    m = fixture["measures"]
    assert set(m.loc[m["year_rule"] == "same_year_end", "denominator_year"]) == {2023}
    assert (m["denominator_period_end"].loc[m["denominator_series"] != "consumption_per_capita"] == "2023-12-31").all()


def test_missing_or_mismatched_denominator_gives_a_note_not_a_number(fixture):
    m, notes = fixture["measures"], fixture["measure_notes"]
    other_year = _one(notes, measure_id="tekun_per_1000", period="2021")
    assert other_year["reason_code"] == "other_year" and "2022、2023" in other_year["reason"]
    other_date = _one(notes, measure_id="care_beds_per_1000_elderly", period="2024")
    assert other_date["reason_code"] == "other_date" and "2024-10-31" in other_date["reason"]
    assert _one(notes, measure_id="dibao_coverage", reason_code="part_of_city")["numerator_value"] == 800
    for period in ("2021", "2024"):
        assert not ((m["period"] == period) & m["measure_id"].isin(["tekun_per_1000", "care_beds_per_1000_elderly"])).any()


def test_targets_parts_and_conflict_losers_are_never_rates(fixture):
    m, notes = fixture["measures"], fixture["measure_notes"]
    assert "planned" not in set(m["status"]) and "planned" not in set(notes["status"])
    assert 900 not in set(m["numerator_value"]) and 900 not in set(notes["numerator_value"])  # 集中: no rate of anything
    assert 99999 not in set(m["numerator_value"]) and 99999 not in set(notes["numerator_value"])


def test_fixture_tables_follow_the_schema(fixture):
    for name in ("measures", "measure_notes"):
        schema.validate(name, fixture[name])


def test_a_broken_reference_file_is_a_build_error_naming_the_line(tmp_path, fixture):
    bad = tmp_path / "denominators.csv"
    lines = FIXTURE_REF.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",2000000,", ",2000001,")  # disagrees with its own quotation
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors: list = []
    out = derive(pd.DataFrame(columns=schema.columns("indicators")), errors, path=bad)
    assert out["measures"].empty and out["denominators"].empty
    assert len(errors) == 1 and str(bad) in errors[0][0] and "line 2" in errors[0][1]


# --- the seeds, built ------------------------------------------------------------------------------
def test_denominators_table_is_the_validated_reference_file(tables):
    assert len(tables["denominators"]) == len(load_reference())
    schema.validate("denominators", tables["denominators"])


def test_every_derived_value_recomputes_from_its_two_inputs(tables):
    m, ind = tables["measures"], tables["indicators"]
    ref = load_reference().set_index(["city", "year", "series", "area"])
    assert len(m) > 0
    for r in m.itertuples():
        spec = measures()[r.measure_id]
        assert math.isclose(r.value, r.numerator_value * spec.scale / r.denominator_value, rel_tol=1e-12)
        # the numerator is an indicator row of that report, period and status
        hit = ind[(ind.report_id == r.numerator_report_id) & (ind.indicator_id == r.numerator_id)
                  & (ind.period == r.numerator_period) & (ind.status == r.status) & ind.preferred]
        assert (hit["value"] == r.numerator_value).any(), r
        # the denominator is the reference row of the year the rule asks for, with its source
        assert r.denominator_year == numerator_year(r.numerator_period) + spec.year_offset
        den = ref.loc[(r.city, r.denominator_year, r.denominator_series, r.area)]
        assert den["value"] == r.denominator_value and den["source_url"] == r.denominator_source_url
        assert den["source_title"] == r.denominator_source_title and den["note"].startswith(r.denominator_quote)


def test_seed_cities_where_inputs_exist(tables):
    """What the seeds give today (the reference data's coverage decides it): 厦门's 特困 per 1000 in
    2018, social workers per 10,000 in 2022 beside the 21.34 the report states, 中山's 低保标准 against
    2023 rural consumption; and 中山's 低保覆盖率 is a note, for want of a 2024 population."""
    m, notes = tables["measures"], tables["measure_notes"]
    tekun = _one(m, measure_id="tekun_per_1000", city="厦门市", period="2018-11")
    assert tekun["value"] == pytest.approx(1172 / 4110000 * 1000)
    sw = _one(m, measure_id="social_workers_per_10k", city="厦门市", period="2022")
    assert sw["value"] == pytest.approx(11265 / 5308000 * 10000) and sw["stated_value"] == pytest.approx(21.34)
    ratio = _one(m, measure_id="dibao_standard_to_consumption", city="中山市")
    assert ratio["area"] == "农村" and ratio["value"] == pytest.approx(1225 / (31113.9 / 12) * 100)
    gap = _one(notes, measure_id="dibao_coverage", city="中山市")
    assert gap["reason_code"] == "missing" and gap["numerator_value"] == 6444
    assert not ((m["measure_id"] == "dibao_coverage") & (m["city"] == "中山市")).any()


def test_the_data_quality_notes_carry_the_measure_notes(tables):
    notes = views.data_notes(tables, "social_assistance", ["中山市"])
    text = "\n".join(notes["note"])
    assert "中山市 低保覆盖率（2024-12）未计算：缺中山市2024年末常住人口（全市）" in text


def test_measure_figures_have_title_unit_both_sources_and_data(tables, tmp_path):
    rec = charts.measure_bars(tables, "social_workers_per_10k", tmp_path)
    assert rec["title"].endswith("（派生指标）")
    assert "人/万人" in (tmp_path / f"{rec['stem']}.svg").read_text(encoding="utf-8")  # the unit on the axis
    assert "分子" in rec["source"] and "分母" in rec["source"] and "001_d2dde8ed104a44f9" in rec["source"]
    assert "厦门市2022年国民经济和社会发展统计公报" in rec["source"]
    data = pd.read_csv(rec["csv"], encoding="utf-8-sig")
    assert len(data) == 3 and "分母来源" in data.columns and "报告自述值" in data.columns
    std = charts.standard_consumption_bars(tables, tmp_path)
    assert "广东统计年鉴2024" in std["source"] and "003_0d46cd3eb0266ada" in std["source"]
    assert "47.25%" in std["alt"] and "厦门市" in std["note"] and "温州市" in std["note"]
    for r in (rec, std):
        assert (tmp_path / f"{r['stem']}.png").is_file() and (tmp_path / f"{r['stem']}.svg").is_file()


def test_workbook_has_reference_and_measure_sheets(tables):
    from lib.export import workbook_sheets

    sheets, formats = workbook_sheets(tables)
    assert {"measures", "measure_notes", "denominators"} <= set(sheets)
    assert len(sheets["measures"]) == len(tables["measures"])
    assert len(sheets["denominators"]) == len(load_reference())
    assert {"数值 value", "分子数值 numerator_value", "分母数值 denominator_value", "分母网址 denominator_source_url",
            "分子报告 numerator_report_id"} <= set(sheets["measures"].columns)


def test_reference_city_is_matched_through_the_gazetteer(tmp_path):
    """An analyst who writes 厦门 (not 厦门市) in the reference file still gets the rate."""
    ref = tmp_path / "denominators.csv"
    head = FIXTURE_REF.read_text(encoding="utf-8").splitlines()[0]
    ref.write_text(head + "\n厦门,福建省,2030,resident_population,全市,6000000,人,2030-12-31,[测试],测试机构,"
                          "https://example.org/t,2031,「常住人口600万人」; 测试用虚构数据\n", encoding="utf-8")
    row = _row("tekun_persons", 1200, "2030") | {"city": "厦门市"}
    out = compute(comparability.annotate(pd.DataFrame([row])), load_reference(ref))
    assert _one(out["measures"], measure_id="tekun_per_1000")["value"] == pytest.approx(0.2)
