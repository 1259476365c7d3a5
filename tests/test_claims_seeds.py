"""Narrative claims on the seeds: claims a reader picks out of the text are found with the
right type, scope, rank and status."""

from __future__ import annotations

import pytest

from lib.claims import find_claims

# (report, words in the claim's sentence, claim_type, scope, rank, status)
EXPECTED = [
    ("003_0d46cd3eb0266ada", "排名全省第6", "ranking", "全省", 6.0, "actual"),
    ("003_0d46cd3eb0266ada", "获全省第一名", "ranking", "全省", 1.0, "actual"),
    ("000_b35a7575ec011088", "位居同类城市第5", "ranking", "同类城市", 5.0, "actual"),
    ("000_b35a7575ec011088", "位居全省首位", "ranking", "全省", 1.0, "actual"),
    ("000_b35a7575ec011088", "率先全省", "first", "全省", None, "actual"),
    ("000_b35a7575ec011088", "优秀案例", "award", "", None, "actual"),
    ("004_964adb30ad5d0ead", "首批老龄工作联系点", "pilot", "", None, "actual"),
    ("004_964adb30ad5d0ead", "乐清市列入省县域老年友好试点", "pilot", "", None, "actual"),
    ("003_0d46cd3eb0266ada", "在全省率先实施社会救助信用管理制度", "first", "全省", None, "actual"),
    ("001_d2dde8ed104a44f9", "全省第一、全国前列", "ranking", "全省", 1.0, "actual"),
]


@pytest.mark.parametrize("report_id,words,claim_type,scope,rank,status", EXPECTED)
def test_expected_claims(tables, report_id, words, claim_type, scope, rank, status):
    c = tables["claims"]
    c = c[(c.report_id == report_id) & (c.claim_type == claim_type) & c.source_text.str.contains(words, regex=False)]
    assert not c.empty, f"no {claim_type} claim in the sentence with {words}"
    hit = c[(c.scope == scope) & (c.status == status)]
    assert not hit.empty, c[["phrase", "scope", "rank", "status"]].to_string()
    if rank is not None:
        assert rank in set(hit["rank"])


def test_plan_items_of_the_next_period(tables):
    c = tables["claims"]
    plans = c[(c.report_id == "003_0d46cd3eb0266ada") & (c.claim_type == "plan")]
    titles = " ".join(plans.phrase)
    for words in ("整合调动一切有利资源", "扭住底线民生基本盘", "围绕中心延伸触角"):
        assert words in titles
    assert (plans.status == "planned").all()
    review = c[(c.report_id == "003_0d46cd3eb0266ada") & (c.claim_type == "plan")
               & c.phrase.str.contains("兜底保障水平稳步提升")]
    assert review.empty  # a heading of the review part is not a plan


def test_pilots_aimed_at_are_planned_and_standings_held_are_actual(tables):
    c = tables["claims"]
    aimed = c[c.source_text.str.contains("指导有条件的区争创全国未成年人保护示范区", regex=False) & (c.claim_type == "pilot")]
    assert not aimed.empty and (aimed.status == "planned").all()
    plan_pilot = c[(c.report_id == "003_0d46cd3eb0266ada") & c.phrase.str.contains("收养评估示范试点") & (c.claim_type == "pilot")]
    assert set(plan_pilot.status) == {"actual", "planned"}  # done in 2024, deepened in the 2025 plan


@pytest.mark.parametrize("sentence,scope,rank", [
    ("我市连续三年在全省民政工作考核中排名第一。", "全省", 1.0),
    ("增速位居全省第二。", "全省", 2.0),
])
def test_ranking_scope_named_earlier_in_the_clause(sentence, scope, rank):
    rankings = [c for c in find_claims(sentence) if c[0] == "ranking"]
    assert [(c[3], c[4]) for c in rankings] == [(scope, rank)]


@pytest.mark.parametrize("sentence,kind,scope", [
    ("全省第一个县级未成年人救助保护中心在我市建成。", "first", "全省"),  # the first of its kind, not a rank
    ("我市建成全国第一家社区慈善基金会。", "first", "全国"),
    ("我市养老服务工作获国务院督查激励。", "award", None),
])
def test_firsts_and_awards_as_officials_word_them(sentence, kind, scope):
    assert [(c[0], c[3]) for c in find_claims(sentence)] == [(kind, scope)]


@pytest.mark.parametrize("sentence", ["一是动态监测对象更准。", "第一次会议在厦门召开。", "统一城市农村救助供养标准。",
                                      "为实现第一个百年奋斗目标作出贡献。"])
def test_not_claims(sentence):
    assert [c for c in find_claims(sentence) if c[0] in ("ranking", "first")] == []


def test_claim_spans_point_at_their_phrase(built):
    result, clean = built
    for row in result.tables["claims"].itertuples():
        text = (clean / "texts" / f"{row.report_id}.txt").read_text(encoding="utf-8")
        assert text[row.char_start:row.char_end] == row.phrase
