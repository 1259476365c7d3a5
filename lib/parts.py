"""A build's parts: each chunk of reports is written by the process that parsed it, and the parts
are combined into one Parquet file per table at the end.

The parts wait in a folder of their own (beside the clean folder for `python -m lib build`, so on
the same disk; else in the system's temporary folder), as Arrow IPC files with the clean table's
exact Arrow schema:

    <parts>/<table>/<part>.arrow     one chunk's rows of one table (a part name sorts in file order)
    <parts>/<table>/<part>.csv       the same rows as the table's CSV copy holds them (tables with one)
    <parts>/texts/<report_id>.txt    the normalised text of one report

The parent only keeps the names of the parts it was told about, so a half-written part of a worker
that died is never read. ``combine`` appends the parts one at a time (one Parquet row group each),
so writing a table costs the memory of one part, whatever the corpus size.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lib import folders, schema
from lib.files import atomic_path, csv_safe

ROWS_PER_SLICE = 65_536  # a table held whole in memory is written in row groups of this many rows


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a clean table (with the pandas metadata that gives readers its dtypes back)."""
    return pa.Table.from_pandas(schema.empty(table), preserve_index=False).schema


def to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    """A validated frame as Arrow with exactly the table's schema, so every part and file agree."""
    return pa.Table.from_pandas(df, schema=arrow_schema(table), preserve_index=False)


def write_part(folder: Path, table: str, name: str, df: pd.DataFrame, csv: bool = False) -> None:
    """Write one chunk's rows of a table (worker side); written aside and renamed, so a part is whole or absent.

    ``csv``: also its rows as the table's CSV copy holds them (``<part>.csv``, no header), so that
    formatting the CSV is done by the workers in parallel, not by the parent at the end."""
    out = Path(folder) / table / f"{name}.arrow"
    data = to_arrow(table, df)
    if csv:  # before the part itself: a part that counts has its CSV rows
        with atomic_path(out.with_suffix(".csv")) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
            csv_rows(data, fh, header=False)
    with atomic_path(out) as tmp, pa.OSFile(str(tmp), "wb") as sink, \
            pa.ipc.new_file(sink, arrow_schema(table), options=pa.ipc.IpcWriteOptions(compression="lz4")) as w:
        w.write_table(data)


def csv_rows(part: pa.Table, fh, header: bool) -> None:
    """A part's rows as the CSV copy holds them (formula-like text quoted for Excel, lib.files.csv_safe)."""
    csv_safe(part.to_pandas()).to_csv(fh, index=False, header=header)


def write_text(folder: Path, report_id: str, text: str) -> None:
    (Path(folder) / "texts" / f"{report_id}.txt").write_text(text, encoding="utf-8")


class Parts:
    """The parts folder of one build, and which parts in it count (in file order)."""

    def __init__(self, near: Path | None = None):
        if near is None:
            self.path, lock = Path(tempfile.mkdtemp(prefix="minzheng-parts-")), None
        else:
            self.path, lock = folders.make_parts(Path(near))
        (self.path / "texts").mkdir()
        self.names: dict[str, list[str]] = {}  # table -> its parts, in file order
        self.dropped: set[str] = set()  # report ids whose rows are left out (duplicates)
        self._finalizer = weakref.finalize(self, _remove, self.path, lock)

    def add(self, table: str, name: str) -> None:
        self.names.setdefault(table, []).append(name)

    def sort(self) -> None:
        for names in self.names.values():
            names.sort()

    def arrow(self, table: str) -> Iterator[pa.Table]:
        """The table's parts, one at a time, in file order, without the dropped reports."""
        return (part for part, _ in self.pieces(table))

    def pieces(self, table: str) -> Iterator[tuple[pa.Table, Path | None]]:
        """Each part with the file of its CSV rows, when its worker wrote one and no row was dropped since."""
        drop = pa.array(sorted(self.dropped), pa.large_string()) if self.dropped else None
        for name in self.names.get(table, []):
            with pa.OSFile(str(self.path / table / f"{name}.arrow"), "rb") as src:
                part = pa.ipc.open_file(src).read_all()
            rows = self.path / table / f"{name}.csv"
            if drop is not None:
                kept = part.filter(pc.invert(pc.is_in(part["report_id"], value_set=drop)))
                rows = rows if kept.num_rows == part.num_rows else None
                part = kept
            yield part, rows if rows is not None and rows.is_file() else None

    def frame(self, table: str) -> pd.DataFrame:
        """The whole table as pandas (for tests and notebooks; a build never holds it)."""
        parts = list(self.arrow(table))
        if not parts:
            return schema.empty(table)
        return pa.concat_tables(parts).to_pandas()

    def text(self, report_id: str) -> Path:
        return self.path / "texts" / f"{report_id}.txt"

    def close(self) -> None:
        self._finalizer()


def _remove(path: Path, lock: int | None) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if lock is not None:
        with contextlib.suppress(OSError):
            os.close(lock)


def frame_slices(table: str, df: pd.DataFrame) -> Iterator[tuple[pa.Table, None]]:
    """A table held in memory, as Arrow slices: one row group each, without converting it whole at once."""
    for start in range(0, len(df), ROWS_PER_SLICE):
        yield to_arrow(table, df.iloc[start: start + ROWS_PER_SLICE]), None


def combine(table: str, pieces: Iterable[tuple[pa.Table, Path | None]], parquet: Path, csv: Path | None = None) -> int:
    """Write one table from its parts: one Parquet file, a row group per part; the CSV copy too when asked,
    copying the CSV rows a worker wrote for a part, else formatting them here.

    Returns the rows written. Memory is one part at a time.
    """
    n = 0
    csv_fh = open(csv, "w", encoding="utf-8-sig", newline="") if csv is not None else None  # noqa: SIM115
    try:
        with pq.ParquetWriter(str(parquet), arrow_schema(table)) as writer:
            for part, rows in pieces:
                if not part.num_rows:
                    continue
                writer.write_table(part)
                if csv_fh is not None:
                    if n == 0:
                        csv_rows(part.slice(0, 0), csv_fh, header=True)
                    if rows is not None:
                        with open(rows, encoding="utf-8", newline="") as src:
                            shutil.copyfileobj(src, csv_fh)
                    else:
                        csv_rows(part, csv_fh, header=False)
                n += part.num_rows
            if n == 0:
                writer.write_table(to_arrow(table, schema.empty(table)))
                if csv_fh is not None:
                    schema.empty(table).to_csv(csv_fh, index=False)
    finally:
        if csv_fh is not None:
            csv_fh.close()
    return n


def place_text(src: Path, dst: Path, link: Callable[[Path, Path], None] = os.link) -> None:
    """Put a text into the staging folder: a hard link when the disk allows (no copy), else a copy."""
    try:
        link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
