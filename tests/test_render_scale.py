"""Notebooks whose cost does not grow with the corpus, and a cheaper render (issue 11, parts 4 and 5).

- a notebook reads only its rows (``views.load``), and what it computes is computed once;
- a comparison of many cities stays legible (top N, the rest summarised) and never compares unlike figures;
- the skip key changes with the data a notebook reads, not with what it never reads;
- kernels are started ahead and preloaded, yet no notebook sees another one's state.
"""

from __future__ import annotations

import warnings

import nbformat
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from lib import charts, kernels, render, views
from lib.errors import MinzhengError

THEME, CITY = "social_assistance", "厦门市"


# --- reading only what a notebook needs ------------------------------------------------------------
def test_a_theme_notebook_reads_only_its_theme(built):
    _, clean = built
    full = views.load_clean(clean)
    sub = views.load(clean, theme=THEME)
    assert set(sub) == set(views.NOTEBOOK_TABLES)  # no sentences, mentions, sections, table cells
    assert "sentences" not in sub and len(full["sentences"]) > 0
    for table in ("indicators", "claims", "measures", "measure_notes", "theme_coverage"):
        assert set(sub[table]["theme"]) <= {THEME}
        assert len(sub[table]) == (full[table]["theme"] == THEME).sum(), table
    assert len(sub["reports"]) == len(full["reports"])  # every city and period to check parameters against
    # the views a theme notebook shows are the same as from every table
    pd.testing.assert_frame_equal(views.latest(sub, THEME), views.latest(full, THEME))
    pd.testing.assert_frame_equal(views.narrative(sub, THEME), views.narrative(full, THEME))
    pd.testing.assert_frame_equal(views.trend(sub, theme=THEME), views.trend(full, theme=THEME))
    from lib.themes import theme_ids

    for theme in theme_ids():  # every theme, including those without a catalogue indicator
        assert set(views.load(clean, theme=theme)["indicators"]["theme"]) <= {theme}


def test_a_city_notebook_reads_only_its_city(built):
    _, clean = built
    full = views.load_clean(clean)
    sub = views.load(clean, cities_=[CITY])
    for table in ("indicators", "claims", "measures", "conflicts"):
        assert set(sub[table]["city"]) <= {CITY}
        assert len(sub[table]) == (full[table]["city"] == CITY).sum(), table
    ids = set(full["reports"].loc[full["reports"]["city"] == CITY, "report_id"])
    assert set(sub["theme_coverage"]["report_id"]) == ids
    pd.testing.assert_frame_equal(views.latest(sub, None, [CITY]), views.latest(full, None, [CITY]))
    pd.testing.assert_frame_equal(views.trend(sub, city=CITY), views.trend(full, city=CITY))
    with pytest.raises(MinzhengError, match="北京市"):
        views.load(clean, cities_=["北京市"])


def test_views_are_computed_once_per_notebook(built, monkeypatch):
    _, clean = built
    tables = views.load(clean, theme=THEME)
    calls = []
    real = views.indicators  # what a latest view is computed from: called once per computation
    monkeypatch.setattr(views, "indicators", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = views.latest(tables, THEME)
    for _ in range(3):
        pd.testing.assert_frame_equal(views.latest(tables, THEME), first)
    assert len(calls) == 1
    first["value"] = 0  # a caller's change never reaches the memo
    assert (views.latest(tables, THEME)["value"] != 0).any()
    tables["indicators"] = tables["indicators"].iloc[:0]  # a replaced table: computed again
    assert views.latest(tables, THEME).empty and len(calls) == 2


def test_a_selection_cut_from_the_whole_view_equals_the_selection_computed(built):
    """indicators/latest of a theme and cities are cut from one computation over all loaded rows:
    the same rows, in the same order, as computing the selection alone (a plain dict does)."""
    _, clean = built
    tables = views.load_clean(clean)
    alone = dict(tables)  # no memo: every selection computed on its own rows
    cities_ = views.cities(tables)
    picks = [(None, [c]) for c in cities_] + [(THEME, None), (THEME, cities_[:2]), ("elderly_care", cities_[1:]),
                                             ("child_welfare", [cities_[0]]), (None, cities_)]
    checked = 0
    for theme, cities in picks:
        for periods in (None, ["2024"]):
            want = views.indicators(alone, theme, cities, periods)
            pd.testing.assert_frame_equal(views.indicators(tables, theme, cities, periods), want)
            pd.testing.assert_frame_equal(views.latest(tables, theme, cities, periods),
                                          views.latest(alone, theme, cities, periods))
            checked += len(want)
    assert checked > 100
    kept = [out for _, out in tables.memo.values() if not out.empty]
    assert len(kept) == 4  # one whole view per kind and periods, not one per selection (only empty cuts are apart)


def test_format_value_needs_no_series_per_value():
    assert views.format_value(1_300_000, "人次", "approx") == "≈130万人次"
    assert views.format_value(1120, "元/人/月") == "1,120元/人/月"
    assert views.format_value(2.5e8, "元") == "2.5亿元"
    assert views.format_value(None, "人") == ""


# --- many cities ---------------------------------------------------------------------------------
def _many_cities(tables: dict, n: int) -> views.Tables:
    """The seeds' tables with every report copied to n cities (values scaled so they differ)."""
    rep, ind = tables["reports"], tables["indicators"]
    reps, inds = [], []
    for i in range(n):
        city = f"城{i:02d}市"
        reps.append(rep.assign(city=city, report_id=rep["report_id"] + f"_{i}"))
        inds.append(ind.assign(city=city, report_id=ind["report_id"] + f"_{i}", value=ind["value"] * (1 + i / 10)))
    out = views.Tables(tables)
    out["reports"] = pd.concat(reps, ignore_index=True)
    out["indicators"] = pd.concat(inds, ignore_index=True)
    out["measures"] = tables["measures"].iloc[:0]
    return out


def _drawn(monkeypatch) -> dict:
    """The figures charts save from now on, by stem (they are still saved)."""
    figures = {}
    real = charts.style.save_figure
    monkeypatch.setattr(charts.style, "save_figure",
                        lambda fig, out, stem: (figures.update({stem: fig}), real(fig, out, stem))[1])
    return figures


def test_limit_cities_keeps_the_largest_and_summarises_the_rest_within_each_group():
    rows = [{"city": f"c{i}", "value": float(i), "group": "全年合计", "status": "actual", "role": "total"} for i in range(15)]
    rows += [{"city": f"c{i}", "value": 100.0 + i, "group": "多年累计", "status": "actual", "role": "total"} for i in range(3)]
    rows += [{"city": "c14", "value": 1.0, "group": "全年合计", "status": "actual", "role": "part"}]
    data = pd.DataFrame(rows)
    shown, rest = views.limit_cities(data, n=10)
    year = shown[shown["group"] == "全年合计"]
    assert sorted(year["city"]) == sorted(f"c{i}" for i in range(5, 15))  # the ten largest
    assert (shown["role"] != "part").all()  # parts are not drawn beside another city's total
    assert len(shown[shown["group"] == "多年累计"]) == 3  # a group of its own, never ranked with the years
    (summary,) = rest.to_dict("records")
    assert summary["group"] == "全年合计" and summary["n_cities"] == 5
    assert (summary["value"], summary["low"], summary["high"]) == (2.0, 0.0, 4.0)
    same, none = views.limit_cities(data[data["group"] == "多年累计"], n=10)
    assert len(same) == 3 and none.empty


def test_a_comparison_of_forty_cities_stays_legible(tables, tmp_path):
    many = _many_cities(tables, 40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib's "layout collapsed" (or any warning) fails the test
        rec = charts.indicator_bars(many, "dibao_persons", tmp_path)
        std = charts.allowance_bars(many, tmp_path, THEME)
        trend = charts.trend_lines(many, "dibao_persons", tmp_path, theme=THEME)
    for r in (rec, std):
        assert r is not None and "其余" in r["note"] and "中位数" in r["note"]
    data = pd.read_csv(rec["csv"], encoding="utf-8-sig")
    assert data.iloc[:, 0].nunique() == 40  # the figure's data keeps every city
    assert "个城市的" in rec["source"] and "每个数值的报告编号见图表数据" in rec["source"]
    assert len(rec["source"]) < 120  # one line under the figure, not a list of report ids
    if trend is not None:
        assert "未画出" in trend["note"]
    # the comparison rules still hold on what is drawn: one kind of figure per group
    shown, _ = views.limit_cities(views.comparison(many, "dibao_persons"))
    assert shown.groupby("group")["basis"].nunique().max() == 1


def test_many_lines_give_their_values_in_the_legend_and_bars_are_named_under_them(tables, tmp_path, monkeypatch):
    many = _many_cities(tables, 12)
    many["theme_coverage"] = pd.concat([tables["theme_coverage"].assign(report_id=tables["theme_coverage"]["report_id"] + f"_{i}")
                                        for i in range(12)], ignore_index=True)
    figures = _drawn(monkeypatch)
    trend = charts.trend_lines(many, "dibao_standard", tmp_path, theme=THEME)
    assert trend is not None and "未画出" in trend["note"]
    ax = figures["trend_dibao_standard"].axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == views.TREND_SERIES and all("：" in t and "年" in t for t in legend)
    ends = [float(t.split("：")[1].split("（")[0].replace(",", "")) for t in legend]
    assert ends == sorted(ends, reverse=True)  # highest first, as the lines end
    assert not ax.texts  # no value written on a point, where the lines' values would overlap
    share = charts.theme_share_bars(many, THEME, tmp_path)
    assert share is not None and "每市只取最新一份报告" in share["note"]
    ax = figures["theme_share"].axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert all("\n" in t for t in ticks) and ticks[-1].startswith("其余")  # city over period; the summary bar
    assert all(t.get_text().endswith("%") for t in ax.texts)  # the bars' values and the summary's median
    (only,) = [t.get_text() for t in ax.get_legend().get_texts()]  # no city legend beside the named bars
    assert only.startswith("其余城市")


def test_the_names_under_neighbouring_bars_never_run_into_each_other(tables, tmp_path, monkeypatch):
    figures = _drawn(monkeypatch)
    for n in (4, 6, 12, 40):  # 截至2024年12月 under every bar: a wide label; more cities, narrower slots
        many = _many_cities(tables, n)
        for indicator in ("dibao_persons", "dibao_funds", "tekun_persons", "dibao_standard"):
            if charts.indicator_bars(many, indicator, tmp_path) is None:
                continue
            fig = figures[f"indicator_{indicator}"]
            renderer = FigureCanvasAgg(fig).get_renderer()  # the layout was settled when the figure was saved
            boxes = sorted((t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels() if t.get_text()),
                           key=lambda b: b.x0)
            assert len(boxes) > 1
            for left, right in zip(boxes, boxes[1:]):
                assert left.x1 <= right.x0, (n, indicator, left, right)
            assert min(t.get_fontsize() for t in fig.axes[0].get_xticklabels()) >= 12  # still legible on a slide
            on_bars = [t.get_window_extent(renderer) for t in fig.axes[0].texts]  # values (目标 1,282), medians
            assert not [(a, b) for i, a in enumerate(on_bars) for b in on_bars[i + 1:] if a.overlaps(b)], (n, indicator)
        # the values written on the standards' bars, each with its period: none on top of another; the
        # overview's every standard: too many bars to write on, which its 注 says first
        for theme in (THEME, None):
            rec = charts.allowance_bars(many, tmp_path, theme)
            fig = figures["allowance_standards"]
            renderer = FigureCanvasAgg(fig).get_renderer()
            boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
            assert len(boxes) >= min(n, 4) or rec["note"].startswith("注：柱数较多，柱上不写数值")
            assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)], (n, theme)
            names = [t for t in fig.axes[0].get_xticklabels() if t.get_text()]
            legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
            in_legend = [x for x in legend if x.startswith("城")]
            # no more cities told apart by colour alone than a legend can hold; past that each bar names its city
            assert len(in_legend) <= charts.NAMED_BY_COLOUR, (n, theme, in_legend)
            if not in_legend:
                assert any(t.get_text().startswith("城") for t in names), (n, theme)
            ticks = sorted((t.get_window_extent(renderer) for t in names), key=lambda b: b.x0)
            assert all(a.x1 <= b.x0 for a, b in zip(ticks, ticks[1:])), (n, theme)


def test_a_source_line_of_many_reports_says_which_have_no_period(tables):
    many = _many_cities(tables, 5)
    many["reports"] = many["reports"].assign(period=many["reports"]["period"].where(many["reports"].index % 4 > 0, ""))
    undated = int((many["reports"]["period"] == "").sum())
    note = views.source_note(many, many["reports"]["report_id"])
    assert f"{undated} 份未注明期间" in note and "至 ）" not in note and "，）" not in note
    dated = views.source_note(tables, list(tables["reports"]["report_id"]) * 1)
    assert "未注明" not in dated


def test_reports_whose_city_is_unknown_are_never_taken_for_one_place(tables):
    """Five reports naming no city are five places: no trend line joins two of them, no latest value
    is picked across them (a line once ran from one province's 180万 to another county's 0.61万)."""
    rep, ind = tables["reports"], tables["indicators"]
    xiamen = set(rep.loc[rep["city"] == CITY, "report_id"])
    blank = views.Tables(tables)
    blank["reports"] = views.name_unknown_cities(rep.assign(city=rep["city"].where(~rep["report_id"].isin(xiamen), "")))
    blank["indicators"] = views.name_unknown_cities(ind.assign(city=ind["city"].where(~ind["report_id"].isin(xiamen), "")))
    assert len([c for c in views.cities(blank) if views.is_unknown_city(c)]) == len(xiamen) > 1
    joined = views.trend(tables)
    assert joined[joined["city"] == CITY].groupby("series")["report_id"].nunique().max() > 1  # 厦门's lines span reports
    unknown = views.trend(blank)
    unknown = unknown[unknown["city"].map(views.is_unknown_city)]
    assert unknown.empty or unknown.groupby("series")["report_id"].nunique().max() == 1
    latest = views.latest(blank)
    latest = latest[latest["city"].map(views.is_unknown_city)]
    assert latest.groupby("city")["report_id"].nunique().max() == 1
    assert set(views.check_cities(views.UNKNOWN_CITY, blank)) == {f"{views.UNKNOWN_CITY}（{r}）" for r in xiamen}


def test_a_province_wide_figure_is_never_a_bar_among_cities(tables, tmp_path):
    ind = tables["indicators"]
    rid = ind.loc[(ind["indicator_id"] == "dibao_persons") & (ind["city"] == "中山市"), "report_id"].iloc[0]
    prov = views.Tables(tables)
    prov["indicators"] = ind.assign(scope=ind["scope"].where(ind["report_id"] != rid, "province"))
    data = views.comparison(prov, "dibao_persons")
    assert set(data.loc[data["report_id"] == rid, "group"]) == {"时点数（全省）"}  # a group of its own
    assert not data.loc[data["report_id"] != rid, "group"].str.contains("全省").any()
    rec = charts.indicator_bars(prov, "dibao_persons", tmp_path)
    assert "“时点数（全省）”" in rec["note"] and "组间不可直接比较" in rec["note"]


def test_reports_of_one_city_and_period_are_never_added_together(tables, tmp_path):
    """A city's work summary and bulletin of one year: two rows of theme shares, each summing to 100%."""
    rep, cov = tables["reports"], tables["theme_coverage"]
    first = rep.iloc[0]
    twin = rep.iloc[[0]].assign(report_id="twin_" + first["report_id"], report_type="news_feature")
    triplet = rep.iloc[[0]].assign(report_id="triplet_" + first["report_id"])  # same type too: told by its id
    both = views.Tables(tables)
    both["reports"] = pd.concat([rep, twin, triplet], ignore_index=True)
    both["theme_coverage"] = pd.concat([cov] + [cov[cov["report_id"] == first["report_id"]].assign(report_id=r)
                                                for r in (twin.iloc[0]["report_id"], triplet.iloc[0]["report_id"])],
                                       ignore_index=True)
    wide = views.theme_share_wide(both)
    assert len(wide) == len(both["reports"])  # one row a report
    assert wide.sum(axis=1).max() <= 1.0 + 1e-9  # shares of one report: never past 100%
    assert wide.index.is_unique and any("新闻报道" in label for label in wide.index)


def test_a_heatmap_of_many_reports_draws_each_citys_latest_and_keeps_every_report_in_its_data(tables, tmp_path,
                                                                                             monkeypatch):
    figures = _drawn(monkeypatch)
    many = _many_cities(tables, 40)
    many["theme_coverage"] = pd.concat([tables["theme_coverage"].assign(report_id=tables["theme_coverage"]["report_id"] + f"_{i}")
                                        for i in range(40)], ignore_index=True)
    rec = charts.theme_share_heatmap(many, tmp_path)
    assert "每市只取最新一份报告" in rec["note"] and f"只画前 {charts.HEATMAP_ROWS} 市" in rec["note"]
    assert len(figures["theme_share_heatmap"].axes[0].get_yticklabels()) == charts.HEATMAP_ROWS
    data = pd.read_csv(rec["csv"], encoding="utf-8-sig")
    assert data.iloc[:, 0].nunique() == 40 and data["报告编号"].nunique() == len(many["reports"])
    # a city profile of many reports: one row a period, not the city's latest report alone
    rep, cov = tables["reports"], tables["theme_coverage"]
    one = views.Tables(tables)
    one["reports"] = pd.concat([rep.assign(report_id=rep["report_id"] + f"_{i}") for i in range(12)], ignore_index=True)
    one["theme_coverage"] = pd.concat([cov.assign(report_id=cov["report_id"] + f"_{i}") for i in range(12)], ignore_index=True)
    periods = set(rep.loc[rep["city"] == CITY, "period"])
    rec = charts.theme_share_heatmap(one, tmp_path, [CITY], scope=CITY)
    assert "每期只取一份报告" in rec["note"]
    rows = [t.get_text() for t in figures["theme_share_heatmap"].axes[0].get_yticklabels()]
    assert sorted(rows) == sorted(f"{CITY} {p}" for p in periods)
    assert len(pd.read_csv(rec["csv"], encoding="utf-8-sig")["报告编号"].unique()) == 12 * len(periods)


def test_an_availability_heatmap_of_many_cities_draws_the_best_reported_and_counts_the_others(tables, tmp_path,
                                                                                             monkeypatch):
    figures = _drawn(monkeypatch)
    many = _many_cities(tables, 40)
    ind = many["indicators"]
    sparse = [f"城{i:02d}市" for i in range(5)]  # five cities that report one indicator only
    first = ind["indicator_id"].iloc[0]
    many["indicators"] = ind[~ind["city"].isin(sparse) | (ind["indicator_id"] == first)]
    rec = charts.availability_heatmap(many, tmp_path)
    ax = figures["availability"].axes[0]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    rest = 40 - (charts.HEATMAP_ROWS - 1)
    assert len(columns) == charts.HEATMAP_ROWS and columns[-1] == f"其余 {rest} 市"
    assert not set(sparse) & set(columns)  # the cities that report least are the ones summed up
    assert "城市较多" in rec["note"] and f"其余 {rest} 市" in rec["note"]
    # the summary column: for each indicator, how many of the other cities report an actual value
    long = views.availability(many)
    others = long[~long["city"].isin(columns)]
    want = others.groupby("name_zh", sort=False)["level"].apply(lambda lv: int((lv == 2).sum()))
    x_rest = len(columns) - 1
    got = {ax.get_yticklabels()[round(t.get_position()[1])].get_text().split(" [")[0]: int(t.get_text())
           for t in ax.texts if round(t.get_position()[0]) == x_rest}
    assert got == want.to_dict() and got[views.catalogue().set_index("indicator_id").loc[first, "name_zh"]] == rest
    data = pd.read_csv(rec["csv"], encoding="utf-8-sig")
    assert data.iloc[:, 0].nunique() == 40  # every city in the figure's data


def test_a_trend_note_names_together_the_series_whose_wording_changes_alike():
    rows = [{"series": f"{city}（全年合计）", "basis": "flow:year", "period_zh": period,
             "wording": "成功寻亲" if city == "丙市" else wording}
            for city in ("甲市", "乙市", "丙市") for period, wording in (("2022年", "成功寻亲"), ("2024年", "寻亲送返"))]
    note = views.trend_note(pd.DataFrame(rows))
    assert note.count("各期措辞不同") == 1
    assert "甲市（全年合计）、乙市（全年合计）各期措辞不同：2022年“成功寻亲” → 2024年“寻亲送返”" in note
    assert "丙市" not in note  # its wording never changed


def test_a_trend_axis_of_close_periods_says_the_years_instead_of_overlapping_labels():
    years = {2023.0: "2022年", 2024.0: "2023年", 2025.0: "2024年"}
    assert charts.period_ticks(years) == ([2023.0, 2024.0, 2025.0], ["2022年", "2023年", "2024年"])
    # monthly figures of two years far apart: month labels a twelfth of a year apart would overlap
    months = {2018 + m / 12: f"截至2018年{m}月" for m in (4, 5, 6, 7)} | {2024 + m / 12: f"截至2024年{m}月" for m in (4, 5, 6)}
    where, labels = charts.period_ticks(months)
    assert labels == [f"{y}年" for y in range(2018, 2025)] and where[0] == 2018.5
    halves = {2024.5: "2024年上半年", 2025.0: "2024年", 2025.5: "2025年上半年"}  # half a year apart: room enough
    assert [t.replace("\n", "") for t in charts.period_ticks(halves)[1]] == list(halves.values())


# --- the skip key ---------------------------------------------------------------------------------
def _copy_clean(clean, dst):
    import shutil

    shutil.copytree(clean, dst)
    return dst


def test_the_skip_key_follows_the_data_a_notebook_reads(built, tmp_path):
    _, clean = built
    copy = _copy_clean(clean, tmp_path / "clean")
    before = render.clean_hash(copy)
    (copy / "texts" / next(iter(p.name for p in (copy / "texts").iterdir()))).write_text("changed", encoding="utf-8")
    sent = pq.read_table(copy / "sentences.parquet")
    pq.write_table(sent.slice(0, 1), copy / "sentences.parquet")  # a table no notebook reads
    assert render.clean_hash(copy) == before
    ind = pq.read_table(copy / "indicators.parquet").to_pandas()
    ind.loc[0, "value"] = ind.loc[0, "value"] + 1
    pq.write_table(pa.Table.from_pandas(ind, preserve_index=False), copy / "indicators.parquet")
    assert render.clean_hash(copy) != before


# --- kernels ------------------------------------------------------------------------------------------
def _nb(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.cells[0].metadata["tags"] = ["parameters"]
    return nb


def test_kernels_are_preloaded_and_never_share_state(tmp_path):
    pool = kernels.KernelPool("python3", str(tmp_path), {"MPLBACKEND": "Agg"})
    try:
        first = _nb("x = 1", "import os, sys\nleak = 42\nprint(os.getpid(), 'lib.views' in sys.modules)")
        kernels.inject_parameters(first, {"city": "厦门市"})
        pool.run(first, more=True)
        assert len(pool.ready) == 1  # the next kernel started while this notebook ran
        second = _nb("x = 2", "import os\nprint(os.getpid(), 'leak' in globals(), 'lib' in globals(), city)")
        kernels.inject_parameters(second, {"city": "中山市"})
        pool.run(second)
    finally:
        pool.close()
    assert first.cells[1].source == "# Parameters\ncity = '厦门市'\n"  # readable, after the parameters cell
    assert "injected-parameters" in first.cells[1].metadata["tags"]
    pid1, preloaded = first.cells[2].outputs[0]["text"].split()
    pid2, leak, bound, city = second.cells[2].outputs[0]["text"].split()
    assert preloaded == "True"  # the notebooks' modules were imported before the first cell
    assert pid1 != pid2 and leak == "False" and bound == "False" and city == "中山市"
    assert pool.ready == []


def test_a_kernel_that_dies_before_its_first_cell_is_replaced_once(tmp_path):
    """Kernels started at the same moment by several jobs can pick the same port; the loser dies
    before it replies. The notebook then runs on a new kernel; a kernel that keeps dying is an error."""
    import os
    import signal

    pool = kernels.KernelPool("python3", str(tmp_path), preload=False)
    try:
        pool.run(_nb("x = 1"), more=True)
        (ahead,) = pool.ready
        os.kill(ahead.provisioner.pid, signal.SIGKILL)  # dead before the notebook's first cell
        nb = _nb("x = 2", "print('ran')")
        pool.run(nb)
        assert nb.cells[1].outputs[0]["text"].strip() == "ran"
        starts = []
        real = pool._start

        def dying():
            km = real()
            starts.append(km)
            os.kill(km.provisioner.pid, signal.SIGKILL)
            return km
        pool._start = dying
        with pytest.raises(RuntimeError, match=kernels.DIED_AT_START):
            pool.run(_nb("x = 3"))
        assert len(starts) == 2  # tried once more, not for ever
    finally:
        pool.close()


def test_a_failing_cell_is_reported_with_its_number(tmp_path):
    pool = kernels.KernelPool("python3", str(tmp_path), preload=False)
    nb = _nb("x = 1", "raise ValueError('bad')", "y = 2")
    try:
        with pytest.raises(Exception) as err:
            pool.run(nb)
    finally:
        pool.close()
    assert getattr(err.value, "ename", "") == "ValueError"
    assert kernels.failed_cell(nb) == 2


def test_a_long_table_shows_its_newest_rows_and_is_written_whole(tmp_path, monkeypatch):
    import itables

    from lib import pages

    shown = []
    monkeypatch.setattr(itables, "show", lambda df, **kw: shown.append(df))
    monkeypatch.setattr(itables, "init_notebook_mode", lambda **kw: None)
    pages.init(tmp_path / "figs", tmp_path / "reports")
    n = pages.PAGE_ROWS + 100
    df = pd.DataFrame({"city": ["厦门市"] * n, "period": ["2018"] * 100 + ["2024"] * (n - 100), "phrase": range(n)})
    pages.table(df)
    pages.table(df.head(3))  # a short table: whole, nothing written
    (csv,) = sorted((tmp_path / "figs").glob("table_*.csv"))
    assert len(pd.read_csv(csv, encoding="utf-8-sig")) == n  # the whole table, for the analyst
    assert len(shown[0]) == pages.PAGE_ROWS and "2018" not in set(shown[0].iloc[:, 1].astype(str))  # newest first
    assert len(shown[1]) == 3
    pages.init()  # without a folder (a notebook opened by hand elsewhere), tables are whole
    pages.table(df)
    assert len(shown[2]) == n
