"""The documented schema of every clean table: one place that says what each column means.

``SCHEMAS`` is data; ``validate`` coerces and checks a table against it (types coerced, required
columns non-null, keys unique, spans well-formed; ``pandera_schema`` states the same rules for
pandera) and ``schema_markdown`` documents it for users.
"""

from __future__ import annotations

import pandas as pd

# kind -> pandas dtype
_DTYPES = {"str": "str", "int": "int64", "float": "float64", "bool": "bool"}

# Columns shared by every row that points into a report.
_SPAN = [
    ("char_start", "int", "start offset of the span in the normalised report text (data/clean/texts/<report_id>.txt)"),
    ("char_end", "int", "end offset (exclusive) of the span"),
]

SCHEMAS: dict[str, dict] = {
    "reports": {
        "doc": "One row per report that built: manifest metadata, what the page said about itself, and how it was read.",
        "key": ["report_id"],
        "columns": [
            ("report_id", "str", "the raw file's name without extension"),
            ("file", "str", "file name inside the raw folder"),
            ("city", "str", "city (manifest, else detected from the text)"),
            ("province", "str?", "province"),
            ("year", "int?", "the year most figures refer to (empty when neither the text nor the manifest gives one)"),
            ("period", "str?", "period covered: 2024, 2025H1, 2016-2018, 2022-05, 2024-01/2024-10 … (empty with no year)"),
            ("area_level", "str?", "level of the place the report covers, from the gazetteer: province, city or county"),
            ("scope", "str", "the report's own area for its figures: city, province, or the district whose bureau issued it"),
            ("as_of", "str?", "the report's data date (YYYY-MM), from its most frequent 截至…年…月"),
            ("plan_period", "str?", "the period its plan part is about (2025 in a 2024 summary with a 2025 plan)"),
            ("five_year_end", "str?", "last year of the five-year plan its title names (十四五 → 2025)"),
            ("report_type", "str", "work_summary, plan_evaluation, news_feature, statistical_bulletin or other"),
            ("title", "str?", "report title"),
            ("published", "str?", "publication date (ISO) from the manifest or the page"),
            ("source", "str?", "URL or citation"),
            ("issuer", "str?", "issuing body from the page's metadata table (发布机构)"),
            ("written_date", "str?", "成文日期 from the page's metadata table"),
            ("authors", "str?", "bylines found in the page furniture"),
            ("metadata_source", "str", "manifest, or detected when the manifest had no row"),
            ("encoding", "str", "encoding the file was decoded from"),
            ("sha256", "str", "hash of the normalised text (finds duplicates)"),
            ("n_chars", "int", "length of the normalised text"),
            ("n_sections", "int", "sections found"),
            ("n_sentences", "int", "body sentences found"),
            *_SPAN,
        ],
    },
    "sections": {
        "doc": "The section tree: parts, numbered headings (一、/(一)/1./(1)/①), unnumbered headings, and 一是… items.",
        "key": ["report_id", "section_id"],
        "columns": [
            ("report_id", "str", "report"),
            ("section_id", "str", "id within the report (s000 is the preamble/root)"),
            ("parent_id", "str?", "parent section"),
            ("level", "int", "numbering style: 0 root, 1 一、 or part heading, 2 (一), 3 1., 4 (1), 5 ①, 6 一是 item"),
            ("depth", "int", "depth in the tree"),
            ("kind", "str", "preamble, part, heading or item"),
            ("number", "str", "numbering as written (一, (一), 1, 一是 …)"),
            ("title", "str", "heading text (for run-in headings: the first sentence)"),
            ("part", "str", "preamble, review, problems or plan: decides actual vs planned later"),
            ("theme", "str", "thematic area (lib/data/themes.csv)"),
            ("theme_reason", "str", "what matched, or why it was inherited"),
            ("path", "str", "titles from the top, joined by ' > '"),
            ("heading_start", "int", "start of the heading text"),
            ("heading_end", "int", "end of the heading text"),
            *_SPAN,
        ],
    },
    "paragraphs": {
        "doc": "Body paragraphs (broken web lines joined) with the section they belong to.",
        "key": ["report_id", "paragraph_id"],
        "columns": [
            ("report_id", "str", "report"),
            ("paragraph_id", "str", "id within the report"),
            ("section_id", "str", "section it belongs to"),
            ("is_heading", "bool", "a standalone heading line"),
            *_SPAN,
        ],
    },
    "sentences": {
        "doc": "Sentences with their section, part and theme; text is exactly the normalised text at the span.",
        "key": ["report_id", "sentence_id"],
        "columns": [
            ("report_id", "str", "report"),
            ("sentence_id", "str", "id within the report"),
            ("paragraph_id", "str", "paragraph"),
            ("section_id", "str", "innermost section (an item where there is one)"),
            ("part", "str", "part of the report the sentence lies in"),
            ("theme", "str", "thematic area"),
            ("theme_reason", "str", "what matched, or 'inherited from section …'"),
            ("text", "str", "the sentence"),
            *_SPAN,
        ],
    },
    "tables": {
        "doc": "Tables rebuilt from the broken forms scraping leaves (cells per line, | rows, whitespace columns).",
        "key": ["report_id", "table_id"],
        "columns": [
            ("report_id", "str", "report"),
            ("table_id", "str", "id within the report"),
            ("section_id", "str", "section the table sits in"),
            ("layout", "str", "pipe_cells, pipe_rows or whitespace"),
            ("caption", "str?", "caption line next to the table, else empty"),
            ("header", "str", "column labels joined by ' | '"),
            ("n_rows", "int", "data rows"),
            ("n_cols", "int", "columns"),
            *_SPAN,
        ],
    },
    "table_cells": {
        "doc": "Every data cell of every rebuilt table, long form, with its row and column labels.",
        "key": ["report_id", "table_id", "row", "col"],
        "columns": [
            ("report_id", "str", "report"),
            ("table_id", "str", "table"),
            ("row", "int", "data row (0-based)"),
            ("col", "int", "column (0-based, label columns included)"),
            ("row_group", "str?", "group label of a two-level row header (e.g. 专项救助)"),
            ("row_label", "str", "row label"),
            ("col_label", "str", "column label"),
            ("text", "str", "cell text"),
            ("value", "float?", "numeric value when the cell is a number"),
            *_SPAN,
        ],
    },
    "furniture": {
        "doc": "Page furniture kept out of the body (breadcrumbs, share prompts, metadata lines, captions, bylines).",
        "key": ["report_id", "char_start"],
        "columns": [
            ("report_id", "str", "report"),
            ("kind", "str", "breadcrumb, share, metadata, dateline, caption, tags, byline, navigation (上一篇), "
                             "footer (版权所有, 备案号) or spam (an advertisement with a contact)"),
            ("text", "str", "the line"),
            *_SPAN,
        ],
    },
    "theme_coverage": {
        "doc": "How much of each report's body each theme takes (by sentence characters).",
        "key": ["report_id", "theme"],
        "columns": [
            ("report_id", "str", "report"),
            ("theme", "str", "thematic area"),
            ("n_sentences", "int", "sentences of that theme"),
            ("n_chars", "int", "characters in those sentences"),
            ("share", "float", "n_chars / all body sentence characters of the report"),
        ],
    },
    "mentions": {
        "doc": "Every quantitative expression in the body and in rebuilt tables: value, unit, qualifier. A mention "
               "points at its sentence (`sentences.text` by report_id + sentence_id) or its table cell (`table_cells` "
               "by report_id + table_id and the labels) instead of copying the text; join `sentences` on "
               "(report_id, sentence_id) for the sentence.",
        "key": ["report_id", "mention_id"],
        "columns": [
            ("report_id", "str", "report"),
            ("mention_id", "str", "id within the report"),
            ("section_id", "str", "innermost section"),
            ("sentence_id", "str?", "sentence (empty for a table cell)"),
            ("table_id", "str?", "table, for a figure in a rebuilt table"),
            ("theme", "str", "theme of the sentence (or of the table's section)"),
            ("part", "str", "part of the report"),
            ("kind", "str", "quantity, percent, permille, range, age, ordinal, year or date"),
            ("raw_text", "str", "the expression as written (number, qualifier and unit)"),
            ("value", "float?", "the number with 万/亿/千 applied (empty for years and dates)"),
            ("low", "float?", "lower bound of a range"),
            ("high", "float?", "upper bound of a range"),
            ("unit", "str", "normalised unit (元, 人, 人次, 元/人/月, % …)"),
            ("unit_raw", "str", "unit as written (万元 …)"),
            ("qualifier", "str", "exact, approx, at_least or at_most"),
            ("row_label", "str?", "table row label (table cells)"),
            ("col_label", "str?", "table column label (table cells)"),
            *_SPAN,
        ],
    },
    "indicators": {
        "doc": "Observations of catalogue indicators (lib/data/indicator_catalog.csv), as shared/spec section 3 defines.",
        "key": [],
        "columns": [
            ("report_id", "str", "the raw file's name without extension"),
            ("city", "str", "from the manifest or detected"),
            ("theme", "str", "the catalogue theme"),
            ("indicator_id", "str", "an id from the indicator catalogue"),
            ("value", "float", "number in the catalogue unit (money in 元, per-year allowances per month)"),
            ("unit", "str", "the catalogue unit"),
            ("status", "str", "actual, planned or baseline"),
            ("period", "str", "what the value refers to: 2024, 2025H1, 2018-11, 2016-2018 …"),
            ("scope", "str", "city, or the part it covers (a district, 市本级 …)"),
            ("scope_detail", "str?", "a split the text makes (城市/农村, 集中/散居, a tier)"),
            ("qualifier", "str", "exact, approx, at_least or at_most"),
            ("source_text", "str", "the sentence the value comes from"),
            ("name_zh", "str", "indicator name"),
            ("raw_text", "str", "the expression as written"),
            ("section_id", "str", "section"),
            ("sentence_id", "str?", "sentence (empty for a table cell)"),
            ("table_id", "str?", "table, for a value read from a rebuilt table"),
            ("rule", "str", "which alias or table label matched (why this is that indicator)"),
            *_SPAN,
            # comparability (lib/comparability.py): which rows may stand side by side
            ("figure_kind", "str", "stock (a count at a date), flow (a total over the period), standard (an allowance "
                                   "in force), share (%) or target (a planned value)"),
            ("period_type", "str", "date (as of), year, half, quarter, months (1–N月 of a year), span (multi-year "
                                   "cumulative) or unknown"),
            ("period_zh", "str", "the period in Chinese: 2024年, 2025年上半年, 截至2018年11月, 2016—2018年累计 …"),
            ("aggregate", "str", "total, or part (a split of a total: a scope_detail or a district scope)"),
            ("split", "str?", "for a part, the split it belongs to: 城乡, 供养方式, 档次, 地区, 类型 or 分项"),
            ("basis", "str", "comparability key: rows of one indicator compare only when their basis is equal "
                             "(stock, standard, share, target, flow:year, flow:half, flow:months5, flow:span3 …)"),
            ("wording", "str?", "the alias or table row label that named the indicator"),
            ("wording_rank", "int", "closeness of the wording to the catalogue definition: 0 = the catalogue's first "
                                    "alias; the position of the alias in the catalogue's list"),
            ("preferred", "bool", "false when another value of the same city, indicator, period, scope, scope_detail "
                                  "and status stands instead (the row is listed in conflicts)"),
        ],
    },
    "conflicts": {
        "doc": "Data quality: values that disagree for one city, indicator, period, scope, scope_detail and status. "
               "One rule decides (lib/comparability.py): the wording closest to the catalogue definition stands; then "
               "exact over approximate, sentence over table cell, later report over earlier, first in the text.",
        "key": [],
        "columns": [
            ("city", "str", "city"),
            ("theme", "str", "the catalogue theme of the indicator"),
            ("indicator_id", "str", "indicator"),
            ("name_zh", "str", "indicator name"),
            ("unit", "str", "the catalogue unit"),
            ("period", "str", "period both values claim"),
            ("scope", "str", "scope both values claim"),
            ("scope_detail", "str?", "scope detail both values claim"),
            ("status", "str", "status both values claim"),
            ("kept_value", "float", "the value that stands (preferred)"),
            ("kept_wording", "str?", "its wording"),
            ("kept_report_id", "str", "its report"),
            ("kept_source_text", "str", "its sentence or table cell"),
            ("dropped_value", "float", "the value set aside (preferred = false in indicators)"),
            ("dropped_wording", "str?", "its wording"),
            ("dropped_report_id", "str", "its report"),
            ("dropped_source_text", "str", "its sentence or table cell"),
            ("reason", "str", "why the kept value stands"),
        ],
    },
    "measures": {
        "doc": "Derived measures (lib/derived.py, lib/data/measures.csv): a catalogue indicator from a report divided by a "
               "sourced denominator (data/reference/denominators.csv), value = numerator × scale ÷ denominator. The "
               "denominator's year is the numerator's year (same_year_end) or the year before (previous_year, the "
               "consumption ratio). Only computed values are rows here; a value not computed is in measure_notes.",
        "key": ["measure_id", "city", "period", "status", "scope_detail", "area"],
        "columns": [
            ("measure_id", "str", "measure (lib/data/measures.csv)"),
            ("name_zh", "str", "measure name"),
            ("theme", "str", "thematic area"),
            ("unit", "str", "unit of the value: %, 人/千人, 张/千名老年人, 人/万人 …"),
            ("definition", "str", "how it is computed and what to watch"),
            ("city", "str", "city"),
            ("period", "str", "the numerator's period"),
            ("period_zh", "str", "the numerator's period in Chinese"),
            ("year", "int", "the numerator's year: the last year written in its period"),
            ("status", "str", "actual or baseline (targets are not turned into rates)"),
            ("scope_detail", "str?", "the numerator's part (城市/农村), empty for the whole city"),
            ("area", "str", "the denominator's area: 全市, 城镇 or 农村"),
            ("aggregate", "str", "total (全市) or part (城镇/农村)"),
            ("value", "float", "the derived value, in unit"),
            ("qualifier", "str", "the numerator's qualifier (an approximate count gives an approximate rate)"),
            ("year_rule", "str", "same_year_end or previous_year"),
            ("numerator_id", "str", "the numerator's catalogue indicator"),
            ("numerator_name_zh", "str", "its name"),
            ("numerator_value", "float", "its value (catalogue unit)"),
            ("numerator_unit", "str", "its unit"),
            ("numerator_period", "str", "its period"),
            ("numerator_report_id", "str", "the report it was read from"),
            ("numerator_source_text", "str", "the sentence or table cell it was read from"),
            ("numerator_char_start", "int", "offset of that sentence in texts/<report_id>.txt"),
            ("numerator_char_end", "int", "end offset"),
            ("denominator_series", "str", "resident_population, population_60plus or consumption_per_capita"),
            ("denominator_name_zh", "str", "its name"),
            ("denominator_year", "int", "the year of the denominator"),
            ("denominator_value", "float", "its value (人, or 元 per person per year)"),
            ("denominator_unit", "str", "its unit"),
            ("denominator_period_end", "str", "the date it refers to"),
            ("denominator_source_title", "str", "the document it was read in"),
            ("denominator_source_issuer", "str", "the body that issued it"),
            ("denominator_source_url", "str", "the page it was read on"),
            ("denominator_source_date", "str", "publication date"),
            ("denominator_quote", "str", "the verbatim phrase that carries the number"),
            ("denominator_note", "str?", "the reference row's remarks (常住/户籍, reprint, second-hand)"),
            ("stated_indicator_id", "str?", "the catalogue indicator the reports state this rate as"),
            ("stated_value", "float?", "the rate as the report states it, for the same city, period and status"),
            ("stated_report_id", "str?", "the report stating it"),
            ("stated_source_text", "str?", "its sentence or table cell"),
            ("note", "str?", "what to know before comparing (dates that differ, 60+ basis, second-hand source)"),
        ],
    },
    "measure_notes": {
        "doc": "Data quality: derived measures NOT computed, one row each, and why (no denominator for that year, a "
               "denominator for another date, a figure for one district). Shown with the data-quality notes.",
        "key": [],
        "columns": [
            ("measure_id", "str", "measure"),
            ("name_zh", "str", "measure name"),
            ("theme", "str", "thematic area"),
            ("city", "str", "city"),
            ("period", "str", "the numerator's period"),
            ("status", "str", "actual or baseline"),
            ("scope_detail", "str?", "the numerator's part"),
            ("area", "str?", "the denominator area wanted"),
            ("numerator_id", "str", "the numerator's indicator"),
            ("numerator_value", "float", "its value"),
            ("numerator_report_id", "str", "its report"),
            ("denominator_series", "str", "the series wanted"),
            ("wanted_year", "int?", "the denominator year the rule asks for"),
            ("reason_code", "str", "missing, other_year, other_date, part_of_city or no_year"),
            ("reason", "str", "why no value was computed (Chinese, then English)"),
            ("stated_value", "float?", "the rate as the report states it, if it does"),
            ("stated_source_text", "str?", "its sentence or table cell"),
        ],
    },
    "denominators": {
        "doc": "The reference data the measures were computed with: data/reference/denominators.csv as validated by "
               "lib/reference.py (format in data/reference/README.md), copied here so that pages and the workbook show "
               "the figures the build used.",
        "key": ["city", "year", "series", "area"],
        "columns": [
            ("city", "str", "city, as in the manifest"),
            ("province", "str", "province"),
            ("year", "int", "the calendar year the value describes"),
            ("series", "str", "resident_population, population_60plus or consumption_per_capita"),
            ("area", "str", "全市, 城镇 or 农村"),
            ("value", "float", "the number (万 expanded)"),
            ("unit", "str", "人, or 元 per person per year"),
            ("period_end", "str", "the date the value refers to"),
            ("source_title", "str", "the document it was read in"),
            ("source_issuer", "str", "the body that issued it"),
            ("source_url", "str", "the page it was read on"),
            ("source_date", "str", "publication date"),
            ("note", "str", "the verbatim phrase in 「」, then remarks"),
        ],
    },
    "claims": {
        "doc": "Narrative claims for the narrative tables: rankings, firsts, pilots and designations, awards, plans.",
        "key": [],
        "columns": [
            ("report_id", "str", "report"),
            ("city", "str", "city"),
            ("theme", "str", "theme of the sentence"),
            ("claim_type", "str", "ranking, first, pilot, award or plan"),
            ("status", "str", "actual, or planned for claims in the plan part / forward-looking sentences"),
            ("scope", "str?", "level the claim is made at: 全国, 全省, 同类城市 … (rankings and firsts)"),
            ("rank", "float?", "the rank, for rankings with a number (位居全省第6 → 6, 首位 → 1)"),
            ("phrase", "str", "the words that make it a claim"),
            ("section_id", "str", "section"),
            ("sentence_id", "str", "sentence"),
            ("source_text", "str", "the sentence"),
            *_SPAN,
        ],
    },
    "build_issues": {
        "doc": "Errors (a report that did not build) and warnings from the last build.",
        "key": [],
        "columns": [
            ("file", "str", "file the message is about"),
            ("report_id", "str?", "report, when known"),
            ("severity", "str", "error or warning"),
            ("message", "str", "what went wrong and what to do"),
        ],
    },
}


# CSV copies are for analysts in Excel, which opens at most 1,048,576 rows: the tables of results and of data
# quality get one; the tables that grow with the text (hundreds of rows a report) are Parquet only.
CSV_TABLES = ("reports", "tables", "theme_coverage", "indicators", "conflicts", "measures", "measure_notes",
              "denominators", "claims", "build_issues")


# The tables a theme notebook reads by theme are written grouped by theme (the catalogue's theme order, then any
# other value), each Parquet row group of one theme: a reader that filters on the theme skips the others' row groups.
THEME_GROUPED = ("theme_coverage", "indicators", "conflicts", "measures", "measure_notes", "claims")


def columns(table: str) -> list[str]:
    return [c[0] for c in SCHEMAS[table]["columns"]]


class SchemaError(ValueError):
    """A clean table that breaks its documented schema: a bug in the build, never the reader's problem."""


def pandera_schema(table: str) -> pa.DataFrameSchema:  # noqa: F821 (pandera is imported when it is asked for)
    """The schema of a clean table as pandera states it (the reference that ``validate`` is tested against)."""
    import pandera.pandas as pa  # imported here: reading and showing tables (the notebooks) never needs it

    spec = SCHEMAS[table]
    cols = {}
    for name, kind, _doc in spec["columns"]:
        cols[name] = pa.Column(_dtype(kind), nullable=kind.endswith("?"), coerce=True)
    checks = []
    if "char_start" in cols:
        checks.append(pa.Check(lambda d: (d["char_start"] >= 0) & (d["char_start"] <= d["char_end"]),
                               error="char_start must be >= 0 and <= char_end"))
    return pa.DataFrameSchema(cols, strict="filter", checks=checks, unique=spec["key"] or None, name=table)


def _dtype(kind: str) -> str:
    return "Int64" if kind == "int?" else _DTYPES[kind.rstrip("?")]  # int? is a nullable integer


def empty(table: str) -> pd.DataFrame:
    return validate(table, pd.DataFrame({c: [] for c in columns(table)}))


def validate(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Coerce and check a clean table; returns it with the schema's columns in order.

    The same rules as ``pandera_schema`` (types coerced, required columns non-null, keys unique,
    spans well-formed), checked column by column with vectorised pandas: the build validates every
    chunk of reports, and pandera's fixed cost per call (~50 ms a table) would dominate it.
    """
    out = {}
    for name, kind, _ in SCHEMAS[table]["columns"]:
        nullable = kind.endswith("?")
        if name in df.columns:
            col = df[name]
        elif nullable:
            col = pd.Series(None, index=df.index, dtype=object)
        else:
            raise SchemaError(f"{table}: column '{name}' is missing")
        if kind == "str?":
            col = col.astype(object).where(col.notna(), "")
        dtype = _dtype(kind)
        if col.dtype != dtype:
            try:
                col = col.astype(dtype)
            except (TypeError, ValueError) as exc:
                raise SchemaError(f"{table}.{name}: cannot be read as {dtype}: {exc}") from None
        if not nullable and col.isna().any():
            raise SchemaError(f"{table}.{name}: {int(col.isna().sum())} empty value(s) in a required column")
        out[name] = col
    result = pd.DataFrame(out, index=df.index).reset_index(drop=True)
    key = SCHEMAS[table]["key"]
    if key and len(result) and result.duplicated(subset=key).any():
        first = result[result.duplicated(subset=key, keep=False)].iloc[0]
        raise SchemaError(f"{table}: key {key} is not unique (e.g. {dict(first[key])})")
    if "char_start" in out and len(result):
        bad = (result["char_start"] < 0) | (result["char_start"] > result["char_end"])
        if bad.any():
            raise SchemaError(f"{table}: char_start must be >= 0 and <= char_end ({int(bad.sum())} row(s))")
    return result


def schema_markdown() -> str:
    """The schema of every clean table as Markdown (written beside the data as SCHEMA.md)."""
    lines = ["# Clean tables", "",
             "Every table is written as one Parquet file, `<table>.parquet`: a row group per chunk of reports, rows "
             "in file-name order; the tables a notebook reads by theme (" + ", ".join(f"`{t}`" for t in THEME_GROUPED)
             + ") are grouped by theme instead (the order of lib/data/themes.csv, each row group of one theme, within "
             "a theme in file-name order), so that a reader filtering on the theme reads only its row groups. "
             "A CSV copy has the same rows in the same order as its Parquet file. The tables of results and of data quality also get a CSV copy for Excel (UTF-8 "
             "with BOM; every text in double quotes, a missing value empty; a cell starting with = + - @ is prefixed "
             "with '), unless they have more rows than Excel opens "
             "(1,048,576 with the header; build_issues then says so). The tables that grow with the text are "
             "Parquet only.",
             "Offsets are into the normalised text of the report, saved as `texts/<report_id>.txt`.", ""]
    for table, spec in SCHEMAS.items():
        copy = "Parquet and CSV." if table in CSV_TABLES else "Parquet only."
        lines += [f"## `{table}`", "", spec["doc"], "", copy, "", "| column | type | meaning |", "| --- | --- | --- |"]
        lines += [f"| `{n}` | {k} | {d} |" for n, k, d in spec["columns"]]
        lines.append("")
    return "\n".join(lines)
