"""Sentence indicators: which catalogue indicator a figure in a sentence is, and the wording rules around it.

An indicator observation is a quantity whose unit fits the indicator and that a catalogue alias
names: the nearest alias before it in the same clause, or one right after it (1500张家庭养老床位).
Then status (actual / planned / baseline), period, scope and scope detail are read from the
wording around it, and the value converted to the catalogue unit. The report-level facts these
rules need (the report's scope, plan period, five-year-plan end and data date) are read here too.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from lib.catalogue import UNIT_FAMILIES, Indicator, catalogue, kinds, observation, to_catalogue_unit
from lib.context import FIVE_YEAR_END, GENERIC_PLACES, ReportContext
from lib.numbers import Quantity
from lib.structure import clause_start, is_forward_looking
from lib.wording import Alias, alias_matcher, area_type, find_aliases, pattern, split_label, terms

VALUE_KINDS = {"quantity", "percent", "permille", "range"}


# 由X调整为Y: X is a baseline when these surround it; the wording of as-of dates, spans and peers.
_BASELINE_AFTER = re.compile(r"^\s*(?:元(?:/人(?:/|·)?[月年])?)?\s*(?:的基础上)?\s*(?:统一|分别|均)?\s*(?:调整|提高|提升|增加|上调|增长|调增|增至|提至)?\s*(?:为|到|至)")
_BASELINE_BEFORE = re.compile(r"(?:由|从)[^,。;]{0,20}$")
_AS_OF = re.compile(r"(?:截至|截止|截止到|截至到|到)\s*(20\d{2})\s*年\s*(?:(\d{1,2})\s*月|(底|末))?")
_SINCE = re.compile(r"(20\d{2})\s*年(?:以来|至今)|“?十三五”?(?:以来|期间)|“?十四五”?(?:以来|期间)")
_YEAR = re.compile(r"(20\d{2})\s*年(?!度?以来)(?:\s*(\d{1,2})\s*月)?")
def _peer(words: str, ctx: ReportContext) -> bool:
    """全国/全省/平均水平 name a peer of a city; in a province-wide report 全省 is the report itself."""
    from lib.wording import vocabulary

    found = [m.group(0) for m in pattern("peer").finditer(words)]
    return any(ctx.scope != "province" or vocabulary("peer")[w] == "all" for w in found)
_DISTRICT = re.compile(r"(?:^|(?<=[,;:。]))(?:其中)?(?P<d>[\u4e00-\u9fff]{2,3}(?:区|县|市)(?:、[\u4e00-\u9fff]{2,3}(?:区|县|市))*)(?=[^,;。]{0,12}$)")


@dataclass
class _Link:
    """Why a quantity is taken as an indicator: the alias, how it was linked, and a tier label."""

    alias: Alias
    how: str
    owner: str | None = None  # set when a compound alias (两项补贴标准) is split over paired figures
    label: str = ""  # a tier label (一、二级…) read after a colon
    clause_start: int = 0
    detail: str = ""  # the part a listed figure is (城乡…X、Y: 城市, 农村)
    status: str | None = None  # baseline for the first list of 从X、Y提高到Z、W


def _fits(alias: Alias, q: Quantity) -> bool:
    cat = catalogue()
    return any(q.unit in UNIT_FAMILIES[cat[o].unit] for o in alias.owners)


CLASSIFIERS = {"个", "名", "张", "家", "所", "处", "位", "座", "人"}
# 10706人增加316人: a verb after the measure word, not a noun saying what is counted
_JOIN = re.compile(r"^\s*(?:和|及|与|以及|、)\s*$")
# Words that let a clause continue the subject of the previous one (…1172人,其中集中供养331人).
_SPLIT_LABEL = re.compile(r"(?:其中)?(?:城市|农村|城镇|城乡|集中供养|分散供养|集中养育|社会散居|散居|集中|分散)(?:供养|养育|地区|居民|对象|人员)?")
_PAID_OUT = re.compile(r"发放|支出|投入|拨付|下拨|补助资金|资金")


_OPENING_CUE = re.compile(r"^[^,;。]{0,8}?(?:年末|年底|截至|截止)|^(?:20\d{2}年末,?)?全[市区县](?:共有|现有|共计|拥有)")


def _continue() -> re.Pattern:
    return pattern("continue", r"^\s*(?:@)")


def _yardstick_before() -> re.Pattern:
    return pattern("yardstick", r"(?:@)\s*(?:当地|全市|全县|城乡|上年度?)?\s*$")


@lru_cache(maxsize=1)
def _stock_cue() -> re.Pattern:
    return re.compile(terms("stock_cue"))


def _stock_stated(text: str, link: _Link, q: Quantity, lead: str = "", bulletin: bool = False) -> bool:
    """A count is a stock when its clause says so (全市共有, 截至, 总数达 …), or when the clause is
    just 'name figure' in a sentence that opened with such a cue (年末全市共有A x,B y), or in a
    paragraph that opened with one (年末全市共有养老机构98家。养老机构床位1.92万张 / 其中:城市…)."""
    a0, a1 = link.alias.start, link.alias.end
    if bulletin or (re.search(r"(?:人数|户数|总数|床位数|机构数)$", link.alias.text)
                    and re.fullmatch(r"\s*(?:为|达|达到|是|共|共计)?\s*", text[a1: q.start])):
        return True  # a statistical bulletin states stocks; so does 最低生活保障人数8795人 (name + 人数 + figure)
    for m in _stock_cue().finditer(text, link.clause_start, q.start):
        # a cue inside the name counts only as its opening verb (获得政府最低生活保障…), never as its
        # last word (社会组织登记120家: the year's registrations)
        if not (a0 <= m.start() and m.end() <= a1) or m.start() == a0:
            return True
    # the item of a 、 list (…低保对象16.2万人、特困人员3.5万人) is as much a stock as the list's first
    item = max(link.clause_start, text.rfind("、", link.clause_start, link.alias.start) + 1)
    bare = link.how == "before" and re.fullmatch(r"\s*(其中)?\s*:?\s*[\u4e00-\u9fff]{0,4}", text[item: link.alias.start])
    if not bare:
        return False
    return _stock_cue().search(text[: item]) is not None or _OPENING_CUE.search(lead) is not None


@lru_cache(maxsize=1)
def _movement() -> re.Pattern:
    return re.compile(rf"(?:{terms('movement')})(?!到|至|为)")


@lru_cache(maxsize=1)
def _beneficiary() -> re.Pattern:
    # 按每人500元标准对全市7837名…发放, 为88户99名…: the people an action reached
    return re.compile(rf"(?:^|[,;:]|标准|按[^,;。]{{0,12}})\s*(?:{terms('beneficiary')})\s*"
                      r"(?:全市|全县|全区|全省|全镇|符合条件的|困难)?\s*(?:共|近|约|超过|逾)?\s*$")




# 累计 with no period of its own (not 1-9月累计, 全年累计, 2024年累计): a total since some unstated start
_SINCE_UNSTATED = re.compile(r"^(?:(?!\d{1,2}\s*[-至~]\s*\d{1,2}\s*月|年|月|季度).)*累计(?:(?!年|月).)*$")
_INCREMENT = re.compile(r"(?:(?:提高|增加|上调|提升|增长|调增)(?!到|至|为)\s*(?:了)?\s*(?:每人每[月年])?\s*$)|增发|补发|追加")


def _part_of_excluded_whole(ind: Indicator, text: str, q: Quantity) -> bool:
    """Under 其中, a figure is a part of the whole named before it; if that whole is excluded for the
    indicator (低保边缘…其中…城镇低保63户), so is the part."""
    at = text.rfind("其中", 0, q.start)
    if at < 0 or ind.exclude is None:
        return False
    whole = text[clause_start(text, max(at - 1, 0)): at]
    return ind.exclude.search(whole) is not None


def _not_the_stock(text: str, link: _Link, alias: Alias, q: Quantity) -> bool:
    """A count that is not the stock: a movement of it (新纳入低保1.9万人、特困供养人员1.4万人: the
    verb governs the list), the people an action reached (对7837名…发放), or a rate per population
    (每千名老年人拥有养老床位34.5张)."""
    lo = clause_start(text, q.start)  # a 、 list is one clause; 新增…10家,总数达到278家 starts afresh
    before = text[lo: q.start]
    before = before.replace(alias.text, " " * len(alias.text), 1) if alias.start >= lo else before
    if _movement().search(before) or pattern("rate").search(before):
        return True
    within = re.search(r"([\u4e00-\u9fff]{2,})(?<!其)中(?:享受|有|纳入|属于|获得|的)", text[lo: alias.start])
    if within and not find_aliases(within.group(1)):
        return True  # 建档立卡脱贫户中享受农村低保119户: those of another group who are on the programme
    if _beneficiary().search(text[clause_start(text, q.start): q.start]) is not None:
        return True
    # 向低保家庭重度残疾人2430人、…困境儿童79人…发放一次性补贴: a list of recipients of an action
    end = min([i for i in (text.find(ch, q.end) for ch in ",;。") if i >= 0] + [len(text)])
    return bool(re.search(r"(?:^|级|市|县|区|镇|,)\s*(?:向|对|给)", before) and re.search(r"发放|提供|慰问|资助|补助", text[q.end: end]))


_PLACE_LABEL = re.compile(r"\s*(?:其中)?\s*:?\s*(?P<d>[\u4e00-\u9fff]{2,3}(?:区|县|市))\s*:?\s*")


def _place_label(head: str, city: str = "") -> str:
    """The district a clause head is nothing but (其中邗江区 / 、江都区 before a figure), else ''."""
    m = _PLACE_LABEL.fullmatch(head.strip(" 、,"))
    if m is None:
        return ""
    d = m.group("d")
    if d in GENERIC_PLACES or d.endswith(("社区", "城区")) or re.search(r"[全我本各该此其]", d) or d == city:
        return ""
    return d


@lru_cache(maxsize=1)
def _change_head() -> re.Pattern:
    """A clause that only changes the previous subject's value: 12月将提高至…, 县(市)提高到…"""
    month = r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(?:份|起|底)?"
    label = "|".join([terms("area_type"), terms("split")])
    return re.compile(rf"^\s*(?:{month}|下半年|明年|年底)?\s*(?:{label})?\s*(?:标准)?\s*(?:也|又|再|将|拟|已|均)?\s*"
                      r"(?:提高|调整|提升|上调|增加|增长|调增|下调|降低)\s*(?:了)?\s*(?:到|至|为)\s*(?:每人每月)?\s*$")


# 两县政府所在镇由330元提高到365元 after …城市低保标准由…: a part of the area the subject is set for
_LABELLED_CHANGE = re.compile(r"^\s*(?P<label>[\u4e00-\u9fff()]{1,12}?)\s*(?:由|从)\s*(?:每人每[月年])?\s*$")


_CLAUSE_LABEL = re.compile(r"^\s*(?P<label>[\u4e00-\u9fff()]{1,12}?)\s*(?:由|从)")


def _continues(clause_head: str) -> bool:
    """Does this clause go on about the previous clause's subject? 其中 does only into a split
    (其中集中供养331人) or a district's part (其中邗江区3200人), not into another kind of thing
    (其中社会团体3210个). A clause that only changes the value (12月将提高至…, 县(市)提高到…) does."""
    if _change_head().match(clause_head) or _LABELLED_CHANGE.match(clause_head):
        return True
    m = _continue().match(clause_head)
    if m is None:
        return False
    if m.group(0).strip() != "其中":
        return True
    rest = clause_head[m.end():].lstrip(" :")
    place = re.match(r"[\u4e00-\u9fff]{2,3}(?:区|县|市)(?=\s*(?:$|[\d零一二三四五六七八九两十百千约近超逾]))", rest.strip())
    return rest.strip() == "" or _SPLIT_LABEL.match(rest) is not None or (place is not None and _place_label(place.group(0)) != "")


_PAIRED_FIGURE = re.compile(r"\s*\d[\d.,]*\s*(?:万|亿)?\s*(?:户|人|名|个|家|张)\s*、\s*$")


def _split_after_split(text: str, start: int, end: int) -> bool:
    """…其中:集中供养1080人,分散供养2040人: a clause that is only a split label goes on with the
    split the previous clause opened."""
    head = _PAIRED_FIGURE.sub("", text[start:end].strip())  # 农村3920户、 before 6540人: the label still leads
    if _SPLIT_LABEL.fullmatch(head) is None or text[start - 1: start] != ",":
        return False
    prev = text[clause_start(text, start - 1): start - 1]
    m = re.match(r"\s*其中\s*:?\s*", prev)
    if m is not None and _SPLIT_LABEL.match(prev[m.end():]) is not None:
        return True
    # …五保标准集中供养每人每月700元,分散供养每人每月580元: the split right before the previous figure
    return re.search(r"(?:集中|分散|散居|城市|城镇|农村)(?:供养|养育)?\s*(?:每人每[月年])?\s*[\d.]+", prev) is not None


def _paired(values: list[Quantity], aliases: list[Alias], text: str) -> dict[int, _Link]:
    """A和B … X和Y (or a compound alias such as 两项补贴标准 … X和Y): the k-th figure takes the k-th name."""
    links: dict[int, _Link] = {}
    groups, cur = [], [0] if values else []
    for i in range(1, len(values)):
        if values[i].unit == values[i - 1].unit and _JOIN.match(text[values[i - 1].end: values[i].start]):
            cur.append(i)
        else:
            groups.append(cur)
            cur = [i]
    if cur:
        groups.append(cur)
    for g in groups:
        if len(g) < 2:
            continue
        first = values[g[0]]
        before = [a for a in aliases if a.end <= first.start and "。" not in text[a.end: first.start] and ";" not in text[a.end: first.start]]
        if not before:
            continue
        last = before[-1]
        if len(last.owners) == len(g) and len(set(last.owners)) == len(g):  # compound: one alias, several owners
            for k, qi in enumerate(g):
                links[qi] = _Link(last, "paired", owner=last.owners[k], clause_start=clause_start(text, last.start))
            continue
        run = [last]
        for a in reversed(before[:-1]):
            if _JOIN.match(text[a.end: run[0].start]) and a.owners != run[0].owners:
                run.insert(0, a)
            else:
                break
        if len(run) == len(g):
            for a, qi in zip(run, g):
                links[qi] = _Link(a, "paired", clause_start=clause_start(text, run[0].start))
    return links


def _runs(values: list[Quantity], text: str) -> list[list[int]]:
    """Figures listed together (X、Y / X和Y / 626元/月、6120元/年): indices of each list of two or more."""
    runs, cur = [], [0] if values else []
    for i in range(1, len(values)):
        a, b = values[i - 1], values[i]
        same = a.unit == b.unit or (a.unit.startswith("元") and b.unit.startswith("元") and "万" not in a.unit_raw + b.unit_raw)
        if same and _JOIN.match(text[a.end: b.start]):
            cur.append(i)
        else:
            runs.append(cur)
            cur = [i]
    if cur:
        runs.append(cur)
    return [r for r in runs if len(r) >= 2]


_CHANGE_BETWEEN = re.compile(r"^\s*(?:元(?:/人)?(?:/[月年])?)?\s*(?:分别|统一|均)?\s*(?:提高|调整|提升|上调|增加|增长|调增)\s*(?:了)?\s*(?:到|至|为)"
                             r"\s*(?:现在的|目前的|当前的)?\s*(?:每人每月|每人每年)?\s*$")


@lru_cache(maxsize=1)
def _pair_heads() -> re.Pattern:
    return re.compile(terms("pair_head"))


def _list_links(values: list[Quantity], aliases: list[Alias], text: str) -> dict[int, list[_Link]]:
    """城乡低保标准分别达到X、Y (城市, 农村 in that order, as the words before the list say), and
    从X、Y提高到Z、W: the first list is the old values, the second the new, paired by order."""
    from lib.wording import vocabulary

    links: dict[int, list[_Link]] = {}
    runs = _runs(values, text)
    heads = vocabulary("pair_head")
    for n, run in enumerate(runs):
        if run[0] in links:
            continue
        first = _link(run[0], values, aliases, text) or _programme_standard(values[run[0]], text)
        if first is None or first.how == "colon":
            continue
        lo = max(0, min(first.alias.start, first.clause_start) - 8)
        found = [m for m in _pair_heads().finditer(text, lo, values[run[0]].start)]
        labels = next((heads[m.group(0)].split("|") for m in reversed(found) if len(heads[m.group(0)].split("|")) == len(run)), None)
        if labels is None:
            continue
        nxt = runs[n + 1] if n + 1 < len(runs) else None
        changed = nxt is not None and len(nxt) == len(run) and _CHANGE_BETWEEN.match(text[values[run[-1]].end: values[nxt[0]].start])
        for k, qi in enumerate(run):
            links[qi] = [_Link(first.alias, "listed", clause_start=first.clause_start, detail=labels[k],
                               status="baseline" if changed else None)]
        if changed:
            for k, qi in enumerate(nxt):
                links[qi] = [_Link(first.alias, "listed", clause_start=first.clause_start, detail=labels[k])]
    return links


_JOINED_NAMES = re.compile(r"\s*(?:和|及|与|以及|、)\s*(?:城乡|城市|农村)?\s*")  # …标准、城乡重度…标准
_SHARED = re.compile(r"^[^,;。\d]{0,6}?(?:均|都|统一|同步)")  # 标准提标后均达到


def _shared_links(values: list[Quantity], aliases: list[Alias], text: str) -> dict[int, list[_Link]]:
    """A和B标准均从X提高到Y: every figure of the clause is each named indicator's."""
    links: dict[int, list[_Link]] = {}
    for i, a in enumerate(aliases):
        run = [a]
        for b in aliases[i + 1:]:
            if _JOINED_NAMES.fullmatch(text[run[-1].end: b.start]) and set(b.owners) != set(run[-1].owners):
                run.append(b)
            else:
                break
        if len(run) < 2 or not _SHARED.match(text[run[-1].end:]):
            continue
        end = min([text.find(ch, run[-1].end) % (len(text) + 1) for ch in ",;。"] + [len(text)])
        for qi, q in enumerate(values):
            if run[-1].end <= q.start and q.end <= end:
                links[qi] = [_Link(x, "shared", clause_start=clause_start(text, run[0].start)) for x in run]
    return links


@lru_cache(maxsize=1)
def _generic_money() -> re.Pattern:
    """发放资金, 累计支出资金, 当月共发放资金, 发放救助金额: money with no programme named in it."""
    return re.compile(rf"(?:{terms('payout_verb')})\s*(?:了)?\s*(?:(?:{terms('generic_money')})\s*(?:共计|合计|共|达到|达|为)?)?\s*$")


@lru_cache(maxsize=1)
def _generic_money_word() -> re.Pattern:
    return re.compile(terms("generic_money"))


@lru_cache(maxsize=1)
def _other_money() -> re.Pattern:
    return re.compile(terms("other_money"))


@lru_cache(maxsize=1)
def _programmes() -> re.Pattern:
    return re.compile(terms("programme"))


# 城乡低保两次提高标准,月人均保障标准分别提高到719元、537元: a standard named by no alias
_GENERIC_STANDARD = re.compile(r"(?:保障|救助|供养|生活)?标准\s*(?:(?:由|从)\s*(?:每人每[月年])?\s*(?:[\d.,]+\s*元(?:/[人月年]+)*\s*)?)?"
                               r"(?:分别|均|统一|也|又)?\s*(?:提高|调整|提升|上调|达到|达|增至|提至|为)?"
                               r"\s*(?:了)?\s*(?:到|至|为)?\s*(?:每人每月|每人每年)?\s*$")
# 城市特困人员由每人每月900元提高到930元: a programme's people given a per-person amount is its standard
_PER_PERSON_CHANGE = re.compile(r"(?:由|从)\s*(?:每人每[月年])?\s*$")
_ALLOWANCE_UNITS = {"元/人/月", "元/人/年", "元/月", "元/年"}  # an amount per person or per month: an allowance


@lru_cache(maxsize=1)
def _programme_standards() -> re.Pattern:
    return re.compile(terms("programme_standard"))


def _programme_standard(q: Quantity, text: str) -> _Link | None:
    """A standard named only as 保障标准 is the standard of the programme the sentence's previous
    clause names (城乡低保…,月人均保障标准…X元); a programme with no catalogue standard stops it."""
    from lib.wording import vocabulary

    own = clause_start(text, q.start)
    prefix = re.match(r"\D*", q.text).group(0)  # 每人每月标准260元: the word may sit inside the figure's prefix
    generic = _GENERIC_STANDARD.search(text[own: q.start] + prefix)
    if generic is None and q.unit in _ALLOWANCE_UNITS and _PER_PERSON_CHANGE.search(text[own: q.start]):
        generic = _PER_PERSON_CHANGE.search(text[own: q.start])
    if not q.unit.startswith("元") or generic is None:
        return None
    # the programme before the generic word: in its own clause (分散供养五保对象月保障标准从…), else the one before
    found = list(_programme_standards().finditer(text, clause_start(text, own - 1) if own else 0,
                                                 min(own + generic.start(), q.start)))
    if not found or not vocabulary("programme_standard")[found[-1].group(0)]:
        return None
    m = found[-1]
    return _Link(Alias(m.start(), m.end(), m.group(0), [vocabulary("programme_standard")[m.group(0)]]), "programme",
                 clause_start=clause_start(text, m.start()),
                 detail=split_label(text[max(0, m.start() - 4): m.end() + 2]) or area_type(text[m.start(): q.start]))


def _programme_money(q: Quantity, text: str, lead: str, heading: str) -> _Link | None:
    """Generic money (…,发放救助金977.1万元) is the money of the programme the text was just talking
    about: the last programme named before it in the sentence, else in the sentence before it,
    else in the section heading. A programme with no catalogue money (特困, 医疗救助) stops it."""
    from lib.wording import vocabulary

    generic = _generic_money().search(text[clause_start(text, q.start): q.start]) if q.unit == "元" else None
    if generic is None:
        return None
    before = text[: clause_start(text, q.start)]
    previous = lead[max(lead.rstrip().rfind("。", 0, len(lead.rstrip()) - 1), 0):]
    places = ((before, 0), (previous, None), (heading, None))
    if not _generic_money_word().search(generic.group(0)):
        # a verb alone (…,累计支出5895.5万元): only after a programme of this sentence, with no purpose after it
        places = places[:1]
        if re.match(r"\s*(?:为|用于|对|给|向)", text[q.end:]):
            return None
    for where, offset in places:
        found = list(_programmes().finditer(where))
        if not found:
            continue
        m = found[-1]
        owner = vocabulary("programme")[m.group(0)]
        if not owner:
            return None
        start = m.start() if offset is not None else q.start
        detail = split_label(where[max(0, m.start() - 4): m.end()]) if offset is not None else ""  # 城市低保:…发放救助金额
        return _Link(Alias(start, start + len(m.group(0)) if offset is not None else q.start, m.group(0), [owner]),
                     "programme", clause_start=clause_start(text, q.start), detail=detail)
    return None


_MONEY_BEFORE = re.compile(r"(?:金|资金|款|经费|费用|支出|发放)\s*(?:共|达|为|约)?\s*$")


def _carry_units(values: list[Quantity], text: str) -> list[Quantity]:
    """每人每月1050元和850元, 由每人每年9000元提高到10200元: the second figure is in the first's unit;
    支出低保金3347万: a bare 万/亿 right after a money word is 元."""
    out = [dataclasses.replace(q, unit="元") if not q.unit and q.unit_raw in ("万", "亿") and _MONEY_BEFORE.search(text[: q.start])
           else q for q in values]
    for i in range(1, len(out)):
        prev, q = out[i - 1], out[i]
        gap = text[prev.end: q.start]
        if q.unit == "元" and prev.unit.startswith("元/") and (_JOIN.match(gap) or _BASELINE_AFTER.match(gap)):
            out[i] = dataclasses.replace(q, unit=prev.unit)
    return out


# "养老机构156家,床位2.8万张": the beds of the institutions just counted.
_BEDS_AFTER_INSTITUTIONS = re.compile(r"养老机构(?:数)?(?:达到|达|共|共有)?\s*(?:近|约|超过|超|逾)?[\d.]+(?:余|多)?万?(?:余|多)?\s*[家个所]\s*[,、]\s*(?:床位|床位数)(?:达到|达|共|共有)?\s*$")


def _beds_of_institutions(q: Quantity, text: str) -> _Link | None:
    m = _BEDS_AFTER_INSTITUTIONS.search(text[: q.start])
    if m is None or q.unit != "张":
        return None
    start = text.rfind("床位", m.start(), q.start)
    return _Link(Alias(start, start + 2, "床位", ["care_beds"]), "after institutions", clause_start=clause_start(text, m.start()))


def _link(qi: int, values: list[Quantity], aliases: list[Alias], text: str) -> _Link | None:
    """The alias naming values[qi], or None when the quantity counts something else.

    - N+classifier followed by a noun (35家养老机构, 134名流浪乞讨人员成功寻亲): the noun says what is
      counted; without an alias in it, the figure is about something else.
    - otherwise the nearest alias before it in its clause; a clause that starts with 其中/总数/占…
      continues the previous one; after "标准调整为:" each labelled figure is a tier of that standard.
    - a figure between the alias and this one takes the alias for itself, unless this one only adds
      a unit (3469户6444人), is the new value of a change (由X调整为Y), or restarts with 总数/其中/占.
    """
    q = values[qi]
    nxt = text[q.end: q.end + 1]
    if qi + 1 < len(values) and values[qi + 1].start == q.end and values[qi + 1].unit != q.unit:
        after = _link(qi + 1, values, aliases, text)  # 14035户25559人享受城乡低保: the pair shares its name
        if after is not None and after.how == "after":
            return after
    if q.unit in CLASSIFIERS and re.match(r"[\u4e00-\u9fff]", nxt) and not pattern("verb_after").match(text, q.end) \
            and nxt not in "和与及或":  # 64850人和农村低保的…: a conjunction, not the noun counted
        cut = re.search(r"[,;。、:()“”\"《]", text[q.end:])
        noun_end = q.end + (cut.start() if cut else len(text) - q.end)
        inside = [a for a in aliases if q.end <= a.start and a.end <= noun_end and a.start - q.end <= 12]
        if not inside or pattern("subset_action").search(text[inside[0].end: noun_end]):
            return None  # counts something else, or those of them that did something (a subset)
        return _Link(inside[0], "after", clause_start=clause_start(text, q.start))
    start = clause_start(text, q.start)
    label = ""
    colon = text.rfind(":", start, q.start)
    if any(max(start, colon) <= a.start and a.end <= q.start and _fits(a, q) for a in aliases):
        # the figure's own words name it: no colon subject from before (…标准低限:城市低保标准为X)
        return _named_in_clause(qi, values, aliases, text, start)
    colon_alias = None
    if colon < 0:
        # a clause after "…标准调整为:" keeps the colon's subject until the sentence ends
        colon = text.rfind(":", 0, q.start)
        if colon >= 0 and ";" not in text[colon:q.start] and "。" not in text[colon:q.start]:
            colon_alias = [a for a in aliases if a.end <= colon and colon - a.end <= 6]
    else:
        colon_alias = [a for a in aliases if a.end <= colon and colon - a.end <= 6]
    colon_alias = [a for a in colon_alias or [] if _fits(a, q)]  # 城市低保:…发放救助金额X万元 is not a count
    if colon_alias:
        label = text[max(colon + 1, start): q.start]
        label = re.sub(r"每人|每月|每年|为|达到|达|:|由|从|即|发放|按照|按|提高到|提高至|调整为|调整到", "", label).strip(" ,、")
        label = re.sub(r"[\d.,]+\s*(?:万|亿)?元(?:/[人月年]+)*|提高|调整", "", label).strip(" ,、")
        head = colon_alias[-1]
        _, owners = alias_matcher()
        if label and label + head.text in owners:  # 集中养育 + 孤儿基本生活保障标准: that indicator, no split
            head = Alias(head.start, head.end, label + head.text, owners[label + head.text])
            return _Link(head, "colon", label="", clause_start=clause_start(text, q.start))
        split = split_label(label)
        if split and not re.search(r"级|档|类", label):  # 城市特困人员 under …标准: the urban part, not a tier
            return _Link(head, "colon", detail=split, clause_start=clause_start(text, head.start))
        return _Link(head, "colon", label=label, clause_start=clause_start(text, head.start))
    return _named_in_clause(qi, values, aliases, text, start)


# A clause that is only a predicate (…,为每人每月1430元) states the value of the previous clause's subject.
_PREDICATE_ONLY = re.compile(r"^\s*(?:即|为|是|均为|标准为)\s*(?:每人每月|每人每年|每月|每年)?\s*$")
# A yardstick inside that subject's clause (按…的1.3倍, 参照…, 不低于…): its alias is not the subject.
_PROPORTION_AFTER = re.compile(r"\s*(?:的)?\s*(?:[\d.]+\s*(?:倍|%)|[一二三四五六七八九十]+成|一定比例|比例)")


def _is_yardstick(alias: Alias, text: str) -> bool:
    """按照城乡低保标准的1.3倍: a standard named only as the measure of another, never a subject."""
    return (_yardstick_before().search(text, max(0, alias.start - 6), alias.start) is not None
            and _PROPORTION_AFTER.match(text, alias.end) is not None)


def _named_in_clause(qi: int, values: list[Quantity], aliases: list[Alias], text: str, start: int) -> _Link | None:
    """The nearest fitting alias before values[qi] in its clause, or in the clauses it continues."""
    q = values[qi]
    alias = None
    subject_only = False
    while alias is None:
        inside = [a for a in aliases if start <= a.start and a.end <= q.start]
        if subject_only:  # …标准按不低于低保标准的1.3倍确定,为每人每月1430元: the subject, not the yardstick
            yardstick = pattern("yardstick").search(text, start, q.start)
            inside = [a for a in inside if yardstick is None or a.end <= yardstick.start()]
        inside = [a for a in inside if not _is_yardstick(a, text)]
        for cand in reversed(inside):
            if _fits(cand, q):
                alias = cand
                break
            if re.fullmatch(r"\s*(数|为|达|是)?\s*", text[cand.end: q.start]):
                return None  # the figure belongs to the alias right before it, whose unit differs
        if alias is None:
            predicate = _PREDICATE_ONLY.match(text[start: q.start]) is not None and not subject_only
            if start == 0 or not (predicate or _continues(text[start: q.start]) or _split_after_split(text, start, q.start)):
                return None
            subject_only = predicate
            start = clause_start(text, start - 1)
    between = [v for v in values if alias.end <= v.start and v.end <= q.start]
    if subject_only:  # the yardstick's own figures (1.3倍) do not stand between the subject and its value
        yardstick = pattern("yardstick").search(text, alias.end, q.start)
        between = [v for v in between if yardstick is None or v.start < yardstick.start()]
    spans = [(a.start, _PROPORTION_AFTER.match(text, a.end).end()) for a in aliases if _is_yardstick(a, text)]
    between = [v for v in between if not any(a <= v.start and v.end <= b for a, b in spans)]  # 按照…的1.3倍
    if between:
        gap = text[between[-1].end: q.start]
        multi_unit = gap.strip(" 、") == "" and between[-1].unit != q.unit
        tiers = _JOIN.match(gap) is not None and between[-1].unit == q.unit
        change = _BASELINE_AFTER.match(gap) is not None
        split = _SPLIT_LABEL.fullmatch(gap.strip(" 、,")) is not None  # …其中集中供养331人、分散供养845人
        split = split or (between[-1].unit == q.unit and _place_label(gap) != "")  # …、江都区2600人
        if not (multi_unit or tiers or change or split or _continues(gap.lstrip(",、;: "))):
            return None
    return _Link(alias, "before", clause_start=start)


def sentence_indicators(s, quantities: list[Quantity], paragraph: str, ctx: ReportContext, lead: str = "",
                        heading: str = "") -> list[dict]:
    """Indicator observations in one sentence; `lead` is the paragraph's text before it and
    `heading` the title of its section (一、最低生活保障)."""
    text = s.text
    aliases = find_aliases(text)
    values = _carry_units([q for q in quantities if q.kind in VALUE_KINDS and q.value is not None], text)
    listed = {**_list_links(values, aliases, text), **_shared_links(values, aliases, text)}
    paired = _paired(values, aliases, text)
    rows = []
    previous: list = []
    for qi, q in enumerate(values):
        found = listed.get(qi) or [paired.get(qi) or _beds_of_institutions(q, text) or _link(qi, values, aliases, text)
                                   or _programme_money(q, text, lead, heading) or _programme_standard(q, text)]
        if found == [None] and qi and previous and _BASELINE_AFTER.match(text[values[qi - 1].end: q.start]):
            found = previous  # 城市特困人员由每人每月900元提高到930元: the new value is the old one's
        previous = found if found != [None] else []
        for link in found:
            if link is not None:
                rows += _observations(s, q, qi, values, link, text, paragraph, ctx, lead)
    return _resolve_tiers_and_kinds(rows)


def _observations(s, q: Quantity, qi: int, values: list[Quantity], link: _Link, text: str, paragraph: str, ctx: ReportContext,
                  lead: str) -> list[dict]:
    """The observation a linked figure is: the first owner of its alias that takes it (every owner
    for a joint alias such as 两补), after the wording checks."""
    cat = catalogue()
    rows = []
    alias = link.alias
    owners = [link.owner] if link.owner else alias.owners
    for ind_id in owners:
        ind = cat[ind_id]
        window = text[link.clause_start: q.end + 2]
        value = to_catalogue_unit(q.value, q.unit, ind, window)
        if value is None:
            continue
        if ind.context is not None and not ind.context.search(paragraph):
            continue
        if _excluded(ind, text, alias, q, link):
            continue
        between = text[alias.end: q.start] if alias.end <= q.start else ""
        if _peer(between, ctx):
            continue  # a figure about the nation, the province or peers is not the report's own
        if ind.kind in ("standard", "money") and (_INCREMENT.search(text[clause_start(text, q.start): q.start])
                                                   or re.search(r"(?:提高|增加|上调|提升)(?!到|至|为)", q.text)):
            continue  # 每人每月提高10元, 增发…490多万元: an increment, not the standard or the total
        if ind.kind == "money" and link.how != "programme" and _other_money().search(between):
            continue  # 发放城乡低保一次性生活补贴245.1万元: money for another purpose under the programme
        if ind.kind == "standard" and q.unit == "元" and (
                not re.search(r"标准|生活费|每人|每月", alias.text + between)
                or (q.unit_raw in ("万元", "亿元") and "标准" not in alias.text + between)
                or _PAID_OUT.search(text[link.clause_start: alias.start] + between)):
            continue  # money paid out under a subsidy is not its standard
        if ind.behaviour.stock_cue and link.how != "colon" and \
                not _stock_stated(text, link, q, lead, ctx.report_type == "statistical_bulletin"):
            continue  # "推动32家社会组织…" acts on some of them; a stock is stated as such
        if ind.kind == "share" and text[q.end: q.end + 1] == "的":
            continue  # 护理型床位占比87.86%的等级机构: a share describing something else
        if ind.behaviour.figure == "flow" and re.search(r"每天|每日|日均", text[clause_start(text, q.start): q.start]):
            continue  # 供应能力达到每天约25万人次: a daily capacity, not the period's flow
        if ind.behaviour.stock_cue and link.how == "before" and pattern("subset_action").search(between):
            continue  # 8694家社会组织实施帮扶项目3100余个: the figure counts what they did, not them
        if ind.behaviour.stock_cue and _not_the_stock(text, link, alias, q):
            continue  # a change of the stock, the people an action reached, or a rate per population
        if ind.behaviour.stock_cue and link.how != "after" and pattern("subgroup", "(?:中的)?(?:@)").match(text, alias.end):
            continue  # 低保家庭老年人733户: a group of people within the programme's, not its own count
        if _part_of_excluded_whole(ind, text, q):
            continue  # 低保边缘家庭392户,其中…,城镇低保63户: the parts of a whole that is not the indicator
        status = link.status or _status(s, q, values, qi, text, ctx.year, link.clause_start, ctx.part_headings)
        qualifier, estimate = q.qualifier, False
        if status == "planned" and s.part != "plan" and _ESTIMATE.search(text[clause_start(text, q.start): q.start]):
            status, qualifier, estimate = "actual", "approx", True  # 全年预计发放…: the year's own total, estimated
        row = observation(
            s.report_id, ctx.city, ind, value, status=status,
            period=ctx.period if estimate else _period(text, q, status, ctx, values, qi, ind.kind),
            scope=_scope(text, alias, q, ctx, values),
            scope_detail=link.detail or link.label or _detail(text, alias, q, values, ind), qualifier=qualifier,
            source_text=text, raw_text=q.text, section_id=s.section_id, sentence_id=s.sentence_id, table_id="",
            rule=f"alias {alias.text} ({link.how})" + ("; an estimate for the year (预计)" if estimate else ""),
            char_start=s.char_start + q.start, char_end=s.char_start + q.end)
        rows.append({**row, "_alias": alias.start, "_tier": bool(link.label),
                     "_cumulative": _SINCE_UNSTATED.search(text[clause_start(text, q.start): q.start]) is not None})
        if not alias.joint:
            break  # one indicator per quantity
    return rows


_URBAN_RURAL_PAIR = re.compile(r"城乡[^,。;]{0,12}分别")


def _resolve_tiers_and_kinds(rows: list[dict]) -> list[dict]:
    """Several values of one standard under one alias are tiers: keep the highest (the catalogue's
    rule). One count given for several kinds (57个长者食堂、362个助餐点): the kind is the detail."""
    keep = []
    by_alias: dict[tuple, list[dict]] = {}
    for r in rows:
        if catalogue()[r["indicator_id"]].behaviour.tiers == "highest" and r["status"] != "baseline":
            split = "" if r["_tier"] else r["scope_detail"]  # 城市/农村, 市辖区/县(市) are parts, not tiers
            by_alias.setdefault((r["_alias"], r["indicator_id"], r["status"], split), []).append(r)
    drop = set()
    for group in by_alias.values():
        if len(group) == 2 and _URBAN_RURAL_PAIR.search(group[0]["source_text"]) and not any(r["scope_detail"] for r in group):
            group[0]["scope_detail"], group[1]["scope_detail"] = "城市", "农村"  # 城乡…分别为X和Y
            continue
        if len(group) > 1:
            best = max(group, key=lambda r: r["value"])
            best["rule"] += f"; highest of {len(group)} tiers"
            drop.update(id(r) for r in group if r is not best)
    # 共募集善款3536.1万元,累计募集善款5.53亿元: a 累计 figure beside the period's own figure of the same
    # indicator is a total since some unstated start, not the period's
    by_ind: dict[str, list[dict]] = {}
    for r in rows:
        if r["status"] == "actual" and catalogue()[r["indicator_id"]].behaviour.figure == "flow":
            by_ind.setdefault(r["indicator_id"], []).append(r)
    for group in by_ind.values():
        cum = [r for r in group if r.get("_cumulative")]
        own = {r["period"] for r in group if not r.get("_cumulative")}
        drop.update(id(r) for r in cum if r["period"] in own)
    for a, b in zip(rows, rows[1:]):  # 突破2000万元,达2037万元: the bound passed, then the figure
        if (a["indicator_id"], a["status"]) == (b["indicator_id"], b["status"]) and a["qualifier"] == "at_least" \
                and b["qualifier"] == "exact" and b["value"] > a["value"] and b["char_start"] - a["char_end"] <= 4:
            drop.add(id(a))
    keep = [r for r in rows if id(r) not in drop]
    kinds: dict[tuple, list[dict]] = {}
    for r in keep:
        kinds.setdefault((r["indicator_id"], r["status"], r["scope"], r["scope_detail"]), []).append(r)
    for group in kinds.values():
        names = {r["rule"].split()[1] for r in group}
        if len(group) > 1 and len(names) == len(group) and not group[0]["scope_detail"]:
            for r in group:
                r["scope_detail"] = r["rule"].split()[1]
    for r in keep:
        r.pop("_alias", None)
        r.pop("_tier", None)
        r.pop("_cumulative", None)
    return keep


def _excluded(ind: Indicator, text: str, alias: Alias, q: Quantity, link: _Link) -> bool:
    """An exclusion word (新增, 人次, 边缘 …) near the alias or the figure, outside the alias itself."""
    if ind.exclude is None:
        return False
    lo = max(link.clause_start, min(alias.start, q.start) - 6)
    hi = max(alias.end, q.end)
    if link.how == "colon" and alias.end <= q.start:
        own = clause_start(text, q.start)
        if link.clause_start >= alias.end:  # the label completed the alias: only the figure's clause
            label = alias.text[: len(alias.text) - (alias.end - alias.start)]  # speaks, less the label
            return ind.exclude.search(text[own: q.end].replace(label, "", 1)) is not None
        near = text[max(0, alias.start - 6): alias.start] + " " + text[own: q.end]
        return ind.exclude.search(near) is not None
    if "、" in text[link.clause_start: min(alias.start, q.start)] and link.how not in ("paired", "shared"):
        lo = link.clause_start  # 累计新增床位5500张、长者食堂120个: the clause's verb governs the list
    span = text[lo:hi]
    if link.how in ("paired", "shared"):  # a word inside the other names of the pair is theirs (…和重度残疾人护理补贴)
        for other in find_aliases(text):
            if other.start != alias.start and lo <= other.start and other.end <= hi:
                span = span[: other.start - lo] + " " * (other.end - other.start) + span[other.end - lo:]
    resets = list(_continue().finditer(span)) + list(re.finditer(r"总数|总量", span))
    if resets and not link.how == "after":
        cut = max(m.start() for m in resets)
        if cut > alias.end - lo:
            span, lo = span[cut:], lo + cut
    for m in ind.exclude.finditer(span):
        a0, a1 = alias.start - lo, alias.end - lo
        if a0 <= m.start() and m.end() <= a1:
            continue  # the word is part of the alias itself (e.g. 护理 in 护理补贴)
        return True
    return False


def _status(s, q: Quantity, values: list[Quantity], qi: int, text: str, year: int | None = None, lo: int = 0,
            part_headings: bool = True) -> str:
    """baseline (由X提高到Y's X, a comparison value), planned (in a plan part the report's headings
    open, or forward-looking wording in the figure's own clauses or the sentence's opening), else
    actual. A plan part guessed from wording (a news feature) does not outweigh 去年/上年."""
    if _COMPARED_DATE.search(text[: q.start]):
        return "baseline"  # 同比2022年12月份的10706人: a value given for comparison
    nxt = values[qi + 1] if qi + 1 < len(values) else None
    if nxt is not None and _BASELINE_BEFORE.search(text[: q.start]) and _BASELINE_AFTER.match(text[q.end: nxt.start]):
        return "baseline"
    own = _past_targets_removed(text[lo: q.end], year)
    opening = text[: min(lo, text.find(",") if "," in text else 0)] if lo else ""
    if is_forward_looking(own) or is_forward_looking(_past_targets_removed(opening, year)):
        return "planned"
    if s.part == "plan" and (part_headings or not pattern("past").search(text[: q.end])):
        return "planned"
    return "actual"




def _past_targets_removed(text: str, year: int | None) -> str:
    """'提高到2018年的720元' in a 2018 review is past: drop 到YYYY年 for years not after the report's."""
    if year is None:
        return text
    return re.sub(r"到\s*(20\d{2})\s*年", lambda m: "" if int(m.group(1)) <= year else m.group(0), text)


_RANGE = re.compile(r"(20\d{2})\s*年(?:\s*\d{1,2}\s*月)?\s*(?:至|到|-|~|—)\s*(20\d{2})\s*年")


# 全年预计发放低保金…: in a review, an estimate of the year's own total, not a target
_ESTIMATE = re.compile(r"(?:全年|年内|年底前?|全年度)\s*(?:预计|预估|估计)|(?:预计|预估)\s*(?:全年|年内)")
_COMPARED_DATE = re.compile(r"(?:同比|比|较|与)\s*(20\d{2})\s*年\s*(?:(\d{1,2})\s*月份?(?:底|末)?)?\s*(?:底|末)?\s*(?:的|相比)\s*$")
_MONTH_SPAN = re.compile(r"(?<![\d年])(\d{1,2})\s*[-至~—]\s*(\d{1,2})\s*月")
_LONE_MONTH = re.compile(r"(?:^|[,;:。])\s*(\d{1,2})\s*月(?:份|底|末)?\s*(?:[,,]|起|将|我|全)")
_AS_OF_MONTH = re.compile(r"(?:截至|截止|截止到)\s*(?:(\d{1,2})\s*月(?:底|末)?|年底|年末)")
_COMPARED = re.compile(r"比\s*(?:(20\d{2})\s*年|“?(十[一二三四])五”?(?:期间|末|时期)?)")


def _period(text: str, q: Quantity, status: str, ctx: ReportContext, values: list[Quantity] | None = None, qi: int = 0,
            kind: str = "count") -> str:
    """What the value refers to: a span (2016年以来, 十三五期间 … 截至2018年11月), an as-of date, a
    year named before it, or the report's own period, by the kind of indicator."""
    head = text[: q.start]
    year = ctx.year
    figure = kinds()[kind].figure if kind in kinds() else "stock"
    compared = _COMPARED_DATE.search(head)
    if status == "baseline" and compared:  # 同比2022年12月份的10706人
        return compared.group(1) + (f"-{int(compared.group(2)):02d}" if compared.group(2) else "")
    since_head = _SINCE.search(head)
    if status == "baseline" and since_head and since_head.group(1) and not list(_YEAR.finditer(head[since_head.end():])):
        return since_head.group(1)  # 2019年以来…从X提高到Y: X was the 2019 value
    if status == "baseline" and values is not None and qi + 1 < len(values) and not list(_YEAR.finditer(head[-8:])):
        cmp_ = _COMPARED.search(text[q.end:])
        if cmp_:  # …由1200元提高至1800元,比“十二五”期间提高50%
            return cmp_.group(1) or FIVE_YEAR_END[cmp_.group(2)]
        nxt = values[qi + 1]  # 由X调整为Y with no year of its own: the period of the new value
        return _period(text, nxt, _status_like(text, nxt), ctx, kind=kind)

    def last(rule):
        m = None
        for m in rule.finditer(head):
            pass
        return m

    rng, since, as_of, as_of_month = last(_RANGE), last(_SINCE), last(_AS_OF), last(_AS_OF_MONTH)
    if rng is not None:
        return f"{rng.group(1)}-{rng.group(2)}" if rng.group(1) != rng.group(2) else rng.group(1)
    as_of_year = as_of.group(1) if as_of is not None else (str(year) if as_of_month is not None and year else None)
    if since is not None and figure == "standard":  # a standard is in force at a date, never over a span
        return as_of_year or str(year or since.group(1) or "")
    if since is not None and not (kind in ("count", "share") and as_of_year is not None):
        start = since.group(1) or ("2016" if "十三五" in since.group(0) else "2021")
        end = as_of_year or str(year or start)
        return f"{start}-{end}" if str(start) != str(end) else str(start)
    if as_of_year is not None:
        month = None
        if as_of is not None:
            month = int(as_of.group(2)) if as_of.group(2) else 12 if as_of.group(3) else None
        elif as_of_month is not None:
            month = int(as_of_month.group(1)) if as_of_month.group(1) else 12  # 截至年底
        if month is None or kind in ("money", "flow"):  # a period total is about the year, not a date
            return ctx.period if ctx.period.startswith(as_of_year) else as_of_year
        return f"{as_of_year}-{month:02d}"
    clause = head[clause_start(head, len(head)) if figure == "flow" else 0:]
    months = last(_MONTH_SPAN)
    named = last(_YEAR)
    y = named.group(1) if named is not None else (str(year) if year else "")
    if figure == "flow" and y:
        if months is not None and (named is None or months.start() >= named.start()):
            return month_span(y, int(months.group(1)), int(months.group(2)))  # 1-9月累计
        if re.search(r"当月|本月", clause):
            month = named.group(2) if named is not None and named.group(2) else \
                (ctx.as_of[5:] if ctx.as_of.startswith(y) else None)
            lone = _LONE_MONTH.search(text)
            month = month or (lone.group(1) if lone else None)
            if month:
                return f"{y}-{int(month):02d}"
    if figure in ("stock", "share") and y and (named is None or not named.group(2)):
        lone = _LONE_MONTH.search(text)
        if lone is not None and (named is None or lone.start() > named.start()):
            return f"{y}-{int(lone.group(1)):02d}"  # 9月份,我县城乡低保在册9149户
    if named is not None and not re.match(r"\s*(度|以来)", head[named.end():]):
        if figure in ("stock", "share") and named.group(2):
            return f"{named.group(1)}-{int(named.group(2)):02d}"  # 2022年1月…人数为23.2万人
        return named.group(1)
    if status == "planned":
        planned_month = _LONE_MONTH.search(head[clause_start(head, len(head)):])
        if planned_month and year:
            return f"{year}-{int(planned_month.group(1)):02d}"  # 12月将提高至1041元
    if status == "planned":
        return ctx.plan_period or str(year or "")
    period = ctx.period or str(year or "")
    if re.fullmatch(r"\d{4}-\d{4}", period) and kind not in ("money", "flow"):
        # a stock or a standard in a multi-year review: as of the report's data date, else its last year
        return ctx.as_of if kind in ("count", "share") and ctx.as_of else period[-4:]
    return period


def month_span(year: str, first: int, last: int) -> str:
    """The period of months first..last of a year: 2024 (1-12), 2024H1 (1-6), 2024Q3 (7-9), else
    2024-01/2024-09."""
    named = {(1, 12): "", (1, 6): "H1", (7, 12): "H2", (1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4"}
    if (first, last) in named:
        return f"{year}{named[(first, last)]}"
    return f"{year}-{first:02d}/{year}-{last:02d}"


def _status_like(text: str, q: Quantity) -> str:
    """The status the new value of a change would get, for dating its baseline."""
    return "planned" if is_forward_looking(text[: q.end]) else "actual"


def _scope(text: str, alias: Alias, q: Quantity, ctx: ReportContext, values: list[Quantity] | None = None) -> str:
    own = clause_start(text, q.start)
    own = max([own] + [v.end for v in values or [] if own <= v.end <= q.start])
    if alias.end <= own:  # 低保对象3.6万人,其中邗江区3200人、江都区2600人: the figure's own place label
        d = _place_label(text[own: q.start], ctx.city)
        if d and not ctx.city.startswith(d[:2]):
            return d
    lo = min(alias.start, q.start)
    clause = text[clause_start(text, lo): q.start]
    if "市本级" in clause:
        return "市本级"
    m = _DISTRICT.search(clause)
    if m:
        d = re.sub(r"^其中", "", m.group("d"))
        city = ctx.city
        names = d.split("、")
        if all(n not in GENERIC_PLACES and n != city and not re.search(r"[全我本各该此]", n) for n in names) and not d.endswith(("社区", "城区")) and not city.startswith(d[:2]):
            return d
    if ctx.scope != "city" and "全市" not in clause:
        return ctx.scope
    return "city"


def _detail(text: str, alias: Alias, q: Quantity, values: list[Quantity], ind: Indicator) -> str:
    """城市/农村, 集中/散居 or an area type (市辖区, 县(市)) when the words right before the figure or
    around the alias say so (unless the indicator itself is that split, as 集中养育孤儿… is)."""
    lo = min(alias.start, q.start)
    prev = [v for v in values if v.end <= q.start and v.start >= lo]
    own = text[prev[-1].end: q.start] if prev else ""
    if len(prev) >= 2 and own.strip(" 、") == "" and prev[-1].unit != q.unit:
        own = text[prev[-2].end: prev[-1].start]  # 城市1200户、1800人: the pair shares its label
    elif len(prev) == 1 and own.strip(" 、") == "" and prev[-1].unit != q.unit:
        own = text[clause_start(text, prev[-1].start): prev[-1].start]
    near = text[max(0, alias.start - 4): alias.end]
    found = split_label(own, skip=ind.name_zh) or area_type(own)
    if found:
        return found
    head = text[clause_start(text, q.start): q.start]
    labelled = _CLAUSE_LABEL.match(head)
    if labelled and alias.end <= clause_start(text, q.start) and not find_aliases(labelled.group("label")):
        return labelled.group("label")  # 两县政府所在镇由330元提高到365元: the part of the area it is set for
    found = split_label(near, skip=ind.name_zh) or area_type(near)
    if found:
        return found
    return ""
