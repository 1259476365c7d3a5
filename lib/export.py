"""Analyst exports (``python -m lib export``): one Excel workbook and one slide deck.

- ``exports/minzheng.xlsx`` (``lib.excel.write_workbook``), headers in Chinese with the English id
  (``数值 value``): ``latest`` — city (and part) × indicator, latest actual values as numbers with
  the unit in the header; ``latest_detail``; ``indicators`` — every row of ``indicators.csv`` in
  the same order, with its provenance; ``conflicts``; ``definitions`` (the catalogue);
  ``claims``; one ``叙述-<专题>`` sheet per theme; ``measures`` (derived rates with both inputs and
  both sources), ``measure_notes`` (why a rate was not computed), ``denominators`` (the reference
  data); ``availability``, ``reports``, ``sources``,
  ``notes`` and ``about``.
- ``exports/minzheng.pptx`` (``lib.slides.write_deck``): a title slide, then one section slide per
  part (overview, each theme, each city) followed by its figures, one per slide, titled, with the
  source under the picture and the 注 and source in the slide notes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lib import charts, folders, labels, outputs, pages, views
from lib.catalogue import catalogue_frame
from lib.excel import write_workbook
from lib.slides import write_deck
from lib.themes import theme_ids, theme_names


def latest_sheet(tables: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """The ``latest`` sheet: one row per city (and per part of a city: 厦门市 其中 农村), one numeric
    column per indicator with its unit in the header (``低保金发放金额 [万元] dibao_funds``); money
    and large counts scaled to 万/亿 as the header says. Returns the frame and its number formats."""
    lat = views.latest(tables, include_planned=False)
    if lat.empty:
        return pd.DataFrame({"note": [views.NO_DATA]}), {}
    lat = lat.assign(row=[r["city"] + (f" 其中 {views.part_label(r)}" if r["aggregate"] == "part" else "")
                          for _, r in lat.iterrows()])
    cols, formats = {}, {}
    for ind_id, g in lat.groupby("indicator_id", sort=False):
        div, unit = views.scale_for(g["value"], g.iloc[0]["unit"])
        header = f"{g.iloc[0]['name_zh']} [{unit}] {ind_id}"
        cols[header] = (g.set_index("row")["value"] / div)
        formats[header] = "#,##0.00" if div > 1 or unit in ("%", "元/人/月") else "#,##0"
    wide = pd.DataFrame(cols)
    corder = {c: i for i, c in enumerate(views.cities(tables))}
    keys = {r: (corder.get(c, 99), part) for r, c, part in zip(lat["row"], lat["city"], lat["aggregate"] == "part")}
    order = sorted(dict.fromkeys(lat["row"]), key=lambda r: (*keys[r], r))
    wide = wide.reindex(order)
    wide.index.name = "城市 city"
    return wide.reset_index(), formats


def workbook_sheets(tables: dict) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """Every sheet of the workbook (Chinese headers with the English id: ``数值 value``) and the
    number formats of its numeric columns."""
    names = theme_names()
    ind = tables["indicators"].reset_index(drop=True)
    rep = tables["reports"][["report_id", "period", "title"]].rename(columns={"period": "report_period", "title": "report_title"})
    ind_sheet = ind.assign(display=[views.format_value(v, u, q) for v, u, q in zip(ind["value"], ind["unit"], ind["qualifier"])])
    ind_sheet = ind_sheet.merge(rep, on="report_id", how="left", validate="many_to_one")  # left merge keeps row order
    claims = tables["claims"].merge(rep, on="report_id", how="left")
    latest, latest_formats = latest_sheet(tables)
    detail = views.latest_numbers(tables)
    sheets = {
        "latest": latest,
        "latest_detail": detail,
        "indicators": ind_sheet,
        "conflicts": tables["conflicts"] if len(tables["conflicts"]) else pd.DataFrame({"note": ["无数据冲突 / no conflicts"]}),
        "definitions": catalogue_frame()[["indicator_id", "theme", "name_zh", "unit", "kind", "definition", "aliases"]],
        "claims": claims if len(claims) else pd.DataFrame({"note": [views.NO_DATA]}),
    }
    for t in views.themes_present(tables):
        nar = views.narrative(tables, t)
        cols = ["city", "period", "claim_type_zh", "status", "scope", "rank", "phrase", "source_text", "report_id", "sentence_id"]
        sheets[f"叙述-{names[t]}"] = nar[cols] if len(nar) else pd.DataFrame({"note": [f"{names[t]}: {views.NO_DATA}"]})
    measures = tables["measures"]
    sheets["measures"] = measures if len(measures) else pd.DataFrame({"note": ["暂无可计算的派生指标 / no derived measures"]})
    gaps = tables["measure_notes"]
    sheets["measure_notes"] = gaps if len(gaps) else pd.DataFrame({"note": ["无 / none"]})
    sheets["denominators"] = tables["denominators"] if len(tables["denominators"]) else \
        pd.DataFrame({"note": ["无参考数据 / no reference data"]})
    sheets["availability"] = views.availability(tables)
    sheets["reports"] = views.select_reports(tables).drop(columns=["sha256"], errors="ignore")
    sheets["sources"] = pages.sources(tables)
    sheets["notes"] = views.data_notes(tables)
    sheets["about"] = pd.DataFrame({"sheet": list(sheets) + ["about"], "what": [_about(s) for s in list(sheets) + ["about"]]})
    out = {k: (v if k == "latest" else labels.for_display(v, keep_id=True)) for k, v in sheets.items()}
    money = "#,##0.00"
    formats = {"latest": latest_formats,
               "latest_detail": {labels.header("value", True): money},
               "indicators": {labels.header("value", True): money},
               "conflicts": {labels.header("kept_value", True): money, labels.header("dropped_value", True): money},
               "measures": {labels.header(c, True): money for c in ("value", "numerator_value", "denominator_value",
                                                                      "stated_value")},
               "measure_notes": {labels.header("numerator_value", True): money,
                                 labels.header("stated_value", True): money}}
    return out, formats


def _about(sheet: str) -> str:
    fixed = {
        "latest": "城市（及分项）× 指标：最新实际值，数字；单位在表头（万/亿已换算）/ latest actual values as numbers, unit in the header",
        "latest_detail": "最新值（含计划/目标）逐条：数值、单位、期间、数据类型、原文 / latest values with period, kind and source",
        "indicators": "全部指标观测（与 data/clean/indicators.csv 同序）及原文与位置 / every indicator observation with provenance",
        "conflicts": "数据冲突：同一城市、指标、期间、范围的不同数值，采用值、舍弃值与理由 / conflicting values and the rule's choice",
        "definitions": "指标目录：名称、单位、类型与定义 / the indicator catalogue's definitions",
        "claims": "叙述性表述：排名、率先、试点、获奖、计划，附原句 / narrative claims with their sentences",
        "measures": "派生指标：覆盖率、每千人/每万人、标准占上年消费支出比例；数值、分子与分母及两者出处、年份规则、报告自述值 / "
                    "derived measures with both inputs and both sources",
        "measure_notes": "未计算的派生指标及原因（缺分母、年份或日期不符）/ derived measures not computed, and why",
        "denominators": "参考数据：常住人口、60岁及以上人口、居民人均消费支出，逐行注明文件、机构、网址、日期与原文 / "
                        "the sourced denominators (data/reference/denominators.csv)",
        "availability": "各市指标可得性（2 有实际值，1 仅计划/基数，0 无）/ which city reports which indicator",
        "reports": "语料中的报告 / the reports in the corpus",
        "sources": "资料来源：标题、发布机构、日期、网址 / each report by title, issuer, date and URL",
        "notes": "构建错误与警告、比较时的注意事项 / build errors and warnings, caveats",
        "about": "本表 / this list",
    }
    return fixed.get(sheet, "某一专题的叙述性表述，按城市，附原句 / narrative claims of one theme")


def figure_list(figures_dir) -> list[dict]:
    """Every PNG under figures_dir with title and source (from sidecars; file name otherwise), in deck order."""
    root = views.resolve(figures_dir)
    order = {t: i for i, t in enumerate(theme_ids())}
    items = []
    for png in sorted(root.rglob("*.png")):
        side = png.with_suffix(".json")
        meta = {}
        if side.is_file():
            try:
                meta = json.loads(side.read_text(encoding="utf-8"))
            except ValueError:
                meta = {}
        kind, key = outputs.figure_owner(png.relative_to(root).parts)
        group = {"overview": (0, 0), "city": (2, 0)}.get(kind, (1, order.get(key, 99)))
        heading = outputs.KINDS[kind].heading
        section = theme_names().get(key, key) if kind == "theme" else f"{heading}：{key}" if key else heading
        items.append({"png": png, "title": meta.get("title") or png.stem, "source": meta.get("source", ""),
                      "note": meta.get("note", ""), "section": section, "_k": (group, str(png.parent), png.name)})
    items.sort(key=lambda d: d["_k"])
    return [{k: v for k, v in d.items() if k != "_k"} for d in items]


def export(clean_dir="data/clean", figures_dir="figures", out_dir="exports") -> list[Path]:
    """Write the workbook and the deck into out_dir, which must be the tool's own (lib.folders)."""
    out = views.resolve(out_dir)
    folders.check_owned(out, "exports", "--out")
    folders.check_writable(out, "--out")
    with folders.locked(views.resolve(clean_dir), shared=True):  # never half of a build's swap
        # the tables the workbook shows: never the sentence-level ones (a national corpus' gigabyte)
        tables = views.load_clean(clean_dir, tables=list(views.NOTEBOOK_TABLES) + ["denominators"])
    out.mkdir(parents=True, exist_ok=True)
    folders.mark(out, "exports")
    sheets, formats = workbook_sheets(tables)
    xlsx = write_workbook(out / "minzheng.xlsx", sheets, number_formats=formats)
    paths = [xlsx]
    figs = figure_list(figures_dir)
    if figs:
        if folders.marker_kind(views.resolve(figures_dir)) == "figures":  # the index is written only into our own folder
            charts.write_index(figures_dir)
        rep = tables["reports"]
        subtitle = (f"{len(rep)} 份报告 · {len(views.cities(tables))} 个城市（{'、'.join(views.cities(tables))}）\n"
                    "每页图下注明来源；备注栏列出注与来源")
        paths.append(write_deck(out / "minzheng.pptx", figs, title="民政工作报告比较", subtitle=subtitle))
    else:
        print(f"note: no figures under {views.resolve(figures_dir)} — run `python -m lib render` first; no deck written")
    return paths
