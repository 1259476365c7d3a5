"""The report context: the facts about a whole report that every wording rule needs.

Which place the report covers and at what level, the year and period most figures refer to, the
data date (截至…), the period its plan part is about and the end of the five-year plan its title
names. Built once per report from the manifest (or what the text says) and the section tree, saved
in the ``reports`` table, and passed to the extraction rules as one typed value.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass

from lib.places import lookup, place_at_end

MONTH = r"(1[0-2]|0?[1-9])"  # a month number in a date (a captured group): "13月" is no date, so no period
FIVE_YEAR_END = {"十一": "2010", "十二": "2015", "十三": "2020", "十四": "2025", "十五": "2030"}
# Place words that never name a district of their own (全区 figures are the report's own).
GENERIC_PLACES = {"城区", "社区", "园区", "景区", "辖区", "示范区", "开发区", "市区", "山区", "库区", "老区", "地区",
                  "全市", "我市", "本市", "城市", "农村", "各区", "各县", "全区", "新区", "试验区", "先行区", "特区",
                  "市辖区", "全县", "我县", "本县", "我区", "本区", "郊区", "矿区"}


@dataclass(frozen=True)
class ReportContext:
    report_id: str
    city: str  # the place the report covers as the manifest (or text) names it: 厦门市, 鄞州区, 河北省
    province: str
    area_level: str  # province, city or county: the level of `city` ('' when unknown)
    scope: str  # 'city' (the report's own area), 'province' (a province-wide report), or a district of `city`
    year: int | None  # the year most figures refer to; None when the text states none
    period: str  # 2024, 2025H1, 2016-2020, 2022-05 … ('' when no year is known)
    as_of: str  # the report's data date, YYYY-MM, from its most frequent 截至YYYY年M月 ('' if none)
    plan_period: str  # what its plan part is about: 2025, or the rest of the year of a half-year report
    five_year_end: str  # last year of the five-year plan its title names (十四五 → 2025), else ''
    report_type: str = "other"
    part_headings: bool = True  # its parts (review / plan) come from headings, not guessed from wording

    def as_row(self) -> dict:
        return {k: ("" if v is None else v) for k, v in asdict(self).items()}


def area_level(city: str, province: str = "") -> str:
    """province, city or county, from the gazetteer ('' when the gazetteer does not know the name)."""
    place = lookup(city, province) if city else None
    if place is None:
        return ""
    if place.is_city:
        return "city"
    return place.level if place.level == "province" else "county"


_ISSUER_DISTRICT = re.compile(r"(?P<d>[\u4e00-\u9fff]{1,4}?(?:区|县|旗))(?:民政局|民政|人民政府|政府)")


def report_scope(city: str, title: str, text: str, level: str = "") -> str:
    """'province' for a province-wide report; the district or county whose bureau issued a report
    of a city (广州市天河区民政局…: its 全区 figures are the district's, never the city's); else 'city'."""
    if level == "province":
        return "province"
    title = (title or "").strip() or text.lstrip().split("\n", 1)[0]
    head = title[len(city):] if city and title.startswith(city) else title
    m = _ISSUER_DISTRICT.match(re.sub(r"^(?:20\d{2}\s*年度?)", "", head.strip()))
    if m is None:
        return "city"
    d = m.group("d")
    if d in GENERIC_PLACES or re.search(r"[全我本各该此市]", d):
        return "city"
    known = place_at_end(d)  # 关于辰溪县民政局 → 辰溪县
    if not known and len(d) <= 2:  # 经县民政局审核 (upon the county bureau's review): a word, not a county
        return "city"
    d = known or d  # a district the gazetteer does not know (renamed since) stays a part, never the city's total
    if city and city.startswith(d[:2]):
        return "city"
    return d


# a part of the year (上半年, 一季度 …) as the months it spans, first..last
PART_OF_YEAR = {"上半年": (1, 6), "下半年": (7, 12), "前三季度": (1, 9), "第一季度": (1, 3), "一季度": (1, 3),
                "第二季度": (4, 6), "二季度": (4, 6), "第三季度": (7, 9), "三季度": (7, 9), "第四季度": (10, 12),
                "四季度": (10, 12)}


def month_span(year: str, first: int, last: int) -> str:
    """The period of months first..last of a year: 2024 (1-12), 2024H1 (1-6), 2024Q3 (7-9), one month
    2024-03, else 2024-01/2024-09."""
    named = {(1, 12): "", (1, 6): "H1", (7, 12): "H2", (1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4"}
    if (first, last) in named:
        return f"{year}{named[(first, last)]}"
    if first == last:
        return f"{year}-{first:02d}"
    return f"{year}-{first:02d}/{year}-{last:02d}"


def five_year_end(title: str, text: str) -> str:
    """The last year of the five-year plan a report's title names (“十四五”规划中期评估 → 2025), else ''."""
    title = (title or "").strip() or text.lstrip().split("\n", 1)[0]
    m = re.search(r"十([一二三四五])五", title)
    return FIVE_YEAR_END[f"十{m.group(1)}"] if m else ""


def plan_period(plan_headings: list[str], period: str) -> str:
    """The period a report's plan part is about: the year its heading names (2025年工作计划),
    else the year after the report's, else the year of a half-year report (its second half)."""
    for title in plan_headings:
        m = re.search(r"(20\d{2})\s*年", title)
        if m:
            return m.group(1)
    if re.fullmatch(r"\d{4}", period):
        return str(int(period) + 1)
    return period[:4]


def report_as_of(text: str) -> str:
    """The report's data date: the most frequent 截至YYYY年M月 in it (ties: the latest), else ''."""
    found = Counter(f"{y}-{int(m):02d}" for y, m in re.findall(r"截[至止]\s*(20\d{2})\s*年\s*" + MONTH + r"\s*月", text))
    if not found:
        return ""
    return max(found, key=lambda d: (found[d], d))


def report_context(meta: dict, plan_headings: list[str], text: str, part_headings: bool = True) -> ReportContext:
    """The context of one report from its metadata (manifest or detected) and its plan headings."""
    city = str(meta.get("city") or "")
    province = str(meta.get("province") or "")
    level = area_level(city, province)
    if not city and province and meta.get("area_level") == "province":
        city, level = province, "province"
    year = meta.get("year")
    period = str(meta.get("period") or (year or ""))
    title = str(meta.get("title") or "")
    return ReportContext(
        report_id=str(meta["report_id"]), city=city, province=province, area_level=level,
        scope=report_scope(city, title, text, level), year=int(year) if year else None, period=period,
        as_of=report_as_of(text), plan_period=plan_period(plan_headings, period), five_year_end=five_year_end(title, text),
        report_type=str(meta.get("report_type") or "other"), part_headings=part_headings)
