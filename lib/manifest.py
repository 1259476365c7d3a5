"""The raw-corpus manifest (``data/raw/manifest.csv``): read, validate, and fill gaps from the text.

A problem in one row never stops the others: row problems become messages about that file,
and a report with no row is still processed with its city and year detected from the text.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lib.context import FIVE_YEAR_END, PART_OF_YEAR, month_span
from lib.errors import ManifestError
from lib.places import city_short_named, gazetteer, lookup, place_at_end, places_named, short_name

COLUMNS = ["file", "city", "province", "year", "period", "report_type", "title", "published", "source"]
REQUIRED = ["file", "city", "year", "period", "report_type"]
REPORT_TYPES = {"work_summary", "plan_evaluation", "news_feature", "statistical_bulletin", "other"}
_CITY = re.compile(r"^[\u4e00-\u9fff]{1,8}(市|州|盟|地区|县|区|旗|省|自治区|镇|乡|街道|苏木)$")
_PERIOD = re.compile(r"^\d{4}(H[12]|Q[1-4]|-\d{2}|-\d{4}|-\d{2}/\d{4}-\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class Manifest:
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> row
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, message): errors to report


MAX_LINE = 65_536  # characters in one manifest line: a longer one is not a manifest row


def read_manifest(raw_dir: Path) -> Manifest:
    """Read the manifest if there is one. A malformed header raises ManifestError; bad rows are listed.

    Reading is strict and line by line: every row is one line (a value cannot span lines), so a
    malformed row (an unclosed quote, too many or too few fields) is an error naming its line,
    it is ignored, and the rows after it are still read.
    """
    path = Path(raw_dir) / "manifest.csv"
    out = Manifest()
    if not os.path.lexists(path):
        return out
    if not path.is_file():
        raise ManifestError(f"{path}: is not a file (a folder?); the manifest must be a CSV file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: is not UTF-8 ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror})") from exc
    lines = [(n, line) for n, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1) if line.strip()]
    if not lines:
        return out
    header_no, header_line = lines[0]
    fields, problem = _split_line(header_line)
    if problem:
        raise ManifestError(f"{path}: line {header_no} (the header) {problem}; expected columns: {','.join(COLUMNS)}")
    header = [h.strip() for h in fields]
    rename: dict[str, str] = {}
    for h in header:
        if h in COLUMNS or not h:
            continue
        close = difflib.get_close_matches(h, COLUMNS, n=1, cutoff=0.75)
        if close and close[0] not in header:
            rename[h] = close[0]
            out.problems.append(("manifest.csv", f"column '{h}' is not a manifest column; read as '{close[0]}' — fix the header"))
        else:
            out.problems.append(("manifest.csv", f"column '{h}' is not a manifest column and was ignored; "
                                                 f"expected columns: {','.join(COLUMNS)}"))
    present = {rename.get(h, h) for h in header}
    if "file" not in present:
        raise ManifestError(f"{path}: no 'file' column, so no row can be matched to a report; expected columns: {','.join(COLUMNS)}")
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        out.problems.append(("manifest.csv", f"missing column(s) {', '.join(missing)}: those fields are detected from the text"))
    keys = [rename.get(h, h) for h in header]
    for n, line in lines[1:]:
        values, problem = _split_line(line)
        if not problem and len(values) != len(keys):
            problem = (f"has {len(values)} fields but the header has {len(keys)} (a value holding a comma must be "
                       'quoted: "a,b")')
        if problem:
            guess = line.split(",", 1)[0].strip().strip('"')
            about = guess if 0 < len(guess) <= 255 and "\n" not in guess else f"manifest.csv:{n}"
            out.problems.append((about, f"manifest.csv line {n} {problem}; the row was ignored and the rows after it "
                                        "were read — fix the row"))
            continue
        row = {k: v.strip() for k, v in zip(keys, values) if k}
        name = row.get("file", "")
        if not name:
            out.problems.append((f"manifest.csv:{n}", "manifest row has no file name"))
            continue
        if name in out.rows:
            out.problems.append((name, f"manifest.csv line {n}: second row for this file; the first is used"))
            continue
        for problem in check_row(row):
            out.problems.append((name, f"manifest.csv line {n}: {problem}; the value was detected from the text instead"))
        out.rows[name] = row
    return out


def _split_line(line: str) -> tuple[list[str], str]:
    """The fields of one CSV line, or a description of what is wrong with it."""
    if len(line) > MAX_LINE:
        return [], f"is {len(line):,} characters long (the limit is {MAX_LINE:,})"
    try:
        return next(csv.reader([line], strict=True)), ""
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return [], 'opens a quote (") that is never closed on that line'
        return [], f"is not valid CSV ({exc})"


def check_row(row: dict[str, str]) -> list[str]:
    """What is wrong with a manifest row (an empty list when nothing)."""
    problems = []
    if row.get("city") and canonical_place(row["city"], row.get("province", "")) is None:
        problems.append(f"city '{row['city']}' is not a place name such as 厦门市, 岳阳 or 海南省")
    if row.get("year") and not re.fullmatch(r"\d{4}", row["year"]):
        problems.append(f"year '{row['year']}' is not a four-digit year")
    if row.get("period") and not _PERIOD.match(row["period"]):
        problems.append(f"period '{row['period']}' is not like 2024, 2025H1 or 2016-2018")
    if row.get("report_type") and row["report_type"] not in REPORT_TYPES:
        problems.append(f"report_type '{row['report_type']}' is not one of {', '.join(sorted(REPORT_TYPES))}")
    if row.get("published") and not _DATE.match(row["published"]):
        problems.append(f"published '{row['published']}' is not an ISO date (YYYY-MM-DD)")
    return problems


def canonical_place(value: str, province: str = "") -> str | None:
    """The gazetteer's full name for a manifest city (岳阳 → 岳阳市, 北京 → 北京市, 海南省 as is);
    a name the gazetteer does not know but shaped like a place (巴州) is kept as written; None
    when it is not a place name at all (Xiamen, 24)."""
    value = (value or "").strip()
    place = lookup(value, province)
    if place is not None and not (_CITY.match(value) and short_name(value) == short_name(place.name)
                                  and value[-1] != place.name[-1] and value not in gazetteer()):
        return place.name
    if place is not None:
        return value  # 孟津区 written as the text has it: renamed since the gazetteer (孟津县) was made
    shaped = _CITY.match(value) and len(value) >= 2 and not _NOT_CITY.search(value[:-1])
    return value if shaped else None


# Where a report names its own city: its bureau (温州市民政局), the city government, or the city
# at the head of a document title (《中山市关于…》). Free text is not used: "紧紧围绕市委" is no city.
_CITY_CUES = [
    re.compile(r"([\u4e00-\u9fff]{2,3}市)民政局"),
    re.compile(r"([\u4e00-\u9fff]{2,3}市)[\u4e00-\u9fff]{2,3}[区县]民政局"),  # 广州市天河区民政局
    re.compile(r"(?:^|\n)20\d\d年(?:度)?([\u4e00-\u9fff]{2,3}市)(?:民政|社会|养老)"),  # 2023年杭州市民政事业…公报
    re.compile(r"([\u4e00-\u9fff]{2,3}市)人民政府"),
    re.compile(r"《([\u4e00-\u9fff]{2,3}市)"),
    re.compile(r"(?:^|[\n。,])([\u4e00-\u9fff]{2,3}市)(?:“|民政|20\d\d年)"),
    re.compile(r"(?:^|\n)(?:20\d\d年(?:度)?)?([\u4e00-\u9fff]{2,3}[县区])民政"),  # a county's own report: the county
    re.compile(r"([\u4e00-\u9fff]{1,3}[县区旗])民政局"),  # 2022年,泾县民政局紧紧围绕…: the county's bureau, no city named
]
_NOT_CITY = re.compile(r"[的在和与及对把将从为是了紧围绕全本我该各城]")
_YEAR = re.compile(r"(20\d{2})年")


def detect_city(text: str, issuer: str = "") -> str:
    """The city a report is about: its issuer (温州市民政局), else the strongest cue in the text, else
    the one place the gazetteer finds in its title lines (芷江侗族自治县2022年…统计公报), in full or,
    for a city, short before 民政/民生 (2021年成都民生成绩单). A place only listed
    in the body (a table of districts) is not taken for the report's own."""
    for source in (issuer or "", text):
        for cue in _CITY_CUES:
            counts = Counter(place for c in cue.findall(source) if (place := place_at_end(c)))
            if counts:
                return counts.most_common(1)[0][0]
    title = "\n".join([ln for ln in text.splitlines() if ln.strip() and "|" not in ln][:2])
    named = {name for _pos, name in places_named(title)}
    return named.pop() if len(named) == 1 else "" if named else city_short_named(title)


# what a title says a report is, first match wins; no match: 'other' (the manifest says better)
_TYPE_BY_TITLE = [
    ("plan_evaluation", re.compile(r"规划.{0,16}(评估|实施情况|执行情况)|(中期|终期|末期)评估")),
    ("statistical_bulletin", re.compile(r"统计(公报|月报|季报|年报|数据|报表|表)|月报|季报|公报")),
    ("work_summary", re.compile(r"工作(总结|报告|情况|回顾)|年度总结|半年总结")),
]
# a part of the year a title names (2023年上半年工作总结): the report's period is that part
_TITLE_PART = re.compile(r"(?:(20\d{2})\s*年\s*)?(上半年|前三季度|第?[一二三四]季度|1\s*[-—至~]\s*(\d{1,2})\s*月)")


def detect_report_type(title: str) -> str:
    """The report type a title names (…2023年工作总结 → work_summary, …统计公报 → statistical_bulletin), else 'other'."""
    return next((kind for kind, rule in _TYPE_BY_TITLE if rule.search(title or "")), "other")


def detect_period(title: str, year: int | None, report_type: str) -> str:
    """The period a title names: a part of a year (2023年上半年 → 2023H1, 前三季度 → 2023-01/2023-09), a
    five-year plan's evaluation from the plan's first year (“十三五”…中期评估 of 2018 → 2016-2018), else
    the year. The year written before a part (2023年上半年) is the part's."""
    title = title or ""
    m = _TITLE_PART.search(title)
    y = int(m.group(1)) if m and m.group(1) else year
    if m and y:
        if m.group(3) is None:
            return month_span(str(y), *PART_OF_YEAR[m.group(2)])
        last = int(m.group(3))
        return month_span(str(y), 1, last) if 1 < last <= 12 else str(y)
    plan = re.search(r"十([一二三四五])五", title)
    if report_type == "plan_evaluation" and plan and year:
        first = int(FIVE_YEAR_END[f"十{plan.group(1)}"]) - 4
        if first <= year <= first + 4:
            return f"{first}-{year}" if year > first else str(year)
    return str(year or "")


# a year in a title that is the plan's, not the report's (…2023年工作总结和2024年工作思路)
_PLAN_YEAR = re.compile(r"(20\d{2})\s*年(?:度)?\s*(?:工作)?\s*(?:计划|思路|要点|打算|安排|重点|目标)")


def detect_year(text: str) -> int | None:
    """The year a report is about: the first year its title (first non-empty line) names that is not its
    plan's (…2023年工作总结和2024年工作思路 → 2023), else the most frequent 20xx年, ties to the later year."""
    title = next((ln for ln in text.splitlines() if ln.strip()), "")[:80]
    plan = {m.start(1) for m in _PLAN_YEAR.finditer(title)}
    own = [m for m in _YEAR.finditer(title) if m.start(1) not in plan]
    if own and plan:  # a title naming the report's year beside its plan's: the report's
        return int(own[0].group(1))
    counts = Counter(int(y) for y in _YEAR.findall(text))
    if not counts:
        return None
    return max(counts, key=lambda y: (counts[y], y))


def province_wide(text: str, province: str) -> bool:
    """Is a text with no city about its whole province (河北省…全省城乡低保人数)? 全省 outnumbers
    全市/全县/全区 (the manifest gave the province, so the text need not name it), or, with no 全市/我市,
    the province is named again and again or its 民政厅 issued the text."""
    place = lookup(province) if province else None
    if place is None or place.level != "province":
        return False
    short = short_name(place.name)
    named = text.count(short)
    whole = text.count("全省") + (text.count("全区") if "自治区" in place.name else 0)
    local = sum(text.count(w) for w in ("全市", "全县", "我市", "我县", "本市"))
    bureau = f"{place.name}民政厅" in text or f"{short}民政厅" in text  # the province's own department
    return whole > local or (local == 0 and (named >= 3 or bureau))


def city_named_in_text(city: str, text: str) -> bool:
    stem = re.sub(r"(市|州|盟|地区|县|区)$", "", city)
    return bool(stem) and stem in text
