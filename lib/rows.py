"""Plain Python rows to and from DataFrames, one column at a time.

pandas builds a frame from a list of dicts, and iterates one with ``itertuples``, element by
element through generic code (and a new namedtuple class per call); for a report's few hundred
rows that cost more than parsing them. These helpers read each column once and build each frame
once from its columns, with the dtypes pandas would have inferred from the rows.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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


@dataclass
class Rows:
    """A table's rows before any frame is built: tuples under ``columns``, or dicts when ``columns``
    is None. A report's tables stay rows until a chunk of reports is stacked into one frame per
    table (``stack``): a frame per report and table cost more than parsing the report."""

    columns: tuple | None
    rows: list

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self) -> pd.DataFrame:
        return frame(self.rows) if self.columns is None else frame_of(self.columns, self.rows)


def stack(pieces: list) -> pd.DataFrame:
    """One frame from several reports' Rows (or frames), in order: built once from all the rows when
    they agree on their columns, else one frame each, concatenated."""
    if all(isinstance(p, Rows) for p in pieces):
        shapes = {p.columns for p in pieces}
        if len(shapes) == 1:
            columns = shapes.pop()
            return Rows(columns, [r for p in pieces for r in p.rows]).frame()
    frames = [p.frame() if isinstance(p, Rows) else p for p in pieces]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


class Frames(Mapping):
    """A report's tables by name: each kept as given (Rows or a frame) and built as a frame when asked for."""

    def __init__(self, pieces: dict | None = None):
        self.pieces: dict = dict(pieces or {})

    def __getitem__(self, name: str) -> pd.DataFrame:
        piece = self.pieces[name]
        if isinstance(piece, Rows):
            piece = piece.frame()
            if piece.empty and len(piece.columns) == 0:  # no dict rows to name the columns: the table's own
                from lib import schema

                piece = schema.empty(name) if name in schema.SCHEMAS else piece
            self.pieces[name] = piece
        return piece

    def __iter__(self) -> Iterator[str]:
        return iter(self.pieces)

    def __len__(self) -> int:
        return len(self.pieces)
