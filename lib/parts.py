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

The tables of ``schema.THEME_GROUPED`` are written grouped by theme: a worker writes its part's rows
theme by theme (Arrow record batches of one theme each, and a ``<part>.groups.json`` saying which
batches hold which theme), and ``combine`` takes one theme at a
time from every part, so each Parquet row group holds one theme and a reader filtering on the theme
skips the rest. A worker formats its CSV rows in the same order, and the index says which bytes hold
which theme: the CSV copy has the rows of the Parquet file, in its order, copied, not formatted again.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from lib import folders, schema
from lib.files import atomic_path, write_csv_rows

ROWS_PER_SLICE = 65_536  # a table held whole in memory is written in row groups of this many rows
GROUP_ROWS = 16_384  # rows of a theme-grouped table gathered into one row group at most (what combine holds)


@functools.cache
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a clean table (with the pandas metadata that gives readers its dtypes back)."""
    return pa.Table.from_pandas(schema.empty(table), preserve_index=False).schema


def to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    """A validated frame as Arrow with exactly the table's schema, so every part and file agree."""
    return pa.Table.from_pandas(df, schema=arrow_schema(table), preserve_index=False)


class CsvRows(NamedTuple):
    """Rows of a table's CSV copy that a worker formatted: bytes ``start`` to ``end`` of ``path`` (None: to its end)."""

    path: Path
    start: int = 0
    end: int | None = None


def theme_order(themes: pd.Series) -> tuple[np.ndarray | None, list[tuple[int, int, int]]]:
    """How to group rows by theme, in the catalogue's theme order (any other value last), each theme's
    rows in their order: the positions to take (None: already grouped), and ``(group, start, end)`` of
    each group once taken (group: the theme's place in that order)."""
    from lib.themes import theme_ids

    order = {t: i for i, t in enumerate(theme_ids())}
    rank = themes.map(order).fillna(len(order)).astype(int).to_numpy()
    idx = None
    if len(rank) and (np.diff(rank) < 0).any():
        idx = np.argsort(rank, kind="stable")
        rank = rank[idx]
    starts = [0, *(np.flatnonzero(np.diff(rank)) + 1).tolist()] if len(rank) else []
    ends = [*starts[1:], len(rank)]
    return idx, [(int(rank[a]), a, b) for a, b in zip(starts, ends)]


def write_part(folder: Path, table: str, name: str, df: pd.DataFrame, csv: bool = False) -> None:
    """Write one chunk's rows of a table (worker side); written aside and renamed, so a part is whole or absent.

    ``csv``: also its rows as the table's CSV copy holds them (``<part>.csv``, no header, file order), so
    that formatting the CSV is done by the workers in parallel, not by the parent at the end. A table of
    ``schema.THEME_GROUPED`` is written theme by theme, with ``<part>.groups.json`` (lib.parts doc)."""
    out = Path(folder) / table / f"{name}.arrow"
    data = to_arrow(table, df)
    grouped = table in schema.THEME_GROUPED
    idx, groups = theme_order(df["theme"]) if grouped else (None, [(None, 0, len(df))])
    if idx is not None:
        data = data.take(pa.array(idx))
    spans = []  # the bytes of each group's CSV rows
    if csv:  # before the part itself: a part that counts has its CSV rows
        with atomic_path(out.with_suffix(".csv")) as tmp, open(tmp, "wb") as fh:
            for _, a, b in groups:
                start = fh.tell()
                write_csv_rows(data.slice(a, b - a), fh)
                spans.append([start, fh.tell()])
    index = []
    with atomic_path(out) as tmp, pa.OSFile(str(tmp), "wb") as sink, \
            pa.ipc.new_file(sink, arrow_schema(table), options=pa.ipc.IpcWriteOptions(compression="lz4")) as w:
        for k, (group, a, b) in enumerate(groups):
            batches = data.slice(a, b - a).to_batches()
            for batch in batches:
                w.write_batch(batch)
            index.append([group, len(batches), *(spans[k] if spans else (None, None))])
    if grouped:  # before the parent learns of the part: a listed part has its index
        with atomic_path(out.with_suffix(".groups.json")) as tmp:
            tmp.write_text(json.dumps(index), encoding="utf-8")


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
        return (part for part, _, _ in self.pieces(table))

    def pieces(self, table: str) -> Iterator[tuple[pa.Table, int | None, CsvRows | None]]:
        """The table's rows piece by piece, in the order its Parquet file holds them, without the dropped
        reports; each piece with its theme group (None: one row group a part) and its CSV rows, when
        its worker wrote them and no row was dropped since.

        A table of ``schema.THEME_GROUPED``: one theme at a time, from every part in file order."""
        drop = pa.array(sorted(self.dropped), pa.large_string()) if self.dropped else None
        readers: dict = {}  # each part opened once, not once a theme
        try:
            for name, group, batches, (start, end) in self._order(table):
                part = self._read(table, name, batches, readers)
                rows = CsvRows(self.path / table / f"{name}.csv", start or 0, end)
                if drop is not None:
                    kept = part.filter(pc.invert(pc.is_in(part["report_id"], value_set=drop)))
                    rows = rows if kept.num_rows == part.num_rows else None
                    part = kept
                yield part, group, rows if rows is not None and rows.path.is_file() else None
        finally:
            for src, _ in readers.values():
                src.close()

    def _order(self, table: str) -> Iterator[tuple[str, int | None, range | None, tuple]]:
        """(part, theme group, its record batches (None: all), its CSV bytes) in the order the table is written."""
        names = self.names.get(table, [])
        if table not in schema.THEME_GROUPED:
            for name in names:
                yield name, None, None, (0, None)
            return
        index = {name: json.loads((self.path / table / f"{name}.groups.json").read_text(encoding="utf-8"))
                 for name in names}
        for group in sorted({g[0] for groups in index.values() for g in groups}):
            for name in names:
                first = 0
                for g, n_batches, start, end in index[name]:
                    if g == group:
                        yield name, group, range(first, first + n_batches), (start, end)
                    first += n_batches

    def _read(self, table: str, name: str, batches: range | None, readers: dict) -> pa.Table:
        """A part (``batches`` None), or some of its record batches; ``readers``: the parts open so far, by
        name (read, not memory-mapped: mapped pages read stay counted in the process's memory)."""
        if batches is None:
            with pa.OSFile(str(self.path / table / f"{name}.arrow"), "rb") as src:
                return pa.ipc.open_file(src).read_all()
        if name not in readers:
            src = pa.OSFile(str(self.path / table / f"{name}.arrow"), "rb")
            readers[name] = (src, pa.ipc.open_file(src))
        reader = readers[name][1]
        return pa.Table.from_batches([reader.get_batch(i) for i in batches], arrow_schema(table))

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


def frame_slices(table: str, df: pd.DataFrame) -> Iterator[tuple[pa.Table, int | None, None]]:
    """A table held in memory, as Arrow slices: one row group each, without converting it whole at once
    (a table of ``schema.THEME_GROUPED``: grouped by theme, a slice never holding two themes)."""
    if table not in schema.THEME_GROUPED:
        for start in range(0, len(df), ROWS_PER_SLICE):
            yield to_arrow(table, df.iloc[start: start + ROWS_PER_SLICE]), None, None
        return
    idx, groups = theme_order(df["theme"])  # positions, not a sorted copy of the whole table
    where = idx if idx is not None else np.arange(len(df))
    for group, a, b in groups:
        for start in range(a, b, GROUP_ROWS):
            yield to_arrow(table, df.iloc[where[start: min(b, start + GROUP_ROWS)]]), group, None


def combine(table: str, pieces: Iterable[tuple[pa.Table, int | None, CsvRows | None]], parquet: Path,
            csv: Path | None = None) -> int:
    """Write one table from its pieces (``Parts.pieces``, ``frame_slices``): one Parquet file, a row group
    per piece, or per theme group of pieces (up to GROUP_ROWS rows); and, when asked, its CSV copy (UTF-8
    with BOM, for Excel), the same rows in the same order: the CSV rows a worker wrote for a piece,
    copied, else the piece formatted here (lib.files.write_csv_rows).

    Returns the rows written. Memory is one part, or one row group, at a time.
    """
    n = held_rows = 0
    held: list[pa.Table] = []  # pieces of one theme group, not yet written
    held_group = None
    csv_fh = open(csv, "wb") if csv is not None else None  # noqa: SIM115
    try:
        if csv_fh is not None:
            csv_fh.write(codecs.BOM_UTF8)
            write_csv_rows(arrow_schema(table).empty_table(), csv_fh, header=True)
        with pq.ParquetWriter(str(parquet), arrow_schema(table)) as writer:
            for part, group, rows in pieces:
                if not part.num_rows:
                    continue
                if group is None:
                    writer.write_table(part)
                else:
                    if held and (group != held_group or held_rows + part.num_rows > GROUP_ROWS):
                        writer.write_table(pa.concat_tables(held), row_group_size=ROWS_PER_SLICE)
                        held, held_rows = [], 0
                    held.append(part)
                    held_group, held_rows = group, held_rows + part.num_rows
                if csv_fh is not None:
                    if rows is not None:
                        _copy(rows, csv_fh)
                    else:
                        write_csv_rows(part, csv_fh)
                n += part.num_rows
            if held:
                writer.write_table(pa.concat_tables(held), row_group_size=ROWS_PER_SLICE)
            if n == 0:
                writer.write_table(to_arrow(table, schema.empty(table)))
    finally:
        if csv_fh is not None:
            csv_fh.close()
    return n


def _copy(rows: CsvRows, dst) -> None:
    with open(rows.path, "rb") as src:
        src.seek(rows.start)
        if rows.end is None:
            shutil.copyfileobj(src, dst)
            return
        left = rows.end - rows.start
        while left > 0:
            block = src.read(min(left, 1 << 20))
            if not block:
                raise OSError(f"{rows.path}: shorter than its index says")
            dst.write(block)
            left -= len(block)


def place_text(src: Path, dst: Path, link: Callable[[Path, Path], None] = os.link) -> None:
    """Put a text into the staging folder: a hard link when the disk allows (no copy), else a copy."""
    try:
        link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)
