"""Reference data: the sourced denominators (population, population 60+, consumption per capita).

The figures live in ``data/reference/denominators.csv``, one row per value, each with its source.
An analyst adds a city by adding rows; ``load_reference`` reads the file and checks every row with
a pandera schema, so a typo is reported by line before any measure is computed from it.
The format and the rules are documented in ``data/reference/README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lib.errors import MinzhengError
from lib.views import resolve

if TYPE_CHECKING:
    import pandera.pandas as pa

DEFAULT_PATH = "data/reference/denominators.csv"

COLUMNS = [
    "city", "province", "year", "series", "area", "value", "unit", "period_end",
    "source_title", "source_issuer", "source_url", "source_date", "note",
]
KEY = ["city", "year", "series", "area"]
# series -> the one unit its values are stated in
SERIES_UNIT = {"resident_population": "人", "population_60plus": "人", "consumption_per_capita": "元"}
AREAS = ["全市", "城镇", "农村"]
YEARS = (2000, 2100)
_STR_COLUMNS = [c for c in COLUMNS if c not in ("year", "value")]
_QUOTE = re.compile(r"^「([^」]+)」")
# the last number of the quoted phrase, with an optional 万/萬 or "million" multiplier after it
_LAST_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万|萬|million)?[^\d]*$")
_MULTIPLIER = {"万": 1e4, "萬": 1e4, "million": 1e6}


class ReferenceDataError(MinzhengError):
    """The reference file cannot be used; carries the file and one message per problem (with its line)."""

    def __init__(self, path, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        head = f"{self.path}: {len(self.problems)} problem(s) in the reference data"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))


def quoted_value(note: str) -> float | None:
    """The number the note's quoted source phrase states (万 or million expanded), or None if there is none.

    The note starts with the verbatim phrase in 「」; its last number is the one the row records,
    so a value typed wrongly into the file disagrees with its own quotation.
    """
    m = _QUOTE.match(str(note))
    if not m:
        return None
    n = _LAST_NUMBER.search(m.group(1))
    if not n:
        return None
    return float(n.group(1)) * _MULTIPLIER.get(n.group(2) or "", 1)


def _value_matches_quote(df: pd.DataFrame) -> pd.Series:
    def ok(row) -> bool:
        if not _QUOTE.match(str(row["note"])):
            return True  # reported by the note's own check
        q = quoted_value(row["note"])
        try:
            v = float(row["value"])
        except (TypeError, ValueError):
            return True  # reported by the type check already
        return q is not None and abs(q - v) <= 1e-9 * max(1.0, abs(q))

    return df.apply(ok, axis=1).astype(bool)


def schema() -> pa.DataFrameSchema:
    """The pandera schema of the reference file (exposed so the workbook or a notebook can reuse it)."""
    import pandera.pandas as pa  # imported when used: a build loads it while its workers parse (lib.build)

    text = pa.Check.str_length(min_value=1, error="must not be empty")
    return pa.DataFrameSchema(
        {
            "city": pa.Column("str", text),
            "province": pa.Column("str", text),
            "year": pa.Column("int64", pa.Check.in_range(*YEARS, error=f"must be a year from {YEARS[0]} to {YEARS[1]}"),
                              coerce=True),
            "series": pa.Column("str", pa.Check.isin(list(SERIES_UNIT), error=f"must be one of {', '.join(SERIES_UNIT)}")),
            "area": pa.Column("str", pa.Check.isin(AREAS, error=f"must be one of {', '.join(AREAS)}")),
            "value": pa.Column("float64", pa.Check.gt(0, error="must be greater than 0"), coerce=True),
            "unit": pa.Column("str", pa.Check.isin(sorted(set(SERIES_UNIT.values())), error="must be 人 or 元 (expand 万人)")),
            "period_end": pa.Column("str", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="must be a date YYYY-MM-DD")),
            "source_title": pa.Column("str", text),
            "source_issuer": pa.Column("str", text),
            "source_url": pa.Column("str", pa.Check.str_matches(r"^https?://\S+$", error="must be an http(s) URL")),
            "source_date": pa.Column("str", pa.Check.str_matches(r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                                                 error="must be YYYY, YYYY-MM or YYYY-MM-DD")),
            "note": pa.Column("str", pa.Check.str_matches(r"^「[^」]+」",
                                                          error="must start with the verbatim source phrase in 「」")),
        },
        checks=[
            pa.Check(lambda d: d["unit"] == d["series"].map(SERIES_UNIT),
                     error="unit does not fit the series (人 for populations, 元 for consumption_per_capita)"),
            pa.Check(lambda d: pd.to_datetime(d["period_end"], errors="coerce", format="%Y-%m-%d").notna(),
                     error="period_end is not a real date"),
            pa.Check(lambda d: d["period_end"].str[:4] == d["year"].astype(str),
                     error="period_end lies outside the row's year"),
            pa.Check(lambda d: (d["series"] != "population_60plus") | d["note"].str.contains("常住|户籍"),
                     error="a population_60plus note must say whether it counts 常住 or 户籍 population"),
            pa.Check(_value_matches_quote,
                     error=_QUOTE_MISMATCH),
        ],
        strict=True,
        ordered=True,
        unique=KEY,
        report_duplicates="all",
        name="denominators",
    )


def _line(index) -> str:
    """CSV line of a row index: line 1 is the header, so row 0 is line 2."""
    try:
        return f"line {int(index) + 2}"
    except (TypeError, ValueError):
        return "whole file"


_QUOTE_MISMATCH = "value differs from the number in the quoted phrase that opens the note"


def _problems(err: pa.errors.SchemaErrors, df: pd.DataFrame) -> list[str]:
    """One readable message per failing cell, or per row for the checks that span columns, in file order."""
    found: dict[str, int] = {}
    for c in err.failure_cases.to_dict("records"):
        col, check, got, idx = c.get("column"), str(c.get("check")), c.get("failure_case"), c.get("index")
        if idx is None or pd.isna(idx):
            continue  # a follow-on of a cell already reported (e.g. a range check on a column that did not parse)
        if check.startswith("coerce_dtype") or check.startswith("dtype("):
            reason = f"{col} {got!r} is not {'a whole number' if col == 'year' else 'a number'}"
        elif "uniqueness" in check or check.startswith("unique"):
            reason = f"a second row for the same ({', '.join(KEY)})"
        elif check == _QUOTE_MISMATCH:
            row = df.loc[idx]
            q = quoted_value(row["note"])
            stated = "it states no number" if q is None else f"it states {q:.10g} with 万/million expanded"
            reason = f"value {row['value']} differs from the quoted phrase that opens the note ({stated})"
        elif c.get("schema_context") == "DataFrameSchema":
            reason = check  # a check across columns: one message for the row
        else:
            reason = f"{col} {check} (got {got!r})"
        found.setdefault(f"{_line(idx)}: {reason}", int(idx))
    return sorted(found, key=lambda m: found[m])


def load_reference(path: str | Path | None = None) -> pd.DataFrame:
    """The reference table, validated; raises ReferenceDataError naming the file, line and reason."""
    p = resolve(path or DEFAULT_PATH)
    if not p.is_file():
        raise ReferenceDataError(p, ["file not found"])
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(p, [f"not UTF-8 ({exc.reason} at byte {exc.start}); save the file as UTF-8"]) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ReferenceDataError(p, [f"not a readable CSV: {exc}"]) from exc
    missing = [c for c in COLUMNS if c not in df.columns]
    extra = [c for c in df.columns if c not in COLUMNS]
    if missing or extra:
        msg = []
        if missing:
            msg.append(f"whole file: missing column(s) {', '.join(missing)}")
        if extra:
            msg.append(f"whole file: unexpected column(s) {', '.join(map(str, extra))}")
        msg.append(f"the header must be: {','.join(COLUMNS)}")
        raise ReferenceDataError(p, msg)
    import pandera.pandas as pa

    df = df[COLUMNS].copy()
    for col in _STR_COLUMNS:
        df[col] = df[col].str.strip()
    try:
        out = schema().validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ReferenceDataError(p, _problems(exc, df) or [str(exc)]) from None
    return out.reset_index(drop=True)
