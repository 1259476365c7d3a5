"""Comparison figures, drawn only through ``lib.style`` (CJK font, fixed city colours, 1920×1080).

Every function takes the clean tables (``lib.views.load_clean``) and an output folder, and returns
the record of the figure it saved — ``{"png", "svg", "json", "theme", "title", "source", "glyph_warnings"}``
— or ``None`` when there is nothing to draw (the caller says "no data"). Each figure has a title,
a unit on the value axis and a source note naming the reports (id, city, period) its numbers
come from; planned values are hatched and lighter; qualifiers (≈ ≥ ≤) are written on the bars.

Where figures go (``figure_dir``): ``figures/<theme_id>/`` for a theme, ``figures/city/<city>/`` for a
city profile, ``figures/overview/`` for the corpus overview. Each saved figure gets a sidecar
``<stem>.json`` (title, source, theme, glyph warnings); ``write_index`` gathers them into
``figures/index.csv`` for the slide deck. Sidecars (not one shared file) keep notebooks that run in
parallel from writing the same file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from lib import comparability, labels, outputs, style, views
from lib.files import atomic_path, write_excel_csv
from lib.themes import theme_names

PLANNED_HATCH = "//"
PLANNED_ALPHA = 0.4
INDEX_COLUMNS = ["png", "svg", "csv", "theme", "scope", "stem", "title", "note", "alt", "source", "glyph_warnings"]


# --- paths and saving ---------------------------------------------------------------------------
def figure_dir(figures_dir, theme: str | None = None, city: str | None = None) -> Path:
    """``<figures>/<theme_id>/``, ``<figures>/city/<city>/`` or ``<figures>/overview/`` (``lib.outputs.KINDS``).

    ``figures_dir`` None (a notebook opened by hand) → ``scratch/figures``: never the published folder.
    """
    root = outputs.figures_for_notebook(figures_dir)
    if city:
        return outputs.KINDS["city"].figure_dir(root, city)
    if theme:
        return outputs.KINDS["theme"].figure_dir(root, views.check_theme(theme))
    return outputs.KINDS["overview"].figure_dir(root)


def _save(fig, ax, out_dir, stem: str, title: str, unit: str, source: str, theme: str = "", scope: str = "",
          note: str = "", data: pd.DataFrame | None = None, alt: str = "") -> dict:
    """Finish and save a figure with its sidecar (title, source, 注, alt text) and its data as
    ``<stem>.csv`` beside it (Chinese headers, UTF-8 with BOM for Excel)."""
    style.finish(fig, ax, title=title, unit=unit, source=source, note=note)
    with style.missing_glyph_warnings() as found:
        png, svg = style.save_figure(fig, out_dir, stem)
    if found:
        print(f"warning: {png.name}: {len(found)} missing-glyph warning(s): {found[0]}")
    csv = Path(out_dir) / f"{stem}.csv"
    if data is not None:
        write_excel_csv(labels.for_display(data), csv)
    record = {"png": str(png), "svg": str(svg), "csv": str(csv) if data is not None else "", "theme": theme,
              "scope": scope, "stem": stem, "title": title, "note": note, "alt": alt or f"{title}。{note}",
              "source": source, "glyph_warnings": list(dict.fromkeys(found))}
    side = Path(out_dir) / f"{stem}.json"
    with atomic_path(side) as tmp:
        tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    record["json"] = str(side)
    return record


def _alt(title: str, data: pd.DataFrame, unit: str) -> str:
    """Alt text: the title and every value drawn, in words a screen reader can say."""
    bits = []
    n = len(data)
    col = (lambda c, default: data[c] if c in data else [default] * n)
    periods = data["period_zh"] if "period_zh" in data else col("period", "")
    for city, part, agg, st, per, v, q in zip(data["city"], views.part_labels(data), col("aggregate", ""),
                                            col("status", ""), periods, data["value"], col("qualifier", "exact")):
        who = city + (f"（其中 {part}）" if agg == "part" else "")
        bits.append(f"{who}{per}{'目标' if st == 'planned' else ''}{views.format_value(v, unit, q)}")
    return f"{title}：" + "；".join(bits) + "。"


def read_index(figures_dir) -> pd.DataFrame:
    """Every saved figure under figures_dir (from the sidecars), with paths relative to figures_dir."""
    root = views.resolve(figures_dir)
    rows = []
    for side in sorted(root.rglob("*.json")):
        try:
            rec = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        png = side.with_suffix(".png")
        if not isinstance(rec, dict) or "title" not in rec or not png.is_file():
            continue
        rows.append({**{k: rec.get(k, "") for k in INDEX_COLUMNS},
                     "png": str(png.relative_to(root)), "svg": str(side.with_suffix(".svg").relative_to(root)),
                     "csv": str(side.with_suffix(".csv").relative_to(root)) if side.with_suffix(".csv").is_file() else "",
                     "glyph_warnings": len(rec.get("glyph_warnings") or [])})
    return pd.DataFrame(rows, columns=INDEX_COLUMNS)


def write_index(figures_dir) -> Path:
    """Write ``<figures>/index.csv`` (png, svg, theme, scope, stem, title, source, glyph_warnings)."""
    root = views.resolve(figures_dir)
    root.mkdir(parents=True, exist_ok=True)
    path = root / "index.csv"
    read_index(root).to_csv(path, index=False, encoding="utf-8")
    return path


# --- helpers --------------------------------------------------------------------------------------
def _wrap(label: str, width: int = 8) -> str:
    """Break a long Chinese label every ``width`` characters (tick labels on a slide); a bracket opens
    a line of its own (城市未知 / （d05）, not 城市未知（d0 / 5）)."""
    label = str(label)
    cut = label.find("（", 1)  # the first bracket after the start: a label may begin with one
    if len(label) > width and cut > 0:
        return _wrap(label[:cut], width) + "\n" + _wrap(label[cut:], width)
    return "\n".join(label[i:i + width] for i in range(0, len(label), width)) if len(label) > width else label


def _period_lines(period: str) -> str:
    """A period label on two lines where it breaks naturally: 截至 / 2024年12月, 2025年 / 上半年, 2018—2024年 / 累计.
    Any other text (a city, a part such as 老年人) is returned as it is."""
    if not any(ch.isdigit() for ch in period[:4 + len("截至")]):
        return period
    for head in ("截至", "到"):
        if period.startswith(head) and len(period) > len(head):
            return f"{head}\n{period[len(head):]}"
    year = re.match(r"(.*?\d年)(.+)", period)
    return f"{year[1]}\n{year[2]}" if year else period


def _px_per_unit(x_range: float, axes_share: float) -> float:
    """Pixels of the 1920-px slide one data unit of the x axis spans, when the axes get ``axes_share`` of it."""
    return style.FIG_SIZE[0] * style.DPI * axes_share / x_range


def _labels_collide(xs: list[float], labels_: list[str], fontsize: float, x_range: float, axes_share: float) -> bool:
    """True when two neighbouring labels (under or on bars) would run into each other on the 1920-px slide.

    Estimated, not measured (measuring needs a draw): a CJK character is one em wide, other
    characters half an em (style.display_width, with — and “” full width as a CJK font draws them);
    ``axes_share``, the part of the width the axes get."""
    px_per_unit = _px_per_unit(x_range, axes_share)
    em = fontsize * style.DPI / 72
    widths = [max(style.display_width(line, ambiguous=2) for line in str(lab).split("\n")) * em / 2 for lab in labels_]
    return any((widths[i] + widths[i + 1]) / 2 > 0.9 * (xs[i + 1] - xs[i]) * px_per_unit for i in range(len(xs) - 1))


def _fit_labels(xs: list[float], texts: list[str], size: int, floor: int, x_range: float, axes_share: float,
                reflow) -> tuple[list[str], int]:
    """Labels that fit their slots: as they are when they do; else each ``reflow``-ed (a period on two
    lines, 目标 above its number), then the type smaller, not under ``floor`` pt. Returns the labels and size."""
    if not _labels_collide(xs, texts, size, x_range, axes_share):
        return texts, size
    texts = [reflow(t) for t in texts]
    while size > floor and _labels_collide(xs, texts, size, x_range, axes_share):
        size -= 1
    return texts, size


def _periods_on_two_lines(label: str) -> str:
    return "\n".join(_period_lines(line) for line in label.split("\n"))


def _color(city: str, planned: bool = False):
    c = style.city_color(city)
    return to_rgba(c, PLANNED_ALPHA) if planned else c


def _bar_kwargs(city: str, planned: bool) -> dict:
    return {"color": _color(city, planned), "edgecolor": style.city_color(city), "linewidth": 2,
            "hatch": PLANNED_HATCH if planned else None}


REST_COLOR = "#BBBBBB"


def _rest_handle() -> Patch:
    return Patch(facecolor=REST_COLOR, edgecolor="#777777", label="其余城市：中位数（竖线为最小—最大）")


def _rest_bar(ax, x: float, width: float, r: dict, div: float, fontsize: int = 16, suffix: str = "",
              label: bool = True) -> None:
    """The summary bar of the cities not drawn one by one: their median, a whisker from min to max
    (``suffix``: what the bars' own values end with, e.g. %; ``label``: the median written above it)."""
    v, lo, hi = r["value"] / div, r["low"] / div, r["high"] / div
    ax.bar(x, v, width, color=REST_COLOR, edgecolor="#777777", linewidth=2,
           hatch=PLANNED_HATCH if r["status"] == "planned" else None)
    ax.errorbar([x], [v], yerr=[[v - lo], [hi - v]], color="#555555", capsize=6, linewidth=2)
    if label:
        ax.annotate(f"中位数\n{_num(v)}{suffix}", (x, hi), xytext=(0, 4), textcoords="offset points", ha="center",
                    va="bottom", fontsize=fontsize)


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def _rest_note(rest: pd.DataFrame, div: float, unit: str = "") -> str:
    """注 for the summarised cities: how many, in which group, their median and range."""
    if rest is None or rest.empty:
        return ""
    bits = [f"{g + '：' if g else ''}{'目标值 ' if st == 'planned' else ''}其余 {n} 市中位数 {_num(v / div)}{unit}"
            f"（{_num(lo / div)}—{_num(hi / div)}）"
            for g, st, n, v, lo, hi in zip(rest["group"], rest["status"], rest["n_cities"], rest["value"],
                                          rest["low"], rest["high"])]
    return (f"城市较多：每组只画数值最大的 {int(rest['n_shown'].max())} 个城市，其余城市合为一根灰柱——"
            + "；".join(bits) + "。全部城市的数值见图表数据（CSV）与上表。")


def _legend(ax, cities: list[str], planned: bool, rest: bool = False) -> None:
    handles = [Patch(facecolor=style.city_color(c), label=c) for c in cities]
    if rest:
        handles.append(_rest_handle())
    if planned:
        handles.append(Patch(facecolor=to_rgba("#888888", PLANNED_ALPHA), edgecolor="#888888", hatch=PLANNED_HATCH,
                             label="计划/目标值"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def _label(row, div: float, with_period: bool = True) -> str:
    """The value written on a bar: ≈/≥/≤, the number, and (unless the tick says it) its period."""
    v = row["value"] / div
    num = f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")
    sign = views.QUALIFIER_SIGN.get(row["qualifier"], "")
    if not with_period:
        return f"{'目标 ' if row['status'] == 'planned' else ''}{sign}{num}"
    tag = str(row.get("period_zh") or row["period"])
    if row["status"] == "planned" and "目标" not in tag:
        tag = f"目标 {tag}"
    return f"{sign}{num}\n{tag}"


def _headroom(ax, top: float) -> None:
    if top > 0:
        ax.set_ylim(0, top * 1.22)


# --- figures --------------------------------------------------------------------------------------
CSV_COLUMNS = ["city", "name_zh", "part", "status", "value", "unit", "qualifier", "period", "period_zh", "figure_kind",
               "group", "report_id", "source_text"]


def _chart_data(data: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart draws, as its CSV holds them (values in the catalogue unit)."""
    out = data.assign(part=views.part_labels(data))
    if "group" not in out:
        out = out.assign(group=out["basis"].map(comparability.basis_label))
    return out[[c for c in CSV_COLUMNS if c in out.columns]]


def allowance_bars(tables, out_dir, theme: str | None = None, cities=None, periods=None, stem="allowance_standards",
                   scope: str = "") -> dict | None:
    """Grouped bars: per-person monthly standards (元/人/月) by indicator, one bar per city (planned hatched).

    A part (a tier, 城市/农村) is a group of its own (``指标（其中 农村）``), never a bar beside
    another city's total; each bar carries its year, and the 注 names each city's period where they differ.
    """
    data = views.allowance_standards(tables, theme, cities, periods)
    if data.empty:
        return None
    province = (data["scope"] == "province").to_numpy()  # a province's standard: a group of its own, after its cities'
    data = data.assign(group=data["name_zh"] + pd.Series(
        [f"（其中 {p}）" if a == "part" else "" for p, a in zip(views.part_labels(data), data["aggregate"])],
        index=data.index, dtype=object) + np.where(province, "（全省）", ""))
    if province.any():
        data = data.iloc[np.argsort(province, kind="stable")]
    everything = data
    data, rest = views.limit_cities(data.assign(role="total"))  # a tier is its own group: ranked as a total
    city_order = [c for c in views.cities(tables) if c in set(data["city"])]
    groups = list(dict.fromkeys(everything["group"]))
    fig, ax = style.new_figure()
    slots = data.groupby("group").size()
    slots_per_group = int(max(slots.max() if len(slots) else 0,
                              *(slots.get(g, 0) + len(rest[rest["group"] == g]) for g in groups)))
    width = 0.8 / max(slots_per_group, 1)
    corder = {c: i for i, c in enumerate(city_order)}
    bars = []  # (x, row, value written on it); a summary bar's row has role "rest"
    for g, group in enumerate(groups):
        rows = data[data["group"] == group]
        rows = rows.assign(_c=rows["city"].map(corder), _s=(rows["status"] == "planned").astype(int))
        rows = rows.sort_values(["_c", "_s"])
        others = rest[rest["group"] == group]
        n = len(rows) + len(others)
        bars += [(g - width * (n - 1) / 2 + k * width, r, _label(r, 1.0)) for k, r in enumerate(rows.to_dict("records"))]
        bars += [(g - width * (n - 1) / 2 + k * width, {**r, "role": "rest"}, f"中位数\n{_num(r['value'])}")
                 for k, r in enumerate(others.to_dict("records"), start=len(rows))]
    xs, texts = [b[0] for b in bars], [b[2] for b in bars]
    size = 14 if slots_per_group < 3 else 12
    x_range, share = len(groups) * 1.05, 0.6  # the axes' span in data units, and their part of the slide's width
    texts, size = _fit_labels(xs, texts, size, 10, x_range, share, _periods_on_two_lines)
    # still too many bars for their values to be read: none is written rather than all on top of each other
    unwritten = _labels_collide(xs, texts, size, x_range, share)
    for (x, r, _), text in zip(bars, texts):
        if r["role"] == "rest":
            _rest_bar(ax, x, width * 0.92, r, 1.0, fontsize=size, label=not unwritten)
            continue
        ax.bar(x, r["value"], width * 0.92, **_bar_kwargs(r["city"], r["status"] == "planned"))
        if not unwritten:
            ax.annotate(text, (x, r["value"]), xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
                        fontsize=size)
    # narrower wrap as groups multiply, and type no wider than a group's share of the axes, so
    # neighbouring names never run into each other (16 groups: a standard and its 其中 parts)
    wrap = max(4, min(8, 44 // max(len(groups), 1)))
    group_px = _px_per_unit(x_range, share)  # a standard's group is one data unit wide
    group_size = max(9, min(16, int(group_px * 0.9 / wrap * 72 / style.DPI)))
    top = float(max(data["value"].max() if len(data) else 0, rest["high"].max() if len(rest) else 0))
    named = len(city_order) > NAMED_BY_COLOUR  # too many colours to tell apart: each bar names its city
    if named:
        # turned upright, a name is one line of type thick: as thick as a bar's slot allows (1.2 em a line)
        slot_px = width * _px_per_unit(x_range, share)
        ax.set_xticks(xs, [f"其余 {r['n_cities']} 市" if r["role"] == "rest" else r["city"] for _, r, _ in bars],
                      fontsize=max(8, min(14, int(slot_px * 0.9 / 1.2 * 72 / style.DPI))), rotation=90)
        for g, group in enumerate(groups):  # the standard heads its bars; a rule between standards
            ax.text(g, top * 1.2, _wrap(group, wrap), ha="center", va="bottom", fontsize=group_size, color="#444444")
            if g:
                ax.axvline(g - 0.5, color="#999999", linestyle=":", linewidth=2)
        ax.set_ylim(0, top * 1.45 if top > 0 else 1)
    else:
        ax.set_xticks(range(len(groups)), [_wrap(g, wrap) for g in groups], fontsize=group_size if len(groups) > 5 else None)
        _headroom(ax, top)
    _legend(ax, [] if named else city_order, (data["status"] == "planned").any(), rest=len(rest) > 0)
    name = theme_names().get(theme, "") if theme else ""
    who = city_order[0] if cities is not None and len(city_order) == 1 else "各市"
    title = f"{name + '：' if name else ''}{who}补助/保障标准{'比较' if who == '各市' else ''}（最新值）"
    note = (_standards_note(data) + _rest_note(rest, 1.0)) if who == "各市" else ""
    if unwritten:
        # first, so that the slide's three lines of 注 say it
        note = "注：柱数较多，柱上不写数值与期间，见图表数据（CSV）与上表。" + note.removeprefix("注：")
    return _save(fig, ax, out_dir, stem, title, "元/人/月", views.source_note(tables, (everything if len(rest) else data)["report_id"]), theme or "",
                 scope, note=note, data=_chart_data(everything.drop(columns="group")), alt=_alt(title, data, "元/人/月"))


PART_ALPHA = 0.55
NAMED_BY_COLOUR = 6  # cities a legend of colours can tell apart; past it, each bar names its city under it


def _standards_note(data: pd.DataFrame) -> str:
    """注 for the standards chart: per standard, each city's year where the cities' years differ."""
    bits = []
    for group, g in data[data["status"] == "actual"].groupby("group", sort=False):
        if g["period_zh"].nunique() > 1:
            bits.append(f"{group}：" + "、".join(f"{r.city} {r.period_zh}" for r in g.itertuples()))
    return ("注：各市标准的年份不同——" + "；".join(bits) + "。") if bits else ""


def indicator_bars(tables, indicator_id: str, out_dir, cities=None, periods=None, scope: str = "") -> dict | None:
    """One indicator across cities, latest values (``views.comparison``).

    Totals stand beside totals; a city's parts (其中 集中/散居, 城市/农村, a district) are narrower,
    lighter bars right after its own total, labelled 其中. Bars of unlike kinds (a year's total, a
    half-year, a cumulative span, targets) stand in separate groups divided by a rule and headed
    by their kind. Under each bar: the city (or the part) and its period; the 注 names what differs.
    """
    everything = views.comparison(tables, indicator_id, cities, periods)
    if everything.empty:
        return None
    theme, name, unit = everything.iloc[0]["theme"], everything.iloc[0]["name_zh"], everything.iloc[0]["unit"]
    data, rest = views.limit_cities(everything)
    div, unit_label = views.scale_for(everything["value"], unit)
    fig, ax = style.new_figure()
    xs, labels_, x, prev_group, prev_city = [], [], 0.0, None, None
    marks = []  # (x, row, the value written on the bar), written once their size is known
    spans: list[tuple[str, float, float]] = []
    named: set[tuple[str, str]] = set()
    with_total = set(zip(data.loc[data["role"] == "total", "city"], data.loc[data["role"] == "total", "group"]))
    items = []  # the bars in drawing order: each group's cities, then the summary of its other cities
    records = data.to_dict("records")
    for g in dict.fromkeys(everything["group"]):
        items += [r for r in records if r["group"] == g]
        items += [{**r, "role": "rest", "city": f"其余 {r['n_cities']} 市"} for r in rest.to_dict("records") if r["group"] == g]
    for r in items:
        if r["role"] == "rest":
            if prev_group is not None and r["group"] != prev_group:
                x += 0.6
                ax.axvline(x - 0.8, color="#999999", linestyle=":", linewidth=2)
            elif prev_city is not None:
                x += 0.25
            if not spans or spans[-1][0] != r["group"]:
                spans.append((r["group"], x, x))
            marks.append((x, r, f"中位数\n{_num(r['value'] / div)}"))
            xs.append(x)
            labels_.append(f"{r['city']}\n中位数" + ("\n目标" if r["status"] == "planned" else ""))
            spans[-1] = (spans[-1][0], spans[-1][1], x)
            prev_group, prev_city = r["group"], r["city"]
            x += 0.8
            continue
        part = r["role"] == "part"
        if prev_group is not None and r["group"] != prev_group:
            x += 0.6
            ax.axvline(x - 0.8, color="#999999", linestyle=":", linewidth=2)
        elif prev_city is not None and r["city"] != prev_city:
            x += 0.25
        if not spans or spans[-1][0] != r["group"]:
            spans.append((r["group"], x, x))
        w = 0.5 if part else 0.75
        kw = _bar_kwargs(r["city"], r["status"] == "planned")
        if part:
            kw["color"] = to_rgba(style.city_color(r["city"]), PART_ALPHA * (PLANNED_ALPHA if r["status"] == "planned" else 1))
            kw["linestyle"] = "--"
        ax.bar(x, r["value"] / div, w, **kw)
        marks.append((x, r, _label(r, div, with_period=False)))
        xs.append(x)
        # a part has its total's period (views.comparison); under it: 其中 and what part it is
        if part and (r["city"], r["group"]) not in with_total:  # only parts: the first says whose and when
            first = (r["city"], r["group"]) not in named
            named.add((r["city"], r["group"]))
            labels_.append(f"{_wrap(r['label'], 4)}\n{r['city']}\n{r['period_zh']}" if first else _wrap(r["label"], 4))
        else:
            labels_.append(f"其中\n{_wrap(r['label'], 4)}" if part else
                           f"{_wrap(r['city'], 7)}\n{r['period_zh']}")
        spans[-1] = (spans[-1][0], spans[-1][1], x)
        prev_group, prev_city = r["group"], r["city"]
        x += 0.8 if not part else 0.7
    small = len(xs) > 6
    size = 13 if len(xs) > 10 else 15 if small else 18
    pad = max(0.8, (3.2 - (max(xs) - min(xs))) / 2)
    handles = []  # every bar names its city under it: the legend only says what the bar styles mean
    if (data["role"] == "part").any():
        handles.append(Patch(facecolor=to_rgba("#888888", PART_ALPHA), edgecolor="#888888", linestyle="--",
                             label="其中：分项（属同城合计）"))
    if len(rest):
        handles.append(_rest_handle())
    if (data["status"] == "planned").any():
        handles.append(Patch(facecolor=to_rgba("#888888", PLANNED_ALPHA), edgecolor="#888888", hatch=PLANNED_HATCH,
                             label="计划/目标值"))
    x_range, share = max(xs) - min(xs) + 2 * pad, 0.6 if handles else 0.85  # the legend, if any, outside right
    labels_, size = _fit_labels(xs, labels_, size, 12, x_range, share, _periods_on_two_lines)
    ax.set_xticks(xs, labels_, fontsize=size)
    # 目标 1,282 beside 目标 1,268: 目标 above the number, then smaller type
    values, on_bar = _fit_labels(xs, [m[2] for m in marks], 16, 12, x_range, share, lambda v: v.replace("目标 ", "目标\n"))
    for (xm, r, _), text in zip(marks, values):
        if r["role"] == "rest":
            _rest_bar(ax, xm, 0.75, r, div, fontsize=on_bar)
        else:
            ax.annotate(text, (xm, r["value"] / div), xytext=(0, 4), textcoords="offset points", ha="center",
                        va="bottom", fontsize=on_bar)
    ax.set_xlim(min(xs) - pad, max(xs) + pad)
    top = float(max(data["value"].max() if len(data) else 0, rest["high"].max() if len(rest) else 0) / div)
    _headroom(ax, top)
    if len(spans) > 1:
        for group, x0, x1 in spans:
            ax.text((x0 + x1) / 2, top * 1.17, group, ha="center", va="bottom", fontsize=18, color="#444444")
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    title = f"{theme_names().get(theme, theme)}：{name}（各市最新值）"
    note = views.comparison_note(data)
    if len(rest):
        note = (note + _rest_note(rest, div, unit_label)
                + ("分项（其中…）未画出。" if (everything["role"] == "part").any() else ""))
        note = note if note.startswith("注") else "注：" + note
    return _save(fig, ax, out_dir, f"indicator_{indicator_id}", title, unit_label,
                 views.source_note(tables, (everything if len(rest) else data)["report_id"]), theme, scope, note=note,
                 data=_chart_data(everything), alt=_alt(title, data, unit))


MAX_POINT_LABELS = 24  # values written on a trend figure's points at most
LABELLED_LINES = 3  # past this many lines, a trend figure's values are in its legend, not on its points
MAX_PERIOD_TICKS = 10  # period labels on its axis at most
MIN_TICK_GAP = 0.07  # the share of the axis a period label needs: closer periods (months) get year labels


def _point(qualifier: str, v: float) -> str:
    """A value on a trend figure: ≈/≥/≤ and the number."""
    return views.QUALIFIER_SIGN.get(qualifier, "") + f"{v:,.{0 if v >= 100 else 2}f}"


def period_ticks(ticks: dict[float, str]) -> tuple[list[float], list[str]]:
    """Where a trend's time axis is labelled: each period at its end (``ticks``: end → label), or,
    when there are many or two are closer than a label is wide (monthly figures), each year in its
    middle; each point's own period is in the figure's CSV."""
    lo, hi = min(ticks), max(ticks)
    ends = sorted(ticks)
    gap = min((b - a for a, b in zip(ends, ends[1:])), default=hi - lo + 1)
    if len(ticks) > MAX_PERIOD_TICKS or gap < MIN_TICK_GAP * (hi - lo + 1):
        years = range(int(np.floor(lo - 1e-9)), int(np.ceil(hi)))
        return [y + 0.5 for y in years], [f"{y}年" for y in years]
    return list(ticks), [_wrap(t, 8) for t in ticks.values()]


def trend_lines(tables, indicator_id: str, out_dir, city: str | None = None, cities=None, scope: str = "",
                theme: str | None = None) -> dict | None:
    """Actual values of one indicator over time, one line per series (``views.trend``): a line joins
    only figures of the same kind and period length, and a part never continues its total.
    The x axis is time (the end of each period), each point labelled with its period."""
    tr = views.trend(tables, city=city, theme=theme)  # computed once per notebook (views.Tables memo)
    everything = tr[tr["indicator_id"] == indicator_id]
    if cities is not None:
        everything = everything[everything["city"].isin(cities)]
    if everything.empty:
        return None
    data, left_out = views.limit_series(everything)
    theme, name, unit = data.iloc[0]["theme"], data.iloc[0]["name_zh"], data.iloc[0]["unit"]
    div, unit_label = views.scale_for(data["value"], unit)
    fig, ax = style.new_figure()
    ticks: dict[float, str] = {}
    styles = ["-", "--", ":", "-."]
    # many lines: their values would be written over each other, so the legend gives each line's latest
    in_legend = data["series"].nunique() > LABELLED_LINES
    lines = [(series, s.sort_values("period_end")) for series, s in data.groupby("series", sort=False)]
    if in_legend:  # the legend from the highest latest value down, as the lines end
        lines.sort(key=lambda line: -line[1]["value"].iloc[-1])
    for k, (series, s) in enumerate(lines):
        c = s.iloc[0]["city"]
        last = s.iloc[-1]
        label = (f"{series}：{_point(last['qualifier'], last['value'] / div)}（{last['period_zh']}）" if in_legend
                 else series)
        ax.plot(s["period_end"], s["value"] / div, marker="o", color=style.city_color(c), label=label,
                linestyle=styles[k % len(styles)] if s.iloc[0]["aggregate"] == "part" or k else "-")
        crowded = len(data) > MAX_POINT_LABELS  # many points: only each line's last value is written
        for k2, (q, v, end, pzh) in enumerate(zip(s["qualifier"], s["value"] / div, s["period_end"], s["period_zh"])):
            ticks.setdefault(end, str(pzh))
            if in_legend or (crowded and k2 < len(s) - 1):
                continue
            ax.annotate(_point(q, v), (end, v), xytext=(0, 10), textcoords="offset points", ha="center", fontsize=16)
    lo, hi = min(ticks), max(ticks)
    ax.set_xticks(*period_ticks(ticks))
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.set_ylim(0, float(data["value"].max() / div) * 1.2)
    ax.set_xlabel("期间（按期末排列）")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    who = city or "各市"
    title = f"{who}{name}变化（{theme_names().get(theme, theme)}）"
    note = views.trend_note(data)
    if left_out:
        note = note.rstrip("。") + (f"。城市较多：只画最新值最大的 {views.TREND_SERIES} 条序列，另有 {left_out} 条"
                                   "未画出，全部数值见图表数据（CSV）与上表。")
    return _save(fig, ax, out_dir, f"trend_{indicator_id}", title, unit_label, views.source_note(tables, data["report_id"]),
                 theme, scope, note=note, data=_chart_data(everything.assign(status="actual")),
                 alt=_alt(title, data, unit))


def theme_share_bars(tables, theme: str, out_dir, cities=None, periods=None, scope: str = "") -> dict | None:
    """Share of each report's body text given to one theme (bars coloured by city)."""
    everything = views.theme_share(tables, theme, cities, periods)
    if everything.empty or everything["share"].sum() == 0:
        return None
    many = len(everything) > views.TOP_N
    # many reports: each city's latest report, the largest shares drawn, the other cities summarised
    data = views.latest_share(everything) if many else everything
    rest = pd.DataFrame(columns=["group", "status", "n_cities", "value", "low", "high", "cities"])
    drawn_from = data  # the summary bar stands for the other cities' latest reports
    if many:
        data, rest = views.limit_cities(data.assign(value=data["share"] * 100, status="actual", group=""))
    fig, ax = style.new_figure()
    x = np.arange(len(data) + len(rest))
    ax.bar(x[:len(data)], data["share"] * 100, 0.7, color=[style.city_color(c) for c in data["city"]])
    for i, v in zip(x, data["share"] * 100):
        ax.annotate(f"{v:.1f}%", (i, v), xytext=(0, 4), textcoords="offset points", ha="center", va="bottom")
    for i, r in zip(x[len(data):], rest.to_dict("records")):
        _rest_bar(ax, i, 0.7, r, 1.0, fontsize=20, suffix="%")
    # one bar a city (many reports): the city and its period under the bar name it, as in indicator_bars
    ticks = ([f"{_wrap(c, 7)}\n{p}" for c, p in zip(data["city"], data["period"])] if many else
             [_wrap(lbl, 10) for lbl in data["label"]])
    ax.set_xticks(x, ticks + [f"其余 {n} 市\n中位数" for n in rest["n_cities"]], fontsize=15 if len(x) > 6 else None)
    _headroom(ax, float(max(data["share"].max() * 100, rest["high"].max() if len(rest) else 0)))
    if many:  # the legend only says what the grey bar is
        if len(rest):
            ax.legend(handles=[_rest_handle()], loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:  # several reports a city: the colour says whose
        _legend(ax, list(dict.fromkeys(data["city"])), False)
    title = f"{theme_names()[theme]}：在各{'市最新' if many else ''}报告正文中所占篇幅"
    note = ""
    if many:
        note = ("注：报告较多，每市只取最新一份报告。" + _rest_note(rest, 1.0, "%")).replace("数值最大", "篇幅占比最大")
    return _save(fig, ax, out_dir, "theme_share", title, "占正文字数 %", views.source_note(tables, drawn_from["report_id"]),
                 theme, scope, note=note, data=everything[["city", "period", "report_id", "n_sentences", "n_chars", "share"]]
                 if many else None)


def theme_share_heatmap(tables, out_dir, cities=None, periods=None, stem="theme_share_heatmap", scope: str = "") -> dict | None:
    """Report × theme heatmap of the share of body text (%), cells annotated."""
    wide = views.theme_share_wide(tables, cities, periods)
    if wide.empty:
        return None
    everything = views.theme_share(tables, None, cities, periods)
    notes = []
    if len(wide) > HEATMAP_ROWS:  # many reports: no more rows than a slide can name
        if everything["city"].nunique() == 1:  # one city's many reports: one a period
            latest = everything.drop_duplicates("period", keep="last")  # oldest period first (views.select_reports)
            notes.append("报告较多，每期只取一份报告")
            if len(latest) > HEATMAP_ROWS:
                notes.append(f"期间较多：只画最近 {HEATMAP_ROWS} 期，另有 {len(latest) - HEATMAP_ROWS} 期未画出")
                latest = latest.tail(HEATMAP_ROWS)
        else:  # each city's latest
            latest = views.latest_share(everything)
            order = {c: i for i, c in enumerate(views.cities(tables))}
            latest = latest.assign(_c=latest["city"].map(order)).sort_values("_c", kind="stable")
            notes.append("报告较多，每市只取最新一份报告")
            if len(latest) > HEATMAP_ROWS:
                notes.append(f"城市较多：只画前 {HEATMAP_ROWS} 市，另有 {len(latest) - HEATMAP_ROWS} 市未画出")
                latest = latest.head(HEATMAP_ROWS)
        wide = wide[wide.index.isin(set(latest["label"]))]
        wide.index = wide.index.map(dict(zip(latest["label"], latest["city"] + " " + latest["period"].astype(str))))
        notes.append("全部报告的数值见图表数据（CSV）与上表")
    fig, ax = style.new_figure()
    vals = wide.to_numpy(dtype=float) * 100
    im = ax.imshow(vals, cmap="Blues", aspect="auto", vmin=0, vmax=max(float(np.nanmax(vals)), 1.0))
    ax.grid(False)
    # a row is 1080 px × about 0.7 / rows high: the type fits it (20 pt for a few reports, 10 pt for thirty)
    size = max(10, min(20, int(style.FIG_SIZE[1] * style.DPI * 0.7 / len(wide) * 0.6 * 72 / style.DPI)))
    for (i, j), v in np.ndenumerate(vals):
        if v >= 0.05:
            ax.text(j, i, f"{v:.0f}" if v >= 1 else "<1", ha="center", va="center", fontsize=min(14, size),
                    color="white" if v > np.nanmax(vals) * 0.6 else "#222222")
    # theme names are long: slant them so neighbours never overlap, whatever the number of themes
    ax.set_xticks(range(vals.shape[1]), list(wide.columns), fontsize=15, rotation=40, ha="left",
                  rotation_mode="anchor")
    ax.set_yticks(range(vals.shape[0]), list(wide.index), fontsize=size)
    ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    fig.colorbar(im, ax=ax, fraction=0.025, pad=0.01, label="占正文字数 %")
    ids = views.select_reports(tables, cities, views.check_periods(periods, tables))["report_id"]
    data = everything[everything["share"] > 0][["city", "period", "label", "theme_name", "n_sentences", "n_chars",
                                                "share", "report_id"]]
    return _save(fig, ax, out_dir, stem, "各报告正文篇幅的主题分布（%）", "", views.source_note(tables, ids), "", scope,
                 note=("注：" + "；".join(notes) + "。") if notes else "", data=data)


HEATMAP_ROWS = 30  # reports a heatmap draws at most: each row a line of legible type on a 1080-px slide


def availability_heatmap(tables, out_dir, theme: str | None = None, cities=None, stem="availability", scope: str = "") -> dict | None:
    """City × catalogue indicator: which cities report which indicators (actual, planned only, none)."""
    long = views.availability(tables, theme, cities)
    if long.empty:
        return None
    names = list(dict.fromkeys(long["name_zh"]))
    cs = list(dict.fromkeys(long["city"]))
    grid = long.pivot_table(index="city", columns="name_zh", values="level", aggfunc="max").reindex(index=cs, columns=names)
    counts = long.pivot_table(index="city", columns="name_zh", values="n_actual", aggfunc="sum").reindex(index=cs, columns=names)
    note = ""
    rest = []
    if len(cs) > HEATMAP_ROWS:  # a national corpus: no more columns than a slide can name, the others summed up
        reported = (grid == 2).sum(axis=1).sort_values(ascending=False, kind="stable")  # indicators with a value
        top = set(reported.index[: HEATMAP_ROWS - 1])
        rest = [c for c in cs if c not in top]
        cs = [c for c in cs if c in top]
        note = (f"注：城市较多：只画有实际值的指标最多的 {len(cs)} 市；最后一列为其余 {len(rest)} 市中有实际值的城市数。"
                "全部城市见上表与图表数据（CSV）。")
    fig, ax = style.new_figure()
    cmap = ListedColormap(["#F2F2F2", "#9ECAE1", "#2171B5"])
    levels = grid.loc[cs].T.to_numpy(dtype=float)  # rows: indicators, columns: cities
    if rest:  # the summary column: blank cells (no level), each with the number of the other cities that report it
        levels = np.column_stack([levels, np.full(len(names), np.nan)])
    ax.imshow(levels, cmap=cmap, vmin=-0.5, vmax=2.5, aspect="auto")
    ax.grid(False)
    small = len(names) > 14
    shown = counts.loc[cs].T.to_numpy()
    for (i, j), lvl in np.ndenumerate(levels[:, : len(cs)]):
        if lvl == 2:
            ax.text(j, i, str(int(shown[i, j])), ha="center", va="center", color="white", fontsize=13 if small else 18)
    if rest:
        n_rest = (grid.loc[rest] == 2).sum(axis=0)
        for i, name_ in enumerate(names):
            ax.text(len(cs), i, f"{int(n_rest[name_])}", ha="center", va="center", color="#222222", fontsize=13 if small else 18)
    units = dict(zip(long["name_zh"], long["unit"]))
    ax.set_yticks(range(len(names)), [f"{n} [{units[n]}]" for n in names], fontsize=13 if small else 18)
    columns = cs + ([f"其余 {len(rest)} 市"] if rest else [])
    if len(columns) > 8:  # many cities: slanted, as the themes of the share heatmap, so neighbours never overlap
        ax.set_xticks(range(len(columns)), columns, fontsize=15, rotation=40, ha="left", rotation_mode="anchor")
    else:
        ax.set_xticks(range(len(columns)), columns)
    ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(names)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.legend(handles=[Patch(facecolor="#2171B5", label="有实际值（数字=观测数）"),
                       Patch(facecolor="#9ECAE1", label="仅有计划/基数值"),
                       Patch(facecolor="#F2F2F2", edgecolor="#BBBBBB", label="未报告")],
              loc="upper left", bbox_to_anchor=(1.01, 1.0))
    name = theme_names().get(theme, "") if theme else ""
    title = f"{name + '：' if name else ''}各市指标可得性（指标目录）"
    ind = tables["indicators"]
    ids = ind.loc[ind["city"].isin(cs + rest), "report_id"] if not ind.empty else tables["reports"]["report_id"]
    return _save(fig, ax, out_dir, stem, title, "", views.source_note(tables, ids), theme or "", scope, note=note,
                 data=long[["city", "theme", "name_zh", "unit", "n_actual", "n_planned", "n_baseline"]])


MEASURE_CSV_COLUMNS = ["city", "measure_label", "status", "period_zh", "value", "unit", "qualifier", "stated_value",
                       "numerator_display", "numerator_report_id", "numerator_source_text", "denominator_display",
                       "denominator_source", "denominator_source_url", "year_rule_zh", "note"]


def _measure_note(data: pd.DataFrame) -> str:
    """注 under a derived measure: what it is, its year rule, and what differs between the values drawn."""
    first = data.iloc[0]
    bits = [f"派生指标，按参考数据计算（{first['year_rule_zh']}）"]
    for n in dict.fromkeys(f"{r.city}{r.period_zh}：{r.note}" for r in data.itertuples() if r.note):
        bits.append(n)
    if data["stated_value"].notna().any():
        bits.append("◆ 为报告自述的同名比率，供核对")
    return "注：" + "。".join(bits) + "。"


def measure_bars(tables, measure_id: str, out_dir, cities=None, scope: str = "") -> dict | None:
    """One derived measure (``views.measures``) across cities and periods: a bar per value, labelled
    with the value and the numerator's period, coloured by city (a 城镇/农村 part lighter, dashed);
    where the report states the same rate itself, a ◆ marks the stated value beside the derived one."""
    everything = views.measures(tables, cities_=cities)
    everything = everything[everything["measure_id"] == measure_id]
    if everything.empty:
        return None
    name, unit, theme = everything.iloc[0]["name_zh"], everything.iloc[0]["unit"], everything.iloc[0]["theme"]
    data, rest = everything, pd.DataFrame(columns=["group", "status", "n_cities", "value", "low", "high", "cities"])
    if everything["city"].nunique() > views.TOP_N:  # many cities: each city's latest whole-city value, the largest drawn
        latest = everything[everything["area"] == "全市"].assign(_e=everything["period"].map(views.period_end))
        latest = latest.sort_values("_e", kind="stable").drop_duplicates(["city", "status"], keep="last")
        data, rest = views.limit_cities(latest.drop(columns="_e").assign(group=""))
        data = everything.loc[[i for i in everything.index if i in set(data.index)]]
    fig, ax = style.new_figure()
    xs, ticks, x, prev = [], [], 0.0, None
    for _, r in data.iterrows():
        if prev is not None and r["city"] != prev:
            x += 0.4
        part = r["aggregate"] == "part"
        kw = _bar_kwargs(r["city"], r["status"] == "baseline")
        if part:
            kw["color"] = to_rgba(style.city_color(r["city"]), PART_ALPHA)
            kw["linestyle"] = "--"
        ax.bar(x, r["value"], 0.6, **kw)
        sign = views.QUALIFIER_SIGN.get(r["qualifier"], "")
        ax.annotate(f"{sign}{r['value']:,.2f}", (x, r["value"]), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=16)
        if pd.notna(r["stated_value"]):
            ax.plot([x + 0.38], [r["stated_value"]], marker="D", color="#222222", markersize=12, linestyle="")
            ax.annotate(f"自述 {r['stated_value']:,.2f}", (x + 0.38, r["stated_value"]), xytext=(10, 0),
                        textcoords="offset points", ha="left", va="center", fontsize=14)
        tag = f"{r['city']}\n{r['period_zh']}" + ("\n基数" if r["status"] == "baseline" else "")
        ticks.append(tag + (f"\n{r['area']}" if part else ""))
        xs.append(x)
        prev = r["city"]
        x += 1.0
    for r in rest.to_dict("records"):
        x += 0.4
        _rest_bar(ax, x, 0.6, r, 1.0)
        ticks.append(f"其余 {r['n_cities']} 市\n中位数" + ("\n基数" if r["status"] == "baseline" else ""))
        xs.append(x)
        x += 1.0
    ax.set_xticks(xs, ticks, fontsize=13 if len(xs) > 8 else 16)
    ax.set_xlim(min(xs) - 0.8, max(xs) + 1.0)
    top = float(max(data["value"].max(), data["stated_value"].max() if data["stated_value"].notna().any() else 0,
                    rest["high"].max() if len(rest) else 0))
    _headroom(ax, top)
    city_order = [c for c in views.cities(tables) if c in set(data["city"])]
    handles = [Patch(facecolor=style.city_color(c), label=c) for c in city_order]
    if (data["status"] == "baseline").any():
        handles.append(Patch(facecolor=to_rgba("#888888", PLANNED_ALPHA), edgecolor="#888888", hatch=PLANNED_HATCH,
                             label="基数（规划基期值）"))
    if data["stated_value"].notna().any():
        handles.append(Line2D([], [], marker="D", color="#222222", linestyle="", markersize=12, label="报告自述的比率"))
    if len(rest):
        handles.append(_rest_handle())
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    title = f"{theme_names().get(theme, theme)}：{name}（派生指标）"
    alt = f"{title}：" + "；".join(f"{r.city}{r.period_zh}{r.measure_label} {r.display}" for r in data.itertuples()) + "。"
    note = _measure_note(data)
    if len(rest):
        note += "城市较多：每市只画最新一期全市值。" + _rest_note(rest, 1.0, unit)
    return _save(fig, ax, out_dir, f"measure_{measure_id}", title, unit, views.measure_source_note(tables, data),
                 theme, scope, note=note, data=everything[MEASURE_CSV_COLUMNS], alt=alt)


STANDARD_MEASURE = "dibao_standard_to_consumption"


def standard_consumption_bars(tables, out_dir, cities=None, stem="dibao_standard_vs_consumption",
                              scope: str = "") -> dict | None:
    """低保标准 against the previous year's 居民人均消费支出 (per month, ÷12): two bars per city and area,
    the ratio written above them. Only where both inputs exist (``measures``); the 注 names the cities
    without a denominator, and the data-quality notes say why."""
    data = views.measures(tables, cities_=cities)
    data = data[data["measure_id"] == STANDARD_MEASURE]
    if data.empty:
        return None
    fig, ax = style.new_figure()
    xs, ticks = [], []
    top = 0.0
    for k, (_, r) in enumerate(data.iterrows()):
        monthly = r["denominator_value"] / 12
        x = k * 1.6
        c = style.city_color(r["city"])
        ax.bar(x - 0.3, r["numerator_value"], 0.55, color=c, edgecolor=c, linewidth=2)
        ax.bar(x + 0.3, monthly, 0.55, color=to_rgba(c, PART_ALPHA), edgecolor=c, linewidth=2, hatch="..")
        ax.annotate(f"{r['numerator_value']:,.0f}", (x - 0.3, r["numerator_value"]), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=15)
        ax.annotate(f"{monthly:,.0f}", (x + 0.3, monthly), xytext=(0, 4), textcoords="offset points",
                    ha="center", va="bottom", fontsize=15)
        peak = max(r["numerator_value"], monthly)
        ax.annotate(f"标准/消费 = {r['display']}", (x, peak), xytext=(0, 34), textcoords="offset points",
                    ha="center", va="bottom", fontsize=18, fontweight="bold")
        top = max(top, peak)
        xs.append(x)
        ticks.append(f"{r['city']}（{r['area']}）\n标准 {r['period_zh']}\n消费 {r['denominator_year']}年")
    ax.set_xticks(xs, ticks, fontsize=15)
    ax.set_xlim(min(xs) - 1.6, max(xs) + 1.6)
    ax.set_ylim(0, top * 1.35)
    ax.legend(handles=[Patch(facecolor="#888888", label="低保标准（元/人/月）"),
                       Patch(facecolor=to_rgba("#888888", PART_ALPHA), edgecolor="#888888", hatch="..",
                             label="上年居民人均消费支出÷12（元/人/月）")],
              loc="upper left", bbox_to_anchor=(1.0, 1.0))
    title = "低保标准与上年居民人均消费支出（月均）"
    gaps = views.measure_notes(tables, cities_=cities)
    gaps = gaps[(gaps["measure_id"] == STANDARD_MEASURE) & ~gaps["city"].isin(set(data["city"]))]
    missing = "、".join(dict.fromkeys(gaps["city"]))
    note = ("注：比率 = 低保标准 ÷（上年居民人均消费支出 ÷ 12）。城乡统一的标准与各口径消费支出分别相比。"
            + (f"{missing}缺上年居民人均消费支出，未计算（见数据说明）。" if missing else "")
            + "".join(f"{r.city}：{r.note}。" for r in data.itertuples() if r.note))
    alt = f"{title}：" + "；".join(f"{r.city}（{r.area}）低保标准{r.numerator_value:,.0f}元/人/月，"
                                    f"{r.denominator_year}年人均消费支出月均{r.denominator_value / 12:,.0f}元，比率{r.display}"
                                    for r in data.itertuples()) + "。"
    return _save(fig, ax, out_dir, stem, title, "元/人/月", views.measure_source_note(tables, data), "", scope,
                 note=note, data=data[MEASURE_CSV_COLUMNS + ["denominator_value", "numerator_value"]], alt=alt)


def theme_figures(tables, theme: str, figures_dir, cities=None, periods=None) -> list[dict]:
    """Every figure of a theme notebook: text share, standards, one bar chart per indicator, trends."""
    out = figure_dir(figures_dir, theme=theme)
    recs = [theme_share_bars(tables, theme, out, cities, periods),
            allowance_bars(tables, out, theme, cities, periods)]
    lat = views.latest(tables, theme, cities, periods)
    for ind in dict.fromkeys(lat["indicator_id"]):
        recs.append(indicator_bars(tables, ind, out, cities, periods))
    tr = views.trend(tables, theme=theme)
    if cities is not None:
        tr = tr[tr["city"].isin(cities)]
    for ind in dict.fromkeys(tr["indicator_id"]):
        recs.append(trend_lines(tables, ind, out, cities=cities, theme=theme))
    for measure in dict.fromkeys(views.measures(tables, theme, cities)["measure_id"]):
        recs.append(measure_bars(tables, measure, out, cities))
    return [r for r in recs if r]
