"""Rebuild tables that scraping broke apart, so their cells keep row and column labels.

Three broken forms are recognised in body text:
- ``pipe_cells``: one cell per line, each ending in ``|`` (a bare ``|`` line between rows), as
  when an HTML table is copied cell by cell;
- ``pipe_rows``: one row per line with cells separated by ``|`` (markdown and copied tables);
- ``whitespace``: one row per line, a text label then numeric cells separated by spaces, under
  a header line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

NUMERIC_CELL = re.compile(r"^[-+]?\d[\d,]*(\.\d+)?\s*[%‰]?$")
_CAPTION = re.compile(r"(表|一览表|情况表|统计表|明细|汇总)\s*$")
_TOTAL = re.compile(r"^(合计|总计|小计|全市|共计)$")


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Table:
    """A rebuilt table: header, rows of cells (with spans), caption and layout."""

    layout: str
    start: int
    end: int
    header: list[Cell]
    rows: list[list[Cell]]  # each row: label cells first, then value cells
    n_labels: int = 1  # how many leading cells are row labels
    caption: str = ""
    caption_span: tuple[int, int] | None = None
    line_spans: list[tuple[int, int]] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The table as a display DataFrame (wide, header as columns)."""
        cols = [c.text for c in self.header]
        width = max([len(cols)] + [len(r) for r in self.rows])
        cols = cols + [f"col{i}" for i in range(len(cols), width)]
        return pd.DataFrame([[c.text for c in r] + [""] * (width - len(r)) for r in self.rows], columns=cols[:width])


def is_numeric(text: str) -> bool:
    return bool(NUMERIC_CELL.match(text.strip()))


def find_tables(lines: list[tuple[int, int, str]]) -> list[Table]:
    """Find tables among body lines given as (start, end, text) in text order."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        found = _pipe_cells(lines, i) or _pipe_rows(lines, i) or _whitespace(lines, i)
        if found is None:
            i += 1
            continue
        table, next_i = found
        tables.append(table)
        i = next_i
    for table in tables:
        _attach_caption(table, lines)
    return tables


def _strip_cell(start: int, line: str) -> Cell:
    lead = len(line) - len(line.lstrip())
    text = line.strip()
    return Cell(text, start + lead, start + lead + len(text))


# --- one cell per line ---------------------------------------------------------------------
def _pipe_cells(lines, i):
    """A run of lines that each end with '|' and hold at most one cell."""
    j = i
    while j < len(lines):
        text = lines[j][2].strip()
        if not text:
            j += 1
            continue
        if not text.endswith("|") or text.count("|") > 1 and text.strip("| ") and "|" in text.rstrip("|").rstrip():
            break
        j += 1
    run = [ln for ln in lines[i:j] if ln[2].strip()]
    cells = []
    for start, _end, line in run:
        body = line.rstrip().rstrip("|").rstrip()
        if body.strip():
            cells.append(_strip_cell(start, body))
        else:
            cells.append(None)  # row separator
    values = [c for c in cells if c is not None]
    if len(values) < 6 or sum(is_numeric(c.text) for c in values) < 3:
        return None
    header, rows, n_labels = _rows_from_cell_stream(values)
    if not rows:
        return None
    return Table("pipe_cells", run[0][0], run[-1][1], header, rows, n_labels,
                 line_spans=[(s, e) for s, e, _ in run]), j


def _rows_from_cell_stream(cells: list[Cell]):
    """Cut a flat cell stream into rows: label cells then k numeric cells, header first.

    k is the length of the first run of numeric cells; the header is the first k+1 cells (one
    label column); rows with two label cells carry a group label that following rows inherit.
    """
    first_num = next(i for i, c in enumerate(cells) if is_numeric(c.text))
    k = 0
    while first_num + k < len(cells) and is_numeric(cells[first_num + k].text):
        k += 1
    header = cells[: min(k + 1, first_num)]
    stream = cells[len(header):]
    rows: list[list[Cell]] = []
    group: Cell | None = None
    labels: list[Cell] = []
    i = 0
    max_labels = 1
    while i < len(stream):
        c = stream[i]
        if not is_numeric(c.text):
            labels.append(c)
            i += 1
            continue
        nums = stream[i:i + k]
        i += len(nums)
        if len(labels) >= 2:
            group = labels[-2]
        elif labels and _TOTAL.match(labels[-1].text):
            group = None
        row_labels = ([group] if group is not None and (not labels or labels[-1] is not group) else []) + labels[-1:]
        max_labels = max(max_labels, len(row_labels))
        rows.append(row_labels + nums)
        labels = []
    # pad single-label rows so every row has the same number of label cells
    for r in rows:
        n = sum(1 for c in r if not is_numeric(c.text))
        if n < max_labels:
            r.insert(0, Cell("", r[0].start, r[0].start))
    if max_labels > 1 and header:
        header.insert(1, Cell("", header[0].end, header[0].end))
    return header, rows, max_labels


# --- one row per line, cells separated by | -------------------------------------------------
def _pipe_rows(lines, i):
    run = []
    j = i
    while j < len(lines):
        start, _end, line = lines[j]
        body = line.strip()
        if body.count("|") < 2 and not (body.count("|") == 1 and run):
            break
        if re.fullmatch(r"\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?", body):  # markdown rule line
            j += 1
            continue
        run.append(lines[j])
        j += 1
    if len(run) < 3:
        return None
    rows = []
    for start, _end, line in run:
        cells = []
        pos = 0
        parts = line.split("|")
        for n, part in enumerate(parts):
            edge = n == 0 or n == len(parts) - 1
            if part.strip() or not edge:
                lead = len(part) - len(part.lstrip())
                text = part.strip()
                cells.append(Cell(text, start + pos + lead, start + pos + lead + len(text)))
            pos += len(part) + 1
        while cells and not cells[-1].text:
            cells.pop()
        rows.append(cells)
    if sum(is_numeric(c.text) for r in rows for c in r) < 2:
        return None  # a metadata block, not a data table
    return Table("pipe_rows", run[0][0], run[-1][1], rows[0], rows[1:],
                 line_spans=[(s, e) for s, e, _ in run]), j


# --- whitespace-separated columns -----------------------------------------------------------


def _ws_row_cells(start: int, line: str, n_values: int) -> list[Cell] | None:
    """Split 'label v1 v2 … [tag]' into cells; an empty cell shows as a doubled gap."""
    m = re.match(r"^(\s*)(.*?[^\s\d.,%‰+-])(?=\s+(?:[-+]?\d|\s))", line)
    if not m:
        return None
    label_start = start + len(m.group(1))
    label = Cell(m.group(2), label_start, label_start + len(m.group(2)))
    pos = m.end()
    rest = line[pos:]
    tokens: list[Cell] = []
    empties = 0
    offset = start + pos
    for part in re.split(r"( )", rest):
        if part == " ":
            offset += 1
            continue
        if part == "":
            empties += 1
            if empties == 2:  # two separators in a row with nothing between = an empty cell
                tokens.append(Cell("", offset, offset))
                empties = 0
            continue
        empties = 0
        tokens.append(Cell(part, offset, offset + len(part)))
        offset += len(part)
    if tokens and tokens[0].text == "" and len(tokens) > n_values:
        tokens = tokens[1:]
    need = n_values - len(tokens)
    parts = list(re.finditer(r"\S+", label.text))
    if 0 < need < len(parts):
        # 低保对象 人 21000 … under 指标 单位 全市 …: the label's last words are text cells (a unit)
        cut = parts[-need].start()
        head = label.text[:cut].rstrip()
        extra = [Cell(p.group(0), label.start + p.start(), label.start + p.end()) for p in parts[-need:]]
        label = Cell(head, label.start, label.start + len(head))
        tokens = extra + tokens
    if sum(is_numeric(t.text) for t in tokens) < 1:
        return None
    return [label] + tokens


def _whitespace(lines, i):
    header_line = lines[i][2].strip()
    if "。" in header_line or "|" in header_line or len(header_line) > 80:
        return None
    head_tokens = header_line.split()
    if len(head_tokens) < 3:
        return None
    n_values = len(head_tokens) - 1
    rows = []
    j = i + 1
    while j < len(lines):
        start, _end, line = lines[j]
        if not line.strip():
            break
        if "。" in line or len(line.strip()) > 120:
            break
        cells = _ws_row_cells(start, line, n_values)
        if cells is None or sum(is_numeric(c.text) for c in cells[1:]) < 1:
            break
        rows.append(cells)
        j += 1
    if len(rows) < 3:
        return None
    hs, _he, hline = lines[i]
    header = []
    pos = 0
    for tok in head_tokens:
        k = hline.index(tok, pos)
        header.append(Cell(tok, hs + k, hs + k + len(tok)))
        pos = k + len(tok)
    return Table("whitespace", hs, lines[j - 1][1], header, rows,
                 line_spans=[(s, e) for s, e, _ in lines[i:j]]), j


def _attach_caption(table: Table, lines) -> None:
    """A short line right before or after the table that names it (…统计表, …一览表)."""
    idx = {s: n for n, (s, _e, _t) in enumerate(lines)}
    first = idx.get(table.line_spans[0][0])
    last = idx.get(table.line_spans[-1][0])
    for n in (last + 1 if last is not None else None, first - 1 if first is not None else None):
        if n is None or not 0 <= n < len(lines):
            continue
        start, _end, text = lines[n]
        t = text.strip()
        if t and len(t) <= 40 and "。" not in t and _CAPTION.search(t):
            lead = len(text) - len(text.lstrip())
            table.caption = t
            table.caption_span = (start + lead, start + lead + len(t))
            table.line_spans.append((start, start + len(text)))
            return
