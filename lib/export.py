"""Analyst exports (``python -m lib export``): one Excel workbook and one slide deck.

- ``exports/minzheng.xlsx`` (``lib.excel.write_workbook``): ``indicators`` — every row of
  ``indicators.csv`` in the same order, with its provenance (report, sentence, offsets, rule) and a
  display column; ``latest`` — city × indicator, latest actual (wide, for reading); ``claims``;
  one ``叙述-<专题>`` narrative sheet per theme present in the corpus; ``availability``,
  ``reports``, ``notes`` and ``about``.
- ``exports/minzheng.pptx`` (``lib.slides.write_deck``): every PNG under ``figures/``, one per slide,
  titled and with its source note from the figure's sidecar (``lib.charts``). Order: overview,
  themes (taxonomy order), cities.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from lib import charts, folders, views
from lib.excel import write_workbook
from lib.slides import write_deck
from lib.themes import theme_ids, theme_names


def workbook_sheets(tables: dict) -> dict[str, pd.DataFrame]:
    names = theme_names()
    ind = tables["indicators"].reset_index(drop=True)
    rep = tables["reports"][["report_id", "period", "title"]].rename(columns={"period": "report_period", "title": "report_title"})
    ind_sheet = ind.assign(display=[views.format_value(v, u, q) for v, u, q in zip(ind["value"], ind["unit"], ind["qualifier"])])
    ind_sheet = ind_sheet.merge(rep, on="report_id", how="left", validate="many_to_one")  # left merge keeps row order
    claims = tables["claims"].merge(rep, on="report_id", how="left")
    sheets = {
        "indicators": ind_sheet,
        "latest": views.latest_wide(tables) if len(ind) else pd.DataFrame({"note": [views.NO_DATA]}),
        "claims": claims if len(claims) else pd.DataFrame({"note": [views.NO_DATA]}),
    }
    for t in views.themes_present(tables):
        nar = views.narrative(tables, t)
        cols = ["city", "period", "claim_type_zh", "status", "scope", "rank", "phrase", "source_text", "report_id", "sentence_id"]
        sheets[f"叙述-{names[t]}"] = nar[cols] if len(nar) else pd.DataFrame({"note": [f"{names[t]}: {views.NO_DATA}"]})
    sheets["availability"] = views.availability(tables)
    sheets["reports"] = views.select_reports(tables).drop(columns=["sha256"], errors="ignore")
    sheets["notes"] = views.data_notes(tables)
    sheets["about"] = pd.DataFrame({"sheet": list(sheets) + ["about"], "what": [_about(s) for s in list(sheets) + ["about"]]})
    return sheets


def _about(sheet: str) -> str:
    fixed = {
        "indicators": "every indicator observation (same rows and order as data/clean/indicators.csv) with its source sentence and offsets",
        "latest": "city × indicator: latest actual value (≈ approx, ≥/≤ bounds; 目标 = planned only), for reading",
        "claims": "narrative claims: rankings, firsts, pilots, awards, plans — each with its sentence",
        "availability": "which city reports which catalogue indicator (level 2 actual, 1 planned/baseline only, 0 none)",
        "reports": "the reports in the corpus",
        "notes": "build errors and warnings, and caveats for comparison",
        "about": "this list",
    }
    return fixed.get(sheet, "narrative claims of one theme, per city, citing report and sentence")


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
        rel = png.relative_to(root).parts
        group = (0, 0) if rel[0] == "overview" else (1, order.get(rel[0], 99)) if rel[0] != "city" else (2, 0)
        items.append({"png": png, "title": meta.get("title") or png.stem, "source": meta.get("source", ""),
                      "_k": (group, str(png.parent), png.name)})
    items.sort(key=lambda d: d["_k"])
    return [{k: v for k, v in d.items() if k != "_k"} for d in items]


def export(clean_dir="data/clean", figures_dir="figures", out_dir="exports") -> list[Path]:
    """Write the workbook and the deck into out_dir, which must be the tool's own (lib.folders)."""
    out = views.resolve(out_dir)
    folders.check_owned(out, "exports", "--out")
    folders.check_writable(out, "--out")
    with folders.locked(views.resolve(clean_dir), shared=True):  # never half of a build's swap
        tables = views.load_clean(clean_dir)
    out.mkdir(parents=True, exist_ok=True)
    folders.mark(out, "exports")
    xlsx = write_workbook(out / "minzheng.xlsx", workbook_sheets(tables))
    paths = [xlsx]
    figs = figure_list(figures_dir)
    if figs:
        if folders.marker_kind(views.resolve(figures_dir)) == "figures":  # the index is written only into our own folder
            charts.write_index(figures_dir)
        paths.append(write_deck(out / "minzheng.pptx", figs))
    else:
        print(f"note: no figures under {views.resolve(figures_dir)} — run `python -m lib render` first; no deck written")
    return paths
