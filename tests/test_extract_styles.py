"""Extraction on writing styles the seeds do not have: a statistical bulletin (per-year
allowances, 城市/农村 splits, 万 counts), a half-year report (district scope, 由…提高到, plans),
and a markdown table with districts as rows. The fixtures in tests/fixtures/styles/ are short
reports written for these tests; the expected rows below were read off their text."""

from __future__ import annotations

from pathlib import Path

import pytest

from lib.build import parse_report

FIX = Path(__file__).parent / "fixtures" / "styles"
META = {
    "bulletin": {"city": "杭州市", "year": "2023", "period": "2023", "report_type": "statistical_bulletin"},
    "halfyear": {"city": "宁波市", "year": "2024", "period": "2024H1", "report_type": "work_summary"},
    "mdtable": {"city": "福州市", "year": "2024", "period": "2024", "report_type": "statistical_bulletin"},
    "annual": {"city": "成都市", "year": "2023", "period": "2023", "report_type": "work_summary"},
}

# (indicator, value, status, period, scope, scope_detail, qualifier)
EXPECTED = {
    "bulletin": {
        ("dibao_households", 12000, "actual", "2023", "city", "城市", "exact"),
        ("dibao_persons", 21000, "actual", "2023", "city", "城市", "exact"),
        ("dibao_households", 23000, "actual", "2023", "city", "农村", "exact"),
        ("dibao_persons", 39000, "actual", "2023", "city", "农村", "exact"),
        ("dibao_funds", 860000000, "actual", "2023", "city", "", "exact"),
        ("dibao_standard", 1205, "actual", "2023", "city", "城市", "exact"),
        ("dibao_standard", 1205, "actual", "2023", "city", "农村", "exact"),
        ("tekun_persons", 4521, "actual", "2023", "city", "", "exact"),
        ("tekun_persons", 1203, "actual", "2023", "city", "城市", "exact"),
        ("tekun_persons", 3318, "actual", "2023", "city", "农村", "exact"),
        ("temp_assistance_funds", 53200000, "actual", "2023", "city", "", "exact"),
        ("care_institutions", 312, "actual", "2023", "city", "", "exact"),
        ("care_beds", 68000, "actual", "2023", "city", "", "exact"),
        ("nursing_bed_share", 62, "actual", "2023", "city", "", "exact"),
        ("meal_sites", 1860, "actual", "2023", "city", "", "exact"),
        ("meal_services", 15000000, "actual", "2023", "city", "", "approx"),
        ("family_care_beds", 12000, "actual", "2023", "city", "", "exact"),
        ("orphan_standard_institutional", 2780, "actual", "2023", "city", "", "exact"),
        ("orphan_standard_dispersed", 2100, "actual", "2023", "city", "", "exact"),
        ("children_in_difficulty", 5620, "actual", "2023", "city", "", "exact"),
        ("lottery_sales", 2860000000, "actual", "2023", "city", "", "exact"),
        ("charity_donations", 1230000000, "actual", "2023", "city", "", "exact"),
        ("social_orgs", 9876, "actual", "2023", "city", "", "exact"),
        ("charity_orgs", 612, "actual", "2023", "city", "", "exact"),
        ("social_workers", 23000, "actual", "2023", "city", "", "exact"),
        ("eco_burial_rate", 85, "actual", "2023", "city", "", "at_least"),
    },
    "halfyear": {
        ("dibao_standard", 1245, "actual", "2024H1", "海曙区、鄞州区", "", "exact"),
        ("dibao_standard", 1180, "baseline", "2024H1", "city", "", "exact"),
        ("dibao_standard", 1245, "actual", "2024H1", "city", "", "exact"),
        ("dibao_funds", 230000000, "actual", "2024H1", "city", "", "exact"),
        ("temp_assistance_funds", 30000000, "actual", "2024H1", "city", "", "at_most"),
        ("dibao_persons", 45000, "actual", "2024-06", "city", "", "exact"),
        ("care_beds", 42000, "actual", "2024H1", "city", "", "exact"),
        ("meal_sites", 900, "actual", "2024H1", "city", "", "approx"),
        ("dibao_standard", 1300, "planned", "2024", "city", "", "exact"),
        ("lottery_sales", 1200000000, "planned", "2024", "city", "", "at_least"),
    },
    "annual": {
        ("dibao_standard", 1050, "actual", "2023", "city", "城市", "exact"),  # 城乡…分别…1050元和850元
        ("dibao_standard", 850, "actual", "2023", "city", "农村", "exact"),  # also 由每人每年9000元提高到10200元
        ("tekun_standard", 1365, "actual", "2023", "city", "", "exact"),
        ("dibao_standard", 750, "baseline", "2023", "city", "农村", "exact"),
        ("dibao_funds", 1260000000, "actual", "2023", "city", "", "exact"),
        ("temp_assistance_funds", 110000000, "actual", "2023", "city", "", "exact"),
        ("dibao_households", 23000, "actual", "2023-12", "city", "", "exact"),
        ("dibao_persons", 38000, "actual", "2023-12", "city", "", "exact"),
        ("care_institutions", 156, "actual", "2023", "city", "", "exact"),
        ("care_beds", 28000, "actual", "2023", "city", "", "exact"),  # 养老机构156家,床位2.8万张
        ("nursing_bed_share", 57.1, "actual", "2023", "city", "", "exact"),
        ("meal_sites", 320, "actual", "2023", "city", "", "exact"),
        ("meal_services", 6000000, "actual", "2023", "city", "", "at_least"),
        ("social_orgs", 4521, "actual", "2023", "city", "", "exact"),
        ("charity_donations", 230000000, "actual", "2023", "city", "", "exact"),
        ("lottery_sales", 1850000000, "actual", "2023", "city", "", "exact"),
        ("social_workers", 5600, "actual", "2023", "city", "", "exact"),
        ("dibao_standard", 1100, "planned", "2024", "city", "", "exact"),
    },
    "mdtable": {
        ("dibao_persons", 21000, "actual", "2024", "city", "", "exact"),
        ("dibao_persons", 3200, "actual", "2024", "鼓楼区", "", "exact"),
        ("dibao_standard", 1150, "actual", "2024", "鼓楼区", "", "exact"),
        ("tekun_persons", 450, "actual", "2024", "鼓楼区", "", "exact"),
        ("dibao_persons", 2800, "actual", "2024", "仓山区", "", "exact"),
        ("dibao_standard", 1150, "actual", "2024", "仓山区", "", "exact"),
        ("tekun_persons", 390, "actual", "2024", "仓山区", "", "exact"),
        ("dibao_standard", 1150, "actual", "2024", "city", "", "exact"),
        ("tekun_persons", 3100, "actual", "2024", "city", "", "exact"),
    },
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_other_writing_styles(name):
    parsed, _warnings = parse_report(FIX / f"{name}.txt", META[name])
    ind = parsed.tables["indicators"]
    got = {(r.indicator_id, round(r.value, 2), r.status, r.period, r.scope, r.scope_detail, r.qualifier)
           for r in ind.itertuples()}
    want = {(i, round(float(v), 2), *rest) for i, v, *rest in EXPECTED[name]}
    assert got - want == set(), f"unexpected: {sorted(got - want)}"
    assert want - got == set(), f"missing: {sorted(want - got)}"


def test_person_times_are_never_persons():
    parsed, _ = parse_report(FIX / "bulletin.txt", META["bulletin"])
    ind = parsed.tables["indicators"]
    assert not ((ind.indicator_id != "meal_services") & ind.raw_text.str.contains("人次")).any()
