"""Sentence indicators: whether a linked figure is a catalogue indicator, and its status, period and scope.

``lib.links`` says which name a figure has; this module applies the checks that make it the
indicator or not (its unit fits, it is the stock and not a change, a subset, a rate, a peer's or a
yardstick's figure; money for this programme, not another purpose), then reads from the wording
around it its status (actual / planned / baseline), period, scope and scope detail, and builds the
row (``catalogue.observation``) with the value in the catalogue unit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lib.catalogue import Indicator, catalogue, kinds, observation, to_catalogue_unit
from lib.context import FIVE_YEAR_END, GENERIC_PLACES, MONTH, PART_OF_YEAR, ReportContext, month_span
from lib.links import BASELINE_AFTER, CLAUSE_LABEL, Link, carry_units, continue_pattern, links, place_label
from lib.numbers import Quantity
from lib.structure import clause_start, is_forward_looking
from lib.wording import (
    Alias,
    area_type,
    find_aliases,
    name_start,
    pattern,
    split_label,
    split_labels,
    terms,
    vocabulary,
)

VALUE_KINDS = {"quantity", "percent", "permille", "range"}
MAX_PEOPLE = 2e8  # more people or households than a province has: text damage, never a value


_BASELINE_BEFORE = re.compile(r"(?:由|从)[^,。;]{0,20}$")
# 至 after a change verb dates the new value (…增长至2020年9月底每人每月705元), like 到 does
_AS_OF = re.compile(r"(?:截至|截止|截止到|截至到|到|(?<=[长高升调增整])至)\s*(20\d{2})\s*年\s*(?:" + MONTH + r"\s*月|(底|末))?")
_SINCE = re.compile(r"(20\d{2})\s*年(?:以来|至今)|“?十三五”?(?:以来|期间)|“?十四五”?(?:以来|期间)")
_YEAR = re.compile(r"(20\d{2})\s*年(?!度?以来)(?:\s*" + MONTH + r"\s*月)?")
def _peer(words: str, ctx: ReportContext) -> bool:
    """全国/全省/平均水平 name a peer of a city; in a province-wide report 全省 is the report itself."""
    from lib.wording import vocabulary

    found = [m.group(0) for m in pattern("peer").finditer(words)]
    return any(ctx.scope != "province" or vocabulary("peer")[w] == "all" for w in found)
_DISTRICT = re.compile(r"(?:^|(?<=[,;:。]))(?:其中)?(?P<d>[\u4e00-\u9fff]{2,3}(?:区|县|市)(?:、[\u4e00-\u9fff]{2,3}(?:区|县|市))*)(?=[^,;。]{0,12}$)")


_PAID_OUT = re.compile(r"发放|支出|投入|拨付|下拨|补助资金|资金")


_OPENING_CUE = re.compile(r"^[^,;。]{0,8}?(?:年末|年底|截至|截止)|^(?:20\d{2}年末,?)?全[市区县](?:共有|现有|共计|拥有)")


@lru_cache(maxsize=1)
def _stock_cue() -> re.Pattern:
    return re.compile(terms("stock_cue"))


def _stock_stated(text: str, link: Link, q: Quantity, lead: str = "", bulletin: bool = False) -> bool:
    """A count is a stock when its clause says so (全市共有, 截至, 总数达 …), or when the clause is
    just 'name figure' in a sentence that opened with such a cue (年末全市共有A x,B y), or in a
    paragraph that opened with one (年末全市共有养老机构98家。养老机构床位1.92万张 / 其中:城市…)."""
    a0, a1 = link.alias.start, link.alias.end
    if bulletin or (re.search(r"(?:人数|户数|总数|床位数|机构数)$", link.alias.text)
                    and re.fullmatch(r"\s*(?:为|达|达到|是|共|共计)?\s*", text[a1: q.start])):
        return True  # a statistical bulletin states stocks; so does 最低生活保障人数8795人 (name + 人数 + figure)
    from lib.wording import vocabulary

    for m in _stock_cue().finditer(text, link.clause_start, q.start):
        # a cue inside the name counts only as its opening verb (获得政府最低生活保障…), never as its
        # last word (社会组织登记120家: the year's registrations); some count only before the name
        if vocabulary("stock_cue")[m.group(0)] == "before_name" and m.start() >= a0:
            continue
        if not (a0 <= m.start() and m.end() <= a1) or m.start() == a0:
            return True
    # the item of a 、 list (…低保对象16.2万人、特困人员3.5万人) is as much a stock as the list's first
    item = max(link.clause_start, text.rfind("、", link.clause_start, link.alias.start) + 1)
    bare = link.how == "before" and re.fullmatch(r"\s*(其中)?\s*:?\s*[\u4e00-\u9fff]{0,4}", text[item: link.alias.start]) \
        and re.fullmatch(r"\s*(?:人口|人数|户数|对象|人员|家庭)?\s*(?:为|达到|达|共|有|:)?\s*(?:[\d.,]+\s*万?户\s*[、,]?)?\s*",
                         text[a1: q.start])  # just 'name figure' (农村低保人口14.3万人)

    if not bare:
        return False
    opening = item == 0 or (item == link.clause_start and text[item - 1: item] in (";", "；"))
    if opening and re.match(r"\s*(?:[,，;；。、]|$|全部|均)", text[q.end:]) \
            and re.fullmatch(r"\s*(?:其中)?\s*:?\s*(?:全市|全县|全区|城市|城镇|农村|乡村|牧区|农牧区)?", text[item: link.alias.start]):
        # a sentence or ;-part opening with just 'name figure' (城镇低保对象634户、1051人), the whole
        # area's (全市困境儿童2860人), and all of them whatever follows (…2860人全部纳入保障)
        return True
    return (_stock_cue().search(text[: item]) is not None or _OPENING_CUE.search(lead) is not None
            or re.fullmatch(r"\s*(?:20\d{2}\s*年(?:底|末)?|全年|今年|目前)\s*,?\s*", text[: item]) is not None  # 2016年,城市低保对象67户
            or (re.match(r"\s*(?:20\d{2}\s*年(?:底|末)?|全年|今年|目前)\s*,", text) is not None
                and text[link.clause_start - 1: link.clause_start] in (";", "；")))  # …;农村低保对象707户


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
    if at < 0:
        return False
    while text[at - 2: at] == "其中":  # 其中其中 (a copy's doubled word)
        at -= 2
    whole = text[clause_start(text, max(at - 1, 0)): at]
    if any(pattern("subgroup", "(?:中的)?(?:@)").match(whole, a.end) for a in find_aliases(whole)):
        return True  # 低保家庭老年人769户,其中…城镇低保38户: the parts of a subgroup
    hit = ind.exclude.search(whole) if ind.exclude is not None else None
    if hit is not None and ind.kind == "money" and hit.group(0).endswith("资金") and re.search(r"资金[\d.,]+\s*[万亿]?元\s*[,,]?\s*$", whole):
        return False  # 共发放救助资金8184.9万元,其中…发放最低生活保障金…: a part of all the money is the programme's
    return hit is not None


def _not_the_stock(text: str, link: Link, alias: Alias, q: Quantity) -> bool:
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


@lru_cache(maxsize=1)
def _other_money() -> re.Pattern:
    return re.compile(terms("other_money"))


def sentence_indicators(s, quantities: list[Quantity], paragraph: str, ctx: ReportContext, lead: str = "",
                        heading: str = "") -> list[dict]:
    """Indicator observations in one sentence; `lead` is the paragraph's text before it and
    `heading` the title of its section (一、最低生活保障)."""
    text = s.text
    aliases = find_aliases(text)
    values = carry_units([q for q in quantities if q.kind in VALUE_KINDS and q.value is not None], text)
    rows = []
    for qi, (q, found) in enumerate(zip(values, links(values, aliases, text, lead, heading))):
        for lk in found:
            rows += _observations(s, q, qi, values, lk, text, paragraph, ctx, lead)
    return _resolve_tiers_and_kinds(rows)


def _observations(s, q: Quantity, qi: int, values: list[Quantity], link: Link, text: str, paragraph: str, ctx: ReportContext,
                  lead: str) -> list[dict]:
    """The observation a linked figure is: the first owner of its alias that takes it (every owner
    for a joint alias such as 两补), after the wording checks."""
    cat = catalogue()
    rows = []
    alias = link.alias
    owners = [link.owner] if link.owner else alias.owners
    head = text[clause_start(text, q.start): q.start]  # the figure's own clause before it
    for ind_id in owners:
        ind = cat[ind_id]
        window = text[link.clause_start: q.end + 2]
        value = to_catalogue_unit(q.value, q.unit, ind, window)
        if value is None or (ind.unit in ("人", "户") and value > MAX_PEOPLE):
            continue  # 26501戶40493人 run together by a lost character: no city has 2.65 billion people
        if ind.context is not None and not ind.context.search(paragraph):
            continue
        if _excluded(ind, text, alias, q, link, ctx):
            continue
        between = text[alias.end: q.start] if alias.end <= q.start else ""
        if _peer(between, ctx):
            continue  # a figure about the nation, the province or peers is not the report's own
        if ind.kind in ("standard", "money") and (_INCREMENT.search(head)
                                                   or re.search(r"(?:提高|增加|上调|提升)(?!到|至|为)", q.text)):
            continue  # 每人每月提高10元, 增发…490多万元: an increment, not the standard or the total
        if ind.kind == "money" and q.unit_raw == "元" and value < 10000 and (
                re.search(r"(?:由|从)[^,;。]{0,12}$", text[:q.start]) or re.search(r"(?:提高|提|调整|上调)(?:到|至|为)\s*$", text[:q.start])):
            continue  # 低保金由300元提至310元: a per-person amount raised, not the money paid out
        if ind.kind == "money" and "实际" in text[q.end:] and _BUDGETED.search(head):
            continue  # 预算安排低保资金1.2亿元,实际支出1.15亿元: the budget beside the money actually paid
        if ind.kind == "money" and pattern("secured").search(head):
            continue  # 争取上级低保补助资金2.3亿元: money obtained or asked for, not paid out
        if ind.kind in ("money", "standard") and _capped(ind.kind, head):
            continue  # 临时救助最高可救助20000元, 补贴…最高不超过200元: the most one case may get
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
        if ind.behaviour.figure == "flow" and re.search(r"每天|每日|日均", head):
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
        if q.kind == "range" and qualifier in ("exact", "approx"):
            qualifier = "at_least"  # 达到35-40张: at least the lower bound, never exactly it
        elif qualifier == "exact" and _FLOOR_BEFORE.search(head):
            qualifier = "at_least"  # 标准不低于每人每年6000元: a floor, with the unit's words between
        if status == "planned" and s.part != "plan" and _ESTIMATE.search(head):
            status, qualifier, estimate = "actual", "approx", True  # 全年预计发放…: the year's own total, estimated
        row = observation(
            s.report_id, ctx.city, ind, value, status=status,
            period=ctx.period if estimate else link.period or _period(text, q, status, ctx, values, qi, ind.kind),
            scope=_scope(text, alias, q, ctx, values),
            scope_detail=link.detail or link.label or _detail(text, alias, q, values, ind), qualifier=qualifier,
            source_text=text, raw_text=q.text, section_id=s.section_id, sentence_id=s.sentence_id, table_id="",
            rule=f"alias {alias.text} ({link.how})" + ("; an estimate for the year (预计)" if estimate else ""),
            char_start=s.char_start + q.start, char_end=s.char_start + q.end)
        rows.append({**row, "_alias": alias.start, "_tier": bool(link.label), "_whole": _WHOLE_AFTER.match(text, q.end) is not None,
                     "_cumulative": _SINCE_UNSTATED.search(head) is not None})
        if not alias.joint:
            break  # one indicator per quantity
    return rows


_BUDGETED = re.compile(r"预算|计划(?:发放|支出|安排|下达)|年初计划|安排资金")
_FLOOR_BEFORE = re.compile(r"(?:不低于|不少于|至少)\s*(?:每人每[月年]|每户每[月年]|每[人户月年])?\s*$")


def _capped(kind: str, head: str) -> bool:
    """A ceiling word (the ``cap`` vocabulary) before the figure in its clause: the most one case may
    get is neither money paid out nor, for the strongest words (value standard: 最高不超过, 封顶), a standard."""
    if kind == "money":
        return pattern("cap").search(head) is not None
    return any(term in head for term, value in vocabulary("cap").items() if value == "standard")


_URBAN_RURAL_PAIR = re.compile(r"城乡[^,。;]{0,12}分别")


def _resolve_tiers_and_kinds(rows: list[dict]) -> list[dict]:
    """Several values of one standard under one alias are tiers: keep the highest (the catalogue's
    rule). One count given for several kinds (57个长者食堂、362个助餐点): the kind is the detail."""
    keep = []
    by_alias: dict[tuple, list[dict]] = {}
    for r in rows:
        if catalogue()[r["indicator_id"]].behaviour.tiers == "highest" and r["status"] != "baseline":
            split = "" if r["_tier"] else r["scope_detail"]  # 城市/农村, 市辖区/县(市) are parts, not tiers
            by_alias.setdefault((r["_alias"], r["indicator_id"], r["status"], split, r["period"]), []).append(r)
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
                if not r["_whole"]:  # 助餐场所17处,其中老年食堂9所: the whole keeps no kind
                    r["scope_detail"] = r["rule"].split()[1]
    for r in keep:
        r.pop("_alias", None)
        r.pop("_tier", None)
        r.pop("_cumulative", None)
        r.pop("_whole", None)
    return keep


_WHOLE_AFTER = re.compile(r"\s*[,,]?\s*其中")


def _excluded(ind: Indicator, text: str, alias: Alias, q: Quantity, link: Link, ctx: ReportContext | None = None) -> bool:
    """An exclusion word (新增, 人次, 边缘 …) near the alias or the figure, outside the alias itself;
    a word naming a peer (全省平均) only where that peer is not the report's own area."""
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
    if link.how == "tier":  # the label chose the indicator: only its own words and the figure count
        return ind.exclude.search(text[link.label_at: q.end]) is not None
    if "、" in text[link.clause_start: min(alias.start, q.start)] and link.how not in ("paired", "shared"):
        lo = link.clause_start  # 累计新增床位5500张、长者食堂120个: the clause's verb governs the list
    span = text[lo:hi]
    if link.how in ("paired", "shared"):  # a word inside the other names of the pair is theirs (…和重度残疾人护理补贴)
        for other in find_aliases(text):
            if other.start != alias.start and lo <= other.start and other.end <= hi:
                # 社会散居孤儿…标准: the other name from where it begins, never into this one
                start = name_start(other, text, max(lo, alias.end) if alias.end <= other.start else lo)
                span = span[: start - lo] + " " * (other.end - start) + span[other.end - lo:]
    resets = list(continue_pattern().finditer(span)) + list(re.finditer(r"总数|总量", span))
    if resets and not link.how == "after":
        cut = max(m.start() for m in resets)
        if cut > alias.end - lo:
            span, lo = span[cut:], lo + cut
    for m in ind.exclude.finditer(span):
        a0, a1 = alias.start - lo, alias.end - lo
        if a0 <= m.start() and m.end() <= a1:
            continue  # the word is part of the alias itself (e.g. 护理 in 护理补贴)
        if ctx is not None and not _peer(m.group(0), ctx) and pattern("peer").search(m.group(0)):
            continue  # 全省平均保障标准 in a province-wide report: the province's own average
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
    if nxt is not None and _BASELINE_BEFORE.search(text[: q.start]) and BASELINE_AFTER.match(text[q.end: nxt.start]):
        return "baseline"
    if "实际" in text[clause_start(text, q.start): q.start]:
        return "actual"  # 全年计划发放…,实际发放1.15亿元: the figure says it is the actual one
    opening = text[: min(lo, text.find(",") if "," in text else 0)] if lo else ""
    if is_forward_looking(text[lo: q.end], year) or is_forward_looking(opening, year):
        return "planned"
    if s.part == "plan" and (part_headings or not pattern("past").search(text[: q.end])):
        return "planned"
    return "actual"


_RANGE = re.compile(r"(20\d{2})\s*年(?:\s*\d{1,2}\s*月)?\s*(?:至|到|-|~|—)\s*(20\d{2})\s*年")


# 全年预计发放低保金…: in a review, an estimate of the year's own total, not a target
_ESTIMATE = re.compile(r"(?:全年|年内|年底前?|全年度)\s*(?:预计|预估|估计)|(?:预计|预估)\s*(?:全年|年内)")
_COMPARED_DATE = re.compile(r"(?:同比|比|较|与)\s*(20\d{2})\s*年\s*(?:" + MONTH + r"\s*月份?(?:底|末)?)?\s*(?:底|末)?\s*(?:的|相比)\s*$")
# a part of the year a flow is over (上半年,全市发放临时救助资金…)
_PART_OF_YEAR = re.compile("|".join(sorted(PART_OF_YEAR, key=len, reverse=True)))


def last_in(rule: re.Pattern, text: str) -> re.Match | None:
    """The last match of a rule in a text (None: none)."""
    m = None
    for m in rule.finditer(text):
        pass
    return m


_MONTH_SPAN = re.compile(r"(?<![\d年])" + MONTH + r"\s*[-至~—]\s*" + MONTH + r"\s*月")
_LONE_MONTH = re.compile(r"(?:^|[,;:。])\s*" + MONTH + r"\s*月(?:份|底|末)?\s*(?:[,,]|起|将|我|全)")
_AS_OF_MONTH = re.compile(r"(?:截至|截止|截止到)\s*(?:" + MONTH + r"\s*月(?:底|末)?|年底|年末)")
_COMPARED = re.compile(r"比\s*(?:(20\d{2})\s*年|“?(十[一二三四])五”?(?:期间|末|时期)?)")
# the old value's own year: 由2015年底每人每月441元 (the unit between them), not only a year just before it
_OWN_YEAR = re.compile(r"(20\d{2})\s*年(?:\s*" + MONTH + r"\s*月)?(底|末)?[^\d,;。,;]{0,8}$")


def _period(text: str, q: Quantity, status: str, ctx: ReportContext, values: list[Quantity] | None = None, qi: int = 0,
            kind: str = "count") -> str:
    """What the value refers to: a span (2016年以来, 十三五期间 … 截至2018年11月), an as-of date, a
    year named before it, or the report's own period, by the kind of indicator."""
    head = text[: q.start]
    if values and qi and q.unit == values[qi - 1].unit and BASELINE_AFTER.match(text[values[qi - 1].end: q.start]):
        old = _BASELINE_BEFORE.search(text[: values[qi - 1].start])
        if old is not None:  # 由2020年底的2.1万人下降到1.5万人: the year before the old value is the old value's
            head = text[: old.start()] + text[values[qi - 1].end: q.start]
    year = ctx.year
    figure = kinds()[kind].figure if kind in kinds() else "stock"
    compared = _COMPARED_DATE.search(head)
    if status == "baseline" and compared:  # 同比2022年12月份的10706人
        return compared.group(1) + (f"-{int(compared.group(2)):02d}" if compared.group(2) else "")
    own = _OWN_YEAR.search(head[-24:]) if status == "baseline" else None
    if own is not None:  # 由2015年底每人每月441元增长至…: the old value's own year, not the span's or the new value's
        # (年底 stays the year, as 由2020年底的2.1万人 always has; a month written out is kept)
        month = int(own.group(2)) if own.group(2) and kind not in ("money", "flow") else None
        return f"{own.group(1)}-{month:02d}" if month else own.group(1)  # MONTH matches months only
    since_head = _SINCE.search(head)
    if status == "baseline" and since_head and since_head.group(1) and not list(_YEAR.finditer(head[since_head.end():])):
        return since_head.group(1)  # 2019年以来…从X提高到Y: X was the 2019 value
    if status == "baseline" and values is not None and qi + 1 < len(values):  # no date of its own (own is None)
        cmp_ = _COMPARED.search(text[q.end:])
        if cmp_:  # …由1200元提高至1800元,比“十二五”期间提高50%
            return cmp_.group(1) or FIVE_YEAR_END[cmp_.group(2)]
        nxt = values[qi + 1]  # 由X调整为Y with no year of its own: the period of the new value
        return _period(text, nxt, _status_like(text, nxt), ctx, kind=kind)

    def last(rule):
        return last_in(rule, head)

    rng, since, as_of, as_of_month = last(_RANGE), last(_SINCE), last(_AS_OF), last(_AS_OF_MONTH)
    if rng is not None:
        return f"{rng.group(1)}-{rng.group(2)}" if rng.group(1) != rng.group(2) else rng.group(1)
    as_of_year = as_of.group(1) if as_of is not None else (str(year) if as_of_month is not None and year else None)
    if since is not None and figure == "standard" and as_of_year is None:  # in force at a date, never over a span
        return str(year or since.group(1) or "")
    if since is not None and figure != "standard" and not (kind in ("count", "share") and as_of_year is not None):
        start = since.group(1) or ("2016" if "十三五" in since.group(0) else "2021")
        end = as_of_year or str(year or start)
        return f"{start}-{end}" if str(start) != str(end) else str(start)
    if as_of_year is not None:
        month = None
        if as_of is not None:
            month = int(as_of.group(2)) if as_of.group(2) else 12 if as_of.group(3) else None
        elif as_of_month is not None:
            month = int(as_of_month.group(1)) if as_of_month.group(1) else 12  # 截至年底
        if month is not None and kind in ("money", "flow") \
                and not re.search(r"当月|本月|该月", head[max(head.rfind(";"), head.rfind("。")) + 1:]):
            return month_span(as_of_year, 1, month)  # 截至9月,共发放…: the year to that month
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
        sentence = head[max(head.rfind(c) for c in ";。") + 1:]
        part = last_in(_PART_OF_YEAR, sentence)
        if part is not None and (named is None or part.start() >= named.start() - (len(head) - len(sentence))) \
                and not re.search(r"全年|年度|年内", sentence[part.end():]):
            return month_span(y, *PART_OF_YEAR[part.group(0)])  # 上半年,全市发放…: the half, not the year
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
    month = re.fullmatch(r"(\d{4})-(\d{2})", period)
    if figure == "flow" and month and "累计" in clause and not re.search(r"当月|本月", clause):
        return month_span(month.group(1), 1, int(month.group(2)))  # 累计发放 in a month's report: the year to date
    return period


def _status_like(text: str, q: Quantity) -> str:
    """The status the new value of a change would get, for dating its baseline."""
    return "planned" if is_forward_looking(text[: q.end]) else "actual"


def _scope(text: str, alias: Alias, q: Quantity, ctx: ReportContext, values: list[Quantity] | None = None) -> str:
    own = clause_start(text, q.start)
    own = max([own] + [v.end for v in values or [] if own <= v.end <= q.start])
    if alias.end <= own:  # 低保对象3.6万人,其中邗江区3200人、江都区2600人: the figure's own place label
        d = place_label(text[own: q.start], ctx.city)
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
        if all(n not in GENERIC_PLACES and n != city and not re.search(r"[全我本各该此]", n) for n in names) \
                and not d.endswith(("社区", "城区", "城市")) and not city.startswith(d[:2]):
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
    own = re.sub(r"\([^()]{2,}\)", "", own)  # 低保的家庭(含农村五保户)共有…: an aside names no part; 县(市) stays
    near = text[max(0, alias.start - 4): alias.end]
    found = split_label(own, skip=ind.name_zh) or area_type(own)
    if found:
        return found
    head = text[clause_start(text, q.start): q.start]
    labelled = CLAUSE_LABEL.match(head)
    if labelled and alias.end <= clause_start(text, q.start) and not find_aliases(labelled.group("label")):
        return labelled.group("label")  # 两县政府所在镇由330元提高到365元: the part of the area it is set for
    found = split_label(near, skip=ind.name_zh) or area_type(near)
    if found:
        return found
    own_clause = clause_start(text, q.start)
    before = [v for v in values if v.end <= own_clause]
    if q.unit in ("人", "名") and before and before[-1].unit == "户" and own_clause - before[-1].end <= 1 \
            and not re.search(r"全|合计|共|总", text[own_clause: q.start]):
        # 城镇居民享受低保18390户,享受低保52595人: the people of the households just counted
        last = before[-1]
        return split_label(text[clause_start(text, last.start): last.start], skip=ind.name_zh)
    if ind.kind == "money" and before and own_clause - before[-1].end <= 1 and before[-1].unit in ("人", "户", "名"):
        # 城镇最低生活保障对象2400人,发放最低生活保障金…万元: the money of the part just counted
        last = before[-1]
        prev = text[clause_start(text, last.start): last.start]
        family = ind.indicator_id.split("_")[0]
        if not re.search(r"全|合计|共|总", prev) and any(o.split("_")[0] == family for a in find_aliases(prev) for o in a.owners):
            found = split_labels(prev, skip=ind.name_zh)
            if len(found) == 1:  # 城市低保330人、农村低保2307人,发放低保金…: both parts counted, the money is theirs
                return found[0]
    return _parallel_part(text, q.start, ind)


_FIRST_FIGURE = re.compile(r"(?<![\d.])\d(?![\d.]*\s*(?:年|月|日|[-至~—]\s*\d{1,2}\s*月))")


def _parallel_part(text: str, at: int, ind: Indicator) -> str:
    """全市城镇居民享受低保…,全年发放低保金…;农村居民…,发放低保金…: in a sentence whose ;-parts each
    name a different split before their first figure, a figure takes the split of its part."""
    parts = re.split(r"[;。]", text)
    # the words before its first figure (a date such as 2020年 or 1-6月 is not a figure)
    opens = [split_label(_FIRST_FIGURE.split(p, maxsplit=1)[0], skip=ind.name_zh) for p in parts]
    if len({o for o in opens if o}) < 2:
        return ""
    seen = 0
    for part, opened in zip(parts, opens):
        if seen <= at <= seen + len(part):
            return opened
        seen += len(part) + 1
    return ""
