"""Plain Python rows to and from DataFrames, one column at a time.

pandas builds a frame from a list of dicts, and iterates one with ``itertuples``, element by
element through generic code (and a new namedtuple class per call); for a report's few hundred
rows that cost more than parsing them. These helpers read each column once and build each frame
once from its columns, with the dtypes pandas would have inferred from the rows.
"""

from __future__ import annotations

from collections import namedtuple
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

STR = pd.StringDtype("pyarrow", na_value=np.nan)  # the dtype pandas infers for a column of strings


@cache
def record_type(names: tuple[str, ...]):
    """One namedtuple class per set of columns, made once (itertuples makes one per call)."""
    return namedtuple("Row", names, rename=True)


def records(df: pd.DataFrame) -> list:
    """The rows of df as namedtuples, as ``itertuples(index=False)`` gives them (Python scalars)."""
    if df.columns.empty:
        return [()] * len(df)
    kind = record_type(tuple(df.columns))
    return list(map(kind._make, zip(*(df[c].tolist() for c in df.columns))))


def frame(rows: list[dict]) -> pd.DataFrame:
    """``pd.DataFrame(rows)`` for dict rows, built from columns when every row has the same keys."""
    if not rows:
        return pd.DataFrame(rows)
    keys = rows[0].keys()
    if not all(r.keys() == keys for r in rows):
        return pd.DataFrame(rows)  # rows with keys of their own: pandas fills the gaps with NaN
    return pd.DataFrame({k: _column([r[k] for r in rows]) for k in keys}, copy=False)  # fresh columns: no copy


def frame_of(names, rows: list[tuple]) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=names)`` for tuple rows, built from columns."""
    names = list(names)
    if not rows:
        return pd.DataFrame([], columns=names)
    return pd.DataFrame(dict(zip(names, map(_column, zip(*rows)))), copy=False)  # names' order; fresh columns


def _column(values) -> list | pd.api.extensions.ExtensionArray:
    """A column of strings straight to its Arrow array (pandas' inference costs twice that); any
    other column as a list, for pandas to infer its dtype."""
    if set(map(type, values)) == {str}:
        return pd.arrays.ArrowStringArray(pa.array(values, pa.large_string()), dtype=STR)
    return list(values)
