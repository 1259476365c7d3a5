"""The section tree, parts and themes of each seed match what a careful reader wrote down.

Expectations in tests/expected/*.csv were written from reading the reports, not from output.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import SEED_IDS, expected

HALF = str.maketrans("（），：；", "(),:;")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s.translate(HALF))


def _find(sections: pd.DataFrame, row) -> pd.DataFrame:
    cand = sections[(sections.report_id == row.report_id) & (sections.level == int(row.level))
                    & (sections.number == row.number)]
    return cand[cand.title.map(_norm).str.startswith(_norm(row.title_start))]


EXPECTED_SECTIONS = expected("sections.csv")


@pytest.mark.parametrize("report_id", SEED_IDS)
def test_every_expected_heading_is_found_with_its_part(tables, report_id):
    secs = tables["sections"]
    rows = EXPECTED_SECTIONS[EXPECTED_SECTIONS.report_id == report_id]
    assert len(rows) > 0
    missing, wrong_part = [], []
    for row in rows.itertuples():
        hit = _find(secs, row)
        if hit.empty:
            missing.append(f"{row.level} {row.number} {row.title_start}")
        elif row.part not in set(hit.part):
            wrong_part.append(f"{row.number} {row.title_start}: expected {row.part}, got {sorted(set(hit.part))}")
    assert not missing, f"headings not found: {missing}"
    assert not wrong_part, wrong_part


@pytest.mark.parametrize("report_id", SEED_IDS)
def test_no_invented_headings_at_levels_1_and_2(tables, report_id):
    secs = tables["sections"]
    got = secs[(secs.report_id == report_id) & secs.level.isin([1, 2]) & secs.kind.isin(["heading", "part"])]
    exp = EXPECTED_SECTIONS[(EXPECTED_SECTIONS.report_id == report_id) & EXPECTED_SECTIONS.level.isin(["1", "2"])]
    assert len(got) == len(exp), got[["level", "number", "title"]].to_string()


def test_section_themes_agree_with_a_reader(tables):
    """Themes are judgement calls; require agreement on a large majority and list the rest."""
    secs = tables["sections"]
    agree, disagree = 0, []
    for row in EXPECTED_SECTIONS.itertuples():
        hit = _find(secs, row)
        if hit.empty:
            continue
        ok = hit.iloc[0].theme in row.theme.split("|")
        agree += ok
        if not ok:
            disagree.append(f"{row.report_id[:3]} {row.number} {row.title_start}: {row.theme} vs {hit.iloc[0].theme}")
    total = agree + len(disagree)
    assert agree / total >= 0.85, f"{agree}/{total} agree; disagreements: {disagree}"


def test_report_facts(tables):
    facts = expected("report_facts.csv").set_index("report_id")
    reports = tables["reports"].set_index("report_id")
    secs = tables["sections"]
    for rid, fact in facts.iterrows():
        r = reports.loc[rid]
        assert (r.city, str(r.year), r.period, r.report_type) == (fact.city, fact.year, fact.period, fact.report_type)
        has_plan = (secs[(secs.report_id == rid)].part == "plan").any()
        assert has_plan == (fact.has_plan_part == "true"), rid


def test_furniture_is_kept_out_of_the_body(tables, built):
    facts = expected("report_facts.csv")
    sentences = tables["sentences"]
    furniture = tables["furniture"]
    for fact in facts.itertuples():
        for snippet in filter(None, fact.furniture_examples.split("|")):
            body = sentences[sentences.report_id == fact.report_id].text
            assert not body.str.contains(snippet, regex=False).any(), (fact.report_id, snippet)
            assert furniture[furniture.report_id == fact.report_id].text.str.contains(snippet, regex=False).any(), snippet


def test_page_metadata_is_kept(tables):
    r = tables["reports"].set_index("report_id")
    assert r.loc["004_964adb30ad5d0ead", "issuer"] == "温州市民政局"
    assert r.loc["004_964adb30ad5d0ead", "written_date"] == "2025-06-21"
    assert r.loc["002_69bfed1fd2b15b68", "published"] == "2019-02-26"
    assert "翁华鸿" in r.loc["001_d2dde8ed104a44f9", "authors"]
