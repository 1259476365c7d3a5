"""Rebuild tables that scraping broke apart, so their cells keep row and column labels.

The broken forms recognised in body text:
- ``pipe_cells``: one cell per line, each ending in ``|`` (a bare ``|`` line between rows), as
  when an HTML table is copied cell by cell;
- ``pipe_rows``: one row per line with cells separated by ``|`` (markdown and copied tables);
- ``whitespace``: one row per line, a text label then numeric cells separated by spaces, under
  a header line;
- ``coded_rows``: a statistics form copied as text, each row carrying its indicator code
  (``(1)最低生活保障 万元 JZH011212100 936,537.8 614,443.6``), its values filling the columns named
  after 代码 in order;
- ``glued_rows``: a statistics table (指标名称单位数量) copied with label, unit and value run together on
  each line (养老机构床位万张11.3), lines with no value heading the more indented ones below them;
- ``panels``: a yearbook page set as two tables side by side (指标名称 单位 2021年 2020年, twice), cut
  into items per line, labels with no values heading the rows below them in their panel;
- ``label_rows``: a yearbook table aligned by spaces, its header ending in year columns
  (``项目 Item 2020 2021``), each row a label with its unit (Chinese or English) and one value per
  year; English labels may wrap onto lines of their own;
- ``measure_columns``: measures with their units over several lines, then a line of years (one per
  measure and year), then rows of bare numbers whose labels were lost: only the first row is kept,
  as the total, and only when it is at least every other row in every column;
- ``header_stream``: one cell per line, all the header cells first (units on lines of their own,
  group headers spanning child columns), then all the values, as an HTML table with a two-row
  header comes out when copied; the values of the top header's own columns are matched from both
  ends, and a block whose counts do not add up is left alone.
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
        found = (_pipe_cells(lines, i) or _pipe_rows(lines, i) or _coded_rows(lines, i) or _glued_rows(lines, i)
                 or _panels(lines, i) or _label_rows(lines, i)
                 or _measure_columns(lines, i) or _header_stream(lines, i) or _whitespace(lines, i))
        if found is None:
            i += 1
            continue
        table, next_i = found
        tables.append(table)
        i = next_i
    for table in tables:
        if not table.caption:
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
    fixed = _fixed_width(run, cells)
    if fixed is not None:
        header, rows = fixed
        return Table("pipe_cells", run[0][0], run[-1][1], header, rows, 1, line_spans=[(s, e) for s, e, _ in run]), j
    header, rows, n_labels = _rows_from_cell_stream(values)
    if not rows:
        return None
    return Table("pipe_cells", run[0][0], run[-1][1], header, rows, n_labels,
                 line_spans=[(s, e) for s, e, _ in run]), j


def _fixed_width(run, cells: list[Cell | None]):
    """A statistics form copied cell by cell with its column-ID row (甲 | 乙 | 丙 | 1 | 2 | 3 |): every
    line is a cell, empty ones included, so the k header cells before 甲 cut the stream into rows of k."""
    texts = [c.text if c is not None else "" for c in cells]
    at = next((n for n in range(len(texts) - 1) if texts[n] == "甲" and texts[n + 1] == "乙"), None)
    if at is None or at < 2:
        return None
    k = at
    ids = texts[at: at + k]
    if len(ids) < k or not all(t in "甲乙丙丁" or t.isdigit() for t in ids):
        return None
    header = [c if c is not None else Cell("", run[0][0], run[0][0]) for c in cells[:k]]
    rows = []
    for n in range(at + k, len(cells) - k + 1, k):
        row = [c if c is not None else Cell("", run[n][0], run[n][0]) for c in cells[n: n + k]]
        if row[0].text:
            rows.append(row)
    return (header, rows) if rows else None


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
    # title lines above the header (| 民政事业统计季报表 | || / | 2020年3月 | ||): the header is the first
    # row with two or more label cells
    labelled = [n for n, r in enumerate(rows) if sum(1 for c in r if c.text and not is_numeric(c.text)) >= 2]
    named = [n for n in labelled if any(re.search(r"指标|项目|名称|类别|单位$|^单位", c.text) for c in rows[n])
             and not any(re.search(r"编制|填报|制表", c.text) for c in rows[n])]
    first = (named or labelled or [0])[0]  # not 编制单位:福建省 | 2020年度 01月份, a form's metadata
    header, body = rows[first], _mend_rows(rows[first + 1:])
    grouped = _with_groups(body)
    if grouped is not None:
        table = Table("pipe_rows", run[0][0], run[-1][1], [header[0], Cell("", header[0].end, header[0].end)] + header[1:],
                      grouped, n_labels=2, line_spans=[(s, e) for s, e, _ in run])
    else:
        table = Table("pipe_rows", run[0][0], run[-1][1], header, body, line_spans=[(s, e) for s, e, _ in run])
    if first:
        titles = [c for r in rows[:first] for c in r if c.text]
        table.caption = " ".join(c.text for c in titles)
        table.caption_span = (titles[0].start, titles[-1].end) if titles else None
    return table, j


# A numbered section heading swallowed into the cell before it (#养老机构 四、社会救助 城市最低生活保障).
_SWALLOWED = re.compile(r"\s+(?=[一二三四五六七八九十]{1,3}、)")
_UNIT_CELL = re.compile(r"^(?:万人次|人次|万人|万户|万张|万元|亿元|万对|元/人·月|元/人·年|元/人月|元/人年|元|人天|人|户|张|个|家|处|所|对|件|宗|名|具|床|%|‰)$")


def _mend_rows(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rows a copied statistics table broke apart: a label alone on its line whose unit and value
    follow on the next (…支出 |  / 万元 | 57324.8 |) become one row, and numbered section headings
    swallowed into a label (#养老机构 四、社会救助 城市最低生活保障) become group rows of their own."""
    out: list[list[Cell]] = []
    n = 0
    while n < len(rows):
        row = rows[n]
        texts = [c.text for c in row if c.text]
        nxt = rows[n + 1] if n + 1 < len(rows) else None
        if len(texts) == 1 and nxt and nxt[0].text and _UNIT_CELL.match(nxt[0].text) and any(is_numeric(c.text) for c in nxt):
            label = row[0]
            parts = _SWALLOWED.split(label.text)
            own = parts[0].lstrip("#* ").strip()
            out.append([Cell(own, label.start, label.start + len(parts[0]))] + nxt)
            for heading in parts[1:]:  # the headings that followed it open the next rows' groups
                for piece in re.split(r"\s+", heading.strip()):
                    out.append([Cell(piece, label.start, label.start)])
            n += 2
            continue
        if len(texts) == 1 and len(_SWALLOWED.split(row[0].text)) > 1:
            for piece in re.split(r"\s+", row[0].text.strip()):
                out.append([Cell(piece, row[0].start, row[0].start)])
            n += 1
            continue
        out.append(row)
        n += 1
    return out


_TOP_SECTION = re.compile(r"^[一二三四五六七八九十]{1,3}、")


def _with_groups(rows: list[list[Cell]]) -> list[list[Cell]] | None:
    """Rows that are only a label (城市最低生活保障 | | |) head the rows after them: each data row gets
    the nearest such label as its group (a numbered section 四、… resets it). None when no row is one."""
    if not any(_is_group_row(r) for r in rows):
        return None
    out, group = [], None
    for r in rows:
        if _is_group_row(r):
            group = r[0]
            continue
        if not [c for c in r if c.text]:
            continue  # an empty separator row
        if _TOP_SECTION.match(r[0].text):
            group = None
        g = group if group is not None else Cell("", r[0].start, r[0].start)
        out.append([g] + r)
    return out if len(out) >= 2 else None


def _is_group_row(row: list[Cell]) -> bool:
    return bool(row and row[0].text) and not any(c.text for c in row[1:]) and not is_numeric(row[0].text)


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


# --- a statistics form copied as text, each row with its indicator code ---------------------------
_CODED_HEAD = re.compile(r"^\s*指标(?:名称)?\s+(?:计量)?单位(?:\s+代码)?((?:\s+[\u4e00-\u9fff]{2,6})+)\s*$")
_CODED_ROW = re.compile(r"^(?P<lead>\s*)(?P<label>\S.*?)(?:\s+(?P<unit>万人次|人次|万人|万户|万张|万元|亿元|元|人|户|张|个|家|对|件|%))?"
                        r"(?:\s+(?P<code>[A-Z]{2,6}\d{6,}))?(?P<rest>(?:\s+[-+]?\d[\d,]*(?:\.\d+)?)*)\s*$")


# the measure columns of a statistics form without codes (指标名称 单位 数量 上期 环比)
_FORM_COLUMN = re.compile(r"数量|数值|本期|本月|当月|累计|本年累计|上期|上月|上季度|上季|同比|环比|上年同期|同期|增减|增长|"
                          r"增幅|比上期增减|比上年增减|比上年同期增减|比上期增长|比上年同期增长")


def _coded_rows(lines, i):
    """指标名称 单位 代码 数量 上季度 环比 / (1)最低生活保障 万元 JZH011212100 936,537.8 614,443.6 52.42:
    a statistics form copied as text (with or without the codes); the values fill the header's columns
    in order, a short line with no values (一、综合, 1.最低生活保障) heads the rows below it."""
    hs, _he, head = lines[i]
    m = _CODED_HEAD.match(head)
    if m is None:
        return None
    columns = m.group(1).split()
    if "代码" not in head and not all(_FORM_COLUMN.fullmatch(c) for c in columns):
        return None  # 指标 单位 全市 市南区 …: places as columns, not a form's measures
    rows, group, j = [], None, i + 1
    while j < len(lines):
        start, _end, line = lines[j]
        if re.fullmatch(r"[\s\d]+", line):  # a column-number row: 1 2 3 4
            j += 1
            continue
        r = _CODED_ROW.match(line)
        if r is None:
            break
        label = r.group("label").strip()
        ls = start + r.start("label")
        values = list(re.finditer(r"[-+]?\d[\d,]*(?:\.\d+)?", r.group("rest")))
        if not values:
            if len(label) > 24 or re.search(r"[。,，;；:：]", label):
                break  # prose after the form: the form has ended
            group = Cell(label, ls, ls + len(label))
            j += 1
            continue
        unit = r.group("unit") or ""
        cells = [group or Cell("", ls, ls), Cell(label + (f"({unit})" if unit else ""), ls, ls + len(label))]
        for v in values[: len(columns)]:
            vs = start + r.start("rest") + v.start()
            cells.append(Cell(v.group(0), vs, vs + len(v.group(0))))
        rows.append(cells)
        j += 1
        last = j
    if len(rows) < 3:
        return None
    j = last  # heading lines after the last row are not the form's
    header = [Cell("指标名称", hs, hs), Cell("", hs, hs)] + [Cell(c, hs, hs) for c in columns]
    return Table("coded_rows", hs, lines[j - 1][1], header, rows, n_labels=2,
                 line_spans=[(s, e) for s, e, _ in lines[i:j]]), j


# --- statistics rows with label, unit and value run together --------------------------------------
_GLUED_HEADER = re.compile(r"^\s*指标(?:名称)?\s*(?:计量)?单位\s*(?:数量|数值|本期|本月|合计|累计)\s*$")
_GLUED_ROW = re.compile(r"^(?P<lead>\s*)(?P<label>[#*]?[\u4e00-\u9fff(（一二三四五六七八九十\d][^|]*?)"
                        r"(?P<unit>万人次|人次|万人|万户|万张|万元|亿元|万对|元/人·月|元/人·年|元/人月|元/人年)?"
                        r"(?P<value>-?\d[\d,]*(?:\.\d+)?)?\s*$")


def _glued_rows(lines, i):
    """指标名称单位数量 / 养老机构床位万张11.3 / 城市最低生活保障 / 最低生活保障人数万人7.1 …: a statistics
    table copied with no separators; a line with no value heads the more indented lines below it."""
    hs, _he, head = lines[i]
    if not _GLUED_HEADER.match(head):
        return None
    rows, stack, j = [], [], i + 1
    while j < len(lines):
        start, _end, line = lines[j]
        m = _GLUED_ROW.match(line)
        if m is None or "。" in line or len(line.strip()) > 60:
            break
        indent = len(m.group("lead"))
        label = m.group("label").rstrip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if not m.group("value"):
            stack.append((indent, Cell(label, start + indent, start + indent + len(label))))
            j += 1
            continue
        group = stack[-1][1] if stack else Cell("", start, start)
        unit = m.group("unit") or ""
        text = label + (f"({unit})" if unit else "")
        vs = m.start("value")
        rows.append([group, Cell(text, start + indent, start + indent + len(label)),
                     Cell(m.group("value"), start + vs, start + m.end("value"))])
        j += 1
    if len(rows) < 3:
        return None
    header = [Cell("指标名称", hs, hs), Cell("", hs, hs), Cell("数量", hs, hs)]
    return Table("glued_rows", hs, lines[j - 1][1], header, rows, n_labels=2,
                 line_spans=[(s, e) for s, e, _ in lines[i:j]]), j


# --- a yearbook page set as two panels side by side --------------------------------------------------
_PANEL_HEAD = re.compile(r"指标名称\s+单位((?:\s+(?:19|20)\d{2}\s*年?)+)\s+指标名称\s+单位((?:\s+(?:19|20)\d{2}\s*年?)+)\s*$")
_TOKEN = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces; two or more spaces part cells


def _panels(lines, i):
    """指标名称 单位 2021 年 2020 年   指标名称 单位 2021 年 2020 年: a yearbook page set as two
    tables side by side. Each line is cut into items (label, unit, one value per year); a label with
    no values heads the rows below it in its panel; the right panel starts under its header."""
    hs, _he, head = lines[i]
    m = _PANEL_HEAD.search(head)
    if m is None:
        return None
    years = re.findall(r"(?:19|20)\d{2}", m.group(1))
    if re.findall(r"(?:19|20)\d{2}", m.group(2)) != years:
        return None
    split_col = m.end(1) + 2  # past the left panel's year columns
    k = len(years)
    panels: list[list[list[Cell]]] = [[], []]
    groups: list[Cell | None] = [None, None]
    j = i + 1
    while j < len(lines):
        start, _end, line = lines[j]
        if "。" in line or not re.search(r"[\u4e00-\u9fff]", line):
            break
        tokens = [(t.start(), t.group(0)) for t in _TOKEN.finditer(line)]
        items, cur = [], []
        for pos, tok in tokens:
            if not is_numeric(tok) and cur and any(is_numeric(t) for _p, t in cur):
                items.append(cur)
                cur = []
            elif not is_numeric(tok) and cur and not _UNIT_CELL.match(tok) and not any(_UNIT_CELL.match(t) for _p, t in cur):
                items.append(cur)  # a label with no values: a group heading
                cur = []
            cur.append((pos, tok))
        if cur:
            items.append(cur)
        for n, item in enumerate(items):
            panel = 1 if n > 0 or item[0][0] >= split_col else 0  # two panels: a second item is the right one
            label = item[0]
            nums = [(p, t) for p, t in item if is_numeric(t)]
            unit = next((t for _p, t in item[1:] if _UNIT_CELL.match(t)), "")
            if not nums:
                groups[panel] = Cell(label[1], start + label[0], start + label[0] + len(label[1]))
                continue
            if len(nums) != k:
                continue
            text = label[1].replace(" ", "") + (f"({unit})" if unit else "")
            group = groups[panel] or Cell("", start, start)
            panels[panel].append([group, Cell(text, start + label[0], start + label[0] + len(label[1]))]
                                 + [Cell(t, start + p, start + p + len(t)) for p, t in nums])
        j += 1
    rows = panels[0] + panels[1]
    if len(rows) < 3:
        return None
    header = [Cell("指标名称", hs, hs), Cell("", hs, hs)] + [Cell(y, hs, hs) for y in years]
    return Table("panels", hs, lines[j - 1][1], header, rows, n_labels=2,
                 line_spans=[(s, e) for s, e, _ in lines[i:j]]), j


# --- yearbook rows: label (unit) English … v1 v2 under a header ending in years -----------------
_YEARS_AT_END = re.compile(r"(?:\s+(?:19|20)\d{2}\s*年?)+\s*$")
_TRAILING_NUMBERS = re.compile(r"(?:\s+[-+]?\d[\d,]*(?:\.\d+)?)+\s*$")
_CN_UNIT = re.compile(r"\(\s*([^()\sA-Za-z]{1,8})\s*\)")
_EN_UNIT = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9 -]{0,20})\s*\)")


_COLUMN_NAME = re.compile(r"[\u4e00-\u9fff]{2,8}")


def _label_rows(lines, i):
    """项目 Item 2020 2021 / 城市居民最低生活保障人数 (人) Number of … (Person) 18995 18660 / …"""
    hs, _he, head = lines[i]
    m = _YEARS_AT_END.search(head)
    names = head.split()
    named = m is None and 1 <= len(names) <= 4 and all(_COLUMN_NAME.fullmatch(t) for t in names)
    if named:  # 金华市 市区: places (or other names) as the value columns
        years, m = names, re.match(r"\s*", head)
    elif m is None or not re.search(r"[\u4e00-\u9fff]", head[: m.start()]) or "。" in head:
        return None
    else:
        years = re.findall(r"(?:19|20)\d{2}", m.group(0))
    header = [Cell(head[: m.start()].strip(), hs, hs + m.start())]
    pos = m.start()
    for y in years:
        k = head.index(y, pos)
        header.append(Cell(y, hs + k, hs + k + len(y)))
        pos = k + len(y)
    rows, group, j, last = [], "", i + 1, i
    pending = None  # a label line whose values come on a later line (English wrapped in between)
    while j < len(lines):
        start, _end, line = lines[j]
        if "。" in line or len(line) > 300:
            break
        nums = _TRAILING_NUMBERS.search(line)
        values = re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?", nums.group(0)) if nums else []
        label = re.match(r"\s*#?\s*([\u4e00-\u9fff][\u4e00-\u9fff、()0-9-]*)", line)
        only_numbers = re.fullmatch(r"\s*[-+]?\d[\d,.]*(?:\s+[-+]?\d[\d,.]*)*\s*", line)
        if only_numbers:
            values = re.findall(r"[-+]?\d[\d,]*(?:\.\d+)?", line)
        if pending is not None and only_numbers and 0 < len(values) <= len(years):
            # 181530 129477 62379 64992 on its own line: the values of the label above
            cells = [pending]
            pos = 0
            for v in values:
                k = line.index(v, pos)
                cells.append(Cell(v, start + k, start + k + len(v)))
                pos = k + len(v)
            cells[1:1] = [Cell("", start, start)] * (len(years) - len(values))  # fewer values: the latest years
            rows.append((group, cells))
            pending, last = None, j
            j += 1
            continue
        unit_at = (_CN_UNIT.search(label.group(1)) or _CN_UNIT.search(line, label.end(1))) if label and nums is None else None
        if unit_at is not None:
            name = label.group(1)[: unit_at.start()] if unit_at.string == label.group(1) else label.group(1)
            pending = Cell(name.rstrip("(") + f"({unit_at.group(1)})", start + label.start(1), start + label.end(1))
            j += 1
            continue
        if label and nums and len(values) < len(years) and len(values) > 0 \
                and (_CN_UNIT.search(label.group(1)) or _CN_UNIT.search(line[: nums.start()], label.end(1))):
            values_cells = []  # 城市特困人员供养人数(人) Number … 5868 6163: the latest years only
            pos = nums.start()
            for v in values:
                k = line.index(v, pos)
                values_cells.append(Cell(v, start + k, start + k + len(v)))
                pos = k + len(v)
            found = _CN_UNIT.search(label.group(1)) or _CN_UNIT.search(line[: nums.start()], label.end(1))
            name = label.group(1)[: found.start()] if found.string == label.group(1) else label.group(1)
            head = Cell(name.rstrip("(") + f"({found.group(1)})", start + label.start(1), start + label.end(1))
            rows.append((group, [head] + [Cell("", start, start)] * (len(years) - len(values)) + values_cells))
            last = j
            j += 1
            continue
        if len(values) == len(years) and label:
            if _TOP_SECTION.match(label.group(1)):
                group = ""  # 四、登记结婚数: a new numbered section ends the group above it
            body = line[: nums.start()]
            cn, en = _CN_UNIT.search(body, label.end(1)), _EN_UNIT.findall(body)
            unit = cn.group(1) if cn and not re.search(r"[A-Za-z]", body[label.end(1): cn.start()]) else (en[-1] if en else "")
            text = label.group(1).rstrip("(") + (f"({unit})" if unit else "")
            cells = [Cell(text, start + label.start(1), start + label.end(1))]
            pos = nums.start()
            for v in values:
                k = line.index(v, pos)
                cells.append(Cell(v, start + k, start + k + len(v)))
                pos = k + len(v)
            rows.append((group, cells))
            last = j
        elif nums is None and label and (named or re.search(r"[A-Za-z]", line)):
            group = label.group(1)  # a section line: 社会救助  Social Relief / 三、革命伤残人员
        elif not label and not only_numbers and re.search(r"[A-Za-z]", line) and not re.search(r"[\u4e00-\u9fff]", line):
            pass  # an English label wrapped onto its own line (… Areas(10000 yuan))
        elif label and rows and 0 < len(values) < len(years) and line.lstrip().startswith("#"):
            pass  # #老年人 Old People 35936 14524 14830: a part with some years missing, not read
        else:
            break
        j += 1
    if len(rows) < 2:
        return None
    out_rows = [[Cell(g, c[0].start, c[0].start)] + c if g else [Cell("", c[0].start, c[0].start)] + c for g, c in rows]
    return Table("label_rows", hs, lines[last][1], [header[0], Cell("", hs, hs)] + header[1:], out_rows, n_labels=2,
                 line_spans=[(s, e) for s, e, _ in lines[i: last + 1]]), last + 1


# --- measures × years with the row labels lost ------------------------------------------------------
_ONLY_YEARS = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*)+$")
_ONLY_NUMBERS = re.compile(r"^\s*(?:[-+]?\d[\d,]*(?:\.\d+)?\s*)+$")
_UNIT_LINE = re.compile(r"^\s*\(\s*([^()\d]{1,8})\s*\)\s*$")


def _measure_columns(lines, i):
    """社会福利院数 (个) … 养老机构床位数 (张) / 2022 2023 2022 2023 … / 13 12 3531 3325 …"""
    if not _UNIT_LINE.match(lines[i + 1][2] if i + 1 < len(lines) else ""):
        return None
    measures, j = [], i
    while j + 1 < len(lines) and _UNIT_LINE.match(lines[j + 1][2]) and re.fullmatch(r"\s*[\u4e00-\u9fff]{2,20}\s*", lines[j][2]):
        s0, _e0, label = lines[j]
        lead = len(label) - len(label.lstrip())
        unit = _UNIT_LINE.match(lines[j + 1][2]).group(1)
        measures.append(Cell(f"{label.strip()}({unit})", s0 + lead, s0 + lead + len(label.strip())))
        j += 2
    if len(measures) < 2 or j >= len(lines) or not _ONLY_YEARS.match(lines[j][2]):
        return None
    ys, _ye, yline = lines[j]
    years = [(mm.group(0), ys + mm.start()) for mm in re.finditer(r"(?:19|20)\d{2}", yline)]
    if len(years) % len(measures):
        return None
    per = len(years) // len(measures)
    header = [Cell("", ys, ys)] + [Cell(f"{y}年 {measures[n // per].text}", at, at + 4) for n, (y, at) in enumerate(years)]
    rows, k = [], j + 1
    while k < len(lines) and _ONLY_NUMBERS.match(lines[k][2]):
        start, _end, line = lines[k]
        cells = [Cell(mm.group(0), start + mm.start(), start + mm.end()) for mm in re.finditer(r"[-+]?\d[\d,]*(?:\.\d+)?", line)]
        if len(cells) != len(years):
            break
        rows.append(cells)
        k += 1
    if len(rows) < 2:
        return None
    first = [float(c.text.replace(",", "")) for c in rows[0]]
    total = all(first[n] >= float(r[n].text.replace(",", "")) for r in rows[1:] for n in range(len(years)))
    label = "合计" if total else ""  # the lost labels: a first row at least every other row is the total
    out = [[Cell(label, rows[0][0].start, rows[0][0].start)] + rows[0]] + [[Cell("", r[0].start, r[0].start)] + r for r in rows[1:]]
    return Table("measure_columns", lines[i][0], lines[k - 1][1], header, out,
                 line_spans=[(s, e) for s, e, _ in lines[i:k]]), k


# --- one cell per line, all headers first ------------------------------------------------------------
_STREAM_LABEL = re.compile(r"^\s*(?:\d{1,2}\s*月?\s*-\s*)?[\u4e00-\u9fff][\u4e00-\u9fff\d()-]{0,24}\s*(?:\([^()]{1,10}\))?\s*$")


_GROUP_HEAD = re.compile(r"^(?:城镇|城市|农村|乡村|城乡|集中|分散|散居|市辖区|县)")


def _header_stream(lines, i):
    """本月低保户数 / (户) / … / 城镇低保 / 农村低保 / … / 城镇低保户数 / (户) / … / 231 / 363 / …"""
    if i > 0 and (_UNIT_LINE.match(lines[i - 1][2]) or is_numeric(lines[i - 1][2]) or _STREAM_LABEL.match(lines[i - 1][2])):
        return None  # inside a block that did not read from its start: never from its middle
    labels: list[list] = []  # [text, start, end, unit]
    values: list[Cell] = []
    j = i
    while j < len(lines):
        start, _end, line = lines[j]
        t = line.strip()
        lead = start + len(line) - len(line.lstrip())
        if is_numeric(t) and labels:
            values.append(Cell(t, lead, lead + len(t)))
        elif values:
            break
        elif _UNIT_LINE.match(t) and labels and not labels[-1][3]:
            labels[-1][3] = _UNIT_LINE.match(t).group(1)
        elif _STREAM_LABEL.match(t) and len(t) <= 30:
            inline = re.search(r"\(([^()]{1,10})\)\s*$", t)
            labels.append([t[: inline.start()].strip() if inline else t, lead, lead + len(t), inline.group(1) if inline else ""])
        else:
            break
        j += 1
    if len(labels) < 4 or len(values) < 3:
        return None
    # A header cut over lines (本月低保 / 资金发放数 / (万元)) is one label: a unit-less line before a
    # line with a unit is its first half, unless it opens with a split word (城镇低保, 分散供养 …),
    # which makes it a group header over child columns.
    merged = []
    for lab in labels:
        if merged and not merged[-1][3] and lab[3] and not _GROUP_HEAD.match(merged[-1][0]):
            merged[-1] = [merged[-1][0] + lab[0], merged[-1][1], lab[2], lab[3]]
            continue
        merged.append(list(lab))
    labels = merged
    groups = [n for n, lab in enumerate(labels) if not lab[3]]
    if not groups:
        return None
    top_end, unit_after_group = len(labels), False
    for n, lab in enumerate(labels):
        if n > groups[0] and (any(lab[0].startswith(labels[g][0]) for g in groups if g < n and g != n)
                              or (not lab[3] and unit_after_group)):
            top_end = n
            break
        if lab[3] and n > groups[0]:
            unit_after_group = True
    top, children = labels[:top_end], labels[top_end:]
    top_groups = [n for n, lab in enumerate(top) if not lab[3]]
    leading, trailing = top[: top_groups[0]], top[top_groups[-1] + 1:]
    if any(not lab[3] for lab in leading + trailing) or len(leading) + len(trailing) + sum(1 for c in children if c[3]) != len(values):
        return None  # the counts do not add up: the columns cannot be told apart
    picked = leading + trailing
    cells = values[: len(leading)] + (values[len(values) - len(trailing):] if trailing else [])
    header = [Cell("", labels[0][1], labels[0][1])] + [Cell(f"{lab[0]}({lab[3]})", lab[1], lab[2]) for lab in picked]
    row = [Cell("", cells[0].start, cells[0].start)] + cells
    table = Table("header_stream", lines[i][0], lines[j - 1][1], header, [row],
                  line_spans=[(s, e) for s, e, _ in lines[i:j]])
    if i > 0 and len(lines[i - 1][2].strip()) <= 40 and "。" not in lines[i - 1][2]:
        cs, _ce, ctext = lines[i - 1]  # the line above names the block (20225月最低生活保障)
        lead = len(ctext) - len(ctext.lstrip())
        table.caption, table.caption_span = ctext.strip(), (cs + lead, cs + lead + len(ctext.strip()))
        table.line_spans.insert(0, (cs, cs + len(ctext)))
    return table, j


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
