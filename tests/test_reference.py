"""The reference denominators: the real file validates, broken copies are rejected by line, values are plausible."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from lib.reference import COLUMNS, DEFAULT_PATH, ReferenceDataError, load_reference, quoted_value
from lib.views import project_root

REF = project_root() / DEFAULT_PATH
MANIFEST = project_root() / "data" / "raw" / "manifest.csv"


def _rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(REF.read_text(encoding="utf-8"))))


def _write(path, rows) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _line_of(rows, city, year, series, area="全市") -> int:
    """1-based CSV line of a row of the real file (the header is line 1)."""
    for n, r in enumerate(rows[1:], start=2):
        if r[:5] == [city, r[1], str(year), series, area]:
            return n
    raise LookupError((city, year, series, area))


# --- the real file ------------------------------------------------------------------------------
def test_real_file_validates_with_typed_columns():
    df = load_reference()
    assert list(df.columns) == COLUMNS
    assert len(df) == len(_rows()) - 1
    assert str(df["year"].dtype) == "int64" and str(df["value"].dtype) == "float64"
    assert not df.duplicated(["city", "year", "series", "area"]).any()


def test_default_path_comes_from_the_project_root_not_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_reference()) == len(_rows()) - 1


def test_cities_are_spelt_as_in_the_manifest():
    """The lead joins on city: a reference city must be written exactly as the corpus writes it."""
    manifest = pd.read_csv(MANIFEST, dtype=str, keep_default_na=False)
    known = dict(zip(manifest["city"], manifest["province"]))
    df = load_reference()
    for city, province in df[["city", "province"]].drop_duplicates().itertuples(index=False):
        assert city in known, city
        assert province == known[city], (city, province)


def test_every_value_is_the_number_its_quoted_phrase_states():
    df = load_reference()
    for row in df.itertuples():
        assert quoted_value(row.note) == pytest.approx(row.value, rel=1e-9), row.note


@pytest.mark.parametrize("note, expected", [
    ("「2015年末,全市常住人口為386萬人」; 繁体", 3_860_000),
    ("「60岁及以上人口64.3万人」", 643_000),
    ("「中  山  Zhongshan 30355.0 31113.9」; 末列为2023年", 31113.9),
    ("「截至2017年8月底,全市户籍60周岁以上老年人口有32.53万」", 325_300),
    ("「The year 2017 saw the total permanent population of Xiamen reaching 4.01 million」", 4_010_000),
    ("「没有数字」", None),
    ("没有引号 386万人", None),
])
def test_quoted_value_reads_the_last_number_of_the_phrase(note, expected):
    got = quoted_value(note)
    assert got == (None if expected is None else pytest.approx(expected))


# --- broken copies ----------------------------------------------------------------------------------
XM_2022 = ("厦门市", 2022, "resident_population")

CORRUPTIONS = [
    # (what to change, column, new value, words the message must contain)
    ("negative value", "value", "-5", ["value must be greater than 0"]),
    ("not a number", "value", "五百万", ["value '五百万' is not a number"]),
    ("value typed in 万", "value", "530.8", ["value 530.8 differs from the quoted phrase", "5308000"]),
    ("two-digit year", "year", "22", ["year must be a year from 2000"]),
    ("unknown series", "series", "population", ["series must be one of"]),
    ("unknown area", "area", "市区", ["area must be one of 全市, 城镇, 农村"]),
    ("unit not expanded", "unit", "万人", ["unit must be 人 or 元", "unit does not fit the series"]),
    ("empty source title", "source_title", "", ["source_title must not be empty"]),
    ("blank issuer", "source_issuer", "   ", ["source_issuer must not be empty"]),
    ("no URL", "source_url", "厦门统计局网站", ["source_url must be an http(s) URL"]),
    ("bad source date", "source_date", "2023年3月", ["source_date must be YYYY, YYYY-MM or YYYY-MM-DD"]),
    ("period in another year", "period_end", "2021-12-31", ["period_end lies outside the row's year"]),
    ("impossible date", "period_end", "2022-02-30", ["period_end is not a real date"]),
    ("note without its quotation", "note", "据公报", ["note must start with the verbatim source phrase"]),
]


@pytest.mark.parametrize("what, column, new, words", CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
def test_a_corrupted_copy_is_rejected_naming_file_line_and_reason(tmp_path, what, column, new, words):
    rows = _rows()
    line = _line_of(rows, *XM_2022)
    rows[line - 1][COLUMNS.index(column)] = new
    bad = tmp_path / "denominators.csv"
    _write(bad, rows)
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(bad)
    msg = str(exc.value)
    assert str(bad) in msg
    assert exc.value.path == str(bad)
    hits = [p for p in exc.value.problems if p.startswith(f"line {line}:")]
    assert hits, msg
    for w in words:
        assert w in msg, (w, msg)
    # only the broken row is blamed
    assert all(p.startswith(f"line {line}:") for p in exc.value.problems), msg


def test_a_duplicate_row_is_rejected_at_both_lines(tmp_path):
    rows = _rows()
    line = _line_of(rows, *XM_2022)
    rows.append(list(rows[line - 1]))
    bad = tmp_path / "denominators.csv"
    _write(bad, rows)
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(bad)
    assert exc.value.problems == [
        f"line {line}: a second row for the same (city, year, series, area)",
        f"line {len(rows)}: a second row for the same (city, year, series, area)",
    ]


def test_a_60plus_row_must_say_whether_it_counts_residents_or_registered_people(tmp_path):
    rows = _rows()
    note_col = COLUMNS.index("note")
    # a row whose quoted phrase does not itself say 常住/户籍, so the basis is in the remark after it
    line = next(n for n, r in enumerate(rows[1:], start=2)
                if r[3] == "population_60plus" and not any(w in r[note_col].split("」")[0] for w in ("常住", "户籍")))
    note = rows[line - 1][note_col]
    rows[line - 1][note_col] = note.split("」")[0] + "」"  # keep the quote, drop 常住/户籍
    bad = tmp_path / "denominators.csv"
    _write(bad, rows)
    with pytest.raises(ReferenceDataError, match=f"line {line}: a population_60plus note must say"):
        load_reference(bad)


def test_a_misspelt_column_is_named_with_the_expected_header(tmp_path):
    rows = _rows()
    rows[0][COLUMNS.index("value")] = "valeu"
    bad = tmp_path / "denominators.csv"
    _write(bad, rows)
    with pytest.raises(ReferenceDataError) as exc:
        load_reference(bad)
    msg = str(exc.value)
    assert "missing column(s) value" in msg and "unexpected column(s) valeu" in msg
    assert ",".join(COLUMNS) in msg


def test_a_file_that_is_not_utf8_or_missing_is_named(tmp_path):
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(REF.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(ReferenceDataError, match="(?s)gbk.csv: .*not UTF-8"):
        load_reference(gbk)
    with pytest.raises(ReferenceDataError, match="(?s)nowhere.csv: .*file not found"):
        load_reference(tmp_path / "nowhere.csv")


def test_column_order_and_padding_do_not_matter(tmp_path):
    rows = _rows()
    order = list(reversed(range(len(COLUMNS))))
    moved = [[r[i] for i in order] for r in rows]
    moved[1][order.index(COLUMNS.index("city"))] = " 厦门市 "
    path = tmp_path / "reordered.csv"
    _write(path, moved)
    pd.testing.assert_frame_equal(load_reference(path), load_reference())


# --- plausibility ---------------------------------------------------------------------------------
POPULATION = (1e6, 2e7)      # people living in one of these cities
SHARE_60PLUS = (0.05, 0.35)  # aged 60+ as a share of the resident population
CONSUMPTION = (1e4, 1e5)     # 元 per person per year


def plausibility_problems(df: pd.DataFrame) -> tuple[list[str], dict[str, int]]:
    """What looks implausible, and how many comparisons each rule could make (so a rule never checks nothing)."""
    problems, counts = [], {"population": 0, "share": 0, "consumption": 0, "urban_rural": 0, "parts": 0}
    idx = df.set_index(["city", "year", "series", "area"])["value"]
    for (city, year, series, area), v in idx.items():
        where = f"{city} {year} {series} {area}"
        if series == "resident_population" and area == "全市":
            counts["population"] += 1
            if not POPULATION[0] <= v <= POPULATION[1]:
                problems.append(f"{where}: population {v:.0f} outside {POPULATION}")
            parts = [idx.get((city, year, series, a)) for a in ("城镇", "农村")]
            if all(p is not None for p in parts):
                counts["parts"] += 1
                if abs(sum(parts) - v) > 0.001 * v:
                    problems.append(f"{where}: 城镇 + 农村 = {sum(parts):.0f}, not {v:.0f}")
        if series == "population_60plus" and area == "全市":
            total = idx.get((city, year, "resident_population", "全市"))
            if total is not None:
                counts["share"] += 1
                if not SHARE_60PLUS[0] <= v / total <= SHARE_60PLUS[1]:
                    problems.append(f"{where}: 60+ share {v / total:.1%} outside {SHARE_60PLUS}")
        if series == "consumption_per_capita":
            counts["consumption"] += 1
            if not CONSUMPTION[0] <= v <= CONSUMPTION[1]:
                problems.append(f"{where}: {v:.0f} 元 outside {CONSUMPTION}")
            if area == "城镇" and (city, year, series, "农村") in idx.index:
                counts["urban_rural"] += 1
                if not v > idx[(city, year, series, "农村")]:
                    problems.append(f"{where}: 城镇 not above 农村")
    return problems, counts


def test_real_values_are_plausible():
    problems, counts = plausibility_problems(load_reference())
    assert problems == []
    # the rules that have data to compare in today's file did compare something
    assert counts["population"] >= 8 and counts["share"] >= 4 and counts["consumption"] >= 1 and counts["parts"] >= 2


def test_the_plausibility_rules_catch_implausible_values():
    df = load_reference()
    bad = pd.concat([df, pd.DataFrame([
        {"city": "厦门市", "year": 2024, "series": "consumption_per_capita", "area": "城镇", "value": 30000.0},
        {"city": "厦门市", "year": 2024, "series": "consumption_per_capita", "area": "农村", "value": 45000.0},
        {"city": "温州市", "year": 2023, "series": "population_60plus", "area": "全市", "value": 4_000_000.0},
    ])], ignore_index=True)
    bad.loc[(bad["city"] == "厦门市") & (bad["year"] == 2015) & (bad["series"] == "resident_population"), "value"] = 386.0
    bad.loc[(bad["city"] == "温州市") & (bad["area"] == "城镇"), "value"] = 8_000_000.0
    problems, counts = plausibility_problems(bad)
    text = "\n".join(problems)
    assert "厦门市 2015 resident_population 全市: population 386" in text
    assert "厦门市 2024 consumption_per_capita 城镇: 城镇 not above 农村" in text
    assert "温州市 2023 population_60plus 全市: 60+ share 41.0%" in text
    assert "温州市 2023 resident_population 全市: 城镇 + 农村" in text
    assert counts["urban_rural"] == 1
