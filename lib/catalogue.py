"""The indicator catalogue: which indicators exist, the aliases that name them and the units they accept.

The catalogue, its aliases and exclusions are data (``lib/data/indicator_catalog.csv``), so an
analyst adds an indicator without touching code. This module reads it, builds the alias matcher
shared by sentences and tables, and converts a quantity to an indicator's catalogue unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

# Raw units an indicator of each catalogue unit accepts (after numbers.py normalisation).
UNIT_FAMILIES = {
    "元/人/月": {"元/人/月", "元/人/年", "元/月", "元/年", "元/人", "元"},
    "元": {"元"},
    "人": {"人", "名"},
    "户": {"户"},
    "家": {"家", "个", "所", "处"},
    "个": {"个", "家", "处", "所"},
    "张": {"张"},
    "人次": {"人次"},
    "宗": {"宗", "对", "件"},
    "%": {"%"},
    # stated rates (每千名老年人拥有养老床位35.4张, 每万人拥有持证社工21.34人): the rate's own unit
    "张/千名老年人": {"张", "‰"},
    "人/万人": {"人", "名"},
    "个/万人": {"个", "家"},
}


FIGURES = ("standard", "stock", "flow", "share")


@dataclass(frozen=True)
class Kind:
    """How an indicator kind behaves (lib/data/indicator_kinds.csv): one row per kind."""

    kind: str
    figure: str  # standard (in force at a date), stock (at a date), flow (over a period) or share (a % at a date)
    stock_cue: bool  # a figure counts only when the text states it as a stock
    per_month: bool  # per-year figures are converted to per month
    tiers: str  # highest: several values under one name are tiers, keep the highest; none
    description: str


@dataclass(frozen=True)
class Indicator:
    indicator_id: str
    theme: str
    name_zh: str
    unit: str
    kind: str
    aliases: tuple[str, ...]
    context: re.Pattern | None
    exclude: re.Pattern | None

    @property
    def behaviour(self) -> Kind:
        return kinds()[self.kind]


def _read(name: str) -> pd.DataFrame:
    with resources.files("lib.data").joinpath(name).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    """The behaviour of each indicator kind, checked when loaded."""
    out = {}
    for r in _read("indicator_kinds.csv").itertuples():
        if r.figure not in FIGURES or r.stock_cue not in ("yes", "no") or r.per_month not in ("yes", "no") \
                or r.tiers not in ("highest", "none"):
            raise ValueError(f"indicator_kinds.csv: row {r.kind!r} has a value outside figure {FIGURES}, "
                             "stock_cue/per_month yes|no, tiers highest|none")
        out[r.kind] = Kind(r.kind, r.figure, r.stock_cue == "yes", r.per_month == "yes", r.tiers, r.description)
    return out


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    """The indicator catalogue with aliases, from lib/data/indicator_catalog.csv, checked against the
    units and kinds this module knows."""
    out = {}
    for r in catalogue_frame().itertuples():
        if r.unit not in UNIT_FAMILIES:
            raise ValueError(f"indicator_catalog.csv: unit {r.unit!r} of {r.indicator_id} is not one of {sorted(UNIT_FAMILIES)}")
        if r.kind not in kinds():
            raise ValueError(f"indicator_catalog.csv: kind {r.kind!r} of {r.indicator_id} is not one of {sorted(kinds())} "
                             "(lib/data/indicator_kinds.csv)")
        out[r.indicator_id] = Indicator(
            r.indicator_id, r.theme, r.name_zh, r.unit, r.kind, tuple(a for a in r.aliases.split("|") if a),
            re.compile(r.context) if r.context else None, re.compile(r.exclude) if r.exclude else None)
    return out


@lru_cache(maxsize=1)
def alias_owners() -> dict[str, list[str]]:
    """Every alias and the indicators it names (an alias may name several: 低保对象 → persons, households)."""
    owners: dict[str, list[str]] = {}
    for ind in catalogue().values():
        for a in ind.aliases:
            if ind.indicator_id not in owners.setdefault(a, []):
                owners[a].append(ind.indicator_id)
    return owners


def catalogue_frame() -> pd.DataFrame:
    return _read("indicator_catalog.csv")


# --- unit conversion ---------------------------------------------------------------------------
def to_catalogue_unit(value: float, unit: str, ind: Indicator, window: str = "") -> float | None:
    """The value in the indicator's catalogue unit, or None when the unit does not fit it.

    The one conversion sentences and tables share: a per-year standard is divided by 12; a bare 元
    standard is per month unless it can only be per year (no city pays 5000元 a month) or the
    wording says so (每年, 年标准).
    """
    if unit not in UNIT_FAMILIES[ind.unit]:
        return None
    if not ind.behaviour.per_month:
        return value
    if unit in ("元/人/年", "元/年"):
        return value / 12
    if unit == "元" and (value >= 5000 or re.search(r"每年|年标准|全年标准|/年|年人均|人均年|每人每年", window)):
        return value / 12
    return value


# --- the indicator row ---------------------------------------------------------------------------
def observation(report_id: str, city: str, ind: Indicator, value: float, *, status: str, period: str, scope: str,
                scope_detail: str, qualifier: str, source_text: str, raw_text: str, section_id: str, sentence_id: str,
                table_id: str, rule: str, char_start: int, char_end: int) -> dict:
    """One row of the ``indicators`` table (columns as lib/schema.py documents them): the one place a
    row is built, for sentences and tables alike. ``value`` is already in the catalogue unit."""
    return {"report_id": report_id, "city": city, "theme": ind.theme, "indicator_id": ind.indicator_id,
            "value": round(value, 2), "unit": ind.unit, "status": status, "period": period, "scope": scope,
            "scope_detail": scope_detail, "qualifier": qualifier, "source_text": source_text, "name_zh": ind.name_zh,
            "raw_text": raw_text, "section_id": section_id, "sentence_id": sentence_id, "table_id": table_id,
            "rule": rule, "char_start": char_start, "char_end": char_end}
