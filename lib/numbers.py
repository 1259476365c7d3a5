"""Find and parse every quantitative mention in (normalised) Chinese civil-affairs report text.

A wrong number on a chart is the worst failure this project can make, so every rule here errs
towards *missing* a figure rather than *inventing* one:

* Chinese numerals count only when a measure word follows (三家 yes, 一是 / 十三五 / 一事一议 no),
  never as a lone 一 or 二 (一件事, 二次装修 are idioms, real counts use 两), never after 数/几/上
  (数十万 is not 十万), and never inside quotes or book titles (“两个覆盖”, 《…(2016-2018)》).
* Arabic numerals glued to letters, '+', '/' or IDs with leading zeros (3A级, 4+2+N, 001008…/2025-00104)
  or followed by a name word (92762部队, 12345热线, 1619项目) are names, not figures.
* Years and dates (2024年, 2018年11月, 6月4日, 2019-02-26) are kinds of their own, never quantities.

Text is assumed normalised (full-width ASCII folded to ASCII: ，→, ％→% …; see lib.normalize).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lib.errors import NumberParseError

__all__ = [
    "Quantity",
    "UnitConversionError",
    "parse_number",
    "find_quantities",
    "convert",
    "split_unit",
    "canonical_unit",
    "CANONICAL_UNITS",
    "QUALIFIERS",
    "KINDS",
]

QUALIFIERS = ("exact", "approx", "at_least", "at_most")
KINDS = ("quantity", "percent", "permille", "year", "date", "age", "ordinal", "range")


class UnitConversionError(NumberParseError):
    """Two units measure different things (人次 vs 人), so no factor turns one into the other."""


# ---------------------------------------------------------------------------------------------
# parse_number
# ---------------------------------------------------------------------------------------------
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "两": 2}
_SMALL_UNIT = {"十": 10, "百": 100, "千": 1000}
_BIG_UNIT = {"万": 10 ** 4, "亿": 10 ** 8}

_PLAIN_AR = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_TOKEN = re.compile(
    r"(?P<ar>(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?)"
    r"|(?P<cd>[零〇一二三四五六七八九两])(?P<frac>点[零〇一二三四五六七八九]+)?"
    r"|(?P<su>[十百千])"
    r"|(?P<bu>[万亿])"
)
_ONLY_CN = re.compile(r"[零〇一二三四五六七八九两十百千万亿点]+")


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _parse_mixed(s: str) -> Decimal:
    """Section-by-section reading of 三千五百万 / 5.68亿 / 3万2千 / 一万零五 / 二〇二四 (strict)."""
    toks = []
    pos = 0
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            break
        pos = m.end()
        toks.append(m)
    if pos != len(s) or not toks:
        raise NumberParseError(f"not a number: {s!r}")

    # 二〇二四 / 一〇一: digit-by-digit only when a 〇/零 shows it is positional. 两三 / 三四 are
    # "two or three", never 23 or 34, so other digit strings are refused.
    if len(toks) > 1 and all(t.group("cd") and not t.group("frac") for t in toks):
        if "两" in s or not ("〇" in s or "零" in s):
            raise NumberParseError(f"ambiguous digit string: {s!r}")
        return Decimal("".join(str(_CN_DIGIT[t.group("cd")]) for t in toks))

    total = Decimal(0)      # finished 亿 groups
    section = Decimal(0)    # finished 万 part of the current 亿 group
    small = Decimal(0)      # current part below 万
    num = None              # pending digit(s)
    num_arabic = False
    num_text = ""
    last_small = 10 ** 5    # small units must fall: 千 > 百 > 十
    wan_seen = yi_seen = False
    prev_unit = None        # value of the unit just before the pending number
    zero_gap = False
    for t in toks:
        if t.group("ar") is not None or t.group("cd") is not None:
            if t.group("cd") in ("零", "〇") and not t.group("frac") and (num is None) and (
                    small or section or total):
                zero_gap = True
                continue
            if num is not None:
                raise NumberParseError(f"two numbers in a row: {s!r}")
            if t.group("ar") is not None:
                num, num_arabic, num_text = _dec(t.group("ar")), True, t.group("ar")
            else:
                frac = t.group("frac")
                d = _CN_DIGIT[t.group("cd")]
                num = Decimal(f"{d}.{''.join(str(_CN_DIGIT[c]) for c in frac[1:])}") if frac else Decimal(d)
                num_arabic, num_text = False, t.group(0)
            continue
        zero_gap_here = zero_gap
        zero_gap = False
        if t.group("su") is not None:
            u = _SMALL_UNIT[t.group("su")]
            if num is None:
                if u == 10 and (small == 0 or zero_gap_here):
                    num = Decimal(1)   # 十五, 二十万零十
                else:
                    raise NumberParseError(f"unit without a digit: {s!r}")
            if u >= last_small:
                raise NumberParseError(f"units out of order: {s!r}")
            small += num * u
            last_small = u
            num = None
            prev_unit = u
            continue
        # big unit
        u = t.group("bu")
        if u == "万":
            group = small + (num or 0)
            if group == 0 or wan_seen:
                raise NumberParseError(f"misplaced 万: {s!r}")
            section += group * 10 ** 4
            wan_seen = True
            prev_unit = 10 ** 4
        else:
            group = section + small + (num or 0)
            if group == 0 or yi_seen:
                raise NumberParseError(f"misplaced 亿: {s!r}")
            total = group * 10 ** 8
            yi_seen = True
            section = Decimal(0)
            wan_seen = False
            prev_unit = 10 ** 8
        small = Decimal(0)
        num = None
        last_small = 10 ** 5

    if num is not None:
        if prev_unit is not None and not zero_gap:
            if num_arabic:
                # 1万5000 fills every place below 万; 3万2 is ambiguous (32000? 30002?) and refused.
                places = len(str(prev_unit)) - 1
                if "." in num_text or len(num_text) != places:
                    raise NumberParseError(f"ambiguous trailing number: {s!r}")
            else:
                # Colloquial 三万五 = 35000, 一百五 = 150.
                if prev_unit == 10:
                    pass
                else:
                    num = num * (prev_unit // 10)
        elif prev_unit is not None and zero_gap and num >= prev_unit:
            raise NumberParseError(f"number after 零 too large: {s!r}")
        small += num
    return total + section + small


def parse_number(span: str) -> float:
    """The value of one isolated numeral span: 1,234.5 / 一千二百 / 两 / 5.68亿 / 3万2千 / 零.

    Strict on purpose: anything that is not plainly one number (empty, nan, 两三, 三四, 3万2, 百,
    units out of order) raises NumberParseError rather than guessing. Pure Chinese spans are also
    read by cn2an and must agree with our own reading.
    """
    if not isinstance(span, str):
        raise NumberParseError(f"not a string: {span!r}")
    s = span.strip()
    if not s:
        raise NumberParseError("empty span")
    if _PLAIN_AR.fullmatch(s):
        value = float(s.replace(",", ""))
    else:
        sign = 1
        if s[0] in "+-":
            sign = -1 if s[0] == "-" else 1
            s = s[1:]
        try:
            dec = _parse_mixed(s)
        except (InvalidOperation, ValueError, KeyError, ArithmeticError) as e:
            if isinstance(e, NumberParseError):
                raise
            raise NumberParseError(f"not a number: {span!r}") from e
        if _ONLY_CN.fullmatch(s) and len(s) > 1:
            import cn2an  # slow to import (~0.2 s); only pure-Chinese numerals need the cross-check

            try:
                other = cn2an.cn2an(s, "smart")
            except Exception:  # cn2an refuses some valid forms (e.g. 万 after 零); ours stands
                other = None
            if other is not None and Decimal(str(other)) != dec:
                raise NumberParseError(f"ambiguous Chinese numeral {span!r}: {dec} vs cn2an {other}")
        value = sign * float(dec)
    if not math.isfinite(value):
        raise NumberParseError(f"not finite: {span!r}")
    return value


# ---------------------------------------------------------------------------------------------
# units
# ---------------------------------------------------------------------------------------------
# Measure words recognised after a number, longest first. A lookahead keeps a measure word from
# eating the start of an ordinary word (户籍, 人民币, 项目, 对象, 支持 …).
_UNIT_WORDS = [
    ("个百分点", ""), ("百分点", ""), ("平方米", ""), ("平方公里", ""), ("平米", ""), ("公里", ""),
    ("千米", ""), ("人次", ""), ("户次", ""), ("场次", ""), ("家次", ""), ("个月", ""), ("小时", ""),
    ("分钟", ""), ("周岁", ""), ("周年", ""), ("大类", ""), ("季度", ""), ("部门", ""),
    ("人", "(?!民币)"), ("名", "(?!称|义|单|额|次|录|片)"), ("位", "(?!于|置)"),
    ("户", "(?!籍|口|外|型|主|数)"), ("张", ""), ("个", "(?!体|性|别)"),
    ("家", "(?!庭|属|长|政|乡|门|园)"), ("场", "(?!所|地|景|馆)"), ("宗", ""),
    ("对", "(?!象|接|口|于|标|照|比|外|台|话|待)"), ("次", "(?!数|要|生)"),
    ("所", "(?!有|在|属|以|得|需|谓)"), ("座", "(?!谈)"), ("条", "(?!件|例)"), ("项", "(?!目)"),
    ("件", ""), ("辆", ""), ("亩", ""), ("岁", ""), ("㎡", ""), ("m²", ""), ("米", ""), ("吨", ""),
    ("天", "(?!然|地)"), ("年", "(?!度|级|代|龄|份|底|初|末|轻|前)"), ("本", "(?!级|市|地|区|年|次|着|身|质)"),
    ("册", ""), ("份", ""), ("台", "(?!湾|胞|账|阶)"), ("套", ""), ("批", "(?!准|复|示|评|次)"),
    ("类", "(?!型|似)"), ("例", ""), ("起", "(?!草|来|步|诉|点|到)"),
    ("处", "(?!理|置|于|室|级|长)"), ("间", "(?!接|隔)"), ("栋", ""), ("幢", ""),
    ("支", "(?!持|出|付|部|撑)"), ("期", "(?!间|限|待|末|初|中|望)"), ("倍", ""), ("床", "(?!位)"),
    ("餐", "(?!厅|桌)"), ("单", "(?!位|元|独|一|据)"), ("篇", ""), ("届", ""), ("批次", ""), ("棵", ""), ("株", ""), ("具", "(?!有|体|备)"),
]
_UNIT_WORDS.sort(key=lambda p: -len(p[0]))
# Money, optionally per person / household / bed and per month / year: 元/人/月, 元/人·月, 元/年.
_MONEY = r"元(?:[ \n]?(?:[/·•・]\.?|(?<=人)\.)[ \n]?(?:人次|人月|人年|月人|年人|人|户|床|张|月|年|天|日|次|平方米|㎡))*(?!旦|素|化|宵|器|老)"
_UNIT = "|".join([_MONEY, "%", "‰"] + [re.escape(w) + la for w, la in _UNIT_WORDS])

# Raw measure word -> `unit` field. 名/位/场 stay themselves (CANONICAL_UNITS folds them).
_UNIT_NORMAL = {"㎡": "平方米", "m²": "平方米", "平米": "平方米", "千米": "公里", "周岁": "岁",
                "个百分点": "百分点"}
# Units that count the same thing; convert() treats them as identical.
CANONICAL_UNITS = {"名": "人", "位": "人", "场": "场次", "周岁": "岁", "㎡": "平方米", "m²": "平方米",
                   "平米": "平方米", "千米": "公里", "个百分点": "百分点"}

_MULT_PREFIX = {"十万": 10 ** 5, "百万": 10 ** 6, "千万": 10 ** 7, "万亿": 10 ** 12, "十亿": 10 ** 9,
                "百亿": 10 ** 10, "千亿": 10 ** 11, "万": 10 ** 4, "亿": 10 ** 8, "千": 10 ** 3,
                "百": 100, "十": 10}
_SUBJECTS = ("人次", "人", "户", "床", "张", "平方米", "㎡")
_PERIODS = {"月": "月", "年": "年", "天": "日", "日": "日", "次": "次"}


def _norm_unit(raw: str) -> str:
    """元/人·月 -> 元/人/月 (subject before period); ㎡ -> 平方米; 周岁 -> 岁."""
    raw = raw.replace("\n", "").replace(" ", "")
    if raw.startswith("元") and len(raw) > 1:
        parts = [p for p in re.split(r"[/·•・.]", raw[1:]) if p]
        parts = [x for p in parts for x in (list(p) if p in ("人月", "人年", "月人", "年人") else [p])]  # 元/人年
        subj = [("平方米" if p == "㎡" else p) for p in parts if p in _SUBJECTS]
        per = [_PERIODS[p] for p in parts if p in _PERIODS]
        return "/".join(["元"] + subj + per)
    return _UNIT_NORMAL.get(raw, raw)


def canonical_unit(unit: str) -> str:
    """The unit that counts the same thing: 名/位 -> 人, 场 -> 场次, 元/人·年 -> 元/人/年."""
    u = _norm_unit(unit)
    return CANONICAL_UNITS.get(u, u)


def split_unit(unit_raw: str) -> tuple[float, str]:
    """(multiplier, normalised unit) of a written unit: 万元 -> (10000, 元); 万人次 -> (10000, 人次).

    Useful for table headers such as 城市低保享受人数(万人).
    """
    u = unit_raw.strip()
    for p in sorted(_MULT_PREFIX, key=len, reverse=True):
        if u.startswith(p) and u != p and not u.startswith("百分") and not u.startswith("千米"):
            return float(_MULT_PREFIX[p]), _norm_unit(u[len(p):])
        if u == p:
            return float(_MULT_PREFIX[p]), ""
    return 1.0, _norm_unit(u)


def convert(value: float, unit: str, target_unit: str) -> float:
    """value in `unit` expressed in `target_unit`: 元/人/年 -> 元/人/月 divides by 12, 万元 -> 元
    multiplies by 10000, 名 -> 人 is identity. Raises UnitConversionError for 人次 -> 人 and the like:
    person-times are not persons, and no factor makes them so."""
    f1, u1 = split_unit(unit)
    f2, u2 = split_unit(target_unit)
    u1, u2 = CANONICAL_UNITS.get(u1, u1), CANONICAL_UNITS.get(u2, u2)
    v = value * f1
    if u1 == u2:
        return v / f2
    pair = {("%", "‰"): 10.0, ("‰", "%"): 0.1, ("公里", "米"): 1000.0, ("米", "公里"): 0.001}
    if (u1, u2) in pair:
        return v * pair[(u1, u2)] / f2
    if u1.startswith("元") and u2.startswith("元"):
        p1, p2 = u1.split("/"), u2.split("/")
        # same subject(s), period 年 <-> 月 only
        if p1[:-1] == p2[:-1] and {p1[-1], p2[-1]} == {"年", "月"}:
            return (v / 12 if p1[-1] == "年" else v * 12) / f2
    raise UnitConversionError(f"cannot convert {unit!r} to {target_unit!r}")


# ---------------------------------------------------------------------------------------------
# Quantity and find_quantities
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quantity:
    """One quantitative mention. `text` == source[start:end] and includes qualifier and unit.

    value: the number with 万/亿/千 applied (5.68亿元 -> 568000000.0, unit 元, unit_raw 万元…).
    Ranges (1-2名, 80-89周岁, 2016-2018年) carry low/high and value == low: the figure the text
    guarantees, so a chart that ignores `high` under-states rather than invents.
    year: value is the year (low/high for 2016-2018年). date: value is yyyymmdd with missing parts
    0 (2024年12月 -> 20241200, 6月4日 -> 604). ordinal: value is the rank (第6 -> 6, 首位 -> 1).
    """

    start: int
    end: int
    text: str
    value: float
    low: float | None
    high: float | None
    unit: str
    unit_raw: str
    qualifier: str
    kind: str


_Q_APPROX = ("大约", "约为", "约合", "约", "将近", "接近", "近", "左右", "上下")
_Q_LEAST = ("超过", "超出", "超", "逾", "不少于", "不低于", "至少", "突破", "及以上", "以上", "多", "余", "有余")
_Q_MOST = ("不足", "不到", "不超过", "不高于", "最高", "至多", "最多", "及以下", "以下", "以内", "之内")
_QUAL = {w: "approx" for w in _Q_APPROX}
_QUAL.update({w: "at_least" for w in _Q_LEAST})
_QUAL.update({w: "at_most" for w in _Q_MOST})

_PRE = "大约|约为|约合|约|将近|接近|近|超过|超出|超|逾|不少于|不低于|至少|突破|不足|不到|不超过|不高于|最高|至多|最多"
_SUF = "及以上|以上|及以下|以下|以内|之内|左右|上下|有余"
# A thousands separator: groups of exactly three digits, at most six of them (10^21), taken whole
# (possessive: a run of ,000 that ends badly is not retried group by group). The bound keeps the
# work at each start position constant, so a long run of ,000 costs linear time, not quadratic.
_AR = r"(?:\d{1,3}(?:,\d{3}){1,6}+(?![\d,])|\d+)(?:\.\d+)?"
_ARN = _AR + r"(?:[十百千万亿]+(?:" + _AR + r"[十百千万亿]+)*(?:" + _AR + r")?)?"
_CN = r"[零〇一二三四五六七八九两十百千万亿]+(?:点[零〇一二三四五六七八九]+[万亿]?)?"
_NUM = f"(?:{_ARN}|{_CN})"
_CM = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"          # month, Arabic or Chinese
_CDAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_YR = r"(?:19|20)\d{2}"

_MASTER = re.compile(
    # Cheap first-character gate: most positions in a report cannot start a figure.
    r"(?=[\d零〇一二三四五六七八九两十百千万亿第首每大约将接近超逾不至突最])(?:"
    # 2019-02-26 11:05, 2024.12.31
    rf"(?P<dfull>(?P<fy>{_YR})(?P<fs>[-/.])(?P<fm>\d{{1,2}})(?P=fs)(?P<fd>\d{{1,2}})(?![\d.])"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?)"
    # 2016-2018年, 2016年至2018年, (2021-2035)
    rf"|(?P<yr>(?P<ya>{_YR})[ ]?(?:年[ ]?)?[-~—至到][ ]?(?P<yb>{_YR})(?:[ ]?年度?)?(?![\d.])"
    rf"(?![ ]?(?:{_UNIT}|[万亿千百十]|年)))"
    # 2024年, 2024年度, 2024年12月, 2024年1-6月, 2018年11月30日, 二〇二四年
    rf"|(?P<ymd>(?P<y>{_YR}|[〇零一二三四五六七八九]{{4}})[ ]?年(?:(?P<ym>[ ]?{_CM}(?:[-~至]{_CM})?[ ]?月份?)"
    rf"(?:(?P<yd>[ ]?{_CDAY})[ ]?[日号])?|度)?)"
    # 6月4日, 8月, 1-6月, 一月份
    rf"|(?P<md>(?P<mm>{_CM})(?:[-~至](?P<mm2>{_CM}))?[ ]?月份?(?:[ ]?(?P<mdd>{_CDAY})[ ]?[日号])?"
    r"|(?P<dday>\d{1,2})[ ]?日(?!常|益|前|后|内|均|用|间|夜|报|志|程|趋|渐|臻))"
    # 第6, 第一名, 第十五次, 首位
    r"|(?P<ord>第[ ]?(?P<on>\d+|[零〇一二三四五六七八九两十百千]+)"
    r"(?P<ou>名|位|批|次|届|轮|期|个|类|条|款|项|季度|号|章|节|阶段|档|级|家|年|天|周|部分)?|首位)"
    # 百分之五十, 千分之三
    rf"|(?P<pc>(?P<pcw>百分之|千分之)(?P<pcn>{_AR}|{_CN}))"
    # the general quantity, with optional 每人每月 prefix, qualifier, range, 多/余, unit, suffix
    r"|(?P<q>"
    r"(?:(?P<per>每(?:人|户|床)每(?:月|年|天|日)|每(?:月|年|天|日)每(?:人|户|床)|每(?:人|户|床|月|年|天|日|平方米))"
    r"[^\d\s,.;:、。!?()“”《》]{0,4}?)?"
    rf"(?P<pre>{_PRE})?"
    rf"(?P<n1>{_NUM})(?!\d)(?![ ]?[月日号])"
    rf"(?:(?P<u1>[ ]?(?:{_UNIT}))?[ ]?(?P<sep>[-~—至])[ ]?(?P<n2>{_NUM}))?"
    r"(?P<inf>多|余)?"
    r"(?P<mult>(?<=[多余])(?:十万|百万|千万|万|亿))?"
    r"(?P<inf2>(?<=[万亿])(?:多|余))?"
    rf"(?P<unit>[ ]?(?:{_UNIT}))?"
    rf"(?P<suf>{_SUF})?"
    r"))"
)

_QUOTED = re.compile(r"“[^“”\n]{0,40}”|‘[^‘’\n]{0,40}’|《[^《》\n]{0,100}》|「[^「」\n]{0,40}」|\"[^\"\n]{0,40}\"")
_NAME_AFTER = re.compile(r"\s*(?:服务)?(?:热线|部队|集团军|医院|年代|工程|项目|计划|行动|号|平台|专线|系统|模式|格局|机制|体系|"
                         r"工作法|战略|方案|品牌|服务圈|生活圈|阵地|讲堂)")
_NAME_BEFORE = re.compile(r"(?:图|表|附件|附表|编号|序号|代码|文号|电话|号码)[ ]?$")
_SLOGAN = re.compile(r"[两三四五六七八九十]个(?:意识|自信|维护|确立|全面|覆盖|着力|务必|坚持|必须|代表|一|倾向|提升)"
                     r"|八项规定|三会一课|两学一做|三重一大|五位一体")
_CJK = re.compile(r"[\u3400-\u9fff]")
_MEETING = re.compile(r"(?:全会|全体会议|会议|党代会|代表大会|人大|常委会|政协)")
_LEADING_ZERO = re.compile(r"(?<![\d.,])0\d")  # 050 is an id; 1,050 is a number
_ID_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/#_@&")
_CN_CHARS = set("零〇一二三四五六七八九两十百千万亿点")
_MULT_TAIL = re.compile(r"[十百千万亿]+$")
_DURATION = {"年", "个月", "天", "小时", "分钟"}


def _quoted_spans(text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in _QUOTED.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _inside(starts: list[int], ends: list[int], a: int, b: int) -> bool:
    i = bisect_right(starts, a) - 1
    return i >= 0 and a < ends[i] and b <= ends[i]


def _is_ar(s: str) -> bool:
    return s[:1].isdigit()


def _id_like(text: str, start: int, end: int, has_unit: bool) -> bool:
    """A number glued to letters/+/ or IDs (3A级, 4+2+N, 3015009/2025, 1.1.2) is a name."""
    prev = text[start - 1] if start > 0 else ""
    if prev in _ID_CHARS or prev == "." or (prev == "-" and start > 1 and text[start - 2].isascii()
                                            and text[start - 2].isalnum()):
        return True
    if has_unit:
        return False
    nxt = text[end] if end < len(text) else ""
    if nxt in _ID_CHARS:
        return True
    if nxt in ".-:" and end + 1 < len(text) and text[end + 1].isdigit():
        return True
    return False


def _enumerator(text: str, start: int, end: int) -> bool:
    """1. / 2、/ (3) at the head of a line or in parentheses: a list marker."""
    nxt = text[end: end + 1]
    prev = text[start - 1: start] if start else ""
    if prev == "(" and nxt == ")":
        return True
    if nxt in (".", "、", ")", "．"):
        line_start = text.rfind("\n", 0, start) + 1
        return text[line_start:start].strip(" |\t(") == ""
    return False


def _qualifier(*words: str | None) -> str:
    """The qualifier from the words around a number; a bound (at_least/at_most) outranks approx."""
    found = [_QUAL[w] for w in words if w]
    for q in ("at_least", "at_most", "approx"):
        if q in found:
            return q
    return "exact"


def _date_value(y: int | None, m: int | None, d: int | None) -> float:
    return float((y or 0) * 10000 + (m or 0) * 100 + (d or 0))


def _cn_or_ar_int(s: str) -> int:
    s = s.strip()
    return int(s) if s.isdigit() else int(parse_number(s))


def _year_digits(s: str) -> int:
    if s.isdigit():
        return int(s)
    return int("".join(str(_CN_DIGIT[c]) for c in s))


def _build_date(text: str, m: re.Match) -> Quantity | None:
    g = m.group
    if g("dfull"):
        y, mo, d = int(g("fy")), int(g("fm")), int(g("fd"))
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return _mk(text, m.start(), m.end(), _date_value(y, mo, d), None, None, "", "", "exact", "date")
    if g("yr"):
        a, b = int(g("ya")), int(g("yb"))
        if a >= b:
            return None
        return _mk(text, m.start(), m.end(), float(a), float(a), float(b), "年", "年", "exact", "year")
    if g("ymd"):
        y = _year_digits(g("y"))
        if not 1900 <= y <= 2100:
            return None
        if g("ym"):
            months = re.split(r"[-~至]", g("ym").strip().rstrip("份").rstrip("月").strip())
            try:
                ms = [_cn_or_ar_int(x) for x in months]
                d = _cn_or_ar_int(g("yd")) if g("yd") else None
            except (ValueError, NumberParseError):
                return None
            if not all(1 <= x <= 12 for x in ms) or (d is not None and not 1 <= d <= 31):
                return None
            return _mk(text, m.start(), m.end(), _date_value(y, ms[0], d), None, None, "", "", "exact", "date")
        return _mk(text, m.start(), m.end(), float(y), None, None, "年", "年", "exact", "year")
    if g("dday"):
        d = int(g("dday"))
        if not 1 <= d <= 31:
            return None
        return _mk(text, m.start(), m.end(), float(d), None, None, "", "", "exact", "date")
    # md
    try:
        mo = _cn_or_ar_int(g("mm"))
        mo2 = _cn_or_ar_int(g("mm2")) if g("mm2") else None
        d = _cn_or_ar_int(g("mdd")) if g("mdd") else None
    except (ValueError, NumberParseError):
        return None
    if not 1 <= mo <= 12 or (mo2 is not None and not mo < mo2 <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    if mo2 is not None and d is not None:
        return None
    if not _is_ar(g("mm")) and text[m.start() - 1: m.start()] in _CN_CHARS:
        return None
    return _mk(text, m.start(), m.end(), _date_value(None, mo, d), None, None, "", "", "exact", "date")


def _mk(text, start, end, value, low, high, unit, unit_raw, qualifier, kind) -> Quantity:
    return Quantity(start, end, text[start:end], float(value), None if low is None else float(low),
                    None if high is None else float(high), unit, unit_raw, qualifier, kind)


def _cn_ok(text: str, start: int, num: str) -> bool:
    """A Chinese numeral is a figure only if it is not a lone 一/二 and not after 数/几/上/成."""
    if num in ("一", "二") or num[-1] == "点":
        return False
    prev = text[start - 1: start]
    if prev and prev in "数几若上成好第每周星初逢":
        return False
    return True


# A per-person or per-month amount whose 元 was lost with a damaged glyph (标准为740/月, 调整为780/·人):
# nothing but money is written as a bare number per month or per person.
_LOST_YUAN = re.compile(r"/[ ]?[·•・]?[ ]?(?:人[/·•・]?月|月|人)(?![\u3400-\u9fff\dA-Za-z/])")


def _build_quantity(text: str, m: re.Match) -> Quantity | None:
    g = m.group
    n1, n2 = g("n1"), g("n2")
    unit_w = (g("unit") or "").strip(" ")
    u1 = (g("u1") or "").strip(" ")
    pre, suf = g("pre"), g("suf")
    n1s, n1e = m.span("n1")
    end = m.end()
    unit_end = m.end("unit") if unit_w else end
    if not unit_w and n2 is None and not g("mult") and not g("inf") and not suf and _is_ar(n1):
        lost = _LOST_YUAN.match(text, end)
        if lost:
            unit_w, end = "元" + lost.group(0).replace(" ", ""), lost.end()
            unit_end = end
    # A 近 before a duration is "the last N years", not "about N years".
    if pre == "近" and (unit_w in _DURATION or u1 in _DURATION):
        pre = None
    if g("per") and unit_w.startswith("元"):
        start = m.start()
    elif pre:
        start = m.start("pre")
    else:
        start = n1s

    ar1 = _is_ar(n1)
    if not ar1 and not _cn_ok(text, n1s, n1):
        return None
    if (n2 is not None) and (ar1 != _is_ar(n2)):
        return None
    has_unit = bool(unit_w)
    mult = g("mult") or ""
    if not ar1 and not has_unit:
        return None          # 十三五, 一是, 二十大 …: Chinese numerals need a measure word
    if ar1 and _LEADING_ZERO.search(n1 + " " + (n2 or "")):
        return None
    if _id_like(text, n1s, unit_end, has_unit or bool(g("suf"))):
        return None
    if not has_unit and not pre and not g("inf") and not suf and n2 is None and len(n1) <= 2:
        if _enumerator(text, n1s, n1e):
            return None
    if not has_unit and not mult and not _MULT_TAIL.search(n2 or n1) and not g("inf") and not suf:
        # 9部门 / 174医院 / 12349养老: a bare number glued to a word is a name or an unknown unit.
        if _CJK.match(text, end):
            return None
    if not has_unit:
        if _NAME_AFTER.match(text, end) or (ar1 and _NAME_BEFORE.search(text, max(0, n1s - 4), n1s)):
            return None
    if _SLOGAN.match(text, n1s):
        return None

    try:
        if n2 is None:
            # 逾千万元, 近万名, 超百万人次: after a qualifier a bare 百/千/万/亿 is one of them
            implied_one = pre and has_unit and not ar1 and n1[0] in "百千万亿"
            v1 = parse_number(("一" if implied_one else "") + n1 + mult)
            lo = hi = None
        else:
            a = n1
            tail = _MULT_TAIL.search(n2)
            if tail and not _MULT_TAIL.search(n1) and _is_ar(n1) and not u1:
                a = n1 + tail.group(0)         # 4-6万 = 4万-6万
            lo, hi = parse_number(a + mult), parse_number(n2 + mult)
            if u1 and _norm_unit(u1) != _norm_unit(unit_w):
                return None
            if not lo < hi:
                return None
            v1 = lo
    except NumberParseError:
        return None

    # unit_raw: the multiplier written after Arabic digits (万元, 亿元) plus the measure word.
    mult_raw = ""
    last_num = n2 if n2 is not None else n1
    if _is_ar(last_num):
        t = _MULT_TAIL.search(last_num)
        mult_raw = t.group(0) if t else ""
    mult_raw += mult
    unit_raw = mult_raw + unit_w.replace("\n", "")
    unit = _norm_unit(unit_w) if unit_w else ""
    if g("per") and unit == "元":
        per = g("per")[1:].split("每")
        subj = [p for p in per if p in ("人", "户", "床", "平方米")]
        period = [_PERIODS[p] for p in per if p in _PERIODS]
        unit = "/".join(["元"] + subj + period)

    qual = _qualifier(pre, g("inf"), g("inf2"), suf)
    if unit in ("届", "次") and n2 is None and (not ar1 or unit == "次") and (
            unit == "届" or _MEETING.match(text, end)):
        # 十三届四次全会: the 13th congress's 4th plenary, ranks not counts.
        kind, qual = "ordinal", "exact"
    elif unit == "岁":
        kind = "age"
    elif unit == "%":
        kind = "percent" if n2 is None else "range"
    elif unit == "‰":
        kind = "permille" if n2 is None else "range"
    elif n2 is not None:
        kind = "range"
    else:
        kind = "quantity"
    if kind in ("quantity", "range") and unit == "" and not mult_raw and qual == "exact":
        # A bare integer 1950-2099 (table header, 2024营收) is far likelier a year than a count.
        if n2 is None and ar1 and re.fullmatch(r"(?:19[5-9]\d|20\d{2})", n1):
            kind = "year"
            unit = unit_raw = ""
    if unit == "年" and n2 is None and ar1 and re.fullmatch(_YR, n1):
        kind, qual, start = "year", "exact", n1s   # 约2024年 is still the year 2024
    elif (start == n1s and ar1 and n2 is None and kind in ("quantity", "percent", "permille")
          and text[n1s - 1: n1s] == "-"):
        # 增长-2% / | -5.2 |: a minus glued to the number (2025-00104 was refused above as an ID).
        start, v1 = n1s - 1, -v1
    return _mk(text, start, end, v1, lo, hi, unit, unit_raw, qual, kind)


# A list of figures after 分别/依次/各: 分别为120,340,560人 is three values, never 120,340,560 (the
# full-width comma of 分别为120，340，560人 is folded to "," by normalisation). When another figure
# follows the run (分别提高到1,120元和1,000元), the list is made by 和/、 and the commas are thousands.
_LIST_CUE = re.compile(r"(?:分别|依次|各)(?:为|是|达到?|有|增长|提高到?|增加到?)?[ ]?\d[\d,.]*,\d[\d,.]*")
_ANOTHER_FIGURE = re.compile(r"[^\d,、;。和与及]{0,8}(?:[和与及、,]|以及)[ ]?(?:约|近|超过?)?\d")


def list_commas(text: str) -> str:
    """text with the commas of a listed run of figures turned into 、 (same length, so offsets hold)."""
    if "," not in text:
        return text

    def fix(m: re.Match) -> str:
        run = m.group(0)
        items = run[run.index(next(ch for ch in run if ch.isdigit())):].split(",")
        if _ANOTHER_FIGURE.match(text, m.end()) or not _listable(items):
            return run
        return run.replace(",", "、")

    return _LIST_CUE.sub(fix, text)


def _listable(items: list[str]) -> bool:
    """Can these comma-separated pieces be a list of figures rather than one number in thousands?

    Every piece must read as a figure of its own (no 000 or 050), and there must be three of them
    or the first must have three digits: 分别为120,340 is two figures, 分别为1,120 is 1120."""
    if any(not it or (len(it) > 1 and it[0] == "0" and it[1] != ".") for it in items):
        return False
    return len(items) >= 3 or len(items[0].split(".")[0]) == 3


# 1 2 3 4 5人: a number whose digits were spaced out (a damaged copy); its last digit is no figure
_SPACED_DIGITS = re.compile(r"(?<![\d.])\d(?: \d){2,}(?![\d.])")


def find_quantities(text: str) -> list[Quantity]:
    """Every quantitative expression in `text`, non-overlapping and in order (see module doc)."""
    if not text:
        return []
    text = list_commas(text)
    qs, qe = _quoted_spans(text)
    spaced = [m.span() for m in _SPACED_DIGITS.finditer(text)] if " " in text else []
    out: list[Quantity] = []
    for m in _MASTER.finditer(text):
        if qs and _inside(qs, qe, m.start(), m.end()):
            continue
        if spaced and any(a <= m.start() < b for a, b in spaced):
            continue  # a digit of 1 2 3 4 5人 read alone would be a wrong figure; the number is unreadable
        kind = m.lastgroup
        try:
            if kind in ("dfull", "yr", "ymd", "md"):
                if _id_like(text, m.start(), m.end(), True) and kind != "ymd":
                    continue
                q = _build_date(text, m)
            elif kind == "ord":
                q = _build_ordinal(text, m)
            elif kind == "pc":
                v = parse_number(m.group("pcn"))
                pm = m.group("pcw") == "千分之"
                q = _mk(text, m.start(), m.end(), v, None, None, "‰" if pm else "%", m.group("pcw"), "exact",
                        "permille" if pm else "percent")
            else:
                q = _build_quantity(text, m)
        except NumberParseError:
            q = None
        if q is not None and q.start < q.end:
            out.append(q)
    return out


def _build_ordinal(text: str, m: re.Match) -> Quantity | None:
    if m.group(0) == "首位":
        return _mk(text, m.start(), m.end(), 1, None, None, "位", "位", "exact", "ordinal")
    v = parse_number(m.group("on"))
    if v <= 0:
        return None
    u = m.group("ou") or ""
    return _mk(text, m.start(), m.end(), v, None, None, u, u, "exact", "ordinal")
