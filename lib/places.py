"""The gazetteer: China's administrative divisions, to normalise and recognise place names.

The divisions come from the adcode table that the ``cpca`` package ships (民政部 codes: province,
prefecture, county or district; 3,500 names). A place's level and parents follow from its code:
``PP0000`` is a province, ``PPCC00`` a prefecture, anything else a county or district. The four
municipalities (北京, 天津, 上海, 重庆) are provinces by code and cities for this suite.

Names are matched in full (岳阳市) or short (岳阳), the short form dropping the administrative
suffix and, for autonomous areas, the ethnic name (芷江侗族自治县 → 芷江, 新疆维吾尔自治区 → 新疆).
Where a short name is shared, the higher level wins (岳阳 → 岳阳市, not 岳阳县).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LEVELS = ("province", "prefecture", "county")
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
_NOT_PLACES = {"市辖区", "城区", "郊区", "矿区", "省直辖县级行政区划", "自治区直辖县级行政区划", "县"}
_SUFFIX = re.compile(r"(特别行政区|自治区|自治州|自治县|自治旗|地区|省|市|州|盟|县|区|旗)$")


@dataclass(frozen=True)
class Place:
    name: str  # full name as the gazetteer writes it: 岳阳市, 芷江侗族自治县
    level: str  # province, prefecture or county
    adcode: str  # six digits
    province: str  # the province it lies in (itself for a province)
    prefecture: str  # the prefecture it lies in ('' for a province; itself for a prefecture)

    @property
    def is_city(self) -> bool:
        """A prefecture-level city or a municipality: what the suite compares as a 城市."""
        return self.level == "prefecture" or self.name in MUNICIPALITIES


@lru_cache(maxsize=1)
def _nations() -> tuple[str, ...]:
    with resources.files("cpca.resources").joinpath("56_nations.csv").open(encoding="utf-8") as fh:
        names = [row[0].strip() for row in csv.reader(fh) if row and row[0].strip()]
    # longest first, so 维吾尔族 is removed before 维吾尔
    return tuple(sorted({n for n in names} | {n.removesuffix("族") for n in names if len(n) > 2}, key=len, reverse=True))


def short_name(name: str) -> str:
    """岳阳市 → 岳阳; 巴音郭楞蒙古自治州 → 巴音郭楞; 新疆维吾尔自治区 → 新疆; 鄞州区 → 鄞州."""
    base = _SUFFIX.sub("", name)
    if "自治" in name:
        for nation in _nations():
            if base.endswith(nation) and len(base) > len(nation):
                base = base[: -len(nation)]
                break
    return base if len(base) >= 2 else name


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, list[Place]]:
    """Every place by full name (a name shared by several counties lists them all)."""
    with resources.files("cpca.resources").joinpath("adcodes.csv").open(encoding="utf-8") as fh:
        rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(fh)]
    by_code = {code: name for code, name in rows}
    out: dict[str, list[Place]] = {}
    for code, name in rows:
        if name in _NOT_PLACES or not _SUFFIX.search(name):
            continue
        level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
        province = by_code.get(code[:2] + "0000", "")
        prefecture = "" if level == "province" else by_code.get(code[:4] + "00", "")
        if prefecture in _NOT_PLACES:  # counties of a municipality or under the province directly
            prefecture = province if province in MUNICIPALITIES else ""
        out.setdefault(name, []).append(Place(name, level, code, province, prefecture))
    return out


@lru_cache(maxsize=1)
def _by_short() -> dict[str, list[Place]]:
    out: dict[str, list[Place]] = {}
    for places in gazetteer().values():
        for p in places:
            out.setdefault(short_name(p.name), []).append(p)
    return out


def lookup(name: str, province: str = "") -> Place | None:
    """The place a name means, full or short, within ``province`` when given; the highest level
    wins; None when unknown or when several places of that level share the name (铁西区)."""
    name = (name or "").strip()
    if not name:
        return None
    found = gazetteer().get(name) or _by_short().get(name) or _by_short().get(short_name(name)) or []
    if province:
        home = lookup(province) if province not in gazetteer() else gazetteer()[province][0]
        found = [p for p in found if home is None or p.province == home.province]
    if not found:
        return None
    top = min(LEVELS.index(p.level) for p in found)
    best = [p for p in found if LEVELS.index(p.level) == top]
    return best[0] if len(best) == 1 else None


def names(level: str | None = None) -> list[str]:
    """Full names in the gazetteer (of one level), for matchers."""
    return sorted(n for n, ps in gazetteer().items() if level is None or any(p.level == level for p in ps))


def province_named(lines: str) -> str:
    """The one province whose name ``lines`` (a report's title lines) write in full or short (2022四川城乡
    居民最低生活保障…), else '' (none, or two: 浙江西部 names 浙江 and 江西, so neither)."""
    found = set()
    for name in names("province"):
        if name in lines or short_name(name) in lines:
            found.add(name)
    return found.pop() if len(found) == 1 else ""


# a short name opening a title, before 民政/民生 (2021年成都民生成绩单, 巴音郭楞民政…)
_SHORT_BEFORE_CIVIL = re.compile(r"(?:^|\n|20\d\d年|[,，:：\s])([\u4e00-\u9fff]{2,4}?)(?=民政|民生)")


def city_short_named(lines: str) -> str:
    """The one prefecture-level city (or municipality) that ``lines`` (a report's title lines) name by
    its short name just before 民政 or 民生 (2021年成都民生成绩单 → 成都市), else ''. Counties are left
    out: their short names are everyday words too often (安宁, 合作, 江山)."""
    found = set()
    for m in _SHORT_BEFORE_CIVIL.finditer(lines):
        place = lookup(m.group(1))
        if place is not None and place.is_city:
            found.add(place.name)
    return found.pop() if len(found) == 1 else ""


@lru_cache(maxsize=1)
def _automaton():
    import ahocorasick  # a C automaton (pyahocorasick, which cpca needs too): one pass over the text

    auto = ahocorasick.Automaton()
    for name, found in gazetteer().items():
        if len(name) >= 3 and any(p.level != "province" for p in found):
            auto.add_word(name, name)
    auto.make_automaton()
    return auto


def place_at_end(caught: str) -> str:
    """The longest ending of ``caught`` that the gazetteer knows as a full name (据烟台市 → 烟台市,
    关于辰溪县 → 辰溪县, 泾县 as is); '' when none is (经县民政局 caught 经县: no county of that name).
    A one-character name (泾县, 新县) counts only when it is all that was caught: 创新县 is not 新县."""
    for start in range(len(caught) - 1):
        name = caught[start:]
        if (len(name) >= 3 or start == 0) and name in gazetteer():
            return name
    return ""


def places_named(text: str) -> list[tuple[int, str]]:
    """(position, full name) of every prefecture, county or district the text names in full,
    longest at each position (鄞州区, 芷江侗族自治县)."""
    found: dict[int, str] = {}
    for end, name in _automaton().iter(text):
        start = end - len(name) + 1
        if len(name) > len(found.get(start, "")):
            found[start] = name
    return sorted(found.items())
