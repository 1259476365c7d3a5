"""Chinese labels, one convention for the HTML pages, the figures and the workbook.

Column headers and coded values (status, qualifier, kind of figure, report type …) are
translated from one data file, ``lib/data/labels_zh.csv``, so 计划/目标 or 报告编号 reads the same
everywhere. The workbook keeps the English id beside the Chinese header (``数值 value``) for
analysts who write formulas against it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

# coded columns whose values are translated (the column name is the field of labels_zh.csv)
CODED = ("status", "qualifier", "figure_kind", "aggregate", "report_type", "claim_type", "severity", "scope")


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    with resources.files("lib.data").joinpath("labels_zh.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    out: dict[str, dict[str, str]] = {}
    for r in df.itertuples():
        out.setdefault(r.field, {})[r.value] = r.zh
    return out


def values(field: str) -> dict[str, str]:
    """``{"actual": "实际", …}`` for a coded field."""
    return dict(_table().get(field, {}))


def zh(field: str, value) -> str:
    """The Chinese label of a coded value (the value itself when it has none)."""
    return _table().get(field, {}).get(str(value), str(value))


def header(column: str, keep_id: bool = False) -> str:
    """``数值`` (or ``数值 value`` with ``keep_id``); an unknown column keeps its name."""
    name = _table()["column"].get(str(column))
    if name is None:
        return str(column)
    return f"{name} {column}" if keep_id else name


def translate(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with coded values in Chinese (status, qualifier, figure_kind, scope …)."""
    out = df.copy()
    for field in CODED:
        if field in out.columns and (out[field].dtype == object or pd.api.types.is_string_dtype(out[field].dtype)):
            table = _table().get(field, {})
            # looked up once per distinct value, not once per row (a national corpus: 10⁵ rows, a few codes)
            codes = {v: table.get(v, v) for v in pd.unique(out[field]) if isinstance(v, str)}
            out[field] = out[field].map(codes)
    return out


def for_display(df: pd.DataFrame, keep_id: bool = False) -> pd.DataFrame:
    """Coded values and headers in Chinese; headers made unique (两列同名时保留英文 id)."""
    out = translate(df)
    names = [header(c, keep_id) for c in out.columns]
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    out.columns = [f"{n} {c}" if seen[n] > 1 and not keep_id else n for n, c in zip(names, df.columns)]
    return out
