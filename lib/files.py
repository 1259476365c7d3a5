"""Writing output files safely: all-or-nothing (a reader never sees a half-written workbook, deck,
figure or page), and with report text that can never turn into a spreadsheet formula."""

from __future__ import annotations

import codecs
import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa

# A string starting with one of these is read as a formula (or DDE) by Excel / LibreOffice.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START = r"^[=+\-@\t\r]"  # FORMULA_PREFIXES as a pattern for Arrow (RE2)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    Same directory, so os.replace never crosses filesystems; a plain name, so the umask applies.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def is_formula_like(value) -> bool:
    """True for a string Excel would treat as a formula if typed or opened from CSV."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``df`` safe to open in Excel as CSV: formula-leading strings get a leading ``'``.

    Only *string* cells (and column names) starting with = + - @ tab or CR change, e.g.
    "=SUM(A1)" -> "'=SUM(A1)", "-5元" -> "'-5元". Numbers, including negative numbers, are left
    alone. Excel hides the leading quote and shows the rest literally; other tools show the quote,
    which is the accepted price (OWASP CSV-injection advice). Use only for CSVs meant for Excel,
    not for files the pipeline reads back. ``df`` itself is returned when nothing needs quoting.
    """

    out = None
    for col in df.columns:
        series = df[col]
        if not (series.dtype == object or pd.api.types.is_string_dtype(series.dtype)):
            continue
        try:  # one vectorised test a column; the few cells that match are the only ones copied
            hit = series.str.startswith(FORMULA_PREFIXES)
        except AttributeError:  # an object column holding no strings at all
            continue
        hit = hit.eq(True)  # missing and non-string cells are not formulas
        if hit.any():
            out = df.copy() if out is None else out
            out[col] = series.mask(hit, "'" + series.where(hit, "")).astype(series.dtype)
    out = df if out is None else out
    if any(is_formula_like(c) for c in out.columns):
        out = out.copy() if out is df else out
        out.columns = ["'" + c if is_formula_like(c) else c for c in out.columns]
    return out


def csv_safe_arrow(table: pa.Table) -> pa.Table:
    """``csv_safe`` for an Arrow table: formula-leading strings (and column names) get a leading ``'``."""
    import pyarrow.compute as pc

    columns = []
    for col, field in zip(table.columns, table.schema):
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            hit = pc.match_substring_regex(col, _FORMULA_START)
            if pc.any(hit).as_py():
                quoted = pc.binary_join_element_wise(pa.scalar("'", field.type), col, pa.scalar("", field.type))
                col = pc.if_else(hit, quoted, col)
        columns.append(col)
    names = ["'" + n if is_formula_like(n) else n for n in table.column_names]
    return pa.table(columns, names=names)


def write_csv_rows(table: pa.Table, fh, header: bool = False) -> None:
    """An Arrow table's rows as CSV for Excel, to an open binary file: formula-like text quoted
    (``csv_safe_arrow``), by Arrow's writer (every string in double quotes; 5.0 is written 5; a missing
    value is empty). The one CSV format of the tool: the clean tables' copies and the figures' data."""
    import pyarrow.csv as pa_csv

    pa_csv.write_csv(csv_safe_arrow(table), fh, pa_csv.WriteOptions(include_header=header))


def write_excel_csv(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as a CSV for Excel, atomically: UTF-8 with BOM, formula-like text quoted.

    Written by Arrow's CSV writer (``write_csv_rows``), several times faster than ``DataFrame.to_csv``
    on the long tables a national corpus gives a page. A frame Arrow cannot type (an object column
    mixing numbers and text) is written by pandas instead.
    """
    with atomic_path(Path(path)) as tmp, open(tmp, "wb") as fh:
        fh.write(codecs.BOM_UTF8)
        try:
            table = pa.Table.from_pandas(df.set_axis([str(c) for c in df.columns], axis=1), preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            csv_safe(df).to_csv(fh, index=False, encoding="utf-8")
            return
        write_csv_rows(table, fh, header=True)
