"""Clean tables shaped for display: the logic behind the notebooks, charts and exports.

Every function takes the dict of clean tables from ``load_clean`` and returns a plain DataFrame
(tidy/long unless the name says ``wide``). Empty inputs give empty frames with the documented
columns, never an exception, so a notebook can say "no data" instead of crashing. Parameters that
name a theme or a city are validated here (``check_theme`` / ``check_city``): an unknown one raises
``MinzhengError`` listing the valid choices.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from lib import comparability, labels, outputs, schema
from lib.errors import BadInputError, MinzhengError
from lib.themes import theme_ids, theme_names

# Display sign for a qualifier (spec §3: approx 约/近/左右, at_least 超/逾/以上, at_most 不足/以内).
QUALIFIER_SIGN = {"exact": "", "approx": "≈", "at_least": "≥", "at_most": "≤"}
STATUS_ZH = labels.values("status")
CLAIM_TYPE_ZH = labels.values("claim_type")
NO_DATA = "（无数据 / no data）"


# --- paths and loading ---------------------------------------------------------------------------
def project_root() -> Path:
    """The repository root (the folder holding ``lib/``), wherever the caller runs from."""
    return outputs.project_root()


def resolve(path: str | Path) -> Path:
    """An absolute path: relative paths are taken from the project root, not the current folder
    (the one path rule: ``lib.outputs.resolve``)."""
    return outputs.resolve(path)


UNKNOWN_CITY = "城市未知"


class Tables(dict):
    """The clean tables by name (a dict), with a memo of the views computed from them.

    ``latest``, ``trend`` and ``indicators`` are computed once per selection and notebook, not
    once per figure: the memo keeps each result with the frames it was computed from, and a
    frame replaced in the dict makes its entries stale. Results come back as shallow copies
    (pandas copy-on-write: a caller's change never reaches the memo).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.memo: dict = {}
        self.filtered: dict[str, str] = {}  # table → the filter applied when it was read (for notes)


def memo(tables: dict, key: tuple, sources: tuple[str, ...], compute):
    """``compute()`` once per key for a ``Tables``; a plain dict computes every time."""
    if not isinstance(tables, Tables):
        return compute()
    frames = tuple(tables.get(s) for s in sources)
    hit = tables.memo.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], frames)):
        return hit[1].copy(deep=False)
    out = compute()
    tables.memo[key] = (frames, out)
    return out.copy(deep=False)


def _key(values) -> tuple | None:
    return None if values is None else tuple(values)


# the tables a notebook reads (text-level tables — sentences, mentions, sections… — are never loaded)
NOTEBOOK_TABLES = ("reports", "theme_coverage", "indicators", "claims", "conflicts", "measures", "measure_notes",
                   "build_issues")


def _read_table(path: Path, table: str, filters=None) -> pd.DataFrame:
    try:
        df = pd.read_parquet(path, filters=filters)
    except Exception as exc:  # truncated or damaged: say which file, not a pyarrow traceback
        raise BadInputError(f"{path}: cannot be read ({type(exc).__name__}: {str(exc)[:200]}); the file is damaged "
                            "or truncated; rebuild the clean tables with `python -m lib build`") from None
    for col in schema.columns(table):  # tolerate a table written before a column existed
        if col not in df.columns:
            df[col] = pd.Series([None] * len(df), dtype=object)
    return name_unknown_cities(df)


def name_unknown_cities(df: pd.DataFrame) -> pd.DataFrame:
    """A report whose city nobody could tell is a place of its own, ``城市未知（d21）``: it still has a
    row, a bar and a colour, but is never taken for the same place as another such report (a trend
    joining five unknown places' figures, a latest value picked across them)."""
    if "city" not in df.columns:
        return df
    city = df["city"].fillna("").astype(object)
    unknown = city == ""
    if unknown.any():
        rid = next((c for c in ("report_id", "kept_report_id", "numerator_report_id") if c in df.columns), None)
        names = UNKNOWN_CITY + "（" + df[rid].fillna("").astype(str) + "）" if rid else UNKNOWN_CITY
        df["city"] = city.where(~unknown, names).astype(df["city"].dtype)
    return df


def is_unknown_city(city: str) -> bool:
    return str(city).startswith(UNKNOWN_CITY)


def _file_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    try:
        return pq.read_schema(path).names
    except Exception:  # damaged: _read_table says which file
        return []


def clean_folder(clean_dir: str | Path = "data/clean") -> Path:
    """The clean folder to read (the previous set, if a swap was cut between its two renames)."""
    from lib.folders import current

    folder = current(resolve(clean_dir))
    if not (folder / "reports.parquet").is_file():
        raise MinzhengError(f"{folder}: no clean tables found (reports.parquet missing); run `python -m lib build` first")
    return folder


def load_clean(clean_dir: str | Path = "data/clean", tables=None) -> Tables:
    """Every clean table (or those named in ``tables``) as a DataFrame (Parquet); a table not
    written yet is an empty frame. Notebooks use ``load``, which reads only the rows they need."""
    folder = clean_folder(clean_dir)
    out = Tables()
    for table in tables or schema.SCHEMAS:
        path = folder / f"{table}.parquet"
        out[table] = _read_table(path, table) if path.is_file() else empty_frame(table)
    return out


def _isin(column: str, values):
    """A pyarrow expression: column is one of values (an empty list matches nothing, typed as text)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.field(column).isin(pa.array(list(values), type=pa.string()))


def _city_filter(cities_):
    """A pyarrow expression: the city column is one of cities_ (UNKNOWN_CITY: empty or null)."""
    import pyarrow.compute as pc

    names = [c for c in cities_ if not is_unknown_city(c)]
    expr = _isin("city", names)
    if any(is_unknown_city(c) for c in cities_):  # read them all; the notebook keeps the one it asked for
        expr = expr | pc.field("city").is_null() | (pc.field("city") == "")
    return expr


def load(clean_dir: str | Path = "data/clean", theme: str | None = None, cities_=None) -> Tables:
    """The tables a notebook reads, filtered while they are read (pyarrow filters on the Parquet files).

    - no theme, no cities (the overview): every notebook table, all rows;
    - ``theme``: its rows of theme_coverage, indicators, claims, measures and measure_notes, and the
      conflicts of its catalogue indicators;
    - ``cities_`` (a list or a comma-separated string, checked like ``check_cities``; None: all):
      only those cities' rows of every table with a city (theme_coverage: their reports).

    ``reports`` and ``build_issues`` (one row per report at most) are always read whole: they give
    the city list, the periods and the notes every notebook checks its parameters against.
    The text-level tables (sentences, mentions, sections, paragraphs, table cells) are not loaded.
    """
    import pyarrow.compute as pc

    folder = clean_folder(clean_dir)
    if theme is not None:
        theme = check_theme(theme)
    out = Tables()
    out["reports"] = _read_table(folder / "reports.parquet", "reports")
    if cities_ is None or cities_ == "" or cities_ == []:
        cities_ = None
    else:  # a string or a list, each checked against the corpus (as check_cities)
        cities_ = check_cities(cities_, out)
    city_expr = _city_filter(list(cities_)) if cities_ is not None else None
    report_ids = None
    if cities_ is not None:
        rep = out["reports"]
        report_ids = rep.loc[rep["city"].isin(list(cities_)), "report_id"].tolist()
    theme_ids_of = None
    if theme is not None:
        from lib.catalogue import catalogue_frame

        cat = catalogue_frame()
        theme_ids_of = cat.loc[cat["theme"] == theme, "indicator_id"].tolist()
    for table in NOTEBOOK_TABLES[1:]:
        path = folder / f"{table}.parquet"
        if not path.is_file():
            out[table] = empty_frame(table)
            continue
        exprs, what = [], []
        cols = _file_columns(path)  # a file written before a column existed is filtered on what it has
        if theme is not None and "theme" in cols:
            exprs.append(pc.field("theme") == theme)
            what.append(f"theme {theme}")
        elif theme is not None and table == "conflicts":
            exprs.append(_isin("indicator_id", theme_ids_of))
            what.append(f"indicators of theme {theme}")
        if cities_ is not None and "city" in cols:
            exprs.append(city_expr)
            what.append("cities " + "、".join(cities_))
        elif cities_ is not None and table == "theme_coverage":
            exprs.append(_isin("report_id", report_ids))
            what.append("reports of " + "、".join(cities_))
        expr = None
        for e in exprs:
            expr = e if expr is None else expr & e
        out[table] = _read_table(path, table, filters=expr)
        if what:
            out.filtered[table] = "; ".join(what)
    return out


INDEX_COLUMNS = {"theme_coverage": ["report_id", "theme", "n_sentences"], "indicators": ["theme", "indicator_id", "city"]}


def load_index(clean_dir: str | Path = "data/clean") -> Tables:
    """What planning a render needs: the reports, and the theme and city columns of
    theme_coverage and indicators (not their rows' contents)."""
    folder = clean_folder(clean_dir)
    out = Tables(reports=_read_table(folder / "reports.parquet", "reports"))
    for table, cols in INDEX_COLUMNS.items():
        path = folder / f"{table}.parquet"
        if path.is_file():
            try:
                df = pd.read_parquet(path, columns=cols)
            except Exception as exc:
                raise BadInputError(f"{path}: cannot be read ({type(exc).__name__}: {str(exc)[:200]}); rebuild the clean "
                                    "tables with `python -m lib build`") from None
            out[table] = name_unknown_cities(df)
        else:
            out[table] = empty_frame(table)[cols]
    return out


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes (without running the validator)."""
    dtypes = {"str": "str", "int": "int64", "float": "float64", "bool": "bool"}
    cols = {}
    for name, kind, _ in schema.SCHEMAS[table]["columns"]:
        dtype = "Int64" if kind == "int?" else dtypes[kind.rstrip("?")]
        cols[name] = pd.Series([], dtype=dtype)
    return pd.DataFrame(cols)


# --- parameters -------------------------------------------------------------------------------
def cities(tables: dict) -> list[str]:
    """Cities of the corpus, in the order their first report appears."""
    rep = tables["reports"]
    return list(dict.fromkeys(c for c in rep["city"].tolist() if c))


def themes_present(tables: dict, include_general: bool = False) -> list[str]:
    """Themes that have body sentences in at least one report (taxonomy order)."""
    cov = tables["theme_coverage"]
    seen = set(cov.loc[cov["n_sentences"] > 0, "theme"]) | set(tables["indicators"]["theme"])
    return [t for t in theme_ids() if t in seen and (include_general or t != "general")]


def check_theme(theme: str) -> str:
    if theme not in theme_ids():
        raise MinzhengError(f"unknown theme {theme!r}; valid themes: {', '.join(theme_ids())}")
    return theme


def check_city(city: str, tables: dict) -> str:
    valid = cities(tables)
    if city not in valid:
        raise MinzhengError(f"unknown city {city!r}; cities in the corpus: {', '.join(valid) or '(none — build first)'}")
    return city


def check_cities(selected, tables: dict) -> list[str]:
    """None → every city; a string or a list → each checked."""
    if selected is None or selected == "" or selected == []:
        return cities(tables)
    if isinstance(selected, str):
        selected = [s for s in re.split(r"[,，\s]+", selected) if s]
    unknown = [c for c in cities(tables) if is_unknown_city(c)]  # 城市未知: every report whose city is unknown
    return list(dict.fromkeys(c for s in selected for c in (unknown if s == UNKNOWN_CITY and unknown
                                                                else [check_city(s, tables)])))


def check_periods(periods, tables: dict) -> list[str] | None:
    """None → all; else report periods (``2024``, ``2025H1`` …) or years; unknown ones are an error."""
    if periods is None or periods == "" or periods == []:
        return None
    if isinstance(periods, (str, int)):
        periods = [p for p in re.split(r"[,，\s]+", str(periods)) if p]
    rep = tables["reports"]
    valid = set(rep["period"].astype(str)) | set(rep["year"].astype(str))
    bad = [str(p) for p in periods if str(p) not in valid]
    if bad:
        raise MinzhengError(f"unknown period(s) {', '.join(bad)}; periods in the corpus: "
                            f"{', '.join(sorted(set(rep['period'].astype(str))))} (or a year: {', '.join(sorted(set(rep['year'].astype(str))))})")
    return [str(p) for p in periods]


def select_reports(tables: dict, cities_=None, periods=None) -> pd.DataFrame:
    """Report rows for the given cities and periods (period string or year), oldest first."""
    rep = tables["reports"].copy()
    if cities_ is not None:
        rep = rep[rep["city"].isin(cities_)]
    if periods:
        p = set(map(str, periods))
        rep = rep[rep["period"].astype(str).isin(p) | rep["year"].astype(str).isin(p)]
    rep = rep.assign(_end=rep["period"].map(period_end)).sort_values(["_end", "city", "report_id"])
    return rep.drop(columns="_end").reset_index(drop=True)


# --- formatting ---------------------------------------------------------------------------------
def period_end(period) -> float:
    """A sortable position for a period string: year + month/12 of the period's end.

    ``2024`` → 2025.0, ``2024-12`` → 2025.0, ``2025H1`` → 2025.5, ``2016-2018`` → 2019.0.
    Unknown text → NaN (sorts last). One parser for the suite: ``lib.comparability.parse_period``.
    """
    return comparability.period_end(period)


def scale_for(values, unit: str) -> tuple[float, str]:
    """(divisor, unit label) so large counts and sums read as 万 / 亿 (charts and tables)."""
    if "/" in unit or unit in ("%", "‰"):
        return 1.0, unit
    vals = pd.to_numeric(pd.Series(list(values)), errors="coerce").abs()
    return _scale(float(vals.max()) if len(vals) and vals.notna().any() else 0.0, unit)


def _scale(top: float, unit: str) -> tuple[float, str]:
    if "/" in unit or unit in ("%", "‰"):
        return 1.0, unit
    if top >= 1e8:
        return 1e8, "亿" + unit
    if top >= 1e5:
        return 1e4, "万" + unit
    return 1.0, unit


def format_value(value, unit: str = "", qualifier: str = "exact", with_unit: bool = True) -> str:
    """``≈130万人次``, ``≥95%``, ``1,120元/人/月``: the sign of the qualifier, the number, the unit."""
    if value is None or pd.isna(value):
        return ""
    unit = unit if isinstance(unit, str) else ""
    div, label = _scale(abs(float(value)), unit)  # one number: no pandas on the way (called per row)
    v = float(value) / div
    if div == 1.0 and float(v).is_integer():
        num = f"{int(v):,}"
    elif div == 1.0:
        num = f"{v:,.2f}".rstrip("0").rstrip(".")
    else:
        num = f"{v:,.2f}".rstrip("0").rstrip(".")
    return f"{QUALIFIER_SIGN.get(qualifier, '')}{num}{label if with_unit else ''}"


def report_label(row) -> str:
    """``厦门市 2024`` for a report row (city and period)."""
    return f"{row['city']} {row['period']}"


def source_note(tables: dict, report_ids) -> str:
    """``来源: 厦门市 2024 (000_b35a7575ec011088); …`` for the reports a figure or table uses."""
    rep = tables["reports"]
    ids = list(dict.fromkeys(report_ids))
    if not ids:
        return "来源: 民政工作报告 (无数据)"
    sub = rep[rep["report_id"].isin(ids)]
    sub = sub.assign(_end=comparability.period_ends(sub["period"])).sort_values(["city", "_end"])
    parts = [f"{c} {p} ({i})" for c, p, i in zip(sub["city"], sub["period"], sub["report_id"])]
    if len(parts) > MAX_SOURCES:  # many reports: one line on the slide; the data CSV names every value's report
        period = sub["period"].fillna("").astype(str).str.strip()
        ordered = sub.assign(_p=period)[period != ""].sort_values("_end", na_position="first")["_p"]
        undated = int((period == "").sum())  # a report whose period the text does not say
        span = ([f"{ordered.iloc[0]} 至 {ordered.iloc[-1]}"] if len(ordered) else []) + \
            ([f"{undated} 份未注明期间"] if undated else [])
        return (f"来源: {sub['city'].nunique()} 个城市的 {len(parts)} 份报告（{'，'.join(span)}）；"
                "每个数值的报告编号见图表数据（CSV）")
    return "来源: " + "; ".join(parts)


MAX_SOURCES = 12  # reports a source note names one by one


# --- many cities -----------------------------------------------------------------------------------
TOP_N = 10  # cities a comparison figure draws one by one at most; the others are summarised (README: many cities)
BAR_BUDGET = 12  # bars a figure of several groups draws at most (about a slide's width of legible labels)


def part_labels(df: pd.DataFrame) -> list[str]:
    """``part_label`` of every row, without building a Series per row."""
    scopes = df["scope"] if "scope" in df else pd.Series(["city"] * len(df), index=df.index)
    details = df["scope_detail"] if "scope_detail" in df else pd.Series([""] * len(df), index=df.index)
    out = []
    for sc, d in zip(scopes, details):
        sc = "city" if _missing(sc) else str(sc)
        bits = [sc if sc not in comparability.WHOLE_AREA else "", "" if _missing(d) else str(d)]
        out.append(" ".join(b for b in bits if b))
    return out


def _missing(v) -> bool:
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def limit_cities(data: pd.DataFrame, n: int | None = None, by: str = "value") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bars to draw when a comparison has more than ``n`` cities, and a summary of the others.

    ``n`` (default): ``TOP_N`` for one group, fewer when there are several, so the whole figure
    stays within about ``BAR_BUDGET`` bars (never fewer than 3 a group).
    Within each ``group`` (a kind of figure: ``views.comparison``) and status, the ``n`` cities with
    the largest totals are drawn; parts are not (they stay in the table and the CSV), so a bar
    always stands beside bars of its own kind. The other cities' totals of that group and status
    become one summary row: ``n_cities``, the median (``value``), ``low`` and ``high``. With ``n``
    cities or fewer, the data comes back unchanged and the summary is empty.
    """
    cols = ["group", "status", "n_cities", "value", "low", "high", "cities", "n_shown"]
    if n is None:
        n_groups = len(data.drop_duplicates([c for c in ("group", "status") if c in data])) if len(data) else 1
        n = max(3, min(TOP_N, BAR_BUDGET // max(n_groups, 1) - 1))
    if data.empty or data["city"].nunique() <= n:
        return data, pd.DataFrame({c: [] for c in cols})
    role = (data["role"] if "role" in data else data["aggregate"] if "aggregate" in data
            else pd.Series("total", index=data.index))
    totals = data[role != "part"]
    group = totals["group"] if "group" in totals else pd.Series([""] * len(totals), index=totals.index)
    keep, rest = [], []
    for (g, st), sub in totals.groupby([group, totals["status"]], sort=False):
        ranked = sub.sort_values(by, ascending=False, kind="stable")
        top_cities = list(dict.fromkeys(ranked["city"]))[:n]
        shown = sub["city"].isin(top_cities)
        keep.append(sub[shown])
        others = sub[~shown]
        if len(others):
            rest.append({"group": g, "status": st, "n_cities": others["city"].nunique(),
                         "value": float(others[by].median()), "low": float(others[by].min()),
                         "high": float(others[by].max()), "cities": "、".join(dict.fromkeys(others["city"])),
                         "n_shown": n})
    shown = pd.concat(keep) if keep else data.iloc[:0]
    return shown.loc[[i for i in data.index if i in set(shown.index)]], pd.DataFrame(rest, columns=cols)


def _with_report_meta(df: pd.DataFrame, tables: dict) -> pd.DataFrame:
    rep = tables["reports"][["report_id", "period", "year", "report_type"]].rename(columns={"period": "report_period"})
    return df.merge(rep, on="report_id", how="left")


def _select(tables: dict, name: str, theme: str | None, cities_, periods) -> pd.DataFrame:
    """Rows of a clean table for a theme, cities and report periods, with the report's metadata."""
    df = tables[name]
    if theme is not None:
        df = df[df["theme"] == check_theme(theme)]
    if cities_ is not None:
        df = df[df["city"].isin(cities_)]
    df = _with_report_meta(df.copy(), tables)
    if periods:
        p = set(map(str, periods))
        df = df[df["report_period"].astype(str).isin(p) | df["year"].astype(str).isin(p)]
    return df


# --- indicators -----------------------------------------------------------------------------------
IND_EXTRA = ["figure_kind", "period_type", "period_zh", "aggregate", "split", "basis", "wording", "wording_rank",
             "preferred"]


def indicators(tables: dict, theme: str | None = None, cities_=None, periods=None) -> pd.DataFrame:
    """Indicator observations with a display column (``display``: sign + value + unit) and order keys."""
    return _part_of_whole(tables, "indicators", theme, cities_, (_key(periods),),
                          lambda th, ci: _indicators(tables, th, ci, periods))


def _part_of_whole(tables: dict, view: str, theme, cities_, rest: tuple, compute) -> pd.DataFrame:
    """A view of one theme and some cities, cut from the memo's view of every loaded row.

    A notebook asks for the same view with different theme and city selections (its tables, a
    figure, a note); computed once for all and filtered, it costs one computation, not one per
    selection. The views keep rows in a stable order that depends on the row alone, and group by
    city and indicator, so the cut equals computing on the selection (tests/test_render_scale.py).
    A plain dict (no memo) computes the selection directly; so does a cut that leaves nothing, so
    that an empty view keeps its own columns.
    """
    if not isinstance(tables, Tables):
        return compute(theme, cities_)
    whole = memo(tables, (view,) + rest, ("indicators", "reports"), lambda: compute(None, None))
    if whole.empty or (theme is None and cities_ is None):
        return whole
    keep = pd.Series(True, index=whole.index)
    if theme is not None:
        keep &= whole["theme"] == check_theme(theme)
    if cities_ is not None:
        keep &= whole["city"].isin(list(cities_))
    if not keep.any():  # an empty view has its own columns
        return memo(tables, (view, theme, _key(cities_)) + rest, ("indicators", "reports"), lambda: compute(theme, cities_))
    return whole[keep].reset_index(drop=True)


def _indicators(tables: dict, theme, cities_, periods) -> pd.DataFrame:
    ind = _select(tables, "indicators", theme, cities_, periods)
    if ind.empty:
        return ind.assign(display=pd.Series(dtype=object), period_end=pd.Series(dtype=float)).reset_index(drop=True)
    if ind["figure_kind"].isna().all():  # a clean folder written before the comparability stage
        ind = comparability.annotate(ind.drop(columns=IND_EXTRA))
    ind = ind.assign(
        display=[format_value(v, u, q) for v, u, q in zip(ind["value"], ind["unit"], ind["qualifier"])],
        period_end=comparability.period_ends(ind["period"]).fillna(ind["year"].astype(float) + 1.0),
        preferred=ind["preferred"].fillna(True).astype(bool),
    )
    order = {t: i for i, t in enumerate(theme_ids())}
    return (ind.assign(_t=ind["theme"].map(order))
            .sort_values(["_t", "indicator_id", "city", "period_end", "char_start"]).drop(columns="_t").reset_index(drop=True))


LATEST_COLUMNS = ["city", "theme", "indicator_id", "name_zh", "unit", "scope_detail", "status", "status_zh", "value",
                  "qualifier", "display", "period", "period_zh", "period_end", "scope", "figure_kind", "aggregate",
                  "split", "basis", "wording", "wording_rank", "report_id", "source_text", "char_start", "char_end",
                  "n_obs"]


def latest(tables: dict, theme: str | None = None, cities_=None, periods=None, include_planned: bool = True) -> pd.DataFrame:
    """The latest actual value per city × indicator × scope × scope_detail, and (marked) the latest planned one.

    Only ``preferred`` rows count (a value that lost a conflict never shows). A part (a
    scope_detail or a district) is its own row, never merged into the city's total. Within a
    period, exact beats approximate and the first mention in the text wins.
    """
    return _part_of_whole(tables, "latest", theme, cities_, (_key(periods), include_planned),
                          lambda th, ci: _latest(tables, th, ci, periods, include_planned))


def _latest(tables: dict, theme, cities_, periods, include_planned: bool) -> pd.DataFrame:
    ind = indicators(tables, theme, cities_, periods)
    keep = ["actual", "planned"] if include_planned else ["actual"]
    ind = ind[ind["status"].isin(keep) & ind["preferred"]] if not ind.empty else ind
    if ind.empty:
        return pd.DataFrame({c: [] for c in LATEST_COLUMNS})
    # a part is its own row; the highest tier of a standard is the standard itself (a total)
    key = ["city", "indicator_id", "scope", "_part_of", "status"]
    ind = ind.assign(_part_of=ind["scope_detail"].where(ind["aggregate"] == "part", ""))
    ranked = ind.assign(_exact=(ind["qualifier"] == "exact").astype(int))
    ranked = ranked.sort_values(["period_end", "_exact", "char_start"], ascending=[False, False, True])
    n_obs = ranked.groupby(key, dropna=False).size().rename("n_obs").reset_index()
    best = ranked.drop_duplicates(key, keep="first").merge(n_obs, on=key, how="left")
    best = best.assign(status_zh=best["status"].map(STATUS_ZH))
    best["_s"] = best["status"].map({"actual": 0, "planned": 1})
    order = {t: i for i, t in enumerate(theme_ids())}
    corder = {c: i for i, c in enumerate(cities(tables))}
    best = best.assign(_t=best["theme"].map(order), _c=best["city"].map(corder),
                       _part=(best["aggregate"] == "part").astype(int))
    best = best.sort_values(["_t", "indicator_id", "_s", "_c", "_part", "scope", "scope_detail"])
    return best[LATEST_COLUMNS].reset_index(drop=True)


def part_label(row) -> str:
    """``集中`` / ``思明区`` / ``思明区 农村`` for a part; '' for a total."""
    bits = [str(row.get("scope", "city")) if str(row.get("scope", "city")) not in comparability.WHOLE_AREA else "",
            str(row.get("scope_detail") or "")]
    return " ".join(b for b in bits if b)


def latest_wide(tables: dict, theme: str | None = None, cities_=None, periods=None) -> pd.DataFrame:
    """City × indicator display table (latest actual; planned-only shown as ``目标 …``). For display only."""
    lat = latest(tables, theme, cities_, periods)
    if lat.empty:
        return pd.DataFrame()
    lat = lat.assign(
        column=lat["name_zh"] + pd.Series([f"（其中 {p}）" if a == "part" else "" for p, a in
                                           zip(part_labels(lat), lat["aggregate"])], index=lat.index)
        + " [" + lat["unit"] + "]",
        cell=(lat["display"] + " (" + lat["period_zh"] + ")").where(lat["status"] == "actual",
                                                                   "目标 " + lat["display"] + " (" + lat["period_zh"] + ")"),
    )
    actual = lat[lat["status"] == "actual"]
    planned_only = lat[(lat["status"] == "planned") & ~lat.set_index(["city", "column"]).index.isin(actual.set_index(["city", "column"]).index)]
    both = pd.concat([actual, planned_only])
    wide = both.pivot_table(index="city", columns="column", values="cell", aggfunc="first", sort=False).fillna("")
    wide.columns.name = None
    return wide.reset_index()


def latest_numbers(tables: dict, theme: str | None = None, cities_=None, periods=None) -> pd.DataFrame:
    """The latest values as numbers, one row per city × indicator × part × status, for the workbook:
    value in the catalogue unit, with the period, kind of figure and source beside it."""
    lat = latest(tables, theme, cities_, periods)
    cols = ["city", "theme", "indicator_id", "name_zh", "part", "status_zh", "qualifier", "value", "unit", "period_zh",
            "figure_kind", "basis", "report_id", "source_text"]
    if lat.empty:
        return pd.DataFrame({c: [] for c in cols})
    lat = lat.assign(part=part_labels(lat))
    return lat[cols]


def comparison(tables: dict, indicator_id: str, cities_=None, periods=None) -> pd.DataFrame:
    """The bars of a "latest" comparison of one indicator, in the order they are drawn.

    Rules: totals are compared with totals and parts drawn under their own city's total (``role``
    total/part); bars fall into groups by ``basis`` (a one-year flow never stands in the group of a
    cumulative span or a half-year; targets are a group of their own), groups in the order
    stock/standard/share, year, half, months, span, target.
    """
    lat = latest(tables, None, cities_, periods)
    data = lat[lat["indicator_id"] == indicator_id].copy()
    if data.empty:
        return data.assign(role=pd.Series(dtype=object), group=pd.Series(dtype=object), label=pd.Series(dtype=object))
    rank = {"stock": 0, "standard": 0, "share": 0, "flow:year": 1, "flow:quarter": 3, "flow:half": 2, "target": 9}

    def brank(b: str) -> float:
        if b in rank:
            return rank[b]
        if b.startswith("flow:months"):
            return 4
        if b.startswith("flow:span"):
            return 5 + int(b[9:] or 0) / 100
        return 8

    corder = {c: i for i, c in enumerate(cities(tables))}
    # a province-wide figure is a group of its own after its kind's city group: never a bar among cities' totals
    province = (data["scope"] == "province").to_numpy()
    kind = data["basis"].map(comparability.basis_label)
    data = data.assign(role=data["aggregate"], group=kind.where(~province, kind + "（全省）"),
                       _b=data["basis"].map(brank) + np.where(province, 0.5, 0.0), _c=data["city"].map(corder),
                       _p=(data["aggregate"] == "part").astype(int),
                       label=part_labels(data))
    # a part stands under its city's total only when it is of the same period (an old split is not a part of a new total)
    total_period = data[data["role"] == "total"].set_index(["city", "basis", "status"])["period"].to_dict()
    stale = [(r.role == "part" and total_period.get((r.city, r.basis, r.status), r.period) != r.period)
             for r in data.itertuples()]
    data = data[~pd.Series(stale, index=data.index)]
    data = data.sort_values(["_b", "_c", "_p", "split", "label"])
    return data.drop(columns=["_b", "_c", "_p"]).reset_index(drop=True)


TREND_SERIES = 6  # lines a trend figure draws at most


def limit_series(data: pd.DataFrame, n: int = TREND_SERIES) -> tuple[pd.DataFrame, int]:
    """The points of a trend figure (``trend`` rows) when it has more than ``n`` series: the ``n``
    series with the largest latest value; and how many series were left out."""
    names = list(dict.fromkeys(data["series"]))
    if len(names) <= n:
        return data, 0
    last = data.sort_values("period_end").groupby("series", sort=False)["value"].last()
    keep = set(last.sort_values(ascending=False, kind="stable").index[:n])
    return data[data["series"].isin(keep)], len(names) - n


def latest_share(share: pd.DataFrame) -> pd.DataFrame:
    """``theme_share`` rows of each city's latest report (one bar per city when reports are many)."""
    if share.empty:
        return share
    ordered = share.assign(_end=comparability.period_ends(share["period"].astype(str)))
    ordered = ordered.sort_values(["_end", "report_id"], kind="stable")
    return ordered.drop_duplicates("city", keep="last").sort_values("_end", kind="stable").drop(columns="_end")


def comparison_note(data: pd.DataFrame) -> str:
    """The Chinese 注 under a comparison: each city's period where they differ, groups of unlike
    kinds, cities that give only parts, and wordings that differ from city to city."""
    if data is None or data.empty:
        return ""
    notes = []
    groups = list(dict.fromkeys(data["group"])) if "group" in data else []
    data = data[data["status"] == "actual"] if (data["status"] == "actual").any() else data
    periods = data.drop_duplicates(["city", "period_zh"])
    if data["period_zh"].nunique() > 1:
        by_city = periods.groupby("city", sort=False)["period_zh"].agg(lambda s: "、".join(dict.fromkeys(s)))
        notes.append("各市数据期间不同——" + "；".join(f"{c} {p}" for c, p in by_city.items()))
    if len(groups) > 1:
        notes.append("“" + "”“".join(groups) + "”分组显示，组间不可直接比较")
    totals = set(data.loc[data["aggregate"] == "total", "city"])
    only_parts = [c for c in dict.fromkeys(data.loc[data["aggregate"] == "part", "city"]) if c not in totals]
    if only_parts:
        notes.append("、".join(only_parts) + "仅有分项数据，无全市合计，分项不与他市合计比较")
    words = data[data["wording"].fillna("") != ""].drop_duplicates(["city", "wording"])
    if words["city"].nunique() > 1 and words["wording"].nunique() > 1:
        by_city = words.groupby("city", sort=False)["wording"].agg(lambda s: "/".join(f"“{w}”" for w in s))
        notes.append("各市口径措辞不同——" + "；".join(f"{c} {w}" for c, w in by_city.items()))
    return "注：" + "。".join(notes) + "。" if notes else ""


def trend(tables: dict, city: str | None = None, theme: str | None = None, min_points: int = 2) -> pd.DataFrame:
    """Actual values over time: one row per point of a series.

    A series is one city × indicator × scope × scope_detail × ``basis``: a trend joins only
    figures of the same kind over the same length of period (a one-year total never continues a
    three-year cumulative one) and never a part with its total. Only ``preferred`` rows count;
    on one period the latest report wins. Series with fewer than ``min_points`` periods are dropped.
    """
    return memo(tables, ("trend", city, theme, min_points), ("indicators", "reports"),
                lambda: _trend(tables, city, theme, min_points))


def _trend(tables: dict, city, theme, min_points: int) -> pd.DataFrame:
    cities_ = [check_city(city, tables)] if city else None
    ind = indicators(tables, theme, cities_)
    cols = ["city", "theme", "indicator_id", "name_zh", "unit", "scope", "scope_detail", "aggregate", "basis", "series",
            "period", "period_zh", "period_end", "value", "qualifier", "display", "wording", "report_id", "source_text"]
    if ind.empty:
        return pd.DataFrame({c: [] for c in cols})
    ind = ind[(ind["status"] == "actual") & ind["preferred"]]
    key = ["city", "indicator_id", "scope", "scope_detail", "basis"]
    ind = (ind.sort_values(["period_end", "report_id", "char_start"], ascending=[True, False, True])
           .drop_duplicates(key + ["period"]))
    n = ind.groupby(key)["period_end"].transform("nunique")
    out = ind[n >= min_points]
    out = out.assign(series=[f"{c}{' ' + p if a == 'part' else ''}（{comparability.basis_label(b)}）"
                             for c, p, a, b in zip(out["city"], part_labels(out), out["aggregate"], out["basis"])])
    return out.sort_values(["indicator_id", "basis", "city", "scope", "scope_detail", "period_end"])[cols].reset_index(drop=True)


def trend_note(data: pd.DataFrame) -> str:
    """The 注 under a trend: what kind of figure the line joins, and wordings that change along it."""
    if data is None or data.empty:
        return ""
    kinds = "、".join(comparability.basis_label(b) for b in dict.fromkeys(data["basis"]))
    notes = [f"每条线只连接同一口径的数值（{kinds}）；不同期间长度或分项不相连"]
    changes: dict[str, list[str]] = {}  # a sequence of wordings -> the series that follow it, named once
    for s, g in data.groupby("series", sort=False):
        words = list(dict.fromkeys(w for w in g["wording"] if w))
        if len(words) > 1:
            changes.setdefault(" → ".join(f"{p}“{w}”" for p, w in zip(g["period_zh"], g["wording"])), []).append(str(s))
    notes += [f"{'、'.join(names)}各期措辞不同：{sequence}" for sequence, names in changes.items()]
    return "注：" + "。".join(notes) + "。"


def multi_report_cities(tables: dict) -> list[str]:
    """Cities with more than one report (the ones a trend can be drawn for)."""
    counts = tables["reports"]["city"].value_counts()
    return [c for c in cities(tables) if counts.get(c, 0) > 1]


def allowance_standards(tables: dict, theme: str | None = None, cities_=None, periods=None) -> pd.DataFrame:
    """Latest per-person monthly standards (元/人/月), actual and planned, for the grouped-bar chart."""
    lat = latest(tables, theme, cities_, periods)
    return lat[lat["unit"] == "元/人/月"].reset_index(drop=True) if not lat.empty else lat



# --- derived measures ---------------------------------------------------------------------------
MEASURE_COLUMNS = ["measure_id", "theme", "city", "name_zh", "area", "measure_label", "status", "status_zh", "period",
                   "period_zh", "value", "unit", "qualifier", "display", "stated_display", "numerator_display",
                   "denominator_display", "denominator_source", "year_rule_zh", "note", "definition",
                   "numerator_report_id", "numerator_source_text", "denominator_source_url", "stated_value",
                   "numerator_value", "denominator_value", "denominator_year", "aggregate", "denominator_source_title",
                   "denominator_source_issuer", "denominator_source_date"]
YEAR_RULE_ZH = {"same_year_end": "分母取同年年末", "previous_year": "分母取上一年"}


def measure_label(name_zh: str, area: str) -> str:
    """``低保覆盖率`` for the whole city, ``低保覆盖率（农村）`` for a part."""
    return name_zh + (f"（{area}）" if area and area != "全市" else "")


def measures(tables: dict, theme: str | None = None, cities_=None) -> pd.DataFrame:
    """Derived measures (``measures`` table) for display: the value, the rate the report states where
    it does, both inputs and both sources, the year rule and the notes, oldest period first."""
    m = tables["measures"] if "measures" in tables else empty_frame("measures")
    if theme is not None:
        m = m[m["theme"] == check_theme(theme)]
    if cities_ is not None:
        m = m[m["city"].isin(cities_)]
    if m.empty:
        return pd.DataFrame({c: [] for c in MEASURE_COLUMNS})
    m = m.copy()
    year_end = m["denominator_series"] != "consumption_per_capita"
    m["measure_label"] = [measure_label(n, a) for n, a in zip(m["name_zh"], m["area"])]
    m["status_zh"] = m["status"].map(STATUS_ZH)
    m["display"] = [format_value(round(v, 2), u, q) for v, u, q in zip(m["value"], m["unit"], m["qualifier"])]
    m["stated_display"] = [format_value(v, u) if pd.notna(v) else "" for v, u in zip(m["stated_value"], m["unit"])]
    m["numerator_display"] = [f"{format_value(v, u, q)}（{n}，{p}，报告 {r}）" for v, u, q, n, p, r in
                              zip(m["numerator_value"], m["numerator_unit"], m["qualifier"], m["numerator_name_zh"],
                                  m["period_zh"], m["numerator_report_id"])]
    m["denominator_display"] = [f"{format_value(v, u)}（{y}年{'末' if ye else '全年'}{n}{'，' + a if a != '全市' else ''}）"
                                for v, u, y, ye, n, a in zip(m["denominator_value"], m["denominator_unit"],
                                                             m["denominator_year"], year_end, m["denominator_name_zh"],
                                                             m["area"])]
    m["denominator_source"] = [f"《{t.strip('[]')}》，{i}，{d}" for t, i, d in
                               zip(m["denominator_source_title"], m["denominator_source_issuer"],
                                   m["denominator_source_date"])]
    m["year_rule_zh"] = m["year_rule"].map(YEAR_RULE_ZH)
    morder = {k: i for i, k in enumerate(_measure_ids())}
    corder = {c: i for i, c in enumerate(cities(tables))}
    m = m.assign(_m=m["measure_id"].map(morder), _c=m["city"].map(corder), _e=m["period"].map(period_end),
                 _a=m["area"].map({"全市": 0, "城镇": 1, "农村": 2}))
    m = m.sort_values(["_m", "_c", "_e", "_a"])
    return m[MEASURE_COLUMNS].reset_index(drop=True)


def _measure_ids() -> list[str]:
    from lib.derived import measures as catalogue_of_measures

    return list(catalogue_of_measures())


def measure_notes(tables: dict, theme: str | None = None, cities_=None) -> pd.DataFrame:
    """Derived measures not computed, and why (``measure_notes`` table), for the data-quality notes."""
    n = tables["measure_notes"] if "measure_notes" in tables else empty_frame("measure_notes")
    if theme is not None:
        n = n[n["theme"] == check_theme(theme)]
    if cities_ is not None:
        n = n[n["city"].isin(cities_)]
    return n.reset_index(drop=True)


def measure_source_note(tables: dict, data: pd.DataFrame) -> str:
    """Both sources of derived values: the reports of the numerators and the documents of the denominators."""
    reports = source_note(tables, data["numerator_report_id"]).removeprefix("来源: ")
    docs = "; ".join(dict.fromkeys(data["denominator_source"]))
    return f"来源: 分子 {reports}；分母 {docs}"


# --- themes --------------------------------------------------------------------------------------
def theme_share(tables: dict, theme: str | None = None, cities_=None, periods=None) -> pd.DataFrame:
    """Share of each report's body sentences (by characters) per theme; absent themes are 0.

    Columns: report_id, city, period, label, theme, theme_name, n_sentences, n_chars, share.
    """
    rep = select_reports(tables, cities_, periods)
    cols = ["report_id", "city", "period", "label", "theme", "theme_name", "n_sentences", "n_chars", "share"]
    if rep.empty:
        return pd.DataFrame({c: [] for c in cols})
    themes = [check_theme(theme)] if theme else theme_ids()
    grid = pd.MultiIndex.from_product([rep["report_id"], themes], names=["report_id", "theme"]).to_frame(index=False)
    cov = tables["theme_coverage"][["report_id", "theme", "n_sentences", "n_chars", "share"]]
    out = grid.merge(cov, on=["report_id", "theme"], how="left").fillna({"n_sentences": 0, "n_chars": 0, "share": 0.0})
    out = out.merge(rep[["report_id", "city", "period"]].assign(label=report_labels(rep)), on="report_id", how="left")
    out["theme_name"] = out["theme"].map(theme_names())
    out[["n_sentences", "n_chars"]] = out[["n_sentences", "n_chars"]].astype(int)
    return out[cols]


def report_labels(rep: pd.DataFrame) -> pd.Series:
    """A name for each report that no other report shares: ``城市 期间``, then its type where a city has
    several reports of one period (a work summary and a bulletin of 2024), then its id where that is not enough.

    Two reports under one name would be added together as one (a theme share of 180%).
    """
    label = rep["city"].astype(str) + " " + rep["period"].astype(str)
    if label.duplicated(keep=False).any():
        kind = rep["report_type"].map(labels.values("report_type")).fillna(rep["report_type"]).fillna("")
        label = label.where(~label.duplicated(keep=False), label + " " + kind.astype(str))
    if label.duplicated(keep=False).any():
        label = label.where(~label.duplicated(keep=False), label + " " + rep["report_id"].astype(str))
    return label


def theme_share_wide(tables: dict, cities_=None, periods=None, include_general: bool = True) -> pd.DataFrame:
    """Report (rows, oldest first) × theme name (columns) share matrix, for the heatmap."""
    long = theme_share(tables, None, cities_, periods)
    if long.empty:
        return pd.DataFrame()
    if not include_general:
        long = long[long["theme"] != "general"]
    keep = long.groupby("theme")["share"].sum()
    long = long[long["theme"].isin(keep[keep > 0].index)]
    rows = list(dict.fromkeys(long["label"]))
    colnames = [theme_names()[t] for t in theme_ids() if t in set(long["theme"])]
    wide = long.pivot_table(index="label", columns="theme_name", values="share", aggfunc="sum").reindex(index=rows, columns=colnames)
    wide.index.name = "report"
    wide.columns.name = None
    return wide


# --- narrative ------------------------------------------------------------------------------------
def narrative(tables: dict, theme: str | None = None, cities_=None, periods=None) -> pd.DataFrame:
    """Claims (rankings, firsts, pilots, awards, plans) per theme and city, each citing its sentence.

    Columns: city, period, claim_type, claim_type_zh, status, scope, rank, phrase, source_text,
    report_id, sentence_id, char_start, char_end.
    """
    cl = _select(tables, "claims", theme, cities_, periods)
    cols = ["city", "theme", "period", "claim_type", "claim_type_zh", "status", "scope", "rank", "phrase", "source_text",
            "report_id", "sentence_id", "char_start", "char_end"]
    if cl.empty:
        return pd.DataFrame({c: [] for c in cols})
    cl = cl.assign(period=cl["report_period"], claim_type_zh=cl["claim_type"].map(CLAIM_TYPE_ZH).fillna(cl["claim_type"]),
                   _end=comparability.period_ends(cl["report_period"]))
    type_order = {t: i for i, t in enumerate(CLAIM_TYPE_ZH)}
    cl = cl.assign(_k=cl["claim_type"].map(type_order)).sort_values(["city", "_end", "_k", "char_start"])
    return cl[cols].reset_index(drop=True)


# --- availability and data quality ------------------------------------------------------------------
def catalogue() -> pd.DataFrame:
    from importlib import resources

    with resources.files("lib.data").joinpath("indicator_catalog.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)[["indicator_id", "theme", "name_zh", "unit"]]


def availability(tables: dict, theme: str | None = None, cities_=None) -> pd.DataFrame:
    """Long city × catalogue indicator grid: observation counts and a level (2 actual, 1 planned/baseline only, 0 none)."""
    cat = catalogue()
    if theme is not None:
        cat = cat[cat["theme"] == check_theme(theme)]
    cs = cities_ if cities_ is not None else cities(tables)
    grid = pd.MultiIndex.from_product([cs, cat["indicator_id"]], names=["city", "indicator_id"]).to_frame(index=False)
    ind = tables["indicators"]
    counts = (ind.groupby(["city", "indicator_id", "status"]).size().unstack("status", fill_value=0)
              if not ind.empty else pd.DataFrame())
    for s in ("actual", "planned", "baseline"):
        if s not in counts.columns:
            counts[s] = 0
    counts = counts[["actual", "planned", "baseline"]].add_prefix("n_").reset_index() if not counts.empty else \
        pd.DataFrame(columns=["city", "indicator_id", "n_actual", "n_planned", "n_baseline"])
    out = grid.merge(counts, on=["city", "indicator_id"], how="left").merge(cat, on="indicator_id", how="left")
    for c in ("n_actual", "n_planned", "n_baseline"):
        out[c] = pd.to_numeric(out[c], errors="coerce").fillna(0).astype(int)
    out["level"] = (out["n_actual"] > 0) * 2 + ((out["n_actual"] == 0) & ((out["n_planned"] + out["n_baseline"]) > 0)) * 1
    return out[["city", "theme", "indicator_id", "name_zh", "unit", "n_actual", "n_planned", "n_baseline", "level"]]


def availability_wide(tables: dict, theme: str | None = None, cities_=None) -> pd.DataFrame:
    """City × indicator matrix for display: ● actual value, ○ planned/baseline only, blank none."""
    long = availability(tables, theme, cities_)
    if long.empty:
        return pd.DataFrame()
    long = long.assign(mark=long["level"].map({2: "●", 1: "○", 0: ""}))
    names = list(dict.fromkeys(long["name_zh"]))
    wide = long.pivot_table(index="city", columns="name_zh", values="mark", aggfunc="first", sort=False).reindex(columns=names)
    wide.columns.name = None
    return wide.reset_index()


def data_notes(tables: dict, theme: str | None = None, cities_=None) -> pd.DataFrame:
    """What an analyst should know before trusting a comparison: build errors/warnings and data caveats."""
    rows = []
    issues = tables["build_issues"]
    rep = tables["reports"]
    ids = set(rep.loc[rep["city"].isin(cities_), "report_id"]) if cities_ is not None else None
    for r in issues.itertuples():
        if ids is not None and r.report_id and r.report_id not in ids and r.report_id in set(rep["report_id"]):
            continue
        rows.append({"severity": r.severity, "report_id": r.report_id, "note": f"{r.file}: {r.message}"})
    ind = indicators(tables, theme, cities_)
    if tables["indicators"].empty and not getattr(tables, "filtered", {}).get("indicators"):
        rows.append({"severity": "info", "report_id": "", "note": "indicators table is empty: no indicator values extracted yet"})
    elif ind.empty:
        rows.append({"severity": "info", "report_id": "", "note": "no indicator values for this selection"})
    else:
        for r in ind[ind["qualifier"] != "exact"].itertuples():
            rows.append({"severity": "info", "report_id": r.report_id,
                         "note": f"{r.city} {r.name_zh} {r.display} ({r.period}): value is {r.qualifier} — compare with care"})
        for r in ind[ind["scope"] != "city"].itertuples():
            rows.append({"severity": "info", "report_id": r.report_id,
                         "note": f"{r.city} {r.name_zh} {r.display}: covers {r.scope} only, not the whole city"})
        per_type = ind.drop_duplicates(["report_id"]).merge(rep[["report_id", "report_type"]], on="report_id", how="left",
                                                          suffixes=("_x", ""))
        for r in per_type[per_type["report_type"].isin(["news_feature", "other"])].itertuples():
            rows.append({"severity": "info", "report_id": r.report_id,
                         "note": f"{r.city} {r.report_period}: report type {r.report_type} — figures may be selective"})
    for r in measure_notes(tables, theme, cities_).itertuples():
        stated = f"；报告自述 {format_value(r.stated_value, '')}" if pd.notna(r.stated_value) else ""
        where = f"，{r.area}" if r.area and r.area != "全市" else ""
        rows.append({"severity": "info", "report_id": r.numerator_report_id,
                     "note": f"{r.city} {r.name_zh}（{r.period}{where}）未计算：{r.reason}{stated}"})
    if cities_ is not None:
        sel = rep[rep["city"].isin(cities_)]
    else:
        sel = rep
    mixed = sel.groupby("city")["period"].apply(lambda s: sorted(set(map(str, s))))
    periods_latest = {c: p for c, p in mixed.items()}
    ends = {p: period_end(p) for ps in periods_latest.values() for p in ps}
    if len({max(ends[p] for p in ps) for ps in periods_latest.values()}) > 1:
        desc = "; ".join(f"{c} {', '.join(ps)}" for c, ps in periods_latest.items())
        rows.append({"severity": "info", "report_id": "", "note": f"cities' latest reports cover different periods ({desc}): latest values are not all for the same year"})
    return pd.DataFrame(rows, columns=["severity", "report_id", "note"])


def theme_title(theme: str) -> str:
    """``社会救助 (social_assistance)``."""
    return f"{theme_names()[check_theme(theme)]} ({theme})"


_MARKDOWN_SPECIAL = {ord(ch): f"&#{ord(ch)};" for ch in "\\`*_[]()#|!~{}+"}


def safe(value) -> str:
    """Report-derived text for a Markdown cell: HTML-escaped, and Markdown's own characters written
    as entities, so a file named [a](javascript:…) can never become a link, markup or a heading."""
    import html

    text = " ".join(str(value).splitlines())
    return html.escape(text).translate(_MARKDOWN_SPECIAL)


def show(df: pd.DataFrame, note: str = NO_DATA):
    """The frame itself, or a Markdown note when it is empty (for notebook cells)."""
    data = getattr(df, "data", df)  # a pandas Styler wraps its frame in .data
    if data is None or len(data) == 0:
        from IPython.display import Markdown

        return Markdown(f"*{note}*")
    return df
