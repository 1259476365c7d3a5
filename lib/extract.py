"""Quantitative stage: every figure (mentions), the catalogue indicators, and narrative claims.

Only the stage's entry point lives here; each concern has its own module:
``lib.catalogue`` (the indicator catalogue and unit conversion), ``lib.mentions`` (mention rows),
``lib.indicators`` (sentence indicators and their wording rules), ``lib.table_indicators``
(indicators in tables) and ``lib.claims`` (narrative claims).
"""

from __future__ import annotations

import pandas as pd

from lib.claims import extract_claims
from lib.comparability import COLUMNS, annotate, comparability
from lib.indicators import sentence_indicators
from lib.limits import MAX_INDICATOR_FIGURES
from lib.mentions import cell_mention, mention_row
from lib.numbers import find_quantities
from lib.rows import Rows, frame, records
from lib.table_indicators import table_indicators


def extract_tables(parsed, warnings: list[str], rows: dict | None = None) -> dict[str, Rows | pd.DataFrame]:
    """mentions, indicators and claims (as rows, lib.rows.Rows, unless a field is missing) of one parsed report
    (lib.build.ParsedReport). ``rows``: the rows of its sections, sentences, tables and table_cells
    as namedtuples, when the caller has them; else they are read from its frames, each column once."""
    t = parsed.tables
    if rows is None:
        rows = {name: records(t[name]) for name in ("sections", "sentences", "tables", "table_cells")}
    ctx = parsed.context
    sentences, sections = rows["sentences"], rows["sections"]
    paragraphs = {p.paragraph_id: (p.start, p.end) for p in parsed.structure.paragraphs}
    text = parsed.raw.text
    mentions, indicators = [], []
    # the titles above each sentence, outermost first: the subject of generic wording (一、最低生活保障 …)
    headings = {sec.section_id: sec.path for sec in sections}
    for s in sentences:
        quantities = find_quantities(s.text)
        for n, q in enumerate(quantities):
            mentions.append(mention_row(s, q, n))
        if len(quantities) > MAX_INDICATOR_FIGURES:  # a list of figures, not prose: the wording rules do not apply
            warnings.append(f"sentence {s.sentence_id} holds {len(quantities):,} figures (over {MAX_INDICATOR_FIGURES}); "
                            "its figures are kept as mentions but no indicators were read from it")
        elif quantities:
            p0, p1 = paragraphs.get(s.paragraph_id, (s.char_start, s.char_end))
            lead = text[p0: s.char_start] if p0 <= s.char_start <= p1 else ""
            indicators += sentence_indicators(s, quantities, text[p0:p1], ctx, lead=lead,
                                              heading=headings.get(s.section_id, ""))
    if rows["table_cells"]:
        cells, tables = rows["table_cells"], rows["tables"]
        by_id = {row.table_id: row for row in tables}
        section_info = {s.section_id: (s.theme, s.part) for s in sections}
        for c in cells:
            if pd.isna(c.value):
                continue
            mentions.append(cell_mention(c, by_id[c.table_id], section_info))
        indicators += table_indicators(cells, tables, sections, ctx)
    # what kind of figure each row is, and whether it is a total or a part (lib.comparability): added to
    # the rows before their one frame is built, unless a missing field needs the frame's NaN to read as before
    plain = all(type(r[k]) is str for r in indicators for k in _COMPARABILITY_FIELDS)
    if plain:
        for r in indicators:
            r.update(zip(COLUMNS, comparability(*(r[k] for k in _COMPARABILITY_FIELDS))))
    seen: set = set()  # the first of each (indicator, value, status, period, scope, detail) stands
    keep = []
    for r in indicators:
        key = tuple(_missing_as_one(r[k]) for k in _SAME_ROW)
        keep.append(key not in seen)
        seen.add(key)
    if plain:  # rows, stacked with the chunk's
        ind = Rows(None, [r for r, k in zip(indicators, keep) if k])
    else:
        ind = frame(indicators)
        ind = annotate(ind[keep] if not all(keep) else ind)
    claims = extract_claims(sentences, sections, ctx.city)
    return {"mentions": Rows(None, mentions), "indicators": ind, "claims": claims}


_COMPARABILITY_FIELDS = ("indicator_id", "status", "period", "scope", "scope_detail", "rule")
_SAME_ROW = ("indicator_id", "value", "status", "period", "scope", "scope_detail")
_MISSING = object()


def _missing_as_one(v):
    """None and NaN are one missing value, as pandas' drop_duplicates compares them."""
    return _MISSING if v is None or v != v else v
