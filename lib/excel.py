"""Excel workbooks for analysts, and formula-injection-safe CSV exports.

Report text is untrusted: a phrase such as "=HYPERLINK(...)" or "-5元" copied from a report must
show literally in Excel, never run as a formula. In the workbook such cells are stored as
shared strings (data_type "s") with ``quotePrefix`` set, so Excel also keeps them literal when a
user edits the cell. CSV has no cell types, so ``csv_safe`` prefixes a single quote instead.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import numbers
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from lib.files import FORMULA_PREFIXES, atomic_path, csv_safe, is_formula_like

MAX_COL_WIDTH = 60  # characters; longer text wraps instead
MIN_COL_WIDTH = 6
_EXCEL_CELL_MAX = 32767  # Excel refuses longer cell text
_SHEET_BAD_CHARS = re.compile(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE_ROWS = 2000  # enough rows to size columns without scanning huge sheets

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill(fill_type="solid", start_color="1F4E79", end_color="1F4E79")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
_WRAP_ALIGN = Alignment(wrap_text=True, vertical="top")


def display_width(text: str) -> int:
    """Width of text in Excel character units: CJK / full-width characters count ~2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def sanitize_sheet_name(name, taken: set[str]) -> str:
    """Excel-legal sheet name (≤31 chars, no []:*?/\\, no edge quote), unique ignoring case."""
    base = _SHEET_BAD_CHARS.sub("_", str(name)).strip().strip("'").strip()
    if not base or base.lower() == "history":  # "History" is reserved by Excel
        base = base + "_" if base else "Sheet"
    base = base[:31]
    candidate, n = base, 1
    while candidate.lower() in taken:
        n += 1
        suffix = f"~{n}"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.lower())
    return candidate


def _cell_value(value):
    """Convert a pandas/numpy value to something openpyxl stores with the right type."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) else (str(f) if math.isinf(f) else f)
    if isinstance(value, decimal.Decimal):
        return None if value.is_nan() else float(value)
    if isinstance(value, numbers.Number):  # e.g. fractions; complex has no Excel type
        return str(value) if isinstance(value, complex) else float(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones
    if isinstance(value, (dt.date, dt.time)):
        return value
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = value if isinstance(value, str) else str(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)  # control chars make openpyxl raise
    if len(text) > _EXCEL_CELL_MAX:
        text = text[: _EXCEL_CELL_MAX - 1] + "…"
    return text


def _set(cell, value) -> None:
    """Store a value; strings always stay strings (never formulas), risky ones quote-prefixed."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise turn "=..." into a formula
        if is_formula_like(value):
            cell.quotePrefix = True


def _flat_columns(df: pd.DataFrame) -> list[str]:
    if isinstance(df.columns, pd.MultiIndex):
        return [" / ".join(str(p) for p in tup if str(p) != "") for tup in df.columns]
    return [str(c) for c in df.columns]


def _write_sheet(ws, df: pd.DataFrame, freeze_first_column: bool | None, formats: dict | None = None) -> None:
    if not isinstance(df.index, pd.RangeIndex) or any(n is not None for n in df.index.names):
        df = df.reset_index()  # a meaningful index (e.g. city) becomes a normal column
    headers = [_cell_value(h) or "" for h in _flat_columns(df)]
    widths = [display_width(h) + 2 for h in headers]  # +2 leaves room for the filter arrow

    for j, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=j)
        _set(cell, header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _HEADER_ALIGN
        cell.border = _HEADER_BORDER

    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, raw in enumerate(row, start=1):
            value = _cell_value(raw)
            if value is None:
                continue
            cell = ws.cell(row=i, column=j)
            _set(cell, value)
            if formats and isinstance(value, (int, float)) and not isinstance(value, bool):
                fmt = formats.get(headers[j - 1])
                if fmt:
                    cell.number_format = fmt
            if isinstance(value, str):
                longest = max(display_width(line) for line in value.split("\n"))
                if longest > MAX_COL_WIDTH or "\n" in value:
                    cell.alignment = _WRAP_ALIGN
            elif isinstance(value, (dt.datetime, dt.date)):
                longest = 19 if isinstance(value, dt.datetime) else 10
            else:
                longest = len(str(value))
            if i - 2 < _WIDTH_SAMPLE_ROWS:
                widths[j - 1] = max(widths[j - 1], longest + 1)

    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = max(
            MIN_COL_WIDTH, min(MAX_COL_WIDTH, width)
        )
    ws.row_dimensions[1].height = 30

    if freeze_first_column is None:
        # Freeze the first column when the table is wide enough to scroll sideways.
        freeze_first_column = len(headers) > 4
    ws.freeze_panes = "B2" if freeze_first_column and headers else "A2"
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(df) + 1)}"


def write_workbook(
    path, sheets: dict[str, pd.DataFrame], *, freeze_first_column: bool | None = None,
    number_formats: dict[str, dict[str, str]] | None = None,
) -> Path:
    """Write DataFrames to one styled .xlsx, one sheet each, atomically; return the path.

    Bold filled header, frozen header row (and first column for wide tables; force with
    ``freeze_first_column``), auto-filter, widths from content (CJK counts 2, capped at 60),
    long or multi-line text wrapped. Numeric values are numeric cells (``number_formats``: sheet →
    header → Excel number format, e.g. ``#,##0.00``); strings stay strings
    and never become formulas. Sheet names are made Excel-legal and unique.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for name, df in sheets.items():
        ws = wb.create_sheet(title=sanitize_sheet_name(name, taken))
        _write_sheet(ws, df, freeze_first_column, (number_formats or {}).get(name))
    if not wb.worksheets:  # a workbook needs at least one sheet
        wb.create_sheet("Sheet")

    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


__all__ = [
    "FORMULA_PREFIXES",
    "csv_safe",
    "display_width",
    "is_formula_like",
    "sanitize_sheet_name",
    "write_workbook",
]
