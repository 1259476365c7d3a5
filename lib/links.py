"""How a figure finds its name: the catalogue alias (or programme) that says what a number in a sentence is.

The nearest fitting alias before the figure in its clause, or in the clauses it continues (其中…,
总数…, 12月将提高至…, LABEL由X提高到Y); one right after it (1500张家庭养老床位); a colon's subject
(…标准调整为:城市…); lists read in order (城乡…分别X、Y; 从X、Y提高到Z、W); names joined and shared
(A和B…均X; 两补); a programme named just before generic money (发放资金) or a generic standard
(保障标准); never a standard used as another's yardstick (按照…的1.3倍). ``lib.indicators`` then
decides whether the linked figure is the indicator, and reads its status, period and scope.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from lib.catalogue import UNIT_FAMILIES, catalogue
from lib.context import GENERIC_PLACES
from lib.numbers import Quantity
from lib.structure import clause_start
from lib.wording import Alias, alias_matcher, area_type, name_start, pattern, split_label, terms, vocabulary

# 由X调整为Y: X is a baseline when these surround it; the wording of as-of dates, spans and peers.
# what stands between the old value and the new of a change (由X提高到Y, 由X下降到Y, 从X增至Y)
BASELINE_AFTER = re.compile(r"^\s*(?:元(?:/人(?:/|·)?[月年])?)?\s*(?:的基础上)?\s*(?:统一|分别|均)?\s*"
                            r"(?:(?:调整|提高|提升|增加|上调|增长|调增|下降|减少|降低|下调|回落|缩减|压减)\s*(?:了)?\s*(?:为|到|至)"
                            r"|增至|提至|降至|减至|降到|为|到|至)")


@dataclass
class Link:
    """Why a quantity is taken as an indicator: the alias, how it was linked, and a tier label."""

    alias: Alias
    how: str
    owner: str | None = None  # set when a compound alias (两项补贴标准) is split over paired figures
    label: str = ""  # a tier label (一、二级…) read after a colon
    clause_start: int = 0
    detail: str = ""  # the part a listed figure is (城乡…X、Y: 城市, 农村)
    status: str | None = None  # baseline for the first list of 从X、Y提高到Z、W
    period: str = ""  # the year a listed figure is for (2022年、2023年…分别为X、Y)
    label_at: int = -1  # where the label that chose a sibling indicator starts (how == "tier")


def _fits(alias: Alias, q: Quantity) -> bool:
    cat = catalogue()
    return any(q.unit in UNIT_FAMILIES[cat[o].unit] for o in alias.owners)


CLASSIFIERS = {"个", "名", "张", "家", "所", "处", "位", "座", "人"}


# 10706人增加316人: a verb after the measure word, not a noun saying what is counted
_JOIN = re.compile(r"^\s*(?:和|及|与|以及|、)\s*$")


# Words that let a clause continue the subject of the previous one (…1172人,其中集中供养331人).
_SPLIT_LABEL = re.compile(r"(?:其中)?(?:城市|农村|城镇|城乡|集中供养|分散供养|集中养育|社会散居|散居|集中|分散)(?:供养|养育|地区|居民|对象|人员)?")


def continue_pattern() -> re.Pattern:
    return pattern("continue", r"^\s*(?:@)")


def _yardstick_before() -> re.Pattern:
    return pattern("yardstick", r"(?:@)\s*(?:当地|全市|全县|城乡|上年度?)?\s*$")


_PLACE_LABEL = re.compile(r"\s*(?:其中)?\s*:?\s*(?P<d>[\u4e00-\u9fff]{2,3}(?:区|县|市))\s*:?\s*")


def place_label(head: str, city: str = "") -> str:
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


CLAUSE_LABEL = re.compile(r"^\s*(?P<label>[\u4e00-\u9fff()]{1,12}?)\s*(?:由|从)")


def _continues(clause_head: str) -> bool:
    """Does this clause go on about the previous clause's subject? 其中 does only into a split
    (其中集中供养331人) or a district's part (其中邗江区3200人), not into another kind of thing
    (其中社会团体3210个). A clause that only changes the value (12月将提高至…, 县(市)提高到…) does."""
    if _change_head().match(clause_head) or _LABELLED_CHANGE.match(clause_head):
        return True
    m = continue_pattern().match(clause_head)
    if m is None:
        return False
    if m.group(0).strip() != "其中":
        return True
    rest = clause_head[m.end():].lstrip(" :")
    place = re.match(r"[\u4e00-\u9fff]{2,3}(?:区|县|市)(?=\s*(?:$|[\d零一二三四五六七八九两十百千约近超逾]))", rest.strip())
    return rest.strip() == "" or _SPLIT_LABEL.match(rest) is not None or (place is not None and place_label(place.group(0)) != "")


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


def paired_links(values: list[Quantity], aliases: list[Alias], text: str) -> dict[int, Link]:
    """A和B … X和Y (or a compound alias such as 两项补贴标准 … X和Y): the k-th figure takes the k-th name."""
    links: dict[int, Link] = {}
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
                links[qi] = Link(last, "paired", owner=last.owners[k], clause_start=clause_start(text, last.start))
            continue
        run = [last]
        for a in reversed(before[:-1]):
            # 机构养育孤儿和社会散居孤儿基本生活…标准: the second name begins at 社会散居孤儿, not at its head
            if _JOIN.match(text[a.end: name_start(run[0], text, a.end)]) and a.owners != run[0].owners:
                run.insert(0, a)
            else:
                break
        if len(run) == len(g):
            for a, qi in zip(run, g):
                links[qi] = Link(a, "paired", clause_start=clause_start(text, run[0].start))
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


def list_links(values: list[Quantity], aliases: list[Alias], text: str) -> dict[int, list[Link]]:
    """城乡低保标准分别达到X、Y (城市, 农村 in that order, as the words before the list say), and
    从X、Y提高到Z、W: the first list is the old values, the second the new, paired by order."""
    links: dict[int, list[Link]] = {}
    runs = _runs(values, text)
    heads = vocabulary("pair_head")
    for n, run in enumerate(runs):
        if run[0] in links:
            continue
        first = link(run[0], values, aliases, text) or programme_standard(values[run[0]], text)
        if first is None or first.how == "colon":
            continue
        lo = max(0, min(first.alias.start, first.clause_start) - 8)
        found = [m for m in _pair_heads().finditer(text, lo, values[run[0]].start)]
        labels = next((heads[m.group(0)].split("|") for m in reversed(found) if len(heads[m.group(0)].split("|")) == len(run)), None)
        if labels is None:
            years = _listed_years(text, first.alias, values[run[0]])
            if len(years) == len(run):
                for k, qi in enumerate(run):
                    links[qi] = [Link(first.alias, "listed", clause_start=first.clause_start, period=years[k])]
            continue
        nxt = runs[n + 1] if n + 1 < len(runs) else None
        changed = nxt is not None and len(nxt) == len(run) and _CHANGE_BETWEEN.match(text[values[run[-1]].end: values[nxt[0]].start])
        for k, qi in enumerate(run):
            links[qi] = [Link(first.alias, "listed", clause_start=first.clause_start, detail=labels[k],
                               status="baseline" if changed else None)]
        if changed:
            for k, qi in enumerate(nxt):
                links[qi] = [Link(first.alias, "listed", clause_start=first.clause_start, detail=labels[k])]
    return links


_YEAR_LIST = re.compile(r"(20\d{2})\s*年?(?:\s*(?:、|和|及|与)\s*(20\d{2})\s*年?)+")


def _listed_years(text: str, alias: Alias, q: Quantity) -> list[str]:
    """2022年、2023年,全省…标准分别为X、Y: the years the listed figures are for, in order (the list opens
    the sentence or the clause before the name, and 分别 comes between the name and the figures)."""
    if "分别" not in text[alias.end: q.start]:
        return []
    sentence = max(text.rfind(stop, 0, alias.start) for stop in "。!?") + 1  # a ;-part shares its sentence's years
    found = list(_YEAR_LIST.finditer(text, sentence, alias.start))
    if not found:
        return []
    return re.findall(r"20\d{2}", found[-1].group(0))


_JOINED_NAMES = re.compile(r"\s*(?:和|及|与|以及|、)\s*(?:城乡|城市|农村)?\s*")  # …标准、城乡重度…标准


_SHARED = re.compile(r"^[^,;。\d]{0,6}?(?:均|都|统一|同步)")  # 标准提标后均达到


def shared_links(values: list[Quantity], aliases: list[Alias], text: str) -> dict[int, list[Link]]:
    """A和B标准均从X提高到Y: every figure of the clause is each named indicator's."""
    links: dict[int, list[Link]] = {}
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
                links[qi] = [Link(x, "shared", clause_start=clause_start(text, run[0].start)) for x in run]
    return links


@lru_cache(maxsize=1)
def _generic_money() -> re.Pattern:
    """发放资金, 累计支出资金, 当月共发放资金, 发放救助金额: money with no programme named in it."""
    return re.compile(rf"(?:{terms('payout_verb')})\s*(?:了)?\s*(?:(?:{terms('generic_money')})\s*(?:共计|合计|共|达到|达|为)?)?\s*$")


@lru_cache(maxsize=1)
def _generic_money_word() -> re.Pattern:
    return re.compile(terms("generic_money"))


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


def programme_standard(q: Quantity, text: str) -> Link | None:
    """A standard named only as 保障标准 is the standard of the programme the sentence last names
    (城乡低保…,月人均保障标准…X元); a programme with no catalogue standard stops it."""
    own = clause_start(text, q.start)
    prefix = re.match(r"\D*", q.text).group(0)  # 每人每月标准260元: the word may sit inside the figure's prefix
    generic = _GENERIC_STANDARD.search(text[own: q.start] + prefix)
    if generic is None and q.unit in _ALLOWANCE_UNITS and _PER_PERSON_CHANGE.search(text[own: q.start]):
        generic = _PER_PERSON_CHANGE.search(text[own: q.start])
    if not q.unit.startswith("元") or generic is None:
        return None
    # the programme before the generic word: in its own clause (分散供养五保对象月保障标准从…), else the last
    # one named earlier in the sentence (城市特困人员74人,发放基本生活补助…,补助标准为每人每月…)
    sentence = max(text.rfind(stop, 0, own) for stop in "。;!?") + 1
    found = list(_programme_standards().finditer(text, sentence, min(own + generic.start(), q.start)))
    if not found or not vocabulary("programme_standard")[found[-1].group(0)]:
        return None
    m = found[-1]
    return Link(Alias(m.start(), m.end(), m.group(0), [vocabulary("programme_standard")[m.group(0)]]), "programme",
                 clause_start=clause_start(text, m.start()),
                 detail=split_label(text[max(0, m.start() - 4): m.end() + 2]) or area_type(text[m.start(): q.start]))


def programme_money(q: Quantity, text: str, lead: str, heading: str) -> Link | None:
    """Generic money (…,发放救助金977.1万元) is the money of the programme the text was just talking
    about: the last programme named before it in the sentence, else in the sentence before it,
    else in the section heading. A programme with no catalogue money (特困, 医疗救助) stops it."""
    own = clause_start(text, q.start)
    generic = _generic_money().search(text[own: q.start]) if q.unit == "元" else None
    if generic is None:
        return None
    before = text[: own + generic.start()]  # 高龄津贴1496人、累计发放资金…: a programme in the clause itself counts
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
        return Link(Alias(start, start + len(m.group(0)) if offset is not None else q.start, m.group(0), [owner]),
                     "programme", clause_start=clause_start(text, q.start), detail=detail)
    return None


_MONEY_BEFORE = re.compile(r"(?:金|资金|款|经费|费用|支出|发放)\s*(?:共|达|为|约)?\s*$")


def carry_units(values: list[Quantity], text: str) -> list[Quantity]:
    """每人每月1050元和850元, 由每人每年9000元提高到10200元: the second figure is in the first's unit;
    支出低保金3347万: a bare 万/亿 right after a money word is 元."""
    out = [dataclasses.replace(q, unit="元") if not q.unit and q.unit_raw in ("万", "亿") and _MONEY_BEFORE.search(text[: q.start])
           else q for q in values]
    for i in range(1, len(out)):
        prev, q = out[i - 1], out[i]
        gap = text[prev.end: q.start]
        if q.unit == "元" and prev.unit.startswith("元/") and (_JOIN.match(gap) or BASELINE_AFTER.match(gap)):
            out[i] = dataclasses.replace(q, unit=prev.unit)
    return out


# "养老机构156家,床位2.8万张": the beds of the institutions just counted.
_BEDS_AFTER_INSTITUTIONS = re.compile(r"养老机构(?:数)?(?:达到|达|共|共有)?\s*(?:近|约|超过|超|逾)?[\d.]+(?:余|多)?万?(?:余|多)?\s*[家个所]\s*[,、]\s*(?:床位|床位数)(?:达到|达|共|共有)?\s*$")


def beds_of_institutions(q: Quantity, text: str) -> Link | None:
    m = _BEDS_AFTER_INSTITUTIONS.search(text[: q.start])
    if m is None or q.unit != "张":
        return None
    start = text.rfind("床位", m.start(), q.start)
    return Link(Alias(start, start + 2, "床位", ["care_beds"]), "after institutions", clause_start=clause_start(text, m.start()))


def _household_pair(a: Quantity, b: Quantity) -> bool:
    """N户M人: households then the people in them, one count in two units."""
    return a.unit == "户" and b.unit in ("人", "名")


def link(qi: int, values: list[Quantity], aliases: list[Alias], text: str, pairs: bool = True) -> Link | None:
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
    if pairs and qi + 1 < len(values) and text[q.end: values[qi + 1].start].strip() in ("", "、", ",") \
            and _household_pair(q, values[qi + 1]):
        after = link(qi + 1, values, aliases, text, pairs=False)  # 14035户25559人享受城乡低保, 862户、1047名…
        if after is not None and after.how == "after":
            return after
    if pairs and qi and text[values[qi - 1].end: q.start].strip() == "," and _household_pair(values[qi - 1], q):
        before = link(qi - 1, values, aliases, text, pairs=False)  # 城市低保对象2522户,6708人: a comma in the pair
        if before is not None:
            return before
    if q.unit in CLASSIFIERS and re.match(r"[\u4e00-\u9fff]", nxt) and not pattern("verb_after").match(text, q.end) \
            and nxt not in "和与及或":  # 64850人和农村低保的…: a conjunction, not the noun counted
        cut = re.search(r"[,;。、:()“”\"《]", text[q.end:])
        noun_end = q.end + (cut.start() if cut else len(text) - q.end)
        inside = [a for a in aliases if q.end <= a.start and a.end <= noun_end and a.start - q.end <= 12]
        if not inside or pattern("subset_action").search(text[inside[0].end: noun_end]):
            return None  # counts something else, or those of them that did something (a subset)
        return Link(inside[0], "after", clause_start=clause_start(text, q.start))
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
            return Link(head, "colon", label="", clause_start=clause_start(text, q.start))
        split = split_label(label)
        if split and not re.search(r"级|档|类", label):  # 城市特困人员 under …标准: the urban part, not a tier
            return Link(head, "colon", detail=split, clause_start=clause_start(text, head.start))
        return Link(head, "colon", label=label, clause_start=clause_start(text, head.start))
    return _named_in_clause(qi, values, aliases, text, start)


# A clause that is only a predicate (…,为每人每月1430元) states the value of the previous clause's subject.
_PREDICATE_ONLY = re.compile(r"^\s*(?:即|为|是|均为|标准为)\s*(?:每人每月|每人每年|每月|每年)?\s*$")


# A yardstick inside that subject's clause (按…的1.3倍, 参照…, 不低于…): its alias is not the subject.
_PROPORTION_AFTER = re.compile(r"\s*(?:的)?\s*(?:[\d.]+(?:\s*[-~—至到]\s*[\d.]+)?\s*(?:倍|%)|[一二三四五六七八九十]+成|一定比例|比例)")
_MULTIPLE_AFTER = re.compile(r"\s*的\s*[\d.]+(?:\s*[-~—至到]\s*[\d.]+)?\s*倍")


def _is_yardstick(alias: Alias, text: str) -> bool:
    """按照城乡低保标准的1.3倍, 为低保标准的2-6倍: a standard named only as the measure of another,
    never a subject (a multiple of it is always a measure, whatever word comes before)."""
    return ((_yardstick_before().search(text, max(0, alias.start - 6), alias.start) is not None
             and _PROPORTION_AFTER.match(text, alias.end) is not None)
            or _MULTIPLE_AFTER.match(text, alias.end) is not None)


def _aside(alias: Alias, text: str, end: int) -> bool:
    """低保的家庭(包括农村五保户)共有…人: a name inside a bracket closed before the figure is an aside
    about the noun before it, not the figure's subject."""
    gap = text[alias.end: end]
    return gap.count(")") > gap.count("(")


def _named_in_clause(qi: int, values: list[Quantity], aliases: list[Alias], text: str, start: int) -> Link | None:
    """The nearest fitting alias before values[qi] in its clause, or in the clauses it continues."""
    q = values[qi]
    alias = None
    subject_only = False
    while alias is None:
        inside = [a for a in aliases if start <= a.start and a.end <= q.start]
        if subject_only:  # …标准按不低于低保标准的1.3倍确定,为每人每月1430元: the subject, not the yardstick
            yardstick = pattern("yardstick").search(text, start, q.start)
            inside = [a for a in inside if yardstick is None or a.end <= yardstick.start()]
        inside = [a for a in inside if not _is_yardstick(a, text) and not _aside(a, text, q.start)]
        for cand in reversed(inside):
            if _fits(cand, q):
                alias = cand
                break
            if re.fullmatch(r"\s*(数|为|达|是)?\s*", text[cand.end: q.start]):
                return None  # the figure belongs to the alias right before it, whose unit differs
        if alias is None:
            predicate = _PREDICATE_ONLY.match(text[start: q.start]) is not None and not subject_only
            head = text[start: min([v.start for v in values if start <= v.start < q.start] + [q.start])]
            if start == 0 or not (predicate or _continues(text[start: q.start]) or _LABELLED_CHANGE.match(head)
                                  or _split_after_split(text, start, q.start)):
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
        change = BASELINE_AFTER.match(gap) is not None
        split = _SPLIT_LABEL.fullmatch(gap.strip(" 、,")) is not None  # …其中集中供养331人、分散供养845人
        split = split or (between[-1].unit == q.unit and place_label(gap) != "")  # …、江都区2600人
        if not (multi_unit or tiers or change or split or _continues(gap.lstrip(",、;: "))):
            return None
    return Link(alias, "before", clause_start=start)


@lru_cache(maxsize=1)
def _tier_label() -> re.Pattern:
    # the label, then at most 的, a predicate and the per-person words, right before the figure
    return re.compile(rf"({terms('tier_indicator')})\s*(?:的)?\s*(?:标准)?\s*(?:为|达到|达|提高到|提高至|调整为|调整到|"
                      r"上调至|上调到)?\s*(?:每人每[月年]|每月|月人均)?\s*$")


def tier_link(lk: Link, q: Quantity, text: str) -> Link:
    """孤儿基本生活保障标准集中养育每人每月1800元、社会散居每人每月1400元: a standard shared by sibling
    indicators (one of whose names it is) and a label right before the figure that picks one of them
    (``tier_indicator``: the same theme and unit as the standard named). Any other link is returned as is."""
    if lk.alias.end > q.start or len(set(lk.alias.owners)) != 1:
        return lk
    item = max([lk.alias.end] + [text.rfind(ch, lk.alias.end, q.start) + 1 for ch in "、,;:"])
    m = _tier_label().search(text, item, q.start)
    if m is None or m.end() != q.start:
        return lk
    cat = catalogue()
    named, target = cat[lk.alias.owners[0]], cat[vocabulary("tier_indicator")[m.group(1)]]
    if named.kind != "standard" or target.theme != named.theme or target.unit != named.unit:
        return lk
    return Link(lk.alias, "tier", owner=target.indicator_id, clause_start=lk.clause_start, status=lk.status,
                label_at=m.start())


def links(values: list[Quantity], aliases: list[Alias], text: str, lead: str = "", heading: str = "") -> list[list[Link]]:
    """The links of every figure of a sentence (an empty list: nothing names it). A figure may have
    several: a joint or shared name gives it to each indicator it names."""
    listed = {**list_links(values, aliases, text), **shared_links(values, aliases, text)}
    paired = paired_links(values, aliases, text)
    out: list[list[Link]] = []
    previous: list[Link] = []
    for qi, q in enumerate(values):
        named = link(qi, values, aliases, text)
        if named is not None and not any(catalogue()[o].kind == "standard" for o in named.alias.owners) \
                and _GENERIC_STANDARD.search(text[clause_start(text, q.start): q.start]):
            named = programme_standard(q, text) or named  # 城乡低保由原来保障标准590元…: a standard, not money
        found = listed.get(qi) or [paired.get(qi) or beds_of_institutions(q, text) or named
                                   or programme_money(q, text, lead, heading) or programme_standard(q, text)]
        found = [tier_link(x, q, text) for x in found if x is not None]
        if not found and qi and previous and BASELINE_AFTER.match(text[values[qi - 1].end: q.start]):
            found = previous  # 城市特困人员由每人每月900元提高到930元: the new value is the old one's
        previous = found
        out.append(found)
    return out
