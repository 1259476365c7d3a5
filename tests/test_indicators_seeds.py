"""Catalogue indicators extracted from the seeds match a hand-made table written from reading them.

tests/expected/indicators_*.csv were written by reading the reports. Rows whose evidence ends in
'?' are judgement calls: they are neither required nor forbidden. Every other expected row must
be extracted with the same value, unit, status and period, and no unexpected row may appear.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT, SEED_IDS, expected

SPEC_CATALOG = ROOT.parent / "shared" / "spec" / "indicator_catalog.csv"

KEY = ["report_id", "indicator_id", "status", "period", "scope", "scope_detail"]


def _expected() -> pd.DataFrame:
    exp = pd.concat([expected("indicators_seeds.csv"), expected("indicators_002.csv")], ignore_index=True)
    exp["value"] = exp["value"].astype(float).round(2)
    exp["doubtful"] = exp["evidence"].str.endswith("?")
    return exp


EXPECTED = _expected()


def _match(got_row, exp: pd.DataFrame) -> pd.DataFrame:
    return exp[(exp.report_id == got_row.report_id) & (exp.indicator_id == got_row.indicator_id)
               & ((exp.value - got_row.value).abs() < 0.01)]


@pytest.mark.parametrize("report_id", SEED_IDS)
def test_every_expected_indicator_is_found(tables, report_id):
    got = tables["indicators"]
    got = got[got.report_id == report_id]
    missing, wrong = [], []
    for e in EXPECTED[(EXPECTED.report_id == report_id) & ~EXPECTED.doubtful].itertuples():
        hit = got[(got.indicator_id == e.indicator_id) & ((got.value - e.value).abs() < 0.01)]
        if hit.empty:
            missing.append(f"{e.indicator_id}={e.value} ({e.evidence})")
            continue
        h = hit.iloc[0]
        for col in ("unit", "status", "period", "scope", "scope_detail", "qualifier"):
            if str(getattr(h, col)) != str(getattr(e, col)):
                wrong.append(f"{e.indicator_id}={e.value}: {col} {getattr(h, col)!r} != expected {getattr(e, col)!r}")
    assert not missing, "not extracted: " + "; ".join(missing)
    assert not wrong, "; ".join(wrong)


@pytest.mark.parametrize("report_id", SEED_IDS)
def test_nothing_else_is_reported_as_a_catalogue_indicator(tables, report_id):
    got = tables["indicators"]
    got = got[got.report_id == report_id]
    extra = [f"{g.indicator_id}={g.value} {g.status} ({g.raw_text} in {g.source_text[:40]})"
             for g in got.itertuples() if _match(g, EXPECTED).empty]
    assert not extra, "unexpected: " + "; ".join(extra)


def test_indicators_csv_follows_the_spec(built):
    _result, clean = built
    df = pd.read_csv(clean / "indicators.csv", encoding="utf-8-sig")
    spec_cols = ["report_id", "city", "theme", "indicator_id", "value", "unit", "status", "period", "scope",
                 "scope_detail", "qualifier", "source_text", "char_start", "char_end"]
    assert [c for c in spec_cols if c not in df.columns] == []
    from lib.catalogue import catalogue_frame

    # the project's catalogue carries the spec's ids, units and themes (checked against ../shared/spec below)
    spec = catalogue_frame().set_index("indicator_id")
    assert set(df.indicator_id) <= set(spec.index)
    assert (df.unit == spec.loc[df.indicator_id, "unit"].to_numpy()).all()
    assert (df.theme == spec.loc[df.indicator_id, "theme"].to_numpy()).all()
    assert set(df.status) <= {"actual", "planned", "baseline"}
    assert set(df.qualifier) <= {"exact", "approx", "at_least", "at_most"}
    assert len(df) > 0


def test_provenance_opens_to_the_right_sentence(built):
    result, clean = built
    ind = result.tables["indicators"]
    for row in ind.itertuples():
        text = (clean / "texts" / f"{row.report_id}.txt").read_text(encoding="utf-8")
        span = text[row.char_start:row.char_end]
        assert span == row.raw_text, (row.indicator_id, span, row.raw_text)
        if row.sentence_id:
            assert span in row.source_text


@pytest.mark.skipif(not SPEC_CATALOG.is_file(), reason="needs ../shared/spec beside the project (the contract it was built to)")
def test_project_catalogue_covers_the_spec_catalogue():
    from lib.catalogue import catalogue_frame

    spec = pd.read_csv(SPEC_CATALOG, dtype=str)
    ours = catalogue_frame().set_index("indicator_id")
    for row in spec.itertuples():
        assert row.indicator_id in ours.index
        assert ours.loc[row.indicator_id, "unit"] == row.unit
        assert ours.loc[row.indicator_id, "theme"] == row.theme
        assert ours.loc[row.indicator_id, "aliases"], f"{row.indicator_id} has no aliases"
