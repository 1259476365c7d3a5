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

from lib.numbers import Quantity

# Raw units an indicator of each catalogue unit accepts (after numbers.py normalisation).
UNIT_FAMILIES = {
    "元/人/月": {"元/人/月", "元/人/年", "元/月", "元/年", "元/人", "元"},
    "元": {"元"},
    "人": {"人", "名"},
    "户": {"户"},
    "家": {"家", "个", "所"},
    "个": {"个", "家", "处", "所"},
    "张": {"张"},
    "人次": {"人次"},
    "宗": {"宗", "对", "件"},
    "%": {"%"},
}


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


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Indicator]:
    """The indicator catalogue with aliases, from lib/data/indicator_catalog.csv."""
    with resources.files("lib.data").joinpath("indicator_catalog.csv").open(encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    out = {}
    for r in df.itertuples():
        if r.unit not in UNIT_FAMILIES:
            raise ValueError(f"indicator_catalog.csv: unit {r.unit!r} of {r.indicator_id} is not one of {sorted(UNIT_FAMILIES)}")
        out[r.indicator_id] = Indicator(
            r.indicator_id, r.theme, r.name_zh, r.unit, r.kind, tuple(a for a in r.aliases.split("|") if a),
            re.compile(r.context) if r.context else None, re.compile(r.exclude) if r.exclude else None)
    return out


@lru_cache(maxsize=1)
def _alias_matcher() -> tuple[re.Pattern, dict[str, list[str]]]:
    owners: dict[str, list[str]] = {}
    for ind in catalogue().values():
        for a in ind.aliases:
            owners.setdefault(a, []).append(ind.indicator_id)
    return re.compile("|".join(re.escape(a) for a in sorted(owners, key=len, reverse=True))), owners


def catalogue_frame() -> pd.DataFrame:
    with resources.files("lib.data").joinpath("indicator_catalog.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


# --- unit conversion ---------------------------------------------------------------------------
def to_catalogue_unit(q: Quantity, ind: Indicator, window: str) -> float | None:
    """The value in the catalogue unit, or None when the unit does not fit the indicator."""
    unit = q.unit
    if unit not in UNIT_FAMILIES[ind.unit]:
        return None
    if ind.unit != "元/人/月":
        return q.value
    if unit in ("元/人/年", "元/年"):
        return q.value / 12
    if unit == "元":
        # A bare 元 standard: per month unless it can only be per year (no city pays 5000元/月),
        # or the wording says 每年/年标准.
        if q.value >= 5000 or re.search(r"每年|年标准|全年标准|/年", window):
            return q.value / 12
    return q.value
