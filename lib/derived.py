"""Derived measures: rates and ratios, so that cities of different sizes can be compared.

A city of 5 million with 20,000 people on 低保 and a city of 500,000 with 10,000 are not comparable
by the count alone. Each measure in ``lib/data/measures.csv`` divides a catalogue indicator read
from the reports (the numerator) by a sourced denominator from ``data/reference/denominators.csv``
(``lib.reference``), and multiplies by a scale: value = numerator × scale ÷ denominator.

**Which numerators.** The ``preferred`` rows of the measure's indicator (a value that lost a
conflict never becomes a rate) whose status is actual or baseline (a target has no denominator
yet), for the whole city or for its 城市/农村 part (``lib/data/measure_areas.csv`` maps the part
to the denominator's 城镇/农村 area). Other parts (集中/散居, tiers) are not rates of anything and
are skipped; a figure for one district only gets a note, since the denominators are city-wide.

**Which year (the one rule).** The numerator's year is the last year written in its period
(``2018-11`` → 2018, ``2024`` → 2024, ``2025H1`` → 2025). The denominator must be for that year plus
the measure's ``year_offset``: 0 for the population rates (the same year-end), -1 for the
consumption ratio (the previous year, as local rules set the standard). A population denominator
must be a year-end value (``period_end`` 12-31); a figure for another date of the year is not used.

**Where a denominator is missing** or from another date or year, no number is computed: the
``measure_notes`` table says why, and ``lib.views.data_notes`` shows it in the data-quality
notes of the pages and the workbook. Derived values live only in ``measures``, never in
``indicators``, so they are never mixed with stated ones. Where a report states the rate itself
(a catalogue indicator named in the measure's ``stated`` column), the stated value stands beside
the derived one for checking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from lib import comparability, schema
from lib.catalogue import catalogue
from lib.errors import MinzhengError
from lib.manifest import canonical_place
from lib.reference import DEFAULT_PATH, SERIES_UNIT, load_reference

SERIES_ZH = {"resident_population": "常住人口", "population_60plus": "60岁及以上人口",
             "consumption_per_capita": "居民人均消费支出"}
YEAR_RULE = {0: "same_year_end", -1: "previous_year"}
YEAR_RULE_ZH = {"same_year_end": "同年年末", "previous_year": "上一年"}
NUMERATOR_STATUSES = ("actual", "baseline")
_YEAR = re.compile(r"(\d{4})")
_QUOTE = re.compile(r"^(「[^」]+」)\s*;?\s*(.*)$", re.S)


@dataclass(frozen=True)
class Measure:
    measure_id: str
    theme: str
    name_zh: str
    unit: str
    numerator: str  # a catalogue indicator id
    denominator: str  # a reference series
    scale: float
    year_offset: int  # 0: the same year-end; -1: the previous year
    areas: str  # matching: a part only with its own area; each: a whole-city figure with every area published
    stated: str  # the catalogue indicator a report states the same rate as ('' for none)
    definition: str

    @property
    def year_rule(self) -> str:
        return YEAR_RULE[self.year_offset]


def _read(name: str) -> pd.DataFrame:
    with resources.files("lib.data").joinpath(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def measures() -> dict[str, Measure]:
    """The measures of ``lib/data/measures.csv``, checked against the catalogue and the reference series."""
    cat = catalogue()
    out = {}
    for r in _read("measures.csv").itertuples():
        where = f"lib/data/measures.csv: measure {r.measure_id!r}"
        if r.numerator not in cat:
            raise ValueError(f"{where}: numerator {r.numerator!r} is not a catalogue indicator")
        if r.stated and r.stated not in cat:
            raise ValueError(f"{where}: stated {r.stated!r} is not a catalogue indicator")
        if r.denominator not in SERIES_UNIT:
            raise ValueError(f"{where}: denominator {r.denominator!r} is not one of {sorted(SERIES_UNIT)}")
        if int(r.year_offset) not in YEAR_RULE or r.areas not in ("matching", "each"):
            raise ValueError(f"{where}: year_offset must be 0 or -1 and areas matching or each")
        out[r.measure_id] = Measure(r.measure_id, r.theme, r.name_zh, r.unit, r.numerator, r.denominator,
                                    float(r.scale), int(r.year_offset), r.areas, r.stated, r.definition)
    return out


@lru_cache(maxsize=1)
def area_of_part() -> dict[str, str]:
    """scope_detail → the denominator's area (lib/data/measure_areas.csv): '' → 全市, 城市 → 城镇 …"""
    return dict(zip(*[_read("measure_areas.csv")[c] for c in ("scope_detail", "area")]))


def numerator_year(period) -> int | None:
    """The year a numerator's period ends in: the last year written in it (``2018-11`` → 2018)."""
    years = _YEAR.findall(str(period or ""))
    return int(years[-1]) if years else None


def _city_key(city: str, province: str = "") -> str:
    return canonical_place(str(city), str(province)) or str(city)


def _quote_and_rest(note: str) -> tuple[str, str]:
    m = _QUOTE.match(str(note))
    return (m[1], m[2]) if m else ("", str(note))


def _remarks(m: Measure, row, year: int, den) -> str:
    """What the reader must know about this value: dates that differ, the 60+ basis, second-hand sources."""
    bits = []
    if m.year_offset == 0 and row["period_type"] != "year":
        bits.append(f"分子为{row['period_zh']}的数值，分母为{year}年末")
    if m.year_offset == -1:
        bits.append(f"分母为{den['year']}年全年居民人均消费支出（{den['area']}）÷12")
    if m.denominator == "population_60plus":
        basis = "户籍" if "户籍" in den["note"] else "常住" if "常住" in den["note"] else "口径未注明"
        bits.append(f"60岁及以上人口为{basis}口径")
    if "二手" in den["note"]:
        bits.append("分母为二手来源，见参考数据说明")
    if row["qualifier"] != "exact":
        bits.append("分子为约数或限值（见 qualifier），比率同样")
    return "；".join(bits)


def _candidates(ind: pd.DataFrame, m: Measure) -> pd.DataFrame:
    """The numerator rows of a measure: preferred, actual or baseline, stock or standard, newest report first."""
    if ind is None or ind.empty:
        return pd.DataFrame()
    rows = ind[(ind["indicator_id"] == m.numerator) & ind["status"].isin(NUMERATOR_STATUSES)
               & ind["preferred"].fillna(True).astype(bool) & ind["figure_kind"].isin(("stock", "standard"))]
    rows = rows.sort_values(["report_id", "char_start"], ascending=[False, True])
    # one numerator per city, period, part and status (equal values from two reports: the later report's)
    return rows.drop_duplicates(["city", "period", "scope", "scope_detail", "status"])


def stated_index(ind: pd.DataFrame) -> dict[tuple, dict]:
    """(indicator, city, period, status, scope_detail) → the first preferred row stating a measure's rate.

    Built once, so looking up the stated rate beside each derived value costs nothing per row.
    """
    ids = {m.stated for m in measures().values() if m.stated}
    if not ids or ind is None or ind.empty:
        return {}
    rows = ind[ind["indicator_id"].isin(ids) & ind["preferred"].fillna(True).astype(bool)]
    rows = rows.assign(scope_detail=rows["scope_detail"].fillna(""))
    index: dict[tuple, dict] = {}
    for r in rows[["indicator_id", "city", "period", "status", "scope_detail", "value", "report_id",
                   "source_text"]].to_dict("records"):
        index.setdefault((r["indicator_id"], r["city"], r["period"], r["status"], r["scope_detail"]), r)
    return index


def _stated(index: dict[tuple, dict], m: Measure, row) -> dict:
    """The rate as a report states it, for the same city, period, part and status, if any."""
    h = index.get((m.stated, row["city"], row["period"], row["status"], row["scope_detail"] or "")) if m.stated else None
    if h is None:
        return {"stated_indicator_id": m.stated, "stated_value": None, "stated_report_id": "", "stated_source_text": ""}
    return {"stated_indicator_id": m.stated, "stated_value": float(h["value"]), "stated_report_id": h["report_id"],
            "stated_source_text": h["source_text"]}


def _areas(m: Measure, row, available: set[str]) -> list[str] | None:
    """The denominator areas a numerator row is divided by; None when it is a part with no area (集中, a tier)."""
    if row["aggregate"] == "total":
        if m.areas == "each":  # a standard for the whole city (城乡统一) applies to urban and rural alike
            return ["全市"] + [a for a in ("城镇", "农村") if a in available]
        return ["全市"]
    area = area_of_part().get(str(row["scope_detail"] or ""))
    if row["split"] != "城乡" or area is None:
        return None
    return [area]


def compute(ind: pd.DataFrame, ref: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """``measures`` (one row per computed value) and ``measure_notes`` (one row per value not computed, and why)
    from the annotated indicator rows and the validated reference table."""
    ref = ref.assign(city_key=[_city_key(c, p) for c, p in zip(ref["city"], ref["province"])])
    by_key = {(r.city_key, int(r.year), r.series, r.area): r._asdict() for r in ref.itertuples()}
    years: dict[tuple, set] = {}  # (city, series, area) → the years the reference data has
    areas_of: dict[tuple, set] = {}  # (city, series) → the areas it has
    for c, y, series, a in by_key:
        years.setdefault((c, series, a), set()).add(y)
        areas_of.setdefault((c, series), set()).add(a)
    index = stated_index(ind)
    out, notes = [], []
    for m in measures().values():
        for row in _candidates(ind, m).to_dict("records"):
            city = _city_key(row["city"])
            year = numerator_year(row["period"])
            stated = _stated(index, m, row)
            base = {"measure_id": m.measure_id, "name_zh": m.name_zh, "theme": m.theme, "city": row["city"],
                    "period": row["period"], "status": row["status"], "scope_detail": row["scope_detail"] or "",
                    "numerator_id": row["indicator_id"], "numerator_value": float(row["value"]),
                    "numerator_report_id": row["report_id"], "denominator_series": m.denominator,
                    "stated_value": stated["stated_value"], "stated_source_text": stated["stated_source_text"]}
            if str(row["scope"]) not in comparability.WHOLE_AREA:
                notes.append({**base, "area": "", "wanted_year": year, "reason_code": "part_of_city",
                              "reason": f"分子只覆盖{row['scope']}，参考数据只有全市的分母 (the figure covers "
                                        f"{row['scope']} only; denominators are city-wide)"})
                continue
            areas = _areas(m, row, areas_of.get((city, m.denominator), set()))
            if areas is None:
                continue  # a part that is no share of a population (集中/散居, a tier): no rate of anything
            if year is None:
                notes.append({**base, "area": areas[0], "wanted_year": None, "reason_code": "no_year",
                              "reason": "分子的期间没有年份，无法匹配分母 (the figure's period names no year)"})
                continue
            want = year + m.year_offset
            for area in areas:
                den = by_key.get((city, want, m.denominator, area))
                why = _why_not(den, years.get((city, m.denominator, area), set()), city, want, m, area)
                if why:
                    notes.append({**base, "area": area, "wanted_year": want, "reason_code": why[0], "reason": why[1]})
                    continue
                quote, rest = _quote_and_rest(den["note"])
                out.append({
                    "measure_id": m.measure_id, "name_zh": m.name_zh, "theme": m.theme, "unit": m.unit,
                    "definition": m.definition, "city": row["city"], "period": row["period"],
                    "period_zh": row["period_zh"], "year": year, "status": row["status"],
                    "scope_detail": row["scope_detail"] or "", "area": area,
                    "aggregate": "total" if area == "全市" else "part",
                    "value": float(row["value"]) * m.scale / float(den["value"]), "qualifier": row["qualifier"],
                    "year_rule": m.year_rule,
                    "numerator_id": row["indicator_id"], "numerator_name_zh": row["name_zh"],
                    "numerator_value": float(row["value"]), "numerator_unit": row["unit"],
                    "numerator_period": row["period"], "numerator_report_id": row["report_id"],
                    "numerator_source_text": row["source_text"], "numerator_char_start": int(row["char_start"]),
                    "numerator_char_end": int(row["char_end"]),
                    "denominator_series": m.denominator, "denominator_name_zh": SERIES_ZH[m.denominator],
                    "denominator_year": int(den["year"]), "denominator_value": float(den["value"]),
                    "denominator_unit": den["unit"], "denominator_period_end": den["period_end"],
                    "denominator_source_title": den["source_title"], "denominator_source_issuer": den["source_issuer"],
                    "denominator_source_url": den["source_url"], "denominator_source_date": den["source_date"],
                    "denominator_quote": quote, "denominator_note": rest,
                    **stated, "note": _remarks(m, row, year, den),
                })
    return {"measures": pd.DataFrame(out, columns=schema.columns("measures")),
            "measure_notes": pd.DataFrame(notes, columns=schema.columns("measure_notes"))}


def _why_not(den, years: set, city: str, want: int, m: Measure, area: str) -> tuple[str, str] | None:
    """Why no value is computed with this denominator, or None when it fits the year rule."""
    what = f"{want}年{'末' if m.year_offset == 0 else ''}{SERIES_ZH[m.denominator]}（{area}）"
    if den is not None:
        if m.denominator != "consumption_per_capita" and not str(den["period_end"]).endswith("-12-31"):
            return ("other_date", f"参考数据中{city}{want}年的{SERIES_ZH[m.denominator]}（{area}）是{den['period_end']}"
                                  f"的数值，不是年末 (the denominator is for {den['period_end']}, not the year end)")
        return None
    if years:  # the reference data has this series and area for other years
        listed = "、".join(str(y) for y in sorted(years))
        return ("other_year", f"缺{city}{what}，参考数据只有{listed}年的 "
                              f"(no {want} value; the reference data has {listed} only)")
    return ("missing", f"缺{city}{what}，data/reference/denominators.csv 无此行 "
                       f"(no {m.denominator} for {want}, {area})")


def derive(ind: pd.DataFrame, errors: list | None = None, path=None) -> dict[str, pd.DataFrame]:
    """The build's corpus-level pass: the validated ``measures``, ``measure_notes`` and ``denominators`` tables.

    A reference file that cannot be used is reported like a bad manifest: one entry in ``errors``
    (file, reason by line), no measures, and the other tables build as usual.
    """
    try:
        ref = load_reference(path)
    except MinzhengError as exc:
        if errors is None:
            raise
        errors.append((str(path or DEFAULT_PATH), f"{exc} — no derived measures were computed; fix the file and rebuild"))
        return {"measures": schema.empty("measures"), "measure_notes": schema.empty("measure_notes"),
                "denominators": schema.empty("denominators")}
    tables = {**compute(ind, ref), "denominators": ref}
    return {name: schema.validate(name, df) for name, df in tables.items()}
