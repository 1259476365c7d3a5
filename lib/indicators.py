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

from lib.catalogue import UNIT_FAMILIES, Indicator, catalogue, to_catalogue_unit
from lib.context import FIVE_YEAR_END, GENERIC_PLACES
from lib.numbers import Quantity
from lib.structure import clause_start, is_forward_looking
from lib.wording import Alias, alias_matcher, area_type, find_aliases, split_label, terms

VALUE_KINDS = {"quantity", "percent", "permille", "range"}


# 由X调整为Y: X is a baseline when these surround it; the wording of as-of dates, spans and peers.
_BASELINE_AFTER = re.compile(r"^\s*(?:元(?:/人(?:/|·)?[月年])?)?\s*(?:的基础上)?\s*(?:调整|提高|提升|增加|上调|增长|调增|增至|提至)?\s*(?:为|到|至)")
_BASELINE_BEFORE = re.compile(r"(?:由|从)[^,。;]{0,20}$")
_AS_OF = re.compile(r"(?:截至|截止|截止到|截至到|到)\s*(20\d{2})\s*年\s*(?:(\d{1,2})\s*月|(底|末))?")
_SINCE = re.compile(r"(20\d{2})\s*年(?:以来|至今)|“?十三五”?(?:以来|期间)|“?十四五”?(?:以来|期间)")
_YEAR = re.compile(r"(20\d{2})\s*年(?!度?以来)(?:\s*(\d{1,2})\s*月)?")
_PEER = re.compile(r"全国|全省|同类城市|省最低|平均水平|省定|国家标准")
_DISTRICT = re.compile(r"(?:^|(?<=[,;:。]))(?:其中)?(?P<d>[\u4e00-\u9fff]{2,3}(?:区|县|市)(?:、[\u4e00-\u9fff]{2,3}(?:区|县|市))*)(?=[^,;。]{0,12}$)")


@dataclass
class _Link:
    """Why a quantity is taken as an indicator: the alias, how it was linked, and a tier label."""

    alias: Alias
    how: str
    owner: str | None = None  # set when a compound alias (两项补贴标准) is split over paired figures
    label: str = ""
    clause_start: int = 0


def _fits(alias: Alias, q: Quantity) -> bool:
    cat = catalogue()
    return any(q.unit in UNIT_FAMILIES[cat[o].unit] for o in alias.owners)


CLASSIFIERS = {"个", "名", "张", "家", "所", "处", "位", "座", "人"}
_JOIN = re.compile(r"^\s*(?:和|及|与|以及|、)\s*$")
# Words that let a clause continue the subject of the previous one (…1172人,其中集中供养331人).
_CONTINUE = re.compile(r"^\s*(?:其中|总数|总量|总计|共计|合计|累计|占|分别|分为|同比|达到)")
_ACTION = re.compile(r"与|签订|参与|开展|完成|办理|获|被|实现|通过|申请|入驻|承接|纳入|享受|接受|列入")
_SPLIT_LABEL = re.compile(r"(?:其中)?(?:城市|农村|城镇|城乡|集中供养|分散供养|集中养育|社会散居|散居|集中|分散)(?:供养|养育|地区|居民|对象|人员)?")
_PAID_OUT = re.compile(r"发放|支出|投入|拨付|下拨|补助资金|资金")


_OPENING_CUE = re.compile(r"^[^,;。]{0,8}?(?:年末|年底|截至|截止)|^(?:20\d{2}年末,?)?全[市区县](?:共有|现有|共计|拥有)")


@lru_cache(maxsize=1)
def _stock_cue() -> re.Pattern:
    return re.compile(terms("stock_cue"))


def _stock_stated(text: str, link: _Link, q: Quantity, lead: str = "") -> bool:
    """A count is a stock when its clause says so (全市共有, 截至, 总数达 …), or when the clause is
    just 'name figure' in a sentence that opened with such a cue (年末全市共有A x,B y), or in a
    paragraph that opened with one (年末全市共有养老机构98家。养老机构床位1.92万张 / 其中:城市…)."""
    if _stock_cue().search(text[link.clause_start: q.start]):
        return True
    bare = link.how == "before" and re.fullmatch(r"\s*(其中)?\s*:?\s*[\u4e00-\u9fff]{0,4}", text[link.clause_start: link.alias.start])
    if not bare:
        return False
    return _stock_cue().search(text[: link.clause_start]) is not None or _OPENING_CUE.search(lead) is not None


@lru_cache(maxsize=1)
def _movement() -> re.Pattern:
    return re.compile(rf"(?:{terms('movement')})(?!到|至|为)")


@lru_cache(maxsize=1)
def _beneficiary() -> re.Pattern:
    # 按每人500元标准对全市7837名…发放, 为88户99名…: the people an action reached
    return re.compile(rf"(?:^|[,;:]|标准|按[^,;。]{{0,12}})\s*(?:{terms('beneficiary')})\s*"
                      r"(?:全市|全县|全区|全省|全镇|符合条件的|困难)?\s*(?:共|近|约|超过|逾)?\s*$")


_RATE = re.compile(r"每[千万百十]名?|[千万百]名(?:老人|老年人|儿童|人口)|每千人|每万人|每百人")


def _not_the_stock(text: str, link: _Link, alias: Alias, q: Quantity) -> bool:
    """A count that is not the stock: a movement of it (新纳入低保1.9万人、特困供养人员1.4万人: the
    verb governs the list), the people an action reached (对7837名…发放), or a rate per population
    (每千名老年人拥有养老床位34.5张)."""
    lo = clause_start(text, q.start)  # a 、 list is one clause; 新增…10家,总数达到278家 starts afresh
    before = text[lo: q.start]
    before = before.replace(alias.text, " " * len(alias.text), 1) if alias.start >= lo else before
    if _movement().search(before) or _RATE.search(before):
        return True
    return _beneficiary().search(text[clause_start(text, q.start): q.start]) is not None


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


def _continues(clause_head: str) -> bool:
    """Does this clause go on about the previous clause's subject? 其中 does only into a split
    (其中集中供养331人) or a district's part (其中邗江区3200人), not into another kind of thing
    (其中社会团体3210个). A clause that only changes the value (12月将提高至…, 县(市)提高到…) does."""
    if _change_head().match(clause_head):
        return True
    m = _CONTINUE.match(clause_head)
    if m is None:
        return False
    if m.group(0).strip() != "其中":
        return True
    rest = clause_head[m.end():].lstrip(" :")
    place = re.match(r"[\u4e00-\u9fff]{2,3}(?:区|县|市)(?=\s*(?:$|[\d零一二三四五六七八九两十百千约近超逾]))", rest.strip())
    return rest.strip() == "" or _SPLIT_LABEL.match(rest) is not None or (place is not None and _place_label(place.group(0)) != "")


def _split_after_split(text: str, start: int, end: int) -> bool:
    """…其中:集中供养1080人,分散供养2040人: a clause that is only a split label goes on with the
    split the previous clause opened."""
    if _SPLIT_LABEL.fullmatch(text[start:end].strip()) is None or text[start - 1: start] != ",":
        return False
    prev = text[clause_start(text, start - 1): start - 1]
    m = re.match(r"\s*其中\s*:?\s*", prev)
    return m is not None and _SPLIT_LABEL.match(prev[m.end():]) is not None


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


def _carry_units(values: list[Quantity], text: str) -> list[Quantity]:
    """每人每月1050元和850元, 由每人每年9000元提高到10200元: the second figure is in the first's unit."""
    out = list(values)
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
    if q.unit in CLASSIFIERS and re.match(r"[\u4e00-\u9fff]", nxt):
        cut = re.search(r"[,;。、:()“”\"《]", text[q.end:])
        noun_end = q.end + (cut.start() if cut else len(text) - q.end)
        inside = [a for a in aliases if q.end <= a.start and a.end <= noun_end and a.start - q.end <= 12]
        if not inside or _ACTION.search(text[inside[0].end: noun_end]):
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
    if colon_alias:
        label = text[max(colon + 1, start): q.start]
        label = re.sub(r"每人|每月|每年|为|达到|达|:", "", label).strip(" ,、")
        head = colon_alias[-1]
        _, owners = alias_matcher()
        if label and label + head.text in owners:  # 集中养育 + 孤儿基本生活保障标准: that indicator, no split
            head = Alias(head.start, head.end, label + head.text, owners[label + head.text])
            return _Link(head, "colon", label="", clause_start=clause_start(text, q.start))
        return _Link(head, "colon", label=label, clause_start=clause_start(text, head.start))
    return _named_in_clause(qi, values, aliases, text, start)


def _named_in_clause(qi: int, values: list[Quantity], aliases: list[Alias], text: str, start: int) -> _Link | None:
    """The nearest fitting alias before values[qi] in its clause, or in the clauses it continues."""
    q = values[qi]
    alias = None
    while alias is None:
        inside = [a for a in aliases if start <= a.start and a.end <= q.start]
        for cand in reversed(inside):
            if _fits(cand, q):
                alias = cand
                break
            if re.fullmatch(r"\s*(数|为|达|是)?\s*", text[cand.end: q.start]):
                return None  # the figure belongs to the alias right before it, whose unit differs
        if alias is None:
            if start == 0 or not (_continues(text[start: q.start]) or _split_after_split(text, start, q.start)):
                return None
            start = clause_start(text, start - 1)
    between = [v for v in values if alias.end <= v.start and v.end <= q.start]
    if between:
        gap = text[between[-1].end: q.start]
        multi_unit = gap.strip(" 、") == "" and between[-1].unit != q.unit
        tiers = _JOIN.match(gap) is not None and between[-1].unit == q.unit
        change = _BASELINE_AFTER.match(gap) is not None
        split = _SPLIT_LABEL.fullmatch(gap.strip(" 、,")) is not None  # …其中集中供养331人、分散供养845人
        split = split or (between[-1].unit == q.unit and _place_label(gap) != "")  # …、江都区2600人
        if not (multi_unit or tiers or change or split or _continues(gap.lstrip(",、 "))):
            return None
    return _Link(alias, "before", clause_start=start)


def sentence_indicators(s, quantities: list[Quantity], paragraph: str, meta: dict, lead: str = "") -> list[dict]:
    """Indicator observations in one sentence; `lead` is the paragraph's text before it."""
    text = s.text
    aliases = find_aliases(text)
    if not aliases:
        return []
    cat = catalogue()
    values = _carry_units([q for q in quantities if q.kind in VALUE_KINDS and q.value is not None], text)
    paired = _paired(values, aliases, text)
    rows = []
    for qi, q in enumerate(values):
        link = paired.get(qi) or _beds_of_institutions(q, text) or _link(qi, values, aliases, text)
        if link is None:
            continue
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
            if _PEER.search(between):
                continue  # a figure about the nation, the province or peers is not the city's own
            if ind.kind == "standard" and q.unit == "元" and (
                    not re.search(r"标准|生活费|每人|每月", alias.text + between)
                    or (q.unit_raw in ("万元", "亿元") and "标准" not in alias.text + between)
                    or _PAID_OUT.search(text[link.clause_start: alias.start] + between)):
                continue  # money paid out under a subsidy is not its standard
            if ind.behaviour.stock_cue and link.how != "colon" and not _stock_stated(text, link, q, lead):
                continue  # "推动32家社会组织…" acts on some of them; a stock is stated as such
            if ind.behaviour.stock_cue and _not_the_stock(text, link, alias, q):
                continue  # a change of the stock, the people an action reached, or a rate per population
            status = _status(s, q, values, qi, text, int(meta["year"]) if meta.get("year") else None)
            rows.append({
                "report_id": s.report_id, "city": meta["city"], "theme": ind.theme, "indicator_id": ind_id,
                "value": round(value, 2), "unit": ind.unit, "status": status,
                "period": _period(text, q, status, meta, values, qi, ind.kind), "scope": _scope(text, alias, q, meta, values),
                "scope_detail": link.label or _detail(text, alias, q, values, ind), "qualifier": q.qualifier,
                "source_text": text, "name_zh": ind.name_zh, "raw_text": q.text, "section_id": s.section_id,
                "sentence_id": s.sentence_id, "table_id": "", "rule": f"alias {alias.text} ({link.how})",
                "char_start": s.char_start + q.start, "char_end": s.char_start + q.end, "_alias": alias.start,
                "_tier": bool(link.label),
            })
            break  # one indicator per quantity
    return _resolve_tiers_and_kinds(rows)


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
    if "、" in text[link.clause_start: min(alias.start, q.start)] and link.how != "paired":
        lo = link.clause_start  # 累计新增床位5500张、长者食堂120个: the clause's verb governs the list
    span = text[lo:hi]
    if link.how == "paired":  # a word inside the other names of the pair is theirs (…和重度残疾人护理补贴)
        for other in find_aliases(text):
            if other.start != alias.start and lo <= other.start and other.end <= hi:
                span = span[: other.start - lo] + " " * (other.end - other.start) + span[other.end - lo:]
    resets = list(_CONTINUE.finditer(span)) + list(re.finditer(r"总数|总量", span))
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


def _status(s, q: Quantity, values: list[Quantity], qi: int, text: str, year: int | None = None) -> str:
    nxt = values[qi + 1] if qi + 1 < len(values) else None
    if nxt is not None and _BASELINE_BEFORE.search(text[: q.start]) and _BASELINE_AFTER.match(text[q.end: nxt.start]):
        return "baseline"
    if s.part == "plan" or is_forward_looking(_past_targets_removed(text[: q.end], year)):
        return "planned"
    return "actual"


def _past_targets_removed(text: str, year: int | None) -> str:
    """'提高到2018年的720元' in a 2018 review is past: drop 到YYYY年 for years not after the report's."""
    if year is None:
        return text
    return re.sub(r"到\s*(20\d{2})\s*年", lambda m: "" if int(m.group(1)) <= year else m.group(0), text)


_RANGE = re.compile(r"(20\d{2})\s*年(?:\s*\d{1,2}\s*月)?\s*(?:至|到|-|~|—)\s*(20\d{2})\s*年")


_AS_OF_MONTH = re.compile(r"(?:截至|截止|截止到)\s*(?:(\d{1,2})\s*月(?:底|末)?|年底|年末)")
_COMPARED = re.compile(r"比\s*(?:(20\d{2})\s*年|“?(十[一二三四])五”?(?:期间|末|时期)?)")


def _period(text: str, q: Quantity, status: str, meta: dict, values: list[Quantity] | None = None, qi: int = 0,
            kind: str = "count") -> str:
    """What the value refers to: a span (2016年以来, 十三五期间 … 截至2018年11月), an as-of date, a
    year named before it, or the report's own period, by the kind of indicator."""
    head = text[: q.start]
    year = int(meta["year"]) if meta.get("year") else None
    if status == "baseline" and values is not None and qi + 1 < len(values) and not list(_YEAR.finditer(head[-8:])):
        cmp_ = _COMPARED.search(text[q.end:])
        if cmp_:  # …由1200元提高至1800元,比“十二五”期间提高50%
            return cmp_.group(1) or FIVE_YEAR_END[cmp_.group(2)]
        nxt = values[qi + 1]  # 由X调整为Y with no year of its own: the period of the new value
        return _period(text, nxt, _status_like(text, nxt, meta), meta, kind=kind)

    def last(rule):
        m = None
        for m in rule.finditer(head):
            pass
        return m

    rng, since, as_of, as_of_month = last(_RANGE), last(_SINCE), last(_AS_OF), last(_AS_OF_MONTH)
    if rng is not None:
        return f"{rng.group(1)}-{rng.group(2)}" if rng.group(1) != rng.group(2) else rng.group(1)
    as_of_year = as_of.group(1) if as_of is not None else (str(year) if as_of_month is not None else None)
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
            return str(meta["period"]) if str(meta.get("period", "")).startswith(as_of_year) else as_of_year
        return f"{as_of_year}-{month:02d}"
    named = last(_YEAR)
    if named is not None and not re.match(r"\s*(度|以来)", head[named.end():]):
        return named.group(1)
    if status == "planned":
        return str(meta.get("plan_period") or year or "")
    period = str(meta.get("period") or year or "")
    if re.fullmatch(r"\d{4}-\d{4}", period) and kind not in ("money", "flow"):
        # a stock or a standard in a multi-year review: as of the report's data date, else its last year
        return meta.get("as_of") if kind in ("count", "share") and meta.get("as_of") else period[-4:]
    return period


def _status_like(text: str, q: Quantity, meta: dict) -> str:
    """The status the new value of a change would get, for dating its baseline."""
    return "planned" if is_forward_looking(text[: q.end]) else "actual"


def _scope(text: str, alias: Alias, q: Quantity, meta: dict, values: list[Quantity] | None = None) -> str:
    own = clause_start(text, q.start)
    own = max([own] + [v.end for v in values or [] if own <= v.end <= q.start])
    if alias.end <= own:  # 低保对象3.6万人,其中邗江区3200人、江都区2600人: the figure's own place label
        d = _place_label(text[own: q.start], meta.get("city") or "")
        if d and not str(meta.get("city") or "").startswith(d[:2]):
            return d
    lo = min(alias.start, q.start)
    clause = text[clause_start(text, lo): q.start]
    if "市本级" in clause:
        return "市本级"
    m = _DISTRICT.search(clause)
    if m:
        d = re.sub(r"^其中", "", m.group("d"))
        city = meta.get("city") or ""
        names = d.split("、")
        if all(n not in GENERIC_PLACES and n != city and not re.search(r"[全我本各该此]", n) for n in names) and not d.endswith(("社区", "城区")) and not city.startswith(d[:2]):
            return d
    if meta.get("report_scope", "city") != "city" and "全市" not in clause:
        return meta["report_scope"]
    return "city"


def _detail(text: str, alias: Alias, q: Quantity, values: list[Quantity], ind: Indicator) -> str:
    """城市/农村, 集中/散居 or an area type (市辖区, 县(市)) when the words right before the figure or
    around the alias say so (unless the indicator itself is that split, as 集中养育孤儿… is)."""
    lo = min(alias.start, q.start)
    prev = [v for v in values if v.end <= q.start and v.start >= lo]
    own = text[prev[-1].end: q.start] if prev else ""
    near = text[max(0, alias.start - 4): alias.end]
    for words in (own, near):
        found = split_label(words, skip=ind.name_zh) or area_type(words)
        if found:
            return found
    return ""
