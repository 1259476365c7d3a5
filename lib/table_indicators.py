"""Table indicators: catalogue indicators in rebuilt tables, where row and column labels say what a value is.

Kept apart from the sentence rules because a table states name, unit, period and place in its
labels rather than in wording; it shares the alias matcher, place words and split labels with them.
"""

from __future__ import annotations

import re

import pandas as pd

from lib.catalogue import catalogue, observation, to_catalogue_unit
from lib.context import GENERIC_PLACES, ReportContext, month_span
from lib.wording import alias_matcher, find_aliases, label_unit, split_label, unit_text, vocabulary

_COL_PERIOD = re.compile(r"(20\d{2})\s*年?(?:\s*(\d{1,2})\s*月)?")


def _row_scope(row_label: str, ctx: ReportContext) -> str | None:
    """A table row that names a place: the city as a whole, a district/county, or None."""
    label = row_label.strip()
    if re.fullmatch(r"全市|全市合计|市合计|" + re.escape(ctx.city or "全市"), label):
        return "city"
    if re.fullmatch(r"合计|总计|全区|全县|全区合计|全县合计", label):
        return ctx.scope  # the whole the report is about
    if label in GENERIC_PLACES:
        return None  # 城市 / 农村 / 城区 … are splits or kinds of area, not a named place
    if label == "市本级" or re.fullmatch(r"[\u4e00-\u9fff]{1,6}(区|县|市|镇|街道|新区)", label):
        return label
    return None


# A column of changes, ranks or progress (增长(%), 同比, 完成进度(%), 排名): not the indicator itself.
_CHANGE_COL = re.compile(r"增长|增幅|增速|增减|增量|同比|环比|比上年|比去年|较上年|变化|变动|进度|完成率|完成度|排名|位次|占全[市省国]")
_UNIT_COL = re.compile(r"(?:计量)?单位")
_TARGET_COL = re.compile(r"目标|规划|计划|预期")
_CAPTION_MONTH = re.compile(r"(20\d{2})\s*年?\s*(\d{1,2})\s*月")


_MEASURE_WORD_UNIT = {"户数": "户", "人数": "人", "位数": "张", "构数": "个", "个数": "个"}  # 户数, 人数, 床位数, 机构数


def _value_with_unit(c):
    """A cell that holds a figure with its unit (830元/人/月): the cell with that value, and the unit."""
    from lib.numbers import find_quantities

    qs = [q for q in find_quantities(str(c.text)) if q.kind == "quantity"]
    if len(qs) != 1 or not qs[0].unit:
        return c, ""
    return c._replace(value=qs[0].value), qs[0].unit


_MONEY_COL = re.compile(r"资金|支出|金额")


def _programme_column(c) -> tuple[str, str]:
    """A programme's row under a measure column (城市低保 | 830元/人/月 under 救助标准, or 124.9 under
    资金支出): the programme term and its indicator from the programme_standard or programme
    vocabulary, or ("", "") if not. The longest term wins, so 低保边缘 is never 低保."""
    col = str(c.col_label)
    if "标准" in col:
        words = vocabulary("programme_standard")
    elif _MONEY_COL.search(col):
        words = vocabulary("programme")
    else:
        return "", ""
    for term, indicator in words.items():
        if term in str(c.row_label):
            return (term, indicator) if indicator else ("", "")
    return "", ""


_LAST_YEAR_COL = re.compile(r"上年|去年|同期数")
_EARLIER_COL = re.compile(r"上季度|上季|上月|上期")


def _earlier_period(column: str, period: str, figure: str) -> str:
    """The period of a 上季度/上月 column in a report of month YYYY-MM: for a flow the year to the end of
    that quarter or month (2022-09 → 上季度 2022H1), for a stock that month's end (2022-06); '' when
    the report's period is no month."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if m is None:
        return ""
    back = 3 if "季" in column else 1
    end = int(m.group(2)) - back
    if end < 1:
        return ""
    return month_span(m.group(1), 1, end) if figure == "flow" else f"{m.group(1)}-{end:02d}"
# a row label that only names a measure of its group (二、养老机构 > 机构数(个))
_MEASURE_ONLY = re.compile(r"^\s*[#*]?\s*(?:机构数|单位数|个数|个\s*数|数量|人数|户数|总数|合计|总计|小计)\s*(?:\([^()]*\))?\s*$")


def _row_detail(c, label: str, name: str) -> str:
    """The split a table row is: its own label's (城市特困人员…), else its group's when the row
    continues the group's subject (城市最低生活保障 > 最低生活保障人数), else the column's; a row
    that says 城乡 is a total whatever its group says."""
    own = split_label(c.row_label)
    if own or "城乡" in c.row_label:
        return own
    group = str(c.row_group or "")
    topic = group
    for term in ("城市", "城镇", "农村", "乡村", "集中", "分散", "散居"):
        topic = topic.replace(term, "")
    if group and len(topic) >= 2 and (topic in c.row_label or topic in name):
        return split_label(group)
    return split_label(c.col_label) if label != c.col_label else ""


def _record_period(caption: str, column: str, figure: str) -> str | None:
    """The period of one column of a monthly record (20225月最低生活保障): 本月 → 2022-05, 1-本月 →
    2022-01/2022-05, 本年度 → 2022; a stock in the record is as of its month. '' when the caption
    names no month; None when it names one that is no month (202213月, damaged): no period can be told."""
    m = _CAPTION_MONTH.search(caption)
    if m is None:
        return ""
    year, month = m.group(1), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if re.search(r"本年度|全年", column):
        return year
    span = re.search(r"(\d{1,2})\s*月?\s*-\s*本月", column)
    if span and figure == "flow":
        return month_span(year, int(span.group(1)), month)
    return f"{year}-{month:02d}"


def table_indicators(cells: list, tables: list, sections: list, ctx: ReportContext) -> list[dict]:
    """Indicator observations in rebuilt tables: the row label names the indicator, the column
    says the unit and the period; a column year after the report's is a target, before it a baseline.
    cells, tables and sections are rows of those tables (lib.rows.records)."""
    cat = catalogue()
    _, owners = alias_matcher()
    year = ctx.year
    period = ctx.period or str(year or "")
    start_year = int(period[:4]) if period[:4].isdigit() else year
    part_of = {sec.section_id: sec.part for sec in sections}
    table_of = {t.table_id: t for t in tables}  # once per report, not per cell
    # a 单位 column gives each row its unit (| 指标 | 单位 | 2023年 | 2024年 |)
    row_units = {(c.table_id, c.row): c.text for c in cells
                 if _UNIT_COL.fullmatch(str(c.col_label).strip()) and pd.isna(c.value)}
    # a table with a target or a change column compares with its base year (2023年 | 2024年 | 增长(%)):
    # its earlier columns are baselines; elsewhere (a yearbook's 2020 | 2021) each year's column is
    # that year's actual value
    targets = {c.table_id for c in cells if _TARGET_COL.search(str(c.col_label)) or _CHANGE_COL.search(str(c.col_label))}
    planning = ctx.report_type == "plan_evaluation"
    # a statistics report whose spending is 累计 (民政事业费累计支出): its money is the year to date
    to_date = {c.table_id for c in cells if "累计" in str(c.row_label)}
    # … and so is a form's money beside its 上期/上季度 column, which is itself the year to that month's end
    to_date |= {c.table_id for c in cells if _EARLIER_COL.search(str(c.col_label))}
    rows = []
    for c in cells:
        cell_unit = ""
        if pd.isna(c.value):
            c, cell_unit = _value_with_unit(c)  # | 830元/人/月 |: a value written with its unit
        if pd.isna(c.value) or c.value == 0:
            continue  # an empty cell, or a zero that says nothing happened
        table = table_of[c.table_id]
        label = f"{c.row_group} {c.row_label}".strip()
        scope = ctx.scope
        col_place = _row_scope(c.col_label, ctx)  # places as columns (| 指标 | 全市 | 市南区 |)
        if col_place is not None:
            scope = col_place
        elif table.layout == "label_rows" and re.fullmatch(r"[\u4e00-\u9fff]{2,8}", str(c.col_label)):
            scope = c.col_label  # 金华市 | 市区: a column naming a part of the area (市区) is that part
        # the last name in the label, overlaps resolved as in sentences (城乡低保标准 → 低保标准)
        found = find_aliases(label)
        name = found[-1].text if found else None
        # 五、社会组织 > 社会团体: a kind within the group is a part of the group's count, never its total
        kind_of_group = (c.row_label.strip("#* ") if name and c.row_group and not find_aliases(c.row_label)
                         and not _MEASURE_ONLY.match(c.row_label) else "")
        if table.layout == "header_stream":
            # one record under a caption (20225月特困人员供养): each column names its measure, the
            # caption the programme when the column does not (总人数(人))
            found = find_aliases(c.col_label) or find_aliases(f"{table.caption} {c.col_label}")
            name, label = (found[-1].text if found else None), f"{table.caption} {c.col_label}"
            if name is None or _CHANGE_COL.search(c.col_label):
                continue
        elif name is None:
            # indicators as columns, places as rows (| 区 | 低保人数(人) | …): the row is the scope
            found = find_aliases(c.col_label)
            name = found[-1].text if found else None
            if name is None:
                continue
            scope = _row_scope(c.row_label, ctx)
            if scope is None:
                continue
            label = c.col_label
            if _CHANGE_COL.search(c.col_label.replace(name, "")):
                continue
        elif _CHANGE_COL.search(c.col_label):
            continue  # 增长(%) beside the year columns is a change, not the indicator
        term, programme_indicator = _programme_column(c)
        if term:  # | 救助类别 | 救助标准 | 资金支出 | / | 城市低保 | 830元/人/月 | 124.9 |: the programme's own
            name, owners_of = term, {term: [programme_indicator]}
        else:
            owners_of = owners
        unit, mult = label_unit(c.col_label)
        if not unit and cell_unit:
            unit, mult = cell_unit, 1.0
        if not unit:
            unit = _MEASURE_WORD_UNIT.get(re.sub(r"\s+", "", str(c.col_label))[-2:], "")  # | 户数 | 人数 |
        if not unit:
            unit, mult = label_unit(c.row_label)
        if not unit and (c.table_id, c.row) in row_units:
            unit, mult = unit_text(row_units[(c.table_id, c.row)])
        if not unit:  # a form row with no unit: (1)城市低保人数 75,616 under 数量
            unit = _MEASURE_WORD_UNIT.get(re.sub(r"\s+", "", str(c.row_label))[-2:], "")
        for ind_id in owners_of[name]:
            ind = cat[ind_id]
            if ind.exclude is not None and ind.exclude.search(label + c.col_label):
                continue
            if ind.context is not None and not ind.context.search(f"{table.caption} {label} {c.col_label}"):
                continue  # 提供住宿的民政机构床位 is not an elderly-care bed count (care_beds needs 养老)
            if not unit and ind.unit in ("家", "个") and float(c.value).is_integer() and table.layout == "glued_rows":
                unit = ind.unit  # a statistics row 养老机构586 under 指标名称单位数量: a count of places
            value = to_catalogue_unit(c.value * mult, unit, ind, c.col_label + c.row_label)
            if value is None:
                continue
            cm = _COL_PERIOD.search(c.col_label)
            status, per = "actual", period
            if table.layout == "header_stream":
                record = _record_period(table.caption, c.col_label, ind.behaviour.figure)
                if record is None:
                    continue
                per = record or period
            elif cm:
                cy = int(cm.group(1))
                if cm.group(2) and not 1 <= int(cm.group(2)) <= 12:
                    continue  # 2018年13月: a damaged date, whose period cannot be told
                per = f"{cy}-{int(cm.group(2)):02d}" if cm.group(2) else str(cy)
                if _TARGET_COL.search(c.col_label) or (year is not None and cy > year):
                    status = "planned"
                elif start_year is not None and cy < start_year and (c.table_id in targets or planning):
                    status = "baseline"
            elif _LAST_YEAR_COL.search(c.col_label) and year is not None:
                status, per = "baseline", str(year - 1)  # 上年数据 beside this year's: the comparison value
            elif _EARLIER_COL.search(c.col_label):
                earlier = _earlier_period(c.col_label, ctx.period, ind.behaviour.figure)
                if not earlier:
                    continue
                status, per = "baseline", earlier  # 上季度 / 上月 beside this period's
            elif re.search(r"目标|规划|计划", c.col_label) or part_of.get(table.section_id) == "plan":
                status = "planned"  # a target with no year of its own: the plan's end (十四五 → 2025)
                per = ctx.five_year_end or ctx.plan_period or period
            if ind.kind == "count" and re.search(r"每[万千百]|率|占比|比例", label):
                continue  # a rate per population is not the count
            if re.search(r"累计|五年", label) and cm:
                span = 5 if "五年" in label else None
                cy = int(cm.group(1))
                if status == "baseline" and span:
                    per = f"{cy - span + 1}-{cy}"
                elif status == "planned" and span:
                    per = f"{cy - span + 1}-{cy}"
                elif status == "actual":
                    per = f"{start_year}-{cy}"
            month = re.fullmatch(r"(\d{4})-(\d{2})", per)
            if month and ind.behaviour.figure == "flow" and c.table_id in to_date and "本月" not in c.col_label \
                    and "当月" not in c.col_label:
                per = month_span(month.group(1), 1, int(month.group(2)))
            detail = _row_detail(c, label, name) or re.sub(r"\([^()]*\)$", "", kind_of_group)
            rows.append(observation(
                c.report_id, ctx.city, ind, value, status=status, period=per, scope=scope, scope_detail=detail,
                qualifier="exact", source_text=f"{table.caption or '表'}: {label} | {c.col_label} = {c.text}",
                raw_text=c.text, section_id=table.section_id, sentence_id="", table_id=c.table_id,
                rule=f"table row {name} × column {c.col_label}", char_start=c.char_start, char_end=c.char_end))
            break
    return _first_of_each(rows)


def _first_of_each(rows: list[dict]) -> list[dict]:
    """One value per indicator, status, period, scope and part in a table: a programme's spending
    (A 城市低保累计支出) comes before the narrower lines under it (I 城市低保金), which are not a
    second value of the same thing."""
    seen, kept = set(), []
    for r in rows:
        key = (r["table_id"], r["indicator_id"], r["status"], r["period"], r["scope"], r["scope_detail"])
        if key not in seen:
            seen.add(key)
            kept.append(r)
    return kept
