"""HTML pages an analyst can use offline: complete tables, figures with alt text and their data,
notes and sources, a table of contents and a way back to the index.

- **Tables** (``table``): every row and every character of every cell, sortable and searchable,
  through itables in offline mode (its DataTables bundle is written into the page once by
  ``init``; nothing is fetched). Headers and coded values are in Chinese (``lib.labels``).
- **Figures** (``figure``): the PNG with alt text, its 注, its source, and links to its data CSV
  and its SVG beside it in ``figures/``.
- **Notes** (``definitions``, ``sources``): 指标解释 from the catalogue, and 资料来源 naming each
  report by title, issuing bureau and URL from the manifest.
- **Export** (``write_html``): nbconvert's lab template without the remote scripts it loads by
  default (require.js, MathJax, mermaid, widgets), plus a table of contents and a link to
  ``index.html``. ``remote_requests`` finds anything a page would fetch from the internet.
- **Index** (``write_index``): pages grouped by kind, theme and city, each with what it holds.
"""

from __future__ import annotations

import base64
import functools
import html
import re
import urllib.parse
from pathlib import Path

import pandas as pd

from lib import catalogue, comparability, labels, outputs

_TEMPLATE_DIR = Path(__file__).resolve().parent / "data"
_TEMPLATE = "report.html.j2"

_CSS = """<style>
.mz-figure{margin:1.5em 0}.mz-figure img{max-width:100%;height:auto;border:1px solid #eee}
.mz-figure figcaption{font-size:.92em;color:#444;line-height:1.6}
.mz-note{background:#fff8e1;border-left:4px solid #f0b400;padding:.3em .8em;margin:.4em 0}
table.dataTable td{white-space:normal;vertical-align:top}
</style>"""


# --- in the notebooks ------------------------------------------------------------------------------
PAGE_ROWS = 500  # rows a page shows of one table; a longer table is cut there and written whole as a CSV
_PAGE: dict = {"data_dir": None, "page_dir": None, "n": 0}


def init(data_dir=None, page_dir=None):
    """Load itables offline (its bundle goes into the page) and the page's own CSS; run once, first.

    ``data_dir``: the notebook's own folder (its figure folder), where a table longer than
    ``PAGE_ROWS`` is written whole as ``table_<n>.csv``; ``page_dir``: where the page goes (for the
    link). Without ``data_dir`` every table is shown whole.
    """
    from IPython.display import HTML, display
    from itables import init_notebook_mode

    _PAGE.update(data_dir=Path(data_dir) if data_dir else None, page_dir=page_dir, n=0)
    init_notebook_mode(all_interactive=False, connected=False)
    display(HTML(_CSS))


def _newest_first(df: pd.DataFrame) -> pd.DataFrame:
    col = next((c for c in ("period", "report_period") if c in df.columns), None)
    if col is None:
        return df
    return df.assign(_e=comparability.period_ends(df[col].astype(str))).sort_values("_e", ascending=False, kind="stable",
                                                                     na_position="last").drop(columns="_e")


def table(df: pd.DataFrame, empty: str = "（无数据）", caption: str = ""):
    """Show the rows of a frame as a sortable, searchable table (Chinese headers and labels).

    No cell is truncated (``maxBytes=0`` turns off itables' downsampling). A table of up to
    ``PAGE_ROWS`` rows is shown whole; a longer one (a national corpus: thousands of claims or
    reports) shows its newest ``PAGE_ROWS`` rows, and the whole table is written beside the
    notebook's figures as a CSV linked above it, so a page costs the same whatever the corpus.
    Returns a Markdown note for an empty frame.
    """
    from IPython.display import Markdown, display

    data = getattr(df, "data", df)
    if data is None or len(data) == 0:
        return display(Markdown(f"*{html.escape(empty)}*"))
    from itables import show

    shown = labels.for_display(data.reset_index(drop=not _meaningful_index(data)))
    _PAGE["n"] += 1
    if len(shown) > PAGE_ROWS and _PAGE["data_dir"] is not None:
        from lib.files import write_excel_csv

        folder = _PAGE["data_dir"]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"table_{_PAGE['n']:02d}.csv"
        write_excel_csv(shown, path)
        link = urllib.parse.quote(outputs.rel_link(path, outputs.resolve(_PAGE["page_dir"], "notebooks")))
        display(Markdown(f"*共 {len(shown):,} 行；本页按期间由新到旧显示前 {PAGE_ROWS} 行。"
                         f'完整表格：<a href="{html.escape(link)}">{html.escape(path.name)}（CSV）</a>*'))
        shown = labels.for_display(_newest_first(data).head(PAGE_ROWS).reset_index(drop=not _meaningful_index(data)))
    show(shown, maxBytes=0, showIndex=False, classes="display compact", lengthMenu=[10, 25, 100, -1],
         pageLength=25 if len(shown) > 25 else max(len(shown), 10), display_logo_when_loading=False,
         caption=caption or None, allow_html=False)


def _meaningful_index(df: pd.DataFrame) -> bool:
    return not isinstance(df.index, pd.RangeIndex) or any(n is not None for n in df.index.names)


def figure_html(rec: dict, page_dir: str | Path) -> str:
    """A figure: the PNG (embedded, with alt text), then its 注, its source and links to its data
    CSV and SVG (relative to the page)."""
    png = Path(rec["png"])
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    e = html.escape
    links = []
    if rec.get("csv"):
        links.append(f'<a href="{e(urllib.parse.quote(outputs.rel_link(rec["csv"], page_dir)))}">图表数据（CSV）</a>')
    if rec.get("svg"):
        links.append(f'<a href="{e(urllib.parse.quote(outputs.rel_link(rec["svg"], page_dir)))}">矢量图（SVG）</a>')
    note = f'<div class="mz-note">{e(rec["note"])}</div>' if rec.get("note") else ""
    return (f'<figure class="mz-figure"><img src="data:image/png;base64,{data}" alt="{e(rec.get("alt") or rec["title"])}"'
            f' width="960"><figcaption><strong>{e(rec["title"])}</strong>{note}<div>{e(rec.get("source", ""))}</div>'
            f'<div>{" · ".join(links)}</div></figcaption></figure>')


def figure(rec: dict | None, page_dir: str | Path | None = None) -> None:
    """Display a saved figure (``lib.charts`` record) in a notebook; nothing for None."""
    if not rec:
        return
    from IPython.display import HTML, display

    display(HTML(figure_html(rec, outputs.resolve(page_dir, "notebooks"))))


def definitions(indicator_ids) -> pd.DataFrame:
    """指标解释: the catalogue's name, unit, kind of figure and definition of each indicator shown."""
    from lib.catalogue import catalogue_frame

    cat = catalogue_frame()
    ids = list(dict.fromkeys(indicator_ids))
    cat = cat[cat["indicator_id"].isin(ids)].copy()
    cat["kind"] = cat["kind"].map(lambda k: labels.zh("figure_kind", catalogue.kinds()[k].figure if k in catalogue.kinds() else k))
    cat = cat.assign(_o=cat["indicator_id"].map(ids.index)).sort_values("_o")
    return cat[["indicator_id", "name_zh", "unit", "kind", "definition"]].reset_index(drop=True)


def measure_definitions(measure_ids) -> pd.DataFrame:
    """派生指标解释: each derived measure shown, with its unit, inputs, year rule and definition."""
    from lib.derived import SERIES_ZH, YEAR_RULE_ZH, measures

    rows = []
    for mid in dict.fromkeys(measure_ids):
        m = measures().get(mid)
        if m is None:
            continue
        rows.append({"measure_id": mid, "name_zh": m.name_zh, "unit": m.unit,
                     "numerator_id": m.numerator, "denominator_series": SERIES_ZH[m.denominator],
                     "year_rule_zh": YEAR_RULE_ZH[m.year_rule], "definition": m.definition})
    return pd.DataFrame(rows, columns=["measure_id", "name_zh", "unit", "numerator_id", "denominator_series",
                                       "year_rule_zh", "definition"])


def reference_sources_markdown(measures: pd.DataFrame) -> str:
    """The documents the denominators of the derived measures shown were read in (data/reference/denominators.csv)."""
    from lib.views import safe as e

    if measures is None or measures.empty:
        return "*（本页未用参考数据）*"
    cols = ["denominator_source_title", "denominator_source_issuer", "denominator_source_date", "denominator_source_url"]
    lines = []
    for title, issuer, date, url in measures[cols].drop_duplicates().itertuples(index=False):
        link = f'<a href="{html.escape(url)}">{e(url)}</a>' if str(url).startswith(("http://", "https://")) else e(url)
        lines.append(f"- 《{e(str(title).strip('[]'))}》，{e(issuer)}，{e(date)}。{link}（参考数据：分母）")
    return "\n".join(lines)


CAVEATS = [
    "≈ 为约数（约/近/左右），≥/≤ 为下限/上限（超/逾/以上、不足/以内）；斜线浅色柱为计划/目标值。",
    "每根柱下标注数据期间：“截至…”为时点数，“…年”为全年合计或当年标准，“…累计”为多年累计，“上半年”为半年合计。",
    "不同口径（全年、半年、多年累计、目标）分组显示，组间以虚线分隔，不可直接比较；各市期间不同时，图下“注”逐市列出。",
    "虚线边框的浅色柱为分项（城市/农村、集中/散居、档次、区县），画在本市合计之后，不与他市合计比较。",
    "同一城市、指标、期间、范围出现不同数值时，取措辞最贴近指标目录定义者，其余列入“数据冲突”表。",
    "派生指标（覆盖率、每千人/每万人、标准占消费支出比例）由报告中的数值除以参考数据（data/reference/denominators.csv）"
    "中有出处的分母算出，与报告自述的比率分列；分母缺失或年份不符时不计算，原因列入数据说明。",
]


def sources(tables: dict, report_ids=None) -> pd.DataFrame:
    """资料来源: each report by title, issuing bureau, date and URL (manifest first, else the page)."""
    rep = tables["reports"]
    if report_ids is not None:
        rep = rep[rep["report_id"].isin(set(report_ids))]
    rep = rep.assign(_end=comparability.period_ends(rep["period"])).sort_values(["city", "_end"])

    def text(col: str, default: str = "") -> pd.Series:
        s = rep[col].astype(object) if col in rep else pd.Series("", index=rep.index, dtype=object)
        s = s.where(s.notna(), "").astype(str)
        return s.where(s != "", default)

    title = text("title")
    issuer = text("issuer")
    guess = {t: _issuer_from_title(t) for t in pd.unique(title[issuer == ""])}
    issuer = issuer.where(issuer != "", title.map(guess)).fillna("")
    return pd.DataFrame({"city": rep["city"], "report_period": rep["period"], "title": title.where(title != "", "（无标题）"),
                         "issuer": issuer.where(issuer != "", "（未注明）"), "published": text("published"),
                         "source": text("source", "（未注明网址）"), "report_id": rep["report_id"]}).reset_index(drop=True)


def _issuer_from_title(title: str) -> str:
    m = re.match(r"^(.{2,12}?(?:民政局|民政厅|民政部))", title)
    return m.group(1) if m else ""


def sources_markdown(tables: dict, report_ids=None) -> str:
    """资料来源 as a Markdown list (all text escaped for HTML and Markdown; only http(s) links)."""
    from lib.views import safe as e  # a title or file name such as [a](javascript:…) stays text

    src = sources(tables, report_ids)
    if src.empty:
        return "*（无）*"
    lines = []
    more = len(src) - PAGE_ROWS
    if more > 0:  # a national corpus: the newest reports here, every report on the index page
        src = _newest_first(src).head(PAGE_ROWS)
    for r in src.itertuples():
        url = r.source
        link = f'<a href="{html.escape(url)}">{e(url)}</a>' if url.startswith(("http://", "https://")) else e(url)
        lines.append(f"- 《{e(r.title)}》，{e(r.issuer)}{('，' + e(r.published)) if r.published else ''}。{link}"
                     f"（{e(r.city)} {e(str(r.report_period))}，报告编号 {e(r.report_id)}）")
    if more > 0:
        lines.append(f"- ……另有 {more:,} 份较早的报告，全部报告见索引页（index.html）的“资料来源 · 报告”。")
    return "\n".join(lines)


# --- export ----------------------------------------------------------------------------------------
def write_html(nb, path: Path, title: str, index_name: str = "index.html") -> None:
    """Export an executed notebook to HTML without code and without remote scripts, with a table
    of contents and a link back to the index."""
    from lib.files import atomic_path

    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = add_navigation(body, index_name)
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(body, encoding="utf-8")


@functools.lru_cache(maxsize=1)
def html_exporter():
    """The nbconvert exporter of the pages, built once per process (its templates compile once)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", extra_template_paths=[str(_TEMPLATE_DIR)], template_file=_TEMPLATE,
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


_HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def add_navigation(page: str, index_name: str = "index.html") -> str:
    """Insert a back link to the index and a table of contents (the page's h2/h3) after <body>."""
    items = []
    for level, anchor, inner in _HEADING.findall(page):
        text = re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip()
        if text:
            items.append(f'<li class="toc-h{level}"><a href="#{anchor}">{text}</a></li>')
    nav = (f'<nav class="mz-nav" aria-label="目录" style="max-width:1100px;margin:1em auto;padding:0 1em">'
           f'<p><a href="{html.escape(index_name)}">← 返回索引 Index</a></p>'
           + (f'<details open><summary>目录 Contents</summary><ul>{"".join(items)}</ul></details>' if items else "")
           + "</nav>")
    m = re.search(r"<body[^>]*>", page)
    return page[:m.end()] + nav + page[m.end():] if m else nav + page


_LOADS = re.compile(r"""<(script|img|iframe|link|source|video|audio|embed)\b[^>]*?\b(src|href)\s*=\s*["']?([^"'\s>]+)""",
                    re.I | re.S)
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""", re.I)
_IMPORT = re.compile(r"""\bimport\s*(?:[^'"]*?\bfrom\s*)?["']((?:https?:)?//[^"']+)["']""")


def remote_requests(page: str) -> list[str]:
    """Every URL a page would fetch when opened (scripts, styles, images, frames, CSS url()/@import,
    ES module imports); plain links the reader may click are not requests."""
    found = []
    for _tag, _attr, url in _LOADS.findall(page):
        if re.match(r"^(?:https?:)?//", url, re.I):
            found.append(url)
    found += _CSS_URL.findall(page)
    found += _IMPORT.findall(page)
    return found


_DATA_JSON = re.compile(r'"data_json":\s*("(?:[^"\\]|\\.)*")')


def table_rows(page: str) -> list[list]:
    """The rows of every interactive table of a page, as the browser receives them (tests use it)."""
    import json

    rows = []
    for literal in _DATA_JSON.findall(page):
        rows += json.loads(json.loads(literal))
    return rows


# --- the index -------------------------------------------------------------------------------------
PAGE_HOLDS = {
    "overview": "全部报告、各报告专题篇幅热力图、各市指标可得性、补助/保障标准比较、数据冲突与数据说明",
    "theme": "该专题各市最新指标（按口径分组，附注）、趋势、篇幅、排名/首创/试点等叙述性表述、指标解释与资料来源",
    "city": "该市各期报告、专题篇幅、全部指标最新值、多期变化、叙述性表述、指标解释与资料来源",
}


def write_index(reports_dir: Path, tables: dict) -> Path:
    """reports/index.html: the pages grouped by kind (overview, themes, cities), each with what it
    holds and which cities or reports it covers; then the reports of the corpus (all text escaped)."""
    from lib.files import atomic_path
    from lib.themes import theme_ids, theme_names

    e = html.escape
    names = theme_names()
    groups: dict[str, list[tuple]] = {k: [] for k in outputs.KINDS}
    ind = tables["indicators"]
    rep = tables["reports"]
    for f in sorted(Path(reports_dir).glob("*.html")):
        found = outputs.kind_of_stem(f.stem)
        if found is None:
            continue
        kind, key = found
        if kind == "theme":
            if key not in names:
                continue
            n_ind = ind.loc[ind["theme"] == key, "indicator_id"].nunique() if len(ind) else 0
            who = "、".join(sorted(set(ind.loc[ind["theme"] == key, "city"]))) if len(ind) else ""
            detail = f"{n_ind} 项指标" + (f"（{who}）" if who else "")
            groups[kind].append((theme_ids().index(key), f"{names[key]}", f.name, detail))
        elif kind == "city":
            sub = rep[rep["city"].map(outputs.safe_name) == key]
            label = sub["city"].iloc[0] if len(sub) else key
            detail = f"{len(sub)} 份报告：" + "、".join(map(str, sub["period"])) if len(sub) else ""
            groups[kind].append((label, label, f.name, detail))
        else:
            groups[kind].append((0, outputs.KINDS[kind].heading, f.name, f"{len(rep)} 份报告"))
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>民政工作报告比较 · 索引</title>",
             "<style>body{font-family:sans-serif;max-width:64em;margin:2em auto;padding:0 1em;line-height:1.6}"
             "td,th{padding:.25em .8em;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}"
             "dt{font-weight:bold;margin-top:.6em}dd{margin-left:1.5em;color:#444}</style></head><body>",
             "<h1>民政工作报告比较 · 索引</h1>",
             "<p>各页均可离线打开；表格可排序、可搜索；每张图下有注、来源和图表数据（CSV）。</p>"]
    for kind, items in groups.items():
        if not items:
            continue
        parts.append(f"<h2>{e(outputs.KINDS[kind].heading)}</h2><p>{e(PAGE_HOLDS.get(kind, ''))}</p><dl>")
        for _, label, fname, detail in sorted(items, key=lambda t: (str(t[0]) if kind == "city" else t[0])):
            parts.append(f'<dt><a href="{e(urllib.parse.quote(fname))}">{e(str(label))}</a></dt><dd>{e(detail)}</dd>')
        parts.append("</dl>")
    if len(rep):
        src = sources(tables)
        parts.append("<h2>资料来源 · 报告</h2><table><tr>" + "".join(
            f"<th>{e(labels.header(c))}</th>" for c in src.columns) + "</tr>")
        for r in src.itertuples(index=False):
            parts.append("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    path = Path(reports_dir) / "index.html"
    with atomic_path(path) as tmp:
        tmp.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path
