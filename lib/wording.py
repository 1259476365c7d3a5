"""Wording rules that sentences and tables share, and the vocabularies they read.

The vocabularies are data (``lib/data/wording.csv``: one row per term, a ``vocabulary`` column
saying what the term is for), so a new wording is a new row, not a new regex. This module loads
them, checks them, and offers the few questions every extraction rule asks:

- which catalogue aliases name something in a text (``find_aliases``);
- which split a label makes (城市/农村, 集中/散居, an area type: ``split_label``);
- the unit written in a table label or a unit column (``label_unit``, ``unit_text``);
- whether words before a figure make it a change, a beneficiary count, or a programme's money.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from lib.catalogue import alias_owners, catalogue
from lib.numbers import canonical_unit, split_unit

VOCABULARIES = {
    "split": "a word that makes a figure a part: the value is the scope_detail written for it",
    "area_type": "an area type a standard can be set for (市辖区, 县(市)): the value is the scope_detail",
    "pair_head": "words before a list that say what its members are, in order (城乡 → 城市|农村)",
    "movement": "a change of a stock (新增, 调出 …): a count after it is not the stock",
    "beneficiary": "a preposition before the people an action reached (对7837名…发放)",
    "programme": "a programme whose generic money (发放资金) is the value's indicator ('' = not a catalogue one)",
    "programme_standard": "a programme whose generic standard (保障标准) is the value's indicator ('' = none)",
    "generic_money": "a money word with no programme in it (资金, 救助金)",
    "payout_verb": "a verb that pays money out (发放, 支出)",
    "other_money": "money for another purpose, between a programme and a figure (补贴, 消费券)",
    "joint_alias": "an alias naming several indicators at once; one figure after it is each of theirs",
    "stock_cue": "words that state a count as a stock (共有, 在册, 人数为 …)",
    "unit_en": "English units of bilingual tables, mapped to the Chinese unit",
    "peer": "words naming a peer's figure (全国, 全省 …); value: all, or below_province (not a peer in a province's report)",
    "rate": "a rate per population (每千名 …): the figure is never a count",
    "subgroup": "people within a programme's group right after its name (低保家庭老年人)",
    "yardstick": "a word before a standard used as another's measure (按照…的1.3倍)",
    "secured": "words before money that was obtained or asked for (争取, 申报), not paid out",
    "cap": "words before an amount that make it the most one case may get (最高可救助, 封顶): never money paid "
           "out; value standard: nor a standard",
    "past": "words that make a figure actual in a plan part guessed from wording (去年, 目前 …)",
    "verb_after": "a verb right after a measure word (10706人增加316人)",
    "continue": "a clause opening that goes on about the previous clause's subject (其中, 总数, 分别 …)",
    "subset_action": "an action after N名+name: those of them that did it (成功寻亲, 参与 …)",
    "tier_indicator": "a label right before a figure that makes it a sibling indicator's, when the standard named "
                      "is shared (孤儿基本生活保障标准集中养育每人每月X元: the institutional orphans' standard)",
}


@lru_cache(maxsize=None)
def pattern(name: str, template: str = "(?:@)") -> re.Pattern:
    """A vocabulary's terms compiled into a regex: ``@`` in the template stands for the alternation."""
    return re.compile(template.replace("@", terms(name)))


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    with resources.files("lib.data").joinpath("wording.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    unknown = sorted(set(df["vocabulary"]) - set(VOCABULARIES))
    if unknown:
        raise ValueError(f"lib/data/wording.csv: unknown vocabulary {unknown}; known: {sorted(VOCABULARIES)}")
    bad = df[df["vocabulary"].isin(["programme", "programme_standard", "tier_indicator"]) & (df["value"] != "")
             & ~df["value"].isin(catalogue())]
    if len(bad):
        raise ValueError(f"lib/data/wording.csv: {bad['vocabulary'].iloc[0]} {bad['term'].iloc[0]} names no catalogue indicator")
    for term in df.loc[df["vocabulary"] == "joint_alias", "term"]:
        if len(set(alias_owners().get(term, []))) < 2:
            raise ValueError(f"lib/data/wording.csv: joint alias {term} must be a catalogue alias of two or more indicators")
    return df


@lru_cache(maxsize=None)
def vocabulary(name: str) -> dict[str, str]:
    """term → value of one vocabulary, longest term first (so regexes prefer the longer word)."""
    if name not in VOCABULARIES:
        raise KeyError(name)
    rows = _table()[_table()["vocabulary"] == name]
    return dict(sorted(zip(rows["term"], rows["value"]), key=lambda tv: -len(tv[0])))


@lru_cache(maxsize=None)
def terms(name: str) -> str:
    """The terms of a vocabulary as one regex alternation (escaped, longest first)."""
    return "|".join(re.escape(t) for t in vocabulary(name))


# --- aliases ---------------------------------------------------------------------------------------
@dataclass
class Alias:
    start: int
    end: int
    text: str
    owners: list[str]

    @property
    def joint(self) -> bool:
        return self.text in vocabulary("joint_alias")


def find_aliases(text: str) -> list[Alias]:
    """Alias occurrences; where two overlap (城乡低保|低保标准 in 城乡低保标准) the one ending last
    wins, since a Chinese noun phrase names its head last."""
    pattern, owners = alias_matcher()
    found = []
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            break
        found.append((m.start(), m.end()))
        pos = m.start() + 1
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(found, key=lambda se: (-se[1], se[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return _modified_heads([Alias(s, e, text[s:e], owners[text[s:e]]) for s, e in sorted(chosen)], text)


def name_start(alias: Alias, text: str, lo: int = 0) -> int:
    """Where the name whose head is ``alias`` begins: at an alias of the same indicator that overlaps
    it from the left and lost the overlap (社会散居孤儿 in 社会散居孤儿基本生活最低养育标准), not before ``lo``."""
    _, owners = alias_matcher()
    for p in range(max(lo, alias.start - 12), alias.start):
        for q in range(alias.start + 1, alias.end):
            if owners.get(text[p:q]) == alias.owners:
                return p
    return alias.start


_MODIFIER = re.compile(r"(?:\([^()]{1,20}\))?(?:最低|最高)?")


def _modified_heads(aliases: list[Alias], text: str) -> list[Alias]:
    """集中供养孤儿最低基本生活保障标准: a standard word after a modifier is the standard of the group
    named before it, not the standard that word alone names (特困人员基本生活保障标准)."""
    from lib.catalogue import catalogue

    def standards(a: Alias) -> bool:
        return all(catalogue()[o].kind == "standard" for o in a.owners)

    out: list[Alias] = []
    for a in aliases:
        prev = out[-1] if out else None
        if prev is not None and a.start > prev.end and _MODIFIER.fullmatch(text[prev.end: a.start]) and standards(prev) and standards(a) \
                and not set(prev.owners) & set(a.owners):
            out[-1] = Alias(prev.start, a.end, text[prev.start: a.end], prev.owners)
            continue
        out.append(a)
    return out


@lru_cache(maxsize=1)
def alias_matcher() -> tuple[re.Pattern, dict[str, list[str]]]:
    owners = alias_owners()
    return re.compile("|".join(re.escape(a) for a in sorted(owners, key=len, reverse=True))), owners


# --- splits ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _split_rules() -> list[tuple[str, re.Pattern]]:
    """(label, rule) for each split word; 城市 in 城市农村 is neither (it is the pair)."""
    rules = []
    for term, value in vocabulary("split").items():
        if term in ("城市", "城镇"):
            rules.append((value, re.compile(term + r"(?!农村|和农村|、农村)")))
        elif term in ("农村", "乡村"):
            rules.append((value, re.compile(r"(?<!城市)(?<!城镇)(?<!城乡)" + term)))
        else:
            rules.append((value, re.compile(re.escape(term))))
    return rules


def _splits(text: str, skip: str):
    return (label for label, rule in _split_rules() if label not in skip and rule.search(text))


def split_label(text: str, skip: str = "") -> str:
    """The split a piece of wording makes (城市, 农村, 集中, 散居), '' when none; a label that is
    part of ``skip`` (the indicator's own name, as 集中 in 集中养育孤儿…) does not count."""
    return next(_splits(text, skip), "")


def split_labels(text: str, skip: str = "") -> list[str]:
    """Every split a piece of wording names (城市…、农村… names both), as ``split_label`` counts them."""
    return list(dict.fromkeys(_splits(text, skip)))


def area_type(text: str) -> str:
    """An area type a standard is set for (市辖区, 县(市)), '' when none."""
    for term, value in vocabulary("area_type").items():
        if term in text:
            return value
    return ""


# --- units in labels -----------------------------------------------------------------------------
def label_unit(label: str) -> tuple[str, float]:
    """Unit and multiplier written at the end of a table label: 城市低保享受人数(万人) → (人, 10000);
    低保标准(元/人·年) → (元/人/年, 1)."""
    m = re.search(r"\(([^()]*)\)\s*$", label)
    if not m:
        return "", 1.0
    return unit_text(m.group(1))


def unit_text(text: str) -> tuple[str, float]:
    """A unit written on its own (a 单位 column, a bracket): 万人 → (人, 10000), 元/人·月 → (元/人/月, 1),
    and the English units of bilingual tables (Person → 人, 10000 yuan → (元, 10000))."""
    unit = text.strip()
    english = vocabulary("unit_en").get(unit.lower())
    if english:
        unit = english
    if not unit or re.search(r"\d", unit):
        return "", 1.0
    if unit in ("元/人月", "元/月人"):
        unit = "元/人/月"
    mult, norm = split_unit(unit)
    return canonical_unit(norm) if norm else unit, mult
