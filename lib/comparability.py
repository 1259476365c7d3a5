"""Comparability: what kind of figure each indicator row is, and which value stands when two disagree.

Two numbers can only be set side by side (in a trend or a "latest" comparison) when they are
the same kind of figure over the same kind of period, and both are totals (or the same part).
This stage derives, for every row of ``indicators``:

- ``figure_kind``: ``stock`` (a count at a date), ``flow`` (a total over a period), ``standard``
  (an allowance in force), ``share`` (a percentage) or ``target`` (a planned value), from the
  catalogue ``kind`` and the row's ``status``;
- ``period_type``: ``date`` (截至 2018-11), ``year``, ``half``, ``quarter``, ``months`` (1–5月 of a
  year) or ``span`` (a multi-year cumulative total such as 2016-2018), and ``period_zh``, the
  period as a Chinese label (``2016—2018年累计``);
- ``aggregate`` (``total`` or ``part``) and ``split`` (城乡, 供养方式, 档次, 地区, 类型 or 分项):
  a row with a ``scope_detail`` or a scope other than the whole city is a part, never a peer of
  a city's total;
- ``basis``: the comparability key. Two rows of one indicator may share a trend line or a bar
  group only when their ``basis`` is equal (``flow:year`` ≠ ``flow:half`` ≠ ``flow:span3``);
- ``wording`` and ``wording_rank``: the words that named the indicator and how close they are to
  the catalogue definition (0 = the catalogue's first alias, its own name for it);
- ``preferred``: False for a row that lost a conflict (see ``resolve_conflicts``).

The conflict rule, one for the whole suite: rows of the same city, indicator, period, scope,
scope_detail and status with different values conflict. The row whose wording matches the
catalogue definition best (lowest ``wording_rank``) stands; on a tie an exact figure beats an
approximate one, a sentence beats a table cell, the later report beats the earlier, and the first
in the text wins. Every losing row is listed in the ``conflicts`` table.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from lib.catalogue import catalogue, kinds

FIGURE_KIND_ZH = {"stock": "时点数", "flow": "期间合计", "standard": "标准", "share": "比例", "target": "目标"}
PERIOD_TYPE_ZH = {"date": "时点", "year": "全年", "half": "半年", "quarter": "季度", "months": "年内累计月份", "month": "单月",
                  "span": "多年累计", "unknown": "期间不明"}
AGGREGATE_ZH = {"total": "合计", "part": "分项"}
WHOLE_AREA = ("city", "province", "")  # a report's own area: the whole of the city (or of a province-wide report)
CONFLICT_KEY = ["city", "indicator_id", "period", "scope", "scope_detail", "status"]
COLUMNS = ["figure_kind", "period_type", "period_zh", "aggregate", "split", "basis", "wording", "wording_rank",
           "preferred"]

_P_YEAR = re.compile(r"^(\d{4})$")
_P_HALF = re.compile(r"^(\d{4})\s*H([12])$", re.I)
_P_QUARTER = re.compile(r"^(\d{4})\s*Q([1-4])$", re.I)
_P_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_P_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_P_SPAN = re.compile(r"^(\d{4})\s*[-–~至]\s*(\d{4})$")
_P_MONTHS = re.compile(r"^(\d{4})-(\d{1,2})/(\d{4})-(\d{1,2})$")  # a sum over months: 2024-01/2024-05


def parse_period(period) -> tuple[str, float, float]:
    """(period_type, start, end) of a period string, start/end as year + fraction.

    ``2024`` → (year, 2024.0, 2025.0); ``2025H1`` → (half, 2025.0, 2025.5); ``2018-11`` →
    (date, 2018.917, 2018.917) as of the end of that month; ``2016-2018`` → (span, 2016.0, 2019.0).
    Unknown text → (unknown, NaN, NaN).
    """
    p = str(period or "").strip()
    nan = float("nan")
    if m := _P_YEAR.match(p):
        y = int(m[1])
        return "year", float(y), y + 1.0
    if m := _P_HALF.match(p):
        y, h = int(m[1]), int(m[2])
        return "half", y + (h - 1) * 0.5, y + h * 0.5
    if m := _P_QUARTER.match(p):
        y, q = int(m[1]), int(m[2])
        return "quarter", y + (q - 1) * 0.25, y + q * 0.25
    if m := _P_MONTHS.match(p):
        return "months", int(m[1]) + (int(m[2]) - 1) / 12, int(m[3]) + int(m[4]) / 12
    if m := _P_MONTH.match(p):
        at = int(m[1]) + int(m[2]) / 12
        return "date", at, at
    if m := _P_DAY.match(p):
        at = int(m[1]) + (int(m[2]) - 1) / 12 + int(m[3]) / 365
        return "date", at, at
    if m := _P_SPAN.match(p):
        return "span", float(m[1]), int(m[2]) + 1.0
    if m := re.match(r"^(\d{4})", p):
        y = int(m[1])
        return "unknown", float(y), y + 1.0
    return "unknown", nan, nan


def period_end(period) -> float:
    """A sortable position for a period: year + fraction of its end (NaN for unknown text)."""
    return parse_period(period)[2]


def period_ends(periods: pd.Series) -> pd.Series:
    """``period_end`` of each value, parsed once per distinct period (a national corpus: 10⁵ rows, a few periods)."""
    ends = {p: period_end(p) for p in pd.unique(periods)}
    return periods.map(ends).astype(float)


def _period_type(period: str, kind: str) -> str:
    ptype = parse_period(period)[0]
    if ptype == "date" and kind == "flow":
        return "month"  # a flow over one month (shared/spec: YYYY-MM is a date or a one-month flow)
    return ptype


def period_label(period, figure_kind: str = "", period_type: str | None = None) -> str:
    """The period in Chinese: ``2024年``, ``2025年上半年``, ``截至2018年11月``, ``2016—2018年累计``, ``2024年1—5月``."""
    p = str(period or "").strip()
    ptype = period_type or _period_type(p, "flow" if figure_kind == "flow" else "")
    if ptype == "year":
        return f"{p}年" + ("目标" if figure_kind == "target" else "")
    if m := _P_HALF.match(p):
        return f"{m[1]}年{'上' if m[2] == '1' else '下'}半年" + ("目标" if figure_kind == "target" else "")
    if m := _P_QUARTER.match(p):
        return f"{m[1]}年第{'一二三四'[int(m[2]) - 1]}季度"
    if ptype == "months" and (m := _P_MONTHS.match(p)):
        tail = f"{int(m[4])}月" if m[1] == m[3] else f"{m[3]}年{int(m[4])}月"
        return f"{m[1]}年{int(m[2])}—{tail}"
    if ptype == "month" and (m := _P_MONTH.match(p)):
        return f"{m[1]}年{int(m[2])}月"
    if (m := _P_MONTH.match(p)) or (m := _P_DAY.match(p)):
        tail = f"{int(m[3])}日" if m.re is _P_DAY else ""
        return ("到" if figure_kind == "target" else "截至") + f"{m[1]}年{int(m[2])}月{tail}"
    if m := _P_SPAN.match(p):
        return f"{m[1]}—{m[2]}年" + ("目标" if figure_kind == "target" else "累计")
    return p or "期间不明"


@lru_cache(maxsize=1)
def _splits() -> list[tuple[re.Pattern, str]]:
    with resources.files("lib.data").joinpath("scope_splits.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    return [(re.compile(r.pattern), r.split) for r in df.itertuples()]


def split_of(scope_detail: str, scope: str = "city", aliases: tuple[str, ...] = ()) -> str:
    """Which split a part belongs to (lib/data/scope_splits.csv); '' for a total."""
    detail = str(scope_detail or "")
    if not detail:
        return "" if str(scope or "city") in WHOLE_AREA else "地区"
    if detail in aliases:
        return "类型"  # 57个长者食堂、362个助餐点: kinds of the thing counted
    for rx, name in _splits():
        if rx.search(detail):
            return name
    return "分项"


def wording_of(rule: str) -> str:
    """The words that named the indicator: the alias of a sentence, the row label of a table."""
    rule = str(rule or "")
    if m := re.match(r"alias (\S+)", rule):
        return m[1]
    if m := re.match(r"table row (.+?) × column", rule):
        return m[1]
    return ""


def wording_rank(wording: str, aliases: tuple[str, ...]) -> int:
    """How close the wording is to the catalogue's definition: the position of the alias it holds
    in the catalogue's alias list (the first alias is the catalogue's own name); len(aliases) for none."""
    for i, alias in enumerate(aliases):
        if alias and alias in wording:
            return i
    return len(aliases)


def annotate(ind: pd.DataFrame) -> pd.DataFrame:
    """The indicator rows with the comparability columns (see the module docstring); ``preferred`` True."""
    if ind is None or ind.empty:
        return pd.DataFrame(columns=list(getattr(ind, "columns", [])) + COLUMNS)
    # each column read once (itertuples walks every cell through generic code)
    values = [comparability(*r) for r in zip(*(ind[c].tolist() for c in (
        "indicator_id", "status", "period", "scope", "scope_detail", "rule")))]
    return pd.concat([ind.reset_index(drop=True), pd.DataFrame(values, columns=COLUMNS)], axis=1)


def comparability(indicator_id: str, status: str, period, scope: str, scope_detail, rule: str) -> tuple:
    """The values of COLUMNS for one indicator row."""
    entry = catalogue().get(indicator_id)
    kind = entry.kind if entry else ""
    aliases = entry.aliases if entry else ()
    figure_kinds = kinds()
    base_kind = figure_kinds[kind].figure if kind in figure_kinds else "stock"
    figure_kind = "target" if status == "planned" else base_kind
    ptype = _period_type(str(period), base_kind)
    split = split_of(scope_detail if isinstance(scope_detail, str) else "", scope, aliases)
    if split == "档次" and "highest of" in str(rule):
        split = ""  # the highest of several tiers is the catalogue's value of the standard, not a part
    wording = wording_of(rule)
    return (figure_kind, ptype, period_label(period, figure_kind, ptype), "part" if split else "total", split,
            basis(figure_kind, ptype, str(period)), wording, wording_rank(wording, aliases), True)


def basis(figure_kind: str, period_type: str, period: str = "") -> str:
    """The comparability key: flows by the length of their period (a year, a half, N months, an
    N-year span); stocks, standards and shares are comparable across dates; targets only with targets."""
    if figure_kind == "flow":
        if period_type == "span":
            _, start, end = parse_period(period)
            return f"flow:span{int(end - start)}"
        if period_type == "months":
            m = _P_MONTHS.match(period)
            n = (int(m[3]) - int(m[1])) * 12 + int(m[4]) - int(m[2]) + 1 if m else 0
            return f"flow:months{n}" if n else "flow:months"
        return f"flow:{period_type}"
    return figure_kind


BASIS_ZH = {"stock": "时点数", "standard": "标准", "share": "比例", "target": "目标", "flow:year": "全年合计",
            "flow:half": "半年合计", "flow:quarter": "季度合计"}


def basis_label(b: str) -> str:
    """``flow:span3`` → ``3年累计``; ``flow:year`` → ``全年合计``."""
    if b in BASIS_ZH:
        return BASIS_ZH[b]
    if m := re.match(r"flow:span(\d+)", b):
        return f"{m[1]}年累计"
    if m := re.match(r"flow:months(\d+)", b):
        return f"1—{m[1]}月合计"
    return b


# --- conflicts ------------------------------------------------------------------------------------
CONFLICT_COLUMNS = ["city", "theme", "indicator_id", "name_zh", "unit", "period", "scope", "scope_detail", "status",
                    "kept_value", "kept_wording", "kept_report_id", "kept_source_text", "dropped_value",
                    "dropped_wording", "dropped_report_id", "dropped_source_text", "reason"]


def resolve_conflicts(ind: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Mark the losing row of every conflict ``preferred = False`` and list each in ``conflicts``.

    Returns ``{"indicators": ..., "conflicts": ...}``; the indicator rows keep their order. The
    ranking works on a narrow frame of the keys and ranks, and the conflict rows are taken from the
    indicators by position: no row is turned into Python objects, so memory stays a few copies of
    the key columns however many conflicts there are.
    """
    if ind is None or ind.empty or "preferred" not in ind:
        return {"indicators": ind, "conflicts": pd.DataFrame(columns=CONFLICT_COLUMNS)}
    # a report whose place is unknown is its own place: two such reports never conflict with each other
    cols = {c: ind[c].astype(str) for c in CONFLICT_KEY}
    cols["city"] = cols["city"].where(cols["city"] != "", "?" + ind["report_id"].astype(str))
    key = cols[CONFLICT_KEY[0]]
    for c in CONFLICT_KEY[1:]:
        key = key + "\x1f" + cols[c]
    del cols
    ranked = pd.DataFrame({"_key": key.reset_index(drop=True), "wording_rank": ind["wording_rank"].to_numpy(),
                           "_exact": (ind["qualifier"] != "exact").astype(int).to_numpy(),
                           "_table": (ind["table_id"].fillna("") != "").astype(int).to_numpy(),
                           "_report": ind["report_id"].astype(str).to_numpy(), "char_start": ind["char_start"].to_numpy(),
                           "value": ind["value"].to_numpy(), "_pos": np.arange(len(ind))})
    del key
    # report order: later reports (by id, which is the file order) stand over earlier ones
    ranked = ranked.sort_values(["_key", "wording_rank", "_exact", "_table", "_report", "char_start"],
                                ascending=[True, True, True, True, False, True])
    # only keys with two or more values can conflict; the first row of a key in rank order stands
    distinct = ranked["value"].round(6).groupby(ranked["_key"], sort=False).transform("nunique")
    ranked = ranked.loc[(distinct >= 2).to_numpy(), ["_key", "value", "_pos"]]
    first = ~ranked["_key"].duplicated().to_numpy()
    head = _first_index(first)
    pos = ranked["_pos"].to_numpy()
    values = [round(float(v), 6) for v in ranked["value"]]
    lost = ~first & np.array([v != values[h] for v, h in zip(values, head)], dtype=bool)
    kept_of = pos[head]
    kept_pos, lost_pos = kept_of[lost], pos[lost]
    preferred = np.ones(len(ind), dtype=bool)
    preferred[lost_pos] = False
    # only the columns a conflict row shows or its reason reads
    wanted = list(dict.fromkeys([*CONFLICT_KEY, "theme", "name_zh", "unit", "value", "wording", "report_id", "source_text",
                                 "wording_rank", "qualifier", "table_id"]))
    kept = ind[wanted].take(kept_pos).reset_index(drop=True)
    dropped = ind[wanted].take(lost_pos).reset_index(drop=True)
    conflicts = pd.DataFrame({
        **{c: kept[c] for c in CONFLICT_KEY}, "theme": kept["theme"], "name_zh": kept["name_zh"], "unit": kept["unit"],
        "kept_value": kept["value"], "kept_wording": kept["wording"], "kept_report_id": kept["report_id"],
        "kept_source_text": kept["source_text"], "dropped_value": dropped["value"],
        "dropped_wording": dropped["wording"], "dropped_report_id": dropped["report_id"],
        "dropped_source_text": dropped["source_text"],
        "reason": _reasons(kept, dropped)}, columns=CONFLICT_COLUMNS, copy=False)  # kept/dropped are fresh
    return {"indicators": ind.assign(preferred=preferred), "conflicts": conflicts}


def _first_index(first: np.ndarray) -> np.ndarray:
    """For each row of a key-sorted frame, the index of its key's first row."""
    return np.maximum.accumulate(np.where(first, np.arange(len(first)), 0))


REASON_EXACT = "同等措辞下取确数而非约数 (same wording: the exact figure beats the approximate one)"
REASON_SENTENCE = "同等措辞下取正文句子而非表格单元 (same wording: the sentence beats the table cell)"
REASON_LATER = "同等措辞下取较新的报告 (same wording: the later report stands)"
REASON_FIRST = "同等措辞下取正文中先出现者 (same wording: the first in the text stands)"


def _reasons(kept: pd.DataFrame, lost: pd.DataFrame) -> pd.Series:
    """Why each kept row stands over its dropped one, for every pair at once (no Python object per
    cell): closer wording, else an exact figure, else a sentence over a table cell, else the later
    report, else the first in the text."""
    n = len(kept)
    if n == 0:
        return pd.Series([], dtype=object)
    reason = pd.Series(np.full(n, REASON_FIRST, dtype=object))
    rules = [  # the first rule that holds gives the reason: applied from the last to the first
        (kept["report_id"].to_numpy() != lost["report_id"].to_numpy(), REASON_LATER),
        ((kept["table_id"] == "").to_numpy() & ~(lost["table_id"] == "").to_numpy(), REASON_SENTENCE),
        ((kept["qualifier"] == "exact").to_numpy() & ~(lost["qualifier"] == "exact").to_numpy(), REASON_EXACT),
    ]
    for mask, text in rules:
        reason[mask] = text
    closer = kept["wording_rank"].to_numpy() < lost["wording_rank"].to_numpy()
    if closer.any():
        kw, lw = kept["wording"].astype(str)[closer], lost["wording"].astype(str)[closer]
        reason[closer] = ("措辞“" + kw + "”比“" + lw + "”更贴近指标目录定义 (wording closer to the catalogue definition)").to_numpy()
    return reason
